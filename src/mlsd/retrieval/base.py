"""Plumbing shared by every index: metric, ids, input checks, the work counter.

Scores are *similarities* (larger is better): the inner product ``q . v`` for
``metric="ip"`` and the cosine ``q . v / (|q| |v|)`` for ``metric="cosine"``
(vectors are normalized once at build time, the query at search time, after
which cosine is an inner product).
"""

from __future__ import annotations

import math
from operator import mul

from mlsd.validate import (check_choice, check_finite_vector, check_int, check_k, check_matrix,
                           check_same_length)

METRICS = ("ip", "cosine")


def dot(a, b) -> float:
    """Inner product. ``sum(map(mul, a, b))`` is the fastest pure-Python form
    (about 1 us for d=32 on CPython 3.11). On Python 3.12+ ``sum`` of floats is
    compensated, so results can differ from 3.11 in the last bit; that only
    matters for exact ties, which continuous data practically never has."""
    return sum(map(mul, a, b))


def normalize(v: list[float], name: str = "vector") -> list[float]:
    """``v / |v|``; a zero vector has no direction, so it is an error."""
    norm = math.sqrt(math.fsum(x * x for x in v))
    if norm == 0.0:
        raise ValueError(f"{name} must not be the zero vector for metric='cosine'")
    return [x / norm for x in v]


class Index:
    """Base class. Subclasses implement ``_build()`` and ``_search(q, k)``.

    Attributes every index has:

    - ``vectors``: the stored vectors (list of float lists, normalized for cosine)
    - ``ids``: the id returned for each stored vector (default ``0..n-1``)
    - ``distance_computations``: similarities computed by ``search`` since the
      last :meth:`reset_counter` -- the "work" of a query, independent of the
      machine. ``build_distance_computations`` counts the build separately.
    """

    kind = "index"

    def __init__(self, metric: str = "ip", seed: int = 0):
        self.metric = check_choice("metric", metric, METRICS)
        self.seed = check_int("seed", seed)       # for the indexes that draw at random
        self.vectors: list[list[float]] = []
        self.ids: list = []
        self.dim = 0
        self.distance_computations = 0
        self.build_distance_computations = 0

    # -- public API -----------------------------------------------------------
    def build(self, vectors, ids=None):
        """Index ``vectors`` (a non-empty list of equal-length finite vectors).
        ``ids`` (optional, unique, same length) are returned by ``search``
        instead of row numbers. Returns ``self`` so you can chain."""
        rows = check_matrix("vectors", vectors)
        if self.metric == "cosine":
            rows = [normalize(r, f"vectors[{i}]") for i, r in enumerate(rows)]
        if ids is None:
            ids = list(range(len(rows)))
        else:
            if isinstance(ids, (str, bytes)) or not hasattr(ids, "__len__"):
                raise TypeError(f"ids must be a sequence, got {type(ids).__name__}")
            check_same_length("ids", ids, "vectors", rows)
            ids = list(ids)
            if len(set(ids)) != len(ids):
                raise ValueError("ids must be unique")
        self.vectors, self.ids, self.dim = rows, ids, len(rows[0])
        self.build_distance_computations = 0
        self._build()
        self.distance_computations = 0
        return self

    def search(self, query, k: int = 10) -> list[tuple[object, float]]:
        """The ``k`` stored vectors most similar to ``query``, best first, as
        ``(id, score)`` pairs. An approximate index may return fewer than ``k``
        if its candidate set is smaller (e.g. IVF with tiny lists)."""
        q = self._check_query(query, k)
        return self._search(q, k)

    def search_batch(self, queries, k: int = 10) -> list[list[tuple[object, float]]]:
        """:meth:`search` for each query in ``queries``."""
        if isinstance(queries, (str, bytes)) or not hasattr(queries, "__len__"):
            raise TypeError(f"queries must be a sequence of vectors, got {type(queries).__name__}")
        if len(queries) == 0:
            raise ValueError("queries must not be empty")
        return [self.search(q, k) for q in queries]

    def reset_counter(self) -> None:
        """Set ``distance_computations`` back to 0."""
        self.distance_computations = 0

    def __len__(self) -> int:
        return len(self.vectors)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({params}, n={len(self)})"

    def params(self) -> dict:
        """The index's settings (for tables and benchmark records)."""
        return {"metric": self.metric}

    def bytes_per_vector(self) -> float:
        """Memory per stored vector in a compiled implementation: float32
        components, int32 ids/links. See :func:`mlsd.retrieval.memory_per_vector`."""
        raise NotImplementedError

    # -- helpers for subclasses ----------------------------------------------
    def _check_query(self, query, k) -> list[float]:
        if not self.vectors:
            raise ValueError(f"{type(self).__name__} is empty: call build(vectors) first")
        q = check_finite_vector("query", query, self.dim)
        check_k(k, len(self.vectors))
        if self.metric == "cosine":
            q = normalize(q, "query")
        return q

    def _build(self) -> None:
        raise NotImplementedError

    def _search(self, q: list[float], k: int):
        raise NotImplementedError
