"""Image privacy blurring end to end: faces and licence plates in street-level panoramas.

The page ``docs/case-studies/image-privacy-blurring.md`` runs this system in its cells. Every
builder is memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the
panoramas or a detector's output builds them and every later cell on the page reuses them.

**The world** (:data:`WORLD`). A street-imagery fleet captures ``WORLD["images_per_day"]``
panoramas a day in this slice (a tiny shard of billions) over ``WORLD["days"]`` days. Each
panorama is ``PANO_W`` x ``PANO_H`` pixels and holds true *faces* and *licence plates*
(:data:`CLASSES`), each a box ``(x1, y1, x2, y2)``. Most objects are far from the camera, so their
boxes are small: the size (square root of the box area) is log-normal with a median near 30
pixels, and about half the objects are *small* in COCO's sense (area under 32 x 32 pixels,
:data:`SMALL_AREA`). Conditions change what the detector can see: about 15 % of panoramas are
shot at *night* (low light), about 6 % are *crowds* (8 to 16 faces standing side by side,
neighbours overlapping), and from :data:`DRIFT_DAY` a new camera generation (``new_camera``) with a softer
lens captures a share of the panoramas.

**Honest stand-in for the detector.** A real system runs a convolutional detector (a two-stage
detector such as Faster R-CNN, or a one-stage one such as SSD or YOLO) on tiles of the panorama.
It cannot run in a page, so :func:`raw_detections` *generates* what its raw output looks like,
before non-maximum suppression. Each true object has a hidden *evidence* ``z``::

    z = base + slope * log2(size / 32) - night_penalty - crowd_penalty - camera_penalty + N(0, 1)

and yields a box when ``z`` clears the detector's output floor, with score ``sigmoid(z)``. The
box is the true box moved and resized by noise whose spread grows for small and night objects.
Each found object also yields a few *duplicate* boxes (slightly shifted, lower scores), which is
what NMS must remove, and every panorama gets *false positives* (posters, wheels, signs) with low
scores on average and a long tail. The two detector profiles (:data:`DETECTORS`) differ where the
published designs differ: the two-stage profile has a flatter size slope (better on small
objects) and tighter boxes, and costs more GPU time per panorama; the one-stage profile is cheaper
and loses small objects faster. ``v2`` is a retrained two-stage detector, better on night and
small objects, used for re-processing and the online test. The numbers are assumptions of the
stand-in, not measurements of the real networks.

**The system.** Raw boxes -> greedy NMS (:func:`detections`) -> a score threshold chosen for
very high recall on a validation window (:func:`recall_threshold`) -> blur every box above it;
boxes in a band below it go to human review (:func:`review_queue`). :func:`serve` runs the batch
path for one panorama on a small raster and times each stage; :func:`blur` pixelates a region.

**Time windows.** Days 0-28 choose thresholds (:data:`VALID_END`), days 28-42 test them
(:data:`TEST_END`); the new camera arrives on :data:`DRIFT_DAY` (= 42).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from casestudies.memo import memoized
from mlsd import detection
from mlsd.validate import check_in_range, check_positive_int

__all__ = ["WORLD", "CLASSES", "PANO_W", "PANO_H", "SMALL_AREA", "VALID_END", "TEST_END",
           "DRIFT_DAY", "DETECTORS", "SERVE_STAGES", "Obj", "Pano", "panoramas", "window",
           "raw_detections", "detections", "evaluate", "recall_threshold", "recall_by",
           "review_queue", "blur", "serve", "condition", "object_scores", "COVER_IOU", "union_blurs"]

WORLD = dict(images_per_day=70, days=56, seed=11, night_share=0.15, crowd_share=0.06,
             new_camera_share=0.5)
CLASSES = ("face", "plate")
PANO_W, PANO_H = 8000, 4000     # pixels of one stitched panorama in the stand-in
SMALL_AREA = 32 * 32            # COCO's "small" object: area under 32^2 pixels
VALID_END = 28.0
TEST_END = 42.0
DRIFT_DAY = 42.0
SERVE_STAGES = ("decode & tile", "detector", "NMS", "threshold & route", "blur", "encode")

# Detector profiles of the stand-in. base/slope: evidence at size 32 px and its change per
# doubling of size; night/crowd/camera: evidence lost; loc: box noise as a share of size;
# dups: mean duplicate boxes per found object; fp: false positives per panorama; gpu_ms: GPU time
# per panorama (all tiles), an assumption the page's estimate cell uses.
DETECTORS = {
    "one-stage": dict(base=1.4, slope=2.2, night=1.8, crowd=1.4, camera=1.3, loc=0.08,
                      dups=1.2, fp=6.0, fp_mu=-4.0, gpu_ms=60.0),
    "two-stage": dict(base=1.8, slope=1.4, night=1.6, crowd=1.2, camera=1.2, loc=0.055,
                      dups=1.0, fp=5.0, fp_mu=-4.3, gpu_ms=240.0),
    "v2": dict(base=2.3, slope=1.3, night=0.9, crowd=1.0, camera=0.9, loc=0.05,
               dups=1.0, fp=5.0, fp_mu=-4.3, gpu_ms=240.0),
}
NOISE = 1.4                     # spread of the evidence between objects alike
FLOOR = 0.02                    # the detector emits boxes with score >= 2 %


@dataclass(frozen=True)
class Obj:
    """One true object: ``cls`` (face or plate) and its ``box``."""
    cls: str
    box: tuple

    @property
    def area(self) -> float:
        return (self.box[2] - self.box[0]) * (self.box[3] - self.box[1])


@dataclass(frozen=True)
class Pano:
    """One panorama: ``id``, capture ``day``, conditions and its true objects."""
    id: int
    day: float
    night: bool
    crowd: bool
    new_camera: bool
    objects: tuple


def _size(rng: random.Random) -> float:
    return min(400.0, max(8.0, math.exp(rng.gauss(math.log(28.0), 0.7))))


def _place(rng, cls, size, x=None, y=None) -> tuple:
    w, h = (size * 0.85, size / 0.85) if cls == "face" else (size * 2.0, size / 2.0)
    if x is None:
        x = rng.uniform(0, PANO_W - w)
        y = rng.uniform(PANO_H * 0.35, PANO_H * 0.75 - h)
    return (round(x, 1), round(y, 1), round(x + w, 1), round(y + h, 1))


@memoized(maxsize=1)
def panoramas() -> tuple[Pano, ...]:
    """Every panorama of the world in capture order; seeded, so every run sees the same world."""
    rng = random.Random(WORLD["seed"])
    n = WORLD["images_per_day"] * WORLD["days"]
    out = []
    for i in range(n):
        day = WORLD["days"] * i / n
        night = rng.random() < WORLD["night_share"]
        crowd = rng.random() < WORLD["crowd_share"]
        new_camera = day >= DRIFT_DAY and rng.random() < WORLD["new_camera_share"]
        objs = []
        n_faces = _poisson(rng, 0.9)
        n_plates = _poisson(rng, 0.5 if night else 0.9)
        for _ in range(n_faces):
            objs.append(Obj("face", _place(rng, "face", _size(rng))))
        for _ in range(n_plates):
            objs.append(Obj("plate", _place(rng, "plate", _size(rng))))
        if crowd:               # a queue of people: faces side by side, partly overlapping
            size = _size(rng) * 1.2
            x, y = rng.uniform(0, PANO_W * 0.6), rng.uniform(PANO_H * 0.4, PANO_H * 0.6)
            for _ in range(rng.randint(8, 16)):
                objs.append(Obj("face", _place(rng, "face", size * rng.uniform(0.85, 1.15), x,
                                               y + rng.gauss(0, size * 0.1))))
                x += size * 0.85 * rng.uniform(0.35, 1.1)
        out.append(Pano(i, day, night, crowd, new_camera, tuple(objs)))
    return tuple(out)


def _poisson(rng: random.Random, lam: float) -> int:
    k, p, limit = 0, rng.random(), math.exp(-lam)
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def window(start: float, end: float) -> list[Pano]:
    """The panoramas captured in ``[start, end)`` days: the time-based split."""
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"{name} must be a number of days, got {type(v).__name__}")
    if not 0 <= start < end <= WORLD["days"]:
        raise ValueError(f"need 0 <= start < end <= {WORLD['days']}, got start={start!r}, end={end!r}")
    return [p for p in panoramas() if start <= p.day < end]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


def _jitter(rng, box, sd) -> tuple:
    w, h = box[2] - box[0], box[3] - box[1]
    cx = (box[0] + box[2]) / 2 + rng.gauss(0, sd) * w
    cy = (box[1] + box[3]) / 2 + rng.gauss(0, sd) * h
    w *= math.exp(rng.gauss(0, sd))
    h *= math.exp(rng.gauss(0, sd))
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _check_detector(kind: str) -> dict:
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a detector name (str), got {type(kind).__name__}")
    if kind not in DETECTORS:
        raise ValueError(f"kind must be one of {sorted(DETECTORS)}, got {kind!r}")
    return DETECTORS[kind]


# The public builders below validate and normalise their arguments, then call one memoized
# builder with positional arguments: ``detections("v2")`` and ``detections("v2", 0.5)`` share one
# cache entry (an lru_cache keys them apart), so no cell pays for the same NMS twice.

def raw_detections(kind: str = "two-stage") -> tuple:
    """The stand-in detector's raw output for every panorama, before NMS.

    One entry per panorama: a tuple of ``(cls, box, score, source)`` where ``source`` is the index
    of the true object the box came from, or -1 for a false positive. The randomness is keyed by
    the detector, so two detectors see the same world but make their own mistakes.
    """
    _check_detector(kind)
    return _raw_detections(kind)


@memoized(maxsize=4)
def _raw_detections(kind: str) -> tuple:
    d = DETECTORS[kind]
    rng = random.Random(f"{WORLD['seed']}-{kind}")
    floor_z = math.log(FLOOR / (1 - FLOOR))
    out = []
    for p in panoramas():
        boxes = []
        penalty = d["night"] * p.night + d["camera"] * p.new_camera
        for j, o in enumerate(p.objects):
            size = math.sqrt(o.area)
            z = (d["base"] + d["slope"] * math.log2(size / 32.0) - penalty
                 - d["crowd"] * (p.crowd and o.cls == "face") + rng.gauss(0, NOISE))
            if z < floor_z:
                continue
            sd = d["loc"] * (1 + 0.5 * p.night) * max(1.0, 32.0 / size) ** 0.5
            boxes.append((o.cls, _jitter(rng, o.box, sd), _sigmoid(z), j))
            for _ in range(_poisson(rng, d["dups"])):
                zd = z - abs(rng.gauss(0, 1.2))
                if zd >= floor_z:
                    boxes.append((o.cls, _jitter(rng, o.box, sd * 1.8), _sigmoid(zd), j))
        for _ in range(_poisson(rng, d["fp"] * (1.5 if p.crowd else 1.0))):
            cls = "face" if rng.random() < 0.6 else "plate"
            zf = rng.gauss(d["fp_mu"], 1.6)
            if zf >= floor_z:
                boxes.append((cls, _place(rng, cls, _size(rng)), _sigmoid(zf), -1))
        out.append(tuple(boxes))
    return tuple(out)


def detections(kind: str = "two-stage", iou_threshold: float = 0.5) -> tuple:
    """Raw boxes after greedy NMS, per class, for every panorama (same layout as raw)."""
    _check_detector(kind)
    return _detections(kind, float(check_in_range("iou_threshold", iou_threshold, 0.0, 1.0)))


@memoized(maxsize=12)
def _detections(kind: str, iou_threshold: float) -> tuple:
    out = []
    for boxes in raw_detections(kind):
        kept = []
        for cls in CLASSES:
            mine = [b for b in boxes if b[0] == cls]
            if mine:
                keep = detection.nms([b[1] for b in mine], [b[2] for b in mine], iou_threshold)
                kept.extend(mine[k] for k in keep)
        out.append(tuple(kept))
    return tuple(out)


def condition(p: Pano, o: Obj) -> list[str]:
    """The conditions an object is seen in: small, night, crowd, new camera (or none of them)."""
    out = []
    if o.area < SMALL_AREA:
        out.append("small")
    if p.night:
        out.append("night")
    if p.crowd and o.cls == "face":
        out.append("crowd")
    if p.new_camera:
        out.append("new camera")
    return out


def evaluate(kind: str, panos: list, iou_threshold: float = 0.5, nms_iou: float = 0.5,
             points: int | None = 101) -> dict:
    """AP per class at one matching IoU for the panoramas ``panos`` (see :mod:`mlsd.detection`)."""
    dets = detections(kind, nms_iou)
    out = {}
    for cls in CLASSES:
        imgs = [([b[1] for b in dets[p.id] if b[0] == cls], [b[2] for b in dets[p.id] if b[0] == cls],
                 [o.box for o in p.objects if o.cls == cls]) for p in panos]
        out[cls] = detection.evaluate(imgs, iou_threshold, points)
    return out


def _overlap(a, b) -> float:
    """IoU of two trusted boxes (the generator's own), without :func:`mlsd.detection.iou`'s checks."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


COVER_IOU = 0.3                 # a box protects an object when their IoU reaches this


def object_scores(kind: str = "two-stage", nms_iou: float = 0.5) -> dict:
    """For every true object, the score of the kept box that covers it (0.0 if none does).

    Keys are ``(pano_id, object_index)``. Within a panorama and class, kept boxes are taken by
    descending score and each covers the uncovered object of highest IoU if that IoU reaches
    :data:`COVER_IOU` (blurring needs coverage, not the tight box AP asks for). Because the
    assignment goes by score, an object is blurred at threshold ``t`` exactly when its score here
    is ``>= t``.
    """
    _check_detector(kind)
    return _object_scores(kind, float(check_in_range("nms_iou", nms_iou, 0.0, 1.0)))


@memoized(maxsize=8)
def _object_scores(kind: str, nms_iou: float) -> dict:
    dets = detections(kind, nms_iou)
    out = {}
    for p in panoramas():
        for cls in CLASSES:
            idx = [j for j, o in enumerate(p.objects) if o.cls == cls]
            free = set(idx)
            for b in sorted((b for b in dets[p.id] if b[0] == cls), key=lambda b: -b[2]):
                if not free:
                    break
                best, best_iou = None, COVER_IOU
                for j in free:
                    v = _overlap(b[1], p.objects[j].box)
                    if v >= best_iou:
                        best, best_iou = j, v
                if best is not None:
                    free.discard(best)
                    out[(p.id, best)] = b[2]
            for j in free:
                out[(p.id, j)] = 0.0
    return out


def recall_threshold(kind: str, panos: list, target: float = 0.98, nms_iou: float = 0.5) -> float:
    """The highest score threshold whose object recall on ``panos`` reaches ``target``.

    Returns the detector's floor when the target is out of reach (everything it emits is blurred).
    """
    target = check_in_range("target", target, 0.0, 1.0)
    sc = object_scores(kind, nms_iou)
    scores = sorted((sc[(p.id, j)] for p in panos for j in range(len(p.objects))), reverse=True)
    if not scores:
        raise ValueError("panos must hold at least one true object")
    need = max(1, math.ceil(target * len(scores)))
    return max(FLOOR, scores[need - 1])


def recall_by(kind: str, panos: list, threshold: float, nms_iou: float = 0.5) -> dict:
    """Object recall at ``threshold``, overall and by condition: {name: (found, total)}."""
    sc = object_scores(kind, nms_iou)
    out: dict = {"all": [0, 0], "clear (none of these)": [0, 0]}
    for p in panos:
        for j, o in enumerate(p.objects):
            hit = sc[(p.id, j)] >= threshold
            for c in ["all"] + (condition(p, o) or ["clear (none of these)"]):
                out.setdefault(c, [0, 0])
                out[c][0] += hit
                out[c][1] += 1
    return {k: tuple(v) for k, v in out.items()}


def review_queue(kind: str, panos: list, threshold: float, capacity: int, nms_iou: float = 0.5):
    """Boxes below the blur threshold sent to people, highest score first, at most ``capacity``.

    Returns ``(queue, objects_caught)``: the queued ``(pano_id, cls, box, score, source)`` and how
    many true objects the blur missed that a reviewer sees in a queued box (a box the stand-in drew
    from that object) and so gets blurred.
    """
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise ValueError(f"capacity must be an integer >= 0, got {capacity!r}")
    check_in_range("threshold", threshold, 0.0, 1.0)
    dets, sc = detections(kind, nms_iou), object_scores(kind, nms_iou)
    cands = [(p.id, b[0], b[1], b[2], b[3]) for p in panos for b in dets[p.id] if b[2] < threshold]
    cands.sort(key=lambda c: -c[3])
    queue = cands[:capacity]
    caught = {(c[0], c[4]) for c in queue if c[4] >= 0 and sc[(c[0], c[4])] < threshold}
    return queue, len(caught)


def union_blurs(panos: list, old: tuple, new: tuple, redo: set) -> float:
    """Blurred boxes per panorama when blurs only accumulate.

    ``old`` and ``new`` are ``(kind, threshold)`` pairs. Every panorama keeps the old detector's
    blurs; on the panoramas whose id is in ``redo`` the new detector's blurs are added, except a
    new box that an old box of its class already covers (IoU >= :data:`COVER_IOU`).
    """
    if not panos:
        raise ValueError("panos must hold at least one panorama")
    (k_old, t_old), (k_new, t_new) = old, new
    check_in_range("old threshold", t_old, 0.0, 1.0)
    check_in_range("new threshold", t_new, 0.0, 1.0)
    d_old, d_new = detections(k_old), detections(k_new)
    n = 0
    for p in panos:
        kept = [b for b in d_old[p.id] if b[2] >= t_old]
        n += len(kept)
        if p.id in redo:
            n += sum(not any(a[0] == b[0] and _overlap(a[1], b[1]) >= COVER_IOU for a in kept)
                     for b in d_new[p.id] if b[2] >= t_new)
    return n / len(panos)


def blur(pixels: list, box: tuple, block: int = 4) -> int:
    """Pixelate ``box`` (x1, y1, x2, y2 in raster cells) in place: each block x block tile becomes
    its mean, so the detail inside cannot be recovered. ``pixels`` is a list of rows (lists or
    bytearrays). Returns the number of pixels processed."""
    block = check_positive_int("block", block)
    h, w = len(pixels), len(pixels[0]) if pixels else 0
    x1, y1 = max(0, int(box[0])), max(0, int(box[1]))
    x2, y2 = min(w, int(math.ceil(box[2]))), min(h, int(math.ceil(box[3])))
    done = 0
    for by in range(y1, y2, block):
        for bx in range(x1, x2, block):
            ys, xs = range(by, min(by + block, y2)), range(bx, min(bx + block, x2))
            vals = [pixels[y][x] for y in ys for x in xs]
            m = sum(vals) // len(vals)
            for y in ys:
                row = pixels[y]
                for x in xs:
                    row[x] = m
            done += len(vals)
    return done


RASTER_SCALE = 25               # one raster cell stands for 25 x 25 panorama pixels in serve()


def serve(pano: Pano, kind: str = "two-stage", threshold: float = 0.1, review_floor: float = 0.05,
          nms_iou: float = 0.5) -> dict:
    """The batch path for one panorama, timed per stage.

    decode & tile (a ``PANO_W / RASTER_SCALE`` raster stands for the image), detector (the stand-in's
    raw boxes), NMS, threshold & route (blur at or above ``threshold``; review in
    ``[review_floor, threshold)``), blur (pixelate each blurred box on the raster), encode (a
    checksum stands for writing the image). Returns ``ms`` per stage, ``raw``, ``kept``,
    ``blurred``, ``review`` (box counts) and ``pixels`` blurred (raster cells).
    """
    if not isinstance(pano, Pano):
        raise TypeError(f"pano must be a Pano, got {type(pano).__name__}")
    _check_detector(kind)
    check_in_range("threshold", threshold, 0.0, 1.0)
    check_in_range("review_floor", review_floor, 0.0, threshold)
    ms, clock = {}, time.perf_counter
    t0 = clock()
    w, h = PANO_W // RASTER_SCALE, PANO_H // RASTER_SCALE
    base = bytearray((pano.id * 7919 + x * 31) % 256 for x in range(w))
    pixels = [base[(y * 17) % w:] + base[:(y * 17) % w] for y in range(h)]
    t1 = clock(); ms["decode & tile"] = (t1 - t0) * 1e3
    raw = raw_detections(kind)[pano.id]
    t2 = clock(); ms["detector"] = (t2 - t1) * 1e3
    kept = []
    for cls in CLASSES:
        mine = [b for b in raw if b[0] == cls]
        if mine:
            kept.extend(mine[k] for k in detection.nms([b[1] for b in mine], [b[2] for b in mine], nms_iou))
    t3 = clock(); ms["NMS"] = (t3 - t2) * 1e3
    to_blur = [b for b in kept if b[2] >= threshold]
    review = [b for b in kept if review_floor <= b[2] < threshold]
    t4 = clock(); ms["threshold & route"] = (t4 - t3) * 1e3
    done = sum(blur(pixels, tuple(v / RASTER_SCALE for v in b[1]), 2) for b in to_blur)
    t5 = clock(); ms["blur"] = (t5 - t4) * 1e3
    checksum = sum(sum(row) for row in pixels) % 65_521
    t6 = clock(); ms["encode"] = (t6 - t5) * 1e3
    return {"ms": ms, "raw": len(raw), "kept": len(kept), "blurred": len(to_blur),
            "review": len(review), "pixels": done, "checksum": checksum,
            "boxes": tuple(b[1] for b in to_blur)}
