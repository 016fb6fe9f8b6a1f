"""Tests for mlsd.adaptation: token costs, break-even volume, the answer stand-in, LoRA counts."""

import math

import pytest

from mlsd.adaptation import (break_even_volume, context_use, expected_accuracy, lora_parameters, monthly_cost,
                             position_accuracy, request_cost, simulate_answers)


def test_request_cost_hand_computed():
    # 2,000 input tokens at $2.50 per million and 200 output tokens at $10 per million.
    assert request_cost(2000, 200, 2.5, 10.0) == pytest.approx(0.005 + 0.002)
    assert request_cost(0, 0, 2.5, 10.0) == 0.0


def test_monthly_cost_and_break_even_cross():
    # a: no fixed cost, $0.01 a request; b: $1,000 a month, $0.002 a request -> cross at 125,000.
    n = break_even_volume(0.0, 0.01, 1000.0, 0.002)
    assert n == pytest.approx(125_000)
    assert monthly_cost(n, 0.01) == pytest.approx(monthly_cost(n, 0.002, 1000.0))
    assert monthly_cost(2 * n, 0.002, 1000.0) < monthly_cost(2 * n, 0.01)
    # Symmetric in the order of the options.
    assert break_even_volume(1000.0, 0.002, 0.0, 0.01) == pytest.approx(125_000)


def test_break_even_none_when_one_option_dominates():
    assert break_even_volume(0.0, 0.01, 0.0, 0.01) is None          # same cost per request
    assert break_even_volume(0.0, 0.001, 500.0, 0.01) is None        # cheaper at every volume
    assert break_even_volume(100.0, 0.001, 100.0, 0.01) is None      # equal at 0, cheaper after


def test_position_accuracy_is_u_shaped():
    k = 11
    values = [position_accuracy(i, k, edge=0.9, middle=0.6) for i in range(k)]
    assert values[0] == pytest.approx(0.9) and values[-1] == pytest.approx(0.9)
    assert values[5] == pytest.approx(0.6)
    assert min(values) == values[5]
    assert values == pytest.approx(values[::-1])
    assert position_accuracy(1, 2, edge=0.9, middle=0.6) == 0.9      # two passages: both are edges


def test_context_use_hand_computed():
    # k = 5: edge 0.95 - 4 * 0.005 = 0.93; centre 0.93 - 0.35 * 4 / 14 = 0.83.
    use = context_use(5)
    assert use[0] == pytest.approx(0.93) and use[-1] == pytest.approx(0.93)
    assert use[2] == pytest.approx(0.83)
    assert use[1] == pytest.approx(0.93 - 0.1 * math.sin(math.pi / 4))
    assert context_use(1) == [0.95]
    # The dip deepens and the edge falls as the context grows.
    assert min(context_use(30)) < min(context_use(10)) < min(context_use(5))
    assert context_use(30)[0] < context_use(5)[0]
    with pytest.raises(ValueError, match="k=200"):
        context_use(200)
    with pytest.raises(ValueError, match="depth"):
        context_use(5, depth=-0.1)


def test_expected_accuracy_hand_computed():
    # recall 0.8: 0.8 * 0.9 from the context; else the fallback 0.5 * 0.5 * 1.0 + 0.5 * 0.1 = 0.3.
    acc = expected_accuracy(recall=0.8, p_context=0.9, known=0.5, changed=0.5, p_weights=1.0,
                            p_guess=0.1, p_format=0.5)
    assert acc == pytest.approx(0.5 * (0.72 + 0.2 * 0.3))


def test_simulation_matches_expectation():
    kw = dict(recall=0.7, known=0.6, changed=0.3, p_weights=0.9, p_guess=0.05, p_format=0.95)
    sim = simulate_answers(20_000, p_context=0.85, seed=3, **kw)
    exact = expected_accuracy(p_context=0.85, **kw)
    se = math.sqrt(exact * (1 - exact) / 20_000)
    assert abs(sim["accuracy"] - exact) < 4 * se
    assert sim["context"] + sim["weights"] + sim["stale"] + sim["absent"] == 20_000
    # A list of per-position probabilities averages like its mean.
    sim2 = simulate_answers(20_000, p_context=[0.95, 0.75, 0.85], seed=4, **kw)
    assert abs(sim2["accuracy"] - exact) < 4 * se


def test_simulation_edge_cases_and_seed():
    all_stale = simulate_answers(500, recall=0.0, p_context=1.0, known=1.0, changed=1.0, p_weights=1.0,
                                 p_guess=1.0, p_format=1.0)
    assert all_stale["accuracy"] == 0.0 and all_stale["stale"] == 500
    a = simulate_answers(300, recall=0.5, p_context=0.9, known=0.5, changed=0.2, p_weights=0.9,
                         p_guess=0.1, p_format=0.9, seed=7)
    b = simulate_answers(300, recall=0.5, p_context=0.9, known=0.5, changed=0.2, p_weights=0.9,
                         p_guess=0.1, p_format=0.9, seed=7)
    assert a == b


def test_lora_parameters_hand_computed():
    counts = lora_parameters(4096, 4096, 8)
    assert counts["full"] == 4096 * 4096
    assert counts["lora"] == 8 * (4096 + 4096)
    assert counts["share"] == pytest.approx(16 / 4096)


def test_bad_input():
    with pytest.raises(ValueError, match="input_tokens"):
        request_cost(-1, 0, 1.0, 1.0)
    with pytest.raises(TypeError, match="price_in"):
        request_cost(1, 1, "2.5", 1.0)
    with pytest.raises(ValueError, match="requests"):
        monthly_cost(float("nan"), 0.01)
    with pytest.raises(ValueError, match="per_request_b"):
        break_even_volume(0, 0.01, 0, -0.01)
    with pytest.raises(ValueError, match="position"):
        position_accuracy(5, 5)
    with pytest.raises(TypeError, match="k must be an integer"):
        position_accuracy(0, 2.0)
    with pytest.raises(ValueError, match="recall"):
        expected_accuracy(recall=1.5, p_context=0.9, known=0.5, changed=0.0, p_weights=0.9,
                          p_guess=0.0, p_format=1.0)
    with pytest.raises(TypeError, match="p_context"):
        simulate_answers(10, recall=0.5, p_context=[], known=0.5, changed=0.0, p_weights=0.9,
                         p_guess=0.0, p_format=1.0)
    with pytest.raises(ValueError, match="n_questions"):
        simulate_answers(0, recall=0.5, p_context=0.9, known=0.5, changed=0.0, p_weights=0.9,
                         p_guess=0.0, p_format=1.0)
    with pytest.raises(ValueError, match="rank"):
        lora_parameters(8, 4, 5)
