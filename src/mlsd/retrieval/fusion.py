"""Rank fusion: merge the ranked lists of several retrievers into one.

A hybrid search engine asks two retrievers (say BM25 and a dense index) for their top
candidates. Their scores live on different scales — a BM25 score of 14 and a cosine of 0.62
cannot be added — but their *ranks* can be compared. **Reciprocal rank fusion** (RRF) gives each
document the sum, over the lists that contain it, of ``1 / (k + rank)``::

    RRF(d) = sum over lists L containing d of  w_L / (k + rank_L(d))      (rank starts at 1)

``k`` (60 in the paper) damps the head of each list: with ``k = 60`` the first and the tenth
document of a list differ by 13 %, so a document that several lists place fairly high beats one
that a single list puts first. ``w_L`` (default 1) weighs a list. A document absent from a list
gets nothing from it, so fusing needs only the top of each list, never all scores.

Reference: Cormack, Clarke & Buettcher, "Reciprocal Rank Fusion outperforms Condorcet and
individual Rank Learning Methods", SIGIR 2009 (https://doi.org/10.1145/1571941.1572114).
"""

from __future__ import annotations

from typing import Hashable, Sequence

from mlsd.validate import check_number

__all__ = ["reciprocal_rank_fusion"]


def _ids(ranked: object, i: int) -> list:
    if isinstance(ranked, (str, bytes)) or not isinstance(ranked, Sequence):
        raise TypeError(f"ranked_lists[{i}] must be a list of ids or (id, score) pairs, "
                        f"got {type(ranked).__name__}")
    ids = [item[0] if isinstance(item, tuple) else item for item in ranked]
    for item in ids:
        if not isinstance(item, Hashable):
            raise TypeError(f"ranked_lists[{i}] holds an unhashable id: {item!r}")
    if len(set(ids)) != len(ids):
        raise ValueError(f"ranked_lists[{i}] lists the same id twice")
    return ids


def reciprocal_rank_fusion(ranked_lists: Sequence[Sequence], k: float = 60.0,
                           weights: Sequence[float] | None = None,
                           limit: int | None = None) -> list[tuple[Hashable, float]]:
    """Fuse ranked lists with RRF; returns ``(id, fused score)`` pairs, best first.

    Each list holds ids best first, or ``(id, score)`` pairs as an index's ``search`` returns
    them (the scores are ignored: only ranks count). Ties go to the id seen first, scanning the
    lists in order. ``limit`` keeps the top ``limit`` results.
    """
    if isinstance(ranked_lists, (str, bytes)) or not isinstance(ranked_lists, Sequence):
        raise TypeError(f"ranked_lists must be a list of ranked lists, got {type(ranked_lists).__name__}")
    if not ranked_lists:
        raise ValueError("ranked_lists must hold at least one list")
    k = check_number("k", k)
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    if weights is None:
        weights = [1.0] * len(ranked_lists)
    elif len(weights) != len(ranked_lists):
        raise ValueError(f"weights must have one weight per list ({len(ranked_lists)}), got {len(weights)}")
    weights = [check_number(f"weights[{i}]", w) for i, w in enumerate(weights)]
    if any(w < 0 for w in weights):
        raise ValueError(f"weights must be >= 0, got {weights}")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive int or None, got {limit!r}")
    fused: dict = {}
    for i, (ranked, w) in enumerate(zip(ranked_lists, weights)):
        for rank, item in enumerate(_ids(ranked, i), start=1):
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
    order = sorted(fused.items(), key=lambda pair: -pair[1])     # stable: first seen wins ties
    return order if limit is None else order[:limit]
