"""The ad click prediction system: its world, features, calibration, auction and serving path."""

from __future__ import annotations

import math
import random

import pytest

from casestudies import ad_click_prediction as ad
from casestudies import memo
from mlsd.metrics import roc_auc


# ------------------------------------------------------------------------------ the world
def test_world_is_seeded_and_near_one_percent_ctr():
    w = ad.world()
    assert w is ad.world()                              # memoized
    assert w.n_impressions == ad.DAYS * ad.IMPRESSIONS_PER_DAY
    assert 0.009 < w.n_clicks / w.n_impressions < 0.011
    assert len(w.delays) == w.n_clicks and all(d >= 0 for d in w.delays)


def test_the_world_is_the_same_however_far_each_question_simulated_it():
    # The traffic is simulated day by day on demand (the model ladder stops at the test day);
    # days drawn in several steps, with counters read in between, give the world drawn at once.
    sim = ad._Simulation()
    early = sim.counts_before(5)                        # days 0-4 only
    assert sim.days == 5 and sim.n_impressions == 5 * ad.IMPRESSIONS_PER_DAY
    ctr_day5 = [early["ad"][1][k * (ad.DAYS + 1) + 5] for k in range(len(sim.ads))]
    sim.through(ad.TEST_DAY)
    sim.through(3)                                      # going back is a no-op
    assert sim.days == ad.TEST_DAY + 1
    sim.through(ad.DAYS + 5)                            # past the end: the last day
    w = ad.world()
    assert sim.days == ad.DAYS and sim.intercept == w.intercept
    assert tuple(sim.train_log) == w.train_log and tuple(sim.eval_log) == w.eval_log
    assert sim.counts == w.counts and tuple(sim.delays) == w.delays
    assert (sim.n_impressions, sim.n_clicks) == (w.n_impressions, w.n_clicks)
    full = sim.counts_before(ad.DAYS)
    assert [full["ad"][1][k * (ad.DAYS + 1) + 5] for k in range(len(sim.ads))] == ctr_day5


def test_an_interrupted_simulation_is_thrown_away(monkeypatch):
    memo.release()
    expected = ad.counters("ad", 100, 10)               # days 0-9, simulated without a hitch
    memo.release()
    delays = {"n": 0}
    real_delay = ad._click_delay

    def interrupt_at_the_500th_click(rng):
        delays["n"] += 1
        if delays["n"] == 500:
            raise KeyboardInterrupt
        return real_delay(rng)

    monkeypatch.setattr(ad, "_click_delay", interrupt_at_the_500th_click)
    with pytest.raises(KeyboardInterrupt):
        ad.counters("ad", 100, 10)
    monkeypatch.setattr(ad, "_click_delay", real_delay)
    assert ad.counters("ad", 100, 10) == expected       # a new simulation, not the half-drawn one
    w = ad.world()
    assert sum(w.counts["ad"][0]) == w.n_impressions == ad.DAYS * ad.IMPRESSIONS_PER_DAY


def test_the_ladder_simulates_no_further_than_the_test_day():
    memo.release()                                      # as in a fresh interpreter
    ad.training_rows(), ad.eval_rows(), ad.counters("ad", 0, ad.TEST_DAY)
    assert ad._simulation().days == ad.TEST_DAY + 1     # days 15-20 are left for the cells that need them
    ad.world()
    assert ad._simulation().days == ad.DAYS


def test_training_log_keeps_every_click_and_a_share_of_the_rest():
    w = ad.world()
    clicks = sum(1 for i in w.train_log if i.clicked)
    negatives = len(w.train_log) - clicks
    assert clicks == w.n_clicks
    share = negatives / (w.n_impressions - w.n_clicks)
    assert abs(share - ad.NEG_RATE) < 0.002
    days = [i.day for i in w.train_log]
    assert days == sorted(days)                          # time order, ready for a time split


def test_true_logit_reproduces_the_logged_probability():
    w = ad.world()
    for imp in w.train_log[:200]:
        p = ad.sigmoid(ad.true_logit(w.users[imp.user], w.ads[imp.ad], imp.day, imp.hour, imp.slot))
        assert p == pytest.approx(imp.p, rel=1e-9)


