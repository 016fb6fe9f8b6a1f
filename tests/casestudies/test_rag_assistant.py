"""Tests for casestudies.rag_assistant: the case study's system behaves as its page says."""

import pytest

from casestudies import rag_assistant as rag


def test_corpus_and_queries_are_seeded_and_memoized():
    c, qs = rag.corpus(), rag.queries()
    assert rag.corpus() is c and rag.queries() is qs
    rag.corpus.cache_clear()
    rag.queries.cache_clear()
    assert rag.corpus() == c and rag.queries() == qs
    assert [q.day for q in qs] == sorted(q.day for q in qs)
    assert [q.id for q in qs] == list(range(len(qs)))


def test_every_fact_is_stated_once_and_questions_point_at_facts():
    c = rag.corpus()
    stated = [s.fact for doc in c.sentences for s in doc if s.fact is not None]
    assert sorted(stated) == list(range(len(c.facts)))
    for q in rag.queries():
        if q.fact is None:
            assert q.kind in ("unanswerable",)
            assert not any(f.entity == q.entity and f.attribute == q.attribute for f in c.facts)
        else:
            fact = c.facts[q.fact]
            assert (fact.entity, fact.attribute) == (q.entity, q.attribute)


def test_value_as_of_follows_versions():
    fact = next(f for f in rag.corpus().facts if len(f.values) > 1)
    (_, old), (day, new) = fact.values[:2]
    assert rag.value_as_of(fact, day - 0.01) == old and rag.value_as_of(fact, day) == new
    with pytest.raises(TypeError, match="fact must be a Fact"):
        rag.value_as_of("berlin", 3.0)


def test_tokenize_keeps_identifiers_and_concepts_blur_them():
    assert rag.tokenize("Seeing LGR-4471 now?") == ["seeing", "lgr-4471"]
    assert rag.concepts(["lgr-4471"]) == rag.concepts(["lgr-9120"]) == ["lgr", "<num>"]
    assert rag.concepts(["accommodation", "cap"]) == rag.concepts(["hotel", "limit"])
    with pytest.raises(TypeError, match="text must be a str"):
        rag.tokenize(["a"])
    with pytest.raises(TypeError, match="tokens must be a list"):
        rag.concepts("hotel")


def test_embeddings_are_unit_vectors_and_paraphrases_are_close():
    a = rag.embed(rag.tokenize("accommodation cap berlin"))
    b = rag.embed(rag.tokenize("hotel limit berlin"))
    assert sum(v * v for v in a.values()) == pytest.approx(1.0)
    assert sum(a[d] * b.get(d, 0.0) for d in a) == pytest.approx(1.0)
    assert rag.embed([]) == {}


@pytest.mark.parametrize("strategy, overlap", [("fixed", 0), ("fixed", 16), ("sentences", 0)])
def test_chunks_cover_every_word_and_respect_the_size(strategy, overlap):
    chunks = rag.chunk_corpus(64, overlap, strategy)
    c = rag.corpus()
    for doc, sentences in enumerate(c.sentences):
        words = [w for s in sentences for w in s.words]
        mine = [ch for ch in chunks if ch.doc == doc]
        covered = set()
        for ch in mine:
            assert ch.words == tuple(words[ch.start:ch.start + len(ch.words)])
            covered.update(range(ch.start, ch.start + len(ch.words)))
            if strategy == "fixed":
                assert len(ch.words) <= 64
        assert covered == set(range(len(words)))
    if strategy == "sentences":
        whole = {sid for ch in chunks for sid in ch.whole}
        assert len(whole) == sum(len(s) for s in c.sentences)       # no sentence is cut


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(size=0), ValueError, "size"),
    (dict(size=64, overlap=64), ValueError, "overlap must be in"),
    (dict(size=64, overlap=1.5), TypeError, "overlap must be an int"),
    (dict(size=64, strategy="pages"), ValueError, "strategy"),
    (dict(size=64, overlap=8, strategy="sentences"), ValueError, "overlap must be 0"),
])
def test_chunk_corpus_names_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rag.chunk_corpus(**kwargs)


