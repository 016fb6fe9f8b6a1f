"""Tests for mlsd.compression: quantization, byte counts, pruning, sparse storage, distillation."""

import math
import random

import pytest

from mlsd.compression import (TinyMLP, csr_bytes, dense_cost, dequantize, magnitude_prune,
                              quantize, quantize_rows, quantized_bytes, soft_targets, sparsity,
                              zero_block_share)
from mlsd.metrics import roc_auc


def test_quantize_int8_hand_computed():
    # max |v| = 1.27, Q = 127, so the scale is 0.01 and codes are v / 0.01 rounded.
    codes, scale = quantize([1.27, -0.5, 0.004, 0.006], 8)
    assert scale == pytest.approx(0.01)
    assert codes == [127, -50, 0, 1]
    assert dequantize(codes, scale) == pytest.approx([1.27, -0.5, 0.0, 0.01])


def test_quantize_two_bits_and_error_bound():
    codes, scale = quantize([3.0, 1.4, -1.6, 0.2], 2)       # Q = 1, scale = 3
    assert (codes, scale) == ([1, 0, -1, 0], 3.0)
    rng = random.Random(0)
    values = [rng.gauss(0, 1) for _ in range(500)]
    for bits in (3, 4, 8):
        codes, scale = quantize(values, bits)
        assert max(abs(v - c * scale) for v, c in zip(values, codes)) <= scale / 2 + 1e-12


def test_binary_uses_the_mean_absolute_value_which_minimises_squared_error():
    values = [0.5, -1.5, 2.0, 0.0]
    codes, scale = quantize(values, 1)
    assert codes == [1, -1, 1, 1] and scale == pytest.approx(1.0)

    def err(a):
        return sum((v - a * c) ** 2 for v, c in zip(values, codes))
    assert err(scale) < err(scale * 0.9) and err(scale) < err(scale * 1.1)


def test_all_zero_values():
    assert quantize([0.0, 0.0], 4) == ([0, 0], 0.0)


def test_per_row_scale_beats_one_scale_for_rows_of_different_size():
    rows = [[100.0, -50.0, 25.0], [0.3, -0.2, 0.1]]
    one = quantize_rows(rows, 4, per_row=False)
    each = quantize_rows(rows, 4, per_row=True)
    assert one[1] == [0.0, 0.0, 0.0]                    # the small row vanishes under one scale
    assert each[1] == pytest.approx([0.3, -0.214286, 0.085714], abs=1e-5)  # scale 0.3 / 7


def test_quantized_bytes_hand_computed():
    assert quantized_bytes(10, 32, 32) == 1280
    assert quantized_bytes(10, 32, 8) == 10 * 32 + 40
    assert quantized_bytes(10, 32, 8, per_row=False) == 324
    assert quantized_bytes(10, 3, 4) == 10 * 2 + 40       # 12 bits round up to 2 bytes a row
    assert quantized_bytes(1, 32, 1) == 4 + 4


def test_magnitude_prune_zeroes_the_smallest():
    rows = [[0.1, -3.0], [0.5, -0.2]]
    assert magnitude_prune(rows, 0.5) == [[0.0, -3.0], [0.5, 0.0]]
    assert magnitude_prune(rows, 0.0) == rows
    assert sparsity(magnitude_prune(rows, 1.0)) == 1.0
    assert sparsity([[0.0, 1.0, 2.0, 0.0]]) == 0.5


def test_csr_bytes_and_zero_blocks():
    rows = [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    assert csr_bytes(rows, value_bytes=4, index_bytes=2) == 1 * 6 + 4 * 3
    assert zero_block_share(rows, 2) == 0.75               # [0,1] is the only non-empty block
    assert zero_block_share(rows, 4) == 0.5
    assert zero_block_share([[0.0, 0.0, 1.0]], 2) == 0.5  # the short last block counts


def test_dense_cost_hand_computed():
    cost = dense_cost([10, 4, 1])
    assert cost["multiply_adds"] == 44 and cost["weights"] == 44 + 5
    assert cost["weight_bytes"] == 4 * 44
    assert dense_cost([10, 4, 1], bits=8)["weight_bytes"] == (4 * 10 + 16) + (1 * 4 + 4)


def test_soft_targets():
    assert soft_targets([0.0, 2.0], 1.0) == pytest.approx([0.5, 1 / (1 + math.exp(-2))])
    assert soft_targets([2.0], 2.0) == pytest.approx([1 / (1 + math.exp(-1))])


def _world(n, seed):
    rng = random.Random(seed)
    X = [[rng.gauss(0, 1), rng.gauss(0, 1), rng.gauss(0, 1)] for _ in range(n)]
    p = [1 / (1 + math.exp(-(2 * x[0] * x[1] + x[2] - 1))) for x in X]
    return X, [int(rng.random() < q) for q in p], p


def test_tiny_mlp_learns_an_interaction_and_accepts_soft_targets():
    X, y, p = _world(1500, 0)
    Xt, yt, _ = _world(1000, 1)
    hard = TinyMLP(hidden=8, epochs=5, learning_rate=0.05).fit(X, y)
    soft = TinyMLP(hidden=8, epochs=5, learning_rate=0.05).fit(X, p)
    assert roc_auc(yt, hard.decision_function(Xt)) > 0.75   # a linear model cannot see x0 * x1
    assert roc_auc(yt, soft.decision_function(Xt)) > 0.75
    assert hard.n_params == 8 * 5 + 1


def test_tiny_mlp_mask_keeps_pruned_weights_at_zero():
    X, y, _ = _world(300, 2)
    model = TinyMLP(hidden=4, epochs=1).fit(X, y)
    model.W1 = magnitude_prune(model.W1, 0.5)
    mask = [[float(w != 0.0) for w in row] for row in model.W1]
    model.fit(X, y, mask=mask, warm_start=True)
    assert all(w == 0.0 for row, m in zip(model.W1, mask) for w, k in zip(row, m) if k == 0.0)


@pytest.mark.parametrize("call, kind, words", [
    (lambda: quantize([1.0], 0), ValueError, "bits"),
    (lambda: quantize([1.0], 2.5), TypeError, "bits"),
    (lambda: quantize([], 8), ValueError, "values"),
    (lambda: quantize([float("nan")], 8), ValueError, "values"),
    (lambda: quantize_rows([[1.0], [1.0, 2.0]], 8), ValueError, "rows"),
    (lambda: quantize_rows([[1.0]], 8, per_row="yes"), TypeError, "per_row"),
    (lambda: quantized_bytes(0, 4, 8), ValueError, "n_rows"),
    (lambda: magnitude_prune([[1.0]], 1.5), ValueError, "sparsity"),
    (lambda: zero_block_share([[1.0]], 0), ValueError, "block"),
    (lambda: dense_cost([4]), ValueError, "layer_sizes"),
    (lambda: dense_cost("44"), TypeError, "layer_sizes"),
    (lambda: soft_targets([1.0], 0.0), ValueError, "temperature"),
    (lambda: TinyMLP(hidden=0), ValueError, "hidden"),
    (lambda: TinyMLP().fit([[1.0]], [2.0]), ValueError, "targets"),
    (lambda: TinyMLP().fit([[1.0]], [1, 0]), ValueError, "X and targets"),
    (lambda: TinyMLP().decision_function([[1.0]]), ValueError, "fit"),
])
def test_bad_input_names_the_argument(call, kind, words):
    with pytest.raises(kind, match=words):
        call()
