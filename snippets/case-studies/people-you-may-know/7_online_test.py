# A simulated online test on day 315. Users are split at random: control sees the top 10 by
# Adamic-Adar (the incumbent), treatment the top 10 by the GBDT. Whether a suggestion becomes a
# friendship comes from the world, not from either model: the user acts on it with probability
# ACT_RATE x the pair's hidden affinity (the same function that grew the graph).
import random

from mlsd import experiments, show
from casestudies import people_you_may_know as pymk

w = pymk.world()
adj, order = pymk.graph_at(pymk.TEST_CUT)
emb = pymk.embeddings(pymk.TEST_CUT)
users = [u for u in range(w.n_users) if adj[u]]
split = random.Random(5)
arm = {u: split.random() < 0.5 for u in users}
screens = {}
for u in users:                       # candidates and features once, then both rankers
    cands = pymk.candidates(adj, order, u)
    X = [pymk.pair_features(adj, u, c, emb) for c in cands]
    screens[u] = {r: pymk.top_k(r, cands, X) for r in ("adamic_adar", "gbdt")}
draw = random.Random(6)
rows, truth = [], {}
for name, ranker, flag in (("control: Adamic-Adar", "adamic_adar", False), ("treatment: GBDT", "gbdt", True)):
    shown = accepted = 0
    expected_all = 0.0
    for u in users:
        for v in screens[u][ranker]:
            p = pymk.ACT_RATE * pymk.accept_probability(w, adj, u, v)
            expected_all += p                    # every user, no sampling noise: the truth
            if arm[u] == flag:
                shown += 1
                accepted += draw.random() < p
    truth[ranker] = expected_all / len(users)
    rows.append({"arm": name, "users": sum(arm[u] == flag for u in users), "suggestions shown": shown,
                 "friendships made": accepted, "per suggestion": round(accepted / shown, 4),
                 "expected per user (all users, no noise)": round(truth[ranker], 3)})
show.table(rows, title="Simulated online test: one screen of 10 suggestions per user")

c, t = rows
test = experiments.proportion_test(c["friendships made"], c["suggestions shown"],
                                   t["friendships made"], t["suggestions shown"])
true_lift = truth["gbdt"] / truth["adamic_adar"] - 1
need = experiments.sample_size_proportions(c["per suggestion"], true_lift)
print(f"measured lift {test['lift']:+.1%} (p = {test['p_value']:.2f}); true lift {true_lift:+.1%}")
print(f"suggestions per arm to detect it at 80% power: {need:,} (about {need / 10 / 1e3:,.0f} thousand "
      f"users per arm seeing one screen, {need / c['suggestions shown']:.0f} times this test's arm)")

rates = [r["per suggestion"] for r in rows]
# The page's claims: a few per cent of suggestions become friendships ...
assert all(0.02 < r < 0.06 for r in rates), f"page: about 5 % of suggestions become friendships, got {rates}"
# ... the GBDT's true lift is positive and modest, like its offline gain ...
assert 0.02 < true_lift < 0.12, f"page: a true lift of a few per cent, got {true_lift:+.1%}"
# ... and a test this small cannot see it: it needs over ten times the suggestions shown here
assert not test["significant"], f"page: the toy test reads noise, got p = {test['p_value']:.3f}"
assert need > 10 * c["suggestions shown"], f"page: over ten times this arm's {c['suggestions shown']}, got {need:,}"
