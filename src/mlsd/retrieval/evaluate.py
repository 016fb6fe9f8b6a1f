"""Measuring an index: recall against exact search, work, time, memory.

**recall@k** of an approximate search for one query is the share of the true
top k (from exact search) that the approximate top k contains:

    recall@k = |approx_top_k  intersect  exact_top_k| / k

averaged over queries (:func:`ann_recall`; not to be confused with
:func:`mlsd.metrics.recall_at_k`, the share of a user's relevant items in one
ranked list). It ignores order inside the top k and is 1.0 when the
index finds every true neighbour.

**Memory per vector** is what a compiled implementation would store, in bytes:
float32 components (4 bytes each) and int32 ids/links (4 bytes each). The
Python objects here are far bigger; the estimate is what matters when you
size a production index (e.g. 100M vectors x 160 bytes = 16 GB).
"""

from __future__ import annotations

import time

from mlsd.validate import check_choice, check_k, check_non_empty, check_positive_int

__all__ = ["ann_recall", "evaluate_index", "memory_per_vector"]


def _ids(result) -> list:
    """Accept a result list of ids or of (id, score) pairs."""
    return [r[0] if isinstance(r, tuple) else r for r in result]


def ann_recall(approx, exact, k: int = 10) -> float:
    """Mean recall@k of an approximate search against exact search.

    ``approx`` and ``exact`` are lists with one result per query; a result is a
    list of ids or of ``(id, score)`` pairs, best first. Only the first ``k`` of
    each is used; ``exact`` results need at least k.
    """
    approx = check_non_empty("approx", approx)
    exact = check_non_empty("exact", exact)
    if len(approx) != len(exact):
        raise ValueError(f"approx and exact must have one result per query, "
                         f"got {len(approx)} and {len(exact)}")
    check_positive_int("k", k)
    total = 0
    for i, (a, e) in enumerate(zip(approx, exact)):
        truth = _ids(e)[:k]
        if len(truth) < k:
            raise ValueError(f"exact[{i}] must have at least k={k} results, got {len(truth)}")
        total += len(set(_ids(a)[:k]) & set(truth))
    return total / (k * len(exact))


def evaluate_index(index, queries, k: int = 10, exact=None) -> dict:
    """Search every query and report recall@k, time and work.

    ``exact``: the true results (one per query); computed with an
    :class:`~mlsd.retrieval.ExactIndex` over the same vectors if omitted.
    Returns ``{"recall": ..., "ms_per_query": ..., "distances_per_query": ...,
    "bytes_per_vector": ...}``. ``ms_per_query`` is a measured time and
    changes from run to run.
    """
    from mlsd.retrieval.exact import ExactIndex   # local: avoids an import cycle

    queries = check_non_empty("queries", queries)
    check_k(k, len(index))
    if exact is None:
        truth_index = ExactIndex(index.metric)
        truth_index.vectors, truth_index.ids, truth_index.dim = index.vectors, index.ids, index.dim
        exact = [truth_index.search(q, k) for q in queries]
    index.reset_counter()
    start = time.perf_counter()
    found = [index.search(q, k) for q in queries]
    elapsed = time.perf_counter() - start
    return {
        "recall": ann_recall(found, exact, k),
        "ms_per_query": 1000.0 * elapsed / len(queries),
        "distances_per_query": index.distance_computations / len(queries),
        "bytes_per_vector": index.bytes_per_vector(),
    }


def memory_per_vector(kind: str, d: int, *, M: int = 16, m: int = 8,
                      n_tables: int = 8) -> float:
    """Bytes per stored vector for an index ``kind`` at dimension ``d``
    (float32 vectors, int32 ids and links; codebooks and centroids ignored):

    - ``"exact"``: ``4d``
    - ``"ivf"``:   ``4d + 4`` (the id in its inverted list)
    - ``"hnsw"``:  ``4d + 4 * 2M + 4 * M / (M - 1) + 1`` (layer-0 links, upper
      layers on average, a level byte)
    - ``"lsh"``:   ``4d + 4 * n_tables`` (the vector for re-scoring, an id per table)
    - ``"pq"``:    ``m`` (one byte per sub-space)
    """
    check_choice("kind", kind, ("exact", "ivf", "hnsw", "lsh", "pq"))
    check_positive_int("d", d)
    check_positive_int("M", M)
    check_positive_int("m", m)
    check_positive_int("n_tables", n_tables)
    if kind == "hnsw" and M < 2:
        raise ValueError(f"M must be >= 2, got {M}")
    return {
        "exact": 4.0 * d,
        "ivf": 4.0 * d + 4.0,
        "hnsw": 4.0 * d + 8.0 * M + 4.0 * M / max(1, M - 1) + 1.0,
        "lsh": 4.0 * d + 4.0 * n_tables,
        "pq": float(m),
    }[kind]

