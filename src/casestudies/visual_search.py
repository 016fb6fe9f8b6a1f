"""Visual search end to end: a shopper's camera photo in, similar products out.

The page ``docs/case-studies/visual-search.md`` runs this system in its cells. Every builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the catalogue, the
trained projection or an index builds it and every later cell on the page reuses it.

**What is simulated, and why.** A real system runs a CNN or a vision transformer on every
image. That cannot be trained or run inside a browser cell, so this module stands in for the
encoder's *output*: :func:`encode` returns the vector a fixed, pretrained encoder would return
for a photo. It is built from structured parts, as ``x = identity + nuisance + noise``:

- the *identity* of the object (a unit vector per product; products of one category share a
  direction; a colour *variant* of a product sits close to it);
- *viewpoint*, *lighting* and *background*, each a fixed set of directions in the embedding
  space (:data:`NUISANCE`) with a random coefficient per photo; studio catalogue photos have
  little of them, a shopper's camera photo has a lot (:data:`PHOTO_STYLE`);
- Gaussian noise.

So every claim on the page is about the system *around* the encoder: the projection trained on
top of it, the index, de-duplication, index updates, evaluation and serving.

**The world** (:data:`WORLD`). A shopping catalogue grows over :data:`DAYS` days: products are
listed day by day in categories; some listings are *near-duplicates* (another seller re-uploads
the same photo, re-compressed and cropped) and some products are colour *variants* of another.
Three categories launch only after :data:`REBUILD_DAY`, when the index was last clustered.
Shoppers photograph products with their phone camera; :func:`queries` draws those photos with
the product each one shows.

**Time windows.** The projection trains on products listed before :data:`SPLIT_DAY`; the test
queries are photos taken on days :data:`SPLIT_DAY`-:data:`DAYS`, of products listed any time,
including ones the projection never saw.

**The system.** :func:`projection` trains a linear projection with
:class:`mlsd.contrastive.LinearInfoNCE` on positive pairs (two augmentations of a catalogue
photo, optionally also another angle of the same product) with in-batch negatives.
:func:`catalogue_index` puts the projected catalogue into an :class:`mlsd.retrieval.IVFIndex`;
:func:`append` adds new images to an index's nearest cells without re-clustering;
:func:`dedup` collapses near-duplicate results above a similarity threshold; :func:`grades`
simulates human raters' graded relevance; :func:`click_sessions` simulates shoppers who click
by position and by how attractive a result's photo is. :func:`serve` runs the request path with
its time and work per stage.
"""

from __future__ import annotations

import functools
import heapq
import inspect
import math
import random
import time
from dataclasses import dataclass
from itertools import compress, repeat
from operator import le, mul

from casestudies.memo import memoized
from mlsd.contrastive import LinearInfoNCE
from mlsd.retrieval import ExactIndex, IVFIndex
from mlsd.validate import check_choice, check_finite_vector, check_positive_int, check_probability

__all__ = ["WORLD", "DAYS", "SPLIT_DAY", "REBUILD_DAY", "DIM", "PROJ_DIM", "NUISANCE",
           "PHOTO_STYLE", "AUGMENT", "GRADE_NAMES", "SERVE_STAGES", "Catalogue", "Queries",
           "catalogue", "encode", "queries", "training_pairs", "projection", "project",
           "catalogue_vectors", "catalogue_index", "result_lists", "listings_of", "append", "dedup", "labelled_pairs",
           "grades", "rank", "rank_many", "search_many", "click_sessions", "serve"]

WORLD = dict(seed=7, n_categories=12, new_categories=3, n_products=1_100, variant_share=0.25,
             dup_share=0.12, extra_angle_share=0.6, n_queries=300)
