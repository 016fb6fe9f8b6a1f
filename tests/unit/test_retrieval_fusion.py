"""Tests for mlsd.retrieval.fusion: reciprocal rank fusion."""

import pytest

from mlsd.retrieval.fusion import reciprocal_rank_fusion


def test_scores_are_sums_of_reciprocal_ranks():
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 62)


def test_agreement_beats_one_first_place():
    # "b" is second in both lists; "a" and "c" are each first in one list only
    order = [d for d, _ in reciprocal_rank_fusion([["a", "b", "x"], ["c", "b", "y"]])]
    assert order[0] == "b"


def test_accepts_search_results_and_ignores_their_scores():
    bm25 = [(3, 14.2), (1, 9.0)]
    dense = [(1, 0.61), (7, 0.60)]
    order = [d for d, _ in reciprocal_rank_fusion([bm25, dense])]
    assert order[0] == 1 and set(order) == {1, 3, 7}


def test_weights_limit_and_ties():
    out = reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 2.0])
    assert out[0][0] == "b"
    assert [d for d, _ in reciprocal_rank_fusion([["a"], ["b"]])] == ["a", "b"]   # first seen
    assert len(reciprocal_rank_fusion([["a", "b", "c"]], limit=2)) == 2


def test_small_k_rewards_the_head_of_a_list():
    lists = [["a", "b", "c"], ["b", "x", "a"]]
    assert reciprocal_rank_fusion(lists, k=0)[0][0] == "b"
    # with k = 0 a first place (1) outweighs a second and a third (1/2 + 1/3)
    assert reciprocal_rank_fusion([["a", "q"], ["z", "y", "a"]], k=0)[0][0] == "a"


@pytest.mark.parametrize("args, error, match", [
    (("ab",), TypeError, "ranked_lists"),
    (([],), ValueError, "at least one"),
    (([["a", "a"]],), ValueError, "same id twice"),
    (([[["x"]]],), TypeError, "unhashable"),
    (([["a"]], -1), ValueError, "k must be"),
    (([["a"]], 60, [1, 2]), ValueError, "one weight per list"),
    (([["a"]], 60, [-1]), ValueError, "weights must be"),
    (([["a"]], 60, None, 0), ValueError, "limit"),
    (([5],), TypeError, r"ranked_lists\[0\]"),
])
def test_bad_input_is_named(args, error, match):
    with pytest.raises(error, match=match):
        reciprocal_rank_fusion(*args)