def test_true_logit_rejects_bad_input():
    w = ad.world()
    with pytest.raises(TypeError, match="user must be a User"):
        ad.true_logit((0,), w.ads[0], 3)
    with pytest.raises(ValueError, match="hour"):
        ad.true_logit(w.users[0], w.ads[0], 3, hour=24)
    with pytest.raises(ValueError, match="slot"):
        ad.true_logit(w.users[0], w.ads[0], 3, slot=5)
    with pytest.raises(ValueError, match="day must be in 0..20"):
        ad.true_logit(w.users[0], w.ads[0], ad.DAYS)


def test_ads_run_only_between_their_start_and_end():
    w = ad.world()
    for imp in w.train_log[:500]:
        a = w.ads[imp.ad]
        assert a.created <= imp.day < a.end
        assert w.users[imp.user].age in a.ages          # targeting was respected


def test_the_layout_drift_lowers_later_slots_from_its_start_day():
    w = ad.world()
    user, a = w.users[0], next(x for x in w.ads if x.created <= 12 and x.end > 20)
    day = max(a.created, ad.LAYOUT_START - 1)
    before = ad.true_logit(user, a, day, 12, 2) - ad.true_logit(user, a, day, 12, 0)
    assert before == pytest.approx(-0.4)
    after = ad.true_logit(user, a, 20, 12, 2) - ad.true_logit(user, a, 20, 12, 0)
    assert after < before - 0.5


# ------------------------------------------------------------------------------- the label
def test_label_window_table_is_monotone_and_checks_input():
    rows = ad.label_window_table([60, 3600, 86400])
    caught = [r["clicks_caught"] for r in rows]
    assert caught == sorted(caught) and caught[-1] <= 1.0
    assert rows[-1]["label_ctr"] == pytest.approx(caught[-1] * ad.world().n_clicks / ad.world().n_impressions)
    with pytest.raises(ValueError, match="windows_s"):
        ad.label_window_table([0])
    with pytest.raises(ValueError, match="windows_s"):
        ad.label_window_table([])


# ---------------------------------------------------------------------------- the features
def test_counters_are_point_in_time():
    w = ad.world()
    imps, clicks = w.counts["ad"]
    key, day = 5, 10
    i = sum(imps[key * ad.DAYS + d] for d in range(day - 7, day))
    c = sum(clicks[key * ad.DAYS + d] for d in range(day - 7, day))
    assert ad.counters("ad", key, day) == pytest.approx((c + 200 * ad.BASE_CTR) / (i + 200))
    assert ad.counters("ad", key, 0) == pytest.approx(ad.BASE_CTR)    # nothing before day 0: the prior
    with pytest.raises(ValueError, match="kind"):
        ad.counters("campaign", 1, 3)
    with pytest.raises(ValueError, match="key"):
        ad.counters("adv", 10_000, 3)


def test_counter_lookups_check_their_arguments():
    # counters() and activity() check only what is not a plain int (the checks were most of a
    # lookup's time); anything else still meets the checkers and their messages.
    for bad in (True, 3.0, "3", None):
        with pytest.raises(TypeError, match="day"):
            ad.counters("ad", 1, bad)
        with pytest.raises(TypeError, match="key"):
            ad.counters("ad", bad, 3)
        with pytest.raises(TypeError, match="lookback"):
            ad.counters("ad", 1, 3, lookback=bad)
        with pytest.raises(TypeError, match="day"):
            ad.activity(1, bad)
        with pytest.raises(TypeError, match="user_id"):
            ad.activity(bad, 3)
        with pytest.raises(TypeError, match="lookback"):
            ad.activity(1, 3, lookback=bad)
    for bad in (0, -2):
        with pytest.raises(ValueError, match="lookback"):
            ad.counters("user", 1, 3, lookback=bad)
        with pytest.raises(ValueError, match="lookback"):
            ad.activity(1, 3, lookback=bad)
    with pytest.raises(ValueError, match="user_id"):
        ad.activity(-1, 3)

    class Day(int):                                     # an int subclass is still an int
        pass
    assert ad.counters("ad", 5, Day(10), lookback=Day(7)) == ad.counters("ad", 5, 10)
    assert ad.activity(Day(5), Day(10)) == ad.activity(5, 10)


