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
blocked = alarm[harm] + REVIEW_HOURS
total = sum(shown[h].get(harm, 0) for h in hours)
before = sum(shown[h].get(harm, 0) for h in hours if h < blocked)
show.line_chart(hours, {harm: [shown[h].get(harm, 0) for h in hours],
                        "world cup final": [shown[h].get("world cup final", 0) for h in hours]},
                x_title="hour of the test window", y_title="lists showing it (sampled sessions)",
                title="Two new suggestions: one harmful, one not")
show.table([
    {"quantity": "first shown (hour of the test window)", "value": first},
    {"quantity": "alarm (hour)", "value": alarm[harm]},
    {"quantity": "blocked at request time (hour)", "value": blocked},
    {"quantity": "impressions before the block", "value": before},
    {"quantity": "impressions in the window without the alarm", "value": total},
    {"quantity": "other new suggestions that raised the alarm", "value": len(alarm) - 1},
    {"quantity": "new suggestions watched", "value": len(seen)},
], title=f"Report-rate alarm on {harm!r}")

# The page: the alarm fires on the harmful query and on no benign new suggestion (world cup final,
# shown about as often or more, is reported at the benign rate). It fires hours after the first impression, not
# minutes: reports need impressions. Blocking then spares a large part of the window's impressions
# (61 % here, 40-60 % on the other seeds we tried).
assert list(alarm) == [harm]
assert first < alarm[harm] < first + 36
assert before < 0.6 * total
assert seen["world cup final"] > 0.5 * seen[harm] and "world cup final" not in alarm
