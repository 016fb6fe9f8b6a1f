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
work = {r["newest friends read per friend"]: r["paths walked"] / full["paths walked"] for r in rows}
reach = {r["newest friends read per friend"]: r["new friends among candidates"] for r in rows}
# The page's claims: down to 20 newest friends per friend, recall@10 does not move (within 0.01)
# while the walk shrinks by about a quarter ...
assert abs(recall[20] - recall["all"]) < 0.01 and abs(recall[40] - recall["all"]) < 0.01, \
    f"page: caps of 40 and 20 leave recall@10 within 0.01, got {recall}"
assert work[20] < 0.8, f"page: a cap of 20 saves about a quarter of the paths, walks {work[20]:.0%}"
# ... at 5, the walk is about a quarter, over a third of the new friends drop out of the
# candidates, and recall@10 falls by a few points: the price is paid when the cap bites ...
assert work[5] < 0.3, f"page: a cap of 5 walks about a quarter of the paths, got {work[5]:.0%}"
assert reach["all"] - reach[5] > 0.3, f"page: over a third drop out at a cap of 5, got {reach}"
assert 0.015 < recall["all"] - recall[5] < 0.06, f"page: recall@10 falls a few points at 5, got {recall}"
# ... the per-friend cap hardly bounds the busiest user's walk, who walks several times the mean ...
mean_paths = full["paths walked"] / len(users)
assert c40["max per user"] > 0.8 * full["max per user"] > 4 * mean_paths, \
    f"max {full['max per user']} uncapped, {c40['max per user']} at 40, mean {mean_paths:.0f}"
# ... and two hops never reach everyone
assert reach["all"] < 0.95, f"page: two hops reach most new friends, not all; got {reach['all']}"