def test_record_dense_and_onehot_rows_agree():
    w = ad.world()
    imp = w.train_log[100]
    user, a = w.users[imp.user], w.ads[imp.ad]
    rec = ad.record(user, a, imp.day, imp.hour, imp.slot)
    dense = ad.dense_row(rec, imp.day, a)
    assert len(dense) == len(ad.DENSE_NAMES)
    assert dense[ad.DENSE_NAMES.index("interest_match")] == float(user.declared == a.topic)
    onehot = ad.onehot_row(rec, imp.day, a)
    assert sum(1 for v in onehot.values() if v == 1.0) >= 8          # one indicator per categorical
    # the record reads the same counters the public functions give
    assert rec["ad_ctr"] == ad.logit(ad.counters("ad", a.id, imp.day))
    assert rec["user_ctr"] == ad.logit(ad.counters("user", user.id, imp.day, lookback=14))
    assert rec["user_imps"] == math.log1p(ad.activity(user.id, imp.day))


def test_collision_rate():
    assert ad.collision_rate(["a", "b", "c"], 1) == 1.0
    tokens = [f"t{i}" for i in range(50)]
    assert ad.collision_rate(tokens, 2 ** 20) == 0.0
    with pytest.raises(ValueError, match="n_buckets"):
        ad.collision_rate(tokens, 0)
    with pytest.raises(ValueError, match="tokens"):
        ad.collision_rate([], 8)


def test_tokens_include_crosses():
    toks = ad.tokens(ad.training_rows()["records"][:1])
    assert sum("&" in t for t in toks) == len(ad.CROSSES)
    assert len(toks) == len(ad.CATEGORICAL) + len(ad.CROSSES)


# ------------------------------------------------------------------------------ calibration
@pytest.mark.parametrize("p", [0.001, 0.01, 0.2, 0.9])
@pytest.mark.parametrize("rate", [0.02, 0.1, 1.0])
def test_recalibrate_inverts_negative_downsampling(p, rate):
    trained = p / (p + (1 - p) * rate)                 # what a model on the sampled log converges to
    assert ad.recalibrate(trained, rate) == pytest.approx(p)


def test_recalibrate_rejects_bad_input():
    with pytest.raises(ValueError, match="rate"):
        ad.recalibrate(0.5, 0.0)
    with pytest.raises(ValueError, match="p"):
        ad.recalibrate(1.5)


def test_expected_ne_is_one_for_the_base_rate_and_lowest_for_the_truth():
    rng = random.Random(0)
    p = [rng.uniform(0.001, 0.05) for _ in range(500)]
    base = sum(p) / len(p)
    assert ad.expected_ne(p, [base] * len(p)) == pytest.approx(1.0)
    truth = ad.expected_ne(p, p)
    assert truth < 1.0
    assert ad.expected_ne(p, [min(0.99, 2 * q) for q in p]) > truth    # miscalibration costs NE
    with pytest.raises(ValueError, match="same length"):
        ad.expected_ne(p, p[:-1])


def test_expected_auc_matches_roc_auc_on_hard_labels():
    rng = random.Random(1)
    labels = [int(rng.random() < 0.3) for _ in range(300)]
    scores = [round(rng.random(), 2) for _ in range(300)]   # rounded: ties happen
    assert ad.expected_auc([float(y) for y in labels], scores) == pytest.approx(roc_auc(labels, scores))
    with pytest.raises(ValueError, match="all 0"):
        ad.expected_auc([0.0, 0.0], [0.1, 0.2])


def test_reliability_bins_cover_every_prediction():
    rows = ad.reliability([0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4], n_bins=2)
    assert [r["count"] for r in rows] == [2, 2]
    assert rows[0]["predicted"] == pytest.approx(0.15) and rows[1]["observed"] == pytest.approx(0.35)


# -------------------------------------------------------------------------------- the auction
def test_auction_second_price_and_reserve():
    # eCPMs 0.02 * 1 = 0.02, 0.01 * 3 = 0.03, 0.005 * 2 = 0.01: the second ad wins
    i, price = ad.auction([0.02, 0.01, 0.005], [1.0, 3.0, 2.0], reserve=0.004)
    assert i == 1
    assert price == pytest.approx(0.02 / 0.01)          # runner-up's eCPM over the winner's pCTR
    assert price <= 3.0
    i, price = ad.auction([0.001], [1.0], reserve=0.004)  # below the reserve: the organic post stays
    assert i is None and price == 0.0
    i, price = ad.auction([0.01], [1.0], reserve=0.004)   # alone: pays the reserve
    assert i == 0 and price == pytest.approx(0.4)


