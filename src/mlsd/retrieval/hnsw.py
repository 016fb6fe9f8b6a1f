"""HNSW: a layered proximity graph searched greedily from the top layer down.

Each vector is a node. Layer 0 holds every node; each higher layer holds a
random ~1/M of the layer below (a node's top layer is
``floor(-ln(U) / ln(M))``), like the express lanes of a skip list.

**Search** for ``q``: start at the entry point on the top layer, walk greedily
to the neighbour most similar to ``q`` until none is better, drop one layer,
repeat. On layer 0 run a *beam search* that keeps the ``ef`` best nodes seen
so far and expands the most promising unexpanded one, stopping when the best
unexpanded candidate is worse than the worst of the ``ef`` kept. Return the top
k of those ``ef``. Bigger ``ef`` = more work and higher recall.

**Insert** a node: search for it with beam width ``ef_construction``, link it
to ``M`` of the candidates (``2M`` allowed on layer 0), and link them back.
Neighbours are chosen by the *heuristic* of the paper: walk candidates from
most to least similar and keep one only if it is more similar to the new node
than to every neighbour already kept. This favours links in different
directions, which keeps the graph navigable across clusters. When a node has
too many links, the same heuristic prunes its list.

A caveat the tests show: pruning can leave a node with no incoming link, and
then no search reaches it, however wide the beam. It happens with a tiny ``M``
or with inner product over vectors of very different lengths; unit vectors
(``metric="cosine"``) and ``M >= 8`` make it practically vanish.

(Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search
using Hierarchical Navigable Small World graphs", IEEE TPAMI 2020,
https://arxiv.org/abs/1603.09320. The details follow the hnswlib library.)
"""

from __future__ import annotations

import heapq
import math
import random
from operator import mul

from mlsd.validate import check_positive_int
from mlsd.retrieval.base import Index

__all__ = ["HNSWIndex"]


