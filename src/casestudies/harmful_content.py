"""Harmful content detection end to end: posts with text, image and account signals, four classes.

The page ``docs/case-studies/harmful-content.md`` runs this system in its cells. Every builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the data or a
trained model builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). A social platform gets ``WORLD["posts_per_day"]`` posts a day in
this slice (a tiny shard of billions) over 35 days. Each post has a caption, an image and an
author. Four *harm classes* (:data:`CLASSES`) are rare, spam the least so: spam about 0.4 % of
posts, nudity 0.2 %, hate 0.1 %, graphic violence 0.06 %. Harmful posts are stored in full;
benign posts are stored as a 1-in-``BENIGN_KEEP`` sample with weight ``BENIGN_KEEP``, so every
rate below is a *weighted* rate over the whole stream.

**Honest stand-ins.** A real system reads the caption with a text encoder (a transformer) and the
image with an image encoder (a CNN or a ViT). Neither can run in a page, so the generator writes
what their outputs look like: a small *text embedding* (:data:`TEXT_DIMS`) and *image embedding*
(:data:`IMAGE_DIMS`) per post, each dimension standard normal for benign posts, shifted for the
harm classes:

- ``spam`` — the caption's spam wording (``t_spam``), a new account that posts in bursts. From
  :data:`DRIFT_DAY` on, spammers switch to new wording (``t_spam2``) within a week.
- ``nudity`` — the image (``i_nudity``).
- ``violence`` — the image (``i_gore``) and aggressive wording (``t_aggr``).
- ``hate`` — 60 % aggressive wording; 40 % *memes*: a caption (``t_meme``) and an image
  (``i_meme``) that are each ordinary on their own, hateful only when they point the same way
  (both strongly positive or both strongly negative). Benign posts have the same marginals.

Account signals (:data:`ACCOUNT_DIMS`) are the account's age, its posting burst and its
followers (which predict reach). Each post's *views* over its life are heavy-tailed and grow with
followers; :func:`world` also draws user reports (which arrive with a delay and include false
reports on benign posts) and the error of a human reviewer.

**The system.** *Late fusion* trains one model per modality and combines their scores;
*early fusion* trains one model on the joined features plus the text-by-image products (the
stand-in for fusion layers that read both at once). Both are multi-label
:class:`mlsd.ranking.multitask.MultiTaskLogistic` models: the early-fusion model with a shared
low-rank trunk or with one independent head per class (:func:`detector`), the per-modality
models of late fusion with independent heads. Training keeps every harmful post and a sample of
benign ones; one log-odds offset per class undoes that sampling. Thresholds per class (:func:`operating_points`) send posts to
automatic removal or to a human review queue with a fixed daily capacity, ordered by probability
or by expected harm (:func:`review_queue`). :func:`stratified_prevalence` estimates the share of
views that are harmful from a small reviewed sample; :func:`serve` runs the path for one post
with its time per stage.

**Time windows.** Train on days 0-14 (:data:`TRAIN_END`), test on days 14-21
(:data:`TEST_END`); the spammers adapt from :data:`DRIFT_DAY` (= 21) and a model retrained on
the week since ships on :data:`RETRAIN_DAY` (= 28).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from casestudies.memo import memoized
from mlsd.ranking.multitask import MultiTaskLogistic
from mlsd.validate import check_in_range, check_positive_int

__all__ = ["WORLD", "CLASSES", "PREVALENCE", "SEVERITY", "TEXT_DIMS", "IMAGE_DIMS",
           "ACCOUNT_DIMS", "BENIGN_KEEP", "TRAIN_END", "TEST_END", "DRIFT_DAY", "RETRAIN_DAY",
           "MODALITIES", "SERVE_STAGES", "World", "Detector", "world", "window", "features",
           "train_detector", "detector", "late_fusion", "weighted_ap", "operating_points",
           "thresholds", "review_queue", "stratified_prevalence", "serve"]

WORLD = dict(posts_per_day=15_000, days=35, seed=7)
CLASSES = ("spam", "nudity", "hate", "violence")
PREVALENCE = {"spam": 0.004, "nudity": 0.002, "hate": 0.001, "violence": 0.0006}
SEVERITY = {"spam": 1.0, "nudity": 3.0, "hate": 5.0, "violence": 8.0}
TEXT_DIMS = ("t_spam", "t_aggr", "t_meme", "t_spam2")
IMAGE_DIMS = ("i_nudity", "i_gore", "i_meme")
ACCOUNT_DIMS = ("young_account", "post_burst", "log_followers")
MODALITIES = {"text": TEXT_DIMS, "image": IMAGE_DIMS, "account": ACCOUNT_DIMS}
BENIGN_KEEP = 100           # one benign post in 100 is stored, with weight 100
TRAIN_BENIGN = 0.35         # training keeps a third of the stored benign posts
TRAIN_END = 14.0
TEST_END = 21.0
DRIFT_DAY = 21.0            # spammers start to change wording after the model shipped
DRIFT_DAYS = 7.0            # ... and have switched completely a week later
RETRAIN_DAY = 28.0
MEME_SHARE = 0.4            # share of hate that is a caption-plus-image meme
SERVE_STAGES = ("text encoder", "image encoder", "account features", "fusion model", "decision")


@dataclass(frozen=True)
class World:
    """The stored posts as columns in time order (index ``i`` is one post).

    ``t`` day, ``weight`` (posts of the stream it stands for), ``label`` (index into
    :data:`CLASSES`, -1 benign), ``meme`` (a caption-plus-image hate meme), ``text``/``image``/
    ``account`` (the embeddings and signals), ``views`` (lifetime views), ``first_report`` (day of
    the first user report; ``inf`` if never reported), ``reviewer_error`` (the probability that
    one human review gets this post wrong).
    """
    t: tuple
    weight: tuple
    label: tuple
    meme: tuple
    text: tuple
    image: tuple
    account: tuple
    views: tuple
    first_report: tuple
    reviewer_error: tuple

    def __len__(self) -> int:
        return len(self.t)

    def y(self, cls: str) -> list[int]:
        """0/1 labels of one class for every stored post."""
        k = CLASSES.index(cls)
        return [int(v == k) for v in self.label]


def _spam2_share(day: float) -> float:
    return min(1.0, max(0.0, (day - DRIFT_DAY) / DRIFT_DAYS))


@memoized(maxsize=1)
def world() -> World:
    """Every stored post of the world, sorted by time; seeded, so every run sees the same data."""
    rng = random.Random(WORLD["seed"])
    gauss, rand = rng.gauss, rng.random
    per_day, days = WORLD["posts_per_day"], WORLD["days"]
    rows = []
    n_benign = round(per_day * days / BENIGN_KEEP)
    plan = [(-1, n_benign)]
    for k, c in enumerate(CLASSES):
        plan.append((k, round(per_day * days * PREVALENCE[c] * (1 + 0.05 * gauss(0, 1)))))
    for k, n in plan:
        for _ in range(n):
            t = rand() * days
            text = [gauss(0, 1) for _ in TEXT_DIMS]
            image = [gauss(0, 1) for _ in IMAGE_DIMS]
            young, burst = gauss(0, 1), gauss(0, 1)
            followers = gauss(5.0, 1.5)                    # log of followers
            meme = False
            if k == 0:                                     # spam
                text[3 if rand() < _spam2_share(t) else 0] += 2.8
                young += 1.3
                burst += 1.5
                followers -= 1.5
            elif k == 1:                                   # nudity
                image[0] += 3.6
                young += 0.4
            elif k == 2:                                   # hate
                if rand() < MEME_SHARE:
                    meme = True
                    s = 1 if rand() < 0.5 else -1
                    text[2] = s * (1.8 + abs(gauss(0, 0.6)))
                    image[2] = s * (1.8 + abs(gauss(0, 0.6)))
                    text[1] += 0.4
                else:
                    text[1] += 3.0
                followers += 0.3
            elif k == 3:                                   # violence
                image[1] += 2.6
                text[1] += 2.0
            account = [young, burst, followers]
            views = math.exp(0.9 * followers + gauss(0, 1.0) - 1.5)
            if k >= 0:
                rate = 0.004 if k == 0 else 0.01           # reports per view (spam is ignored)
                p_report = 1 - math.exp(-rate * views)
            else:
                p_report = 1 - math.exp(-0.00005 * views)  # mass or mistaken reports
            first = t + rng.expovariate(1.0) * 1.5 if rand() < p_report else math.inf
            # each review misses a harmful post with probability 3 % (8 % for hate, the
            # hardest call) and wrongly flags a benign one with probability 0.05 %
            wrong = 0.0005 if k < 0 else 0.08 if k == 2 else 0.03
            rows.append((t, 1.0 if k >= 0 else float(BENIGN_KEEP), k, meme, tuple(text),
                         tuple(image), tuple(account), round(views, 1), first, wrong))
    rows.sort(key=lambda r: r[0])
    return World(*map(tuple, zip(*rows)))


def window(start: float, end: float) -> list[int]:
    """Indices of the stored posts with ``start <= t < end``."""
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"{name} must be a number (a day), got {type(v).__name__}")
    if not 0 <= start < end <= WORLD["days"]:
        raise ValueError(f"need 0 <= start < end <= {WORLD['days']}, got start={start}, end={end}")
    w = world()
    return [i for i in range(len(w)) if start <= w.t[i] < end]


def _cross(text, image) -> list[float]:
    return [a * b for a in text for b in image]


def features(i: int, kind: str = "early") -> list[float]:
    """The model input of post ``i``: ``"early"`` (joined + text-by-image products) or a modality."""
    w = world()
    if kind == "early":
        return [*w.text[i], *w.image[i], *w.account[i], *_cross(w.text[i], w.image[i])]
    if kind in MODALITIES:
        return list(getattr(w, kind)[i])
    raise ValueError(f"kind must be 'early' or one of {sorted(MODALITIES)}, got {kind!r}")


@dataclass
class Detector:
    """A trained multi-label model: ``kind`` of input, ``model`` (MultiTaskLogistic) and the
    log-odds ``offset`` per class that undoes the sampling of benign posts in training."""
    kind: str
    shared: bool
    model: MultiTaskLogistic
    offset: dict

    def rows(self, idx) -> list[list[float]]:
        return [_scaled(features(i, self.kind)) for i in idx]

    def logits(self, idx) -> dict:
        """``{class: [log-odds per post]}`` on the whole stream's scale."""
        return self.logits_rows(self.rows(idx))

    def logits_rows(self, rows) -> dict:
        return {c: [z + self.offset[c] for z in zs]
                for c, zs in self.model.decision_function(rows).items()}

    def proba(self, idx) -> dict:
        """``{class: [probability per post]}`` for the posts ``idx``."""
        return {c: [_sigmoid(z) for z in zs] for c, zs in self.logits(idx).items()}

    def proba_row(self, x: list[float]) -> dict:
        return {c: _sigmoid(zs[0]) for c, zs in self.logits_rows([x]).items()}


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _scaled(row: list[float]) -> list[float]:
    """Followers (a log count around 5) centred and scaled like the other inputs."""
    n = len(row)
    if n == len(ACCOUNT_DIMS):
        row[2] = (row[2] - 5.0) / 1.5
    elif n > len(ACCOUNT_DIMS) + len(TEXT_DIMS):           # early: text, image, account, products
        j = len(TEXT_DIMS) + len(IMAGE_DIMS) + 2
        row[j] = (row[j] - 5.0) / 1.5
    return row


