"""Tests for casestudies.query_autocomplete: the case study's system behaves as its page says."""

import pytest

from casestudies import query_autocomplete as qa


def test_sessions_are_seeded_sorted_and_memoized():
    data = qa.sessions()
    assert qa.sessions() is data                                         # memoized
    assert len(data) == qa.WORLD["days"] * qa.WORLD["sessions_per_day"]
    assert [s[0] for s in data] == sorted(s[0] for s in data)
    qa.sessions.cache_clear()
    assert qa.sessions() == data                                         # seeded: same log again


def test_split_is_by_time_and_keeps_every_session():
    history, test = qa.split()
    assert len(history) + len(test) == len(qa.sessions())
    assert max(s[0] for s in history) < qa.SPLIT_DAY <= min(s[0] for s in test)


@pytest.mark.parametrize("day, error", [(0, ValueError), (qa.WORLD["days"], ValueError),
                                        ("21", TypeError), (True, TypeError)])
def test_split_names_a_bad_day(day, error):
    with pytest.raises(error, match="day must be"):
        qa.split(day)


def test_trie_precomputed_topk_matches_a_brute_force_and_the_walk():
    scores = {"apple": 5, "apply": 9, "ape": 1, "banana": 4, "app": 3, "apex": 7}
    trie = qa.TopKTrie(scores, k=3)
    for prefix in ("a", "ap", "app", "appl", "b", "ape"):
        expected = sorted((q for q in scores if q.startswith(prefix)), key=lambda q: -scores[q])[:3]
        assert trie.topk(prefix)[0] == expected
        assert trie.walk_topk(prefix)[0] == expected
    assert trie.topk("zz") == ([], 1) and trie.walk_topk("c")[0] == []
    assert trie.topk("app")[1] == 3                                      # one node per character
    assert trie.walk_topk("a")[1] > trie.topk("a")[1]                    # the walk visits the subtree


def test_trie_counts_nodes_entries_and_subtrees():
    trie = qa.TopKTrie({"ab": 2, "ac": 1}, k=2)
    assert trie.nodes == 4                                               # root, a, ab, ac
    assert trie.entries() == 2 + 2 + 1 + 1
    assert trie.subtree_nodes(2) == {"a": 3, "ab": 1, "ac": 1}


@pytest.mark.parametrize("kwargs, error", [(dict(scores=[1]), TypeError),
                                           (dict(scores={"a": 1}, k=0), ValueError),
                                           (dict(scores={"": 1}), ValueError)])
def test_trie_rejects_bad_input(kwargs, error):
    with pytest.raises(error, match="scores|k must"):
        qa.TopKTrie(**kwargs)


def test_ngram_backs_off_and_completes_the_last_word():
    model = qa.NGram(["flights to rome", "flights to rome", "flights to riga", "train to rome"])
    assert model.score("flights", "to", "rome") == pytest.approx(2 / 3)   # trigram seen
    assert model.score("cheap", "to", "riga") == pytest.approx(0.4 * 1 / 4)   # backs off to bigram
    assert model.complete("flights to r")[0] == ["flights to rome", "flights to riga"]
    assert model.complete("rom") == ([], 0)                               # a first word: the trie's job
    with pytest.raises(TypeError, match="prefix must be a str"):
        model.complete(3)


def test_recency_decays_and_popularity_counts():
    counts, eligible = qa.counts(10.0)
    decayed, _ = qa.counts(10.0, qa.HALF_LIFE_DAYS)
    q = max(counts, key=counts.get)
    assert counts[q] == int(counts[q]) and 0 < decayed[q] < counts[q]
    assert all(isinstance(v, bool) for v in eligible.values())
    with pytest.raises(TypeError, match="until must be a number"):
        qa.counts("10")
    with pytest.raises(ValueError, match="half_life"):
        qa.counts(10.0, -1.0)


def test_safety_filter_blocks_known_unsafe_and_misses_the_new_phrase():
    assert all(qa.is_unsafe(q) for q in qa.UNSAFE)
    assert qa.is_blocked("free movie torrent") and not qa.is_blocked("weather oslo")
    assert not qa.is_unsafe(qa.HARMFUL_TREND)                               # new wording: missed
    assert qa.is_unsafe("kill process linux")                              # a false positive
    trie = qa.index(qa.SPLIT_DAY)
    assert not any(qa.is_unsafe(q) for q in trie.queries)
    with pytest.raises(TypeError, match="query must be a str"):
        qa.unsafe_score(None)


def test_suggest_blends_history_and_fills_from_the_model():
    trie = qa.index(qa.SPLIT_DAY, "recency")
    plain = qa.suggest(trie, "weather ")
    mine = qa.suggest(trie, "weather ", {"weather split": 3})
    assert "weather split" not in plain and "weather split" in mine      # the history gets a slot
    assert mine.index("weather split") < mine.index(plain[-2])          # ahead of the global tail
    tail = qa.suggest(trie, "flights from oslo to l", model=qa.ngram())
    assert len(tail) > len(qa.suggest(trie, "flights from oslo to l"))
    assert all(q.startswith("flights from oslo to l") for q in tail)
    with pytest.raises(TypeError, match="prefix must be a str"):
        qa.suggest(trie, None)


def test_keystrokes_saved():
    assert qa.keystrokes_saved("weather", [["youtube"], ["weather"]]) == 5
    assert qa.keystrokes_saved("weather", [["youtube"]]) == 0


def test_index_and_evaluate_name_bad_arguments():
    with pytest.raises(ValueError, match="scoring must be"):
        qa.index(24.0, "clicks")
    with pytest.raises(ValueError, match="name must be one of"):
        qa.evaluate("best")
    with pytest.raises(ValueError, match="name must be one of"):
        qa.system_index("best", 25.0)


def test_serve_returns_safe_suggestions_with_stage_times_and_work():
    out = qa.serve("Weather  ", user=3, history={"weather split": 2, "free movie torrent": 5})
    assert "weather split" in out["suggestions"]
    assert "free movie torrent" not in out["suggestions"] and len(out["suggestions"]) <= qa.K
    assert set(out["ms"]) == set(qa.SERVE_STAGES) and all(v >= 0 for v in out["ms"].values())
    assert out["work"]["trie nodes"] == len("weather ")
    with pytest.raises(ValueError, match="user must be"):
        qa.serve("w", user=-1)
    with pytest.raises(TypeError, match="prefix must be a str"):
        qa.serve(None)
