"""Tests for mlsd.ranking.multitask: shared and separate logistic heads."""

import math
import random

import pytest

from mlsd import metrics
from mlsd.ranking.multitask import MultiTaskLogistic


def _data(n=3000, seed=0, rare_rate=-4.5):
    """Two tasks driven by the same direction of x: a common one and a rare one."""
    rng = random.Random(seed)
    X, Y = [], {"common": [], "rare": []}
    for _ in range(n):
        x = [rng.gauss(0, 1) for _ in range(6)]
        s = x[0] + 0.5 * x[1] - 0.5 * x[2]
        X.append(x)
        Y["common"].append(int(rng.random() < 1 / (1 + math.exp(-(-1.0 + 1.5 * s)))))
        Y["rare"].append(int(rng.random() < 1 / (1 + math.exp(-(rare_rate + 1.5 * s)))))
    return X, Y


@pytest.mark.parametrize("shared", [True, False])
def test_heads_learn_and_are_calibrated_on_training_data(shared):
    X, Y = _data()
    model = MultiTaskLogistic(["common", "rare"], shared=shared, epochs=3, seed=1).fit(X, Y)
    p = model.predict_proba(X)
    assert metrics.roc_auc(Y["common"], p["common"]) > 0.8
    for task in ("common", "rare"):
        assert sum(p[task]) == pytest.approx(sum(Y[task]), rel=1e-3)   # bias calibration step


def test_rare_task_borrows_from_the_common_one():
    X, Y = _data(n=2000, seed=3, rare_rate=-6.0)
    Xt, Yt = _data(n=4000, seed=4, rare_rate=-6.0)
    assert sum(Y["rare"]) < 40
    auc = {}
    for shared in (True, False):
        m = MultiTaskLogistic(["common", "rare"], shared=shared, rank=1, task_l2=0.05, epochs=3,
                              seed=0).fit(X, Y)
        auc[shared] = metrics.roc_auc(Yt["rare"], m.decision_function(Xt)["rare"])
    assert auc[True] > auc[False]


def test_effective_weights_match_predictions():
    X, Y = _data(n=500)
    m = MultiTaskLogistic(["common", "rare"], shared=True, rank=2).fit(X, Y)
    w = m.effective_weights()
    z = m.decision_function(X[:3])
    for k, task in enumerate(m.tasks):
        for i in range(3):
            assert z[task][i] == pytest.approx(m.bias[k] + sum(a * b for a, b in zip(w[task], X[i])))


def test_sample_weights_keep_probabilities_calibrated_after_downsampling():
    X, Y = _data(n=6000, seed=5)
    rng = random.Random(0)
    keep = [i for i in range(len(X)) if Y["common"][i] or Y["rare"][i] or rng.random() < 0.2]
    w = [1.0 if (Y["common"][i] or Y["rare"][i]) else 5.0 for i in keep]
    m = MultiTaskLogistic(["common", "rare"], epochs=2).fit(
        [X[i] for i in keep], {t: [Y[t][i] for i in keep] for t in Y}, sample_weight=w)
    p = m.predict_proba(X)
    assert sum(p["common"]) == pytest.approx(sum(Y["common"]), rel=0.1)


def test_deterministic_for_a_seed():
    X, Y = _data(n=300)
    a = MultiTaskLogistic(["common", "rare"], seed=2).fit(X, Y).decision_function(X[:5])
    b = MultiTaskLogistic(["common", "rare"], seed=2).fit(X, Y).decision_function(X[:5])
    assert a == b


def test_divergence_is_reported():
    X, Y = _data(n=300)
    X = [[1e6 * v for v in row] for row in X]
    with pytest.raises(ValueError, match="diverged"):
        MultiTaskLogistic(["common", "rare"], learning_rate=10.0).fit(X, Y)


@pytest.mark.parametrize("kwargs, err, match", [
    (dict(tasks="click"), TypeError, "tasks"),
    (dict(tasks=[]), ValueError, "tasks"),
    (dict(tasks=["a", "a"]), ValueError, "distinct"),
    (dict(tasks=["a"], shared=1), TypeError, "shared"),
    (dict(tasks=["a"], rank=0), ValueError, "rank"),
    (dict(tasks=["a"], rank=1.5), TypeError, "rank"),
    (dict(tasks=["a"], learning_rate=-1), ValueError, "learning_rate"),
    (dict(tasks=["a"], l2=-1), ValueError, "l2"),
    (dict(tasks=["a"], epochs=0), ValueError, "epochs"),
    (dict(tasks=["a"], seed=1.0), TypeError, "seed"),
])
def test_bad_arguments(kwargs, err, match):
    tasks = kwargs.pop("tasks")
    with pytest.raises(err, match=match):
        MultiTaskLogistic(tasks, **kwargs)


