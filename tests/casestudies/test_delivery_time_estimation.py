"""Tests for casestudies.delivery_time_estimation: the system behaves as its page says."""

import math

import pytest

from casestudies import delivery_time_estimation as dte


def test_world_is_seeded_sorted_memoized_and_adds_up():
    w = dte.world()
    assert dte.world() is w                                          # memoized
    assert list(w.t) == sorted(w.t)
    assert all(abs(w.prep[i] + w.pickup[i] + w.travel[i] - w.total[i]) < 0.02 for i in range(len(w)))
    assert all(v > 0 for v in w.total)
    first = w.total[:50]
    dte.world.cache_clear()
    assert dte.world().total[:50] == first                           # seeded: same data again


def test_features_are_known_at_checkout():
    w, X = dte.world(), dte.features()
    assert len(X) == len(w) and len(X[0]) == len(dte.FEATURES)
    # the restaurant profile only uses orders before the previous midnight
    i = dte.window(10.0, 11.0)[0]
    r = w.restaurant[i]
    before = [w.prep[j] for j in range(len(w)) if w.restaurant[j] == r and w.t[j] < 10.0]
    expected = (sum(before) + 5 * 14.0) / (len(before) + 5)
    assert X[i][0] == pytest.approx(expected, abs=1e-3)


def test_window_is_a_time_split():
    train, test = dte.window(dte.WARMUP, dte.TRAIN_END), dte.window(dte.TRAIN_END, dte.TEST_END)
    w = dte.world()
    assert max(w.t[i] for i in train) < dte.TRAIN_END <= min(w.t[i] for i in test)
    assert train[-1] + 1 == test[0]


def test_stage_models_are_memoized_and_sum_to_the_expected_time():
    models = dte.stage_models()
    assert dte.stage_models(21) is models and set(models) == set(dte.STAGES)
    idx = dte.window(dte.TRAIN_END, 22.0)[:20]
    parts = [m.predict(idx) for m in models.values()]
    assert dte.expected_total(idx) == pytest.approx([sum(p) for p in zip(*parts)])
    blind = dte.stage_models(realtime=False)
    assert all(dte.REALTIME[s] not in blind[s].names for s in dte.STAGES)


def test_quantiles_are_ordered_and_the_promise_sits_above_the_mean():
    idx = dte.window(dte.TRAIN_END, dte.TEST_END)
    lo, q75, hi = (dte.quantile_total(idx, a) for a in (0.1, 0.75, 0.9))
    mean = dte.expected_total(idx)
    assert sum(a <= b <= c for a, b, c in zip(lo, q75, hi)) / len(idx) > 0.97
    assert sum(q > m for q, m in zip(q75, mean)) / len(idx) > 0.9


def test_business_cost_prices_late_minutes_three_times_early_ones():
    late = dte.business_cost([40.0], [30.0])
    early = dte.business_cost([30.0], [40.0])
    assert late["per_order"] == pytest.approx(3 * early["per_order"]) == pytest.approx(4.5)
    assert late["late_5"] == 1.0 and late["late_10"] == 0.0             # 10 minutes is not > 10
    assert dte.business_cost([41.0], [30.0])["late_10"] == 1.0
    assert dte.best_buffer([10.0] * 4 + [20.0], [10.0] * 5) == 0.0   # one outlier does not move it


def test_shown_range_and_distance_bands():
    assert dte.shown_range(37.2) == (30, 40)
    assert dte.shown_range(40.0) == (30, 40)
    assert dte.shown_range(3.0) == (5, 5)
    assert [dte.distance_band(k) for k in (0.4, 1.5, 3.2, 9.0)] == [0, 1, 2, 3]


def test_updates_during_delivery_drop_finished_stages():
    models, X = dte.stage_models(), dte.features()
    x = X[dte.window(22.0, 23.0)[0]]
    at = {e: dte.remaining_estimate(x, e, models) for e in ("checkout", "food_ready", "picked_up")}
    assert at["checkout"] > at["food_ready"] > at["picked_up"] > 0
    assert at["picked_up"] == pytest.approx(models["travel"].predict_features(x))


def test_serve_matches_offline_and_reports_its_work():
    w, X = dte.world(), dte.features()
    i = dte.window(22.0, 23.0)[3]
    r = w.restaurant[i]
    stores = {"profile": {r: X[i][0]}, "kitchen": {r: w.kitchen_load[i]},
              "couriers": {r: w.couriers_idle[i]}, "rain_mm": w.rain_mm[i]}
    quantiles = {"promise": dte.quantile_model(0.75), "low": dte.quantile_model(0.1),
                 "high": dte.quantile_model(0.9)}
    out = dte.serve({"restaurant": r, "items": w.items[i], "distance_km": w.distance_km[i],
                     "apartment": w.apartment[i], "hour": X[i][3]}, stores, dte.stage_models(), quantiles)
    assert out["x"] == X[i]
    assert out["promise"] == pytest.approx(dte.quantile_total([i], 0.75)[0])
    assert out["low"] <= out["promise"] <= out["high"]
    assert out["shown"][1] >= out["promise"] and set(out["ms"]) == set(dte.SERVE_STAGES)
    assert out["lookups"] == 4 and out["nodes"] > 0 and all(v >= 0 for v in out["ms"].values())


@pytest.mark.parametrize("call, error, match", [
    (lambda: dte.window(5, 5), ValueError, "end must be after start"),
    (lambda: dte.window("a", 5), TypeError, "start"),
    (lambda: dte.distance_band(-1), ValueError, "km must be >= 0"),
    (lambda: dte.train_stage("cooking"), ValueError, "stage must be one of"),
    (lambda: dte.train_stage("prep", ["colour"]), ValueError, "names must be"),
    (lambda: dte.train_stage("prep", start=3.0), ValueError, "warm-up"),
    (lambda: dte.train_total("squared", end=10.0), ValueError, "end must be a day"),
    (lambda: dte.quantile_model(1.0), ValueError, "alpha must be strictly between"),
    (lambda: dte.stage_models(realtime="yes"), TypeError, "realtime must be"),
    (lambda: dte.business_cost([1.0], []), ValueError, "equal length"),
    (lambda: dte.shown_range(0), ValueError, "promise must be positive"),
    (lambda: dte.remaining_estimate((), "eaten", {}), ValueError, "event must be one of"),
    (lambda: dte.serve({"restaurant": 1}, {}, {}, {}), ValueError, "order is missing"),
    (lambda: dte.serve({"restaurant": 1, "items": 1, "distance_km": 1, "apartment": 0, "hour": 12},
                       {"profile": {}}, {}, {}), ValueError, "stores is missing"),
])
def test_bad_input_names_the_problem(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_costs_make_the_promise_the_075_quantile():
    c = dte.COSTS
    assert math.isclose(c["late_per_min"] / (c["late_per_min"] + c["early_per_min"]), 0.75)
