"""Interleaving: one list mixed from two rankers, clicks credited to their ranker.

Each user sees a single list; a click counts for the ranker that contributed
the clicked item. Because every user compares both rankers, interleaving needs
far fewer users than an A/B test to tell which ranker is better.

Reference: Radlinski, Kurup & Joachims, "How Does Clickthrough Data Reflect
Retrieval Quality?", CIKM 2008 (https://doi.org/10.1145/1458082.1458092).
"""

from __future__ import annotations

import math
import random
from typing import Hashable, Sequence

from mlsd import stats
from mlsd.validate import (check_int, check_non_empty, check_open_probability, check_positive,
                           check_positive_int, check_same_length)

__all__ = ["team_draft_interleave", "interleaving_winner", "simulate_interleaving_vs_ab"]


def team_draft_interleave(ranking_a: Sequence[Hashable], ranking_b: Sequence[Hashable],
                          rng: random.Random, length: int | None = None) -> tuple[list, list]:
    """Team-draft interleaving (Radlinski et al., 2008).

    Like picking teams in a playground: the team with fewer picks so far (a coin
    flip breaks ties) adds its highest-ranked item not yet in the list. Returns
    ``(items, teams)`` where ``teams[i]`` is ``"A"`` or ``"B"``. Stops when
    either ranking runs out or after ``length`` items.
    """
    ranking_a, ranking_b = check_non_empty("ranking_a", ranking_a), check_non_empty("ranking_b", ranking_b)
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    limit = len(ranking_a) + len(ranking_b) if length is None else check_positive_int("length", length)
    return _team_draft(ranking_a, ranking_b, rng, limit)


def _team_draft(ranking_a: Sequence, ranking_b: Sequence, rng: random.Random,
                limit: int) -> tuple[list, list]:
    items, teams, used = [], [], set()
    picks_a = picks_b = 0
    next_a = next_b = 0                       # cursors: first item of each ranking not yet used
    len_a, len_b = len(ranking_a), len(ranking_b)
    while len(items) < limit:
        while next_a < len_a and ranking_a[next_a] in used:
            next_a += 1
        while next_b < len_b and ranking_b[next_b] in used:
            next_b += 1
        if next_a == len_a or next_b == len_b:
            break
        if picks_a < picks_b or (picks_a == picks_b and rng.random() < 0.5):
            item, team = ranking_a[next_a], "A"
            picks_a += 1
        else:
            item, team = ranking_b[next_b], "B"
            picks_b += 1
        items.append(item)
        teams.append(team)
        used.add(item)
    return items, teams


def interleaving_winner(teams: Sequence[str], clicked: Sequence[bool]) -> str | None:
    """Credit each click to the team that placed the item: ``"A"``, ``"B"`` or ``None`` (tie)."""
    teams, clicked = list(teams), list(clicked)
    check_same_length("teams", teams, "clicked", clicked)
    bad = [t for t in teams if t not in ("A", "B")]
    if bad:
        raise ValueError(f"teams must contain only 'A' and 'B', got {bad[0]!r}")
    a = sum(1 for t, c in zip(teams, clicked) if c and t == "A")
    b = sum(1 for t, c in zip(teams, clicked) if c and t == "B")
    return "A" if a > b else "B" if b > a else None


def simulate_interleaving_vs_ab(n_users: Sequence[int] = (100, 200, 400, 800, 1600), n_trials: int = 30,
                                n_queries: int = 50, n_docs: int = 20, list_length: int = 6,
                                noise_a: float = 1.0, noise_b: float = 0.5, alpha: float = 0.05,
                                seed: int = 0) -> dict:
    """How often an A/B test and an interleaving test pick the better ranker B, per number of users.

    Each query has ``n_docs`` documents with a click probability when seen.
    Both rankers sort by that probability plus Gaussian noise; B is less noisy,
    so it is better. Users examine position ``i`` with probability ``1/(i+1)``
    and click independently. The A/B test splits users in half and compares
    the share of users who click anything (two-proportion z-test; that share is
    ``1 - prod(1 - P(click at i))``, drawn once per user). The interleaving test
    shows every user a team-draft list and runs a sign test on the per-user
    winners. A trial counts as a detection when the test is significant *and*
    favours B. Within a trial, the first ``n`` users are the experiment of size
    ``n``. Returns ``n_users, ab_detection, interleaving_detection``.
    """
    sizes = sorted(check_positive_int(f"n_users[{i}]", v)
                   for i, v in enumerate(check_non_empty("n_users", n_users)))
    n_trials = check_positive_int("n_trials", n_trials)
    n_queries, n_docs = check_positive_int("n_queries", n_queries), check_positive_int("n_docs", n_docs)
    list_length = check_positive_int("list_length", list_length)
    noise_a, noise_b = check_positive("noise_a", noise_a), check_positive("noise_b", noise_b)
    alpha = check_open_probability("alpha", alpha)
    rng = random.Random(check_int("seed", seed))
    z_crit = stats.norm_ppf(1.0 - alpha / 2.0)
    exam = [1.0 / (i + 1) for i in range(list_length)]

    def p_any_click(attract, shown):
        p_none = 1.0
        for i, d in enumerate(shown):
            p_none *= 1.0 - exam[i] * attract[d]
        return 1.0 - p_none

    queries = []                   # (click prob per doc, ranking A, ranking B, P(any click) A, B)
    for _ in range(n_queries):
        attract = [0.8 * rng.random() ** 3 for _ in range(n_docs)]    # few attractive docs
        rank_a = sorted(range(n_docs), key=lambda d: -(4 * attract[d] + rng.normalvariate(0, noise_a)))
        rank_b = sorted(range(n_docs), key=lambda d: -(4 * attract[d] + rng.normalvariate(0, noise_b)))
        rank_a, rank_b = rank_a[:list_length], rank_b[:list_length]
        queries.append((attract, rank_a, rank_b, p_any_click(attract, rank_a), p_any_click(attract, rank_b)))

    ab_hits, il_hits = [0] * len(sizes), [0] * len(sizes)
    for _ in range(n_trials):
        users = [0, 0, 0, 0]                   # A/B: users A, clickers A, users B, clickers B
        wins = [0, 0]                          # interleaving: users preferring A, preferring B
        done = 0
        for k, size in enumerate(sizes):
            while done < size:
                attract, rank_a, rank_b, click_a, click_b = queries[rng.randrange(n_queries)]
                arm = done % 2                 # alternate arms: a balanced split
                users[2 * arm] += 1
                users[2 * arm + 1] += rng.random() < (click_b if arm else click_a)
                items, teams = _team_draft(rank_a, rank_b, rng, list_length)
                credit = 0                     # clicks for B minus clicks for A
                for i, (d, team) in enumerate(zip(items, teams)):
                    if rng.random() < exam[i] * attract[d]:
                        credit += 1 if team == "B" else -1
                if credit:
                    wins[credit > 0] += 1
                done += 1
            n_a, x_a, n_b, x_b = users
            pooled = (x_a + x_b) / (n_a + n_b)
            se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b)) if n_a and n_b else 0.0
            ab_hits[k] += se > 0 and (x_b / n_b - x_a / n_a) / se > z_crit
            decided = wins[0] + wins[1]
            # sign test: under H0 each user with a preference prefers B with probability 1/2
            il_hits[k] += decided > 0 and (wins[1] - wins[0]) / math.sqrt(decided) > z_crit
    return {"n_users": sizes, "ab_detection": [h / n_trials for h in ab_hits],
            "interleaving_detection": [h / n_trials for h in il_hits]}
