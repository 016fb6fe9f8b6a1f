"""Tests for mlsd.mmoe (experts, per-task gates, position tower) and mlsd.data.engagement."""

import math

import pytest

from mlsd import metrics
from mlsd.data.engagement import make_logged_lists, make_two_tasks, solve_intercept
from mlsd.mmoe import MMoE, three_ways


def _small(n=1500, correlation=0.9, seed=0):
    return make_two_tasks(n=n, correlation=correlation, d=4, rates=(0.2, 0.1), seed=seed)


@pytest.mark.parametrize("n_experts", [1, 3])
def test_heads_learn_both_tasks(n_experts):
    data = _small()
    model = MMoE(["click", "long_watch"], n_experts=n_experts, expert_units=4, epochs=3).fit(
        data.X[:1000], {t: y[:1000] for t, y in data.labels.items()})
    p = model.predict_proba(data.X[1000:])
    for t in ("click", "long_watch"):
        assert metrics.roc_auc(data.labels[t][1000:], p[t]) > 0.75
        assert all(0 < q < 1 for q in p[t])


def test_gates_are_distributions_and_one_expert_is_a_shared_bottom():
    data = _small(n=300)
    Y = data.labels
    mm = MMoE(["click", "long_watch"], n_experts=3, epochs=1).fit(data.X, Y)
    for g in mm.mean_gates(data.X).values():
        assert len(g) == 3 and sum(g) == pytest.approx(1.0)
    sb = MMoE(["click", "long_watch"], n_experts=1, epochs=1).fit(data.X, Y)
    assert sb.mean_gates(data.X) == {"click": [1.0], "long_watch": [1.0]}


def test_hand_computed_forward_pass():
    model = MMoE(["a", "b"], n_experts=2, expert_units=1).fit([[1.0, 0.0], [0.0, 1.0]],
                                                                {"a": [1, 0], "b": [0, 1]})
    # Overwrite the weights with numbers we can follow by hand.
    model.W = [[[1.0, 0.0]], [[0.0, 2.0]]]        # expert 0 reads x0, expert 1 reads 2 * x1
    model.c = [[0.0], [0.0]]
    model.G = [[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [math.log(3.0), 0.0]]]
    model.U = [[1.0], [1.0]]
    model.bias = [0.0, -1.0]
    z = model.decision_function([[1.0, 1.0]])
    # Task a: gates (1/2, 1/2) -> mix 0.5 * 1 + 0.5 * 2 = 1.5. Task b: gates (1/4, 3/4) -> 1.75 - 1.
    assert z["a"][0] == pytest.approx(1.5)
    assert z["b"][0] == pytest.approx(0.75)


def test_training_step_moves_towards_the_label():
    X, Y = [[1.0, -0.5]] * 20, {"t": [1] * 19 + [0]}
    model = MMoE(["t"], n_experts=1, expert_units=2, learning_rate=0.2, epochs=5).fit(X, Y)
    assert model.predict_proba([[1.0, -0.5]])["t"][0] > 0.9


def test_position_tower_learns_the_position_effect_and_is_left_out_at_serving():
    logs = make_logged_lists(n_lists=400, position_decay=1.0, seed=2)
    model = MMoE(["click"], n_experts=1, n_positions=logs.list_size, learning_rate=0.2, epochs=3).fit(
        logs.X, {"click": logs.clicks}, positions=logs.positions)
    offsets = model.position_offsets[0]
    assert offsets[0] > offsets[1] + 1 > max(offsets[5:]) + 1     # fewer clicks further down
    base = model.decision_function(logs.X[:5])["click"]
    at3 = model.decision_function(logs.X[:5], position=3)["click"]
    assert [b + offsets[3] for b in base] == pytest.approx(at3)


def test_generators_hit_their_rates_and_correlation_direction():
    hi = make_two_tasks(n=4000, correlation=0.95, rates=(0.1, 0.05), seed=2)
    lo = make_two_tasks(n=4000, correlation=-0.95, rates=(0.1, 0.05), seed=2)
    for data in (hi, lo):
        assert sum(data.probs["click"]) / 4000 == pytest.approx(0.1, abs=1e-3)
        assert sum(data.probs["long_watch"]) / 4000 == pytest.approx(0.05, abs=1e-3)

    def corr(a, b):
        ma, mb = sum(a) / len(a), sum(b) / len(b)
        cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
        return cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    assert corr(hi.probs["click"], hi.probs["long_watch"]) > 0.5
    assert corr(lo.probs["click"], lo.probs["long_watch"]) < 0
    assert solve_intercept([0.0, 0.0], 0.5) == pytest.approx(0.0, abs=1e-9)


def test_logged_lists_show_position_bias():
    logs = make_logged_lists(n_lists=500, position_decay=1.0, seed=0)
    top = [c for c, p in zip(logs.clicks, logs.positions) if p == 0]
    bottom = [c for c, p in zip(logs.clicks, logs.positions) if p == 9]
    assert sum(top) > 3 * sum(bottom)
    assert len(logs.X) == 5000 and set(logs.positions) == set(range(10))


