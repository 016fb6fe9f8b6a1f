"""Tests for casestudies.similar_listings: the case study's system behaves as its page says."""

import pytest

from casestudies import similar_listings as system


def test_world_is_seeded_sorted_and_memoized():
    data = system.sessions()
    assert system.sessions() is data
    assert len(data) == system.WORLD["n_sessions"]
    assert [s.day for s in data] == sorted(s.day for s in data)
    items = system.listings()
    assert len(items) == system.WORLD["n_markets"] * system.WORLD["per_market"]
    for s in data[:500]:
        assert all(items[c].market == s.market and items[c].created <= s.day for c in s.clicks)
        assert len(set(s.clicks)) == len(s.clicks) >= 2
        if s.booked is not None:
            assert s.clicks[-1] == s.booked
    rate = sum(s.booked is not None for s in data) / len(data)
    assert 0.02 < rate < 0.07                                  # a few per cent book


def test_split_is_by_time_and_new_listings_have_no_training_clicks():
    train, test = system.split()
    assert len(train) + len(test) == system.WORLD["n_sessions"]
    assert max(s.day for s in train) < system.SPLIT_DAY <= min(s.day for s in test)
    new = {i.id for i in system.listings() if i.created >= system.SPLIT_DAY}
    assert new and not new & system.trained_ids()


@pytest.mark.parametrize("day, error", [(0, ValueError), (system.WORLD["days"], ValueError),
                                        ("21", TypeError), (True, TypeError)])
def test_split_names_a_bad_day(day, error):
    with pytest.raises(error, match="day must be"):
        system.split(day)


def test_embeddings_are_unit_vectors_and_beat_random_order():
    vectors = system.embeddings()
    assert len(vectors) == len(system.listings()) and len(vectors[0]) == system.DIM
    assert all(abs(sum(x * x for x in vectors[i]) - 1) < 1e-9 for i in system.trained_ids())
    ranks = system.next_click_ranks(system.embedding_scorer(vectors), every=5)
    random_hit = 10 / (system.WORLD["per_market"] - 1)
    assert sum(r <= 10 for r in ranks) / len(ranks) > 2 * random_hit


def test_ranks_count_ties_against_the_target():
    flat = lambda q, cands: [0.0] * len(cands)               # every candidate tied
    items, members = system.listings(), system.market_members()
    s = next(s for s in system.split()[1] if s.booked is not None)
    ranks = system.booked_ranks(flat, [s])
    q = s.clicks[0]
    live = [c for c in members[s.market] if c != q and items[c].created <= s.day]
    assert ranks[0] == len(live)                              # last among its ties


def test_cold_vectors_average_the_closest_known_listings():
    vectors = system.embeddings()
    new = [i.id for i in system.listings() if i.created >= system.SPLIT_DAY][:3]
    cold = system.cold_vectors(vectors, new, k=1)
    for i in new:
        assert abs(sum(x * x for x in cold[i]) - 1) < 1e-9
        assert any(cold[i] == vectors[j] for j in system.trained_ids())   # k=1: a neighbour's
    with pytest.raises(ValueError, match="ids"):
        system.cold_vectors(vectors, [10 ** 6])
    with pytest.raises(ValueError, match="k"):
        system.cold_vectors(vectors, new, k=0)


def test_rerank_counts_its_work_and_keeps_the_base_order_without_clicks():
    vectors = system.serving_vectors()
    cands = list(range(20))
    base = [-float(i) for i in cands]
    order, work = system.rerank(cands, base, [], vectors)
    assert order == cands and work == {"vectors": 0, "dots": 0, "bytes": 0}
    order, work = system.rerank(cands, base, [30, 31], vectors)
    assert sorted(order) == cands
    assert work == {"vectors": 22, "dots": 20, "bytes": 22 * system.DIM * 4}
    with pytest.raises(ValueError, match="base"):
        system.rerank(cands, base[:3], [30], vectors)
    with pytest.raises(ValueError, match="weight"):
        system.rerank(cands, base, [30], vectors, weight=-1)
    with pytest.raises(ValueError, match="clicked"):
        system.session_vector([], vectors)


def test_fast_paths_equal_the_straightforward_arithmetic():
    """The cached scorer, the by-index dot products and the written-out |lp - budget| give the
    very floats of the plain formulas (the page's printed digits depend on it)."""
    import math
    from operator import mul
    vectors = system.serving_vectors()
    members = system.market_members()
    scorer = system.embedding_scorer(vectors)
    for q, cands in ((3, list(members[0])), (3, list(members[0])[::-2]), (70, [5, 70, 200]),
                     (3, [200, 3])):                # repeated, reordered and new candidates
        assert scorer(q, cands) == [sum(map(mul, vectors[q], vectors[c])) for c in cands]
    cands, clicked = list(members[1]), [61, 75, 90]
    base = [0.01 * i for i in range(len(cands))]
    q, _ = system.session_vector(clicked, vectors)
    scores = [b + 2.0 * sum(map(mul, q, vectors[c])) for b, c in zip(base, cands)]
    expected = [c for _, c in sorted(zip(scores, cands), key=lambda t: t[0], reverse=True)]
    assert system.rerank(cands, base, clicked, vectors, 2.0)[0] == expected
    items, cols = system.listings(), system._columns()
    for s in system.sessions()[:40]:
        guest = dict(zip(system.GUEST_KEYS, s.guest))
        live = [items[c] for c in members[s.market]]
        search = [-0.45 * math.hypot(x - guest["x"], y - guest["y"]) - 2.0 * abs(lp - guest["budget"])
                  - 1.2 * (t != guest["type"]) - 1.5 * (cap < guest["group"])
                  for x, y, lp, t, cap, _, _, _ in (cols[i.id] for i in live)]
        assert system.search_scores(s.guest, [i.id for i in live]) == search
        for booking, w in ((False, system.STYLE[0]), (True, system.STYLE[1])):
            cs, sn = w * math.cos(guest["style"]), w * math.sin(guest["style"])
            plain = [u + cs * cols[i.id][5] + sn * cols[i.id][6] + (0 if booking else cols[i.id][7])
                     for u, i in zip(search, live)]
            assert system._utilities(guest, live, booking) == plain


