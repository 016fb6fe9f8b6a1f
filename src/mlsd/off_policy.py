"""Off-policy evaluation: estimate a new policy's value from a log written by another policy.

A *logging policy* ``mu`` (the recommender in production) saw a context ``x_i``, chose an
action ``a_i`` with probability ``p_i = mu(a_i | x_i)`` (the *propensity*, written to the log
at decision time) and observed a reward ``r_i`` (a click). We want the value of a *target
policy* ``pi``, ``V(pi) = E_x sum_a pi(a | x) q(x, a)`` with ``q(x, a)`` the expected reward,
before showing it to anyone. Its *importance weight* on event ``i`` is
``w_i = pi(a_i | x_i) / p_i``: how much more (or less) often the target would have taken the
logged action. The estimators, over ``n`` logged events:

- **Direct method (DM)**: fit a reward model ``qhat(x, a)`` and average what it predicts for
  the target's choices, ``(1/n) sum_i sum_a pi(a | x_i) qhat(x_i, a)``. Low variance; biased by
  whatever the model gets wrong, and that bias does not shrink with more data.
- **Inverse propensity scoring (IPS)**: ``(1/n) sum_i w_i r_i`` (Horvitz and Thompson, 1952).
  Unbiased whenever ``p_i > 0`` for every action the target can take; its variance grows with
  the weights, so it explodes when the target is far from the logging policy.
- **Self-normalized IPS (SNIPS)**: ``sum_i w_i r_i / sum_i w_i``. Divides by the weights'
  own total instead of ``n``: slightly biased for small ``n``, often less variance, and
  equivariant: adding a constant to every reward shifts it by exactly that constant, while IPS
  shifts by the constant times the mean weight (Swaminathan and Joachims, 2015).
- **Clipped IPS**: ``(1/n) sum_i min(w_i, M) r_i``. Caps every weight at ``M``: less
  variance, a downward bias for the events whose weight was cut (Bottou et al., 2013).
- **Doubly robust (DR)**: ``(1/n) sum_i [ sum_a pi(a | x_i) qhat(x_i, a)
  + w_i (r_i - qhat(x_i, a_i)) ]``: the direct method plus an IPS correction of the model's
  error on the logged action. Unbiased if the propensities are right (whatever the model),
  and close to DM's low variance when the model predicts most of each reward; with rare 0/1
  clicks the noise of the click itself dominates and DR stays about as noisy as IPS
  (Dudik, Langford and Li, 2011).

The *effective sample size* of the weights, ``(sum w)^2 / sum w^2`` (Kish), says how many
events the weighted log is worth: ``n`` when the target equals the logging policy, far less
when a few events carry huge weights. When the logging policy never takes an action the
target takes (``p = 0``), no estimator can see its reward: only exploration fixes that.

References: Horvitz and Thompson, JASA 1952 (https://doi.org/10.1080/01621459.1952.10483446);
Dudik, Langford and Li, ICML 2011 (https://arxiv.org/abs/1103.4601); Swaminathan and Joachims,
NeurIPS 2015; Bottou et al., JMLR 2013 (https://jmlr.org/papers/v14/bottou13a.html);
Li, Chu, Langford and Wang, WSDM 2011 (https://arxiv.org/abs/1003.5956).
"""

from __future__ import annotations

import bisect
import math
import random
from itertools import accumulate
from typing import Sequence

from mlsd.validate import (check_finite_vector, check_int, check_matrix, check_non_empty,
                           check_non_negative, check_positive, check_positive_int,
                           check_probability, check_same_length)

__all__ = ["make_world", "fit_reward_table", "softmax_policy", "epsilon_greedy_policy", "mix_policies",
           "policy_value", "simulate_log", "importance_weights", "effective_sample_size", "direct_method",
           "ips", "snips", "clipped_ips", "doubly_robust", "estimate_all", "ESTIMATORS"]

ESTIMATORS = ("direct method", "IPS", "SNIPS", "clipped IPS", "doubly robust")


