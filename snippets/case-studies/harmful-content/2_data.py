# The world: 35 days of a 15,000-posts-a-day slice. Harmful posts are stored in full, benign
# posts as a 1-in-100 sample with weight 100, so every rate is weighted back to the stream.
# Train on days 0-14, test on days 14-21 (a time-based split); days 21-35 come later.
from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
train, test = hc.window(0.0, hc.TRAIN_END), hc.window(hc.TRAIN_END, hc.TEST_END)
posts = sum(w.weight)
views = sum(map(lambda a, b: a * b, w.weight, w.views))
rows = []
for k, c in enumerate(hc.CLASSES):
    mine = [i for i in range(len(w)) if w.label[i] == k]
    rows.append({"class": c, "severity": hc.SEVERITY[c],
                 "share of posts (%)": round(100 * len(mine) / posts, 3),
                 "share of views (%)": round(100 * sum(w.views[i] for i in mine) / views, 3),
                 "train positives": sum(w.label[i] == k for i in train),
                 "test positives": sum(w.label[i] == k for i in test)})
show.table(rows, title=f"{len(w):,} stored posts standing for {posts:,.0f} posts of the stream")

memes = sum(w.meme[i] for i in range(len(w)))
hate = sum(w.label[i] == 2 for i in range(len(w)))
seen = acc = 0.0                          # weighted: the top 1 % of the stream's posts
for v, wt in sorted(zip(w.views, w.weight), reverse=True):
    if seen >= posts / 100:
        break
    seen, acc = seen + wt, acc + wt * v
top = acc / views
print(f"hate posts that are caption-plus-image memes: {memes} of {hate} ({memes / hate:.0%})")
print(f"the top 1 % of posts by views get {top:.0%} of all views")

by = {r["class"]: r for r in rows}
assert by["spam"]["share of posts (%)"] > max(by[c]["share of posts (%)"] for c in hc.CLASSES[1:]), \
    "spam should be the most common class"
assert all(r["share of posts (%)"] < 0.5 for r in rows), "every class should be well under 1 % of posts"
assert by["spam"]["share of views (%)"] < by["spam"]["share of posts (%)"] / 2, \
    "spam should get well under its share of views (its accounts have few followers)"
assert min(r["test positives"] for r in rows) >= 50, "every class needs 50 or more test positives"
assert 0.3 < memes / hate < 0.5, f"memes should be about 40 % of hate, got {memes / hate:.0%}"
assert 0.2 < top < 0.4, f"the page quotes 28 % of views for the top 1 % of posts, got {top:.0%}"