def test_variants_with_the_global_context_share_one_set_of_pairs():
    plain = system._training_data(system.SPLIT_DAY, False)
    with_booked = system._training_data(system.SPLIT_DAY, True)
    assert system._training_data(system.SPLIT_DAY, True) is with_booked
    assert len(with_booked[0]) > len(plain[0]) and with_booked[1] == plain[1]
    train = system.split()[0]
    assert sum(plain[1]) == sum(len(s.clicks) for s in train)


def test_serve_returns_k_live_listings_of_the_same_market():
    vectors = system.serving_vectors()
    out = system.serve(5, vectors, k=10)
    items = system.listings()
    assert len(out["ids"]) == 10 and 5 not in out["ids"]
    assert all(items[i].market == items[5].market for i in out["ids"])
    assert set(out["ms"]) == set(system.SERVE_STAGES)
    assert out["work"]["dots"] == out["work"]["candidates"]
    with pytest.raises(TypeError, match="listing"):
        system.serve("5", vectors)
    with pytest.raises(ValueError, match="listing"):
        system.serve(-1, vectors)


def test_simulation_is_paired_and_validates():
    a = system.simulate_search(False, 30, seed=3)
    b = system.simulate_search(True, 30, seed=3)
    assert [len(x["clicks"]) for x in a] == [len(x["clicks"]) for x in b]  # same guests
    assert all(0 < x["p_book"] < 1 for x in a + b)
    with pytest.raises(ValueError, match="n_sessions"):
        system.simulate_search(True, 0)
    with pytest.raises(ValueError, match="variant"):
        system.train_sessions("adam")


def _hit_rates(variant, seed):
    model = system.train_sessions(variant, seed=seed)
    vectors = [tuple(v) for v in model.normalized()]
    scorer = system.embedding_scorer(vectors)
    booked = system.booked_ranks(scorer)
    nxt = system.next_click_ranks(scorer, every=4)
    return (sum(r <= 10 for r in booked) / len(booked), sum(r <= 10 for r in nxt) / len(nxt),
            vectors)


def _mean_cosines(vectors):
    """Mean cosine between listings of the same market and of different markets."""
    items, known = system.listings(), sorted(system.trained_ids())
    same, other = [], []
    for i in known[::3]:
        for j in known[1::7]:
            if i != j:
                cos = sum(a * b for a, b in zip(vectors[i], vectors[j]))
                (same if items[i].market == items[j].market else other).append(cos)
    return sum(same) / len(same), sum(other) / len(other)


def test_the_page_s_comparisons_across_training_seeds():
    """What the page says holds on other seeds, and what it calls noise is noise."""
    content = system.content_scorer()
    c_booked = system.booked_ranks(content)
    c_next = system.next_click_ranks(content, every=4)
    c_booked = sum(r <= 10 for r in c_booked) / len(c_booked)
    c_next = sum(r <= 10 for r in c_next) / len(c_next)
    glob_changes, market_changes = [], []
    for seed in range(4):
        glob = _hit_rates(system.VARIANTS[1], seed)
        final = _hit_rates(system.VARIANTS[2], seed)
        # The vectors beat the tuned content similarity on every seed (cell 5).
        assert final[0] > c_booked + 0.03 and final[1] > c_next + 0.08, (seed, final[:2])
        # Same-market negatives never cost much, but their hit-rate gain is seed-sized (cell 4).
        assert final[1] > glob[1] - 0.03 and final[0] > glob[0] - 0.03, (seed, glob[:2], final[:2])
        # ... while what they do to the vectors holds on every seed.
        (g_same, g_other), (f_same, f_other) = _mean_cosines(glob[2]), _mean_cosines(final[2])
        assert f_same < g_same - 0.1 and f_other > g_other, (seed, g_same, f_same, g_other, f_other)
        market_changes.append(final[1] - glob[1])
        if seed < 3:
            base = _hit_rates(system.VARIANTS[0], seed)
            glob_changes.append(glob[0] - base[0])
    # The global context's booked change takes both signs across seeds: the page calls it noise.
    assert min(glob_changes) < 0 < max(glob_changes), glob_changes
    assert all(abs(c) < 0.07 for c in glob_changes), glob_changes
    # The same-market next-click gain vanishes on at least one seed: the page says so.
    assert min(market_changes) < 0.01 < max(market_changes), market_changes


def test_the_simulated_lift_holds_across_seeds():
    for seed in (1, 2, 3):
        n = 600
        control = system.simulate_search(False, n, seed=seed)
        treatment = system.simulate_search(True, n, seed=seed)
        p_c = sum(s["p_book"] for s in control) / n
        p_t = sum(s["p_book"] for s in treatment) / n
        assert 0.03 < p_t / p_c - 1 < 0.1, (seed, p_c, p_t)
