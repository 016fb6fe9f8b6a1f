# Candidates for 200 users at day 12: the followed authors' posts of the last
# two days (in-network), plus the best recent posts of the user's two strongest
# topics (out-of-network). Coverage: of the 10 live posts each user would like
# most (the generator's truth), how many reach the ranker?
import random

from mlsd import show
from casestudies import news_feed as nf

data = nf.world()
users = sorted(random.Random(0).sample(range(len(data.users)), 200))
live = [p for p in data.posts if nf.NOW - nf.LIVE_DAYS <= p.created < nf.NOW]

rows, cov, share = [], {}, {}
for name, oon in (("in-network only", 0), ("+ 20 out-of-network", 20)):
    found = hits = 0
    for u in users:
        cands = set(nf.candidates(u, out_of_network=oon))
        hits += sum(i in cands for i in nf.ideal_posts(u, 10))
        found += len(cands)
    cov[name] = hits / (10 * len(users))
    share[name] = found / len(users) / len(live)
    rows.append({"sources": name, "candidates per user": round(found / len(users), 1),
                 "share of live posts": f"{found / len(users) / len(live):.1%}",
                 "coverage of the best 10": f"{cov[name]:.0%}"})
show.table(rows, title=f"Candidate sources ({len(live):,} live posts)")

assert cov["in-network only"] > 0.5 and share["in-network only"] < 0.1   # most, for little
assert cov["+ 20 out-of-network"] > cov["in-network only"] + 0.03  # the second source pays
assert cov["+ 20 out-of-network"] < 0.9                            # and still misses some