DAYS = 60
SPLIT_DAY = 45.0           # train the projection on products listed before this day
REBUILD_DAY = 30.0         # the last time the index was clustered (see append)
DIM = 24                   # the stand-in encoder's output
PROJ_DIM = 16              # the learned projection's output
# Nuisance factors: how many directions of the embedding each one moves.
NUISANCE = {"viewpoint": 3, "lighting": 2, "background": 3}
# The spread (standard deviation) of each factor's coefficients, by kind of photo.
PHOTO_STYLE = {
    "studio": {"viewpoint": 0.12, "lighting": 0.1, "background": 0.1, "noise": 0.06},
    "angle": {"viewpoint": 0.6, "lighting": 0.15, "background": 0.15, "noise": 0.06},
    "camera": {"viewpoint": 0.45, "lighting": 0.35, "background": 0.4, "noise": 0.16},
    "duplicate": {"viewpoint": 0.0, "lighting": 0.06, "background": 0.08, "noise": 0.03},
}
# What pixel augmentations can imitate: colour jitter (lighting) and crops/clutter (background).
# No augmentation of a single photo shows the object from another side.
AUGMENT = {"viewpoint": 0.25, "lighting": 0.5, "background": 0.6, "noise": 0.08}
GRADE_NAMES = {3: "same product", 2: "variant", 1: "same category", 0: "unrelated"}
SERVE_STAGES = ("encode (stand-in)", "project", "ANN search", "dedup", "filter")


def _memo(maxsize: int = 1):
    """:func:`casestudies.memo.memoized`, keyed on the arguments as bound to the signature, so
    ``projection("augment", train_seed=1)`` and ``projection("augment", 7, 1)`` share one entry."""
    def decorate(function):
        signature = inspect.signature(function)
        cached = memoized(maxsize)(function)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return cached(*bound.args)

        wrapper.cache_clear, wrapper.cache_info = cached.cache_clear, cached.cache_info
        return wrapper
    return decorate


def _unit(v: list[float]) -> list[float]:
    n = math.sqrt(math.fsum(x * x for x in v))
    return [x / n for x in v]


def _gauss_vec(rng: random.Random, d: int, s: float = 1.0) -> list[float]:
    return [rng.gauss(0.0, s) for _ in range(d)]


@dataclass(frozen=True)
class Catalogue:
    """The catalogue's listings (index ``i`` is one listing with its main photo).

    ``product`` (the product a listing sells; a near-duplicate listing sells the same product as
    another), ``category``, ``day`` listed, ``variant_of`` (-1, or the product this one is a
    colour variant of), ``dup_of`` (-1, or the listing whose photo this one re-uploads),
    ``quality`` (how attractive the photo is to a shopper, 0.5-1.5), ``in_stock``, ``x`` (the
    encoder's vector for the main photo), ``angle_x`` (another photo of the product from a
    different angle, or None). ``identity`` maps a product to its identity vector.
    """
    product: tuple
    category: tuple
    day: tuple
    variant_of: tuple
    dup_of: tuple
    quality: tuple
    in_stock: tuple
    x: tuple
    angle_x: tuple
    identity: tuple
    directions: tuple          # the nuisance directions, per factor

    def __len__(self) -> int:
        return len(self.product)


@dataclass(frozen=True)
class Queries:
    """Shoppers' camera photos: ``day``, ``product`` shown, ``x`` (encoder vector)."""
    day: tuple
    product: tuple
    x: tuple

    def __len__(self) -> int:
        return len(self.day)


def encode(identity, style: str, rng: random.Random, directions, shift=None) -> list[float]:
    """The stand-in encoder: the vector a pretrained image model returns for one photo of an
    object with ``identity``, taken in ``style`` (a key of :data:`PHOTO_STYLE`, or a dict of
    spreads like :data:`AUGMENT`). ``shift`` (optional, a vector) is added to every photo: a
    change in how photos are taken that no factor covers (a new camera pipeline)."""
    spreads = PHOTO_STYLE[check_choice("style", style, tuple(PHOTO_STYLE))] \
        if isinstance(style, str) else style
    x = list(identity)
    for factor, dirs in zip(NUISANCE, directions):
        s = spreads[factor]
        if s:
            for d in dirs:
                c = rng.gauss(0.0, s)
                x = [a + c * b for a, b in zip(x, d)]
    noise = spreads["noise"]
    x = [a + rng.gauss(0.0, noise) for a in x]
    if shift is not None:
        x = [a + b for a, b in zip(x, shift)]
    return x


