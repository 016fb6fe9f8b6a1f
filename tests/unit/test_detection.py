"""Tests for mlsd.detection: IoU, greedy NMS, matching and average precision on hand-computed cases."""

import pytest

from mlsd import detection as det


def test_iou_hand_computed():
    assert det.iou((0, 0, 2, 2), (0, 0, 2, 2)) == 1.0
    assert det.iou((0, 0, 2, 2), (2, 0, 4, 2)) == 0.0            # touching edges share no area
    assert det.iou((0, 0, 2, 2), (1, 0, 3, 2)) == pytest.approx(2 / 6)   # overlap 2, union 6
    assert det.iou((0, 0, 4, 4), (1, 1, 3, 3)) == pytest.approx(4 / 16)  # one inside the other


def test_nms_keeps_best_and_drops_duplicates_above_threshold():
    boxes = [(0, 0, 10, 10), (1, 0, 11, 10), (20, 0, 30, 10), (5, 0, 15, 10)]
    scores = [0.9, 0.8, 0.7, 0.6]
    # box1 vs box0: IoU 90/110 = 0.818; box3 vs box0: 50/150 = 0.333; box3 vs box1: 60/140 = 0.43
    assert det.nms(boxes, scores, 0.5) == [0, 2, 3]
    assert det.nms(boxes, scores, 0.3) == [0, 2]              # the real neighbour is suppressed too
    assert det.nms(boxes, scores, 0.9) == [0, 1, 2, 3]
    assert det.nms([], [], 0.5) == []


def test_match_counts_duplicates_as_false_positives():
    truths = [(0, 0, 10, 10), (20, 0, 30, 10)]
    dets = [(0, 0, 10, 10), (1, 0, 11, 10), (50, 50, 60, 60)]
    assert det.match(dets, [0.9, 0.8, 0.7], truths, 0.5) == [True, False, False]
    # the lower-scored exact box loses to the higher-scored slightly-off one
    assert det.match(dets[:2], [0.5, 0.9], truths, 0.5) == [False, True]


def test_average_precision_hand_computed():
    # ranked: TP, FP, TP with 3 true objects -> points (r 1/3, p 1), (1/3, 1/2), (2/3, 2/3)
    # envelope: 1 at r=1/3, 2/3 at r=2/3 -> AP = 1/3 * 1 + 1/3 * 2/3 = 5/9
    assert det.average_precision([0.9, 0.8, 0.7], [True, False, True], 3) == pytest.approx(5 / 9)
    # 101 points: recall 0..0.33 (34 points) at 1, 0.34..0.66 (33 points) at 2/3, rest 0
    ap101 = det.average_precision([0.9, 0.8, 0.7], [True, False, True], 3, points=101)
    assert ap101 == pytest.approx((34 * 1 + 33 * 2 / 3) / 101)
    assert det.average_precision([0.9, 0.8], [True, True], 2) == 1.0


def test_pr_curve_groups_tied_scores():
    curve = det.pr_curve([0.9, 0.5, 0.5], [True, True, False], 4)
    assert [(c["tp"], c["fp"]) for c in curve] == [(1, 0), (2, 1)]
    assert curve[-1]["recall"] == 0.5 and curve[-1]["precision"] == pytest.approx(2 / 3)


def test_evaluate_and_coco_map():
    truth = [(0, 0, 10, 10)]
    images = [([(0, 0, 10, 10)], [0.9], truth), ([(1, 1, 11, 11)], [0.8], truth)]
    # second detection has IoU 81/119 = 0.68: a hit at 0.5, a miss at 0.75
    assert det.evaluate(images, 0.5)["ap"] == 1.0
    at75 = det.evaluate(images, 0.75, points=None)
    assert at75["tp"] == 1 and at75["ap"] == pytest.approx(0.5)
    out = det.coco_map({"face": images}, iou_thresholds=(0.5, 0.75), points=None)
    assert out["map"] == pytest.approx(0.75) and out["ap50"] == 1.0


@pytest.mark.parametrize("call, error, text", [
    (lambda: det.iou((0, 0, 1), (0, 0, 1, 1)), TypeError, "box"),
    (lambda: det.iou((2, 0, 1, 1), (0, 0, 1, 1)), ValueError, "x1 < x2"),
    (lambda: det.nms([(0, 0, 1, 1)], [0.1, 0.2]), ValueError, "one score per box"),
    (lambda: det.nms([(0, 0, 1, 1)], [0.1], 1.5), ValueError, "iou_threshold"),
    (lambda: det.average_precision([0.5], [True], 0), ValueError, "n_positives"),
    (lambda: det.average_precision([0.5], [True], 1, points=1), ValueError, "points"),
    (lambda: det.evaluate("abc"), TypeError, "images"),
])
def test_bad_input_names_the_argument(call, error, text):
    with pytest.raises(error, match=text):
        call()
