"""Tests for mlsd.contrastive: the InfoNCE loss, its gradient, training, validation."""

import math
import random

import pytest

from mlsd.contrastive import LinearInfoNCE, info_nce_loss


def _pairs(n=96, d_in=10, d_signal=4, nuisance=1.5, seed=0):
    """Pairs that share a signal in the first ``d_signal`` coordinates and differ by large
    independent nuisance in the others: a projection must learn to drop the nuisance."""
    rng = random.Random(seed)
    a, b = [], []
    for _ in range(n):
        s = [rng.gauss(0, 1) for _ in range(d_signal)]
        a.append(s + [rng.gauss(0, nuisance) for _ in range(d_in - d_signal)])
        b.append([v + rng.gauss(0, 0.05) for v in s] + [rng.gauss(0, nuisance) for _ in range(d_in - d_signal)])
    return a, b


def _match_rate(model, a, b):
    za, zb = model.project(a), model.project(b)
    hits = 0
    for i, z in enumerate(za):
        sims = [sum(x * y for x, y in zip(z, w)) for w in zb]
        hits += max(range(len(sims)), key=sims.__getitem__) == i
    return hits / len(za)


def test_loss_of_aligned_pairs_is_low_and_of_swapped_pairs_is_high():
    eye = [[1.0 if i == j else 0.0 for j in range(4)] for i in range(4)]
    aligned = info_nce_loss(eye, eye, temperature=0.1)
    swapped = info_nce_loss(eye, eye[1:] + eye[:1], temperature=0.1)
    assert aligned < 0.01
    assert swapped > 5.0
    # identical vectors everywhere: every candidate is as good, loss = log N
    same = [[1.0, 0.0]] * 4
    assert info_nce_loss(same, same) == pytest.approx(math.log(4))


def test_gradient_matches_finite_differences():
    a, b = _pairs(n=6, d_in=5, d_signal=2, seed=3)
    model = LinearInfoNCE(5, 3, temperature=0.2, seed=1)
    loss, grad = model.loss_and_grad(a, b)
    assert loss == pytest.approx(info_nce_loss(model.project(a), model.project(b), 0.2))
    h = 1e-6
    for k, j in [(0, 0), (1, 3), (2, 4), (0, 2)]:
        model.W[k][j] += h
        up = info_nce_loss(model.project(a), model.project(b), 0.2)
        model.W[k][j] -= 2 * h
        down = info_nce_loss(model.project(a), model.project(b), 0.2)
        model.W[k][j] += h
        assert grad[k][j] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-7)


def test_training_lowers_the_loss_and_learns_to_ignore_the_nuisance():
    a, b = _pairs(seed=0)
    model = LinearInfoNCE(10, 4, temperature=0.1, lr=0.05, seed=0)
    before = _match_rate(model, a, b)
    model.fit(a, b, epochs=25, batch_size=32)
    assert len(model.history) == 25
    assert model.history[-1] < 0.5 * model.history[0]
    test_a, test_b = _pairs(seed=1)                 # new pairs: generalization, not memory
    after = _match_rate(model, test_a, test_b)
    assert after > before + 0.3 and after > 0.8
    # the learned rows put most of their weight on the shared coordinates
    signal = sum(w * w for row in model.W for w in row[:4])
    noise = sum(w * w for row in model.W for w in row[4:])
    assert signal > 3 * noise


def test_projection_is_normalized_and_seeded():
    a, b = _pairs(n=40, seed=2)
    m1 = LinearInfoNCE(10, 4, seed=5).fit(a, b, epochs=2, batch_size=8)
    m2 = LinearInfoNCE(10, 4, seed=5).fit(a, b, epochs=2, batch_size=8)
    assert m1.W == m2.W
    for z in m1.project(a[:5]):
        assert math.fsum(v * v for v in z) == pytest.approx(1.0)


def test_init_is_used():
    init = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    model = LinearInfoNCE(3, 2, init=init)
    assert model.project([[3.0, 4.0, 12.0]]) == [[0.6, 0.8]]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(dim_in=0, dim_out=2), ValueError, "dim_in"),
    (dict(dim_in=3, dim_out=2, temperature=0), ValueError, "temperature"),
    (dict(dim_in=3, dim_out=2, temperature="0.1"), TypeError, "temperature"),
    (dict(dim_in=3, dim_out=2, lr=-1.0), ValueError, "lr"),
    (dict(dim_in=3, dim_out=2, seed=1.5), TypeError, "seed"),
    (dict(dim_in=3, dim_out=2, init=[[1.0, 0.0]]), ValueError, "init"),
])
def test_bad_settings_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        LinearInfoNCE(**kwargs)


def test_bad_data_is_named():
    model = LinearInfoNCE(3, 2)
    with pytest.raises(ValueError, match="a must have 3 columns"):
        model.fit([[1.0, 2.0]] * 4, [[1.0, 2.0]] * 4)
    with pytest.raises(ValueError, match="same length"):
        model.fit([[1.0, 2.0, 3.0]] * 4, [[1.0, 2.0, 3.0]] * 3)
    with pytest.raises(ValueError, match="batch_size"):
        model.fit([[1.0, 2.0, 3.0]] * 4, [[1.0, 2.0, 3.0]] * 4, batch_size=1)
    with pytest.raises(ValueError, match="finite"):
        model.project([[1.0, float("nan"), 3.0]])
    with pytest.raises(ValueError, match="temperature"):
        info_nce_loss([[1.0]], [[1.0]], temperature=-1)
