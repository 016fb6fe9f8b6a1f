"""Tests for mlsd.labeling: agreement, labelling functions, label noise."""

import math

import pytest

from mlsd.labeling import (ABSTAIN, cohen_kappa, flip_labels, labeling_function_summary, majority_vote,
                           percent_agreement, weighted_vote)


def test_kappa_hand_computed():
    # 10 items: a says 1 on 5, b says 1 on 6; they agree on 7 (4 ones, 3 zeros).
    a = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    b = [1, 1, 1, 1, 0, 1, 1, 0, 0, 0]
    p_o = 0.7
    p_e = 0.5 * 0.6 + 0.5 * 0.4
    assert percent_agreement(a, b) == pytest.approx(p_o)
    assert cohen_kappa(a, b) == pytest.approx((p_o - p_e) / (1 - p_e))


def test_kappa_perfect_chance_and_opposite():
    a = [0, 1, 0, 1]
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert cohen_kappa(a, [1, 0, 1, 0]) == pytest.approx(-1.0)
    # Independent raters: p_o equals p_e exactly here.
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)


def test_kappa_low_when_one_class_dominates():
    # 100 items: both say 0 on 90, each says 1 on 5 different items: 90 % agreement, kappa < 0.
    a = [0] * 90 + [1] * 5 + [0] * 5
    b = [0] * 90 + [0] * 5 + [1] * 5
    assert percent_agreement(a, b) == pytest.approx(0.9)
    assert cohen_kappa(a, b) < 0


def test_kappa_multiclass_and_strings():
    a = ["spam", "ham", "other", "spam"]
    b = ["spam", "ham", "spam", "spam"]
    p_o = 0.75
    p_e = (2 / 4) * (3 / 4) + (1 / 4) * (1 / 4) + (1 / 4) * 0
    assert cohen_kappa(a, b) == pytest.approx((p_o - p_e) / (1 - p_e))


def test_kappa_bad_input():
    with pytest.raises(ValueError, match="same length"):
        cohen_kappa([0, 1], [0])
    with pytest.raises(ValueError, match="must not be empty"):
        cohen_kappa([], [])
    with pytest.raises(ValueError, match="undefined"):
        cohen_kappa([1, 1], [1, 1])
    with pytest.raises(TypeError, match="a must be"):
        percent_agreement("01", [0, 1])


def test_majority_vote():
    votes = [[1, 1, 0], [0, ABSTAIN, 0], [1, 0, ABSTAIN], [ABSTAIN] * 3, [ABSTAIN, 1, ABSTAIN]]
    assert majority_vote(votes) == [1, 0, ABSTAIN, ABSTAIN, 1]


def test_weighted_vote_hand_computed():
    # A 0.9-accurate rule says 1, two 0.6-accurate rules say 0: log 9 - 2 log 1.5 > 0.
    p = weighted_vote([[1, 0, 0], [ABSTAIN] * 3, [ABSTAIN, 1, ABSTAIN]], [0.9, 0.6, 0.6])
    z = math.log(9) - 2 * math.log(1.5)
    assert p[0] == pytest.approx(1 / (1 + math.exp(-z)))
    assert p[1] is None
    assert p[2] == pytest.approx(0.6)
    assert majority_vote([[1, 0, 0]]) == [0]          # the plain majority disagrees


def test_weighted_vote_bad_input():
    with pytest.raises(ValueError, match="accuracies has 2 values"):
        weighted_vote([[1, 0, 1]], [0.7, 0.8])
    with pytest.raises(ValueError, match=r"accuracies\[1\] must be a probability"):
        weighted_vote([[1, 0]], [0.7, 1.0])
    with pytest.raises(ValueError, match=r"votes\[0\]\[1\] must be 0, 1 or ABSTAIN"):
        weighted_vote([[1, 2]], [0.7, 0.8])
    with pytest.raises(ValueError, match=r"votes\[1\] has 1 votes"):
        majority_vote([[1, 0], [1]])
    with pytest.raises(TypeError, match=r"votes\[0\] must be a list"):
        majority_vote([5])


def test_summary_hand_computed():
    votes = [[1, 1], [1, 0], [ABSTAIN, 0], [0, ABSTAIN]]
    gold = [1, 1, 0, None]
    rows = labeling_function_summary(votes, gold, names=["a", "b"])
    assert rows[0] == {"rule": "a", "coverage": 0.75, "overlap": 0.5, "conflict": 0.25, "accuracy": 1.0}
    assert rows[1] == {"rule": "b", "coverage": 0.75, "overlap": 0.5, "conflict": 0.25,
                       "accuracy": pytest.approx(2 / 3)}
    assert labeling_function_summary(votes)[0]["accuracy"] is None
    with pytest.raises(ValueError, match=r"gold\[0\] must be 0, 1 or None"):
        labeling_function_summary(votes, [2, 1, 0, 0])
    with pytest.raises(ValueError, match="names has 1"):
        labeling_function_summary(votes, names=["a"])


def test_flip_labels_rates_and_determinism():
    y = [1] * 2000 + [0] * 2000
    noisy = flip_labels(y, 0.3, 0.0, seed=1)
    assert noisy == flip_labels(y, 0.3, 0.0, seed=1)
    assert all(v == 0 for v in noisy[2000:])                    # no negative flipped
    missed = noisy[:2000].count(0) / 2000
    assert 0.27 < missed < 0.33
    assert flip_labels(y, 0.0, 0.0) == y
    assert flip_labels([1, 0], 1.0, 1.0) == [0, 1]


def test_flip_labels_bad_input():
    with pytest.raises(ValueError, match="flip_pos must be a probability"):
        flip_labels([0, 1], 1.5, 0.0)
    with pytest.raises(ValueError, match="y must contain only 0 and 1"):
        flip_labels([0, 2], 0.1, 0.1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        flip_labels([0, 1], 0.1, 0.1, seed=0.5)
