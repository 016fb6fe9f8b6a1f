"""mlsd.metrics agrees with scikit-learn to 1e-9 on random inputs, ties included.

scikit-learn is installed for the tests only; mlsd never imports it.
"""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sk = pytest.importorskip("sklearn.metrics")

from mlsd import metrics as M  # noqa: E402

TOL = 1e-9
# A small grid of values makes ties frequent; mixing in free floats covers the tie-free case.
tie_value = st.one_of(st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.51, 0.99, 1.0]),
                      st.floats(0.0, 1.0, allow_nan=False))


@st.composite
def binary_case(draw):
    n = draw(st.integers(2, 60))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda v: 0 < sum(v) < n))
    s = draw(st.lists(tie_value, min_size=n, max_size=n))
    return y, s


@st.composite
def graded_case(draw):
    n_docs = draw(st.integers(2, 15))
    n_queries = draw(st.integers(1, 4))
    rel = st.lists(st.integers(0, 4), min_size=n_docs, max_size=n_docs)
    score = st.lists(tie_value, min_size=n_docs, max_size=n_docs)
    y = draw(st.lists(rel, min_size=n_queries, max_size=n_queries))
    s = draw(st.lists(score, min_size=n_queries, max_size=n_queries))
    k = draw(st.one_of(st.none(), st.integers(1, n_docs)))
    return y, s, k


@settings(max_examples=150, deadline=None)
@given(binary_case())
def test_roc_auc(case):
    y, s = case
    assert abs(M.roc_auc(y, s) - sk.roc_auc_score(y, s)) < TOL


@settings(max_examples=150, deadline=None)
@given(binary_case())
def test_average_precision(case):
    y, s = case
    assert abs(M.average_precision(y, s) - sk.average_precision_score(y, s)) < TOL


@settings(max_examples=150, deadline=None)
@given(binary_case())
def test_log_loss_including_clipped_zeros_and_ones(case):
    y, p = case  # the grid contains exact 0.0 and 1.0, so clipping is exercised
    assert abs(M.log_loss(y, p) - sk.log_loss(y, p)) < TOL


@settings(max_examples=60, deadline=None)
@given(binary_case(), st.sampled_from([0.0, 0.3, 0.5, 0.51, 0.9]))
def test_f1_precision_recall_accuracy_at_threshold(case, threshold):
    y, s = case
    pred = [1 if v >= threshold else 0 for v in s]
    assert abs(M.f1(y, s, threshold) - sk.f1_score(y, pred, zero_division=0)) < TOL
    assert abs(M.precision(y, s, threshold) - sk.precision_score(y, pred, zero_division=0)) < TOL
    assert abs(M.recall(y, s, threshold) - sk.recall_score(y, pred, zero_division=0)) < TOL
    assert abs(M.accuracy(y, s, threshold) - sk.accuracy_score(y, pred)) < TOL


@settings(max_examples=100, deadline=None)
@given(binary_case(), st.booleans())
def test_roc_curve_points(case, drop):
    y, s = case
    fpr, tpr, th = M.roc_curve(y, s, drop_intermediate=drop)
    ref = sk.roc_curve(y, s, drop_intermediate=drop)
    assert len(fpr) == len(ref[0])
    for mine, theirs in zip((fpr, tpr, th), ref):
        assert all(a == b or abs(a - b) < TOL for a, b in zip(mine, theirs))


@settings(max_examples=100, deadline=None)
@given(binary_case())
def test_precision_recall_curve_points(case):
    y, s = case
    precision, recall, th = M.precision_recall_curve(y, s)
    ref_p, ref_r, ref_t = sk.precision_recall_curve(y, s)
    # scikit-learn lists thresholds increasing and appends the point (recall 0, precision 1)
    assert th == list(ref_t[::-1])
    assert max(abs(a - b) for a, b in zip(precision, ref_p[-2::-1])) < TOL
    assert max(abs(a - b) for a, b in zip(recall, ref_r[-2::-1])) < TOL


@settings(max_examples=100, deadline=None)
@given(graded_case())
def test_ndcg_and_dcg_with_ties(case):
    y, s, k = case
    assert abs(M.ndcg_score(y, s, k=k) - sk.ndcg_score(y, s, k=k)) < TOL
    assert abs(M.dcg_score(y, s, k=k) - sk.dcg_score(y, s, k=k)) < TOL


def test_ndcg_ignore_ties_on_distinct_scores():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(2, 30)
        y = [[rng.randint(0, 3) for _ in range(n)]]
        s = [rng.sample(range(1000), n)]  # distinct, so the tie order cannot matter
        k = rng.choice([None, 1, 3, n])
        assert abs(M.ndcg_score(y, s, k=k, ignore_ties=True)
                   - sk.ndcg_score(y, s, k=k, ignore_ties=True)) < TOL


def test_single_query_list_equals_sklearn_2d():
    y, s = [3, 2, 0, 1, 0], [0.2, 0.2, 0.9, 0.1, 0.5]
    assert abs(M.ndcg_score(y, s) - sk.ndcg_score([y], [s])) < TOL


def test_large_seeded_inputs():
    rng = random.Random(2024)
    for n in (1000, 5000):
        y = [1 if rng.random() < 0.05 else 0 for _ in range(n)]
        # scores rounded to 2 decimals: thousands of ties
        s = [round(min(1.0, max(0.0, rng.gauss(0.3 + 0.2 * t, 0.2))), 2) for t in y]
        assert abs(M.roc_auc(y, s) - sk.roc_auc_score(y, s)) < TOL
        assert abs(M.average_precision(y, s) - sk.average_precision_score(y, s)) < TOL
        assert abs(M.log_loss(y, s) - sk.log_loss(y, s)) < TOL
        t, best = M.best_f1_threshold(y, s)
        assert abs(best - sk.f1_score(y, [int(v >= t) for v in s])) < TOL
        # no other threshold does better (checked on a spread of candidates)
        for u in sorted(set(s))[::7]:
            assert sk.f1_score(y, [int(v >= u) for v in s], zero_division=0) <= best + TOL
