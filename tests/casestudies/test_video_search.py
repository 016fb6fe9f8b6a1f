"""Tests for casestudies.video_search: the case study's system behaves as its page says."""

import pytest

from casestudies import video_search as vs


def test_catalogue_and_log_are_seeded_and_memoized():
    videos, log = vs.catalog(), vs.query_log()
    assert vs.catalog() is videos and len(videos) == vs.WORLD["n_videos"]
    assert [q.day for q in log] == sorted(q.day for q in log)
    assert {q.kind for q in log} == set(vs.KINDS)
    assert all(2 <= len(q.text.split()) <= 3 for q in log)


def test_judged_windows_are_split_by_time():
    train, test = vs.judged_queries("train"), vs.judged_queries("test")
    assert max(q.day for q in train) < vs.SPLIT_DAY <= min(q.day for q in test)
    assert all(vs.relevant(q) for q in train + test)
    assert len({q.text for q in test}) == len(test)


def test_grades_follow_the_intent():
    q = next(q for q in vs.judged_queries("test") if q.kind == "keyword")
    for v in vs.catalog()[:300]:
        g = vs.grade(q, v)
        full = v.topic == q.topic and set(q.concepts) <= set(v.concepts)
        assert (g >= 2) == full
        assert g != 3 or v.quality >= 0.6


def test_candidates_respect_the_upload_day():
    videos = vs.catalog()
    launch = [v for v in videos if v.upload_day > 0]
    q = vs.judged_queries("test")[0]
    assert all(videos[d].upload_day <= q.day for d in vs.candidates(q))
    name = vs.catalog()[-1].name
    early = vs.retrieve(f"{name} boss", "bm25", day=70.0)
    assert not set(early) & {v.id for v in launch if v.upload_day > 70.0}


def test_bm25_finds_names_and_dense_finds_paraphrases():
    name_q = next(q for q in vs.judged_queries("test") if q.kind == "name")
    top = vs.catalog()[vs.retrieve(name_q.text, "bm25", name_q.day, k=1)[0]]
    assert top.name == name_q.name
    # the viewer's word and the creator's word land on the same dense direction
    assert vs.embed_query("noodles") == vs.embed_query("pasta")
    assert vs.embed_query("pasta") != vs.embed_query("dessert")


def test_spelling_correction_and_expansion():
    assert vs.edit_distance("pasta", "psta") == 1
    assert vs.edit_distance("kitten", "sitting") == 3
    assert vs.correct_spelling("vegan psta") == "vegan pasta"
    assert vs.correct_spelling("vegan pasta") == "vegan pasta"
    assert vs.expand_synonyms("pasta") == {"pasta": 1.0, "noodles": 0.5}


def test_rankers_and_serving():
    model = vs.trained_rankers()["pairwise"]
    q = vs.judged_queries("test")[0]
    ranked = vs.rank_with(model, q)
    assert sorted(ranked) == sorted(vs.candidates(q))
    out = vs.serve("vegan psta", day=70.0, model=model)
    assert out["query"] == "vegan pasta" and len(out["results"]) == 10
    assert set(out["ms"]) == set(vs.SERVE_STAGES) and out["work"]["candidates scored"] == 50


def test_incumbent_prior_is_tunable_and_the_tuned_weight_is_on_the_grid():
    q = vs.judged_queries("test")[0]
    assert vs.incumbent_rank(q, prior=0.0) == list(vs.candidates(q))   # no prior: the RRF order
    assert sorted(vs.incumbent_rank(q)) == sorted(vs.candidates(q))
    assert vs.tuned_prior() in vs.PRIOR_GRID


def test_graded_pointwise_sees_every_threshold():
    model = vs.trained_rankers()["graded pointwise"]
    q = vs.judged_queries("test")[0]
    assert sorted(vs.rank_with(model, q)) == sorted(vs.candidates(q))
    assert model is vs.graded_pointwise_ranker()


def test_propensities_are_estimated_from_the_randomized_slice():
    est = vs.estimate_propensities()
    assert est[0] == 1.0 and all(a > b for a, b in zip(est, est[1:]))
    assert abs(est[4] - vs.PROPENSITY[4] / vs.PROPENSITY[0]) < 0.08


@pytest.mark.parametrize("call, error, match", [
    (lambda: vs.retrieve("pasta", method="sparse"), ValueError, "method"),
    (lambda: vs.retrieve("pasta", k=0), ValueError, "k"),
    (lambda: vs.judged_queries("dev"), ValueError, "window"),
    (lambda: vs.serve(""), ValueError, "text"),
    (lambda: vs.serve("pasta", k=0), ValueError, "k"),
    (lambda: vs.tokenize(3), TypeError, "text"),
    (lambda: vs.edit_distance("a", 3), TypeError, "str"),
    (lambda: vs.correct_spelling("pasta", vocab=["pasta"]), TypeError, "vocab"),
    (lambda: vs.interleaving_sessions([], [], [], 10), ValueError, "lists_a"),
    (lambda: vs.click_trained_ranker("clicks"), ValueError, "label"),
    (lambda: vs.incumbent_rank(vs.judged_queries("test")[0], prior=-1.0), ValueError, "prior"),
])
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
