"""Pairwise preferences: a win rate with its confidence interval, the comparisons it needs, Bradley-Terry and Elo.

A side-by-side evaluation shows a rater (a person or a judge model) two answers to the same
prompt and asks which is better. Each comparison of system B against system A ends in a win, a
loss or a tie for B.

**Win rate.** Count a tie as half a win: ``w = (wins + ties / 2) / n``. :func:`win_rate` gives
the Wilson score interval (Wilson, 1927), which stays inside [0, 1] and behaves at small n::

    centre = (w + z^2 / 2n) / (1 + z^2 / n)
    half   = z / (1 + z^2 / n) * sqrt(w (1 - w) / n + z^2 / 4n^2)

With ties the half-counts make the variance a little smaller than ``w (1 - w)``, so the
interval is slightly conservative.

**Comparisons needed.** To tell a true win rate ``p`` from 0.5 with a two-sided level-``alpha``
test and power ``1 - beta`` (normal approximation)::

    n = ((z_{1-alpha/2} * 0.5 + z_{1-beta} * sqrt(p (1 - p))) / (p - 0.5))^2

A 55 % win rate needs about 780 comparisons, 52 % about 4,900: halving the edge quadruples n.

**Bradley-Terry** (Bradley and Terry, Biometrika 1952) gives each system i a strength
``s_i > 0`` with ``P(i beats j) = s_i / (s_i + s_j)``, i.e. a logistic function of the
difference of log strengths. :func:`bradley_terry` finds the maximum-likelihood strengths with
the minorise-maximise update of Hunter (Annals of Statistics, 2004)::

    s_i <- W_i / sum_{j != i} n_ij / (s_i + s_j)

(``W_i`` wins of i, ``n_ij`` comparisons between i and j; ties count half a win to each),
rescaled after each sweep so the log strengths average 0. It uses all comparisons at once, so
their order does not matter. The maximum-likelihood strengths exist and are unique exactly when,
however the systems are split into two groups, some system of each group has beaten (or tied)
some system of the other: the graph of "i beat j" is strongly connected (Ford, American
Mathematical Monthly, 1957; Hunter's Assumption 1). A system that never won or never lost breaks
it; so do two groups that never met. The function checks it.

**Elo** updates two ratings after each comparison, in the order they come::

    expected_i = 1 / (1 + 10^((r_j - r_i) / 400)),  r_i <- r_i + K (result_i - expected_i)

It is an online approximation of the same model (rating differences of 400 log10(s_i / s_j)),
cheap to update, but its final ratings depend on the order of the games and on K.
"""

from __future__ import annotations

import math

from mlsd import stats
from mlsd.validate import (check_int, check_non_negative_int, check_open_probability, check_positive,
                           check_positive_int)

__all__ = ["win_rate", "comparisons_needed", "bradley_terry", "elo", "bt_win_probability"]