@_memo(maxsize=2)
def catalogue(seed: int = WORLD["seed"]) -> Catalogue:
    """Every listing, in the order listed (day ascending); seeded."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    rng = random.Random(seed)
    n_cat, n_new = WORLD["n_categories"], WORLD["new_categories"]
    directions = tuple(tuple(_unit(_gauss_vec(rng, DIM)) for _ in range(k))
                       for k in NUISANCE.values())
    centres = [_unit(_gauss_vec(rng, DIM)) for _ in range(n_cat)]
    identity, category, day, variant_of = [], [], [], []
    for p in range(WORLD["n_products"]):
        if p > 10 and rng.random() < WORLD["variant_share"]:
            base = rng.randrange(p)                     # a colour variant of an earlier product
            ident = _unit([a + b for a, b in zip(identity[base], _gauss_vec(rng, DIM, 0.09))])
            cat, d = category[base], rng.uniform(day[base], DAYS)
        else:
            base = -1
            d = rng.uniform(0.0, DAYS)
            old = n_cat - n_new
            cat = rng.randrange(n_cat) if d >= REBUILD_DAY else rng.randrange(old)
            ident = _unit([0.75 * a + b for a, b in zip(centres[cat], _gauss_vec(rng, DIM, 0.16))])
        identity.append(ident)
        category.append(cat)
        day.append(d)
        variant_of.append(base)
    listings = []        # (day, product, dup_of_product or -1)
    for p in range(len(identity)):
        listings.append((day[p], p, -1))
        if rng.random() < WORLD["dup_share"]:
            listings.append((rng.uniform(day[p], DAYS), p, p))
    listings.sort()
    first_listing = {}
    cols = {k: [] for k in ("product", "category", "day", "variant_of", "dup_of", "quality",
                            "in_stock", "x", "angle_x")}
    main_x = {}
    for i, (d, p, dup) in enumerate(listings):
        if dup < 0:
            x = encode(identity[p], "studio", rng, directions)
            main_x[p] = x
            first_listing[p] = i
            angle = (encode(identity[p], "angle", rng, directions)
                     if rng.random() < WORLD["extra_angle_share"] else None)
            dup_of = -1
        else:
            x = encode([0.0] * DIM, "duplicate", rng, directions)
            x = [a + b for a, b in zip(main_x[p], x)]
            angle, dup_of = None, first_listing[p]
        cols["product"].append(p)
        cols["category"].append(category[p])
        cols["day"].append(d)
        cols["variant_of"].append(variant_of[p])
        cols["dup_of"].append(dup_of)
        cols["quality"].append(round(0.5 + rng.random(), 3))
        cols["in_stock"].append(rng.random() < 0.93)
        cols["x"].append(tuple(x))
        cols["angle_x"].append(None if angle is None else tuple(angle))
    return Catalogue(identity=tuple(tuple(v) for v in identity), directions=directions,
                     **{k: tuple(v) for k, v in cols.items()})


@_memo(maxsize=10)
def queries(seed: int = WORLD["seed"], shift: float = 0.0, batch: int = 0) -> Queries:
    """Shoppers' camera photos over the test window (days SPLIT_DAY-DAYS), each of a product
    already listed that day. ``shift`` > 0 adds a fixed offset of that length to every photo
    (a new phone-app camera pipeline; see the monitoring cell). ``batch`` > 0 draws another,
    independent set of photos (more traffic for monitoring); batch 0 is the test set."""
    cat = catalogue(seed)
    if isinstance(shift, bool) or not isinstance(shift, (int, float)) or not math.isfinite(shift):
        raise TypeError(f"shift must be a finite number, got {shift!r}")
    if shift < 0:
        raise ValueError(f"shift must be >= 0, got {shift}")
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 0:
        raise ValueError(f"batch must be an int >= 0, got {batch!r}")
    rng = random.Random(seed * 1_000 + 17 + 7_919 * batch)
    offset = [shift * v for v in _unit(_gauss_vec(random.Random(seed + 99), DIM))] if shift else None
    first_day: dict = {}
    for i in range(len(cat)):
        first_day.setdefault(cat.product[i], cat.day[i])
    days, prods, xs = [], [], []
    for _ in range(WORLD["n_queries"]):
        d = rng.uniform(SPLIT_DAY, DAYS)
        while True:
            p = rng.randrange(len(cat.identity))
            if first_day[p] <= d:
                break
        days.append(d)
        prods.append(p)
        xs.append(tuple(encode(cat.identity[p], "camera", rng, cat.directions, offset)))
    order = sorted(range(len(days)), key=days.__getitem__)
    return Queries(day=tuple(days[i] for i in order), product=tuple(prods[i] for i in order),
                   x=tuple(xs[i] for i in order))


@_memo(maxsize=2)
def training_pairs(source: str = "augment", seed: int = WORLD["seed"]) -> tuple[tuple, tuple]:
    """Positive pairs from products listed before :data:`SPLIT_DAY` (no test-window data).

    ``"augment"``: two augmentations (:data:`AUGMENT`) of each main photo — what SimCLR-style
    training has without any labels. ``"augment+angles"``: the same, plus a pair (main photo,
    other-angle photo) for every product that has one, each side augmented too.
    """
    check_choice("source", source, ("augment", "augment+angles"))
    cat = catalogue(seed)
    rng = random.Random(seed * 7 + 3)
    zero = [0.0] * DIM
    a, b = [], []

    def aug(x):
        return [u + v for u, v in zip(x, encode(zero, AUGMENT, rng, cat.directions))]

    for i in range(len(cat)):
        if cat.day[i] >= SPLIT_DAY or cat.dup_of[i] >= 0:
            continue
        a.append(aug(cat.x[i]))
        b.append(aug(cat.x[i]))
        if source == "augment+angles" and cat.angle_x[i] is not None:
            a.append(aug(cat.x[i]))
            b.append(aug(cat.angle_x[i]))
    return tuple(map(tuple, a)), tuple(map(tuple, b))


@_memo(maxsize=4)
def projection(source: str = "augment+angles", seed: int = WORLD["seed"], train_seed: int = 0,
               epochs: int = 2, temperature: float = 0.1) -> LinearInfoNCE:
    """The projection trained with InfoNCE on :func:`training_pairs` (memoized)."""
    a, b = training_pairs(source, seed)
    model = LinearInfoNCE(DIM, PROJ_DIM, temperature=temperature, lr=0.02, seed=train_seed)
    return model.fit(a, b, epochs=epochs, batch_size=32)


def project(model, vectors) -> list[list[float]]:
    """Vectors as the index stores them: ``model.project`` if a projection is given, else the
    raw encoder vectors, L2-normalized (cosine similarity, the incumbent)."""
    if model is None:
        return [_unit(list(v)) for v in vectors]
    return model.project(vectors)


@_memo(maxsize=4)
def catalogue_vectors(source: str | None = "augment+angles", seed: int = WORLD["seed"]) -> tuple:
    """The catalogue's main photos as stored in the index (raw if ``source`` is None)."""
    model = None if source is None else projection(source, seed)
    return tuple(tuple(v) for v in project(model, catalogue(seed).x))


