"""Tests for mlsd.fairness: group rates, parity gaps, per-group thresholds."""

import pytest

from mlsd.fairness import (decide, demographic_parity_difference, equal_opportunity_difference,
                           group_rates, threshold_for_tpr)

Y = [1, 1, 0, 0, 1, 0, 0, 0]
D = [1, 0, 1, 0, 1, 0, 0, 0]
G = ["a", "a", "a", "a", "b", "b", "b", "b"]


def test_group_rates_hand_computed():
    r = group_rates(Y, D, G)
    assert r["a"] == {"rows": 4, "base rate": 0.5, "selection rate": 0.5, "TPR": 0.5, "FPR": 0.5,
                      "precision": 0.5}
    assert r["b"] == {"rows": 4, "base rate": 0.25, "selection rate": 0.25, "TPR": 1.0, "FPR": 0.0,
                      "precision": 1.0}
    assert demographic_parity_difference(D, G) == 0.25
    assert equal_opportunity_difference(Y, D, G) == 0.5


def test_undefined_rates_are_none():
    r = group_rates([0, 0], [0, 0], ["a", "a"])
    assert r["a"]["TPR"] is None and r["a"]["precision"] is None and r["a"]["FPR"] == 0.0
    with pytest.raises(ValueError, match="at least one positive"):
        equal_opportunity_difference([0, 1], [0, 1], ["a", "b"])


def test_threshold_for_tpr_and_decide():
    scores = [0.9, 0.8, 0.3, 0.2, 0.6, 0.5, 0.1, 0.0]
    assert threshold_for_tpr(Y, scores, 0.5) == 0.8       # positives 0.9, 0.8, 0.6: need 2 of 3
    assert threshold_for_tpr(Y, scores, 1.0) == 0.6
    assert threshold_for_tpr(Y, scores, 0.1) == 0.9
    assert decide(scores, G, 0.55) == [1, 1, 0, 0, 1, 0, 0, 0]
    assert decide(scores, G, {"a": 0.85, "b": 0.45}) == [1, 0, 0, 0, 1, 1, 0, 0]


def test_bad_input():
    with pytest.raises(ValueError, match="groups"):
        group_rates([], [], [])
    with pytest.raises(ValueError, match="y_true must have one entry"):
        group_rates([1], D, G)
    with pytest.raises(ValueError, match="decisions must hold only 0 and 1"):
        group_rates(Y, [2] * 8, G)
    with pytest.raises(ValueError, match="target_tpr"):
        threshold_for_tpr(Y, [0.5] * 8, 0)
    with pytest.raises(ValueError, match="at least one positive"):
        threshold_for_tpr([0, 0], [0.1, 0.2], 0.5)
    with pytest.raises(ValueError, match="thresholds has no entry"):
        decide([0.1, 0.2], ["a", "b"], {"a": 0.5})
    with pytest.raises(TypeError, match="thresholds"):
        decide([0.1], ["a"], "0.5")
    with pytest.raises(ValueError, match="scores must have one entry"):
        decide([0.1], ["a", "b"], 0.5)
