# How often to retrain, and how fast must the pipeline be? To isolate staleness, each
# "retrain" here copies the world's true weights as they were when its training data ended
# (a perfect training run); the cell above showed that real training adds estimation error.
# A model retrained every T hours, with a pipeline that takes DELAY hours from the last
# event to serving, is between DELAY and DELAY + T hours old.
import math
import random

from mlsd import show
from mlsd.ranking import sigmoid

HOURS, EVENTS_PER_HOUR, D = 21 * 24, 20, 6
INTERVALS = [1, 6, 24, 72, 168]          # hours between retrains
DELAY = 2                                # hours from the last training event to serving
DELAYS = [0, 2, 12, 24, 48]              # pipeline delays compared at daily retraining
DRIFTS = {"slow drift": 0.01, "medium drift": 0.02, "fast drift": 0.04}   # weight step per hour


def excess_log_loss(p, q):
    return p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))


def entropy(p):
    return -p * math.log(p) - (1 - p) * math.log(1 - p)


rng = random.Random(0)
base = [rng.gauss(0, 1) for _ in range(D)]
steps = [[rng.gauss(0, 1) for _ in range(D)] for _ in range(HOURS)]      # the same walk, scaled
xs = [[[rng.gauss(0, 1) for _ in range(D)] for _ in range(EVENTS_PER_HOUR)] for _ in range(HOURS)]
first = max(INTERVALS) + max(DELAYS)     # score only hours where every model exists


def walk(sigma):
    history, w = [], list(base)
    for h in range(HOURS):
        w = [wi + sigma * s for wi, s in zip(w, steps[h])]
        history.append(w)
    return history


def mean_extra_loss(history, every, delay):
    total = 0.0
    for h in range(first, HOURS):
        trained = history[(h // every) * every - delay]           # weights when its data ended
        for x in xs[h]:
            p = sigmoid(-2.0 + math.fsum(a * c for a, c in zip(history[h], x)))
            q = sigmoid(-2.0 + math.fsum(a * c for a, c in zip(trained, x)))
            total += excess_log_loss(p, q)
    return total / ((HOURS - first) * EVENTS_PER_HOUR)


histories = {label: walk(sigma) for label, sigma in DRIFTS.items()}
results = {label: [mean_extra_loss(histories[label], every, DELAY) for every in INTERVALS]
           for label in DRIFTS}
show.line_chart(INTERVALS, {k: [round(v, 5) for v in row] for k, row in results.items()},
                x_title="hours between retrains", y_title="mean extra log loss",
                title="Staleness costs grow with the model's age and with the speed of drift")
show.table([{"retrain every (hours)": every, "training runs per week": round(168 / every, 1),
             **{label: round(results[label][i], 5) for label in DRIFTS}} for i, every in enumerate(INTERVALS)])
slow, medium, fast = results.values()
daily, weekly = INTERVALS.index(24), INTERVALS.index(168)
print(f"weekly vs daily retraining: {medium[weekly] / medium[daily]:.1f}x the extra loss (medium drift)")
print(f"twice the drift speed: {fast[daily] / medium[daily]:.1f}x the extra loss at daily retraining")
print(f"daily retraining under fast drift ({fast[daily]:.4f}) loses more than weekly under slow drift "
      f"({slow[weekly]:.4f})")
# In log-loss terms (the relative change of normalized entropy): weekly against daily retraining.
floor = {label: math.fsum(entropy(sigmoid(-2.0 + math.fsum(a * c for a, c in zip(histories[label][h], x))))
                          for h in range(first, HOURS) for x in xs[h]) / ((HOURS - first) * EVENTS_PER_HOUR)
         for label in DRIFTS}
gap = {label: (row[weekly] - row[daily]) / (floor[label] + row[daily]) for label, row in results.items()}
print("weekly retraining's log loss above daily: " + ", ".join(f"{k} {v:.2%}" for k, v in gap.items()))

# The pipeline delay adds to the age of every model: daily retraining, medium drift.
by_delay = [mean_extra_loss(histories["medium drift"], 24, delay) for delay in DELAYS]
show.table([{"pipeline delay (hours)": delay, "model age (hours)": f"{delay} to {delay + 24}",
             "mean extra log loss": round(loss, 5), "vs no delay": round(loss / by_delay[0], 2)}
            for delay, loss in zip(DELAYS, by_delay)], title="Daily retraining, medium drift: the cost of a slow pipeline")
print(f"a {DELAYS[3]}-hour pipeline costs {by_delay[3] / by_delay[0]:.1f}x the loss of an instant one at daily "
      f"retraining; retraining every 72 hours with a {DELAY}-hour pipeline costs {medium[INTERVALS.index(72)] / by_delay[0]:.1f}x")
# The claims on the page.
if (HOURS, EVENTS_PER_HOUR, INTERVALS, DELAY, DELAYS, list(DRIFTS.values())) == (
        504, 20, [1, 6, 24, 72, 168], 2, [0, 2, 12, 24, 48], [0.01, 0.02, 0.04]):
    for row in results.values():
        assert all(a < b for a, b in zip(row, row[1:]))            # older models are always worse
    assert all(a < b for a, b in zip(by_delay, by_delay[1:]))      # so is a slower pipeline
    assert 3 < fast[daily] / medium[daily] < 5                      # loss ~ drift speed squared
    assert medium[weekly] / medium[daily] > 3                       # a week old is far worse than a day
    assert fast[daily] > slow[weekly]
    assert gap["slow drift"] < 0.01 < gap["fast drift"]              # slow drift is near He et al.'s ~1 %
    assert 0.8 < by_delay[3] / medium[INTERVALS.index(72)] < 1.25   # a day of pipeline ~ retraining every 3 days
