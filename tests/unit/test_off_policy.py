"""Unit tests for mlsd.off_policy: policies, the simulated log and the five estimators."""

import math
import random

import pytest

from mlsd import off_policy as op

# A two-event log with two actions, computed by hand.
# Event 0: logged action 0 with propensity 0.5, click 1; target takes action 0 w.p. 0.8.
# Event 1: logged action 1 with propensity 0.25, click 0; target takes action 1 w.p. 0.2 (+ 0.8 on 0).
ACTIONS = [0, 1]
PROPS = [0.5, 0.25]
REWARDS = [1, 0]
TARGET = [[0.8, 0.2], [0.8, 0.2]]
MODEL = [[0.6, 0.1], [0.3, 0.2]]


def test_weights_and_estimators_by_hand():
    w = op.importance_weights(TARGET, ACTIONS, PROPS)
    assert w == pytest.approx([1.6, 0.8])
    assert op.ips(REWARDS, w) == pytest.approx((1.6 * 1 + 0.8 * 0) / 2)
    assert op.snips(REWARDS, w) == pytest.approx(1.6 / 2.4)
    assert op.clipped_ips(REWARDS, w, max_weight=1.0) == pytest.approx(0.5)
    # DM: event 0: 0.8*0.6 + 0.2*0.1 = 0.5; event 1: 0.8*0.3 + 0.2*0.2 = 0.28
    assert op.direct_method(TARGET, MODEL) == pytest.approx((0.5 + 0.28) / 2)
    # DR: 0.5 + 1.6*(1 - 0.6) = 1.14; 0.28 + 0.8*(0 - 0.2) = 0.12
    assert op.doubly_robust(REWARDS, ACTIONS, w, TARGET, MODEL) == pytest.approx((1.14 + 0.12) / 2)
    assert op.effective_sample_size(w) == pytest.approx(2.4 ** 2 / (1.6 ** 2 + 0.8 ** 2))


def test_estimate_all_agrees_with_the_single_estimators():
    est = op.estimate_all(REWARDS, ACTIONS, PROPS, TARGET, MODEL, max_weight=1.0)
    w = op.importance_weights(TARGET, ACTIONS, PROPS)
    assert est["IPS"] == pytest.approx(op.ips(REWARDS, w))
    assert est["SNIPS"] == pytest.approx(op.snips(REWARDS, w))
    assert est["clipped IPS"] == pytest.approx(op.clipped_ips(REWARDS, w, 1.0))
    assert est["direct method"] == pytest.approx(op.direct_method(TARGET, MODEL))
    assert est["doubly robust"] == pytest.approx(op.doubly_robust(REWARDS, ACTIONS, w, TARGET, MODEL))
    assert est["max weight"] == pytest.approx(1.6)
    assert set(op.ESTIMATORS) <= set(est)


def test_same_policy_gives_unit_weights_and_the_log_average():
    w = op.importance_weights([[0.5, 0.5], [0.75, 0.25]], [0, 1], [0.5, 0.25])
    assert w == [1.0, 1.0]
    assert op.ips([1, 0], w) == op.snips([1, 0], w) == 0.5
    assert op.effective_sample_size(w) == pytest.approx(2.0)


def test_perfect_model_makes_dm_exact_and_dr_unbiased():
    world = op.make_world(n_contexts=5, n_actions=3, seed=1)
    px, q = world["context_probs"], world["expected_reward"]
    mu = op.softmax_policy(world["old_scores"])
    pi = op.epsilon_greedy_policy(world["new_scores"], 0.2)
    truth = op.policy_value(px, q, pi)
    log = op.simulate_log(px, q, mu, 20000, random.Random(0))
    tp = [pi[x] for x in log["contexts"]]
    # With the true expected rewards as the model, DM is the truth up to the context sample.
    dm = op.direct_method(tp, [q[x] for x in log["contexts"]])
    assert dm == pytest.approx(truth, abs=0.004)
    est = op.estimate_all(log["rewards"], log["actions"], log["propensities"], tp, [[0.0] * 3] * len(tp))
    assert est["doubly robust"] == pytest.approx(est["IPS"])      # a zero model: DR is IPS
    assert est["IPS"] == pytest.approx(truth, abs=0.01)


def test_policies():
    assert op.softmax_policy([[0.0, 0.0]]) == [[0.5, 0.5]]
    p = op.softmax_policy([[math.log(3), 0.0]])[0]
    assert p == pytest.approx([0.75, 0.25])
    assert op.softmax_policy([[1.0, 0.0]], temperature=0.01)[0][0] == pytest.approx(1.0)
    assert op.epsilon_greedy_policy([[1.0, 3.0, 2.0]], 0.3) == [pytest.approx([0.1, 0.8, 0.1])]
    assert op.epsilon_greedy_policy([[1.0, 3.0]], 0.0) == [[0.0, 1.0]]
    assert op.mix_policies([[1.0, 0.0]], [[0.0, 1.0]], 0.25) == [[0.75, 0.25]]
    assert op.policy_value([0.5, 0.5], [[0.1, 0.3], [0.2, 0.4]], [[1, 0], [0, 1]]) == pytest.approx(0.25)


