"""Unit and property tests for mlsd.data.search (corpus, labels, BM25, ranking candidates)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import metrics
from mlsd.data import search as s


@pytest.fixture(scope="module")
def data():
    return s.make_search_data()


def test_tokenize():
    assert s.tokenize("How to bake Sourdough-bread, in 3 steps!") == ["bake", "sourdough", "bread", "3", "steps"]
    assert s.tokenize("the oven", remove_stopwords=False) == ["the", "oven"]
    assert s.tokenize("") == []


def test_corpus_is_seeded_memoized_and_immutable(data):
    assert s.make_search_data() is data
    assert s.make_search_data(seed=1).docs != data.docs
    assert len(data.docs) == 400 and len(data.queries) == 32
    assert [d.id for d in data.docs] == list(range(400))
    assert [q.id for q in data.queries] == list(range(32))
    with pytest.raises(AttributeError):
        data.docs[0].quality = 1.0


def test_labels_follow_the_rules(data):
    for q in data.queries[:6]:
        grades = data.grades(q.id)
        for d in data.docs:
            g = grades.get(d.id, 0)
            if d.spam:
                assert g == 0
            elif (d.topic, d.aspect) == (q.topic, q.aspect):
                assert g == (3 if d.utility >= 0.5 else 2)
            elif d.topic == q.topic:
                assert g == 1
            else:
                assert g == 0
    assert all(g > 0 for _, _, g in data.qrels)
    spam = sum(d.spam for d in data.docs)
    assert 5 <= spam <= 40                               # about 5% of 400


def test_bm25_by_hand():
    docs = [["a", "b", "a"], ["b", "c"], ["c", "c", "c", "d"]]
    index = s.BM25(docs, k1=1.2, b=0.75)
    n, avgdl = 3, 3.0
    idf_a = math.log(1 + (n - 1 + 0.5) / (1 + 0.5))
    idf_b = math.log(1 + (n - 2 + 0.5) / (2 + 0.5))
    assert index.idf("a") == pytest.approx(idf_a)
    assert index.idf("zzz") == pytest.approx(math.log(1 + (n + 0.5) / 0.5))   # unseen term
    norm0 = 1.2 * (1 - 0.75 + 0.75 * 3 / avgdl)
    expected = idf_a * 2 * 2.2 / (2 + norm0) + idf_b * 1 * 2.2 / (1 + norm0)
    assert index.score(["a", "b"], 0) == pytest.approx(expected)
    assert index.score(["a", "a", "b"], 0) == pytest.approx(expected)   # distinct terms only
    assert index.score(["d"], 0) == 0.0
    assert index.search(["c"], k=2)[0][0] == 2


@given(st.lists(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=12), min_size=1, max_size=12),
       st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=4), st.integers(1, 5))
@settings(deadline=None)
def test_bm25_properties(docs, query, k):
    index = s.BM25(docs)
    k = min(k, len(docs))
    results = index.search(query, k)
    assert len(results) <= k
    scores = [sc for _, sc in results]
    assert scores == sorted(scores, reverse=True)
    for doc, score in results:
        assert score > 0 and score == pytest.approx(index.score(query, doc))
        assert set(query) & set(docs[doc])


def test_bm25_saturates_term_frequency():
    index = s.BM25([["x"] * n + ["y"] * (10 - n) for n in range(1, 10)] + [["z"] * 10])
    scores = [index.score(["x"], d) for d in range(9)]
    gains = [b - a for a, b in zip(scores, scores[1:])]
    assert all(g > 0 for g in gains)
    assert gains[-1] < gains[0] / 3                        # each extra repeat adds less


def test_bm25_and_quality_both_matter(data):
    rows = s.ranking_candidates(data, k=20)
    assert len(rows) == 20 * len(data.queries)
    assert set(rows[0]) == {"query_id", "doc_id", "grade", *s.FEATURE_NAMES}

    def mean_ndcg(key):
        total = 0.0
        for q in data.queries:
            qrows = [r for r in rows if r["query_id"] == q.id]
            ranked = [r["doc_id"] for r in sorted(qrows, key=lambda r: (-key(r), r["doc_id"]))]
            total += metrics.ndcg_at_k(ranked, data.grades(q.id), 10)
        return total / len(data.queries)

    bm25 = mean_ndcg(lambda r: r["bm25_body"])
    quality = mean_ndcg(lambda r: r["quality"])
    both = mean_ndcg(lambda r: r["bm25_body"] + r["bm25_title"] + 8 * r["quality"])
    oracle = mean_ndcg(lambda r: r["grade"])
    assert 0.7 < bm25 < 0.9 and 0.6 < quality < 0.85
    assert both > max(bm25, quality) + 0.02                # features combine: room for learning to rank
    assert oracle > both


def test_spam_is_stuffed(data):
    rows = s.ranking_candidates(data, k=50)
    spam_share = [r["max_term_share"] for r in rows if data.docs[r["doc_id"]].spam]
    normal_share = [r["max_term_share"] for r in rows if not data.docs[r["doc_id"]].spam]
    assert spam_share and min(spam_share) > max(normal_share)


@pytest.mark.parametrize("call, exc, message", [
    (lambda: s.tokenize(3), TypeError, "^text must be a str"),
    (lambda: s.make_search_data(n_docs=0), ValueError, "^n_docs must be a positive integer"),
    (lambda: s.make_search_data(spam_fraction=1.0), ValueError, "^spam_fraction must be a probability"),
    (lambda: s.make_search_data(seed="1"), TypeError, "^seed must be an integer"),
    (lambda: s.make_search_data().grades(99), ValueError, r"^query_id must be in \[0, 32\)"),
    (lambda: s.BM25([]), ValueError, "^docs must not be empty"),
    (lambda: s.BM25(["abc"]), TypeError, r"^docs\[0\] must be a list of string tokens"),
    (lambda: s.BM25([["a"]], k1=-1), ValueError, "^k1 must be >= 0"),
    (lambda: s.BM25([["a"]], b=2), ValueError, "^b must be a probability"),
    (lambda: s.BM25([["a"]]).search("a"), TypeError, "^query must be a list of string tokens"),
    (lambda: s.BM25([["a"]]).search(["a"], k=2), ValueError, r"^k must be <= the number of items"),
    (lambda: s.BM25([["a"]]).score(["a"], 1), ValueError, r"^doc must be in \[0, 1\)"),
    (lambda: s.BM25([["a"]]).idf(1), TypeError, "^term must be a str"),
    (lambda: s.bm25_index(s.make_search_data(), "body"), ValueError, "^field must be 'text' or 'title'"),
    (lambda: s.ranking_candidates([], 5), TypeError, "^data must be a SearchData"),
    (lambda: s.ranking_candidates(s.make_search_data(), 0), ValueError, "^k must be a positive integer"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