# --- a seeded toy world: user segments, items, click probabilities --------------------------

def make_world(n_contexts: int = 20, n_actions: int = 8, seed: int = 0, old_noise: float = 0.6,
               new_noise: float = 0.3) -> dict:
    """A recommender's world with ``n_contexts`` user segments and ``n_actions`` items for one slot.

    The true click probability is ``q(x, a) = sigmoid(b_a + u_x . v_a)`` (3 latent factors,
    item biases around -3.3, so clicks are a few per cent). Segment ``x`` arrives with
    probability proportional to ``1 / (x + 1)^0.8``. Two models score the pairs with the true
    logit plus Gaussian noise: the production model (``old_noise``) and a better candidate
    (``new_noise``). Returns ``context_probs``, ``expected_reward``, ``old_scores``, ``new_scores``.
    """
    check_positive_int("n_contexts", n_contexts)
    check_positive_int("n_actions", n_actions)
    check_int("seed", seed)
    old_noise, new_noise = check_non_negative("old_noise", old_noise), check_non_negative("new_noise", new_noise)
    rng = random.Random(seed)
    raw = [1 / (x + 1) ** 0.8 for x in range(n_contexts)]
    total = math.fsum(raw)
    u = [[rng.gauss(0, 1) for _ in range(3)] for _ in range(n_contexts)]
    v = [[rng.gauss(0, 0.4) for _ in range(3)] for _ in range(n_actions)]
    b = [rng.gauss(-3.3, 0.3) for _ in range(n_actions)]
    logit = [[b[a] + math.fsum(ui * vi for ui, vi in zip(u[x], v[a])) for a in range(n_actions)]
             for x in range(n_contexts)]
    return {"context_probs": [r / total for r in raw],
            "expected_reward": [[1 / (1 + math.exp(-z)) for z in row] for row in logit],
            "old_scores": [[z + rng.gauss(0, old_noise) for z in row] for row in logit],
            "new_scores": [[z + rng.gauss(0, new_noise) for z in row] for row in logit]}


def fit_reward_table(contexts: Sequence[int], actions: Sequence[int], rewards: Sequence[float],
                     n_contexts: int, n_actions: int, prior_strength: float = 20.0,
                     use_context: bool = True) -> list[list[float]]:
    """A reward model ``qhat[x][a]`` fitted on a log by counting.

    ``use_context=True``: each (segment, item) cell's click rate, shrunk toward the item's
    overall rate with ``prior_strength`` pseudo-impressions,
    ``(clicks_xa + m * rate_a) / (shown_xa + m)``. ``use_context=False``: the item's overall
    click rate in the log, the same for every segment (a deliberately misspecified model). An
    item never shown gets the log's overall click rate.
    """
    n = check_same_length("contexts", contexts, "actions", actions)
    check_same_length("contexts", contexts, "rewards", rewards)
    if n == 0:
        raise ValueError("contexts must not be empty")
    nc, na = check_positive_int("n_contexts", n_contexts), check_positive_int("n_actions", n_actions)
    m = check_non_negative("prior_strength", prior_strength)
    r = check_finite_vector("rewards", rewards)
    shown = [[0] * na for _ in range(nc)]
    clicks = [[0.0] * na for _ in range(nc)]
    for i, (x, a) in enumerate(zip(contexts, actions)):
        if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < nc:
            raise ValueError(f"contexts[{i}] must be an integer in [0, {nc}), got {x!r}")
        if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < na:
            raise ValueError(f"actions[{i}] must be an integer in [0, {na}), got {a!r}")
        shown[x][a] += 1
        clicks[x][a] += r[i]
    overall = math.fsum(r) / n
    item_shown = [sum(shown[x][a] for x in range(nc)) for a in range(na)]
    item_rate = [math.fsum(clicks[x][a] for x in range(nc)) / item_shown[a] if item_shown[a] else overall
                 for a in range(na)]
    if not use_context:
        return [list(item_rate) for _ in range(nc)]
    return [[(clicks[x][a] + m * item_rate[a]) / (shown[x][a] + m) if shown[x][a] + m > 0 else item_rate[a]
             for a in range(na)] for x in range(nc)]


