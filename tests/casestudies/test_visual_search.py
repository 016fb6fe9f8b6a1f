"""Tests for casestudies.visual_search: the case study's system behaves as its page says."""

import math

import pytest

from casestudies import visual_search as vs
from mlsd.retrieval import IVFIndex


def test_catalogue_is_seeded_ordered_and_memoized():
    cat = vs.catalogue()
    assert vs.catalogue() is cat
    assert list(cat.day) == sorted(cat.day)
    assert len(cat.identity) == vs.WORLD["n_products"]
    assert len(cat) > len(cat.identity)                       # some listings are duplicates
    vs.catalogue.cache_clear()
    assert vs.catalogue().x == cat.x                          # seeded: same data again


def test_listings_follow_the_world_rules():
    cat = vs.catalogue()
    old = vs.WORLD["n_categories"] - vs.WORLD["new_categories"]
    for i in range(len(cat)):
        if cat.dup_of[i] >= 0:                   # a duplicate re-uploads an earlier listing
            j = cat.dup_of[i]
            assert j < i and cat.product[j] == cat.product[i] and cat.dup_of[j] == -1
        if cat.day[i] < vs.REBUILD_DAY:          # new categories launch after the rebuild
            assert cat.category[i] < old
        assert 0.5 <= cat.quality[i] <= 1.5


def test_queries_show_products_already_listed_in_the_test_window():
    cat, q = vs.catalogue(), vs.queries()
    first = {}
    for i in range(len(cat)):
        first.setdefault(cat.product[i], cat.day[i])
    assert len(q) == vs.WORLD["n_queries"]
    assert all(vs.SPLIT_DAY <= d < vs.DAYS for d in q.day)
    assert all(first[p] <= d for d, p in zip(q.day, q.product))


def test_camera_photos_carry_more_nuisance_than_studio_photos():
    import random
    cat = vs.catalogue()
    ident = cat.identity[0]
    rng = random.Random(0)

    def spread(style):
        xs = [vs.encode(ident, style, rng, cat.directions) for _ in range(200)]
        return sum(math.dist(x, ident) for x in xs) / len(xs)

    assert spread("camera") > 3 * spread("studio")
    assert spread("duplicate") < spread("studio")


def test_training_pairs_use_only_the_training_window():
    a, b = vs.training_pairs("augment")
    cat = vs.catalogue()
    n_train = sum(1 for i in range(len(cat)) if cat.day[i] < vs.SPLIT_DAY and cat.dup_of[i] < 0)
    assert len(a) == len(b) == n_train
    a2, _ = vs.training_pairs("augment+angles")
    assert len(a2) > len(a)
    with pytest.raises(ValueError, match="source"):
        vs.training_pairs("labels")


def test_append_puts_new_vectors_in_their_nearest_cell_and_finds_them():
    vecs = [list(v) for v in vs.catalogue_vectors("augment")]
    index = IVFIndex(nlist=8, nprobe=2, seed=0).build(vecs[:300], ids=list(range(300)))
    vs.append(index, vecs[300:340], list(range(300, 340)))
    assert len(index) == 340 and sum(index.list_sizes()) == 340
    for i in range(300, 340):
        assert index.search(vecs[i], 1, nprobe=1)[0][0] == i    # its own cell holds it
    with pytest.raises(ValueError, match="ids must be new"):
        vs.append(index, [vecs[0]], [5])
    with pytest.raises(ValueError, match="same length"):
        vs.append(index, [vecs[0]], [])
    with pytest.raises(TypeError, match="IVFIndex"):
        vs.append("index", [vecs[0]], [999])


def test_dedup_keeps_the_best_of_each_near_duplicate_group():
    vectors = {0: [1.0, 0.0], 1: [0.999, 0.0447], 2: [0.0, 1.0]}
    kept, work = vs.dedup([(0, 0.9), (1, 0.89), (2, 0.5)], vectors, 0.99)
    assert [r[0] for r in kept] == [0, 2] and work == 2
    kept, _ = vs.dedup([(0, 0.9), (1, 0.89), (2, 0.5)], vectors, 0.9999)
    assert [r[0] for r in kept] == [0, 1, 2]
    with pytest.raises(ValueError, match="threshold"):
        vs.dedup([], vectors, 1.5)


def test_grades_follow_the_truth_without_rater_noise():
    cat = vs.catalogue()
    i = next(i for i in range(len(cat)) if cat.variant_of[cat.product[i]] >= 0)
    p = cat.product[i]
    base = cat.variant_of[p]
    base_listing = cat.product.index(base)
    other = next(j for j in range(len(cat)) if cat.category[cat.product[j]] != cat.category[p])
    g = vs.grades(p, [i, base_listing, other], rater_noise=0.0)
    assert g == [3, 2, 0]
    with pytest.raises(ValueError, match="rater_noise"):
        vs.grades(p, [i], rater_noise=2.0)


def test_click_sessions_reward_relevant_results_at_the_top():
    cat, q = vs.catalogue(), vs.queries()
    products = list(q.product[:100]) * 5
    exact = [[cat.product.index(p)] + [j for j in range(9)] for p in products]
    exact = [list(dict.fromkeys(r))[:10] for r in exact]
    buried = [r[1:] + r[:1] for r in exact]                  # the exact match moved to the end
    top = sum(vs.click_sessions(exact, products, seed=1))
    low = sum(vs.click_sessions(buried, products, seed=1))
    assert top > 1.5 * low
    with pytest.raises(ValueError, match="same length"):
        vs.click_sessions(exact, products[:-1])