def test_bad_data():
    m = MultiTaskLogistic(["a", "b"])
    with pytest.raises(ValueError, match="empty"):
        m.fit([], {"a": [], "b": []})
    with pytest.raises(ValueError, match=r"no labels for task\(s\) \['b'\]"):
        m.fit([[1.0]], {"a": [1]})
    with pytest.raises(ValueError, match=r"Y\['b'\] has 2 labels"):
        m.fit([[1.0]], {"a": [1], "b": [0, 1]})
    with pytest.raises(ValueError, match=r"must be 0 or 1"):
        m.fit([[1.0]], {"a": [2], "b": [0]})
    with pytest.raises(ValueError, match=r"X\[1\] has 1 values, expected 2"):
        m.fit([[1.0, 2.0], [1.0]], {"a": [1, 0], "b": [0, 1]})
    with pytest.raises(ValueError, match=r"X\[0\]\[1\] must be a finite number"):
        m.fit([[1.0, float("nan")]], {"a": [1], "b": [0]})
    with pytest.raises(TypeError, match="Y must be a dict"):
        m.fit([[1.0]], [[1, 0]])
    with pytest.raises(ValueError, match="sample_weight has 2 values"):
        m.fit([[1.0]], {"a": [1], "b": [0]}, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="call fit"):
        m.predict_proba([[1.0]])
    m.fit([[1.0], [0.0]], {"a": [1, 0], "b": [0, 1]})
    with pytest.raises(ValueError, match=r"X\[1\]\[0\] must be a finite number"):
        m.predict_proba([[1.0], ["x"]])
    with pytest.raises(ValueError, match=r"X\[0\] has 2 values, expected 1"):
        m.decision_function([[1.0, 2.0]])


def _reference_fit(model, X, Y, weights):
    """fit() written plainly (a loop per head and per column, a call per sigmoid): the fast
    fit() must give bit-identical parameters."""
    from operator import mul
    from mlsd.ranking.multitask import _sigmoid
    n, width, tasks = len(X), len(X[0]), model.tasks
    rows = [([j for j, v in enumerate(row) if v], [float(v) for v in row if v]) for row in X]
    labels = [[int(y) for y in Y[t]] for t in tasks]
    total_w = math.fsum(weights)
    b = []
    for ys in labels:
        rate = min(max(math.fsum(w for w, y in zip(weights, ys) if y) / total_w, 1e-6), 1 - 1e-6)
        b.append(math.log(rate / (1 - rate)))
    W = [[0.0] * width for _ in tasks]
    rng = random.Random(model.seed)
    rank = model.rank
    V = [[rng.gauss(0.0, 0.1) for _ in range(width)] for _ in range(rank)] if model.shared else []
    U = [[0.0] * rank for _ in tasks] if model.shared else []
    order = list(range(n))
    for epoch in range(model.epochs):
        rng.shuffle(order)
        lr = model.learning_rate / math.sqrt(1 + epoch)
        keep_w, keep_s = 1.0 - lr * model.task_l2, 1.0 - lr * model.l2
        for i in order:
            cols, vals = rows[i]
            h = [sum(map(mul, [Vr[j] for j in cols], vals)) for Vr in V]
            g = [0.0] * rank
            for k in range(len(tasks)):
                z = b[k] + sum(map(mul, [W[k][j] for j in cols], vals))
                if model.shared:
                    z += sum(map(mul, U[k], h))
                e = (_sigmoid(z) - labels[k][i]) * weights[i]
                b[k] -= lr * e
                for j, v in zip(cols, vals):
                    W[k][j] = W[k][j] * keep_w - lr * e * v
                for r in range(rank if model.shared else 0):
                    g[r] += e * U[k][r]
                    U[k][r] = U[k][r] * keep_s - lr * e * h[r]
            for r in range(rank if model.shared else 0):
                for j, v in zip(cols, vals):
                    V[r][j] = V[r][j] * keep_s - lr * g[r] * v
    eff = [list(w) for w in W]
    for k in range(len(tasks)):
        for r in range(rank if model.shared else 0):
            eff[k] = [a + U[k][r] * v for a, v in zip(eff[k], V[r])]
    for k in range(len(tasks)):
        zs = [b[k] + sum(map(mul, eff[k], row)) for row in X]
        target = math.fsum(w for w, y in zip(weights, labels[k]) if y)
        shift = 0.0
        for _ in range(20):
            ps = [_sigmoid(z + shift) for z in zs]
            gap = math.fsum(w * p for w, p in zip(weights, ps)) - target
            slope = math.fsum([w * p * (1 - p) for w, p in zip(weights, ps)])
            if slope <= 0 or abs(gap) <= 1e-9 * total_w:
                break
            shift -= gap / slope
        b[k] += shift
    return b, W, V, U