# --- policies: one probability distribution over the actions per context --------------------

def _check_distribution(name: str, row: Sequence[float]) -> list[float]:
    row = [check_probability(f"{name}[{a}]", p) for a, p in enumerate(check_non_empty(name, row))]
    if abs(math.fsum(row) - 1.0) > 1e-9:
        raise ValueError(f"{name} must sum to 1, got {math.fsum(row)}")
    return row


def _check_policy(name: str, policy: Sequence[Sequence[float]]) -> list[list[float]]:
    rows = check_non_empty(name, policy)
    out = [_check_distribution(f"{name}[{x}]", row) for x, row in enumerate(rows)]
    if len({len(r) for r in out}) != 1:
        raise ValueError(f"{name} must give every context the same number of actions")
    return out


def softmax_policy(scores: Sequence[Sequence[float]], temperature: float = 1.0) -> list[list[float]]:
    """``pi(a | x) = exp(s_xa / T) / sum_b exp(s_xb / T)`` for each context's row of scores.

    A high temperature spreads the traffic (more exploration); a low one approaches greedy.
    """
    rows = check_matrix("scores", scores)
    t = check_positive("temperature", temperature)
    out = []
    for row in rows:
        top = max(row)
        e = [math.exp((s - top) / t) for s in row]
        total = math.fsum(e)
        out.append([v / total for v in e])
    return out


def epsilon_greedy_policy(scores: Sequence[Sequence[float]], epsilon: float) -> list[list[float]]:
    """Best-scored action with probability ``1 - epsilon``, a uniform random one otherwise.

    ``pi(a | x) = 1 - epsilon + epsilon / K`` for the best action, ``epsilon / K`` for the rest
    (ties go to the first). ``epsilon = 0`` is deterministic: most actions get probability 0.
    """
    rows = check_matrix("scores", scores)
    eps = check_probability("epsilon", epsilon)
    out = []
    for row in rows:
        k, best = len(row), row.index(max(row))
        out.append([(1 - eps if a == best else 0.0) + eps / k for a in range(k)])
    return out


def mix_policies(first: Sequence[Sequence[float]], second: Sequence[Sequence[float]],
                 alpha: float) -> list[list[float]]:
    """``(1 - alpha) first + alpha second``, context by context: ``alpha`` moves from one to the other."""
    a, b = _check_policy("first", first), _check_policy("second", second)
    alpha = check_probability("alpha", alpha)
    if len(a) != len(b) or len(a[0]) != len(b[0]):
        raise ValueError(f"first and second must have the same shape, got {len(a)}x{len(a[0])} "
                         f"and {len(b)}x{len(b[0])}")
    return [[(1 - alpha) * p + alpha * q for p, q in zip(ra, rb)] for ra, rb in zip(a, b)]


def policy_value(context_probs: Sequence[float], expected_reward: Sequence[Sequence[float]],
                 policy: Sequence[Sequence[float]]) -> float:
    """The exact value ``sum_x P(x) sum_a pi(a | x) q(x, a)``: what an A/B test would measure."""
    px = _check_distribution("context_probs", context_probs)
    q = check_matrix("expected_reward", expected_reward)
    pi = _check_policy("policy", policy)
    if not len(px) == len(q) == len(pi) or len(q[0]) != len(pi[0]):
        raise ValueError("context_probs, expected_reward and policy must agree on the number of "
                         f"contexts and actions, got {len(px)}, {len(q)}x{len(q[0])}, {len(pi)}x{len(pi[0])}")
    return math.fsum(p * math.fsum(a * b for a, b in zip(prow, qrow)) for p, prow, qrow in zip(px, pi, q))


