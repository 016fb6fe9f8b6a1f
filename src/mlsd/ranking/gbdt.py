"""Histogram gradient-boosted decision trees (GBDT) for click prediction.

The model is a sum of small regression trees, each fitted to the mistakes of
the ones before it (Friedman, 2001, https://doi.org/10.1214/aos/1013203451)::

    z(x) = z0 + lr * (tree_1(x) + tree_2(x) + ...),     p = sigmoid(z)

``z0`` is the log-odds of the base rate. For the log loss, each row's
*gradient* and *hessian* with respect to its current score ``z`` are::

    g = p - y            h = p (1 - p)

A tree puts rows into leaves. With ``G`` and ``H`` the sums of ``g`` and ``h``
over a leaf and ``lambda`` the L2 penalty (the ``l2`` argument), a second-order (Newton) step gives the
best leaf value and how much it lowers the loss (Chen & Guestrin, 2016,
https://arxiv.org/abs/1603.02754)::

    value = -G / (H + lambda)          score(leaf) = G^2 / (H + lambda)

and splitting a leaf into left and right gains::

    gain = G_L^2/(H_L + lambda) + G_R^2/(H_R + lambda) - G^2/(H + lambda)

**Histograms** (Ke et al., 2017, LightGBM,
https://papers.nips.cc/paper/6907-lightgbm-a-highly-efficient-gradient-boosting-decision-tree):
each feature is cut once, before training, into at most ``max_bin`` bins of
roughly equal counts, with LightGBM's rules (:func:`bin_edges`). Finding a split
then means adding up ``g`` and ``h`` per bin (one pass over the leaf's rows) and
scanning the bins left to right — not sorting the rows at every node. Two more
tricks from the same paper:

- *Histogram subtraction*: a parent's histogram is the sum of its children's,
  so only the smaller child is counted; the larger is ``parent - smaller``.
- *Leaf-wise growth*: always split the leaf with the largest gain, anywhere in
  the tree, until there are ``num_leaves`` leaves (``growth="depth"`` splits
  level by level instead, like classic GBDT).

A split needs at least ``min_data_in_leaf`` rows and ``min_sum_hessian_in_leaf``
hessian on each side and a gain above ``min_gain_to_split``. The tree settings
keep LightGBM's names (``l2`` is its ``lambda_l2``, as in every model of
:mod:`mlsd.ranking`), so the same settings can be given to both; with the same bins and
the same split rules the two grow the same trees, up to rounding
(``tests/crosscheck/test_ranking_vs_sklearn_lightgbm.py``).

**Fast scoring.** Walking 50 trees node by node in Python costs a loop
iteration per node. :meth:`GBDT.compile` writes the trees out as nested ``if``
statements, compiles them once with ``compile()``, and scores a row with a
single function call; ``benchmarks/gbdt_bench.py`` measures the difference.

**GBDT leaves as features.** :meth:`GBDT.leaf_features` turns each row into the
list of leaves it lands in, one-hot encoded — the input of the "GBDT + logistic
regression" model of He et al. (2014),
https://research.facebook.com/publications/practical-lessons-from-predicting-clicks-on-ads-at-facebook/.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from itertools import accumulate, pairwise
from operator import itemgetter, sub

from typing import NamedTuple

from mlsd.ranking.base import ClickModel, base_rate_logit, sigmoid, training_labels
from mlsd.validate import check_matrix, check_non_negative, check_positive, check_positive_int

__all__ = ["GBDT", "bin_edges"]


_ZERO = 1e-35   # |x| <= _ZERO counts as zero (LightGBM's kZeroThreshold)


def _greedy_edges(counts, max_bin: int, min_data_in_bin: int) -> list[float]:
    """Cuts between sorted ``(value, count)`` pairs giving at most ``max_bin`` bins."""
    n = sum(c for _, c in counts)
    edges, filled = [], 0
    if len(counts) <= max_bin:                  # one bin per value (of enough rows)
        for (a, c), (b, _) in pairwise(counts):
            filled += c
            if filled >= min_data_in_bin:
                edges.append((a + b) / 2)
                filled = 0
        return edges
    max_bin = max(1, min(max_bin, n // min_data_in_bin))
    big = {v for v, c in counts if c >= n / max_bin}      # values that fill a bin alone
    bins_left = max_bin - len(big)
    rows_left = n - sum(c for v, c in counts if v in big)
    target = rows_left / bins_left
    for (a, c), (b, _) in pairwise(counts):
        if a not in big:
            rows_left -= c
        filled += c
        if a in big or filled >= target or (b in big and filled >= max(1.0, target / 2)):
            edges.append((a + b) / 2)
            if len(edges) >= max_bin - 1:
                break
            filled = 0
            if a not in big:
                bins_left -= 1
                target = rows_left / bins_left if bins_left > 0 else math.inf
    return edges


def bin_edges(values, max_bin: int, min_data_in_bin: int = 3) -> list[float]:
    """Cut points for one feature: bin ``b`` holds ``edges[b-1] < x <= edges[b]``.

    The rules are LightGBM's (``GreedyFindBin`` in its ``src/io/bin.cpp``), so
    both libraries cut a feature at the same places:

    - Bins are built from the *distinct* values and their counts. A cut falls
      halfway between two neighbouring values, so the rows of one value never
      land in two bins, and an unseen value goes to the bin of the nearer one.
    - Zero has a bin of its own, ``-1e-35 < x <= 1e-35`` (sparse features are
      mostly zeros); negative and positive values share the other
      ``max_bin - 1`` bins in proportion to their rows.
    - Few distinct values: one bin each, but a bin closes only once it holds
      ``min_data_in_bin`` rows, so rare values join their neighbour.
    - Many: walk the values in order and close a bin once it holds about
      (rows left) / (bins left) rows. A value with at least ``n / max_bin`` rows
      gets a bin of its own, and the bin before it may close when half full.
    """
    max_bin = check_positive_int("max_bin", max_bin)
    if max_bin < 2:
        raise ValueError(f"max_bin must be >= 2, got {max_bin}")
    min_data_in_bin = check_positive_int("min_data_in_bin", min_data_in_bin)
    counts = sorted(Counter(values).items())
    if not counts:
        raise ValueError("values must not be empty")
    if not all(math.isfinite(v) for v, _ in counts):
        raise ValueError("values must be finite numbers")
    negative = [(v, c) for v, c in counts if v <= -_ZERO]
    positive = [(v, c) for v, c in counts if v > _ZERO]
    nonzero = sum(c for _, c in negative + positive)
    edges = []
    if negative:
        share = sum(c for _, c in negative) / nonzero
        edges = _greedy_edges(negative, max(1, int(share * (max_bin - 1))), min_data_in_bin) + [-_ZERO]
    if positive and max_bin - 1 - len(edges) > 0:
        edges += [_ZERO] + _greedy_edges(positive, max_bin - 1 - len(edges), min_data_in_bin)
    return edges


def _gatherer(indices):
    """A function that lists ``values[i] for i in indices`` (as a tuple) in one C call.

    ``operator.itemgetter`` runs the loop in C: two to three times faster in Pyodide than
    ``map(values.__getitem__, indices)``, and it is the inner loop of the histograms.
    """
    if len(indices) == 1:                   # itemgetter would return the bare value
        i = indices[0]
        return lambda values: (values[i],)
    return itemgetter(*indices)


class _Tree:
    """One regression tree in flat lists; node 0 is the root, ``feature == -1`` marks a leaf."""

    def __init__(self):
        self.feature, self.threshold, self.bin, self.gain = [], [], [], []
        self.left, self.right, self.value, self.leaf_id = [], [], [], []

    def add_node(self) -> int:
        for column in (self.feature, self.left, self.right, self.leaf_id):
            column.append(-1)
        self.threshold.append(0.0)
        self.gain.append(0.0)
        self.bin.append(-1)
        self.value.append(0.0)
        return len(self.feature) - 1

    def leaf(self, x) -> int:
        """The node where row ``x`` ends: go left when ``x[feature] <= threshold``."""
        node = 0
        while self.feature[node] >= 0:
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] else self.right[node]
        return node

    @property
    def n_leaves(self) -> int:
        return sum(1 for f in self.feature if f < 0)

    def depth(self, node: int = 0) -> int:
        if self.feature[node] < 0:
            return 0
        return 1 + max(self.depth(self.left[node]), self.depth(self.right[node]))


class _OpenLeaf(NamedTuple):
    """A leaf of the tree being grown, with what splitting it needs."""

    rows: list[int]              # training rows that reach the leaf
    hist: list                   # per feature, per bin: the sum of g + i*h over rows (or None)
    total: complex               # the sum of g + i*h over rows
    depth: int
    split: tuple | None          # the best (gain, feature, bin), or None if no split is allowed
    usable: list[int]            # features worth trying in its children


class GBDT(ClickModel):
    """Gradient-boosted trees for binary labels, trained on histograms (log loss).

    The defaults are small on purpose — 30 trees of 8 leaves train on 3,500 rows
    in under a second of CPython (``benchmarks/results/gbdt.md``); LightGBM's own
    defaults are 100 trees of 31 leaves.

    :param n_estimators: number of trees.
    :param learning_rate: shrinkage applied to each tree's leaf values.
    :param num_leaves: maximum leaves per tree.
    :param max_depth: maximum tree depth (``None`` = only ``num_leaves`` limits it).
    :param min_data_in_leaf: minimum rows on each side of a split.
    :param min_sum_hessian_in_leaf: minimum sum of ``h`` on each side of a split.
    :param max_bin: maximum histogram bins per feature.
    :param min_data_in_bin: a bin holds at least this many training rows (see :func:`bin_edges`).
    :param l2: L2 penalty on leaf values (the ``lambda`` above; LightGBM's ``lambda_l2``).
    :param min_gain_to_split: a split must gain more than this.
    :param growth: ``"leaf"`` (best-first, LightGBM) or ``"depth"`` (level by level).
    """

    def __init__(self, n_estimators: int = 30, learning_rate: float = 0.1, num_leaves: int = 8,
                 max_depth: int | None = None, min_data_in_leaf: int = 20,
                 min_sum_hessian_in_leaf: float = 1e-3, max_bin: int = 32, min_data_in_bin: int = 3,
                 l2: float = 1.0, min_gain_to_split: float = 0.0, growth: str = "leaf"):
        self.n_estimators = check_positive_int("n_estimators", n_estimators)
        self.learning_rate = check_positive("learning_rate", learning_rate)
        self.num_leaves = check_positive_int("num_leaves", num_leaves)
        if self.num_leaves < 2:
            raise ValueError(f"num_leaves must be >= 2, got {num_leaves}")
        self.max_depth = None if max_depth is None else check_positive_int("max_depth", max_depth)
        self.min_data_in_leaf = check_positive_int("min_data_in_leaf", min_data_in_leaf)
        self.min_sum_hessian_in_leaf = check_non_negative("min_sum_hessian_in_leaf",
                                                          min_sum_hessian_in_leaf)
        self.max_bin = check_positive_int("max_bin", max_bin)
        if self.max_bin < 2:
            raise ValueError(f"max_bin must be >= 2, got {max_bin}")
        self.min_data_in_bin = check_positive_int("min_data_in_bin", min_data_in_bin)
        self.l2 = check_non_negative("l2", l2)
        self.min_gain_to_split = check_non_negative("min_gain_to_split", min_gain_to_split)
        if growth not in ("leaf", "depth"):
            raise ValueError(f"growth must be 'leaf' or 'depth', got {growth!r}")
        self.growth = growth
        self.trees: list[_Tree] = []
        self.init_score = 0.0
        self._compiled = self._compiled_leaves = None

    # --- training -----------------------------------------------------------------------------

    def fit(self, X, y) -> "GBDT":
        rows_x = check_matrix("X", X)
        labels = training_labels(y, len(rows_x))
        n, n_features = len(rows_x), len(rows_x[0])
        columns = list(zip(*rows_x))
        self.n_features = n_features
        self.edges = [bin_edges(col, self.max_bin, self.min_data_in_bin) for col in columns]
        # binned[f][i] = the bin of row i for feature f (column-major: one list per feature)
        binned = [[bisect_left(e, v) for v in col] for e, col in zip(self.edges, columns)]
        # The root of every tree holds all rows. Sorting the rows by bin once per
        # feature turns its histogram into sums over contiguous slices, which run
        # in C — about a third of the histogram work in a tree.
        self._by_bin = [sorted(range(n), key=col.__getitem__) for col in binned]
        self._in_bin_order = [_gatherer(order) for order in self._by_bin]
        self._bin_starts = []          # where each bin's rows begin in that order
        for col, e in zip(binned, self.edges):
            counts = Counter(col)
            self._bin_starts.append(list(accumulate([0] + [counts[b] for b in range(len(e) + 1)])))
        self.init_score = base_rate_logit(labels, clip=1e-12)
        self.trees, self._compiled, self._compiled_leaves = [], None, None
        self.gain_importance = [0.0] * n_features
        scores = [self.init_score] * n
        for _ in range(self.n_estimators):
            # Rows that fell in the same leaves of every tree so far share their score: a few
            # hundred distinct scores for thousands of rows, so one sigmoid per distinct score.
            p_of = {s: sigmoid(s) for s in set(scores)}
            p = [p_of[s] for s in scores]
            # g and h packed in one complex number: a single += accumulates both
            gh = [complex(pi - yi, pi * (1.0 - pi)) for pi, yi in zip(p, labels)]
            tree, leaf_rows = self._grow_tree(binned, gh)
            for node, rows in leaf_rows.items():
                v = tree.value[node]
                for i in rows:
                    scores[i] += v
            self.trees.append(tree)
        return self

    def _histogram(self, rows, binned, gh, features=None) -> list[list[complex] | None]:
        """Per feature, per bin: the sum of ``g + i*h`` over ``rows``.

        Only ``features`` (default: all) are counted, ``None`` for the others: a
        leaf's children only try the features that had a cut in it (see :meth:`_best_split`).
        """
        hist = [None] * len(binned)
        if features is None:
            features = range(len(binned))
        if len(rows) == len(gh):      # the root: slices of the pre-sorted order
            for f in features:
                starts = self._bin_starts[f]
                sorted_gh = self._in_bin_order[f](gh)
                hist[f] = [sum(sorted_gh[a:b], 0j) for a, b in zip(starts, starts[1:])]
            return hist
        for f in features:
            col = binned[f]
            acc = [0j] * (len(self.edges[f]) + 1)
            for i in rows:
                acc[col[i]] += gh[i]
            hist[f] = acc
        return hist

    def _best_split(self, hist, total: complex, n: int, features):
        """The best split ``bin <= b`` of one leaf over ``features``.

        Returns ``(gain, feature, bin)`` or None, and the features that have at
        least one allowed cut here. Only those are tried in the leaf's children:
        a child holds a subset of the rows, so a feature with no cut that leaves
        enough rows and hessian on both sides here rarely has one there. LightGBM
        skips them the same way (and it saves time).

        Like LightGBM, the histogram keeps no row counts: a bin's count is
        estimated from its hessian as ``round(h_bin * n / H)`` (exact when all
        rows have the same hessian), which spares a third accumulator per bin.
        The right side's count is the sum of its bins' estimates, the left
        side's is ``n`` minus that — the same arithmetic as LightGBM, so both
        accept and reject the same splits.
        """
        lam, min_n, min_h = self.l2, self.min_data_in_leaf, self.min_sum_hessian_in_leaf
        min_gain = self.min_gain_to_split
        G, H = total.real, total.imag
        parent = G * G / (H + lam)
        rows_per_hessian = n / H
        best, best_gain, usable = None, min_gain, []
        for f in features:
            acc = hist[f]
            counts = [int(z.imag * rows_per_hessian + 0.5) for z in acc]
            n_right = sum(counts)
            here = None                  # this feature's best (gain, feature, bin)
            for b, left in enumerate(accumulate(acc[:-1])):
                n_right -= counts[b]
                if n_right < min_n:      # the right side only shrinks from here on
                    break
                gl, hl = left.real, left.imag
                gr, hr = G - gl, H - hl
                if n - n_right < min_n or hl < min_h:
                    continue
                if hr < min_h:
                    break
                gain = gl * gl / (hl + lam) + gr * gr / (hr + lam) - parent
                # Bins with no rows in this leaf let several cuts split it the same
                # way; keep the last (LightGBM scans right to left), so a test value
                # that falls in those bins goes left, as it does there.
                if gain > min_gain and (here is None or gain >= here[0] - 1e-9 * abs(here[0])):
                    here = (gain, f, b)
            if here is not None:
                usable.append(f)
            # Two features can cut the same rows (device=desktop vs os in {linux,
            # macos, windows}); their gains then differ only by rounding. Keep the
            # first feature unless the new gain is really larger, as LightGBM does.
            if here is not None and here[0] > best_gain + 1e-9 * abs(best_gain):
                best_gain, best = here[0], here
        return best, usable

    def _grow_tree(self, binned, gh):
        """Grow one tree; return it and the training rows of each leaf node."""
        tree = _Tree()
        root = tree.add_node()
        rows = list(range(len(gh)))
        every_feature = range(self.n_features)
        hist = self._histogram(rows, binned, gh, every_feature)
        total = sum(gh)
        leaves = {root: _OpenLeaf(rows, hist, total, 0,
                                  *self._best_split(hist, total, len(rows), every_feature))}
        n_leaves = 1
        while n_leaves < self.num_leaves:
            splittable = [node for node, leaf in leaves.items() if leaf.split is not None]
            if not splittable:
                break
            if self.growth == "leaf":     # best-first: the largest gain anywhere in the tree
                node = max(splittable, key=lambda k: leaves[k].split[0])
            else:                         # level by level: the shallowest leaf first
                node = min(splittable, key=lambda k: (leaves[k].depth, k))
            leaf = leaves.pop(node)
            rows, hist, depth = leaf.rows, leaf.hist, leaf.depth
            gain, f, b = leaf.split
            col = binned[f]
            left_rows = [i for i in rows if col[i] <= b]
            right_rows = [i for i in rows if col[i] > b]
            tree.feature[node], tree.bin[node] = f, b
            tree.threshold[node] = self.edges[f][b]
            tree.gain[node] = gain
            self.gain_importance[f] += gain
            # After the tree's last split (or at max_depth) no child will be split: they need
            # neither histograms nor best splits, only their rows and totals.
            can_split = (n_leaves + 1 < self.num_leaves
                         and (self.max_depth is None or depth + 1 < self.max_depth))
            # The children's histograms are only read to split them (and their children), and
            # only for the features they try; counting nothing else saves about half the work.
            needed = leaf.usable if can_split and max(
                len(left_rows), len(right_rows)) >= 2 * self.min_data_in_leaf else ()
            # count the smaller child, get the larger one by subtraction
            small, large = sorted((left_rows, right_rows), key=len)
            small_hist = self._histogram(small, binned, gh, needed)
            large_hist = [None if part is None else list(map(sub, parent, part))
                          for parent, part in zip(hist, small_hist)]
            left_hist, right_hist = ((small_hist, large_hist) if small is left_rows
                                     else (large_hist, small_hist))
            for side, child_rows, child_hist in (("left", left_rows, left_hist),
                                                 ("right", right_rows, right_hist)):
                child = tree.add_node()
                getattr(tree, side)[node] = child
                child_total = sum(_gatherer(child_rows)(gh))
                split, child_usable = (
                    self._best_split(child_hist, child_total, len(child_rows), leaf.usable)
                    if can_split and len(child_rows) >= 2 * self.min_data_in_leaf else (None, []))
                leaves[child] = _OpenLeaf(child_rows, child_hist, child_total, depth + 1, split,
                                          child_usable)
            n_leaves += 1
        leaf_rows = {}
        for k, (node, leaf) in enumerate(sorted(leaves.items())):
            tree.value[node] = -leaf.total.real / (leaf.total.imag + self.l2) * self.learning_rate
            tree.leaf_id[node] = k
            leaf_rows[node] = leaf.rows
        return tree, leaf_rows

    # --- scoring ------------------------------------------------------------------------------

    def _rows(self, X) -> list[list[float]]:
        if not self.trees:
            raise ValueError("call fit() before predicting")
        return check_matrix("X", X, dim=self.n_features)

    def decision_function(self, X) -> list[float]:
        """The logit of each row: ``init_score`` plus one leaf value per tree."""
        if self._compiled is not None:
            # checked, not copied: the compiled code converts the numbers it reads to float
            rows = check_matrix("X", X, dim=self.n_features, copy=False)
            return [self._compiled(x) for x in rows]
        rows = self._rows(X)
        out = []
        for x in rows:
            z = self.init_score
            for t in self.trees:      # same order of additions as the compiled code
                z += t.value[t.leaf(x)]
            out.append(z)
        return out

    def compile(self) -> "GBDT":
        """Generate nested-``if`` Python source for all trees and compile it.

        Afterwards :meth:`decision_function` calls one generated function per row
        instead of walking the trees node by node (see the benchmark for the
        speed-up). The source is kept in ``compiled_source`` for reading. The
        first :meth:`apply` of a compiled model generates a second function the
        same way, which sets each tree's leaf index instead of adding its value.
        """
        if not self.trees:
            raise ValueError("call fit() before compile()")
        for t, tree in enumerate(self.trees):
            if tree.depth() > 90:   # Python's parser allows about 100 levels of indentation
                raise ValueError(f"tree {t} is {tree.depth()} levels deep, too deep to compile")
        # score(x): init_score plus each tree's leaf value, added in the order of the trees
        self.compiled_source = self._generate(
            "score", [f"    z = {self.init_score!r}"], lambda t, tree, node: f"z += {tree.value[node]!r}",
            "    return z")
        self._compiled, self._compiled_leaves = self._exec(self.compiled_source, "score"), None
        return self

    def _generate(self, name: str, start: list[str], at_leaf, end: str) -> str:
        """The source of ``def name(x)``: ``start``, then each tree's tests as nested ifs with
        ``at_leaf(t, tree, node)`` at its leaves (``tree`` is tree number ``t``), then ``end``."""
        # The features the trees test, read into local variables once: x3 is cheaper to
        # read than x[3], and a row goes through a hundred or so tests. Converting them
        # here, not a copy of the whole row beforehand, makes scoring a third faster.
        used = sorted({f for tree in self.trees for f in tree.feature if f >= 0})
        lines = [f"def {name}(x):", *start, *(f"    x{f} = float(x[{f}])" for f in used)]

        def emit(t: int, tree: _Tree, node: int, indent: str) -> None:
            if tree.feature[node] < 0:
                lines.append(indent + at_leaf(t, tree, node))
                return
            lines.append(f"{indent}if x{tree.feature[node]} <= {tree.threshold[node]!r}:")
            emit(t, tree, tree.left[node], indent + "    ")
            lines.append(f"{indent}else:")
            emit(t, tree, tree.right[node], indent + "    ")

        for t, tree in enumerate(self.trees):
            lines.append(f"    # tree {t}")
            emit(t, tree, 0, "    ")
        lines.append(end)
        return "\n".join(lines)

    @staticmethod
    def _exec(source: str, name: str):
        namespace: dict = {}
        exec(compile(source, "<mlsd.ranking.gbdt>", "exec"), namespace)
        return namespace[name]

    # --- trees as features and importance ------------------------------------------------------

    def apply(self, X) -> list[list[int]]:
        """For each row, the index of the leaf it reaches in each tree (0 .. leaves-1)."""
        if self._compiled is not None:
            if self._compiled_leaves is None:
                # leaves(x): the same tests as score(x), each leaf setting its tree's leaf index
                self._compiled_leaves = self._exec(self._generate(
                    "leaves", [], lambda t, tree, node: f"leaf{t} = {tree.leaf_id[node]}",
                    f"    return [{', '.join(f'leaf{t}' for t in range(len(self.trees)))}]"), "leaves")
            # checked, not copied: the compiled code converts the numbers it reads to float
            rows = check_matrix("X", X, dim=self.n_features, copy=False)
            return [self._compiled_leaves(x) for x in rows]
        rows = self._rows(X)
        return [[t.leaf_id[t.leaf(x)] for t in self.trees] for x in rows]

    def leaf_features(self, X) -> list[dict[int, float]]:
        """One-hot leaf indicators, as sparse rows for :class:`LogisticRegression` (GBDT + LR)."""
        offsets = list(accumulate([0] + [t.n_leaves for t in self.trees]))
        return [{off + leaf: 1.0 for off, leaf in zip(offsets, leaves)} for leaves in self.apply(X)]

    @property
    def n_leaf_features(self) -> int:
        """Total leaves over all trees: the width of :meth:`leaf_features` rows."""
        return sum(t.n_leaves for t in self.trees)

    def feature_importance(self, names=None) -> list[tuple]:
        """Total split gain per feature, largest first, as ``(name or index, gain)`` pairs."""
        if not self.trees:
            raise ValueError("call fit() before feature_importance()")
        if names is not None and len(names) != self.n_features:
            raise ValueError(f"names must have {self.n_features} entries, got {len(names)}")
        labels = list(names) if names is not None else list(range(self.n_features))
        return sorted(zip(labels, self.gain_importance), key=lambda kv: -kv[1])

    def __repr__(self) -> str:
        state = f"{len(self.trees)} trees" if self.trees else "unfitted"
        return (f"GBDT(n_estimators={self.n_estimators}, learning_rate={self.learning_rate}, "
                f"num_leaves={self.num_leaves}, {state})")
