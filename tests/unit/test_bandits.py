"""Unit and property tests for mlsd.bandits."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import bandits as bd


def play(policy, probs, steps, seed=0):
    rng = random.Random(seed)
    for _ in range(steps):
        arm = policy.select(rng)
        policy.update(arm, 1.0 if rng.random() < probs[arm] else 0.0)
    return policy


def test_running_means_are_exact():
    p = bd.EpsilonGreedy(3, epsilon=0.0)
    for arm, r in [(0, 1.0), (0, 0.0), (0, 1.0), (2, 5.0)]:
        p.update(arm, r)
    assert p.counts == [3, 0, 1]
    assert p.values == pytest.approx([2 / 3, 0.0, 5.0])


def test_greedy_exploits_and_epsilon_explores():
    greedy = bd.EpsilonGreedy(3, epsilon=0.0)
    greedy.update(1, 1.0)
    rng = random.Random(0)
    assert all(greedy.select(rng) == 1 for _ in range(50))
    explorer = bd.EpsilonGreedy(3, epsilon=1.0)
    picks = [explorer.select(rng) for _ in range(3000)]
    assert all(abs(picks.count(a) / 3000 - 1 / 3) < 0.04 for a in range(3))


def test_ties_are_broken_at_random():
    rng = random.Random(1)
    picks = {bd.EpsilonGreedy(4, epsilon=0.0).select(rng) for _ in range(100)}
    assert picks == {0, 1, 2, 3}


def test_ucb1_tries_every_arm_first_and_then_prefers_the_best():
    p = bd.UCB1(4)
    rng = random.Random(0)
    first = []
    for _ in range(4):
        arm = p.select(rng)
        first.append(arm)
        p.update(arm, 0.0)
    assert sorted(first) == [0, 1, 2, 3]
    p = play(bd.UCB1(3), [0.2, 0.8, 0.5], 3000)
    assert p.counts[1] == max(p.counts)
    # the bonus of an arm shrinks as it is played: sqrt(2 ln t / n)
    q = bd.UCB1(2)
    q.update(0, 0.5)
    q.update(1, 0.5)
    for _ in range(8):
        q.update(0, 0.5)
    assert q.select() == 1                 # equal means: the less-played arm has the larger bonus


def test_thompson_posterior_and_convergence():
    p = bd.ThompsonSampling(2, prior_alpha=1, prior_beta=1)
    p.update(0, 1.0)
    p.update(0, 0.0)
    p.update(0, 1.0)
    assert (p.alpha[0], p.beta[0]) == (3.0, 2.0)
    p = play(bd.ThompsonSampling(3), [0.1, 0.15, 0.3], 3000, seed=2)
    assert p.counts[2] / 3000 > 0.7


def test_linucb_learns_a_linear_reward():
    rng = random.Random(0)
    thetas = [[1.0, -1.0], [-1.0, 1.0]]            # arm 0 wins when x[0] > x[1]
    policy = bd.LinUCB(2, 2, alpha=0.5)
    for _ in range(400):
        x = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        arm = policy.select(x, rng)
        policy.update(arm, x, sum(t * v for t, v in zip(thetas[arm], x)) + rng.gauss(0, 0.05))
    assert policy.theta[0] == pytest.approx(thetas[0], abs=0.1)
    assert policy.theta[1] == pytest.approx(thetas[1], abs=0.1)
    assert policy.select([0.9, -0.9]) == 0 and policy.select([-0.9, 0.9]) == 1


def test_linucb_sherman_morrison_matches_a_direct_inverse():
    rng = random.Random(3)
    policy = bd.LinUCB(1, 3, ridge=2.0)
    A = [[2.0 if i == j else 0.0 for j in range(3)] for i in range(3)]
    for _ in range(10):
        x = [rng.gauss(0, 1) for _ in range(3)]
        policy.update(0, x, 1.0)
        for i in range(3):
            for j in range(3):
                A[i][j] += x[i] * x[j]
    product = [[sum(A[i][k] * policy.A_inv[0][k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    for i in range(3):
        for j in range(3):
            assert product[i][j] == pytest.approx(1.0 if i == j else 0.0, abs=1e-10)


@given(st.lists(st.floats(0, 1), min_size=2, max_size=6), st.integers(0, 1000))
@settings(max_examples=30, deadline=None)
def test_regret_is_non_decreasing_and_bounded(probs, seed):
    r = bd.simulate_bandits(probs, n_steps=100, n_runs=2, every=10, seed=seed)
    gap = max(probs) - min(probs)
    for curve in r["regret"].values():
        assert all(b >= a - 1e-12 for a, b in zip(curve, curve[1:]))
        assert all(0 <= c <= gap * step + 1e-9 for c, step in zip(curve, r["step"]))


def test_thompson_beats_pure_exploration():
    policies = {"random": lambda: bd.EpsilonGreedy(5, epsilon=1.0),
                "Thompson": lambda: bd.ThompsonSampling(5)}
    r = bd.simulate_bandits(policies=policies, n_steps=1500, n_runs=4, every=500, seed=1)
    assert r["step"] == [500, 1000, 1500]
    assert r["regret"]["Thompson"][-1] < 0.4 * r["regret"]["random"][-1]
    assert r["best_arm_share"]["Thompson"] > 0.4
    assert r["best_arm_share"]["random"] == pytest.approx(0.2, abs=0.03)


def test_default_simulation_is_seeded_and_ordered():
    a = bd.simulate_bandits(n_steps=200, n_runs=2)
    assert a == bd.simulate_bandits(n_steps=200, n_runs=2)
    assert list(a["regret"]) == ["epsilon-greedy (0.1)", "UCB1", "Thompson sampling"]


def test_contextual_policy_wins_when_context_matters():
    r = bd.simulate_contextual_bandits(n_steps=600, n_runs=2, every=100, seed=0)
    final = {name: curve[-1] for name, curve in r["regret"].items()}
    assert final["LinUCB"] < 0.5 * min(v for k, v in final.items() if k != "LinUCB")
    assert r["step"] == [100, 200, 300, 400, 500, 600]


def test_cold_start_helpers():
    assert bd.popular_items(["a", "b", "b", "c", "c", "c"], 2) == ["c", "b"]
    assert bd.popular_items(["x", "y"], 2) == ["x", "y"]            # ties: first seen first
    assert bd.with_popularity_fallback([], ["p1", "p2", "p3"], 2) == ["p1", "p2"]
    assert bd.with_popularity_fallback(["u1", "p1"], ["p1", "p2", "p3"], 3) == ["u1", "p1", "p2"]
    assert bd.with_popularity_fallback(["u1"], ["p1", "p2"], 3, exclude={"p1"}) == ["u1", "p2"]


@pytest.mark.parametrize("call, exc, message", [
    (lambda: bd.EpsilonGreedy(0), ValueError, "^n_arms must be a positive integer"),
    (lambda: bd.EpsilonGreedy(2, epsilon=1.5), ValueError, "^epsilon must be a probability"),
    (lambda: bd.EpsilonGreedy(2).select(None), TypeError, "^rng must be a random.Random"),
    (lambda: bd.EpsilonGreedy(2).update(2, 1.0), ValueError, r"^arm must be in \[0, 2\)"),
    (lambda: bd.EpsilonGreedy(2).update(0, math.nan), ValueError, "^reward must be finite"),
    (lambda: bd.UCB1(2, c=0), ValueError, "^c must be > 0"),
    (lambda: bd.ThompsonSampling(2, prior_alpha=0), ValueError, "^prior_alpha must be > 0"),
    (lambda: bd.ThompsonSampling(2).update(0, 2.0), ValueError, "^reward must be a probability"),
    (lambda: bd.LinUCB(2, 0), ValueError, "^dim must be a positive integer"),
    (lambda: bd.LinUCB(2, 2, alpha=-1), ValueError, "^alpha must be >= 0"),
    (lambda: bd.LinUCB(2, 2).select([1.0]), ValueError, "^context must have length 2"),
    (lambda: bd.LinUCB(2, 2).update(0, [1.0, math.inf], 1.0), ValueError, r"^context\[1\] must be finite"),
    (lambda: bd.simulate_bandits([0.5]), ValueError, "^arm_probs needs at least 2 arms"),
    (lambda: bd.simulate_bandits([0.5, 1.2]), ValueError, r"^arm_probs\[1\] must be a probability"),
    (lambda: bd.simulate_bandits(policies={"x": 3}), TypeError, r"^policies\['x'\] must be callable"),
    (lambda: bd.simulate_bandits(policies=[]), TypeError, "^policies must be a non-empty dict"),
    (lambda: bd.simulate_bandits(n_steps=0), ValueError, "^n_steps must be a positive integer"),
    (lambda: bd.simulate_contextual_bandits(noise=-1), ValueError, "^noise must be >= 0"),
    (lambda: bd.popular_items([], 1), ValueError, "^interactions must not be empty"),
    (lambda: bd.popular_items(["a"], 2), ValueError, r"^k must be <= the number of items"),
    (lambda: bd.with_popularity_fallback([], [], 2), ValueError, "^popular must not be empty"),
    (lambda: bd.with_popularity_fallback([], ["a"], 0), ValueError, "^k must be a positive integer"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
