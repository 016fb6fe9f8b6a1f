# Monitoring: the batch job that rebuilds the candidate table stops on day 315 and nobody notices.
# The label-free signal: the share of precomputed suggestions that the serving filter has to drop
# because the two people are already friends. It rises with the table's age; the friendships the
# suggestions would have made (from the world's hidden affinity) fall with it.
import random

from mlsd import show
from casestudies import people_you_may_know as pymk

w = pymk.world()
frozen = pymk.CandidateTable(pymk.graph_at(pymk.TEST_CUT)[0])
stale_top = {u: frozen.top(u) for u in range(w.n_users)}
users = sorted(random.Random(4).sample(range(w.n_users), 400))
rows = []
for age in (1, 3, 7, 14, 30, 45):
    day = pymk.TEST_CUT + age
    adj, _ = pymk.graph_at(min(day, pymk.DAYS))
    fresh = pymk.CandidateTable(adj)
    dropped = slots = 0
    made = {"frozen": 0.0, "rebuilt daily": 0.0}
    for u in users:
        kept = [v for v in stale_top[u] if v not in adj[u]]
        dropped += len(stale_top[u]) - len(kept)
        slots += len(stale_top[u])
        for name, shown in (("frozen", kept), ("rebuilt daily", fresh.top(u))):
            made[name] += sum(pymk.ACT_RATE * pymk.accept_probability(w, adj, u, v) for v in shown)
    rows.append({"table age (days)": age, "suggestions dropped as already friends": round(dropped / slots, 4),
                 "friendships per user, frozen table": round(made["frozen"] / len(users), 3),
                 "... table rebuilt daily": round(made["rebuilt daily"] / len(users), 3)})
show.table(rows, title=f"A stale candidate table, {len(users)} users")
show.line_chart([r["table age (days)"] for r in rows],
                {"dropped as already friends": [r["suggestions dropped as already friends"] for r in rows]},
                x_title="days since the last rebuild", y_title="share of suggestions dropped",
                title="The alarm signal: suggestions dropped because the pair are already friends")
alarm = next(r["table age (days)"] for r in rows if r["suggestions dropped as already friends"] > 0.005)
print(f"an alarm at 0.5 % of suggestions dropped fires when the table is {alarm} days old")

first, last = rows[0], rows[-1]
frozen_first, daily_first = first["friendships per user, frozen table"], first["... table rebuilt daily"]
frozen_last, daily_last = last["friendships per user, frozen table"], last["... table rebuilt daily"]
# The page's claims: the drop rate grows with the table's age, from a fraction of a per cent ...
drop = [r["suggestions dropped as already friends"] for r in rows]
assert drop == sorted(drop) and drop[0] < 0.005 and drop[-1] > 0.02, f"page: 0.18 % to 6 %, got {drop}"
# ... an alarm at 0.5 % fires within a week, before the loss is visible ...
assert alarm <= 7, f"page: the alarm fires within a week, fired at {alarm} days"
assert frozen_first > 0.99 * daily_first, f"page: no visible loss after a day, {frozen_first} vs {daily_first}"
# ... and by 45 days the frozen table makes clearly fewer friendships than a daily rebuild
assert frozen_last < 0.95 * daily_last, f"page: clearly fewer by day 45, {frozen_last} vs {daily_last}"