@pytest.mark.parametrize("kwargs, error, words", [
    ({"tasks": "click"}, TypeError, "tasks"),
    ({"tasks": []}, ValueError, "tasks"),
    ({"tasks": ["a", "a"]}, ValueError, "distinct"),
    ({"tasks": ["a"], "n_experts": 0}, ValueError, "n_experts"),
    ({"tasks": ["a"], "expert_units": 1.5}, TypeError, "expert_units"),
    ({"tasks": ["a"], "n_positions": -1}, ValueError, "n_positions"),
    ({"tasks": ["a"], "learning_rate": 0}, ValueError, "learning_rate"),
])
def test_bad_constructor_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        MMoE(**kwargs)


def test_bad_fit_and_predict_input():
    m = MMoE(["a"], n_experts=1)
    with pytest.raises(ValueError, match="fit"):
        m.predict_proba([[1.0]])
    with pytest.raises(TypeError, match="Y"):
        m.fit([[1.0]], [1])
    with pytest.raises(ValueError, match="no labels"):
        m.fit([[1.0]], {"b": [1]})
    with pytest.raises(ValueError, match=r"Y\['a'\]\[0\]"):
        m.fit([[1.0]], {"a": [2]})
    with pytest.raises(ValueError, match="n_positions"):
        m.fit([[1.0]], {"a": [1]}, positions=[0])
    with pytest.raises(ValueError, match=r"X\[1\]"):
        m.fit([[1.0], [float("nan")]], {"a": [1, 0]})
    p = MMoE(["a"], n_experts=1, n_positions=3)
    with pytest.raises(ValueError, match=r"positions\[1\]"):
        p.fit([[1.0], [0.0]], {"a": [1, 0]}, positions=[0, 3])
    with pytest.raises(TypeError, match=r"positions\[0\]"):
        p.fit([[1.0], [0.0]], {"a": [1, 0]}, positions=[0.5, 1])
    p.fit([[1.0], [0.0]], {"a": [1, 0]}, positions=[0, 1])
    with pytest.raises(ValueError, match="length 1"):
        p.predict_proba([[1.0, 2.0]])
    with pytest.raises(ValueError, match="positions"):
        p.predict_proba([[1.0]], position=5)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"correlation": 1.5}, ValueError, "correlation"),
    ({"rates": (0.1,)}, TypeError, "rates"),
    ({"rates": (0.1, 1.0)}, ValueError, r"rates\[1\]"),
    ({"d": 1}, ValueError, "d must"),
    ({"n": 0}, ValueError, "n must"),
])
def test_bad_generator_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        make_two_tasks(**kwargs)


def test_bad_logged_list_arguments():
    with pytest.raises(ValueError, match="position_decay"):
        make_logged_lists(position_decay=-1)
    with pytest.raises(ValueError, match="base_relevance"):
        make_logged_lists(base_relevance=0)
    with pytest.raises(ValueError, match="rate"):
        solve_intercept([0.0], 1.0)


def test_parameter_count_by_hand():
    X = [[0.0, 1.0, 0.5], [1.0, 0.0, 0.2]] * 5
    Y = {"a": [0, 1] * 5, "b": [1, 0] * 5}
    # shared bottom, 1 expert of 4 units on 3 inputs: 4*(3+1) + no gate + 2 heads of 4+1
    assert MMoE(["a", "b"], n_experts=1, expert_units=4, epochs=1).fit(X, Y).n_parameters() == 16 + 10
    # 3 experts of 2 units: 3*2*(3+1) + gates 2*3*3 + heads 2*(2+1)
    assert MMoE(["a", "b"], n_experts=3, expert_units=2, epochs=1).fit(X, Y).n_parameters() == 24 + 18 + 6
    with pytest.raises(ValueError, match="call fit"):
        MMoE(["a"]).n_parameters()


def test_three_ways_fits_each_architecture_and_counts_its_parameters():
    data = make_two_tasks(n=600, correlation=0.9, seed=1)
    tasks = ("click", "long_watch")
    train = {t: y[:300] for t, y in data.labels.items()}
    preds, size, mmoe = three_ways(data.X[:300], train, data.X[300:], tasks, units=4, n_experts=2,
                                   expert_units=2, seed=1)
    assert set(preds) == set(size) == {"separate", "shared-bottom", "MMoE"}
    assert all(set(p) == set(tasks) and all(len(v) == 300 for v in p.values()) for p in preds.values())
    d = len(data.X[0])
    assert size["separate"] == 2 * (4 * (d + 1) + 4 + 1)
    assert size["shared-bottom"] == 4 * (d + 1) + 2 * (4 + 1)
    assert size["MMoE"] == mmoe.n_parameters() == 2 * 2 * (d + 1) + 2 * 2 * d + 2 * (2 + 1)
    # the shared bottom is the MMoE class with one expert: same seed, same predictions
    same = MMoE(tasks, n_experts=1, expert_units=4, seed=1).fit(data.X[:300], train)
    assert preds["shared-bottom"] == same.predict_proba(data.X[300:])
    with pytest.raises(ValueError, match=r"Y_train has no labels for task\(s\) \['long_watch'\]"):
        three_ways(data.X[:300], {"click": train["click"]}, data.X[300:], tasks)
    with pytest.raises(TypeError, match="Y_train must be a dict"):
        three_ways(data.X[:300], [1, 0], data.X[300:], tasks)