def win_rate(wins: int, losses: int, ties: int = 0, alpha: float = 0.05) -> dict:
    """Win rate ``(wins + ties / 2) / n`` with its Wilson ``1 - alpha`` interval."""
    wins, losses = check_non_negative_int("wins", wins), check_non_negative_int("losses", losses)
    ties = check_non_negative_int("ties", ties)
    alpha = check_open_probability("alpha", alpha)
    n = wins + losses + ties
    if n == 0:
        raise ValueError("wins + losses + ties must be positive: there are no comparisons")
    w = (wins + ties / 2) / n
    z = stats.norm_ppf(1 - alpha / 2)
    denom = 1 + z * z / n
    centre = (w + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(w * (1 - w) / n + z * z / (4 * n * n))
    return {"n": n, "win_rate": w, "low": max(0.0, centre - half), "high": min(1.0, centre + half)}


def comparisons_needed(p: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Comparisons needed to tell a true win rate ``p`` from 0.5 (two-sided level ``alpha``)."""
    p = check_open_probability("p", p)
    if p == 0.5:
        raise ValueError("p must differ from 0.5: no sample size detects a win rate of exactly 0.5")
    alpha, power = check_open_probability("alpha", alpha), check_open_probability("power", power)
    z_a, z_b = stats.norm_ppf(1 - alpha / 2), stats.norm_ppf(power)
    return math.ceil(((z_a * 0.5 + z_b * math.sqrt(p * (1 - p))) / (p - 0.5)) ** 2)


def _outcomes(n_players, comparisons) -> list[tuple[int, int, float]]:
    n_players = check_positive_int("n_players", n_players)
    if n_players < 2:
        raise ValueError(f"n_players must be at least 2, got {n_players}")
    if isinstance(comparisons, (str, bytes)) or not hasattr(comparisons, "__iter__"):
        raise TypeError("comparisons must be a list of (i, j, result) tuples")
    out = []
    for k, c in enumerate(comparisons):
        if not isinstance(c, (tuple, list)) or len(c) != 3:
            raise TypeError(f"comparisons[{k}] must be a tuple (i, j, result), got {c!r}")
        i, j, r = c
        for name, v in (("i", i), ("j", j)):
            check_int(f"comparisons[{k}].{name}", v)
            if not 0 <= v < n_players:
                raise ValueError(f"comparisons[{k}].{name} must be in [0, {n_players}), got {v}")
        if i == j:
            raise ValueError(f"comparisons[{k}] compares system {i} with itself")
        if r not in (0, 0.5, 1):
            raise ValueError(f"comparisons[{k}].result must be 1 (i wins), 0 (j wins) or 0.5 (tie), got {r!r}")
        out.append((i, j, float(r)))
    if not out:
        raise ValueError("comparisons must not be empty")
    return out


def bradley_terry(n_players: int, comparisons, n_iter: int = 200, tol: float = 1e-10) -> list[float]:
    """Maximum-likelihood Bradley-Terry log strengths (mean 0) from ``(i, j, result)`` comparisons.

    ``result`` is 1 if i won, 0 if j won, 0.5 for a tie. Raises ``ValueError`` if some system
    never won or never lost (its strength would run off to 0 or infinity), or if the systems
    split into groups with no win from one group over the other (their relative strengths are
    not determined).
    """
    games = _outcomes(n_players, comparisons)
    n_iter = check_positive_int("n_iter", n_iter)
    wins, losses = [0.0] * n_players, [0.0] * n_players
    pairs: dict[tuple[int, int], int] = {}
    for i, j, r in games:
        wins[i] += r
        wins[j] += 1 - r
        losses[i] += 1 - r
        losses[j] += r
        key = (min(i, j), max(i, j))
        pairs[key] = pairs.get(key, 0) + 1
    for i in range(n_players):
        if wins[i] == 0 or losses[i] == 0:
            raise ValueError(f"system {i} has {wins[i]:g} wins and {losses[i]:g} losses: "
                             "Bradley-Terry needs at least one of each for every system")
    beat = [set() for _ in range(n_players)]      # beat[i]: systems i has beaten or tied
    for i, j, r in games:
        if r > 0:
            beat[i].add(j)
        if r < 1:
            beat[j].add(i)
    beaten_by = [set() for _ in range(n_players)]
    for i in range(n_players):
        for j in beat[i]:
            beaten_by[j].add(i)
    for edges, what in ((beat, "beaten by system 0"), (beaten_by, "winners over system 0")):
        seen, todo = {0}, [0]
        while todo:
            for j in edges[todo.pop()]:
                if j not in seen:
                    seen.add(j)
                    todo.append(j)
        if len(seen) < n_players:
            missing = sorted(set(range(n_players)) - seen)
            raise ValueError(f"systems {missing} were never {what}, directly or through other systems: "
                             "their Bradley-Terry strengths are not determined (Ford's condition fails)")
    s = [1.0] * n_players
    for _ in range(n_iter):
        denom = [0.0] * n_players
        for (i, j), n in pairs.items():
            d = n / (s[i] + s[j])
            denom[i] += d
            denom[j] += d
        new = [wins[i] / denom[i] for i in range(n_players)]
        shift = math.fsum(math.log(x) for x in new) / n_players
        new = [x / math.exp(shift) for x in new]
        done = max(abs(math.log(a / b)) for a, b in zip(new, s)) < tol
        s = new
        if done:
            break
    return [math.log(x) for x in s]


def bt_win_probability(theta_i: float, theta_j: float) -> float:
    """P(i beats j) under Bradley-Terry with log strengths ``theta_i`` and ``theta_j``."""
    return 1 / (1 + math.exp(theta_j - theta_i))


def elo(n_players: int, comparisons, k: float = 32.0, initial: float = 1000.0) -> list[float]:
    """Elo ratings after playing ``(i, j, result)`` comparisons in the given order."""
    games = _outcomes(n_players, comparisons)
    k = check_positive("k", k)
    r = [float(initial)] * n_players
    for i, j, res in games:
        expected = 1 / (1 + 10 ** ((r[j] - r[i]) / 400))
        r[i] += k * (res - expected)
        r[j] -= k * (res - expected)
    return r
