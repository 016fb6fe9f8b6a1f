"""Tests for casestudies.people_you_may_know: the case study's system behaves as its page says."""

import pytest

from casestudies import people_you_may_know as pymk


def test_world_is_seeded_ordered_and_memoized():
    w = pymk.world()
    assert pymk.world() is w and len(w) == pymk.WORLD["n_edges"]
    assert all(u < v for u, v in w.edges) and len(set(w.edges)) == len(w.edges)
    assert list(w.days) == sorted(w.days) and 0 <= w.days[0] and w.days[-1] < pymk.DAYS
    pymk.world.cache_clear()
    assert pymk.world().edges == w.edges                        # seeded: the same graph again


def test_listed_attributes_hide_part_of_the_truth():
    w = pymk.world()
    shown = sum(s >= 0 for s in w.listed_school) / w.n_users
    assert 0.6 < shown < 0.8
    assert all(ls in (-1, s) for ls, s in zip(w.listed_school, w.school))


def test_graph_at_holds_only_earlier_edges():
    adj, order = pymk.graph_at(pymk.TEST_CUT)
    w = pymk.world()
    n_before = sum(t < pymk.TEST_CUT for t in w.days)
    assert sum(len(f) for f in adj) == 2 * n_before
    assert all(set(order[u]) == adj[u] for u in range(w.n_users))
    late = next(e for e, t in zip(w.edges, w.days) if t >= pymk.TEST_CUT)
    assert late[1] not in adj[late[0]]


def test_fof_candidates_exclude_friends_and_count_paths():
    adj, order = pymk.graph_at(pymk.TEST_CUT)
    user = max(range(len(adj)), key=lambda u: len(adj[u]))
    found, paths = pymk.fof_candidates(adj, order, user, None)
    assert user not in found and not (set(found) & adj[user])
    assert paths == sum(len(adj[f]) for f in adj[user])
    for c, mutual in list(found.items())[:20]:
        assert mutual == len(adj[user] & adj[c])
    capped, capped_paths = pymk.fof_candidates(adj, order, user, 5)
    assert capped_paths <= 5 * len(adj[user]) and set(capped) <= set(found)


def test_candidate_table_updates_equal_a_rebuild():
    adj, _ = pymk.graph_at(pymk.TEST_CUT)
    table = pymk.CandidateTable(adj)
    graph = [set(f) for f in adj]
    w = pymk.world()
    for (a, b), t in zip(w.edges, w.days):
        if pymk.TEST_CUT <= t < pymk.TEST_CUT + 3:
            table.add_friendship(a, b)
            graph[a].add(b)
            graph[b].add(a)
    assert table.counts == pymk.CandidateTable(graph).counts


def test_candidate_table_rejects_bad_pairs():
    table = pymk.CandidateTable([{1}, {0}, set()])
    with pymk_raises(ValueError, "not friends yet"):
        table.add_friendship(0, 1)
    with pymk_raises(ValueError, "b must be a user"):
        table.add_friendship(0, 7)
    assert table.add_friendship(1, 2) > 0 and table.top(0) == [2]


def pymk_raises(error, match):
    return pytest.raises(error, match=match)


def test_leaky_features_differ_only_with_later_edges():
    honest, _ = pymk.training_rows()
    leaky, _ = pymk.training_rows(leak=True)
    assert len(honest) == len(leaky)
    mutual = pymk.FEATURES.index("mutual")
    assert sum(x[mutual] for x in leaky) > sum(x[mutual] for x in honest)


def test_learned_ranker_beats_mutual_friends_and_leak_inflates():
    assert pymk.recall_at_k("gbdt") > pymk.recall_at_k("mutual")
    assert pymk.recall_at_k("gbdt-leaky", leak=True) > pymk.recall_at_k("gbdt-leaky")


def test_serve_returns_ranked_unhidden_suggestions_with_stage_times():
    adj, order = pymk.graph_at(pymk.TEST_CUT)
    user = pymk.eval_users(pymk.TEST_CUT, pymk.DAYS)[0]
    out = pymk.serve(adj, order, user, scorer="adamic_adar")
    assert set(out["ms"]) == set(pymk.SERVE_STAGES) and len(out["suggestions"]) == 10
    hidden = frozenset(out["suggestions"][:3])
    again = pymk.serve(adj, order, user, scorer="adamic_adar", hidden=hidden)
    assert not hidden & set(again["suggestions"]) and again["suggestions"][:7] == out["suggestions"][3:]
    table = pymk.CandidateTable(adj)
    assert pymk.serve(adj, order, user, scorer="mutual", table=table)["paths"] == 0


def test_accept_probability_is_a_probability_that_grows_with_mutual_friends():
    w = pymk.world()
    adj = [set() for _ in range(w.n_users)]
    p0 = pymk.accept_probability(w, adj, 0, 1)
    adj[0].add(2), adj[2].add(0), adj[1].add(2), adj[2].add(1)
    assert 0 < p0 < pymk.accept_probability(w, adj, 0, 1) < 1


@pytest.mark.parametrize("call, error, match", [
    (lambda: pymk.graph_at("315"), TypeError, "day must be a number"),
    (lambda: pymk.graph_at(400), ValueError, "day must be within"),
    (lambda: pymk.new_friendships(300, 200), ValueError, "start must be before end"),
    (lambda: pymk.trained("forest"), ValueError, "kind must be one of"),
    (lambda: pymk.recall_at_k("random"), ValueError, "scorer must be one of"),
    (lambda: pymk.recall_at_k("mutual", k=0), ValueError, "k must be a positive int"),
    (lambda: pymk.fof_candidates([set()], [[]], 0, 0), ValueError, "per_friend_cap"),
    (lambda: pymk.serve([set()], [[]], -1), ValueError, "user must be in"),
    (lambda: pymk.serve([set()], [[]], 1.5), TypeError, "user must be an int"),
    (lambda: pymk.top_k("mutual", [1, 2], [[0.0] * 9]), ValueError, "same length"),
])
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
