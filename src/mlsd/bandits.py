"""Multi-armed bandits: explore a little, exploit a lot, and measure the regret.

A bandit chooses one of ``K`` arms (items, layouts, ranking variants) at each
step, sees only that arm's reward, and must balance trying arms it knows little
about (exploration) against playing the best one so far (exploitation).
*Regret* after ``T`` steps is ``sum_t (mu* - mu_{a_t})``: the expected reward lost
by not always playing the best arm. Good policies have regret growing like
``log T``; a policy that never explores (or always does) grows like ``T``.

- **epsilon-greedy**: with probability ``epsilon`` play a random arm, else the
  arm with the best average. Simple; keeps exploring forever at rate epsilon.
- **UCB1**: play the arm maximizing ``mean_a + sqrt(2 ln t / n_a)`` — optimism
  in the face of uncertainty: rarely tried arms get a large bonus.
- **Thompson sampling** (Bernoulli rewards): keep a ``Beta(1 + wins, 1 + losses)``
  posterior per arm, draw one sample from each, play the largest. Arms are
  tried in proportion to the probability that they are the best.
- **LinUCB** (contextual): each arm has a ridge regression ``theta_a = A_a^-1 b_a``
  on the context ``x``; play ``argmax theta_a.x + alpha sqrt(x^T A_a^-1 x)``. The
  inverse is kept up to date with the Sherman–Morrison formula,
  ``(A + x x^T)^-1 = A^-1 - (A^-1 x)(A^-1 x)^T / (1 + x^T A^-1 x)``, so no matrix
  is ever inverted.

Cold start: a new user has no history, so a recommender falls back to popular
items (``with_popularity_fallback``); a new *item* has no clicks, which is
exactly the exploration problem above.

References: Auer, Cesa-Bianchi & Fischer, "Finite-time Analysis of the
Multiarmed Bandit Problem", Machine Learning 47, 2002
(https://doi.org/10.1023/A:1013689704352); Chapelle & Li, "An Empirical
Evaluation of Thompson Sampling", NeurIPS 2011; Li, Chu, Langford & Schapire,
"A Contextual-Bandit Approach to Personalized News Article Recommendation",
WWW 2010 (https://arxiv.org/abs/1003.0146).
"""

from __future__ import annotations

import math
import random
from typing import Callable, Hashable, Iterable, Mapping, Sequence

from mlsd.validate import (check_callable, check_finite_vector, check_int, check_k,
                           check_non_empty, check_number, check_positive, check_positive_int,
                           check_probability)

__all__ = ["EpsilonGreedy", "UCB1", "ThompsonSampling", "LinUCB", "simulate_bandits",
           "simulate_contextual_bandits", "popular_items", "with_popularity_fallback"]


def _check_rng(rng: object) -> random.Random:
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    return rng