def _training_set(start: float, end: float, seed: int):
    """Every harmful post of the window and a TRAIN_BENIGN share of the stored benign ones."""
    w = world()
    rng = random.Random(seed)
    return [i for i in window(start, end) if w.label[i] >= 0 or rng.random() < TRAIN_BENIGN]


@memoized(maxsize=8)
def train_detector(kind: str = "early", shared: bool = True, start: float = 0.0,
                   end: float = TRAIN_END) -> Detector:
    """One multi-label model on posts of days ``[start, end)``: every harmful post and a sample
    of the benign ones, two SGD epochs. The sampling is undone by one log-odds offset per class,
    found by Newton's method so that the mean probability over the training rows, each weighted
    by the posts of the stream it stands for, equals the class's rate in the stream (a plain
    ``-log(keep rate)`` correction would be wrong here: the other classes' posts are negatives
    of a class, and they are kept in full)."""
    if kind != "early" and kind not in MODALITIES:
        raise ValueError(f"kind must be 'early' or one of {sorted(MODALITIES)}, got {kind!r}")
    if not isinstance(shared, bool):
        raise TypeError(f"shared must be True or False, got {shared!r}")
    idx = _training_set(start, end, seed=int(end))
    w = world()
    det = Detector(kind, shared, None, {c: 0.0 for c in CLASSES})
    rows = det.rows(idx)
    Y = {c: [int(w.label[i] == k) for i in idx] for k, c in enumerate(CLASSES)}
    det.model = MultiTaskLogistic(CLASSES, shared=shared, rank=3, learning_rate=0.03,
                                  l2=1e-4, task_l2=3e-3 if shared else 1e-3, epochs=2,
                                  seed=1).fit(rows, Y)
    stream = [1.0 if w.label[i] >= 0 else BENIGN_KEEP / TRAIN_BENIGN for i in idx]
    logits = det.model.decision_function(rows)
    for c in CLASSES:
        target = sum(x for x, y in zip(stream, Y[c]) if y)
        shift = -math.log(BENIGN_KEEP / TRAIN_BENIGN)
        for _ in range(30):
            ps = [_sigmoid(z + shift) for z in logits[c]]
            gap = sum(x * p for x, p in zip(stream, ps)) - target
            slope = sum(x * p * (1 - p) for x, p in zip(stream, ps))
            if slope <= 0 or abs(gap) < 1e-9 * target:
                break
            shift -= gap / slope
        det.offset[c] = shift
    return det


