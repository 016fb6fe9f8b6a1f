# Cold start. A listing that went live yesterday has no clicks, so no vector. Give it the mean
# vector of its 3 closest listings by location, type and price, and measure that choice: pretend
# each listing with a vector is new (leave it out), and rank its next clicks in the test window.
import statistics

from casestudies import similar_listings as system
from mlsd import show

items = system.listings()
ranks = system.cold_start_ranks(every=6)
rows = [{"vector for the 'new' listing": name,
         "next click: hit rate@10": round(sum(r <= 10 for r in rs) / len(rs), 3),
         "mean rank": round(statistics.fmean(rs), 1)} for name, rs in ranks.items()]
show.table(rows, title=f"Leave-one-out cold start: {len(ranks['learned vector']):,} next-click pairs")

# The listings that really are new since day 28: what the service gives them.
vectors = system.serving_vectors()
new = {i.id for i in items if i.created >= system.SPLIT_DAY}
live = system.next_click_ranks(system.embedding_scorer(vectors), queries=new)
content = system.next_click_ranks(system.content_scorer(), queries=new)
print(f"{len(new)} listings went live after day {system.SPLIT_DAY:g}: next click hit rate@10 from "
      f"their cold vectors {sum(r <= 10 for r in live) / len(live):.3f}, from content "
      f"{sum(r <= 10 for r in content) / len(content):.3f} ({len(live)} pairs)")

hit = {r["vector for the 'new' listing"]: r["next click: hit rate@10"] for r in rows}
learned, cold, rand, cont = hit.values()
assert cold > rand + 0.02, "the page says the mean of the closest listings beats a random vector"
assert cont > cold + 0.05, "the page says content similarity beats the cold vector for a new listing"
assert learned > cont + 0.1, "the page says the listing's own learned vector beats both"
assert sum(r <= 10 for r in content) / len(content) > sum(r <= 10 for r in live) / len(live), \
    "the page says the listings that really went live agree: content beats their cold vectors"
