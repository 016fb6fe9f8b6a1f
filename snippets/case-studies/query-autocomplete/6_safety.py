# Filtering unsafe suggestions: a blocklist of phrases plus a classifier (a documented stand-in,
# see the page) with a cut at 0.5, applied when the index is built. What it removes, what it
# wrongly removes, and what it costs in MRR on the held-out sessions.
import math
from collections import Counter

from casestudies import query_autocomplete as qa
from mlsd import show

history, _ = qa.split()
searched = Counter(q for _, _, q in history)
unsafe_world = set(qa.UNSAFE)
pool = set(searched) | unsafe_world          # every unsafe query counts, searched yet or not
rows = []
for cut in (0.3, 0.5, 0.7, 0.9):
    flagged = {q for q in pool if qa.is_blocked(q) or qa.unsafe_score(q) >= cut}
    rows.append({"classifier cut": cut,
                 "unsafe queries let through": len(unsafe_world - flagged),
                 "benign queries removed": len(flagged - unsafe_world),
                 "share of searches removed wrongly": round(
                     sum(searched[q] for q in flagged - unsafe_world) / len(history), 4)})
show.table(rows, title="The filter on the history window's queries and the known unsafe ones")
blocked_only = sorted(q for q in unsafe_world if qa.is_blocked(q))
print("caught by the blocklist:", blocked_only)
print("caught by the classifier only:", sorted(unsafe_world - set(blocked_only)))
print("benign but removed at 0.5:", sorted(q for q in qa.RISKY_BENIGN if qa.is_unsafe(q)))

raw = qa.evaluate("recency", safe=False)
safe = qa.evaluate("recency")
keys = sum(len(s["rr"]) for s in safe)


def mrr(run):
    return math.fsum(math.fsum(s["rr"][:6]) / len(s["rr"][:6]) for s in run) / len(run)


show.table([
    {"index": name, "MRR, first 6 keys": round(mrr(run), 4),
     "keys saved per search": round(sum(s["saved"] for s in run) / len(run), 3),
     "lists with a flagged suggestion, per 1,000": round(1000 * sum(s["unsafe_lists"] for s in run) / keys, 2),
     f"lists showing {qa.HARMFUL_TREND!r}, per 1,000": round(1000 * sum(s["trend_lists"] for s in run) / keys, 2)}
    for name, run in (("unfiltered", raw), ("filtered", safe))], title="What filtering costs")

cost = mrr(raw) - mrr(safe)
print(f"MRR given up by filtering: {cost:.4f} ({cost / mrr(raw):.1%})")
# The page: at 0.5 the filter lets no known unsafe query through and wrongly removes three benign
# ones; at 0.7 it removes none of them but lets one unsafe query through.
at = {r["classifier cut"]: r for r in rows}
assert at[0.5]["unsafe queries let through"] == 0 and at[0.5]["benign queries removed"] == 3, \
    f"the page quotes, at 0.5, no unsafe query let through and 3 benign ones removed, got {at[0.5]}"
assert at[0.7]["unsafe queries let through"] == 1 and at[0.7]["benign queries removed"] == 0, \
    f"the page quotes, at 0.7, one unsafe query let through and no benign one removed, got {at[0.7]}"
assert at[0.3]["benign queries removed"] > at[0.5]["benign queries removed"], "a lower cut removes more"
assert at[0.9]["unsafe queries let through"] > 0, "a higher cut lets more through"
assert len(blocked_only) == len(unsafe_world) - 1, "the page says the blocklist alone misses one of the six"
# Filtering costs a fraction of a per cent of MRR (0.1 % here; 0.3 % to 1 % on other seeds), and
# removes every flagged suggestion from the lists; the new harmful query is flagged by neither
# layer, so it is still shown.
assert 0 < cost < 0.02 * mrr(raw), f"the page says filtering costs under 2 % of MRR, got {cost / mrr(raw):.1%}"
assert sum(s["unsafe_lists"] for s in raw) > 0 == sum(s["unsafe_lists"] for s in safe), \
    "the page says the filter removes every flagged suggestion that the unfiltered index shows"
assert sum(s["trend_lists"] for s in safe) > 0, "the page says the new harmful query is still shown"