@pytest.mark.parametrize("shared", [True, False])
def test_fast_fit_equals_the_plain_algorithm(shared):
    X, Y = _data(n=800, seed=3)
    for row in X[::3]:                     # sparse rows, and one row with a single non-zero
        row[1] = row[4] = 0.0
    X[5] = [0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
    w = [1.0 if y else 4.0 for y in Y["common"]]
    m = MultiTaskLogistic(["common", "rare"], shared=shared, epochs=2, seed=2).fit(X, Y, w)
    b, W, V, U = _reference_fit(m, X, Y, w)
    assert (m.bias, m.weights, m.V, m.U) == (b, W, V, U)
    # predictions: b + sum(map(mul, w, row)) and _sigmoid, row by row
    from operator import mul
    from mlsd.ranking.multitask import _sigmoid
    eff, p = m.effective_weights(), m.predict_proba(X)
    for k, t in enumerate(m.tasks):
        assert p[t] == [_sigmoid(m.bias[k] + sum(map(mul, eff[t], row))) for row in X]


def test_fast_checks_equal_the_row_by_row_ones():
    from mlsd.ranking.multitask import _gather, _rows
    X = [[0.0, 1.5, 0.0, 2], [3, 0, 0, 0], [0, 0, 0, 0]]
    assert _rows(X) == _rows(X, width=4) == [([1, 3], [1.5, 2.0]), ([0], [3.0]), ([], [])]
    assert _gather([1, 3])([5, 6, 7, 8]) == (6, 8) and _gather([2])([5, 6, 7]) == (7,)
    assert _gather([])([5]) == ()
    m = MultiTaskLogistic(["a"], epochs=1)
    # integer and float weights, and True/1.0 labels, train the same model
    m1 = m.fit(X, {"a": [1, 0, 1]}, sample_weight=[1, 2, 1])
    state = (m1.bias, m1.weights, m1.V)
    m2 = MultiTaskLogistic(["a"], epochs=1).fit(X, {"a": [True, 0.0, 1.0]}, sample_weight=[1.0, 2.0, 1.0])
    assert (m2.bias, m2.weights, m2.V) == state
    for bad, match in (([1.0, 0.0, 1.0], r"sample_weight\[1\] must be positive"),
                       ([1.0, True, 1.0], r"sample_weight\[1\] must be a positive number"),
                       ([1.0, 1.0, float("inf")], r"sample_weight\[2\] must be positive")):
        with pytest.raises((ValueError, TypeError), match=match):
            MultiTaskLogistic(["a"]).fit(X, {"a": [1, 0, 1]}, sample_weight=bad)
    for bad in ([1, [0], 1], [1, 0, 2], [1, float("nan"), 0]):
        with pytest.raises(ValueError, match=r"Y\['a'\]\[\d\] must be 0 or 1"):
            MultiTaskLogistic(["a"]).fit(X, {"a": bad})
    with pytest.raises(ValueError, match=r"X\[2\]\[0\] must be a finite number"):
        MultiTaskLogistic(["a"]).fit(X[:2] + [[True, 0, 0, 0]], {"a": [1, 0, 1]})
    with pytest.raises(TypeError, match=r"X\[1\] must be a list of numbers"):
        MultiTaskLogistic(["a"]).fit([[1.0], "x"], {"a": [1, 0]})
