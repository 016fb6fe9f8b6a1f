# Re-ranking: the value model's order, then one rule at a time. Each row adds a
# rule to the one above; the figures are per session, for 200 users' feeds.
import random
import statistics

from mlsd import show
from casestudies import news_feed as nf

data = nf.world()
model = nf.ranker()
users = sorted(random.Random(4).sample(range(nf.WORLD["n_users"]), 200))
R = nf.RERANK
steps = [("value model only", None),
         (f"+ freshness (half-life {R['half_life_days']:g} days)", dict(half_life_days=R["half_life_days"])),
         (f"+ integrity (demote {R['demote']:g} x score, drop > {R['remove_above']:g})",
          dict(half_life_days=R["half_life_days"], demote=R["demote"], remove_above=R["remove_above"])),
         (f"+ caps ({R['author_cap']} per author, {R['topic_cap']} per topic)", R)]

rows, out = [], {}
for name, rules in steps:
    feeds = nf.feeds(model, users, rules=rules)
    m = nf.mean_metrics(feeds)
    posts = [data.posts[i] for f in feeds.values() for i in f]
    m["age_h"] = statistics.median(24 * (nf.NOW - p.created) for p in posts)
    m["authors"] = statistics.mean(len({data.posts[i].author for i in f}) for f in feeds.values())
    m["topics"] = statistics.mean(len({data.posts[i].topic for i in f}) for f in feeds.values())
    m["interactions"] = m["like"] + m["comment"] + m["share"]
    out[name] = m
    rows.append({"feed": name, "likes+comments+shares": round(m["interactions"], 4),
                 "hides": round(m["hide"], 4), "borderline seen": round(m["borderline"], 4),
                 "median age (h)": round(m["age_h"], 1), "authors": round(m["authors"], 2),
                 "topics": round(m["topics"], 2)})
show.table(rows, title="Re-ranking, one rule at a time")

raw, fresh, safe, final = (out[name] for name, _ in steps)
print(f"integrity: borderline posts seen {safe['borderline'] / fresh['borderline'] - 1:+.0%} for "
      f"{safe['interactions'] / fresh['interactions'] - 1:+.1%} interactions; all rules: "
      f"{final['interactions'] / raw['interactions'] - 1:+.1%} interactions")

assert fresh["age_h"] < raw["age_h"]                                  # fresher feeds
assert safe["borderline"] < 0.2 * fresh["borderline"]                # integrity: most gone...
assert safe["interactions"] > 0.95 * fresh["interactions"]           # ...for little engagement
assert fresh["interactions"] > raw["interactions"]                   # decay even helps here
assert final["authors"] > safe["authors"] and final["topics"] >= safe["topics"]
assert final["interactions"] < safe["interactions"]                  # diversity has a price
assert final["interactions"] > 0.9 * raw["interactions"]             # the rules cost < 10 %