def detector(name: str = "early") -> Detector:
    """The page's models by name: ``early`` (shared trunk), ``separate`` (one per class),
    ``retrained`` (early, trained on days 21-28, the week in which the spammers adapted)."""
    if name == "early":
        return train_detector("early", True)
    if name == "separate":
        return train_detector("early", False)
    if name == "retrained":
        return train_detector("early", True, DRIFT_DAY, RETRAIN_DAY)
    raise ValueError(f"name must be 'early', 'separate' or 'retrained', got {name!r}")


@memoized(maxsize=2)
def late_fusion(start: float = 0.0, end: float = TRAIN_END):
    """Per-modality models, combined per class by adding their log-odds over the class prior
    (naive-Bayes style; each modality is calibrated on its own). Returns ``proba(idx)``."""
    models = {m: train_detector(m, False, start, end) for m in MODALITIES}
    w = world()
    prior = {}
    for k, c in enumerate(CLASSES):
        pos = sum(1 for i in window(start, end) if w.label[i] == k)
        total = sum(w.weight[i] for i in window(start, end))
        prior[c] = math.log(pos / (total - pos))

    def proba(idx) -> dict:
        parts = {m: d.logits(idx) for m, d in models.items()}
        return {c: [_sigmoid(sum(parts[m][c][j] for m in MODALITIES) - 2 * prior[c])
                    for j in range(len(idx))] for c in CLASSES}
    return proba


