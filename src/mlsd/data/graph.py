"""A seeded social graph for "people you may know", and friend-of-friend candidates.

The generator grows a friendship graph the way real ones grow:

1. **Communities.** Each user belongs to one of ``n_communities`` groups
   (a school, a workplace, a city). Group sizes vary.
2. **Sociability.** Each user gets a heavy-tailed activity weight (Pareto with
   shape 2): a few people make and receive many more friendships, so the
   degree distribution has hubs, as real social networks do.
3. **First friends.** Every user links to ``initial_degree`` people, each one
   from their own community with probability ``p_in``, otherwise anyone;
   sociable people are picked more often.
4. **Growth.** ``growth_edges`` more friendships form one at a time, started
   by a user drawn by sociability. With probability ``triadic_closure`` they
   befriend a friend of a friend (the triangle u–v–w closes); otherwise the
   new friend is drawn as in step 3. Edges are kept in creation order, so the *newest* edges make a
   realistic test set: they are what a PYMK system should have suggested.

Candidate generation looks two hops away: the friends of my friends who are
not my friends yet. Two classic scores rank them:

- **Common neighbours** ``|N(u) ∩ N(v)|``.
- **Adamic–Adar** ``sum over w in N(u) ∩ N(v) of 1 / log |N(w)|``: a mutual
  friend with few friends says more than a mutual friend of everybody.

Reference: Liben-Nowell & Kleinberg, "The Link Prediction Problem for Social
Networks", JASIST 58(7), 2007 (https://doi.org/10.1002/asi.20591); Adamic &
Adar, "Friends and neighbors on the Web", Social Networks 25(3), 2003
(https://doi.org/10.1016/S0378-8733(03)00009-1).
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from mlsd.validate import (check_choice, check_int, check_non_negative_int, check_positive_int,
                           check_probability)

__all__ = ["SocialGraph", "make_social_graph", "adjacency", "split_edges", "common_neighbors",
           "adamic_adar", "jaccard", "friend_of_friend_candidates", "recommend_friends",
           "evaluate_pymk"]


@dataclass(frozen=True, eq=False)
class SocialGraph:
    """Users ``0..n_users-1``, their ``community`` ids, and ``edges`` ``(u, v)``, ``u < v``,
    in the order the friendships formed. ``triadic[i]`` says whether edge ``i`` closed a triangle."""

    n_users: int
    n_communities: int
    community: tuple[int, ...]
    edges: tuple[tuple[int, int], ...]
    triadic: tuple[bool, ...]


@functools.lru_cache(maxsize=8)
def make_social_graph(*, n_users: int = 1000, n_communities: int = 10, initial_degree: int = 3,
                      growth_edges: int = 3000, p_in: float = 0.8, triadic_closure: float = 0.7,
                      seed: int = 0) -> SocialGraph:
    """Build the seeded graph described in the module docstring (memoized; immutable result)."""
    n_users = check_positive_int("n_users", n_users)
    if n_users < 3:
        raise ValueError(f"n_users must be at least 3, got {n_users}")
    n_communities = check_positive_int("n_communities", n_communities)
    if n_communities > n_users:
        raise ValueError(f"n_communities must be <= n_users ({n_users}), got {n_communities}")
    initial_degree = check_non_negative_int("initial_degree", initial_degree)
    growth_edges = check_non_negative_int("growth_edges", growth_edges)
    p_in = check_probability("p_in", p_in)
    triadic_closure = check_probability("triadic_closure", triadic_closure)
    rng = random.Random(check_int("seed", seed))

    # Community sizes vary: weights 1..2, then each user picks a community by weight.
    weights = [1.0 + rng.random() for _ in range(n_communities)]
    community = rng.choices(range(n_communities), weights=weights, k=n_users)
    for c in range(n_communities):                  # every community gets at least one member
        community[c] = c
    members = [[u for u in range(n_users) if community[u] == c] for c in range(n_communities)]
    sociability = [rng.paretovariate(2.0) for _ in range(n_users)]
    cum_all = list(accumulate(sociability))                      # for weighted draws by bisection
    cum_in = [list(accumulate(sociability[u] for u in group)) for group in members]

    friends = [set() for _ in range(n_users)]
    edges, triadic = [], []

    def link(u: int, v: int, closed: bool) -> bool:
        if u == v or v in friends[u]:
            return False
        friends[u].add(v)
        friends[v].add(u)
        edges.append((min(u, v), max(u, v)))
        triadic.append(closed)
        return True

    def random_friend(u: int) -> int:
        c = community[u]
        if rng.random() < p_in and len(members[c]) > 1:
            return rng.choices(members[c], cum_weights=cum_in[c])[0]
        return rng.choices(range(n_users), cum_weights=cum_all)[0]

    for u in range(n_users):
        for _ in range(initial_degree):
            link(u, random_friend(u), False)
    made, attempts = 0, 0
    while made < growth_edges and attempts < 20 * growth_edges:
        attempts += 1
        u = rng.choices(range(n_users), cum_weights=cum_all)[0]
        if rng.random() < triadic_closure and friends[u]:
            v = rng.choice(sorted(friends[u]))          # sorted: set order is not reproducible
            w = rng.choice(sorted(friends[v]))
            made += link(u, w, True)
        else:
            made += link(u, random_friend(u), False)
    return SocialGraph(n_users, n_communities, tuple(community), tuple(edges), tuple(triadic))


def adjacency(n_users: int, edges: Sequence[tuple[int, int]]) -> list[set[int]]:
    """A fresh list of friend sets, ``adj[u]`` = friends of ``u`` (safe to modify)."""
    n_users = check_positive_int("n_users", n_users)
    adj = [set() for _ in range(n_users)]
    for i, edge in enumerate(edges):
        if len(edge) != 2:
            raise ValueError(f"edges[{i}] must be a pair (u, v), got {edge!r}")
        u, v = check_int(f"edges[{i}][0]", edge[0]), check_int(f"edges[{i}][1]", edge[1])
        if not (0 <= u < n_users and 0 <= v < n_users) or u == v:
            raise ValueError(f"edges[{i}] must join two different users in [0, {n_users}), got {edge!r}")
        adj[u].add(v)
        adj[v].add(u)
    return adj


def split_edges(graph: SocialGraph, test_fraction: float = 0.1) -> tuple[list[set[int]], list[tuple[int, int]]]:
    """Time-based split: the newest ``test_fraction`` of edges are held out.

    Returns ``(train_adjacency, test_edges)``. A model sees the graph as it was
    and is scored on the friendships that formed next.
    """
    if not isinstance(graph, SocialGraph):
        raise TypeError(f"graph must be a SocialGraph, got {type(graph).__name__}")
    test_fraction = check_probability("test_fraction", test_fraction, open_low=True, open_high=True)
    n_test = max(1, round(len(graph.edges) * test_fraction))
    cut = len(graph.edges) - n_test
    return adjacency(graph.n_users, graph.edges[:cut]), list(graph.edges[cut:])


def _check_pair(adj: Sequence[set[int]], u: int, v: int) -> None:
    for name, x in (("u", u), ("v", v)):
        check_int(name, x)
        if not 0 <= x < len(adj):
            raise ValueError(f"{name} must be a user in [0, {len(adj)}), got {x}")


def common_neighbors(adj: Sequence[set[int]], u: int, v: int) -> int:
    """Number of mutual friends of ``u`` and ``v``."""
    _check_pair(adj, u, v)
    return len(adj[u] & adj[v])


def adamic_adar(adj: Sequence[set[int]], u: int, v: int) -> float:
    """Sum over mutual friends ``w`` of ``1 / log(deg(w))`` (``deg(w) >= 2``: w knows both)."""
    _check_pair(adj, u, v)
    total = 0.0
    for w in sorted(adj[u] & adj[v]):          # fixed order: the same float sum everywhere
        total += 1.0 / math.log(len(adj[w]))
    return total


def jaccard(adj: Sequence[set[int]], u: int, v: int) -> float:
    """Mutual friends over the union of both friend lists (0 if both have none)."""
    _check_pair(adj, u, v)
    union = len(adj[u] | adj[v])
    return len(adj[u] & adj[v]) / union if union else 0.0


def friend_of_friend_candidates(adj: Sequence[set[int]], user: int) -> dict[int, int]:
    """Users two hops from ``user`` who are not already friends: ``{candidate: mutual friends}``."""
    _check_pair(adj, user, user)
    return {c: len(ws) for c, ws in _two_hop(adj, user).items()}


def _two_hop(adj: Sequence[set[int]], user: int) -> dict[int, list[int]]:
    """``{candidate: [mutual friends, in increasing id order]}`` for every friend of a friend."""
    via: dict[int, list[int]] = {}
    for friend in sorted(adj[user]):
        for candidate in adj[friend]:
            if candidate != user and candidate not in adj[user]:
                via.setdefault(candidate, []).append(friend)
    return via


_SCORE_NAMES = ("adamic_adar", "common_neighbors", "jaccard")


def _ranked(adj: Sequence[set[int]], user: int, score: str) -> list[tuple[int, float]]:
    """All two-hop candidates scored in one pass over the mutual-friend lists, best first."""
    scored = []
    for c, mutual in _two_hop(adj, user).items():
        if score == "common_neighbors":
            value = float(len(mutual))
        elif score == "jaccard":
            value = len(mutual) / (len(adj[user]) + len(adj[c]) - len(mutual))
        else:
            value = 0.0
            for w in mutual:                    # same order and arithmetic as adamic_adar()
                value += 1.0 / math.log(len(adj[w]))
        scored.append((c, value))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored


def recommend_friends(adj: Sequence[set[int]], user: int, k: int = 10,
                      score: str = "adamic_adar") -> list[tuple[int, float]]:
    """Top-``k`` friend-of-friend candidates for ``user`` as ``(candidate, score)``, best first.

    ``score`` is ``"adamic_adar"``, ``"common_neighbors"`` or ``"jaccard"``; ties go to
    the smaller user id so results are reproducible.
    """
    k = check_positive_int("k", k)
    score = check_choice("score", score, _SCORE_NAMES)
    _check_pair(adj, user, user)
    return _ranked(adj, user, score)[:k]


def evaluate_pymk(train_adj: Sequence[set[int]], test_edges: Sequence[tuple[int, int]], k: int = 10,
                  score: str = "adamic_adar") -> dict:
    """How well friend-of-friend recommendations predict the held-out friendships.

    For every user with a new friendship in ``test_edges``, recommend ``k``
    people from the training graph. Returns ``fof_coverage`` (share of new
    friendships that are friend-of-friend at all — the ceiling for any
    two-hop candidate generator), ``recall_at_k`` (share found in the top
    ``k``), ``mean_candidates`` per user, and ``users`` evaluated.
    """
    k = check_positive_int("k", k)
    check_choice("score", score, _SCORE_NAMES)
    if not test_edges:
        raise ValueError("test_edges must not be empty")
    new_friends: dict[int, set[int]] = {}
    for u, v in test_edges:
        _check_pair(train_adj, u, v)
        new_friends.setdefault(u, set()).add(v)
        new_friends.setdefault(v, set()).add(u)
    reachable = found = total = n_candidates = 0
    for user in sorted(new_friends):
        ranked = _ranked(train_adj, user, score)
        candidates = {c for c, _ in ranked}
        top = {c for c, _ in ranked[:k]}
        n_candidates += len(candidates)
        for friend in new_friends[user]:
            total += 1
            reachable += friend in candidates
            found += friend in top
    return {"users": len(new_friends), "fof_coverage": reachable / total, "recall_at_k": found / total,
            "mean_candidates": n_candidates / len(new_friends)}