@_memo(maxsize=2)
def catalogue_index(source: str | None = "augment+angles", nlist: int = 32,
                    seed: int = WORLD["seed"]) -> IVFIndex:
    """An IVF index over the whole catalogue's stored vectors (clustered on all of them)."""
    vecs = [list(v) for v in catalogue_vectors(source, seed)]
    return IVFIndex(nlist=nlist, nprobe=4, n_iter=8, seed=0).build(vecs)


@_memo(maxsize=12)
def result_lists(source: str | None = "augment+angles", train_seed: int = 0,
                 dedup_threshold: float | None = None, k: int = 10,
                 seed: int = WORLD["seed"]) -> tuple:
    """For every test query (:func:`queries`), the top ``k`` listing ids by exact search in the
    space of ``source`` (None: the raw encoder vectors). With ``dedup_threshold``, the top 4k
    are searched and near-duplicates removed (:func:`dedup`) before cutting to ``k``."""
    check_positive_int("k", k)
    model = None if source is None else projection(source, seed, train_seed)
    stored = (catalogue_vectors(source, seed) if train_seed == 0 else
              tuple(tuple(v) for v in project(model, catalogue(seed).x)))
    out = []
    depth = k if dedup_threshold is None else 4 * k
    for found in rank_many(project(model, queries(seed).x), stored, depth):
        if dedup_threshold is not None:
            found = dedup(found, stored, dedup_threshold, limit=k)[0]
        out.append(tuple(i for i, _ in found))
    return tuple(out)


def listings_of(product: int, seed: int = WORLD["seed"]) -> set:
    """Every listing (the original and its near-duplicates) that sells ``product``."""
    return set(_listings_by_product(seed).get(product, ()))


@_memo(maxsize=2)
def _listings_by_product(seed: int) -> dict:
    cat = catalogue(seed)
    out: dict = {}
    for i, p in enumerate(cat.product):
        out.setdefault(p, []).append(i)
    return out


