"""Object detection evaluation: IoU, greedy non-maximum suppression and average precision.

A detector answers "what is where": for each image it returns *boxes*, each with a class and a
score. Three small algorithms turn those raw boxes into decisions and measurements.

**Boxes.** A box is ``(x1, y1, x2, y2)`` with ``x1 < x2`` and ``y1 < y2`` (pixels, the origin at
the top left). Its area is ``(x2 - x1) * (y2 - y1)``.

**Intersection over union** (:func:`iou`). Two boxes overlap by the area they share divided by
the area they cover together::

    IoU(A, B) = area(A ∩ B) / (area(A) + area(B) - area(A ∩ B))

It is 1 for identical boxes and 0 for disjoint ones. A detection *matches* a true object when
their IoU reaches a threshold (0.5 in PASCAL VOC; COCO averages over 0.5, 0.55, ..., 0.95).

**Greedy non-maximum suppression** (:func:`nms`). A detector fires several overlapping boxes on
one object. Sort the boxes by score; keep the best; drop every remaining box whose IoU with it
exceeds ``iou_threshold``; repeat with the best box left. A low threshold removes duplicates but
also removes a *second object* that really overlaps the first (faces in a crowd); a high
threshold keeps both objects and some duplicates.

**Matching and average precision** (:func:`match`, :func:`pr_curve`, :func:`average_precision`,
:func:`evaluate`). Within one image and one class, take the detections by descending score; each
matches the unmatched true box with which it has the highest IoU, if that IoU reaches the
threshold (a true positive); otherwise it is a false positive (a duplicate of an object already
matched is a false positive too). Pool every image's detections, sort by score, and walk down the
list: after the first ``k`` detections, ``precision = TP / k`` and ``recall = TP / (number of true
objects)``. Average precision is the area under that precision-recall curve after replacing each
precision by the best precision at any higher recall (the *interpolated* envelope, which makes the
curve non-increasing)::

    AP = sum over recall steps of (r_i - r_{i-1}) * max_{r >= r_i} precision(r)

COCO samples the envelope at 101 recall points ``0, 0.01, ..., 1`` and averages (``points=101``);
objects never detected keep recall below 1 and lower AP. *mAP* is the mean of AP over classes (and,
in COCO's headline number, over the ten IoU thresholds as well: :func:`coco_map`).
"""

from __future__ import annotations

import math
from typing import Sequence

from mlsd.validate import check_in_range, check_non_negative_int

__all__ = ["iou", "nms", "match", "pr_curve", "average_precision", "evaluate", "coco_map",
           "COCO_IOU_THRESHOLDS"]

COCO_IOU_THRESHOLDS = tuple(round(0.5 + 0.05 * k, 2) for k in range(10))


def _box(name: str, box) -> tuple[float, float, float, float]:
    if isinstance(box, (str, bytes)) or not hasattr(box, "__len__") or len(box) != 4:
        raise TypeError(f"{name} must be a box (x1, y1, x2, y2), got {box!r}")
    out = []
    for v in box:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise TypeError(f"{name} must hold four finite numbers, got {box!r}")
        out.append(float(v))
    if not (out[0] < out[2] and out[1] < out[3]):
        raise ValueError(f"{name} must have x1 < x2 and y1 < y2, got {box!r}")
    return out[0], out[1], out[2], out[3]


