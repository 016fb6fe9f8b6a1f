# The world: 1,200 people, friendships that form one at a time over a year, and the time windows.
# Features come from the graph before a cutoff; labels are the friendships formed after it.
from mlsd import show
from casestudies import people_you_may_know as pymk

w = pymk.world()
adj, order = pymk.graph_at(pymk.DAYS)
deg = sorted(len(friends) for friends in adj)


def pct(q):
    return deg[min(len(deg) - 1, int(q * len(deg)))]


show.table([{"users": w.n_users, "friendships": len(w), "median degree": pct(0.5),
             "p90": pct(0.9), "p99": pct(0.99), "max": deg[-1]}], title="The graph on day 360")

windows = [("training features", 0, pymk.TRAIN_CUT), ("training labels", pymk.TRAIN_CUT, pymk.TEST_CUT),
           ("test labels", pymk.TEST_CUT, pymk.DAYS)]
rows = []
for name, start, end in windows:
    edges = [(u, v) for (u, v), t in zip(w.edges, w.days) if start <= t < end]
    before, _ = pymk.graph_at(start) if start > 0 else (None, None)
    fof = (sum(1 for u, v in edges if before[u] & before[v]) / len(edges)) if before else None
    rows.append({"window": name, "days": f"{start:g}-{end:g}", "new friendships": len(edges),
                 "same school": round(sum(w.school[u] == w.school[v] for u, v in edges) / len(edges), 2),
                 "same workplace": round(sum(w.work[u] == w.work[v] >= 0 for u, v in edges) / len(edges), 2),
                 "friend of a friend at the cutoff": None if fof is None else round(fof, 2)})
show.table(rows, title="Time windows")

listed_school = sum(s >= 0 for s in w.listed_school) / w.n_users
has_work = [u for u in range(w.n_users) if w.work[u] >= 0]
listed_work = sum(w.listed_work[u] >= 0 for u in has_work) / len(has_work)
print(f"profiles list the school for {listed_school:.0%} of users and the workplace for "
      f"{listed_work:.0%} of those who have one; the models see only what is listed")
test = pymk.new_friendships(pymk.TEST_CUT, pymk.DAYS)
print(f"{len(test)} users made a new friend after day {pymk.TEST_CUT:g}; "
      f"{len(pymk.eval_users(pymk.TEST_CUT, pymk.DAYS))} of them are sampled for evaluation")

# The page's claims: a heavy tail, hubs about ten times the median degree ...
assert pct(0.5) <= 15 and deg[-1] >= 8 * pct(0.5), f"median {pct(0.5)}, max {deg[-1]}: not a heavy tail"
# ... homophily: most new friendships join schoolmates ...
school = [r["same school"] for r in rows]
assert all(0.5 < x < 0.7 for x in school), f"page: 54-63 % of new friendships share a school, got {school}"
# ... two hops reach most of the next window's new friends, never all of them ...
fof_share = [r["friend of a friend at the cutoff"] for r in rows[1:]]
assert all(0.8 < x < 0.95 for x in fof_share), f"page: 85-90 % are friends of friends, got {fof_share}"
assert all(t1 >= t0 for t0, t1 in zip(w.days, w.days[1:])), "edges must be in the order they formed"
# ... and profiles list the school for about 70 % of users, the workplace for 70 % of workers
listed = (round(listed_school, 2), round(listed_work, 2))
assert round(listed_school, 1) == round(listed_work, 1) == 0.7, f"page: about 70 % listed, got {listed}"
