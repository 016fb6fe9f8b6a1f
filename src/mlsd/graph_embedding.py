"""Neighbourhood aggregation: describe a node by the attributes of the people around it.

A user's own profile says little (one school, one workplace). Their friends' profiles say much
more: if half your friends went to school *s*, you probably know other people from *s*. A graph
embedding by **mean aggregation** turns that into a vector, with no training at all.

Start from each node's attribute vector ``h0(v)`` (sparse: ``{attribute: weight}``, for example
one-hot school, workplace and city). One hop of aggregation replaces every vector by the mean
over the node and its neighbours::

    h_k(v) = (h_{k-1}(v) + sum over u in N(v) of h_{k-1}(u)) / (1 + |N(v)|)

After ``k`` hops, ``h_k(v)`` mixes the attributes of everyone within ``k`` steps, nearer people
weighing more. Two users are then compared by the cosine of their vectors, ``h(u)·h(v) /
(|h(u)| |h(v)|)``: it is high when their circles overlap in schools, workplaces or cities, even if
they share no friend yet.

This is the aggregation step of GraphSAGE's mean aggregator (Hamilton, Ying & Leskovec,
"Inductive Representation Learning on Large Graphs", NeurIPS 2017, https://arxiv.org/abs/1706.02216)
without its learned weight matrices and non-linearity: GraphSAGE multiplies each aggregated vector
by a trained matrix and applies a ReLU, so that the model learns *which* attributes matter. The
untrained version is the usual first step — cheap, inductive (a new user gets a vector from their
first friends, with no retraining) and a strong feature for a ranker that learns the weights
downstream.

Cost: one hop reads every edge twice and adds two sparse vectors, so it is
``O(|E| x nnz)``, where ``nnz`` is the number of non-zero entries per vector — which grows with each hop,
so one or two hops is the practical limit, as in GraphSAGE, which samples neighbours to bound it.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from mlsd.validate import check_non_negative_int

__all__ = ["mean_aggregate", "cosine"]

SparseVector = dict


def _check_graph(adj, features) -> None:
    if not isinstance(adj, Sequence) or isinstance(adj, (str, bytes)):
        raise TypeError(f"adj must be a sequence of neighbour collections, got {type(adj).__name__}")
    if not isinstance(features, Sequence) or isinstance(features, (str, bytes)):
        raise TypeError(f"features must be a sequence of {{attribute: weight}} dicts, got "
                        f"{type(features).__name__}")
    if len(features) != len(adj):
        raise ValueError(f"features must have one vector per node ({len(adj)}), got {len(features)}")
    for v, x in enumerate(features):
        if not isinstance(x, Mapping):
            raise TypeError(f"features[{v}] must be a dict {{attribute: weight}}, got {type(x).__name__}")
        for key, value in x.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"features[{v}][{key!r}] must be a finite number, got {value!r}")
    n = len(adj)
    for v, neighbours in enumerate(adj):
        for u in neighbours:
            if isinstance(u, bool) or not isinstance(u, int) or not 0 <= u < n:
                raise ValueError(f"adj[{v}] must hold node ids in [0, {n}), got {u!r}")


def mean_aggregate(adj: Sequence, features: Sequence[Mapping], hops: int = 1) -> list[SparseVector]:
    """``hops`` rounds of ``h(v) <- mean of h over v and its neighbours``; returns new dicts.

    ``adj[v]`` is any collection of ``v``'s neighbours (ids ``0..n-1``); ``features[v]`` is the
    sparse attribute vector of ``v``. ``hops=0`` returns copies of the inputs. Keys are added in
    a fixed order (node order, then key order), so the float sums are the same on every run.
    """
    _check_graph(adj, features)
    hops = check_non_negative_int("hops", hops)
    h = [dict(x) for x in features]
    for _ in range(hops):
        nxt = []
        for v, neighbours in enumerate(adj):
            acc = dict(h[v])
            for u in sorted(neighbours):
                for key, value in h[u].items():
                    acc[key] = acc.get(key, 0.0) + value
            scale = 1.0 / (1 + len(neighbours))
            nxt.append({key: value * scale for key, value in acc.items()})
        h = nxt
    return h


def cosine(a: Mapping, b: Mapping) -> float:
    """Cosine similarity of two sparse vectors (0.0 when either is all zeros)."""
    for name, x in (("a", a), ("b", b)):
        if not isinstance(x, Mapping):
            raise TypeError(f"{name} must be a dict {{attribute: weight}}, got {type(x).__name__}")
    if len(a) > len(b):
        a, b = b, a
    dot = math.fsum(value * b[key] for key, value in a.items() if key in b)
    norm = math.sqrt(math.fsum(v * v for v in a.values())) * math.sqrt(math.fsum(v * v for v in b.values()))
    return dot / norm if norm > 0 else 0.0
