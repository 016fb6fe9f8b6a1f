# Candidates: friends of friends, from the graph before day 315. Walking every friend of every
# friend costs the sum of the friends' degrees; a cap reads only each friend's newest friends.
# How much work does the cap save, and how much recall does it cost?
import math
import statistics

from mlsd import show
from casestudies import people_you_may_know as pymk

adj, order = pymk.graph_at(pymk.TEST_CUT)
future = pymk.new_friendships(pymk.TEST_CUT, pymk.DAYS)
users = pymk.eval_users(pymk.TEST_CUT, pymk.DAYS)
inv_log = [1 / math.log(len(f)) if len(f) > 1 else 0.0 for f in adj]   # Adamic-Adar weights
rows = []
for cap in (None, 40, 20, 10, 5):
    paths, n_cands, reached, kept, total, recall = [], [], 0, 0, 0, []
    for u in users:
        found, walked = pymk.fof_candidates(adj, order, u, cap)
        top = sorted(found, key=lambda c: (-found[c], c))[:pymk.KEEP]
        aa = {c: sum(inv_log[m] for m in sorted(adj[u] & adj[c])) for c in top}
        top10 = set(sorted(top, key=lambda c: (-aa[c], c))[:10])
        paths.append(walked)
        n_cands.append(len(found))
        reached += sum(v in found for v in future[u])
        kept += sum(v in aa for v in future[u])
        total += len(future[u])
        recall.append(len(top10 & future[u]) / len(future[u]))
    rows.append({"newest friends read per friend": cap or "all", "paths walked": sum(paths),
                 "max per user": max(paths), "candidates per user": round(statistics.fmean(n_cands)),
                 "new friends among candidates": round(reached / total, 3),
                 f"... among the top {pymk.KEEP}": round(kept / total, 3),
                 "recall@10 (Adamic-Adar)": round(statistics.fmean(recall), 3)})
show.table(rows, title=f"Two-hop walks for {len(users)} users on day {pymk.TEST_CUT:g}")

full, c40, c20, c10, c5 = rows
recall = {r["newest friends read per friend"]: r["recall@10 (Adamic-Adar)"] for r in rows}
# The page's claims: down to 20 newest friends per friend, recall@10 does not move (within 0.01)
# while the walk shrinks by about a quarter ...
assert abs(recall[20] - recall["all"]) < 0.01 and abs(recall[40] - recall["all"]) < 0.01
assert c20["paths walked"] < 0.8 * full["paths walked"]
# ... at 5, the walk is about a quarter, nearly half the new friends drop out of the candidates,
# and recall@10 falls by a few points: the cap's price is paid only when it bites into real friends
assert c5["paths walked"] < 0.3 * full["paths walked"]
assert full["new friends among candidates"] - c5["new friends among candidates"] > 0.3
assert 0.015 < recall["all"] - recall[5] < 0.06
# The per-friend cap hardly bounds a hub's own walk: the worst user keeps most of theirs
assert c40["max per user"] > 0.8 * full["max per user"] > 5 * full["paths walked"] / len(users)
assert full["new friends among candidates"] < 0.95       # two hops never reach everyone
