# The reviewer's check of a claim the candidate made in phase 3: for a user with a handful of
# friends, almost every friend-of-friend candidate has exactly one mutual friend, so graph scores
# cannot order them and profile or embedding signals must. Checked on the case study's toy world,
# on the graph before day 315, with the case study's per-friend cap.
import statistics

from mlsd import show
from casestudies import people_you_may_know as pymk

adj, order = pymk.graph_at(pymk.TEST_CUT)
groups = {"at most 5 friends": [], "6 to 20 friends": [], "over 20 friends": []}
for u in range(len(adj)):
    d = len(adj[u])
    if d == 0:
        continue
    key = "at most 5 friends" if d <= 5 else "6 to 20 friends" if d <= 20 else "over 20 friends"
    groups[key].append(u)
rows = []
for name, users in groups.items():
    n_cands, tied = [], []
    for u in users:
        found, _ = pymk.fof_candidates(adj, order, u)
        if found:
            n_cands.append(len(found))
            tied.append(sum(c == 1 for c in found.values()) / len(found))
    rows.append({"users": name, "count": len(users), "candidates per user": round(statistics.fmean(n_cands)),
                 "share with exactly one mutual friend": round(statistics.fmean(tied), 2)})
show.table(rows, title=f"Friend-of-friend candidates on day {pymk.TEST_CUT:g}")

few, mid, many = (r["share with exactly one mutual friend"] for r in rows)
assert few > 0.8, f"the candidate says almost every candidate of a new user ties at one mutual friend, got {few}"
assert few > mid > many, f"ties should fall as users gain friends, got {few}, {mid}, {many}"
