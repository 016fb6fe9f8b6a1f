# The world: a catalogue of videos with three text fields, a query log over 90 days, and judged
# queries from each time window. The split is by time: days 0-60 build the vocabulary, the
# training labels and the click log; judged queries of days 60-80 test.
from casestudies import video_search as vs
from mlsd import show

videos, log = vs.catalog(), vs.query_log()
train_log = [q for q in log if q.day < vs.SPLIT_DAY]
test_log = [q for q in log if vs.SPLIT_DAY <= q.day < vs.LAUNCH_DAY]
v = videos[7]
print(f"a video: title {v.title!r}")
print(f"  description {v.description!r}")
print(f"  transcript  {v.transcript[:70]!r}...")

counts = {}
for q in train_log:
    counts[q.text] = counts.get(q.text, 0) + 1
once = sum(1 for c in counts.values() if c == 1) / len(counts)
head = sorted(counts.values(), reverse=True)[: len(counts) // 100]
head_share = sum(head) / len(train_log)
words = [len(q.text.split()) for q in train_log]
short = sum(2 <= n <= 3 for n in words) / len(words)
kinds = {k: sum(q.kind == k for q in train_log) / len(train_log) for k in vs.KINDS}

show.table([
    {"quantity": "videos in the catalogue", "value": len(videos)},
    {"quantity": "searches, days 0-60 / 60-80", "value": f"{len(train_log):,} / {len(test_log):,}"},
    {"quantity": "distinct queries, days 0-60", "value": f"{len(counts):,}"},
    {"quantity": "share of distinct queries typed once", "value": round(once, 2)},
    {"quantity": "share of searches from the top 1 % of queries", "value": round(head_share, 2)},
    {"quantity": "share of queries with 2-3 words", "value": round(short, 2)},
    {"quantity": "judged queries, train / test",
     "value": f"{len(vs.judged_queries('train'))} / {len(vs.judged_queries('test'))}"},
], title="The world in numbers")
show.table([{"query kind": k, "share of searches": round(s, 2),
             "example": next(q.text for q in train_log if q.kind == k)} for k, s in kinds.items()],
           title="Query kinds, days 0-60")

test = vs.judged_queries("test")
per_query = [len(vs.relevant(q)) for q in test]
print(f"relevant videos (grade >= 2) per test query: median {sorted(per_query)[len(per_query) // 2]}")

assert max(q.day for q in train_log) < vs.SPLIT_DAY <= min(q.day for q in test), "no future in training"
assert all(q.day < vs.LAUNCH_DAY for q in test), "the test window ends before the launch"
assert short > 0.9, "the page says queries are two or three words"
assert once > 0.4 and head_share > 0.3, "the page says a long tail of rare queries and a heavy head"
assert 0.08 < kinds["typo"] < 0.15, "the page says about a tenth of searches are misspelled"
assert kinds["name"] > 0.25 and kinds["paraphrase"] > 0.15, "the page says names are about a third, paraphrases a quarter"
