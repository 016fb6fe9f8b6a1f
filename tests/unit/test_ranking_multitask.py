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
