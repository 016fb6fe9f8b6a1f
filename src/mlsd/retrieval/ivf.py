"""IVF: an inverted file of k-means cells; search only the few nearest cells.

Build: cluster the vectors into ``nlist`` cells with k-means and keep, for each
cell, the list of vectors assigned to it (the *inverted lists*).

Search for query ``q``:

1. score ``q`` against the ``nlist`` centroids;
2. open the ``nprobe`` cells with the best centroid scores;
3. score only the vectors in those cells and keep the top k.

Work per query is ``nlist + (vectors in the probed cells)`` similarities, about
``nlist + n * nprobe / nlist`` when cells are balanced: with n=10,000,
nlist=100, nprobe=8 that is ~900 instead of 10,000. The price is recall: a
true neighbour that sits just across a cell border is missed unless its cell
is probed. ``nprobe = nlist`` scans everything and is exact.

(Jégou, Douze, Schmid, "Product quantization for nearest neighbor search",
IEEE TPAMI 2011, https://doi.org/10.1109/TPAMI.2010.57 -- the IVF scheme used by
faiss.)
"""

from __future__ import annotations

import heapq
from operator import mul

from mlsd.validate import check_positive_int
from mlsd.retrieval.base import Index
from mlsd.retrieval.kmeans import kmeans

__all__ = ["IVFIndex"]


class IVFIndex(Index):
    """Inverted-file index.

    ``nlist`` cells (a common rule of thumb is about ``sqrt(n)``), ``nprobe``
    cells searched per query (changeable later: ``index.nprobe = 16`` or
    ``search(q, k, nprobe=16)``). k-means runs ``n_iter`` rounds on a sample of
    ``train_size`` vectors (default ``40 * nlist``, faiss's minimum advice).
    """

    kind = "ivf"

    def __init__(self, nlist: int = 100, nprobe: int = 8, metric: str = "ip",
                 n_iter: int = 10, train_size: int | None = None, seed: int = 0):
        super().__init__(metric, seed)
        self.nlist = check_positive_int("nlist", nlist)
        self.nprobe = check_positive_int("nprobe", nprobe)
        self.n_iter = check_positive_int("n_iter", n_iter)
        self.train_size = None if train_size is None else check_positive_int("train_size", train_size)
        self.centroids: list[list[float]] = []
        self.lists: list[list[int]] = []          # row numbers per cell
        self.list_vectors: list[list[list[float]]] = []

    def params(self) -> dict:
        return {"nlist": self.nlist, "nprobe": self.nprobe, "metric": self.metric}

    def _build(self) -> None:
        n = len(self.vectors)
        if self.nlist > n:
            raise ValueError(f"nlist must be <= the number of vectors ({n}), got {self.nlist}")
        # Spherical k-means: cells are scored by inner product at search time.
        train_size = self.train_size or 40 * self.nlist
        self.centroids, labels = kmeans(self.vectors, self.nlist, self.n_iter, metric="ip",
                                        seed=self.seed, train_size=train_size)
        self.build_distance_computations = self.nlist * (min(train_size, n) * self.n_iter + n)
        self.lists = [[] for _ in range(self.nlist)]
        for row, cell in enumerate(labels):
            self.lists[cell].append(row)
        # Each cell keeps its own vectors, so the scan is one comprehension.
        self.list_vectors = [[self.vectors[r] for r in rows] for rows in self.lists]

    def search(self, query, k: int = 10, nprobe: int | None = None):
        """Top ``k`` among the ``nprobe`` closest cells (default ``self.nprobe``)."""
        q = self._check_query(query, k)
        nprobe = self.nprobe if nprobe is None else check_positive_int("nprobe", nprobe)
        return self._search(q, k, nprobe)

    def _search(self, q, k, nprobe=None):
        nprobe = min(nprobe or self.nprobe, self.nlist)
        cell_scores = [sum(map(mul, q, c)) for c in self.centroids]
        cells = heapq.nlargest(nprobe, range(self.nlist), key=cell_scores.__getitem__)
        rows, scores = [], []
        for c in cells:
            rows += self.lists[c]
            scores += [sum(map(mul, q, v)) for v in self.list_vectors[c]]
        self.distance_computations += self.nlist + len(rows)
        best = heapq.nlargest(k, range(len(rows)), key=scores.__getitem__)
        return [(self.ids[rows[i]], scores[i]) for i in best]

    def list_sizes(self) -> list[int]:
        """Number of vectors in each cell (k-means cells are rarely equal)."""
        return [len(rows) for rows in self.lists]

    def bytes_per_vector(self) -> float:
        # float32 vector + int32 id in its list (the centroids are ignored).
        return 4.0 * self.dim + 4.0