def weighted_ap(y, score, weight) -> float:
    """Average precision with row weights: sum over positives of the weighted precision at its
    rank, over the weighted positives (ties broken by index)."""
    if not (len(y) == len(score) == len(weight)) or not y:
        raise ValueError(f"y, score and weight must be non-empty and of one length, got "
                         f"{len(y)}, {len(score)}, {len(weight)}")
    order = sorted(range(len(y)), key=lambda j: -score[j])
    tp = fp = ap = 0.0
    pos = sum(wt for yy, wt in zip(y, weight) if yy)
    if pos == 0:
        raise ValueError("y has no positive: average precision is undefined")
    for j in order:
        if y[j]:
            tp += weight[j]
            ap += weight[j] * tp / (tp + fp)
        else:
            fp += weight[j]
    return ap / pos


def _curve(y, score, weight):
    """(threshold, precision, recall) at each cut, best score first."""
    order = sorted(range(len(y)), key=lambda j: -score[j])
    pos = sum(wt for yy, wt in zip(y, weight) if yy)
    tp = fp = 0.0
    out = []
    for j in order:
        if y[j]:
            tp += weight[j]
        else:
            fp += weight[j]
        out.append((score[j], tp / (tp + fp), tp / pos))
    return out


def operating_points(y, score, weight, *, recall: float | None = None,
                     precision: float | None = None) -> dict:
    """The threshold for a target: the highest threshold whose recall reaches ``recall``, or
    the lowest threshold whose precision still reaches ``precision`` (give exactly one)."""
    if (recall is None) == (precision is None):
        raise ValueError("give exactly one of recall= or precision=")
    target = check_in_range("recall" if recall is not None else "precision",
                            recall if recall is not None else precision, 0.0, 1.0)
    curve = _curve(y, score, weight)
    if recall is not None:
        for th, p, r in curve:
            if r >= target:
                return {"threshold": th, "precision": p, "recall": r}
    best = None
    for th, p, r in curve:
        if p >= target:
            best = {"threshold": th, "precision": p, "recall": r}
    if best is None:
        raise ValueError(f"no threshold reaches precision {target}")
    return best


