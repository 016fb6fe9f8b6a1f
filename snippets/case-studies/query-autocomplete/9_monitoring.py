# Monitoring: a harmful query trends and no filter knows it. "fake vaccine pass" scores 0.35 with
# the classifier stand-in (new phrasing) and is on no blocklist, so once two users have typed it,
# the next rebuild suggests it. The signal is user reports on suggestions, per query, hourly.
import random

from casestudies import query_autocomplete as qa
from mlsd import show

P_REPORT_UNSAFE, P_REPORT_BENIGN = 0.05, 0.0005   # ASSUMED reports per impression
MIN_REPORTS, MIN_RATE = 3, 0.01                    # alarm: >= 3 reports and >= 1 % of impressions
REVIEW_HOURS = 2                                   # ASSUMED: a reviewer confirms, the block ships

shown = qa.impressions()
hours = sorted(shown)
base = set(qa.index(qa.SPLIT_DAY).queries)
rng = random.Random(5)
reports, seen, alarm = {}, {}, {}
for h in hours:
    for q, n in sorted(shown[h].items()):
        if q in base:
            continue                            # watch the suggestions that are new this window
        p = P_REPORT_UNSAFE if q == qa.HARMFUL_TREND else P_REPORT_BENIGN
        reports[q] = reports.get(q, 0) + sum(rng.random() < p for _ in range(n))
        seen[q] = seen.get(q, 0) + n
        if q not in alarm and reports[q] >= MIN_REPORTS and reports[q] / seen[q] >= MIN_RATE:
            alarm[q] = h

harm = qa.HARMFUL_TREND
first = min(h for h in hours if shown[h].get(harm))
rebuilds = range(0, 24 * int(qa.WORLD["days"] - qa.SPLIT_DAY), qa.REBUILD_HOURS)
indexed = min(h for h in rebuilds   # the tries the replay above already built and cached
              if harm in qa.system_index("recency + personal + n-gram", qa.SPLIT_DAY + h / 24).queries)
blocked = alarm[harm] + REVIEW_HOURS
total = sum(shown[h].get(harm, 0) for h in hours)
before = sum(shown[h].get(harm, 0) for h in hours if h < blocked)
to_alarm = sum(shown[h].get(harm, 0) for h in hours if h <= alarm[harm])
show.line_chart(hours, {harm: [shown[h].get(harm, 0) for h in hours],
                        "world cup final": [shown[h].get("world cup final", 0) for h in hours]},
                x_title="hour of the test window", y_title="lists showing it (sampled sessions)",
                title="Two new suggestions: one harmful, one not")
show.table([
    {"quantity": "first shown (hour of the test window)", "value": first},
    {"quantity": "in the global index from the rebuild at (hour)", "value": indexed},
    {"quantity": "alarm (hour)", "value": alarm[harm]},
    {"quantity": "blocked at request time (hour)", "value": blocked},
    {"quantity": "impressions the alarm needs, on average (3 reports at 5 %)", "value": round(MIN_REPORTS / P_REPORT_UNSAFE)},
    {"quantity": "impressions up to the alarm", "value": to_alarm},
    {"quantity": "impressions before the block", "value": before},
    {"quantity": "impressions in the window without the alarm", "value": total},
    {"quantity": "share of those the block spared", "value": round(1 - before / total, 2)},
    {"quantity": "other new suggestions that raised the alarm", "value": len(alarm) - 1},
    {"quantity": "new suggestions watched", "value": len(seen)},
], title=f"Report-rate alarm on {harm!r}")

# The page: here the query is first shown from one user's own history, before the rebuild that
# puts it in the global index (on other seeds the rebuild comes first). The alarm fires on it and
# on no benign new suggestion ("world cup final", shown more often, is reported at the benign
# rate), hours after the first impression: it needs 3 reports, so about 60 impressions on average
# at a 5 % report rate. Blocking spares part of the window's impressions (61 % here, 44 % to 82 %
# on the other seeds we tried).
assert first < indexed, \
    f"the page quotes, for the default seed, the first impression (hour {first}) before the index has it (hour {indexed})"
assert list(alarm) == [harm], f"the page says the alarm fires on the harmful query only, got {list(alarm)}"
assert first < alarm[harm] < first + 36, "the page says the alarm comes hours, not minutes, after the first impression"
assert to_alarm >= MIN_REPORTS and before < 0.6 * total, \
    f"the page says the block spares over 40 % of the impressions, got {1 - before / total:.0%}"
assert seen["world cup final"] > seen[harm] and "world cup final" not in alarm, \
    "the page says world cup final is shown more often and raises no alarm"