def _iou(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    if w <= 0:
        return 0.0
    h = min(a[3], b[3]) - max(a[1], b[1])
    if h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def iou(a, b) -> float:
    """Intersection over union of two boxes ``(x1, y1, x2, y2)``: 0 (disjoint) to 1 (identical)."""
    return _iou(_box("a", a), _box("b", b))


def _scores(scores, n: int) -> list[float]:
    if isinstance(scores, (str, bytes)) or not hasattr(scores, "__len__"):
        raise TypeError("scores must be a sequence of numbers")
    if len(scores) != n:
        raise ValueError(f"scores must have one score per box ({n}), got {len(scores)}")
    out = []
    for s in scores:
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not math.isfinite(s):
            raise TypeError(f"scores must be finite numbers, got {s!r}")
        out.append(float(s))
    return out


def nms(boxes: Sequence, scores: Sequence[float], iou_threshold: float = 0.5) -> list[int]:
    """Greedy non-maximum suppression: the indices of the kept boxes, best score first.

    A box is dropped when its IoU with an already kept box is *greater* than ``iou_threshold``.
    Ties in score keep the lower index first, so the result is deterministic.
    """
    boxes = [_box(f"boxes[{i}]", b) for i, b in enumerate(boxes)]
    scores = _scores(scores, len(boxes))
    thr = check_in_range("iou_threshold", iou_threshold, 0.0, 1.0)
    order = sorted(range(len(boxes)), key=lambda i: (-scores[i], i))
    kept: list[int] = []
    for i in order:
        b = boxes[i]
        if all(_iou(b, boxes[k]) <= thr for k in kept):
            kept.append(i)
    return kept


def match(detections: Sequence, scores: Sequence[float], truths: Sequence,
          iou_threshold: float = 0.5) -> list[bool]:
    """Greedy matching of one image's detections (one class) to its true boxes.

    Returns, for each detection in the order given, whether it is a true positive: taken by
    descending score, a detection claims the still unmatched true box of highest IoU if that IoU
    is at least ``iou_threshold``.
    """
    dets = [_box(f"detections[{i}]", b) for i, b in enumerate(detections)]
    scores = _scores(scores, len(dets))
    gts = [_box(f"truths[{i}]", b) for i, b in enumerate(truths)]
    thr = check_in_range("iou_threshold", iou_threshold, 0.0, 1.0)
    free = set(range(len(gts)))
    tp = [False] * len(dets)
    for i in sorted(range(len(dets)), key=lambda i: (-scores[i], i)):
        best, best_iou = -1, thr
        for g in free:
            v = _iou(dets[i], gts[g])
            if v >= best_iou and (best < 0 or v > best_iou):
                best, best_iou = g, v
        if best >= 0:
            free.discard(best)
            tp[i] = True
    return tp


def _pooled(scores: Sequence[float], is_tp: Sequence[bool], n_positives: int):
    scores = _scores(scores, len(scores) if hasattr(scores, "__len__") else -1)
    if len(is_tp) != len(scores):
        raise ValueError(f"is_tp must have one flag per score ({len(scores)}), got {len(is_tp)}")
    n_pos = check_non_negative_int("n_positives", n_positives)
    n_tp = sum(1 for t in is_tp if t)
    if n_tp > n_pos:
        raise ValueError(f"n_positives ({n_pos}) must be at least the number of true positives ({n_tp})")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [(scores[i], bool(is_tp[i])) for i in order], n_pos


def pr_curve(scores: Sequence[float], is_tp: Sequence[bool], n_positives: int) -> list[dict]:
    """The precision-recall points after each distinct score, best score first.

    Each point is ``{"threshold", "precision", "recall", "tp", "fp"}``: keeping every detection
    with score >= threshold. ``n_positives`` counts all true objects, found or not.
    """
    ranked, n_pos = _pooled(scores, is_tp, n_positives)
    out, tp, fp = [], 0, 0
    for j, (s, t) in enumerate(ranked):
        tp += t
        fp += not t
        if j + 1 < len(ranked) and ranked[j + 1][0] == s:
            continue
        out.append({"threshold": s, "precision": tp / (tp + fp),
                    "recall": tp / n_pos if n_pos else 0.0, "tp": tp, "fp": fp})
    return out


def average_precision(scores: Sequence[float], is_tp: Sequence[bool], n_positives: int,
                      points: int | None = None) -> float:
    """Area under the interpolated precision-recall curve (see the module docstring).

    ``points=None`` integrates the envelope exactly over every recall step; ``points=101`` samples
    it at recall 0, 0.01, ..., 1 as COCO does. With no true objects, AP is undefined: ValueError.
    """
    curve = pr_curve(scores, is_tp, n_positives)
    if n_positives == 0:
        raise ValueError("n_positives must be > 0: average precision needs true objects")
    if points is not None and (isinstance(points, bool) or not isinstance(points, int) or points < 2):
        raise ValueError(f"points must be None or an integer >= 2, got {points!r}")
    recall = [p["recall"] for p in curve]
    envelope = [p["precision"] for p in curve]
    for j in range(len(envelope) - 2, -1, -1):
        envelope[j] = max(envelope[j], envelope[j + 1])
    if points is None:
        ap, prev = 0.0, 0.0
        for r, p in zip(recall, envelope):
            ap += (r - prev) * p
            prev = r
        return ap
    total, j = 0.0, 0
    for k in range(points):
        r = k / (points - 1)
        while j < len(recall) and recall[j] < r - 1e-12:
            j += 1
        total += envelope[j] if j < len(recall) else 0.0
    return total / points


def evaluate(images: Sequence, iou_threshold: float = 0.5, points: int | None = 101) -> dict:
    """AP of one class over many images.

    ``images`` is a sequence of ``(detections, scores, truths)`` per image. Returns ``ap``,
    ``n_positives``, ``n_detections``, ``tp`` and the pooled ``scores`` and ``is_tp`` (for
    :func:`pr_curve`).
    """
    if isinstance(images, (str, bytes)) or not hasattr(images, "__iter__"):
        raise TypeError("images must be a sequence of (detections, scores, truths)")
    all_scores, all_tp, n_pos = [], [], 0
    for k, item in enumerate(images):
        if not hasattr(item, "__len__") or len(item) != 3:
            raise TypeError(f"images[{k}] must be (detections, scores, truths)")
        dets, scores, truths = item
        all_tp.extend(match(dets, scores, truths, iou_threshold))
        all_scores.extend(scores)
        n_pos += len(truths)
    return {"ap": average_precision(all_scores, all_tp, n_pos, points), "n_positives": n_pos,
            "n_detections": len(all_scores), "tp": sum(all_tp), "scores": all_scores, "is_tp": all_tp}


def coco_map(images_by_class: dict, iou_thresholds: Sequence[float] = COCO_IOU_THRESHOLDS,
             points: int | None = 101) -> dict:
    """COCO-style mAP: AP averaged over classes and IoU thresholds (0.5 to 0.95 by default).

    ``images_by_class`` maps a class name to the ``images`` argument of :func:`evaluate`. Returns
    ``map``, ``ap50`` (mean over classes at IoU 0.5 if 0.5 is among the thresholds) and ``per_class``
    (class -> {threshold: AP}).
    """
    if not isinstance(images_by_class, dict) or not images_by_class:
        raise TypeError("images_by_class must be a non-empty dict of class -> images")
    thresholds = [check_in_range("iou_thresholds", t, 0.0, 1.0) for t in iou_thresholds]
    if not thresholds:
        raise ValueError("iou_thresholds must not be empty")
    per_class = {c: {t: evaluate(imgs, t, points)["ap"] for t in thresholds}
                 for c, imgs in images_by_class.items()}
    m = sum(sum(v.values()) for v in per_class.values()) / (len(per_class) * len(thresholds))
    ap50 = (sum(v[0.5] for v in per_class.values()) / len(per_class)) if 0.5 in thresholds else None
    return {"map": m, "ap50": ap50, "per_class": per_class}