def test_bm25_finds_identifiers_and_dense_finds_paraphrases():
    idx = rag.index()
    code = next(f for f in rag.corpus().facts if f.attribute == "code")
    top = rag.retrieve(idx, f"{code.entity} alert", "bm25", k=1)[0][0]
    assert any(rag.corpus().sentences[d][i].fact == code.id for d, i in idx.chunks[top].whole)
    hotel = next(f for f in rag.corpus().facts if f.attribute == "hotel")
    ranked = [c for c, _ in rag.retrieve(idx, f"accommodation cap {hotel.entity}", "dense", k=5)]
    assert any(rag.corpus().sentences[d][i].fact == hotel.id
               for c in ranked for d, i in idx.chunks[c].whole)


def test_retrieve_names_bad_input():
    idx = rag.index()
    with pytest.raises(ValueError, match="method"):
        rag.retrieve(idx, "hotel", "sparse")
    with pytest.raises(TypeError, match="query must be a str"):
        rag.retrieve(idx, ["hotel"])
    with pytest.raises(TypeError, match="idx must be an Index"):
        rag.retrieve(None, "hotel")
    with pytest.raises(ValueError, match="k"):
        rag.retrieve(idx, "hotel", k=0)
    with pytest.raises(TypeError, match="chunks must be"):
        rag.Index(())


def test_grounding_check_stops_invented_answers():
    unanswerable = [q for q in rag.queries() if q.fact is None][:30]
    always = [rag.answer(q) for q in unanswerable]
    checked = [rag.answer(q, check=True) for q in unanswerable]
    assert sum(r["outcome"] == "wrong" for r in always) > 20
    assert all(r["outcome"] == "correct" and r["abstained"] for r in checked)
    assert all(not r["grounded"] for r in always if r["claim"] is not None)


def test_stale_index_serves_the_old_value_and_passes_the_check():
    q = next(q for q in rag.queries() if q.fact is not None and q.kind == "keyword"
             and len(rag.corpus().facts[q.fact].values) > 1
             and q.day >= rag.corpus().facts[q.fact].values[1][0])
    fact = rag.corpus().facts[q.fact]
    fresh = rag.answer(q, check=True)
    stale = rag.answer(q, check=True, index_day=fact.values[1][0] - 1.0)
    assert fresh["outcome"] == "correct"
    assert stale["outcome"] == "wrong" and stale["grounded"]
    assert stale["claim"][2] == fact.values[0][1]


def test_outcome_and_answer_name_bad_input():
    q = rag.queries()[0]
    with pytest.raises(TypeError, match="q must be a Query"):
        rag.answer("hotel limit berlin")
    with pytest.raises(TypeError, match="threshold"):
        rag.answer(q, threshold="high")
    with pytest.raises(TypeError, match="q must be a Query"):
        rag.outcome(None, {})


def test_serve_times_every_stage_and_declines_unknowns():
    out = rag.serve("accommodation cap oslo")
    assert set(out["ms"]) == set(rag.SERVE_STAGES) and all(v >= 0 for v in out["ms"].values())
    assert out["answer"].startswith("I don't know") and out["sources"] == []
    code = next(f for f in rag.corpus().facts if f.attribute == "code")
    out = rag.serve(f"{code.entity} alert")
    assert code.entity in out["answer"] and out["sources"]
    assert out["work"]["candidates re-ranked"] <= 20 and out["prompt_words"] > 0
    with pytest.raises(ValueError, match="at least one word"):
        rag.serve("what is the")
    with pytest.raises(TypeError, match="text must be a str"):
        rag.serve(42)


def test_launch_questions_are_added_after_the_launch_only():
    base, launched = rag.queries(), rag.launch_queries()
    extra = [q for q in launched if q.kind == "launch"]
    assert len(launched) == len(base) + len(extra) and extra
    assert min(q.day for q in extra) >= rag.LAUNCH_DAY
    assert all(q.entity == rag.LAUNCH_PLAN and q.fact is None for q in extra)


def test_retrieval_metrics_needs_answerable_questions():
    with pytest.raises(ValueError, match="no answerable"):
        rag.retrieval_metrics(rag.index(), [q for q in rag.queries() if q.fact is None][:3], "bm25")