def append(index: IVFIndex, vectors, ids) -> IVFIndex:
    """Add ``vectors`` (with ``ids``) to ``index`` without re-clustering: each goes to the list
    of its most similar centroid, the way a live index takes new images between rebuilds."""
    if not isinstance(index, IVFIndex):
        raise TypeError(f"index must be an IVFIndex, got {type(index).__name__}")
    if len(vectors) != len(ids):
        raise ValueError(f"vectors and ids must have the same length, got {len(vectors)} and {len(ids)}")
    known = set(index.ids)
    for v, i in zip(vectors, ids):
        v = check_finite_vector("vectors[...]", v, index.dim)
        if i in known:
            raise ValueError(f"ids must be new to the index, got {i!r} twice")
        known.add(i)
        cell = max(range(index.nlist), key=lambda c: sum(map(mul, v, index.centroids[c])))
        index.lists[cell].append(len(index.vectors))
        index.list_vectors[cell].append(v)
        index.vectors.append(v)
        index.ids.append(i)
    return index


def dedup(results, vectors, threshold: float, limit: int | None = None) -> tuple[list, int]:
    """Drop every result whose stored vector is at least ``threshold`` similar (cosine) to a
    better-ranked result that was kept. ``results`` are ``(id, score)`` pairs best first;
    ``vectors[id]`` is the stored (normalized) vector. With ``limit``, stop once that many are
    kept. Returns the kept results and the number of similarities computed."""
    threshold = check_probability("threshold", threshold)
    if limit is not None:
        check_positive_int("limit", limit)
    kept, work = [], 0
    for rid, score in results:
        if limit is not None and len(kept) >= limit:
            break
        v = vectors[rid]
        dup = False
        for kid, _ in kept:
            work += 1
            if sum(map(mul, v, vectors[kid])) >= threshold:
                dup = True
                break
        if not dup:
            kept.append((rid, score))
    return kept, work


def labelled_pairs(seed: int = WORLD["seed"]) -> list[tuple[int, int, str]]:
    """Pairs of listings a team labelled for de-duplication: every near-duplicate pair, every
    (product, variant) pair, and as many random same-category pairs; ``(i, j, kind)`` with kind
    ``"duplicate"``, ``"variant"`` or ``"same category"``."""
    cat = catalogue(seed)
    rng = random.Random(seed + 5)
    first = {}
    for i in range(len(cat)):
        if cat.dup_of[i] < 0:
            first[cat.product[i]] = i
    pairs = [(cat.dup_of[i], i, "duplicate") for i in range(len(cat)) if cat.dup_of[i] >= 0]
    pairs += [(first[cat.variant_of[i]], i, "variant") for i in range(len(cat))
              if cat.dup_of[i] < 0 and cat.variant_of[i] >= 0]
    by_cat: dict = {}
    for i in first.values():
        by_cat.setdefault(cat.category[i], []).append(i)
    n_random = len(pairs)
    while n_random:
        c = rng.choice(sorted(by_cat))
        i, j = rng.sample(by_cat[c], 2)
        p, q = cat.product[i], cat.product[j]
        if cat.variant_of[p] in (q, -2) or cat.variant_of[q] == p:
            continue
        pairs.append((i, j, "same category"))
        n_random -= 1
    return pairs


def grades(query_product: int, ids, seed: int = WORLD["seed"], rater_noise: float = 0.1,
           rater_seed: int = 0) -> list[int]:
    """Human raters' graded relevance of listings ``ids`` for a photo of ``query_product``:
    3 same product (any listing of it), 2 a colour variant, 1 same category, 0 unrelated. With
    probability ``rater_noise`` a rater gives the neighbouring grade (the noise of real labels)."""
    cat = catalogue(seed)
    check_probability("rater_noise", rater_noise)
    rng = random.Random(rater_seed * 1_000_003 + query_product)
    out = []
    for i in ids:
        g = _true_grade(cat, query_product, cat.product[i])
        if rng.random() < rater_noise:
            g = min(3, max(0, g + rng.choice((-1, 1))))
        out.append(g)
    return out


def _true_grade(cat: Catalogue, query_product: int, p: int) -> int:
    """The grade of product ``p`` for a photo of ``query_product``, before any rater noise."""
    q_base = cat.variant_of[query_product]
    if p == query_product:
        return 3
    if cat.variant_of[p] == query_product or q_base == p or (q_base >= 0 and q_base == cat.variant_of[p]):
        return 2
    if cat.category[p] == cat.category[query_product]:
        return 1
    return 0