class _CountingPolicy:
    """Shared bookkeeping: pulls and running mean reward per arm."""

    def __init__(self, n_arms: int):
        self.n_arms = check_positive_int("n_arms", n_arms)
        self.counts = [0] * self.n_arms
        self.values = [0.0] * self.n_arms      # running mean reward of each arm

    def _check_arm(self, arm: int) -> int:
        check_int("arm", arm)
        if not 0 <= arm < self.n_arms:
            raise ValueError(f"arm must be in [0, {self.n_arms}), got {arm}")
        return arm

    def update(self, arm: int, reward: float) -> None:
        """Record ``reward`` for ``arm`` (incremental mean: no list of past rewards kept)."""
        arm, reward = self._check_arm(arm), check_number("reward", reward)
        self.counts[arm] += 1
        self.values[arm] += (reward - self.values[arm]) / self.counts[arm]


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product. ``math.fsum`` is exactly rounded, so results match on every Python version
    (the built-in ``sum`` of floats changed its rounding in Python 3.12)."""
    return math.fsum(x * y for x, y in zip(a, b))


def _argmax(values: Sequence[float], rng: random.Random | None = None) -> int:
    """Index of the largest value. Ties go to a random one when ``rng`` is given, else the first.

    Random tie-breaking matters at the start, when every estimate is 0: always
    taking arm 0 would hand a head start to whichever arm happens to be listed first.
    """
    top = max(values)
    best = [i for i, v in enumerate(values) if v == top]
    return best[0] if rng is None or len(best) == 1 else rng.choice(best)


class EpsilonGreedy(_CountingPolicy):
    """Explore a random arm with probability ``epsilon``, otherwise play the best mean."""

    def __init__(self, n_arms: int, epsilon: float = 0.1):
        super().__init__(n_arms)
        self.epsilon = check_probability("epsilon", epsilon)

    def select(self, rng: random.Random) -> int:
        if _check_rng(rng).random() < self.epsilon:
            return rng.randrange(self.n_arms)
        return _argmax(self.values, rng)


class UCB1(_CountingPolicy):
    """Play each arm once, then the arm with the highest upper confidence bound.

    ``c`` scales the bonus ``sqrt(c ln t / n_a)``; ``c = 2`` is Auer et al.'s UCB1.
    """

    def __init__(self, n_arms: int, c: float = 2.0):
        super().__init__(n_arms)
        self.c = check_positive("c", c)

    def select(self, rng: random.Random | None = None) -> int:
        for arm, n in enumerate(self.counts):
            if n == 0:
                return arm
        log_t = math.log(sum(self.counts))
        return _argmax([v + math.sqrt(self.c * log_t / n) for v, n in zip(self.values, self.counts)], rng)


class ThompsonSampling(_CountingPolicy):
    """Beta-Bernoulli Thompson sampling: sample each arm's posterior, play the best sample.

    Rewards must lie in [0, 1]; a reward ``r`` adds ``r`` to the arm's successes
    and ``1 - r`` to its failures (so 0/1 clicks give the exact posterior).
    """

    def __init__(self, n_arms: int, prior_alpha: float = 1.0, prior_beta: float = 1.0):
        super().__init__(n_arms)
        self.alpha = [check_positive("prior_alpha", prior_alpha)] * self.n_arms
        self.beta = [check_positive("prior_beta", prior_beta)] * self.n_arms

    def select(self, rng: random.Random) -> int:
        _check_rng(rng)
        return _argmax([rng.betavariate(a, b) for a, b in zip(self.alpha, self.beta)])

    def update(self, arm: int, reward: float) -> None:
        reward = check_probability("reward", reward)
        super().update(arm, reward)
        self.alpha[arm] += reward
        self.beta[arm] += 1.0 - reward


class LinUCB:
    """Disjoint LinUCB: a ridge regression per arm and an upper confidence bound on its score.

    ``select(context)`` returns ``argmax_a theta_a.x + alpha sqrt(x^T A_a^-1 x)``;
    ``update(arm, context, reward)`` adds one observation. ``A_a`` starts as
    ``ridge * I``; its inverse is updated with Sherman–Morrison in O(d^2).
    """

    contextual = True

    def __init__(self, n_arms: int, dim: int, alpha: float = 1.0, ridge: float = 1.0):
        self.n_arms = check_positive_int("n_arms", n_arms)
        self.dim = check_positive_int("dim", dim)
        self.alpha = check_number("alpha", alpha)
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        ridge = check_positive("ridge", ridge)
        d = self.dim
        self.A_inv = [[[1.0 / ridge if i == j else 0.0 for j in range(d)] for i in range(d)]
                      for _ in range(self.n_arms)]
        self.b = [[0.0] * d for _ in range(self.n_arms)]
        self.theta = [[0.0] * d for _ in range(self.n_arms)]    # ridge estimate A^-1 b, kept current
        self.counts = [0] * self.n_arms

    @staticmethod
    def _matvec(M: list[list[float]], x: Sequence[float]) -> list[float]:
        return [_dot(row, x) for row in M]

    def scores(self, context: Sequence[float]) -> list[float]:
        """Upper confidence bound of each arm for this context."""
        x = check_finite_vector("context", context, self.dim)
        out = []
        for A_inv, theta in zip(self.A_inv, self.theta):
            A_inv_x = self._matvec(A_inv, x)
            width = math.sqrt(max(0.0, _dot(A_inv_x, x)))
            out.append(_dot(theta, x) + self.alpha * width)
        return out

    def select(self, context: Sequence[float], rng: random.Random | None = None) -> int:
        return _argmax(self.scores(context), rng)

    def update(self, arm: int, context: Sequence[float], reward: float) -> None:
        check_int("arm", arm)
        if not 0 <= arm < self.n_arms:
            raise ValueError(f"arm must be in [0, {self.n_arms}), got {arm}")
        x = check_finite_vector("context", context, self.dim)
        reward = check_number("reward", reward)
        A_inv = self.A_inv[arm]
        u = self._matvec(A_inv, x)                              # A^-1 x (A is symmetric)
        denom = 1.0 + _dot(u, x)
        for i in range(self.dim):                               # Sherman–Morrison update
            for j in range(self.dim):
                A_inv[i][j] -= u[i] * u[j] / denom
        self.b[arm] = [bv + reward * v for bv, v in zip(self.b[arm], x)]
        self.theta[arm] = self._matvec(A_inv, self.b[arm])
        self.counts[arm] += 1


# --- simulations ----------------------------------------------------------------------------

def _default_policies(n_arms: int) -> dict[str, Callable[[], object]]:
    return {"epsilon-greedy (0.1)": lambda: EpsilonGreedy(n_arms, 0.1),
            "UCB1": lambda: UCB1(n_arms),
            "Thompson sampling": lambda: ThompsonSampling(n_arms)}


def _check_policies(policies, default) -> dict:
    if policies is None:
        return default
    if not isinstance(policies, Mapping) or not policies:
        raise TypeError("policies must be a non-empty dict of name -> function returning a new policy")
    for name, make in policies.items():
        check_callable(f"policies[{name!r}]", make)
    return dict(policies)


def _thin(curve: list[float], every: int) -> list[float]:
    return [curve[t - 1] for t in range(every, len(curve) + 1, every)]


def simulate_bandits(arm_probs: Sequence[float] = (0.30, 0.50, 0.40, 0.45, 0.20),
                     policies: Mapping[str, Callable[[], object]] | None = None,
                     n_steps: int = 2000, n_runs: int = 5, every: int = 20, seed: int = 0) -> dict:
    """Average cumulative regret of each policy on a Bernoulli bandit.

    ``arm_probs`` are the true click rates. ``policies`` maps a name to a
    function that builds a fresh policy (default: epsilon-greedy, UCB1,
    Thompson). Run ``r`` of every policy uses the same seed, so they face the
    same luck. Regret is the expected kind, ``mu* - mu_arm`` per step (less noisy
    than counting realised clicks). Returns ``step`` (every ``every``-th step),
    ``regret`` (name -> average cumulative regret at those steps) and
    ``best_arm_share`` (name -> share of pulls on the best arm over all runs).
    """
    probs = [check_probability(f"arm_probs[{i}]", p) for i, p in enumerate(check_non_empty("arm_probs", arm_probs))]
    if len(probs) < 2:
        raise ValueError(f"arm_probs needs at least 2 arms, got {len(probs)}")
    policies = _check_policies(policies, _default_policies(len(probs)))
    n_steps, n_runs = check_positive_int("n_steps", n_steps), check_positive_int("n_runs", n_runs)
    every = check_positive_int("every", every)
    seed = check_int("seed", seed)
    best = max(probs)
    best_arm = probs.index(best)
    regret, best_share = {}, {}
    for name, make in policies.items():
        total = [0.0] * n_steps
        best_pulls = 0
        for run in range(n_runs):
            rng = random.Random(seed * 1_000_003 + run)
            policy = make()
            cumulative = 0.0
            for t in range(n_steps):
                arm = policy.select(rng)
                policy.update(arm, 1.0 if rng.random() < probs[arm] else 0.0)
                cumulative += best - probs[arm]
                total[t] += cumulative
                best_pulls += arm == best_arm
        regret[name] = _thin([v / n_runs for v in total], every)
        best_share[name] = best_pulls / (n_steps * n_runs)
    return {"step": list(range(every, n_steps + 1, every)), "regret": regret, "best_arm_share": best_share}


def simulate_contextual_bandits(policies: Mapping[str, Callable[[], object]] | None = None,
                                n_arms: int = 4, dim: int = 5, n_steps: int = 1000, n_runs: int = 3,
                                noise: float = 0.1, every: int = 20, seed: int = 0) -> dict:
    """Average cumulative regret when the best arm depends on the context.

    Each arm ``a`` has a hidden weight vector ``theta_a``; at each step a
    context ``x`` (first entry 1, the rest uniform in [-1, 1]) arrives and the
    reward is ``theta_a.x + N(0, noise^2)``. Contextual policies (those with
    ``contextual = True``, e.g. ``LinUCB``) see ``x``; the others cannot,
    and converge to the arm that is best *on average*. Default policies:
    LinUCB, UCB1 and epsilon-greedy. Returns ``step`` and ``regret`` (name -> curve).
    """
    n_arms, dim = check_positive_int("n_arms", n_arms), check_positive_int("dim", dim)
    default = {"LinUCB": lambda: LinUCB(n_arms, dim, alpha=1.0),
               "UCB1 (ignores context)": lambda: UCB1(n_arms, c=0.5),
               "epsilon-greedy (ignores context)": lambda: EpsilonGreedy(n_arms, 0.1)}
    policies = _check_policies(policies, default)
    n_steps, n_runs = check_positive_int("n_steps", n_steps), check_positive_int("n_runs", n_runs)
    noise = check_number("noise", noise)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    every = check_positive_int("every", every)
    seed = check_int("seed", seed)
    regret = {}
    for name, make in policies.items():
        total = [0.0] * n_steps
        for run in range(n_runs):
            rng = random.Random(seed * 1_000_003 + run)
            thetas = [[rng.normalvariate(0.0, 1.0) / math.sqrt(dim) for _ in range(dim)] for _ in range(n_arms)]
            policy = make()
            contextual = getattr(policy, "contextual", False)
            cumulative = 0.0
            for t in range(n_steps):
                x = [1.0] + [rng.uniform(-1.0, 1.0) for _ in range(dim - 1)]
                means = [_dot(theta, x) for theta in thetas]
                arm = policy.select(x, rng) if contextual else policy.select(rng)
                reward = means[arm] + rng.normalvariate(0.0, noise)
                if contextual:
                    policy.update(arm, x, reward)
                else:
                    policy.update(arm, reward)
                cumulative += max(means) - means[arm]
                total[t] += cumulative
        regret[name] = _thin([v / n_runs for v in total], every)
    return {"step": list(range(every, n_steps + 1, every)), "regret": regret}


# --- cold start -----------------------------------------------------------------------------

def popular_items(interactions: Iterable[Hashable], k: int) -> list:
    """The ``k`` most frequent items in ``interactions`` (ties: the item seen first wins)."""
    items = check_non_empty("interactions", interactions)
    counts: dict = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    k = check_k(k, len(counts))
    order = sorted(counts, key=lambda item: -counts[item])      # stable: first seen first on ties
    return order[:k]


def with_popularity_fallback(personalized: Sequence[Hashable], popular: Sequence[Hashable], k: int,
                             exclude: Iterable[Hashable] = ()) -> list:
    """Top-``k`` list: personalized items first, then popular ones to fill the gaps.

    A brand-new user has an empty ``personalized`` list and gets the popular
    items; a user with a short history gets a mix. Items in ``exclude`` (e.g.
    already seen) and duplicates are skipped.
    """
    k = check_positive_int("k", k)
    if isinstance(personalized, (str, bytes)) or isinstance(popular, (str, bytes)):
        raise TypeError("personalized and popular must be sequences of items, not strings")
    popular = check_non_empty("popular", popular)
    seen = set(exclude)
    out = []
    for item in list(personalized) + popular:
        if item not in seen:
            out.append(item)
            seen.add(item)
            if len(out) == k:
                break
    return out
