# The query log and its time-based split: 28 days of searches, the last four held out.
from collections import Counter

from casestudies import query_autocomplete as qa
from mlsd import show

history, test = qa.split()
seen = Counter(q for _, _, q in history)
users = {}
for _, user, q in history:
    users.setdefault(q, set()).add(user)
indexed = sum(len(u) >= qa.MIN_USERS for u in users.values())

# How often a user types a query they typed before (in the test window, against their history).
past = {}
for _, user, q in history:
    past.setdefault(user, set()).add(q)
repeats = 0
for _, user, q in test:
    repeats += q in past.get(user, ())
    past.setdefault(user, set()).add(q)
unseen = sum(q not in seen for _, _, q in test)
rare = sum(len(users.get(q, ())) < qa.MIN_USERS for _, _, q in test)

show.table([
    {"window": "history", "days": f"0 to {qa.SPLIT_DAY:g}", "searches": len(history),
     "distinct queries": len(seen)},
    {"window": "test", "days": f"{qa.SPLIT_DAY:g} to {qa.WORLD['days']}", "searches": len(test),
     "distinct queries": len({q for _, _, q in test})},
], title="The log")
show.table([{"query": q, "searches": c, "share": round(c / len(history), 4)}
            for q, c in seen.most_common(8)], title="Most searched queries in the history window")
show.table([
    {"quantity": "queries indexed (issued by at least 2 users)", "value": indexed},
    {"quantity": "test searches the user typed before", "value": round(repeats / len(test), 3)},
    {"quantity": "test searches never seen in the history", "value": round(unseen / len(test), 3)},
    {"quantity": "test searches not indexable from the history", "value": round(rare / len(test), 3)},
], title="What the design must handle")

days = list(range(qa.WORLD["days"]))
daily = {name: [0] * len(days) for name in ("winter olympics", "world cup final", qa.HARMFUL_TREND)}
per_day = [0] * len(days)
for day, _, q in qa.sessions():
    per_day[int(day)] += 1
    if q in daily:
        daily[q][int(day)] += 1
show.line_chart(days, {q: [c / n for c, n in zip(v, per_day)] for q, v in daily.items()},
                x_title="day", y_title="share of the day's searches",
                title="A query that fades and two that trend in the test window")

assert max(d for d, *_ in history) < qa.SPLIT_DAY <= min(d for d, *_ in test), "no future inside the history"
# The page: a Zipf head (youtube leads with about 7 % of searches, the top 8 take about 30 %),
# 42 % of test searches repeat one of the user's own earlier queries, about one test search in
# ten was issued by fewer than two users before (the index cannot suggest it), and a bit over half
# of the distinct queries can be suggested.
top8 = sum(c for _, c in seen.most_common(8)) / len(history)
assert 0.25 < top8 < 0.35, f"the page says the top 8 queries take about 30 % of searches, got {top8:.1%}"
assert seen.most_common(1)[0][0] == "youtube" and 0.05 < seen["youtube"] / len(history) < 0.08, \
    "the page says youtube leads with about 7 % of searches"
assert 0.38 < repeats / len(test) < 0.46, f"the page quotes 42 % repeats, got {repeats / len(test):.1%}"
assert 0.07 < rare / len(test) < 0.13 and unseen < rare, \
    f"the page quotes about one test search in ten not indexable, got {rare / len(test):.1%}"
assert 0.5 < indexed / len(seen) < 0.65, f"the page quotes 1,030 of 1,800 queries suggestible, got {indexed:,} of {len(seen):,}"
# The fading query stops on day 14; the trend starts on day 25.
assert sum(daily["winter olympics"][14:]) < 0.1 * sum(daily["winter olympics"][:14]), "the page says it fades on day 14"
assert sum(daily["world cup final"][:25]) == 0 < sum(daily["world cup final"][25:]), "the page says it starts on day 25"
print(f"{len(history) + len(test):,} searches by {qa.WORLD['n_users']:,} users over {len(qa.CITIES)} cities; "
      f"{indexed:,} of {len(seen):,} distinct queries can be suggested")
