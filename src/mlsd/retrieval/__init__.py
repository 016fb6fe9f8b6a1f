"""Retrieval: find the k items whose vectors score highest against a query.

A recommender or search engine turns a user (or a query) into a vector ``q``
and wants the ``k`` items with the largest similarity ``q . v`` out of
millions. Exact search scores all of them; *approximate nearest neighbour*
(ANN) indexes score a small, well-chosen part and accept missing a few true
neighbours. This package has one module per idea, all with the same API::

    index = HNSWIndex(M=16, ef=64).build(vectors)      # ids default to 0..n-1
    index.search(query, k=10)   # -> [(id, score), ...] best first
    index.distance_computations  # work done by searches so far

==============  ============================================  ============================
index           idea                                          knob: more recall, more work
==============  ============================================  ============================
``ExactIndex``  score everything                              (exact)
``IVFIndex``    k-means cells; scan the ``nprobe`` nearest    ``nprobe``
``HNSWIndex``   layered neighbour graph, greedy + beam search ``ef``
``LSHIndex``    random-hyperplane hash buckets                ``n_tables``, ``probes``
``PQIndex``     vectors compressed to ``m`` bytes, ADC tables ``m``, ``rerank``
==============  ============================================  ============================

:func:`ann_recall` and :func:`evaluate_index` compare an index with exact
search; :func:`memory_per_vector` gives the bytes a compiled implementation
stores per vector. :func:`cached_index` builds (once per interpreter) an index
over the standard clustered demo data, so several cells can share it.
"""

from __future__ import annotations

import functools

from mlsd.validate import check_choice
from mlsd.retrieval.base import METRICS, Index, dot, normalize
from mlsd.retrieval.evaluate import ann_recall, evaluate_index, memory_per_vector
from mlsd.retrieval.exact import ExactIndex, exact_top_k
from mlsd.retrieval.hnsw import HNSWIndex
from mlsd.retrieval.ivf import IVFIndex
from mlsd.retrieval.kmeans import kmeans
from mlsd.retrieval.lsh import LSHIndex
from mlsd.retrieval.pq import PQIndex

__all__ = ["Index", "ExactIndex", "IVFIndex", "HNSWIndex", "LSHIndex", "PQIndex",
           "exact_top_k", "ann_recall", "evaluate_index", "memory_per_vector",
           "kmeans", "cached_index", "dot", "normalize", "METRICS", "INDEXES"]

INDEXES = {"exact": ExactIndex, "ivf": IVFIndex, "hnsw": HNSWIndex, "lsh": LSHIndex,
           "pq": PQIndex}


@functools.lru_cache(maxsize=16)
def _cached(kind, n, d, n_clusters, spread, seed, params):
    from mlsd.data.recsys import make_ann_dataset
    data = make_ann_dataset(n=n, n_queries=0, d=d, n_clusters=n_clusters, spread=spread,
                            seed=seed)
    return INDEXES[kind](**dict(params)).build(data.vectors)


def cached_index(kind: str, n: int = 10_000, d: int = 32, n_clusters: int = 64,
                 spread: float = 1.0, seed: int = 0, **params) -> Index:
    """An index of ``kind`` ("exact", "ivf", "hnsw", "lsh", "pq") built with
    ``params`` over ``mlsd.data.recsys.clustered_vectors(n=n, d=d,
    n_clusters=n_clusters, spread=spread, seed=seed)``. Built once per
    interpreter and argument set, then reused; do not rebuild the returned index. Search-time knobs (``nprobe``, ``ef``) are
    arguments of ``search``, so one cached index serves a whole sweep."""
    check_choice("kind", kind, tuple(INDEXES))
    return _cached(kind, n, d, n_clusters, spread, seed, tuple(sorted(params.items())))