def test_auction_prices_are_invariant_to_a_uniform_scale():
    p, bids = [0.02, 0.01, 0.03], [1.0, 3.0, 0.5]
    a = ad.auction(p, bids, reserve=0.0)
    b = ad.auction([1.5 * x for x in p], bids, reserve=0.0)
    assert a[0] == b[0] and a[1] == pytest.approx(b[1])


def test_auction_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        ad.auction([0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="p_ctr"):
        ad.auction([], [])


def test_run_auctions_with_the_oracle_shows_no_ad_below_the_reserve():
    reqs = ad.auction_requests(n=200, k=5, seed=9)
    out = ad.run_auctions(reqs, ad.true_scores)
    assert out["bad_ads"] == 0
    assert 0 < out["ads_shown"] <= 1000
    with pytest.raises(TypeError, match="score"):
        ad.run_auctions(reqs, None)


# --------------------------------------------------------------------- models and freshness
def test_ladder_models_are_calibrated_after_the_correction():
    test = ad.eval_rows()
    for name in ("LR + crosses", "GBDT"):
        m = ad.evaluate(test["p_true"], ad.predict(name, test))
        assert 0.85 < m["calibration"] < 1.2
        assert m["NE"] < 1.0
    with pytest.raises(ValueError, match="name must be one of"):
        ad.ladder("SVM")


def test_eval_rows_checks_its_size():
    with pytest.raises(ValueError, match="n must be at most"):
        ad.eval_rows(ad.TEST_DAY, 10 ** 6)
    with pytest.raises(ValueError, match="day must be in 0..20"):
        ad.eval_rows(ad.DAYS)


def test_freshness_run_starts_with_one_model():
    rows = ad.freshness_run()
    assert rows[0]["weekly_NE"] == rows[0]["daily_NE"]
    assert [r["day"] for r in rows] == list(range(ad.TEST_DAY, ad.DAYS))
    assert rows[-1]["new_ads"] > rows[0]["new_ads"]


def test_ab_test_splits_requests_by_user():
    arms = ad.ab_test()
    n = sum(len(v["clicks"]) for v in arms.values())
    assert n == (ad.DAYS - 1 - ad.TEST_DAY) * 400
    assert all(c in (0, 1) for v in arms.values() for c in v["clicks"])
    for v in arms.values():       # revenue only on a click
        assert all((r > 0) == bool(c) for r, c in zip(v["revenue"], v["clicks"]) if r)


# ------------------------------------------------------------------------------ serving
def test_serve_times_every_stage():
    (ad_id, price), timing = ad.serve(3)
    assert set(timing) == set(ad.STAGES) | {"total"}
    assert timing["total"] >= max(timing[s] for s in ad.STAGES)
    if ad_id is not None:
        assert price > 0 and ad.world().ads[ad_id].bid >= price


def test_serve_rejects_bad_input():
    with pytest.raises(ValueError, match="user_id"):
        ad.serve(-1)
    with pytest.raises(TypeError, match="clock"):
        ad.serve(0, clock=3)
    with pytest.raises(ValueError, match="name must be one of"):
        ad.serve(0, model="SVM")


def test_latency_table_shares_add_up():
    rows = ad.latency_table([ad.serve(u)[1] for u in range(20)])
    assert [r["stage"] for r in rows] == list(ad.STAGES)
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="timings"):
        ad.latency_table([])


def test_scoring_cost_refuses_more_candidates_than_eligible_ads():
    with pytest.raises(ValueError, match="n_candidates must be at most"):
        ad.scoring_cost([10_000])
    assert len(ad.scoring_cost([5, 10], repeats=1)) == 2
    assert not math.isnan(ad.scoring_cost([5], repeats=1)[0])


def test_prerank_recall_grows_with_k_and_reaches_one_at_every_eligible_ad():
    out = ad.prerank_recall([1, 10, 10_000], n_requests=50)
    assert out["recall"] == sorted(out["recall"])
    assert out["recall"][-1] == 1.0            # keeping every eligible ad keeps the best one
    assert 0 < out["eligible"] < len(ad.world().ads)
    with pytest.raises(ValueError, match="ks"):
        ad.prerank_recall([0])


def test_sigmoids_equal_sigmoid_one_at_a_time():
    rng = random.Random(5)
    zs = [rng.gauss(0.0, 4.0) for _ in range(2000)] + [0.0, -0.0, 700.0, -700.0, 40.0, -40.0]
    assert ad._sigmoids(zs) == [ad.sigmoid(z) for z in zs]
