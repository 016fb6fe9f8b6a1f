# Random split vs time-based split on the same click log.
# The log has a trend: from day 21 on, users drift toward one "trending" topic.
# A random split lets the model learn that trend from rows dated after the rows it is tested on.
import random
from mlsd import metrics, show
from mlsd.data.recsys import click_rate_model, make_recsys

data = make_recsys(seed=0, n_events=12_000)
events = data.events                        # sorted by time, over 28 days


def auc(train_rows, test_rows):
    # smoothed click rate per (user, topic) and per item, added on the log-odds scale
    model = click_rate_model(data, train_rows)
    return metrics.roc_auc([e.clicked for e in test_rows], [model(e) for e in test_rows])

# Time-based: train on days 0-21, test on days 21-28 (what a launch on day 21 would face).
past, future = data.split_by_time(data.drift_day)
# Random: the same test size, drawn from all 28 days.
shuffled = list(events)
random.Random(0).shuffle(shuffled)
rand_test, rand_train = shuffled[:len(future)], shuffled[len(future):]

rows = [
    {"split": "random", "train rows": len(rand_train), "test rows": len(rand_test),
     "test AUC": round(auc(rand_train, rand_test), 4)},
    {"split": "time-based", "train rows": len(past), "test rows": len(future),
     "test AUC": round(auc(past, future), 4)},
]
show.table(rows, title="Same model, same data, two ways to split it")
gap = rows[0]["test AUC"] - rows[1]["test AUC"]
print(f"the random split overstates AUC by {gap:.3f}")

assert rows[0]["train rows"] == rows[1]["train rows"]   # a fair comparison: same amount of data
assert gap > 0.03                                        # look-ahead makes the model look better
