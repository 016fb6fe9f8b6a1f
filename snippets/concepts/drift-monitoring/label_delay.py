# Labels arrive late. A purchase follows its click after a delay (exponential, mean
# MEAN_DELAY days). On day NOW we chart the conversion rate of each day's clicks, counting
# only the purchases that have arrived so far. From day DROP_DAY the true rate really falls.
import math
import random
from mlsd import monitoring, show

DAYS, CLICKS_PER_DAY = 30, 2000
MEAN_DELAY = 3.0                    # days from click to purchase, on average
RATE, DROPPED_RATE, DROP_DAY = 0.05, 0.04, 24
MATURE_AFTER = 10                   # wait this many days before trusting a day's rate
NOW = float(DAYS)

rng = random.Random(0)
click_time, bought_at = [], []
for day in range(DAYS):
    rate = RATE if day < DROP_DAY else DROPPED_RATE
    for _ in range(CLICKS_PER_DAY):
        t = day + rng.random()
        click_time.append(t)
        bought_at.append(t + rng.expovariate(1 / MEAN_DELAY) if rng.random() < rate else None)

by_day = [[] for _ in range(DAYS)]
for i, t in enumerate(click_time):
    by_day[int(t)].append(i)
naive, true_rate = [], []
for idx in by_day:
    naive.append(round(sum(bought_at[i] is not None and bought_at[i] <= NOW for i in idx) / len(idx), 4))
    true_rate.append(round(sum(bought_at[i] is not None for i in idx) / len(idx), 4))
show.line_chart(list(range(1, DAYS + 1)), {"dashboard on day 30": naive, "true rate": true_rate},
                x_title="day of the click", y_title="conversion rate",
                title="Recent days always look bad: their purchases have not arrived yet")
split = monitoring.split_by_label_delay(click_time, NOW, MATURE_AFTER)
mature_days = DAYS - MATURE_AFTER
print(f"with a {MATURE_AFTER}-day maturity rule, {split['coverage']:.0%} of clicks are usable "
      f"(days 1-{mature_days}); they already hold {math.fsum(naive[:mature_days]) / math.fsum(true_rate[:mature_days]):.1%} of their purchases")
print(f"the last day shows {naive[-1]:.2%} against a true {true_rate[-1]:.2%} "
      f"({naive[-1] / true_rate[-1]:.0%} of it)")
before = math.fsum(naive[DROP_DAY - 6:DROP_DAY]) / 6
after = math.fsum(naive[DROP_DAY:]) / (DAYS - DROP_DAY)
print(f"dashboard, days {DROP_DAY - 5}-{DROP_DAY} vs {DROP_DAY + 1}-{DAYS}: {before:.2%} vs {after:.2%} "
      f"(true: {RATE:.0%} vs {DROPPED_RATE:.0%})")
# The claims on the page, for the settings above.
if (DAYS, CLICKS_PER_DAY, MEAN_DELAY, RATE, DROPPED_RATE, DROP_DAY, MATURE_AFTER) == (30, 2000, 3.0, 0.05, 0.04, 24, 10):
    assert naive[-1] < 0.25 * true_rate[-1]                       # the last day looks like a collapse
    assert math.fsum(naive[:mature_days]) > 0.95 * math.fsum(true_rate[:mature_days])   # mature days are right
    assert after < 0.7 * before                                    # the real 20 % drop looks like 30 %+
    assert DROP_DAY + 1 > mature_days                              # and no mature day shows it yet