@memoized(maxsize=1)
def thresholds() -> dict:
    """The policy's thresholds, chosen on days 14-21 with the ``early`` model: spam and nudity
    are removed automatically where precision stays >= 90 %; hate and violence (the most severe)
    go to review at the threshold that keeps recall >= 80 %. ``{class: {"remove"|"review":
    threshold, "precision", "recall"}}``."""
    w = world()
    idx = window(TRAIN_END, TEST_END)
    wt = [w.weight[i] for i in idx]
    proba = detector("early").proba(idx)
    out = {}
    for k, c in enumerate(CLASSES):
        y = [int(w.label[i] == k) for i in idx]
        if c in ("spam", "nudity"):
            op = operating_points(y, proba[c], wt, precision=0.9)
            out[c] = {"remove": op["threshold"], "precision": op["precision"], "recall": op["recall"]}
        else:
            op = operating_points(y, proba[c], wt, recall=0.8)
            out[c] = {"review": op["threshold"], "precision": op["precision"], "recall": op["recall"]}
    return out


def review_queue(idx, proba: dict, capacity: int, rank_by: str = "harm") -> list[int]:
    """The posts the reviewers see: the highest priorities until ``capacity`` posts of the stream
    are used (each stored post counts its weight).

    ``rank_by="probability"``: the largest class probability. ``"severity"``:
    ``sum_c p_c * severity_c``. ``"harm"``: expected harm, ``sum_c p_c * severity_c * predicted
    reach`` (reach from the author's followers).

    A stored benign post stands for ``BENIGN_KEEP`` similar posts of the stream, so once the
    ordering reaches one, its weight uses up a small capacity: the queue's resolution is
    ``BENIGN_KEEP`` benign posts."""
    capacity = check_positive_int("capacity", capacity)
    if rank_by not in ("harm", "severity", "probability"):
        raise ValueError(f"rank_by must be 'harm', 'severity' or 'probability', got {rank_by!r}")
    w = world()
    prio = []
    for j, i in enumerate(idx):
        if rank_by == "probability":
            v = max(proba[c][j] for c in CLASSES)
        elif rank_by == "severity":
            v = sum(proba[c][j] * SEVERITY[c] for c in CLASSES)
        else:
            reach = math.exp(0.9 * w.account[i][2] - 1.0)
            v = reach * sum(proba[c][j] * SEVERITY[c] for c in CLASSES)
        prio.append((v, i))
    prio.sort(reverse=True)
    out, used = [], 0.0
    for _, i in prio:                  # a stored benign post stands for BENIGN_KEEP posts
        if used >= capacity:
            break
        out.append(i)
        used += w.weight[i]
    return out


