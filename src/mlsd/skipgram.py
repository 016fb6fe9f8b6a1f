"""Skip-gram with negative sampling: item vectors learned from sequences of items.

The idea comes from word2vec (Mikolov et al., "Distributed Representations of Words and Phrases
and their Compositionality", NeurIPS 2013, https://arxiv.org/abs/1310.4546): items that appear
near each other in many sequences (words in sentences, listings in click sessions, songs in
playlists) should get vectors that point the same way.

**Two tables.** Every item ``i`` has an *input* vector ``v_i`` (used when ``i`` is the centre
item) and an *output* vector ``u_i`` (used when ``i`` is a context item). The input vectors are
the embeddings you keep; the output vectors are scaffolding for training.

**Pairs.** For each position of a sequence, the centre item ``c`` is paired with every item
``o`` at most ``window`` positions away. An optional *global context* ``g`` (one item per
sequence, e.g. the listing the session finally booked) is paired with every centre item of its
sequence, whatever the distance.

**Objective with negative sampling.** A full softmax over all items is too costly, so each
positive pair ``(c, o)`` is contrasted with ``k`` negatives ``n_1..n_k`` drawn at random
(from the unigram distribution raised to 3/4, as in word2vec), plus any *extra* negatives the
caller draws (e.g. items of the same market as ``c``). With ``sigma(x) = 1 / (1 + e^-x)``
the loss of one pair is

    L = -log sigma(u_o . v_c) - sum_j log sigma(-u_nj . v_c)

**Gradient.** Writing ``g_o = sigma(u_o . v_c) - 1`` and ``g_j = sigma(u_nj . v_c)``:

    dL/dv_c  = g_o u_o + sum_j g_j u_nj
    dL/du_o  = g_o v_c
    dL/du_nj = g_j v_c

Plain SGD takes one step per pair, with a learning rate that falls linearly to a tenth of its
start over the training run. Pure Python, so keep it small: the cost is about
``pairs x (1 + negatives) x dim`` multiply-adds per epoch.
"""

from __future__ import annotations

import bisect
import math
import random
from itertools import accumulate
from operator import mul
from typing import Callable, Sequence

from mlsd.validate import (check_non_negative_int, check_positive, check_positive_int)

__all__ = ["SkipGram", "training_pairs", "unigram_sampler", "cosine"]


def _check_sequences(sequences, n_items: int) -> list[list[int]]:
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__iter__"):
        raise TypeError("sequences must be a sequence of sequences of item ids")
    out = []
    for s, seq in enumerate(sequences):
        if isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
            raise TypeError(f"sequences[{s}] must be a sequence of item ids, got {type(seq).__name__}")
        row = list(seq)
        for item in row:
            if isinstance(item, bool) or not isinstance(item, int):
                raise TypeError(f"sequences[{s}] holds {item!r}; item ids must be ints")
            if not 0 <= item < n_items:
                raise ValueError(f"sequences[{s}] holds item {item}, outside [0, {n_items})")
        out.append(row)
    return out


def training_pairs(sequences, n_items: int, window: int = 2,
                   global_context: Sequence[int | None] | None = None) -> list[tuple[int, int]]:
    """The positive (centre, context) pairs of ``sequences``, in order.

    Each item is paired with the items at most ``window`` positions away (both sides). When
    ``global_context[s]`` is an item, every item of sequence ``s`` other than that item is also
    paired with it.
    """
    n_items = check_positive_int("n_items", n_items)
    window = check_positive_int("window", window)
    seqs = _check_sequences(sequences, n_items)
    if global_context is not None:
        if len(global_context) != len(seqs):
            raise ValueError(f"global_context must have one entry per sequence ({len(seqs)}), "
                             f"got {len(global_context)}")
        for s, g in enumerate(global_context):
            if g is not None and (isinstance(g, bool) or not isinstance(g, int) or not 0 <= g < n_items):
                raise ValueError(f"global_context[{s}] must be None or an item id in [0, {n_items}), got {g!r}")
    pairs = []
    for s, seq in enumerate(seqs):
        for i, c in enumerate(seq):
            for j in range(max(0, i - window), min(len(seq), i + window + 1)):
                if j != i and seq[j] != c:
                    pairs.append((c, seq[j]))
            g = global_context[s] if global_context is not None else None
            if g is not None and c != g:
                pairs.append((c, g))
    return pairs