def test_searching_many_queries_at_once_gives_exactly_the_plain_search():
    # search_many shortlists centroids and vectors by distance, then scores those: results and
    # work counted must be IVFIndex.search's, on a live index with appended vectors too.
    import random
    stored = [list(v) for v in vs.catalogue_vectors()]
    queries = vs.projection().project(vs.queries().x)[:80] + stored[:5]
    live = IVFIndex(nlist=12, nprobe=4, n_iter=4, seed=0).build(stored[:400], ids=list(range(400)))
    vs.append(live, stored[400:700], list(range(400, 700)))
    rng = random.Random(2)
    odd = [[rng.gauss(0, 3) for _ in range(4)] for _ in range(300)]       # lengths far from 1
    odd_index = IVFIndex(nlist=9, nprobe=2, n_iter=3, seed=1).build(odd + odd[:20])
    odd_queries = [[rng.gauss(0, 1) for _ in range(4)] for _ in range(40)] + odd[:3]
    cosine = IVFIndex(nlist=6, nprobe=2, metric="cosine", seed=0).build(odd)
    for index, qs in ((vs.catalogue_index(), queries), (live, queries), (odd_index, odd_queries),
                      (cosine, odd_queries)):
        for k, nprobe in ((10, None), (1, 1), (40, 3), (200, 1), (300, 50)):
            index.reset_counter()
            plain = [index.search(q, k, nprobe=nprobe) for q in qs]
            work = index.distance_computations
            index.reset_counter()
            assert vs.search_many(index, qs, k, nprobe=nprobe) == plain
            assert index.distance_computations == work
    with pytest.raises(TypeError, match="IVFIndex"):
        vs.search_many(vs.ExactIndex().build(stored[:10]), queries[:1])
    with pytest.raises(ValueError, match="nprobe"):
        vs.search_many(live, queries[:1], nprobe=0)


def test_click_sessions_click_as_the_rater_grades_say():
    # click_sessions grades a (photo, listing) pair once and reuses it across replays; the
    # sessions must be those of grading every list with grades(rater_noise=0), draw for draw.
    import random
    cat, q = vs.catalogue(), vs.queries()
    lists = [list(r) for r in vs.result_lists(dedup_threshold=0.97)[:60]] * 3
    products = list(q.product[:60]) * 3

    def by_grades(seed, decay=0.7):
        rng, out = random.Random(seed), []
        for ids, qp in zip(lists, products):
            g, clicked = vs.grades(qp, ids, rater_noise=0.0), 0
            for r, (i, gi) in enumerate(zip(ids, g)):
                if rng.random() < decay ** r and rng.random() < vs.CLICK_BASE[gi] * cat.quality[i]:
                    clicked = 1
                    break
            out.append(clicked)
        return out

    for seed, decay in ((0, 0.7), (4, 0.9)):
        got = vs.click_sessions(lists, products, seed=seed, examine_decay=decay)
        assert got == by_grades(seed, decay)


def test_serve_reports_every_stage_and_its_work():
    model = vs.projection()
    stored = vs.catalogue_vectors()
    index = vs.catalogue_index()
    q = vs.queries()
    out = vs.serve(q.x[0], model, index, stored, k=10, candidates=40)
    assert set(out["ms"]) == set(vs.SERVE_STAGES)
    assert 0 < len(out["results"]) <= 10
    assert out["work"]["ANN search"] >= index.nlist
    with pytest.raises(ValueError, match="candidates"):
        vs.serve(q.x[0], model, index, stored, k=10, candidates=5)
    with pytest.raises(ValueError, match="photo_vector"):
        vs.serve([0.0] * 3, model, index, stored)


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="seed"):
        vs.catalogue("7")
    with pytest.raises(ValueError, match="shift"):
        vs.queries(shift=-1.0)
    with pytest.raises(ValueError, match="style"):
        vs.encode([0.0] * vs.DIM, "film", None, vs.catalogue().directions)


def test_ranking_many_queries_at_once_gives_exactly_the_plain_ranking():
    # rank_many estimates scores through distances, then re-scores the vectors near the cut: the
    # lists must be rank()'s to the last bit, ties (duplicated vectors) and odd magnitudes included.
    import random
    rng = random.Random(5)
    for dim, scale in [(1, 1.0), (8, 1.0), (32, 1e-150), (32, 1e150), (64, 1.0)]:
        stored = [[rng.gauss(0, scale) for _ in range(dim)] for _ in range(60)]
        stored += [list(v) for v in stored[:10]]              # exact ties
        queries = [[rng.gauss(0, scale) for _ in range(dim)] for _ in range(20)] + [list(stored[3])]
        for k in (1, 5, 10, 70):
            assert vs.rank_many(queries, stored, k) == [vs.rank(q, stored, k) for q in queries]
    # Unit vectors (what the index stores), some a rounding error apart, queries among them.
    unit = [[x / math.sqrt(sum(a * a for a in v)) for x in v]
            for v in ([rng.gauss(0, 1) for _ in range(16)] for _ in range(200))]
    unit += [[x * (1 + 1e-15) for x in v] for v in unit[:20]] + [list(v) for v in unit[20:30]]
    queries = unit[:15] + [[rng.gauss(0, 1) for _ in range(16)] for _ in range(15)]
    for k in (1, 10, 40, 229):
        assert vs.rank_many(queries, unit, k) == [vs.rank(q, unit, k) for q in queries]
    nan = [[1.0, 0.0], [float("nan"), 1.0], [0.5, 0.5]]
    assert repr(vs.rank_many([[1.0, 1.0]], nan, 2)) == repr([vs.rank([1.0, 1.0], nan, 2)])
    mixed = [[1.0, 0.0], [0.0, 1.0, 0.0]]                      # mixed lengths: the plain way
    assert vs.rank_many([[1.0, 1.0]], mixed, 1) == [vs.rank([1.0, 1.0], mixed, 1)]
