"""Property tests (hypothesis) for mlsd.retrieval."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import retrieval as R


def random_vectors(n, d, seed):
    rng = random.Random(seed)
    return [[rng.uniform(-1, 1) for _ in range(d)] for _ in range(n)]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), d=st.integers(1, 6), seed=st.integers(0, 10**6), data=st.data())
def test_exact_equals_brute_force_sort(n, d, seed, data):
    vecs = random_vectors(n, d, seed)
    q = random_vectors(1, d, seed + 1)[0]
    k = data.draw(st.integers(1, n))
    got = R.ExactIndex().build(vecs).search(q, k)
    scores = [sum(a * b for a, b in zip(q, v)) for v in vecs]
    want = sorted(range(n), key=lambda i: (-scores[i], i))[:k]
    assert [i for i, _ in got] == want
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)


def exact_search_case(n, seed, metric="ip"):
    """``n`` random 4-d vectors, 5 queries, ``k`` and the exact top-``k`` of each query."""
    vecs = random_vectors(n, 4, seed)
    qs = random_vectors(5, 4, seed + 7)
    k = min(5, n)
    return vecs, qs, k, R.ExactIndex(metric).build(vecs).search_batch(qs, k)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(10, 120), nlist=st.integers(1, 10), seed=st.integers(0, 1000))
def test_ivf_with_all_lists_is_exact(n, nlist, seed):
    vecs, qs, k, exact = exact_search_case(n, seed)
    ivf = R.IVFIndex(nlist=nlist, nprobe=nlist, seed=seed).build(vecs)
    assert R.ann_recall(ivf.search_batch(qs, k), exact, k) == 1.0


@settings(max_examples=10, deadline=None)
@given(n=st.integers(5, 150), M=st.integers(4, 8), seed=st.integers(0, 1000))
def test_hnsw_with_huge_ef_is_exact(n, M, seed):
    # Cosine (unit vectors) and M >= 4: with inner product on raw vectors or
    # tiny M, the pruning heuristic can leave a node with no incoming link, and
    # then no beam, however wide, reaches it (true of hnswlib as well).
    vecs, qs, k, exact = exact_search_case(n, seed, metric="cosine")
    h = R.HNSWIndex(M=M, ef_construction=32, metric="cosine", seed=seed).build(vecs)
    found = [h.search(q, k, ef=n) for q in qs]
    assert R.ann_recall(found, exact, k) >= 0.96


@settings(max_examples=30, deadline=None)
@given(ids=st.lists(st.integers(0, 30), min_size=1, max_size=10),
       truth=st.lists(st.integers(0, 30), min_size=10, max_size=10, unique=True),
       k=st.integers(1, 10))
def test_recall_is_a_fraction(ids, truth, k):
    r = R.ann_recall([ids], [truth], k)
    assert 0.0 <= r <= 1.0
    assert R.ann_recall([truth], [truth], k) == 1.0


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 60), seed=st.integers(0, 1000))
def test_every_index_returns_sorted_known_ids(n, seed):
    vecs = random_vectors(n, 4, seed)
    q = random_vectors(1, 4, seed + 1)[0]
    k = min(3, n)
    for index in (R.ExactIndex(), R.IVFIndex(nlist=2), R.HNSWIndex(M=3, ef_construction=8),
                  R.LSHIndex(n_bits=3, n_tables=2), R.PQIndex(m=2, n_centroids=2)):
        res = index.build(vecs).search(q, k)
        assert len(res) <= k
        assert len({i for i, _ in res}) == len(res)
        assert all(0 <= i < n for i, _ in res)
        scores = [s for _, s in res]
        assert scores == sorted(scores, reverse=True)
