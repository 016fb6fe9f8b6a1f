"""Tests for mlsd.transforms: scaling, bins, target encoding, ID vocabularies, hash collisions."""

import math

import pytest

from mlsd.transforms import (Standardizer, TargetEncoder, Vocabulary, bucketize, collision_share,
                             expected_collision_share, quantile_edges, uniform_edges)


def test_standardizer_uses_the_fitted_statistics_only():
    s = Standardizer().fit([1, 2, 3, 4])             # mean 2.5, population sd sqrt(1.25)
    assert s.mean == 2.5 and math.isclose(s.std, math.sqrt(1.25))
    assert s.transform([2.5, 100]) == [0.0, (100 - 2.5) / math.sqrt(1.25)]
    assert Standardizer().fit([7, 7, 7]).transform([7, 8]) == [0.0, 1.0]   # constant: std 1


def test_standardizer_bad_input():
    with pytest.raises(ValueError, match="call fit"):
        Standardizer().transform([1])
    with pytest.raises(ValueError, match="values must not be empty"):
        Standardizer().fit([])
    with pytest.raises(TypeError, match=r"values\[1\] must be a number"):
        Standardizer().fit([1, "2"])
    with pytest.raises(ValueError, match=r"values\[0\] must be finite"):
        Standardizer().fit([math.inf])


def test_uniform_and_quantile_edges_hand_computed():
    assert uniform_edges([0, 10], 5) == [2, 4, 6, 8]
    heavy = [1] * 6 + [2, 3, 50, 1000]
    assert quantile_edges(heavy, 5) == [2, 50]              # repeated quantile edges merged
    assert quantile_edges(list(range(100)), 4) == [25, 50, 75]
    assert uniform_edges([3, 3, 3], 1) == [] and quantile_edges([3], 3) == []


def test_bucketize_bins_and_ends():
    assert bucketize([-5, 0, 1.9, 2, 3, 99], [0, 2, 3]) == [0, 1, 1, 2, 3, 3]
    assert bucketize([1, 2], []) == [0, 0]
    # equal widths on a heavy tail: nearly every row lands in the first bin
    heavy = [1] * 90 + [1000] * 10
    assert bucketize(heavy, uniform_edges(heavy, 10)).count(0) == 90


def test_bins_bad_input():
    with pytest.raises(ValueError, match="n_bins must be a positive integer"):
        uniform_edges([1, 2], 0)
    with pytest.raises(TypeError, match="n_bins must be an integer"):
        quantile_edges([1, 2], 2.0)
    with pytest.raises(ValueError, match="edges must be strictly increasing"):
        bucketize([1], [2, 2])
    with pytest.raises(TypeError, match=r"edges\[0\] must be a number"):
        bucketize([1], ["a"])


def test_target_encoder_smoothing_hand_computed():
    cats, ys = ["a", "a", "a", "b"], [1, 1, 0, 0]         # prior 0.5
    enc = TargetEncoder(smoothing=2).fit(cats, ys)
    # a: (2 + 2*0.5) / (3 + 2) = 0.6; b: (0 + 1) / (1 + 2) = 1/3; unseen: the prior
    assert enc.transform(["a", "b", "z"]) == pytest.approx([0.6, 1 / 3, 0.5])
    assert TargetEncoder(smoothing=0).fit(cats, ys).transform(["a"]) == pytest.approx([2 / 3])


def test_out_of_fold_encoding_never_sees_the_own_label():
    # Every category appears once: out of fold, a row's encoding cannot contain its label,
    # so it is the same for a click and a non-click; in-sample it differs.
    cats, ys = [f"id{i}" for i in range(20)], [i % 2 for i in range(20)]
    enc = TargetEncoder(smoothing=1)
    oof = enc.fit_transform_out_of_fold(cats, ys, n_folds=4, seed=0)
    # unseen in the other folds: each row gets the other folds' click rate, k / 15
    assert all(any(math.isclose(v, k / 15) for k in range(16)) for v in oof)
    in_sample = enc.transform(cats)
    assert all(a > b for a, b in zip(in_sample[1::2], in_sample[0::2]))      # clicks encode higher
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    assert mean(oof[1::2]) <= mean(oof[0::2])                                    # out of fold: no lift
    assert enc.prior == 0.5                                                      # refit on all rows


def test_target_encoder_bad_input():
    with pytest.raises(ValueError, match="smoothing must be >= 0"):
        TargetEncoder(-1)
    with pytest.raises(ValueError, match=r"labels\[1\] must be 0 or 1"):
        TargetEncoder().fit(["a", "b"], [0, 2])
    with pytest.raises(ValueError, match="same length|length"):
        TargetEncoder().fit(["a", "b"], [0])
    with pytest.raises(ValueError, match="n_folds must be between 2"):
        TargetEncoder().fit_transform_out_of_fold(["a", "b"], [0, 1], n_folds=3)
    with pytest.raises(ValueError, match="call fit"):
        TargetEncoder().transform(["a"])


def test_vocabulary_oov_bucket():
    vocab = Vocabulary(min_count=2).fit(["u1", "u1", "u2", "u2", "u2", "u3"])
    assert vocab.size == 3                                  # u2, u1 and the OOV index 0
    assert vocab.transform(["u2", "u1", "u3", "new"]) == [1, 2, 0, 0]
    assert Vocabulary().fit(["x"]).transform(["x", "y"]) == [1, 0]


def test_vocabulary_bad_input():
    with pytest.raises(ValueError, match="min_count must be a positive integer"):
        Vocabulary(0)
    with pytest.raises(ValueError, match="call fit"):
        Vocabulary().transform(["a"])
    with pytest.raises(ValueError, match="ids must not be empty"):
        Vocabulary().fit([])


def test_collisions_formula_and_measurement():
    assert expected_collision_share(1, 10) == 0.0
    assert expected_collision_share(2, 4) == pytest.approx(0.25)
    assert expected_collision_share(1000, 1000) == pytest.approx(1 - 0.999 ** 999)
    tokens = [f"ad={i}" for i in range(2000)]
    for m in (500, 2000, 16000):
        assert collision_share(tokens, m) == pytest.approx(expected_collision_share(2000, m), abs=0.04)
    assert collision_share(tokens, 1) == 1.0 and collision_share(["a", "a"], 1) == 0.0


def test_collisions_bad_input():
    with pytest.raises(ValueError, match="n_buckets must be a positive integer"):
        expected_collision_share(3, 0)
    with pytest.raises(ValueError, match="tokens must not be empty"):
        collision_share([], 8)
