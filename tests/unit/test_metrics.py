"""Unit and property tests for mlsd.metrics (hand-checked values + invariants)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import metrics as M

# --- strategies: labels with both classes, scores with many ties -----------------------------

scores_with_ties = st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]),
                            min_size=2, max_size=40)


@st.composite
def labelled_scores(draw, tie_prone=True):
    n = draw(st.integers(2, 40))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda v: 0 < sum(v) < len(v)))
    elem = (st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]) if tie_prone
            else st.integers(0, 10**6).map(lambda i: i / 10**6))
    s = draw(st.lists(elem, min_size=n, max_size=n))
    return y, s


def brute_auc(y, s):
    """The definition: P(score of a positive > score of a negative), ties count 1/2."""
    pos = [b for a, b in zip(y, s) if a == 1]
    neg = [b for a, b in zip(y, s) if a == 0]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


# --- ROC-AUC ---------------------------------------------------------------------------------

def test_auc_hand_example():
    # positives at 0.8 and 0.4; negatives at 0.6 and 0.2: 3 of 4 pairs ordered right
    assert M.roc_auc([1, 0, 1, 0], [0.8, 0.6, 0.4, 0.2]) == 0.75


def test_auc_all_tied_is_half():
    assert M.roc_auc([1, 0, 1, 0, 0], [0.3] * 5) == 0.5


@given(labelled_scores())
def test_auc_matches_pairwise_definition(ys):
    y, s = ys
    assert M.roc_auc(y, s) == pytest.approx(brute_auc(y, s), abs=1e-12)


@given(labelled_scores())
def test_auc_flipped_scores_is_one_minus(ys):
    y, s = ys
    assert M.roc_auc(y, [-v for v in s]) == pytest.approx(1 - M.roc_auc(y, s), abs=1e-12)


@given(labelled_scores(tie_prone=False))
def test_auc_invariant_to_monotone_transform(ys):
    y, s = ys
    assert M.roc_auc(y, [math.exp(3 * v) for v in s]) == pytest.approx(M.roc_auc(y, s), abs=1e-12)


def test_roc_curve_endpoints_and_area():
    y, s = [1, 0, 1, 1, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.7, 0.5, 0.4, 0.3, 0.1]
    fpr, tpr, th = M.roc_curve(y, s, drop_intermediate=False)
    assert (fpr[0], tpr[0], th[0]) == (0.0, 0.0, math.inf)
    assert (fpr[-1], tpr[-1]) == (1.0, 1.0)
    area = sum((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2 for i in range(1, len(fpr)))
    assert area == pytest.approx(M.roc_auc(y, s))
    short = M.roc_curve(y, s)  # dropping collinear points keeps the area
    assert len(short[0]) <= len(fpr)


# --- PR-AUC / average precision --------------------------------------------------------------

def test_average_precision_hand_example():
    # order: 1 (P=1, R=.5), 0, 1 (P=2/3, R=1) -> AP = .5*1 + .5*2/3
    assert M.average_precision([1, 0, 1], [0.9, 0.8, 0.7]) == pytest.approx(0.5 + 1 / 3)


def test_average_precision_tie_enters_as_one_threshold():
    # all three tied: one threshold with P = 2/3 at R = 1
    assert M.average_precision([1, 0, 1], [0.5, 0.5, 0.5]) == pytest.approx(2 / 3)


@given(labelled_scores())
def test_average_precision_bounds(ys):
    y, s = ys
    assert 0.0 < M.average_precision(y, s) <= 1.0 + 1e-12
    # with every score tied there is one threshold: AP = precision there = the base rate
    assert M.average_precision(y, [0.5] * len(y)) == pytest.approx(sum(y) / len(y))


def test_perfect_ranking_scores_one():
    y, s = [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]
    assert M.roc_auc(y, s) == 1.0 and M.average_precision(y, s) == 1.0


# --- probabilities ---------------------------------------------------------------------------

def test_log_loss_hand_example():
    assert M.log_loss([1, 0], [0.8, 0.4]) == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2)


def test_log_loss_clips_certain_mistakes():
    assert M.log_loss([1], [0.0]) == pytest.approx(-math.log(M.EPS))
    assert math.isfinite(M.log_loss([0], [1.0]))
    assert M.log_loss([1], [0.0], eps=1e-3) == pytest.approx(-math.log(1e-3))


def test_normalized_entropy_of_base_rate_is_one():
    y = [1, 0, 0, 0]
    assert M.normalized_entropy(y, [0.25] * 4) == pytest.approx(1.0)
    assert M.normalized_entropy(y, [0.9, 0.1, 0.1, 0.1]) < 1.0
    assert M.normalized_entropy(y, [0.25] * 4, base_rate=0.5) == pytest.approx(
        M.log_loss(y, [0.25] * 4) / math.log(2))


def test_calibration_bins_and_ece():
    y, p = [0, 1, 1, 0, 1], [0.1, 0.9, 0.4, 0.5, 1.0]
    bins = M.calibration_bins(y, p, n_bins=5)
    assert [b["count"] for b in bins] == [1, 2, 2]          # empty bins are left out
    assert bins[-1]["upper"] == 1.0 and bins[-1]["mean_predicted"] == pytest.approx(0.95)
    # |0 - .1|*1/5 + |.5 - .45|*2/5 + |1 - .95|*2/5
    assert M.expected_calibration_error(y, p, n_bins=5) == pytest.approx(0.02 + 0.02 + 0.02)


def test_perfectly_calibrated_has_zero_ece():
    y = [1] * 3 + [0] * 7
    assert M.expected_calibration_error(y, [0.3] * 10) == pytest.approx(0.0)


# --- thresholds ------------------------------------------------------------------------------

def test_confusion_based_metrics():
    y, s = [1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.7]
    # predicted positive (>= .5): items 0, 2, 4 -> tp=2, fp=1, fn=1, tn=1
    assert M.accuracy(y, s) == pytest.approx(3 / 5)
    assert M.precision(y, s) == pytest.approx(2 / 3)
    assert M.recall(y, s) == pytest.approx(2 / 3)
    assert M.f1(y, s) == pytest.approx(2 / 3)
    assert M.precision(y, s, threshold=0.95) == 0.0  # nothing predicted positive
    assert M.accuracy(y, [1, 0, 1, 0, 1]) == pytest.approx(3 / 5)  # hard predictions work too


@given(labelled_scores())
def test_best_f1_threshold_beats_every_score_threshold(ys):
    y, s = ys
    t, best = M.best_f1_threshold(y, s)
    assert M.f1(y, s, t) == pytest.approx(best)
    assert all(M.f1(y, s, u) <= best + 1e-12 for u in set(s))


# --- top-k lists -----------------------------------------------------------------------------

def test_top_k_list_metrics():
    ranked, rel = ["a", "b", "c", "d"], {"b", "d", "z"}
    assert M.precision_at_k(ranked, rel, 2) == 0.5
    assert M.recall_at_k(ranked, rel, 4) == pytest.approx(2 / 3)
    # hits at ranks 2 and 4: (1/2 + 2/4) / min(3, 4)
    assert M.average_precision_at_k(ranked, rel) == pytest.approx(1 / 3)
    assert M.average_precision_at_k(ranked, rel, k=2) == pytest.approx(0.5 / 2)
    assert M.reciprocal_rank(ranked, rel) == 0.5
    assert M.reciprocal_rank(ranked, {"q"}) == 0.0
    assert M.mean_reciprocal_rank([ranked, ["d"]], [rel, {"d"}]) == pytest.approx(0.75)
    assert M.mean_average_precision([ranked, ["d"]], [rel, {"d"}]) == pytest.approx((1 / 3 + 1) / 2)


def test_ndcg_at_k_binary_and_graded():
    # binary: hit at rank 2 of 3; ideal puts the single relevant item first
    assert M.ndcg_at_k(["x", "y", "z"], {"y"}, 3) == pytest.approx(1 / math.log2(3))
    graded = {"y": 3, "z": 1}
    dcg = 3 / math.log2(2) + 1 / math.log2(3)
    assert M.ndcg_at_k(["y", "z", "x"], graded, 3) == pytest.approx(1.0)
    assert M.ndcg_at_k(["z", "y", "x"], graded, 3) == pytest.approx(
        (1 + 3 / math.log2(3)) / dcg)


def test_ndcg_score_tie_averaging():
    # scores tie for the first two places: each gets the mean gain (3 + 0) / 2
    expected_dcg = 1.5 * (1 + 1 / math.log2(3)) + 1 / math.log2(4)
    assert M.dcg_score([3, 0, 1], [0.5, 0.5, 0.1]) == pytest.approx(expected_dcg)
    ideal = 3 + 1 / math.log2(3)
    assert M.ndcg_score([3, 0, 1], [0.5, 0.5, 0.1]) == pytest.approx(expected_dcg / ideal)
    assert M.ndcg_score([0, 0, 0], [0.1, 0.2, 0.3]) == 0.0
    # two queries are averaged
    assert M.ndcg_score([[1, 0], [0, 1]], [[0.9, 0.1], [0.9, 0.1]]) == pytest.approx(
        (1 + 1 / math.log2(3)) / 2)


@given(st.lists(st.integers(0, 3), min_size=2, max_size=20), st.randoms(use_true_random=False))
@settings(max_examples=50)
def test_ndcg_in_unit_interval_and_one_for_ideal_order(rels, rnd):
    scores = [rnd.random() for _ in rels]
    assert 0.0 <= M.ndcg_score(rels, scores) <= 1.0 + 1e-12
    if any(rels):
        assert M.ndcg_score(rels, [float(r) for r in rels]) == pytest.approx(1.0)


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, words", [
    (lambda: M.roc_auc([], []), ValueError, "y_true must not be empty"),
    (lambda: M.roc_auc([1, 0], [0.5]), ValueError, "same length"),
    (lambda: M.roc_auc([1, 2], [0.5, 0.4]), ValueError, "only 0 and 1"),
    (lambda: M.roc_auc([1, 1], [0.5, 0.4]), ValueError, "both 0 and 1"),
    (lambda: M.roc_auc([1, 0], [0.5, float("nan")]), ValueError, "y_score[1] must be finite"),
    (lambda: M.roc_auc("10", [0.5, 0.4]), TypeError, "y_true"),
    (lambda: M.roc_auc([1, "0"], [0.5, 0.4]), TypeError, "y_true[1]"),
    (lambda: M.average_precision([0, 0], [0.5, 0.4]), ValueError, "at least one 1"),
    (lambda: M.log_loss([1, 0], [1.5, 0.2]), ValueError, "y_prob"),
    (lambda: M.log_loss([1, 0], [0.5, 0.2], eps=0), ValueError, "eps"),
    (lambda: M.normalized_entropy([1, 1], [0.5, 0.2]), ValueError, "both 0 and 1"),
    (lambda: M.calibration_bins([1, 0], [0.5, 0.2], n_bins=0), ValueError, "n_bins"),
    (lambda: M.f1([1, 0], [0.5, 0.2], threshold="x"), TypeError, "threshold"),
    (lambda: M.best_f1_threshold([0, 0], [0.5, 0.2]), ValueError, "at least one 1"),
    (lambda: M.precision_at_k(["a", "b"], {"a"}, 3), ValueError, "k must be <="),
    (lambda: M.precision_at_k(["a", "b"], {"a"}, 0), ValueError, "k must be a positive"),
    (lambda: M.precision_at_k([], {"a"}, 1), ValueError, "ranked must not be empty"),
    (lambda: M.precision_at_k(["a", "a"], {"a"}, 1), ValueError, "repeat"),
    (lambda: M.recall_at_k(["a", "b"], set(), 1), ValueError, "relevant must not be empty"),
    (lambda: M.recall_at_k(["a", "b"], "a", 1), TypeError, "relevant"),
    (lambda: M.mean_average_precision([["a"]], [{"a"}, {"b"}]), ValueError, "same length"),
    (lambda: M.ndcg_at_k(["a"], {"a": -1}, 1), ValueError, "relevant['a']"),
    (lambda: M.ndcg_score([1], [0.5]), ValueError, "at least 2 documents"),
    (lambda: M.ndcg_score([1, -1], [0.5, 0.2]), ValueError, ">= 0"),
    (lambda: M.ndcg_score([1, 0], [0.5, 0.2], k=0), ValueError, "k must be a positive"),
    (lambda: M.dcg_score([[1, 0], [1]], [[0.5, 0.2], [0.1, 0.3]]), ValueError, "y_score[1]"),
])
def test_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value)


def test_auc_standard_error_hand_computed():
    # A = 0.5 on one positive and one negative: Q1 = Q2 = 1/3, SE^2 = 0.25
    assert M.auc_standard_error(0.5, 1, 1) == pytest.approx(0.5)
    # A = 0.8, P = 10, N = 20: Q1 = 2/3, Q2 = 1.28/1.8, SE^2 = (0.16 + 9(Q1 - 0.64) + 19(Q2 - 0.64)) / 200
    expected = math.sqrt((0.16 + 9 * (2 / 3 - 0.64) + 19 * (1.28 / 1.8 - 0.64)) / 200)
    assert M.auc_standard_error(0.8, 10, 20) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.09357, abs=1e-5)
    # more rows, smaller error; a perfect AUC has none
    assert M.auc_standard_error(0.8, 100, 200) < M.auc_standard_error(0.8, 10, 20)
    assert M.auc_standard_error(1.0, 10, 20) == 0.0


def test_auc_standard_error_bad_input():
    with pytest.raises(ValueError, match="^auc must be a probability in"):
        M.auc_standard_error(1.2, 10, 10)
    with pytest.raises(ValueError, match="^n_pos must be a positive integer"):
        M.auc_standard_error(0.7, 0, 10)
    with pytest.raises(TypeError, match="^n_neg"):
        M.auc_standard_error(0.7, 10, 2.5)