def unigram_sampler(counts: Sequence[float], power: float = 0.75) -> Callable[[random.Random], int]:
    """A sampler of item ids with probability proportional to ``counts[i] ** power``."""
    power = check_positive("power", power) if power else 0.0
    if isinstance(counts, (str, bytes)) or not hasattr(counts, "__len__") or not counts:
        raise ValueError("counts must be a non-empty sequence of non-negative numbers")
    weights = []
    for i, c in enumerate(counts):
        if isinstance(c, bool) or not isinstance(c, (int, float)) or not c >= 0:
            raise ValueError(f"counts[{i}] must be a non-negative number, got {c!r}")
        weights.append(c ** power if c > 0 else 0.0)
    cum = list(accumulate(weights))
    total = cum[-1]
    if total <= 0:
        raise ValueError("counts must have at least one positive entry")
    last = len(cum) - 1

    def sample(rng: random.Random) -> int:
        return min(bisect.bisect_right(cum, rng.random() * total), last)

    return sample


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors (0 when either is all zeros)."""
    if len(a) != len(b):
        raise ValueError(f"vectors must have the same length, got {len(a)} and {len(b)}")
    na = math.sqrt(sum(map(mul, a, a)))
    nb = math.sqrt(sum(map(mul, b, b)))
    return sum(map(mul, a, b)) / (na * nb) if na and nb else 0.0


class SkipGram:
    """Item vectors trained by skip-gram with negative sampling (see the module docstring).

    ``SkipGram(n_items, dim, seed)`` starts the input vectors small and random and the output
    vectors at zero; :meth:`fit` trains on positive pairs; :attr:`vectors` are the embeddings.
    """

    def __init__(self, n_items: int, dim: int = 16, seed: int = 0):
        self.n_items = check_positive_int("n_items", n_items)
        self.dim = check_positive_int("dim", dim)
        self.seed = check_non_negative_int("seed", seed)
        rng = random.Random(seed)
        self.vectors = [[(rng.random() - 0.5) / dim for _ in range(dim)] for _ in range(n_items)]
        self.outputs = [[0.0] * dim for _ in range(n_items)]
        self.updates = 0            # dot products computed in training (counted work)

    def step(self, center: int, context: int, negatives: Sequence[int], lr: float) -> float:
        """One SGD step on the pair (``center``, ``context``) against ``negatives``; the loss."""
        v, out, exp = self.vectors[center], self.outputs, math.exp
        # Element k by index, not zip(): the same arithmetic, and in the browser (Pyodide) this
        # step, nearly all of training, runs about 20 % faster.
        dims = range(self.dim)
        grad = [0.0] * self.dim
        loss = 0.0
        label = 1
        for item in (context, *negatives):
            u = out[item]
            x = sum([u[k] * v[k] for k in dims])
            if label:
                x = -x                      # the positive pair: minimise log(1 + e^-x)
            if x > 30.0:
                x = 30.0
            elif x < -30.0:
                x = -30.0
            e = exp(x)
            loss += math.log1p(e)
            g = e / (1.0 + e) * lr          # sigma(x) with x signed by the label
            if label:
                g = -g
                label = 0
            grad = [grad[k] + g * u[k] for k in dims]
            out[item] = [u[k] - g * v[k] for k in dims]
        self.vectors[center] = [v[k] - grad[k] for k in dims]
        self.updates += 1 + len(negatives)
        return loss

    def fit(self, pairs: Sequence[tuple[int, int]], negatives: int = 5,
            counts: Sequence[float] | None = None, extra_negatives: Callable | None = None,
            epochs: int = 1, lr: float = 0.05, seed: int = 0) -> list[float]:
        """Train on ``pairs`` for ``epochs`` passes in a shuffled order; the mean loss per epoch.

        ``negatives`` random negatives per pair come from ``counts ** 0.75`` (uniform when
        ``counts`` is None); ``extra_negatives(center, rng)`` may return more item ids to use
        as negatives for that pair (e.g. from the centre's market).
        """
        if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__len__") or not pairs:
            raise ValueError("pairs must be a non-empty sequence of (center, context) pairs")
        for c, o in (pairs[0], pairs[-1]):
            if not (0 <= c < self.n_items and 0 <= o < self.n_items):
                raise ValueError(f"pairs hold item ids outside [0, {self.n_items}): {(c, o)}")
        negatives = check_non_negative_int("negatives", negatives)
        epochs = check_positive_int("epochs", epochs)
        lr = check_positive("lr", lr)
        if extra_negatives is not None and not callable(extra_negatives):
            raise TypeError("extra_negatives must be None or a callable (center, rng) -> item ids")
        if counts is not None and len(counts) != self.n_items:
            raise ValueError(f"counts must have one entry per item ({self.n_items}), got {len(counts)}")
        rng = random.Random(seed)
        sample = unigram_sampler(counts) if counts is not None else (lambda r: r.randrange(self.n_items))
        order = list(pairs)
        total, done, losses = epochs * len(order), 0, []
        for _ in range(epochs):
            rng.shuffle(order)
            loss = 0.0
            for c, o in order:
                negs = [n for n in (sample(rng) for _ in range(negatives)) if n != o]
                if extra_negatives is not None:
                    negs += [n for n in extra_negatives(c, rng) if n != o]
                rate = lr * max(0.1, 1.0 - done / total)
                loss += self.step(c, o, negs, rate)
                done += 1
            losses.append(loss / len(order))
        return losses

    def normalized(self) -> list[list[float]]:
        """The input vectors scaled to unit length (cosine similarity becomes a dot product)."""
        out = []
        for v in self.vectors:
            n = math.sqrt(sum(map(mul, v, v)))
            out.append([a / n for a in v] if n else list(v))
        return out
