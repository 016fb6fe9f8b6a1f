# Asynchronous training with a parameter server: workers pull the weights, compute a
# gradient, and push it back without waiting for each other. By the time a gradient
# arrives, the server has applied others: it was computed on weights STALENESS updates old.
# Logistic regression by mini-batch SGD on a synthetic problem, same data and order for all.
import math
import random
from mlsd import show
from mlsd.ranking import sigmoid

D, TRAIN, TEST = 8, 4000, 500
BATCH, STEPS, LR = 16, 1200, 1.0
STALENESS = [0, 4, 16, 48]            # updates between reading the weights and applying the gradient
EVERY = 100

rng = random.Random(0)
true_w = [rng.gauss(0, 1.5) for _ in range(D)]
X = [[rng.gauss(0, 1) for _ in range(D)] for _ in range(TRAIN + TEST)]
y = [1 if rng.random() < sigmoid(math.fsum(a * b for a, b in zip(true_w, x))) else 0 for x in X]
batches = [[rng.randrange(TRAIN) for _ in range(BATCH)] for _ in range(STEPS)]


def test_loss(w):
    total = 0.0
    for x, t in zip(X[TRAIN:], y[TRAIN:]):
        p = min(max(sigmoid(math.fsum(a * b for a, b in zip(w, x))), 1e-12), 1 - 1e-12)
        total -= math.log(p) if t else math.log(1 - p)
    return total / TEST


def train(staleness, lr):
    history = [[0.0] * D]                    # the server's weights after every update
    curve = []
    for step, batch in enumerate(batches):
        read = history[max(0, len(history) - 1 - staleness)]     # what the worker pulled
        grad = [0.0] * D
        for i in batch:
            err = sigmoid(math.fsum(a * b for a, b in zip(read, X[i]))) - y[i]
            for j in range(D):
                grad[j] += err * X[i][j] / BATCH
        history.append([w - lr * g for w, g in zip(history[-1], grad)])
        if (step + 1) % EVERY == 0:
            curve.append(round(test_loss(history[-1]), 4))
    return curve


best = round(test_loss(true_w), 4)
curves = {f"staleness {s}": train(s, LR) for s in STALENESS}
damped = train(STALENESS[-1], LR / 4)
curves[f"staleness {STALENESS[-1]}, lr / 4"] = damped
steps = list(range(EVERY, STEPS + 1, EVERY))
show.line_chart(steps, {**curves, "true weights": [best] * len(steps)}, x_title="updates",
                y_title="test log loss", title="Stale gradients slow down, then destabilize SGD", y_zero=False)
final = {name: c[-1] for name, c in curves.items()}
show.table([{"run": name, f"test log loss after {STEPS} updates": v,
             "worst point after the first 300 updates": max(curves[name][2:])} for name, v in final.items()])
fresh, mild, medium, stale = (curves[f"staleness {s}"] for s in STALENESS)
print(f"best possible (true weights): {best}; fresh gradients reach {fresh[-1]}, "
      f"staleness {STALENESS[-1]} ends at {stale[-1]}, and {damped[-1]} with a 4x smaller learning rate")
# The claims on the page, for the settings above.
if (D, TRAIN, BATCH, STEPS, LR, STALENESS) == (8, 4000, 16, 1200, 1.0, [0, 4, 16, 48]):
    assert fresh[-1] < best + 0.03 and mild[-1] < best + 0.03         # a little staleness is harmless
    assert stale[-1] > fresh[-1] + 0.05                                # a lot is not
    assert max(stale[2:]) > max(fresh[2:]) + 0.05                      # it oscillates
    assert damped[-1] < stale[-1]                                      # a smaller step tames it