def rank(query_vector, stored, k: int = 10) -> list[tuple[int, float]]:
    """Exact top-``k`` listings by inner product with ``query_vector`` (stored normalized)."""
    scores = [sum(map(mul, query_vector, v)) for v in stored]
    best = heapq.nlargest(k, range(len(scores)), key=scores.__getitem__)
    return [(i, scores[i]) for i in best]


def rank_many(query_vectors, stored, k: int) -> list[list[tuple[int, float]]]:
    """``[rank(q, stored, k) for q in query_vectors]``: the same lists, in about a third of the
    time (:func:`_top_by_dot` explains how). Retrieval is most of the time of the cells that rank
    all test queries."""
    shape = _norm_range(stored) if 0 < k < len(stored) else None
    out = []
    for q in query_vectors:
        qq = sum(map(mul, q, q))
        if shape is None or not (qq + shape[1] < 1e300 and len(q) == len(stored[0])):
            out.append(rank(q, stored, k))        # NaN, overflow or mixed lengths: the plain way
        else:
            out.append(_top_by_dot(q, qq, stored, *shape, k))
    return out


def search_many(index: IVFIndex, query_vectors, k: int = 10, nprobe: int | None = None) -> list:
    """``[index.search(q, k, nprobe=nprobe) for q in query_vectors]`` on an inner-product
    :class:`~mlsd.retrieval.IVFIndex`: the same results, the same ``distance_computations``
    added, in less time. Both of ``IVFIndex._search``'s steps (the ``nprobe`` best centroids,
    then the top ``k`` of their cells' vectors) are exact top-k's by dot product, so each takes
    :func:`_top_by_dot`'s shortlist. The index-updates cell searches three indexes with every
    test photo; the plain search was a fifth of its time."""
    if not isinstance(index, IVFIndex):
        raise TypeError(f"index must be an IVFIndex, got {type(index).__name__}")
    nprobe = index.nprobe if nprobe is None else check_positive_int("nprobe", nprobe)
    probe = min(nprobe, index.nlist)
    cell_shape, row_shape = _norm_range(index.centroids), _norm_range(index.vectors)
    out = []
    for query in query_vectors:
        q = index._check_query(query, k)
        qq = sum(map(mul, q, q))
        if (index.metric != "ip" or cell_shape is None or row_shape is None
                or not qq + max(cell_shape[1], row_shape[1]) < 1e300):
            out.append(index._search(q, k, probe))                       # the plain way
            continue
        cells = [c for c, _ in _top_by_dot(q, qq, index.centroids, *cell_shape, probe)]
        rows = [r for c in cells for r in index.lists[c]]
        index.distance_computations += index.nlist + len(rows)
        vectors = [v for c in cells for v in index.list_vectors[c]]
        out.append([(index.ids[rows[i]], s) for i, s in _top_by_dot(q, qq, vectors, *row_shape, k)])
    return out


def _norm_range(vectors) -> tuple[float, float] | None:
    """``(max |v|^2 - min |v|^2, max |v|^2)`` for :func:`_top_by_dot`; None if the vectors are
    empty, of mixed lengths or not finite (use the plain way)."""
    norms = [sum(map(mul, v, v)) for v in vectors]
    if not norms or len(set(map(len, vectors))) != 1 or not all(map(math.isfinite, norms)):
        return None
    return max(norms) - min(norms), max(norms)


