# Serving on day 315: requests timed stage by stage, then the two ways to get candidates — a
# batch table or a walk on each request — compared by counted work, and the day's new
# friendships folded into the table incrementally.
import math
import random

from mlsd import serving, show
from casestudies import people_you_may_know as pymk

w = pymk.world()
adj, order = pymk.graph_at(pymk.TEST_CUT)
pymk.trained("gbdt")                                   # load the model before timing
users = pymk.eval_users(pymk.TEST_CUT, pymk.DAYS)[:300]
times = {stage: [] for stage in pymk.SERVE_STAGES}
paths = scored = 0
for u in users:
    out = pymk.serve(adj, order, u)
    for stage, ms in out["ms"].items():
        times[stage].append(ms)
    paths += out["paths"]
    scored += out["scored"]
total = [sum(ms) for ms in zip(*times.values())]
rows = [{"stage": s, "p50 (ms)": round(serving.p50(v), 3), "p99 (ms)": round(serving.p99(v), 3),
         "share of the time": round(math.fsum(v) / math.fsum(total), 2)} for s, v in times.items()]
show.table(rows, title=f"⏱ {len(users)} requests, walking two hops on each, in-process", varies=True)
print(f"per request: {paths / len(users):.0f} two-hop paths walked, {scored / len(users):.0f} candidates scored")

# Batch versus on request, counted in two-hop paths. The batch job walks every user's two hops
# once a day; on request, only the users who open the suggestions that day (40 %) are walked.
table = pymk.CandidateTable(adj)
rng = random.Random(3)
viewers = [u for u in range(w.n_users) if rng.random() < 0.4]
on_request = sum(pymk.fof_candidates(adj, order, u, None)[1] for u in viewers)
show.table([{"design": "batch table for everyone, daily", "paths walked per day": table.work},
            {"design": "walk on request, 40 % of users view", "paths walked per day": on_request}],
           title="Candidate generation work per day")

# Fresh edges: the first day after the cutoff. Each new friendship updates the table in place;
# the alternative is re-walking the two hops of everyone it touches (both people and their friends).
day_edges = [e for e, t in zip(w.edges, w.days) if pymk.TEST_CUT <= t < pymk.TEST_CUT + 1]
before = {u: table.top(u) for u in range(w.n_users)}
initial = {u: dict(c) for u, c in enumerate(table.counts)}
build_work = table.work
touched = 0
graph = [set(f) for f in adj]
affected = set()
for a, b in day_edges:
    affected |= {a, b} | graph[a] | graph[b]
    graph[a].add(b)
    graph[b].add(a)
    touched += table.add_friendship(a, b)
rewalk = sum(len(graph[f]) for x in affected for f in graph[x])     # once, at the end of the day
rebuilt = pymk.CandidateTable(graph)
changed = sum(table.top(u) != before[u] for u in range(w.n_users))
show.table([{"update": "incremental (entries touched)", "work": touched},
            {"update": f"re-walk the {len(affected)} affected users once", "work": rewalk},
            {"update": "rebuild the whole table", "work": rebuilt.work}],
           title=f"Folding in {len(day_edges)} new friendships from one day")
# One fresh edge followed through: a friend x of a, for whom b was no candidate this morning
example = next(((a, b, x) for a, b in day_edges for x in sorted(adj[a])
                if x != b and b not in initial[x] and b in table.counts[x]), None)
assert example is not None, "no new friendship of the day gave anyone a new candidate"
a, b, x = example
print(f"friendship {a}-{b}: user {x}, a friend of {a}, now has {b} as a candidate "
      f"with {table.counts[x][b]} mutual friend(s); {changed} users' top 10 changed within the day")

assert table.counts == rebuilt.counts, "the incrementally updated table must equal a rebuild"
# The page's claims: incremental updates cost about a hundred times less than re-walking the
# affected users, and re-walking them costs a large share of rebuilding everything ...
assert touched * 80 < rewalk, f"page: about 100x less work than re-walking, got {rewalk / touched:.0f}x"
assert 0.3 * rebuilt.work < rewalk < rebuilt.work, f"re-walk {rewalk} vs rebuild {rebuilt.work}"
# ... the on-request walk of 40 % of users is about 40 % of the batch job's paths ...
assert 0.3 < on_request / build_work < 0.5, f"page: on request is about 40 % of the batch, got {on_request / build_work:.0%}"
# ... the model scores at most 50 candidates, whatever the walk cost ...
assert pymk.KEEP * len(users) * 0.9 < scored <= pymk.KEEP * len(users), f"scored {scored / len(users):.1f} per request"
# ... and each new friendship reshuffles several users' top 10
assert changed > 4 * len(day_edges), f"{changed} top-10 lists changed for {len(day_edges)} new friendships"
