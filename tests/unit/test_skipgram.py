"""Tests for mlsd.skipgram: pairs, sampling, the gradient step and what training learns."""

import math
import random

import pytest

from mlsd.skipgram import SkipGram, cosine, training_pairs, unigram_sampler


def test_training_pairs_window_and_global_context():
    pairs = training_pairs([[0, 1, 2]], 5, window=1)
    assert sorted(pairs) == [(0, 1), (1, 0), (1, 2), (2, 1)]
    pairs = training_pairs([[0, 1, 2], [3, 4]], 5, window=1, global_context=[4, None])
    assert (0, 4) in pairs and (1, 4) in pairs and (2, 4) in pairs     # every item -> booked
    assert (3, 4) in pairs and pairs.count((3, 4)) == 1                 # no global for seq 2
    assert sorted(training_pairs([[0, 1, 2]], 3, window=2)) == sorted(
        [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)])


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(sequences=[[0, 9]], n_items=5), ValueError, "outside"),
    (dict(sequences=[[0, "a"]], n_items=5), TypeError, "ints"),
    (dict(sequences="abc", n_items=5), TypeError, "sequences"),
    (dict(sequences=[[0, 1]], n_items=5, window=0), ValueError, "window"),
    (dict(sequences=[[0, 1]], n_items=5, global_context=[1, 2]), ValueError, "one entry"),
    (dict(sequences=[[0, 1]], n_items=5, global_context=[7]), ValueError, "global_context"),
])
def test_training_pairs_names_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        training_pairs(**kwargs)


def test_unigram_sampler_follows_counts_to_the_power():
    sample = unigram_sampler([1, 0, 16], power=0.75)
    rng = random.Random(0)
    draws = [sample(rng) for _ in range(20_000)]
    assert draws.count(1) == 0
    ratio = draws.count(2) / draws.count(0)
    assert abs(ratio - 16 ** 0.75) < 0.6                       # 8 : 1
    with pytest.raises(ValueError, match="counts"):
        unigram_sampler([0, 0])
    with pytest.raises(ValueError, match="counts"):
        unigram_sampler([1, -1])


def test_step_matches_the_gradient_of_the_loss():
    model = SkipGram(4, dim=3, seed=1)
    rng = random.Random(2)
    model.outputs = [[rng.gauss(0, 0.5) for _ in range(3)] for _ in range(4)]
    v0 = list(model.vectors[0])
    u = [list(o) for o in model.outputs]

    def loss(v):
        s = lambda a, b: sum(x * y for x, y in zip(a, b))
        return (math.log1p(math.exp(-s(u[1], v))) + math.log1p(math.exp(s(u[2], v)))
                + math.log1p(math.exp(s(u[3], v))))
    lr, h = 1e-3, 1e-6
    numeric = [(loss([x + h * (i == j) for j, x in enumerate(v0)]) - loss(v0)) / h for i in range(3)]
    reported = model.step(0, 1, [2, 3], lr)
    assert abs(reported - loss(v0)) < 1e-9
    step = [(a - b) / lr for a, b in zip(v0, model.vectors[0])]
    assert all(abs(a - b) < 1e-4 for a, b in zip(step, numeric))
    assert model.updates == 3


def test_fit_pulls_co_occurring_items_together():
    rng = random.Random(0)
    # two groups of items that co-occur only within their group
    seqs = [[rng.randrange(0, 5) for _ in range(4)] for _ in range(300)] + \
           [[rng.randrange(5, 10) for _ in range(4)] for _ in range(300)]
    model = SkipGram(10, dim=6, seed=0)
    losses = model.fit(training_pairs(seqs, 10, window=1), negatives=3, epochs=3, lr=0.1)
    assert losses[-1] < losses[0]
    v = model.normalized()
    within = sum(cosine(v[a], v[b]) for a in range(5) for b in range(5) if a != b) / 20
    across = sum(cosine(v[a], v[b]) for a in range(5) for b in range(5, 10)) / 25
    assert within > across + 0.5


def test_fit_uses_extra_negatives_and_validates():
    model = SkipGram(6, dim=4)
    calls = []

    def extra(center, rng):
        calls.append(center)
        return [5]
    model.fit([(0, 1), (1, 0)], negatives=1, extra_negatives=extra)
    assert sorted(calls) == [0, 1] and 4 <= model.updates <= 6    # a draw equal to the context is dropped
    with pytest.raises(ValueError, match="pairs"):
        model.fit([])
    with pytest.raises(ValueError, match="outside"):
        model.fit([(0, 9)])
    with pytest.raises(TypeError, match="extra_negatives"):
        model.fit([(0, 1)], extra_negatives=3)
    with pytest.raises(ValueError, match="counts"):
        model.fit([(0, 1)], counts=[1, 2])
    with pytest.raises(ValueError, match="dim"):
        SkipGram(3, dim=0)
    with pytest.raises(ValueError, match="same length"):
        cosine([1, 0], [1])
    assert cosine([1, 0], [0, 0]) == 0.0


def _zip_step(model, center, context, negatives, lr):
    """The step written with zip() and map(mul), as before the by-index version: the reference."""
    from operator import mul
    v, out = model.vectors[center], model.outputs
    grad, loss, label = [0.0] * model.dim, 0.0, 1
    for item in (context, *negatives):
        u = out[item]
        x = sum(map(mul, u, v))
        x = -x if label else x
        x = min(30.0, max(-30.0, x))
        e = math.exp(x)
        loss += math.log1p(e)
        g = e / (1.0 + e) * lr
        if label:
            g, label = -g, 0
        grad = [a + g * b for a, b in zip(grad, u)]
        out[item] = [b - g * a for a, b in zip(v, u)]
    model.vectors[center] = [a - b for a, b in zip(v, grad)]
    return loss


def test_step_by_index_equals_the_zip_reference_exactly():
    fast, slow = SkipGram(8, dim=5, seed=3), SkipGram(8, dim=5, seed=3)
    rng = random.Random(4)
    for _ in range(400):           # repeated negatives and untouched (zero) outputs included
        c, o = rng.randrange(8), rng.randrange(8)
        negs = [rng.randrange(8) for _ in range(rng.randrange(0, 5))]
        lr = rng.choice([0.05, 0.5, 40.0])         # 40: dot products beyond the +-30 clip
        assert fast.step(c, o, negs, lr) == _zip_step(slow, c, o, negs, lr)
    assert fast.vectors == slow.vectors and fast.outputs == slow.outputs
