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
DRIFTS = {"slow drift": 0.01, "medium drift": 0.02, "fast drift": 0.04}   # weight step per hour


def excess_log_loss(p, q):
    return p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))


rng = random.Random(0)
base = [rng.gauss(0, 1) for _ in range(D)]
steps = [[rng.gauss(0, 1) for _ in range(D)] for _ in range(HOURS)]      # the same walk, scaled
xs = [[[rng.gauss(0, 1) for _ in range(D)] for _ in range(EVENTS_PER_HOUR)] for _ in range(HOURS)]
first = max(INTERVALS) + DELAY           # score only hours where every model exists

results = {}
for label, sigma in DRIFTS.items():
    history, w = [], list(base)
    for h in range(HOURS):
        w = [wi + sigma * s for wi, s in zip(w, steps[h])]
        history.append(w)
    row = []
    for every in INTERVALS:
        total = 0.0
        for h in range(first, HOURS):
            trained = history[(h // every) * every - DELAY]           # weights when its data ended
            for x in xs[h]:
                p = sigmoid(-2.0 + math.fsum(a * c for a, c in zip(history[h], x)))
                q = sigmoid(-2.0 + math.fsum(a * c for a, c in zip(trained, x)))
                total += excess_log_loss(p, q)
        row.append(round(total / ((HOURS - first) * EVENTS_PER_HOUR), 5))
    results[label] = row

show.line_chart(INTERVALS, results, x_title="hours between retrains", y_title="mean extra log loss",
                title="Staleness costs grow with the model's age and with the speed of drift")
show.table([{"retrain every (hours)": every, "training runs per week": round(168 / every, 1),
             **{label: results[label][i] for label in DRIFTS}} for i, every in enumerate(INTERVALS)])
slow, medium, fast = results.values()
print(f"weekly vs daily retraining: {medium[-1] / medium[2]:.1f}x the extra loss (medium drift)")
print(f"twice the drift speed: {fast[2] / medium[2]:.1f}x the extra loss at daily retraining")
print(f"daily retraining under fast drift ({fast[2]:.4f}) loses more than weekly under slow drift ({slow[-1]:.4f})")
# The claims on the page, for the settings above.
if (HOURS, EVENTS_PER_HOUR, INTERVALS, DELAY, list(DRIFTS.values())) == (504, 20, [1, 6, 24, 72, 168], 2, [0.01, 0.02, 0.04]):
    for row in results.values():
        assert all(a < b for a, b in zip(row, row[1:]))          # older models are always worse
    assert 3 < fast[2] / medium[2] < 5                            # loss ~ drift speed squared
    assert medium[-1] / medium[2] > 3                             # a week old is far worse than a day
    assert fast[2] > slow[-1]