def test_simulated_log_follows_the_policy_and_logs_its_propensities():
    px, q = [1.0], [[0.5, 0.0]]
    log = op.simulate_log(px, q, [[0.25, 0.75]], 4000, random.Random(3))
    share = log["actions"].count(0) / 4000
    assert abs(share - 0.25) < 0.03
    assert all(p == (0.25 if a == 0 else 0.75) for a, p in zip(log["actions"], log["propensities"]))
    assert all(r == 0 for a, r in zip(log["actions"], log["rewards"]) if a == 1)   # q = 0 never clicks
    # A deterministic policy logs only its own choice, with propensity 1.
    det = op.simulate_log(px, q, [[0.0, 1.0]], 100, random.Random(0))
    assert set(det["actions"]) == {1} and set(det["propensities"]) == {1.0}


def test_reward_table_counts_and_shrinks():
    table = op.fit_reward_table([0, 0, 1, 1], [0, 0, 0, 1], [1, 0, 1, 0], 2, 3, prior_strength=0.0)
    assert table[0][0] == pytest.approx(0.5) and table[1][0] == pytest.approx(1.0) and table[1][1] == 0.0
    assert table[0][2] == pytest.approx(0.5)                  # never shown: the log's overall rate
    pooled = op.fit_reward_table([0, 0, 1, 1], [0, 0, 0, 1], [1, 0, 1, 0], 2, 3, use_context=False)
    assert pooled[0] == pooled[1] and pooled[0][0] == pytest.approx(2 / 3)
    shrunk = op.fit_reward_table([0, 0, 1, 1], [0, 0, 0, 1], [1, 0, 1, 0], 2, 3, prior_strength=3.0)
    assert shrunk[1][0] == pytest.approx((1 + 3 * 2 / 3) / 4)


@pytest.mark.parametrize("call, exc, word", [
    (lambda: op.importance_weights(TARGET, ACTIONS, [0.5, 0.0]), ValueError, "propensities[1]"),
    (lambda: op.importance_weights(TARGET, [0, 2], PROPS), ValueError, "actions[1]"),
    (lambda: op.importance_weights(TARGET, [0, 1.0], PROPS), TypeError, "actions[1]"),
    (lambda: op.importance_weights(TARGET, ACTIONS, [0.5]), ValueError, "propensities"),
    (lambda: op.importance_weights([], [], []), ValueError, "actions"),
    (lambda: op.ips([1, 0], [1.0, -1.0]), ValueError, "weights"),
    (lambda: op.ips([1], [1.0, 1.0]), ValueError, "rewards"),
    (lambda: op.clipped_ips([1], [1.0], 0), ValueError, "max_weight"),
    (lambda: op.direct_method([[0.5, 0.5]], [[0.1]]), ValueError, "predicted[0]"),
    (lambda: op.effective_sample_size([]), ValueError, "weights"),
    (lambda: op.softmax_policy([[0.0, 1.0]], temperature=0), ValueError, "temperature"),
    (lambda: op.epsilon_greedy_policy([[0.0, 1.0]], 1.5), ValueError, "epsilon"),
    (lambda: op.mix_policies([[0.5, 0.5]], [[1.0]], 0.5), ValueError, "shape"),
    (lambda: op.policy_value([0.5, 0.6], [[0.1], [0.2]], [[1.0], [1.0]]), ValueError, "context_probs"),
    (lambda: op.policy_value([1.0], [[0.1, 0.2]], [[0.7, 0.7]]), ValueError, "policy[0]"),
    (lambda: op.simulate_log([1.0], [[0.5]], [[1.0]], 0, random.Random(0)), ValueError, "n"),
    (lambda: op.simulate_log([1.0], [[0.5]], [[1.0]], 5, 0), TypeError, "rng"),
    (lambda: op.simulate_log([1.0], [[1.5]], [[1.0]], 5, random.Random(0)), ValueError, "expected_reward"),
    (lambda: op.fit_reward_table([0], [3], [1], 1, 2), ValueError, "actions[0]"),
    (lambda: op.fit_reward_table([0], [0], [1], 1, 1, prior_strength=-1), ValueError, "prior_strength"),
    (lambda: op.make_world(n_contexts=0), ValueError, "n_contexts"),
])
def test_bad_input_names_the_argument(call, exc, word):
    with pytest.raises(exc, match=word.replace("[", r"\[").replace("]", r"\]")):
        call()
