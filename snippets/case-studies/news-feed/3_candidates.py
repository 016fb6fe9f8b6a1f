# Candidates for 200 users at day 12: the followed authors' posts of the last
# two days (in-network), plus the best recent posts (by author engagement) of the
# user's strongest topic in the counters, topped up from the second strongest
# (out-of-network). Coverage: of the 10 live posts each user would like most
# (the generator's truth), how many reach the ranker? And what are the misses?
import random

from mlsd import show
from casestudies import news_feed as nf

data = nf.world()
users = sorted(random.Random(0).sample(range(len(data.users)), 200))
live = [p for p in data.posts if nf.NOW - nf.LIVE_DAYS <= p.created < nf.NOW]

rows, cov, share = [], {}, {}
misses = on_favourite = on_source_topic = 0
for name, oon in (("in-network only", 0), ("+ 20 out-of-network", 20)):
    found = hits = 0
    for u in users:
        cands = set(nf.candidates(u, out_of_network=oon))
        hits += sum(i in cands for i in nf.ideal_posts(u, 10))
        found += len(cands)
        if oon:                 # the misses left after both sources, by topic
            drawn = {data.posts[i].topic for i in cands - set(nf.candidates(u, out_of_network=0))}
            for i in set(nf.ideal_posts(u, 10)) - cands:
                misses += 1
                on_favourite += data.posts[i].topic in data.users[u].favourites
                on_source_topic += data.posts[i].topic in drawn
    cov[name] = hits / (10 * len(users))
    share[name] = found / len(users) / len(live)
    rows.append({"sources": name, "candidates per user": round(found / len(users), 1),
                 "share of live posts": f"{found / len(users) / len(live):.1%}",
                 "coverage of the best 10": f"{cov[name]:.0%}"})
show.table(rows, title=f"Candidate sources ({len(live):,} live posts)")
print(f"of the {misses} misses, {on_favourite / misses:.0%} are on one of the user's two favourite "
      f"topics and {on_source_topic / misses:.0%} on a topic the out-of-network source drew from")

assert cov["in-network only"] > 0.5 and share["in-network only"] < 0.1   # most, for little
assert cov["+ 20 out-of-network"] > cov["in-network only"] + 0.03  # the second source pays
assert cov["+ 20 out-of-network"] < 0.9                            # and still misses some
assert on_favourite > 0.8 * misses and on_source_topic < 0.2 * misses  # liked topics, not yet drawn