class HNSWIndex(Index):
    """Hierarchical navigable small-world graph.

    ``M`` links per node (``2M`` on layer 0), ``ef_construction`` beam width
    while building (40 is faiss's default), ``ef`` beam width while searching
    (changeable later: ``index.ef = 64`` or ``search(q, k, ef=64)``; the search
    uses ``max(ef, k)``).

    Building is the slow part in pure Python: every insertion is a search plus
    the neighbour heuristic, about 1-3 ms per vector in CPython (5,000 vectors
    take roughly 5 s with M=8, ef_construction=32). A cell should index a few
    thousand vectors with a small ``M``, or share one index through
    :func:`mlsd.retrieval.cached_index`.
    """

    kind = "hnsw"

    def __init__(self, M: int = 16, ef_construction: int = 40, ef: int = 32,
                 metric: str = "ip", seed: int = 0):
        super().__init__(metric, seed)
        self.M = check_positive_int("M", M)
        if M < 2:
            raise ValueError(f"M must be >= 2, got {M}")
        self.ef_construction = check_positive_int("ef_construction", ef_construction)
        self.ef = check_positive_int("ef", ef)

    def params(self) -> dict:
        return {"M": self.M, "ef_construction": self.ef_construction, "ef": self.ef,
                "metric": self.metric}

    # -- build ----------------------------------------------------------------
    def _build(self) -> None:
        self._rng = random.Random(self.seed)
        self._ml = 1.0 / math.log(self.M)
        self.levels: list[int] = []
        # links[layer][node] -> list of neighbour rows. Layer 0 is a list (every
        # node is there); upper layers are dicts (few nodes).
        self.links: list = [[]]
        self.entry = -1
        self.max_level = -1
        work = 0
        for row in range(len(self.vectors)):
            before = self.distance_computations
            self._insert(row)
            work += self.distance_computations - before
        self.build_distance_computations = work

    def _insert(self, i: int) -> None:
        vecs, q = self.vectors, self.vectors[i]
        level = int(-math.log(1.0 - self._rng.random()) * self._ml)
        self.levels.append(level)
        self.links[0].append([])
        while len(self.links) <= level:
            self.links.append({})
        for layer in range(1, level + 1):
            self.links[layer][i] = []
        if self.entry < 0:
            self.entry, self.max_level = i, level
            return
        ep = self.entry
        s_ep = sum(map(mul, q, vecs[ep]))
        self.distance_computations += 1
        for layer in range(self.max_level, level, -1):          # greedy descent
            ep, s_ep = self._greedy(q, ep, s_ep, layer)
        for layer in range(min(level, self.max_level), -1, -1):
            found = self._search_layer(q, [(s_ep, ep)], self.ef_construction, layer)
            neighbours = self._select(found, self.M)
            self.links[layer][i] = [j for _, j in neighbours]
            cap = 2 * self.M if layer == 0 else self.M
            for s, j in neighbours:                              # link back
                lst = self.links[layer][j]
                lst.append(i)
                if len(lst) > cap:                               # too many: prune
                    vj = vecs[j]
                    cand = sorted(((sum(map(mul, vj, vecs[x])), x) for x in lst), reverse=True)
                    self.distance_computations += len(cand)
                    self.links[layer][j] = [x for _, x in self._select(cand, cap)]
            s_ep, ep = found[0]
        if level > self.max_level:
            self.entry, self.max_level = i, level

    def _select(self, candidates, m):
        """Neighbour-selection heuristic. ``candidates``: (similarity, row)
        sorted best first. Keep a candidate only if it is closer to the base
        node than to every neighbour kept so far."""
        vecs = self.vectors
        kept, kept_vecs, work = [], [], 0
        for s, c in candidates:
            vc = vecs[c]
            for vj in kept_vecs:
                work += 1
                if sum(map(mul, vc, vj)) > s:
                    break                        # c is closer to a kept neighbour
            else:
                kept.append((s, c))
                kept_vecs.append(vc)
                if len(kept) == m:
                    break
        self.distance_computations += work
        return kept

    # -- search ---------------------------------------------------------------
    def _greedy(self, q, ep, s_ep, layer):
        """Move to the most similar neighbour while that improves (ef = 1)."""
        vecs, links = self.vectors, self.links[layer]
        improved = True
        while improved:
            improved = False
            nbrs = links[ep]
            self.distance_computations += len(nbrs)
            for j in nbrs:
                s = sum(map(mul, q, vecs[j]))
                if s > s_ep:
                    ep, s_ep, improved = j, s, True
        return ep, s_ep

    def _search_layer(self, q, entry, ef, layer):
        """Beam search on one layer. ``entry``: [(similarity, row)]. Returns up
        to ``ef`` (similarity, row) pairs, best first."""
        vecs, links = self.vectors, self.links[layer]
        visited = {j for _, j in entry}
        candidates = [(-s, j) for s, j in entry]     # max-heap by similarity
        heapq.heapify(candidates)
        results = list(entry)                        # min-heap of the ef best
        heapq.heapify(results)
        heappush, heappop, heapreplace = heapq.heappush, heapq.heappop, heapq.heapreplace
        while candidates:
            neg_s, c = heappop(candidates)
            if -neg_s < results[0][0] and len(results) >= ef:
                break                                # best unexpanded is worse than all kept
            new = [j for j in links[c] if j not in visited]
            if not new:
                continue
            visited.update(new)
            self.distance_computations += len(new)
            # Score all new neighbours in one comprehension (cheaper than one
            # call per neighbour in pure Python), then update the two heaps.
            for s, j in zip([sum(map(mul, q, vecs[j])) for j in new], new):
                if len(results) < ef:
                    heappush(results, (s, j))
                    heappush(candidates, (-s, j))
                elif s > results[0][0]:
                    heapreplace(results, (s, j))
                    heappush(candidates, (-s, j))
        return sorted(results, reverse=True)

    def search(self, query, k: int = 10, ef: int | None = None):
        """Top ``k`` with beam width ``max(ef, k)`` (default ``self.ef``)."""
        q = self._check_query(query, k)
        ef = self.ef if ef is None else check_positive_int("ef", ef)
        return self._search(q, k, ef)

    def _search(self, q, k, ef=None):
        ef = max(ef or self.ef, k)
        ep = self.entry
        s_ep = sum(map(mul, q, self.vectors[ep]))
        self.distance_computations += 1
        for layer in range(self.max_level, 0, -1):
            ep, s_ep = self._greedy(q, ep, s_ep, layer)
        found = self._search_layer(q, [(s_ep, ep)], ef, 0)
        return [(self.ids[j], s) for s, j in found[:k]]

    # -- inspection -----------------------------------------------------------
    def layer_sizes(self) -> list[int]:
        """Number of nodes on each layer, bottom first."""
        return [len(self.links[0])] + [len(layer) for layer in self.links[1:]]

    def mean_degree(self, layer: int = 0) -> float:
        """Average number of links per node on ``layer``."""
        lists = self.links[layer] if layer == 0 else list(self.links[layer].values())
        return sum(map(len, lists)) / max(1, len(lists))

    def bytes_per_vector(self) -> float:
        # float32 vector + int32 links: 2M slots on layer 0, M per upper layer
        # (a node has 1/(M-1) upper layers on average) + a level byte.
        return 4.0 * self.dim + 4.0 * 2 * self.M + 4.0 * self.M / (self.M - 1) + 1
