"""Unit tests for mlsd.retrieval: each index finds neighbours, counts work, validates."""

import math

import pytest

from mlsd import retrieval as R
from mlsd.data.recsys import make_ann_dataset

DATA = make_ann_dataset(n=1500, n_queries=30, d=16, n_clusters=12, seed=5)


@pytest.fixture(scope="module")
def truth():
    ex = R.ExactIndex().build(DATA.vectors)
    return [ex.search(q, 10) for q in DATA.queries]


def brute(q, vectors, k):
    scored = sorted(((sum(a * b for a, b in zip(q, v)), i) for i, v in enumerate(vectors)),
                    key=lambda t: (-t[0], t[1]))
    return [(i, s) for s, i in scored[:k]]


def test_exact_matches_sorting():
    ex = R.ExactIndex().build(DATA.vectors)
    for q in DATA.queries[:5]:
        got = ex.search(q, 7)
        want = brute(q, DATA.vectors, 7)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert all(math.isclose(a, b, abs_tol=1e-12) for (_, a), (_, b) in zip(got, want))
    assert ex.distance_computations == 5 * len(DATA.vectors)
    ex.reset_counter()
    assert ex.distance_computations == 0


def test_exact_cosine_and_custom_ids():
    vecs = [[3.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    ip = R.ExactIndex("ip").build(vecs, ids=["a", "b", "c"])
    assert ip.search([1.0, 0.0], 1) == [("a", 3.0)]
    cos = R.ExactIndex("cosine").build(vecs, ids=["a", "b", "c"])
    top = cos.search([1.0, 1.0], 3)
    assert top[0][0] == "c" and math.isclose(top[0][1], 1.0)
    assert math.isclose(top[1][1], math.sqrt(0.5))
    assert R.exact_top_k([0.0, 2.0], vecs, 1) == [(1, 2.0)]


def test_ivf_recall_grows_with_nprobe_and_is_exact_when_scanning_all(truth):
    ivf = R.IVFIndex(nlist=20, seed=1).build(DATA.vectors)
    assert sum(ivf.list_sizes()) == len(DATA.vectors)
    recalls = []
    for nprobe in (1, 4, 20):
        found = [ivf.search(q, 10, nprobe=nprobe) for q in DATA.queries]
        recalls.append(R.ann_recall(found, truth, 10))
    assert recalls[0] <= recalls[1] <= recalls[2] == 1.0
    assert recalls[0] < 1.0
    ivf.reset_counter()
    ivf.nprobe = 2
    ivf.search(DATA.queries[0], 10)
    assert 20 < ivf.distance_computations < len(DATA.vectors) / 2


def test_hnsw_high_recall_with_little_work(truth):
    h = R.HNSWIndex(M=8, ef_construction=40, seed=2).build(DATA.vectors)
    assert h.layer_sizes()[0] == len(DATA.vectors)
    assert h.layer_sizes() == sorted(h.layer_sizes(), reverse=True)
    assert h.mean_degree(0) <= 16
    res = R.evaluate_index(h, DATA.queries, 10, exact=truth)
    assert res["recall"] >= 0.9
    assert res["distances_per_query"] < len(DATA.vectors) / 3
    # a huge beam makes it (practically) exact
    big = [h.search(q, 10, ef=400) for q in DATA.queries]
    assert R.ann_recall(big, truth, 10) >= 0.99


def test_hnsw_links_are_within_caps():
    h = R.HNSWIndex(M=4, ef_construction=16).build(DATA.vectors[:300])
    assert all(len(nb) <= 8 for nb in h.links[0])
    for layer in h.links[1:]:
        assert all(len(nb) <= 4 for nb in layer.values())


def test_lsh_more_tables_more_recall(truth):
    small = R.LSHIndex(n_bits=8, n_tables=2, seed=3).build(DATA.vectors)
    big = R.LSHIndex(n_bits=8, n_tables=16, seed=3).build(DATA.vectors)
    probed = R.LSHIndex(n_bits=8, n_tables=2, probes=3, seed=3).build(DATA.vectors)
    r_small = R.evaluate_index(small, DATA.queries, 10, exact=truth)["recall"]
    r_big = R.evaluate_index(big, DATA.queries, 10, exact=truth)["recall"]
    r_probed = R.evaluate_index(probed, DATA.queries, 10, exact=truth)["recall"]
    assert r_small < r_big and r_small < r_probed
    assert sum(small.bucket_sizes(0)) == len(DATA.vectors)


def test_lsh_may_return_fewer_than_k():
    lsh = R.LSHIndex(n_bits=30, n_tables=1).build(DATA.vectors[:50])
    res = lsh.search(DATA.queries[0], 10)
    assert len(res) <= 10


def test_pq_compresses_and_reranking_recovers_recall(truth):
    pq = R.PQIndex(m=4, n_centroids=32, seed=4).build(DATA.vectors)
    assert all(len(c) == 4 for c in pq.codes) and pq.bytes_per_vector() == 4
    rec = R.evaluate_index(pq, DATA.queries, 10, exact=truth)["recall"]
    assert 0.3 < rec < 1.0
    # reconstruction is close to the original vector
    err = sum((a - b) ** 2 for a, b in zip(pq.reconstruct(0), DATA.vectors[0]))
    assert err < 0.5
    pq.rerank = 100
    rec2 = R.evaluate_index(pq, DATA.queries, 10, exact=truth)["recall"]
    assert rec2 > rec and rec2 >= 0.9


def test_ann_recall():
    assert R.ann_recall([[1, 2, 3]], [[3, 2, 1]], 3) == 1.0
    assert R.ann_recall([[(1, 0.9), (5, 0.1)]], [[1, 2]], 2) == 0.5
    assert R.ann_recall([[1], [9]], [[1], [2]], 1) == 0.5
    with pytest.raises(ValueError, match="one result per query"):
        R.ann_recall([[1]], [[1], [2]], 1)
    with pytest.raises(ValueError, match=r"exact\[0\] must have at least k=3"):
        R.ann_recall([[1]], [[1]], 3)
    with pytest.raises(ValueError, match="^approx must not be empty"):
        R.ann_recall([], [[1]], 1)


def test_memory_per_vector():
    assert R.memory_per_vector("exact", 32) == 128
    assert R.memory_per_vector("pq", 32, m=8) == 8
    assert R.memory_per_vector("hnsw", 32, M=16) > R.memory_per_vector("ivf", 32)
    assert R.HNSWIndex(M=16).build(DATA.vectors[:50]).bytes_per_vector() == \
        R.memory_per_vector("hnsw", 16, M=16)
    with pytest.raises(ValueError, match="^kind must be one of"):
        R.memory_per_vector("annoy", 32)


def test_cached_index_is_shared():
    a = R.cached_index("ivf", n=300, d=8, n_clusters=4, nlist=5)
    assert R.cached_index("ivf", n=300, d=8, n_clusters=4, nlist=5) is a
    assert isinstance(a, R.IVFIndex) and len(a) == 300


def test_kmeans_finds_separated_clusters():
    pts = [[0.0 + 0.01 * i, 0.0] for i in range(10)] + [[5.0, 5.0 + 0.01 * i] for i in range(10)]
    cents, labels = R.kmeans(pts, 2, seed=0)
    assert len(set(labels[:10])) == 1 and len(set(labels[10:])) == 1 and labels[0] != labels[10]

def test_kmeans_assign_gives_exactly_the_plain_labels():
    # assign() shortlists centroids by math.dist, then scores only those: the labels must be
    # _assign_plain's (score every centroid, first of equals), ties and odd magnitudes included.
    import random
    from mlsd.retrieval.kmeans import _assign_plain, assign
    rng = random.Random(3)
    for dim, scale in [(1, 1.0), (8, 1.0), (16, 1e-150), (16, 1e150), (24, 1.0)]:
        pts = [[rng.gauss(0, scale) for _ in range(dim)] for _ in range(80)]
        pts += [list(v) for v in pts[:10]]
        pts += [[round(v / scale) * scale for v in p] for p in pts[:20]]   # exact ties
        for k in (1, 3, 12):
            cents = [list(c) for c in pts[:k]] + [list(pts[0])]           # a duplicated centroid
            for metric in ("ip", "l2"):
                assert assign(pts, cents, metric) == _assign_plain(pts, cents, metric)
    cents = [[1.0, 0.0], [float("inf"), 1.0]]
    assert assign([[1.0, 1.0]], cents, "ip") == _assign_plain([[1.0, 1.0]], cents, "ip")
    with pytest.raises(ValueError):
        assign([[1.0]], [], "ip")



ALL = [R.ExactIndex(), R.IVFIndex(nlist=4), R.HNSWIndex(M=4, ef_construction=8),
       R.LSHIndex(n_bits=4, n_tables=2), R.PQIndex(m=2, n_centroids=4)]


@pytest.mark.parametrize("index", ALL, ids=lambda i: i.kind)
def test_every_index_validates(index):
    with pytest.raises(ValueError, match="call build"):
        type(index)().search([1.0, 2.0], 1)
    with pytest.raises(ValueError, match="^vectors must not be empty"):
        index.build([])
    with pytest.raises(ValueError, match=r"^vectors\[1\] must have length 4"):
        index.build([[1.0] * 4, [1.0] * 3])
    with pytest.raises(ValueError, match=r"^vectors\[0\]\[2\] must be finite"):
        index.build([[1.0, 2.0, math.nan, 0.0]] * 8)
    vecs = DATA.vectors[:40]
    vecs = [v[:4] for v in vecs]
    index.build(vecs)
    with pytest.raises(ValueError, match=r"^k must be <= the number of items \(40\)"):
        index.search(vecs[0], 41)
    with pytest.raises(ValueError, match="^k must be a positive integer"):
        index.search(vecs[0], 0)
    with pytest.raises(ValueError, match="^query must have length 4, got 3"):
        index.search([1.0, 2.0, 3.0], 1)
    with pytest.raises(ValueError, match=r"^query\[0\] must be finite"):
        index.search([math.inf, 0.0, 0.0, 0.0], 1)
    with pytest.raises(TypeError, match="^query must be a sequence"):
        index.search(None, 1)
    with pytest.raises(ValueError, match="^ids must have|^ids and vectors must have the same length"):
        index.build(vecs, ids=[1, 2])
    with pytest.raises(ValueError, match="^ids must be unique"):
        index.build(vecs, ids=[0] * 40)
    with pytest.raises(ValueError, match="^queries must not be empty"):
        index.search_batch([], 1)


BAD_INPUT = [
    (lambda: R.ExactIndex("l1"), ValueError, "^metric must be one of"),
    (lambda: R.IVFIndex(nlist=0), ValueError, "^nlist must be a positive"),
    (lambda: R.IVFIndex(nlist=5).build([[1.0, 0.0]] * 3),
      ValueError, r"^nlist must be <= the number of vectors \(3\)"),
    (lambda: R.IVFIndex(nlist=2).build([[1.0, 0.0], [0.0, 1.0]]).search([1.0, 0.0], 1, nprobe=-1),
      ValueError, "^nprobe must be"),
    (lambda: R.HNSWIndex(M=1), ValueError, "^M must be >= 2"),
    (lambda: R.HNSWIndex(ef=2.5), TypeError, "^ef must be an integer"),
    (lambda: R.LSHIndex(n_bits=70), ValueError, "^n_bits must be <= 62"),
    (lambda: R.LSHIndex(n_bits=4, probes=5), ValueError, "^probes must be <= n_bits"),
    (lambda: R.PQIndex(n_centroids=300), ValueError, "^n_centroids must be between 2 and 256"),
    (lambda: R.PQIndex(m=2, n_centroids=2).build([[1.0] * 5] * 4),
      ValueError, "^m must divide the vector dimension 5"),
    (lambda: R.ExactIndex("cosine").build([[0.0, 0.0]]),
      ValueError, r"^vectors\[0\] must not be the zero vector"),
    (lambda: R.ExactIndex("cosine").build([[1.0, 0.0]]).search([0.0, 0.0], 1),
      ValueError, "^query must not be the zero vector"),
    (lambda: R.kmeans([[1.0], [2.0]], 3), ValueError, "^k must be <= the number of points"),
    (lambda: R.cached_index("faiss"), ValueError, "^kind must be one of"),
]


@pytest.mark.parametrize("call, exc, message", BAD_INPUT)
def test_constructor_validation(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