def simulate_log(context_probs: Sequence[float], expected_reward: Sequence[Sequence[float]],
                 logging_policy: Sequence[Sequence[float]], n: int, rng: random.Random) -> dict:
    """Draw ``n`` logged events: a context ``x ~ P``, an action ``a ~ mu(. | x)``, a 0/1 reward
    with probability ``q(x, a)``. Returns lists ``contexts``, ``actions``, ``propensities``
    (``mu(a | x)``, as logged at decision time) and ``rewards``."""
    px = _check_distribution("context_probs", context_probs)
    q = [[check_probability(f"expected_reward[{x}][{a}]", v) for a, v in enumerate(row)]
         for x, row in enumerate(check_matrix("expected_reward", expected_reward))]
    mu = _check_policy("logging_policy", logging_policy)
    if not len(px) == len(q) == len(mu) or len(q[0]) != len(mu[0]):
        raise ValueError("context_probs, expected_reward and logging_policy must agree on the "
                         "number of contexts and actions")
    n = check_positive_int("n", n)
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    cx = list(accumulate(px))
    ca = [list(accumulate(row)) for row in mu]
    last_x, last_a = len(px) - 1, len(mu[0]) - 1
    contexts, actions, props, rewards = [], [], [], []
    rand = rng.random
    for _ in range(n):
        x = min(bisect.bisect_right(cx, rand()), last_x)
        a = min(bisect.bisect_right(ca[x], rand()), last_a)
        while mu[x][a] == 0.0:               # rounding put us on a zero-probability action
            a -= 1
        contexts.append(x)
        actions.append(a)
        props.append(mu[x][a])
        rewards.append(1 if rand() < q[x][a] else 0)
    return {"contexts": contexts, "actions": actions, "propensities": props, "rewards": rewards}


# --- estimators ------------------------------------------------------------------------------

def importance_weights(target_probs: Sequence[Sequence[float]], actions: Sequence[int],
                       propensities: Sequence[float]) -> list[float]:
    """``w_i = pi(a_i | x_i) / p_i``. ``target_probs[i]`` is the target's distribution for event i."""
    n = check_same_length("target_probs", target_probs, "actions", actions)
    check_same_length("actions", actions, "propensities", propensities)
    if n == 0:
        raise ValueError("actions must not be empty")
    # Fast path for clean logs (plain ints and floats in range); else check event by event.
    if (set(map(type, actions)) <= {int} and set(map(type, propensities)) <= {float, int}
            and min(actions) >= 0 and all(a < len(row) for a, row in zip(actions, target_probs))
            and 0 < min(propensities) and max(propensities) <= 1):
        return [row[a] / p for row, a, p in zip(target_probs, actions, propensities)]
    out = []
    for i, (row, a, p) in enumerate(zip(target_probs, actions, propensities)):
        check_int(f"actions[{i}]", a)
        if not 0 <= a < len(row):
            raise ValueError(f"actions[{i}] must be in [0, {len(row)}), got {a}")
        p = check_probability(f"propensities[{i}]", p)
        if p == 0:
            raise ValueError(f"propensities[{i}] is 0: a logged action must have had a chance to be chosen")
        out.append(row[a] / p)
    return out


def _check_weights_rewards(rewards, weights) -> tuple[list[float], list[float]]:
    r = check_finite_vector("rewards", rewards)
    w = check_finite_vector("weights", weights)
    check_same_length("rewards", r, "weights", w)
    if min(w) < 0:
        raise ValueError(f"weights must be >= 0, got {min(w)}")
    return r, w


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's ``(sum w)^2 / sum w^2``: ``n`` for equal weights, near 1 when one weight dominates."""
    w = check_finite_vector("weights", weights)
    if min(w) < 0:
        raise ValueError(f"weights must be >= 0, got {min(w)}")
    sq = math.fsum(v * v for v in w)
    return math.fsum(w) ** 2 / sq if sq > 0 else 0.0


def direct_method(target_probs: Sequence[Sequence[float]], predicted: Sequence[Sequence[float]]) -> float:
    """``(1/n) sum_i sum_a pi(a | x_i) qhat(x_i, a)``; ``predicted[i]`` is ``qhat(x_i, .)``."""
    terms = _dm_terms(target_probs, predicted)
    return math.fsum(terms) / len(terms)