def stratified_prevalence(idx, score, strata_edges, allocation, seed: int = 0,
                          repeats: int = 1) -> list[dict]:
    """Estimate the share of *views* that are of harmful posts from a reviewed sample.

    Views are sampled within score strata (``strata_edges`` ascending cut points) with
    ``allocation[h]`` reviews in stratum ``h``; a reviewer labels each (with its error). The
    estimate is ``sum_h W_h p_h`` with ``W_h`` the stratum's share of views; its standard error
    is ``sqrt(sum_h W_h^2 p_h (1 - p_h) / n_h)``. Returns one estimate per repeat (independent
    samples of the same design): ``estimate``, ``ci_low``, ``ci_high``, ``se``."""
    if len(allocation) != len(strata_edges) + 1:
        raise ValueError(f"allocation needs {len(strata_edges) + 1} sizes (one per stratum), "
                         f"got {len(allocation)}")
    if len(score) != len(idx):
        raise ValueError(f"score has {len(score)} values but idx has {len(idx)} posts")
    repeats = check_positive_int("repeats", repeats)
    w = world()
    rng = random.Random(seed)
    groups = [[] for _ in allocation]
    for j, i in enumerate(idx):
        groups[sum(score[j] >= e for e in strata_edges)].append(i)
    total = sum(w.weight[i] * w.views[i] for i in idx)
    strata = []
    for h, members in enumerate(groups):
        if members and allocation[h] > 0:
            cum, acc = [], 0.0
            for i in members:
                acc += w.weight[i] * w.views[i]
                cum.append(acc)
            # the probability that one review says "harmful"
            seen = [1 - w.reviewer_error[i] if w.label[i] >= 0 else w.reviewer_error[i]
                    for i in members]
            strata.append((allocation[h], acc / total, members, cum, seen))
    out = []
    for _ in range(repeats):
        est = var = 0.0
        for n, share, members, cum, seen in strata:
            draws = rng.choices(range(len(members)), cum_weights=cum, k=n)
            p = sum(rng.random() < seen[d] for d in draws) / n
            est += share * p
            var += share * share * p * (1 - p) / n
        se = math.sqrt(var)
        out.append({"estimate": est, "ci_low": est - 1.96 * se, "ci_high": est + 1.96 * se, "se": se})
    return out


def serve(det: Detector, post: dict, thresholds: dict) -> dict:
    """Score one new post: encoders (stand-ins) -> account features -> model -> decision.

    ``post`` has ``text`` and ``image`` (the encoders' outputs, precomputed by the generator in
    the page) and ``account``. Returns the probabilities, the action (``remove``, ``review``
    or ``allow``) and the milliseconds per stage."""
    if not isinstance(post, dict) or not {"text", "image", "account"} <= set(post):
        raise TypeError("post must be a dict with 'text', 'image' and 'account'")
    ms = {}
    t0 = time.perf_counter()
    text = [float(v) for v in post["text"]]
    t1 = time.perf_counter()
    image = [float(v) for v in post["image"]]
    t2 = time.perf_counter()
    acc = [float(v) for v in post["account"]]
    t3 = time.perf_counter()
    x = _scaled([*text, *image, *acc, *_cross(text, image)])
    p = det.proba_row(x)
    t4 = time.perf_counter()
    action = "allow"
    for c in CLASSES:
        th = thresholds.get(c, {})
        if p[c] >= th.get("remove", 2.0):
            action = "remove"
            break
        if p[c] >= th.get("review", 2.0):
            action = "review"
    t5 = time.perf_counter()
    for stage, (a, b) in zip(SERVE_STAGES, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5))):
        ms[stage] = (b - a) * 1000
    return {"p": p, "action": action, "ms": ms, "x": x}
