"""Tests for casestudies.image_privacy_blurring: the case study's system behaves as its page says."""

import pytest

from casestudies import image_privacy_blurring as ipb
from mlsd import detection


def test_panoramas_are_seeded_timed_and_memoized():
    panos = ipb.panoramas()
    assert ipb.panoramas() is panos
    assert len(panos) == ipb.WORLD["images_per_day"] * ipb.WORLD["days"]
    assert [p.day for p in panos] == sorted(p.day for p in panos)
    assert not any(p.new_camera for p in panos if p.day < ipb.DRIFT_DAY)
    for p in panos[:200]:
        for o in p.objects:
            assert o.cls in ipb.CLASSES and o.box[0] < o.box[2] and o.box[1] < o.box[3]


def test_window_is_a_time_split():
    a, b = ipb.window(0, ipb.VALID_END), ipb.window(ipb.VALID_END, ipb.TEST_END)
    assert max(p.day for p in a) < ipb.VALID_END <= min(p.day for p in b)
    assert {p.id for p in a}.isdisjoint(p.id for p in b)


@pytest.mark.parametrize("start, end, error", [(5, 5, ValueError), (-1, 3, ValueError),
                                               (0, 99, ValueError), ("0", 3, TypeError)])
def test_window_names_bad_days(start, end, error):
    with pytest.raises(error, match="start|end"):
        ipb.window(start, end)


def test_nms_output_has_no_same_class_overlap_above_threshold():
    for boxes in ipb.detections("two-stage", 0.5)[:300]:
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if a[0] == b[0]:
                    assert detection.iou(a[1], b[1]) <= 0.5
    raw, kept = ipb.raw_detections("two-stage"), ipb.detections("two-stage", 0.5)
    assert sum(map(len, kept)) < sum(map(len, raw))


def test_false_positives_and_detector_names():
    raw = ipb.raw_detections("one-stage")
    assert any(b[3] == -1 for boxes in raw for b in boxes)          # false positives exist
    with pytest.raises(ValueError, match="kind must be one of"):
        ipb.raw_detections("three-stage")
    with pytest.raises(TypeError, match="kind must be"):
        ipb.raw_detections(2)


def test_recall_threshold_reaches_the_target_and_recall_falls_with_threshold():
    panos = ipb.window(0, ipb.VALID_END)
    t = ipb.recall_threshold("two-stage", panos, 0.98)
    found, total = ipb.recall_by("two-stage", panos, t)["all"]
    assert found / total >= 0.98
    assert ipb.recall_by("two-stage", panos, 0.5)["all"][0] < found
    with pytest.raises(ValueError, match="target"):
        ipb.recall_threshold("two-stage", panos, 1.5)


def test_review_queue_respects_capacity_and_only_takes_boxes_below_threshold():
    panos = ipb.window(ipb.VALID_END, ipb.TEST_END)
    queue, caught = ipb.review_queue("two-stage", panos, 0.1, 50)
    assert len(queue) == 50 and all(q[3] < 0.1 for q in queue)
    assert [q[3] for q in queue] == sorted((q[3] for q in queue), reverse=True)
    assert 0 <= caught <= 50
    assert ipb.review_queue("two-stage", panos, 0.1, 0) == ([], 0)
    with pytest.raises(ValueError, match="capacity"):
        ipb.review_queue("two-stage", panos, 0.1, -1)


def test_blur_pixelates_blocks():
    pixels = [list(range(8)) for _ in range(8)]
    n = ipb.blur(pixels, (0, 0, 4, 4), block=2)
    assert n == 16
    assert pixels[0][:2] == pixels[1][:2] == [0, 0] and pixels[0][2:4] == [2, 2]
    assert pixels[5] == list(range(8))                               # outside the box: untouched
    with pytest.raises(ValueError, match="block"):
        ipb.blur(pixels, (0, 0, 4, 4), block=0)


def test_serve_matches_offline_and_times_every_stage():
    p = ipb.window(ipb.VALID_END, ipb.TEST_END)[3]
    out = ipb.serve(p, "two-stage", threshold=0.1, review_floor=0.02)
    assert set(out["ms"]) == set(ipb.SERVE_STAGES)
    assert out["blurred"] == sum(b[2] >= 0.1 for b in ipb.detections("two-stage")[p.id])
    assert out["raw"] >= out["kept"] >= out["blurred"]
    with pytest.raises(TypeError, match="pano"):
        ipb.serve("pano")
    with pytest.raises(ValueError, match="review_floor"):
        ipb.serve(p, threshold=0.1, review_floor=0.2)


def test_builders_share_one_cache_entry_whatever_the_call_spelling():
    assert ipb.detections("v2") is ipb.detections("v2", 0.5) is ipb.detections(kind="v2", iou_threshold=0.5)
    assert ipb.object_scores("v2") is ipb.object_scores("v2", 0.5)
    assert ipb.raw_detections() is ipb.raw_detections("two-stage")
    with pytest.raises(ValueError, match="nms_iou"):
        ipb.object_scores("v2", 1.5)


def test_union_blurs_only_adds_boxes():
    panos = ipb.window(ipb.VALID_END, ipb.TEST_END)[:200]
    old, new = ("two-stage", 0.05), ("v2", 0.05)
    before = ipb.union_blurs(panos, old, new, set())
    assert before == sum(b[2] >= 0.05 for p in panos for b in ipb.detections("two-stage")[p.id]) / len(panos)
    after = ipb.union_blurs(panos, old, new, {p.id for p in panos})
    assert before < after
    # a new box already covered by an old one is not counted again: the same detector adds nothing
    assert ipb.union_blurs(panos, old, old, {p.id for p in panos}) == before
    with pytest.raises(ValueError, match="panos"):
        ipb.union_blurs([], old, new, set())