def _top_by_dot(q, qq, vectors, spread, top_norm, k) -> list[tuple[int, float]]:
    """``heapq.nlargest(k, range(len(vectors)), key=<q . vectors[i]>)`` with those dot products
    (``sum(map(mul, q, v))``), as ``(i, dot)`` pairs; ``qq = q . q``, and ``spread`` and
    ``top_norm`` bound the vectors' ``|v|^2`` (:func:`_norm_range` of these or of more vectors).

    In exact arithmetic ``q . v = (|q|^2 + |v|^2 - |q - v|^2) / 2``, and ``math.dist`` computes
    ``|q - v|`` in one C call, where a dot product steps through a Python float per term. So
    the distances pick the candidates: with ``d_k`` the k-th smallest distance, the k-th best
    score is at least ``(|q|^2 + min |v|^2 - d_k^2) / 2``, so a vector with ``d^2 > d_k^2 +
    spread + 4 slack`` cannot be in the top ``k``. The formula and the dot product differ by
    rounding alone, well under 1e-14 per dimension per unit of ``|q|^2 + |v|^2``, far below
    ``slack``: every vector of the plain top ``k`` is a candidate, and ranking the candidates
    by their dot products gives the plain list exactly (scores, order and ties included).
    Vectors of about equal length leave a handful of candidates beyond ``k``. The distances,
    their sort and the cut each run as one C loop (``sorted``, ``compress``): in Pyodide a
    Python loop over every vector costs as much as the distances.
    """
    if not vectors:
        return []
    # 1e-300: rounding in the subnormal range, where the relative bound does not hold
    slack = 1e-9 * len(q) * (qq + top_norm) + 1e-300
    dists = list(map(math.dist, repeat(q), vectors))
    d_k = sorted(dists)[min(k, len(dists)) - 1]
    radius = math.sqrt(d_k * d_k + spread + 4 * slack)
    near = list(compress(range(len(vectors)), map(le, dists, repeat(radius))))   # index order
    scores = {i: sum(map(mul, q, vectors[i])) for i in near}
    return [(i, scores[i]) for i in heapq.nlargest(k, near, key=scores.__getitem__)]


def click_sessions(ranked_lists, query_products, *, seed: int = 0, examine_decay: float = 0.7,
                   seed_cat: int = WORLD["seed"]) -> list[int]:
    """Simulate one shopper per ranked list (listing ids, best first): the shopper examines
    position ``r`` (0-based) with probability ``examine_decay ** r``, and clicks an examined
    result with probability ``base[grade] * quality`` (:data:`CLICK_BASE` by the true grade,
    quality of the listing's photo). Returns 1 per session with at least one click, else 0."""
    if len(ranked_lists) != len(query_products):
        raise ValueError(f"ranked_lists and query_products must have the same length, got "
                         f"{len(ranked_lists)} and {len(query_products)}")
    check_probability("examine_decay", examine_decay, open_low=True)
    cat = catalogue(seed_cat)
    rng = random.Random(seed)
    # The true grades (rater_noise 0) directly: calling grades() per session seeded a fresh
    # Random per call, most of this function's time when the same lists are replayed.
    click_p = {}                     # (query product, listing) -> click probability if examined
    out = []
    for ids, qp in zip(ranked_lists, query_products):
        clicked = 0
        for r, i in enumerate(ids):
            p_click = click_p.get((qp, i))
            if p_click is None:
                grade = _true_grade(cat, qp, cat.product[i])
                p_click = click_p[qp, i] = CLICK_BASE[grade] * cat.quality[i]
            if rng.random() < examine_decay ** r and rng.random() < p_click:
                clicked = 1
                break
        out.append(clicked)
    return out


CLICK_BASE = {3: 0.45, 2: 0.25, 1: 0.06, 0: 0.01}


def serve(photo_vector, model, index: IVFIndex, stored, *, k: int = 10, candidates: int = 40,
          nprobe: int = 4, threshold: float = 0.97, in_stock=None) -> dict:
    """One request: the photo's encoder vector (the stand-in for running the image model),
    projection, IVF search for ``candidates``, near-duplicate removal at ``threshold``, the
    in-stock filter, top ``k``. Returns ``{"results", "ms" (per stage), "work"}``, where work
    counts similarities computed per stage."""
    check_positive_int("k", k)
    check_positive_int("candidates", candidates)
    if candidates < k:
        raise ValueError(f"candidates must be >= k ({k}), got {candidates}")
    ms, work = {}, {}
    t0 = time.perf_counter()
    x = check_finite_vector("photo_vector", photo_vector, DIM)
    t1 = time.perf_counter()
    q = project(model, [x])[0]
    t2 = time.perf_counter()
    before = index.distance_computations
    found = index.search(q, candidates, nprobe=nprobe)
    t3 = time.perf_counter()
    kept, dedup_work = dedup(found, stored, threshold)
    t4 = time.perf_counter()
    if in_stock is not None:
        kept = [r for r in kept if in_stock[r[0]]]
    results = kept[:k]
    t5 = time.perf_counter()
    for stage, (a, b) in zip(SERVE_STAGES, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5))):
        ms[stage] = 1000.0 * (b - a)
    work = {"project": (PROJ_DIM * DIM if model is not None else DIM),
            "ANN search": index.distance_computations - before, "dedup": dedup_work}
    return {"results": results, "ms": ms, "work": work}
