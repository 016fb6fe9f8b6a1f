"""Unit and property tests for mlsd.data.graph."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.data import graph as g


@pytest.fixture(scope="module")
def small():
    return g.make_social_graph(n_users=300, n_communities=5, growth_edges=800, seed=1)


def test_graph_is_seeded_memoized_and_immutable(small):
    assert g.make_social_graph(n_users=300, n_communities=5, growth_edges=800, seed=1) is small
    other = g.make_social_graph(n_users=300, n_communities=5, growth_edges=800, seed=2)
    assert other.edges != small.edges
    assert isinstance(small.edges, tuple) and isinstance(small.community, tuple)
    with pytest.raises(AttributeError):
        small.edges = ()


def test_graph_structure(small):
    assert len(small.community) == 300 and set(small.community) == set(range(5))
    assert len(small.edges) == len(set(small.edges)) == len(small.triadic)
    assert all(0 <= u < v < 300 for u, v in small.edges)
    assert 800 < len(small.edges) <= 300 * 3 + 800   # duplicate first links are dropped
    # most friendships stay inside a community (p_in = 0.8, and triangles close inside groups)
    inside = sum(small.community[u] == small.community[v] for u, v in small.edges)
    assert inside / len(small.edges) > 0.7
    # hubs: the busiest user has several times the median degree
    degrees = sorted(len(a) for a in g.adjacency(300, small.edges))
    assert degrees[-1] > 3 * degrees[len(degrees) // 2]


def test_newest_edges_are_mostly_triangle_closures(small):
    growth = small.triadic[-800:]
    assert 0.55 < sum(growth) / len(growth) < 0.8


def test_scores_by_hand():
    #   0 - 1 - 2      0 and 2 share 1; 0 and 3 share 1 and 4
    #   |   |
    #   4 - 3
    adj = g.adjacency(5, [(0, 1), (1, 2), (1, 3), (0, 4), (3, 4)])
    assert g.common_neighbors(adj, 0, 3) == 2
    assert g.adamic_adar(adj, 0, 3) == pytest.approx(1 / math.log(3) + 1 / math.log(2))
    assert g.jaccard(adj, 0, 3) == pytest.approx(2 / 2)
    assert g.jaccard(adj, 0, 2) == pytest.approx(1 / 2)
    assert g.friend_of_friend_candidates(adj, 0) == {2: 1, 3: 2}
    assert g.recommend_friends(adj, 0, k=1, score="common_neighbors") == [(3, 2.0)]
    assert [c for c, _ in g.recommend_friends(adj, 0, k=5)] == [3, 2]


@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)).filter(lambda e: e[0] != e[1]),
                max_size=40), st.integers(0, 14))
@settings(deadline=None, max_examples=60)
def test_candidates_are_exactly_two_hops_away(edges, user):
    adj = g.adjacency(15, edges)
    cands = g.friend_of_friend_candidates(adj, user)
    for c, mutual in cands.items():
        assert c != user and c not in adj[user]
        assert mutual == len(adj[user] & adj[c]) >= 1
    for c in range(15):
        if c != user and c not in adj[user] and adj[user] & adj[c]:
            assert c in cands
    ranked = g.recommend_friends(adj, user, k=15)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    for c, s in ranked:
        assert s == g.adamic_adar(adj, user, c)


def test_split_and_evaluate(small):
    train, test = g.split_edges(small, 0.1)
    assert len(test) == round(len(small.edges) * 0.1)
    assert list(small.edges[-len(test):]) == test
    assert sum(len(a) for a in train) == 2 * (len(small.edges) - len(test))
    r = g.evaluate_pymk(train, test, k=10)
    assert 0 < r["recall_at_k"] <= r["fof_coverage"] <= 1
    assert r["fof_coverage"] > 0.6               # most new friendships close a triangle
    bigger = g.evaluate_pymk(train, test, k=50)
    assert bigger["recall_at_k"] >= r["recall_at_k"]


def test_adamic_adar_beats_jaccard_on_the_default_graph():
    train, test = g.split_edges(g.make_social_graph(), 0.1)
    aa = g.evaluate_pymk(train, test, k=10, score="adamic_adar")["recall_at_k"]
    jac = g.evaluate_pymk(train, test, k=10, score="jaccard")["recall_at_k"]
    assert aa > jac


@pytest.mark.parametrize("call, exc, message", [
    (lambda: g.make_social_graph(n_users=2), ValueError, "^n_users must be at least 3"),
    (lambda: g.make_social_graph(n_users=10, n_communities=11), ValueError, "^n_communities must be <= n_users"),
    (lambda: g.make_social_graph(p_in=1.5), ValueError, "^p_in must be a probability"),
    (lambda: g.make_social_graph(growth_edges=-1), ValueError, "^growth_edges must be a non-negative"),
    (lambda: g.make_social_graph(seed=0.5), TypeError, "^seed must be an integer"),
    (lambda: g.adjacency(3, [(0, 3)]), ValueError, r"^edges\[0\] must join two different users"),
    (lambda: g.adjacency(3, [(1, 1)]), ValueError, r"^edges\[0\] must join two different users"),
    (lambda: g.adjacency(3, [(0, 1, 2)]), ValueError, r"^edges\[0\] must be a pair"),
    (lambda: g.split_edges([], 0.1), TypeError, "^graph must be a SocialGraph"),
    (lambda: g.split_edges(g.make_social_graph(), 0.0), ValueError, "^test_fraction must be a probability"),
    (lambda: g.common_neighbors([set(), set()], 0, 2), ValueError, r"^v must be a user in \[0, 2\)"),
    (lambda: g.recommend_friends([set()], 0, k=0), ValueError, "^k must be a positive integer"),
    (lambda: g.recommend_friends([set()], 0, score="katz"), ValueError, "^score must be one of"),
    (lambda: g.evaluate_pymk([set(), set()], []), ValueError, "^test_edges must not be empty"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