def _dm_terms(target_probs, predicted) -> list[float]:
    n = check_same_length("target_probs", target_probs, "predicted", predicted)
    if n == 0:
        raise ValueError("target_probs must not be empty")
    out = []
    seen = {}        # logs repeat a context's rows (the same list objects): sum each pair once
    for i, (pi, q) in enumerate(zip(target_probs, predicted)):
        key = (id(pi), id(q))
        term = seen.get(key)
        if term is None:
            if len(pi) != len(q):
                raise ValueError(f"target_probs[{i}] and predicted[{i}] must have the same length, "
                                 f"got {len(pi)} and {len(q)}")
            term = seen[key] = math.fsum(p * v for p, v in zip(pi, q))
        out.append(term)
    return out


def ips(rewards: Sequence[float], weights: Sequence[float]) -> float:
    """Inverse propensity scoring: ``(1/n) sum_i w_i r_i``."""
    r, w = _check_weights_rewards(rewards, weights)
    return math.fsum(a * b for a, b in zip(w, r)) / len(r)


def snips(rewards: Sequence[float], weights: Sequence[float]) -> float:
    """Self-normalized IPS: ``sum_i w_i r_i / sum_i w_i`` (0 if every weight is 0)."""
    r, w = _check_weights_rewards(rewards, weights)
    total = math.fsum(w)
    return math.fsum(a * b for a, b in zip(w, r)) / total if total > 0 else 0.0


def clipped_ips(rewards: Sequence[float], weights: Sequence[float], max_weight: float) -> float:
    """IPS with every weight capped at ``max_weight``: ``(1/n) sum_i min(w_i, M) r_i``."""
    r, w = _check_weights_rewards(rewards, weights)
    m = check_positive("max_weight", max_weight)
    return math.fsum(min(a, m) * b for a, b in zip(w, r)) / len(r)


def doubly_robust(rewards: Sequence[float], actions: Sequence[int], weights: Sequence[float],
                  target_probs: Sequence[Sequence[float]], predicted: Sequence[Sequence[float]]) -> float:
    """``(1/n) sum_i [ sum_a pi(a | x_i) qhat(x_i, a) + w_i (r_i - qhat(x_i, a_i)) ]``."""
    r, w = _check_weights_rewards(rewards, weights)
    check_same_length("rewards", r, "actions", actions)
    dm = _dm_terms(target_probs, predicted)
    check_same_length("rewards", r, "target_probs", dm)
    return _dr(r, actions, w, dm, predicted)


def _dr(r, actions, w, dm, predicted) -> float:
    return math.fsum(d + wi * (ri - q[a]) for d, wi, ri, a, q in zip(dm, w, r, actions, predicted)) / len(r)


def estimate_all(rewards: Sequence[float], actions: Sequence[int], propensities: Sequence[float],
                 target_probs: Sequence[Sequence[float]], predicted: Sequence[Sequence[float]],
                 max_weight: float = 10.0) -> dict:
    """Every estimator of ``ESTIMATORS`` on one log (weights and model terms computed once),
    plus ``effective sample size`` and ``max weight``."""
    w = importance_weights(target_probs, actions, propensities)
    r, w = _check_weights_rewards(rewards, w)
    m = check_positive("max_weight", max_weight)
    dm = _dm_terms(target_probs, predicted)
    check_same_length("rewards", r, "predicted", dm)
    n, total = len(r), math.fsum(w)
    weighted = math.fsum(a * b for a, b in zip(w, r))
    return {"direct method": math.fsum(dm) / n,
            "IPS": weighted / n,
            "SNIPS": weighted / total if total > 0 else 0.0,
            "clipped IPS": math.fsum(min(a, m) * b for a, b in zip(w, r)) / n,
            "doubly robust": _dr(r, actions, w, dm, predicted),
            "effective sample size": effective_sample_size(w),
            "max weight": max(w)}
