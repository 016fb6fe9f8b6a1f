"""Tests for mlsd.pairwise: win rate and its interval, sample size, Bradley-Terry, Elo."""

import math
import random

import pytest

from mlsd.pairwise import bradley_terry, bt_win_probability, comparisons_needed, elo, win_rate


def test_win_rate_hand_computed_wilson():
    out = win_rate(60, 40)
    z = 1.959963984540054
    n, w = 100, 0.6
    centre = (w + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(w * (1 - w) / n + z * z / (4 * n * n))
    assert out["win_rate"] == 0.6 and out["n"] == 100
    assert out["low"] == pytest.approx(centre - half, abs=1e-6)
    assert out["high"] == pytest.approx(centre + half, abs=1e-6)


def test_ties_count_half_and_interval_shrinks_with_n():
    assert win_rate(5, 3, 2)["win_rate"] == pytest.approx(0.6)
    small, big = win_rate(6, 4), win_rate(600, 400)
    assert big["high"] - big["low"] < (small["high"] - small["low"]) / 5
    assert win_rate(10, 0)["high"] == pytest.approx(1.0) and win_rate(10, 0)["low"] > 0.6


def test_comparisons_needed_formula_and_scaling():
    # p = 0.55: ((1.96 * 0.5 + 0.8416 * sqrt(0.2475)) / 0.05)^2 = 782.4 -> 783
    assert comparisons_needed(0.55) == 783
    assert comparisons_needed(0.45) == 783                       # symmetric around 0.5
    ratio = comparisons_needed(0.52) / comparisons_needed(0.54)
    assert 3.8 < ratio < 4.2                                     # half the edge, four times n


def test_comparisons_needed_reaches_the_power_by_simulation():
    n, rng, p = comparisons_needed(0.6), random.Random(0), 0.6
    hits = 0
    for _ in range(400):
        w = sum(rng.random() < p for _ in range(n))
        hits += win_rate(w, n - w)["low"] > 0.5
    assert 0.72 < hits / 400 < 0.9


def test_bradley_terry_two_players_closed_form():
    # 3 wins to 1: the MLE has s0 / s1 = 3, so theta0 - theta1 = log 3.
    games = [(0, 1, 1)] * 3 + [(0, 1, 0)]
    th = bradley_terry(2, games)
    assert th[0] - th[1] == pytest.approx(math.log(3), abs=1e-6)
    assert sum(th) == pytest.approx(0.0, abs=1e-9)
    assert bt_win_probability(th[0], th[1]) == pytest.approx(0.75, abs=1e-6)


def test_bradley_terry_recovers_strengths_and_ignores_order():
    truth, rng, games = [0.0, 0.5, 1.0, -0.5], random.Random(1), []
    for _ in range(4000):
        i, j = rng.sample(range(4), 2)
        games.append((i, j, 1 if rng.random() < bt_win_probability(truth[i], truth[j]) else 0))
    th = bradley_terry(4, games)
    centred = [t - sum(truth) / 4 for t in truth]
    assert max(abs(a - b) for a, b in zip(th, centred)) < 0.1
    assert bradley_terry(4, list(reversed(games))) == pytest.approx(th)


def test_elo_depends_on_order_and_moves_by_k():
    assert elo(2, [(0, 1, 1)], k=32) == pytest.approx([1016, 984])
    games = [(0, 1, 1)] * 5 + [(0, 1, 0)] * 5
    forward, backward = elo(2, games), elo(2, list(reversed(games)))
    assert forward[0] < 1000 < backward[0]                       # same games, opposite order
    assert elo(2, [(0, 1, 0.5)]) == pytest.approx([1000, 1000])


def test_bad_input():
    with pytest.raises(ValueError, match="wins \\+ losses"):
        win_rate(0, 0)
    with pytest.raises(ValueError, match="wins must"):
        win_rate(-1, 3)
    with pytest.raises(ValueError, match="p must differ"):
        comparisons_needed(0.5)
    with pytest.raises(ValueError, match="alpha"):
        comparisons_needed(0.6, alpha=1.5)
    with pytest.raises(ValueError, match="system 0 has 1 wins and 0 losses"):
        bradley_terry(2, [(0, 1, 1)])
    with pytest.raises(ValueError, match=r"systems \[2, 3\] were never beaten by system 0"):
        bradley_terry(4, [(0, 1, 1), (1, 0, 1), (2, 3, 1), (3, 2, 0.5)])   # two groups that never met
    with pytest.raises(ValueError, match=r"systems \[2, 3\] were never winners over system 0"):
        bradley_terry(4, [(0, 1, 1), (1, 0, 1), (2, 3, 1), (3, 2, 1), (0, 2, 1), (1, 3, 1)])   # 2, 3 never beat 0, 1
    assert len(bradley_terry(3, [(0, 1, 1), (1, 0, 1), (0, 2, 1), (2, 1, 0.5)])) == 3   # a tie links 2 back: fine
    with pytest.raises(ValueError, match=r"comparisons\[0\].j must be in"):
        elo(2, [(0, 5, 1)])
    with pytest.raises(ValueError, match="result"):
        elo(2, [(0, 1, 2)])
    with pytest.raises(ValueError, match="itself"):
        elo(2, [(1, 1, 1)])
    with pytest.raises(ValueError, match="n_players must be at least 2"):
        elo(1, [(0, 0, 1)])
    with pytest.raises(TypeError, match="comparisons"):
        bradley_terry(2, "ab")
    with pytest.raises(ValueError, match="k must"):
        elo(2, [(0, 1, 1)], k=0)
