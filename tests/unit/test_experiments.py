"""Unit and property tests for mlsd.experiments."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import experiments as ex
from mlsd import stats


# --- proportions -------------------------------------------------------------------------------

def test_proportion_test_by_hand():
    r = ex.proportion_test(1000, 10_000, 1100, 10_000)
    pooled = 2100 / 20_000
    z = 0.01 / math.sqrt(pooled * (1 - pooled) * 2 / 10_000)
    assert r["z"] == pytest.approx(z, rel=1e-12)
    assert r["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert r["significant"] is True
    se = math.sqrt(0.1 * 0.9 / 10_000 + 0.11 * 0.89 / 10_000)
    assert r["ci_low"] == pytest.approx(0.01 - 1.959963984540054 * se, rel=1e-12)
    assert r["lift"] == pytest.approx(0.1)
    assert r["lift_ci_low"] < r["lift"] < r["lift_ci_high"]


@given(st.integers(1, 5000), st.integers(1, 5000), st.floats(0, 1), st.floats(0, 1))
@settings(deadline=None, max_examples=100)
def test_proportion_test_properties(n_a, n_b, fa, fb):
    x_a, x_b = round(fa * n_a), round(fb * n_b)
    r = ex.proportion_test(x_a, n_a, x_b, n_b)
    assert 0.0 <= r["p_value"] <= 1.0
    assert r["ci_low"] <= r["diff"] <= r["ci_high"]
    # swapping the arms flips the sign and keeps the p-value
    s = ex.proportion_test(x_b, n_b, x_a, n_a)
    assert s["z"] == pytest.approx(-r["z"], abs=1e-12)
    assert s["p_value"] == pytest.approx(r["p_value"], abs=1e-12)
    if r["lift"] is not None:
        assert r["lift_ci_low"] <= r["lift"] <= r["lift_ci_high"]


def test_proportion_test_edge_cases():
    r = ex.proportion_test(0, 100, 0, 100)
    assert r["p_value"] == 1.0 and r["lift"] is None and r["significant"] is False
    assert ex.proportion_test(0, 100, 5, 100)["lift"] is None


def test_proportion_ci_coverage():
    # the 95% interval should cover the true difference about 95% of the time
    rng = random.Random(1)
    covered, trials = 0, 400
    for _ in range(trials):
        x_a = stats.binomial(rng, 2000, 0.10)
        x_b = stats.binomial(rng, 2000, 0.12)
        r = ex.proportion_test(x_a, 2000, x_b, 2000)
        covered += r["ci_low"] <= 0.02 <= r["ci_high"]
    assert abs(covered / trials - 0.95) < 4 * math.sqrt(0.95 * 0.05 / trials)


# --- means -------------------------------------------------------------------------------------

def test_mean_test_by_hand():
    r = ex.mean_test([1, 2, 3, 4, 5], [2, 3, 4, 5, 9])
    assert r["diff"] == pytest.approx(1.6)
    assert r["se"] == pytest.approx(math.sqrt(2.5 / 5 + 7.3 / 5))
    v_a, v_b = 0.5, 7.3 / 5
    assert r["df"] == pytest.approx((v_a + v_b) ** 2 / (v_a ** 2 / 4 + v_b ** 2 / 4))
    assert r["p_value"] > r["p_value_normal"]          # t tails are heavier than normal tails
    assert r["ci_low"] < r["diff"] < r["ci_high"]
    assert r["lift"] == pytest.approx(1.6 / 3)


def test_mean_test_large_samples_are_normal():
    rng = random.Random(0)
    a = [rng.gauss(10, 3) for _ in range(5000)]
    b = [rng.gauss(10.2, 3) for _ in range(5000)]
    r = ex.mean_test(a, b)
    assert r["p_value"] == pytest.approx(r["p_value_normal"], rel=1e-2)
    assert r["significant"] is True


def test_mean_test_from_summary_matches_samples():
    a, b = [3.0, 4.0, 8.0], [5.0, 5.5, 9.0, 10.0]
    r1 = ex.mean_test(a, b)
    r2 = ex.mean_test_from_summary(stats.mean(a), math.sqrt(stats.variance(a)), 3,
                                   stats.mean(b), math.sqrt(stats.variance(b)), 4)
    assert r1 == pytest.approx(r2)


# --- power and sample size ---------------------------------------------------------------------

@given(st.floats(0.01, 0.5), st.floats(0.02, 0.5), st.sampled_from([0.01, 0.05, 0.1]),
       st.sampled_from([0.5, 0.8, 0.9]))
@settings(deadline=None, max_examples=80)
def test_sample_size_is_the_smallest_n_with_enough_power(baseline, mde, alpha, power):
    n = ex.sample_size_proportions(baseline, mde, alpha, power)
    assert ex.power_proportions(baseline, mde, n, alpha) >= power - 1e-9
    if n > 1:
        assert ex.power_proportions(baseline, mde, n - 1, alpha) < power


def test_sample_size_scales_with_the_inverse_square_of_the_effect():
    n1 = ex.sample_size_proportions(0.10, 0.02, relative=False)
    n2 = ex.sample_size_proportions(0.10, 0.01, relative=False)
    assert 3.6 < n2 / n1 < 4.2
    # relative and absolute forms agree
    assert ex.sample_size_proportions(0.10, 0.10) == ex.sample_size_proportions(0.10, 0.01, relative=False)
    # a textbook-size case: 10% baseline, +5% relative, 80% power: about 58k users per arm
    assert 57_000 < ex.sample_size_proportions(0.10, 0.05) < 59_000


def test_mde_inverts_power():
    mde = ex.mde_proportions(0.1, 20_000)
    assert ex.power_proportions(0.1, mde, 20_000) == pytest.approx(0.8, abs=1e-6)
    assert ex.sample_size_proportions(0.1, mde * 1.0001) <= 20_000
    absolute = ex.mde_proportions(0.1, 20_000, relative=False)
    assert absolute == pytest.approx(mde * 0.1)
    with pytest.raises(ValueError, match="^n_per_arm=1 is too small"):
        ex.mde_proportions(0.5, 1, power=0.99)


def test_sample_size_means():
    z = stats.norm_ppf(0.975) + stats.norm_ppf(0.8)
    assert ex.sample_size_means(10, 1) == math.ceil(2 * (z * 10) ** 2)
    assert ex.sample_size_means(10, -1) == ex.sample_size_means(10, 1)


# --- ratio metrics -------------------------------------------------------------------------------

def test_ratio_metric_reduces_to_the_mean():
    rng = random.Random(2)
    x = [rng.gauss(5, 2) for _ in range(300)]
    r = ex.ratio_metric(x, [1.0] * 300)
    assert r["ratio"] == pytest.approx(stats.mean(x))
    assert r["se"] == pytest.approx(math.sqrt(stats.variance(x) / 300))


def test_delta_method_agrees_with_the_bootstrap():
    data = ex.simulate_revenue(1500, seed=4)
    delta = ex.ratio_metric(data["revenue"], data["sessions"])
    boot = ex.bootstrap_ci(list(zip(data["revenue"], data["sessions"])), statistic=ex.ratio_of_sums,
                           n_boot=400, seed=1)
    assert boot["estimate"] == pytest.approx(delta["ratio"])
    assert boot["se"] == pytest.approx(delta["se"], rel=0.15)
    assert boot["ci_low"] < delta["ratio"] < boot["ci_high"]


def test_ratio_test_detects_a_real_lift_and_not_a_null_one():
    a = ex.simulate_revenue(4000, seed=1)
    same = ex.simulate_revenue(4000, seed=2)
    more = ex.simulate_revenue(4000, lift=0.5, seed=3)
    null = ex.ratio_test(a["revenue"], a["sessions"], same["revenue"], same["sessions"])
    real = ex.ratio_test(a["revenue"], a["sessions"], more["revenue"], more["sessions"])
    assert real["significant"] and real["diff"] > 0
    assert null["p_value"] > real["p_value"]
    assert null["ci_low"] < null["diff"] < null["ci_high"]


def test_simulate_revenue_shape():
    d = ex.simulate_revenue(500, seed=0)
    assert len(d["sessions"]) == len(d["revenue"]) == 500
    assert min(d["sessions"]) >= 1 and min(d["revenue"]) >= 0
    assert stats.mean(d["sessions"]) == pytest.approx(3.0, rel=0.15)
    assert d == ex.simulate_revenue(500, seed=0)


# --- bootstrap ---------------------------------------------------------------------------------

def test_bootstrap_mean_matches_normal_interval():
    rng = random.Random(7)
    values = [rng.expovariate(1.0) for _ in range(800)]
    r = ex.bootstrap_ci(values, n_boot=1000, seed=3)
    se = math.sqrt(stats.variance(values) / 800)
    assert r["se"] == pytest.approx(se, rel=0.1)
    assert r["ci_low"] == pytest.approx(stats.mean(values) - 1.96 * se, abs=0.3 * se)
    assert r == ex.bootstrap_ci(values, n_boot=1000, seed=3)       # seeded


def test_bootstrap_diff():
    rng = random.Random(8)
    a = [rng.gauss(0, 1) for _ in range(400)]
    b = [rng.gauss(0.5, 1) for _ in range(300)]
    r = ex.bootstrap_diff_ci(a, b, n_boot=300, seed=1)
    assert r["estimate"] == pytest.approx(stats.mean(b) - stats.mean(a))
    assert 0 < r["ci_low"] < r["estimate"] < r["ci_high"]
    median = ex.bootstrap_diff_ci(a, b, statistic=lambda xs: stats.quantile(xs, 0.5), n_boot=100)
    assert median["ci_low"] < median["ci_high"]


# --- peeking -------------------------------------------------------------------------------------

def test_peeking_inflates_false_positives():
    r = ex.simulate_peeking(n_experiments=600, days=10, users_per_day=300, seed=1)
    tol = 4 * math.sqrt(0.05 * 0.95 / 600)
    assert abs(r["fpr_fixed"] - 0.05) < tol
    assert r["fpr_peeking"] > 2.5 * 0.05
    assert r["fpr_bonferroni"] <= 0.05 + tol
    assert r["days"] == list(range(1, 11))
    assert r["fpr_peeking_by_day"] == sorted(r["fpr_peeking_by_day"])
    assert r["fpr_peeking_by_day"][-1] == r["fpr_peeking"]


def test_peeking_single_day_has_no_inflation():
    r = ex.simulate_peeking(n_experiments=200, days=1, seed=2)
    assert r["fpr_peeking"] == r["fpr_fixed"]


# --- interleaving --------------------------------------------------------------------------------

rankings = st.lists(st.integers(0, 30), min_size=1, max_size=15, unique=True)


@given(rankings, rankings, st.integers(0, 10_000))
@settings(deadline=None)
def test_team_draft_properties(a, b, seed):
    items, teams = ex.team_draft_interleave(a, b, random.Random(seed))
    assert len(items) == len(set(items)) == len(teams)
    assert set(items) <= set(a) | set(b)
    # each team's picks are in the order of its own ranking
    for name, ranking in (("A", a), ("B", b)):
        picked = [i for i, t in zip(items, teams) if t == name]
        assert [ranking.index(i) for i in picked] == sorted(ranking.index(i) for i in picked)
    # the teams stay balanced: they never differ by more than one pick
    count_a = 0
    for k, t in enumerate(teams, 1):
        count_a += t == "A"
        assert abs(2 * count_a - k) <= 1


def test_team_draft_same_rankings_and_length():
    items, teams = ex.team_draft_interleave([5, 3, 1], [5, 3, 1], random.Random(0))
    assert items == [5, 3, 1]
    items, _ = ex.team_draft_interleave(list(range(10)), list(range(9, -1, -1)), random.Random(0), length=4)
    assert len(items) == 4


def test_team_draft_is_fair_on_average():
    rng = random.Random(0)
    first_a = sum(ex.team_draft_interleave([1, 2], [3, 4], rng)[1][0] == "A" for _ in range(2000))
    assert abs(first_a / 2000 - 0.5) < 0.05


def test_interleaving_winner():
    assert ex.interleaving_winner(["A", "B", "A"], [True, False, False]) == "A"
    assert ex.interleaving_winner(["A", "B", "A"], [False, True, False]) == "B"
    assert ex.interleaving_winner(["A", "B"], [True, True]) is None
    assert ex.interleaving_winner(["A", "B"], [False, False]) is None


def test_interleaving_needs_fewer_users():
    r = ex.simulate_interleaving_vs_ab(n_users=(100, 400, 1600), n_trials=20, seed=3)
    assert r["n_users"] == [100, 400, 1600]
    for key in ("ab_detection", "interleaving_detection"):
        assert all(0.0 <= v <= 1.0 for v in r[key])
    assert sum(r["interleaving_detection"]) > sum(r["ab_detection"])
    assert r["interleaving_detection"][-1] >= 0.8


# --- novelty -------------------------------------------------------------------------------------

def test_novelty_effect_fades():
    r = ex.simulate_novelty_effect(days=28, users_per_day=20_000, seed=0)
    assert len(r["day"]) == len(r["daily_lift"]) == len(r["cumulative_lift"]) == 28
    assert r["expected_lift"][0] == pytest.approx(0.12)
    assert r["expected_lift"][-1] == pytest.approx(0.02, abs=2e-3)
    # early measurements overstate the lasting lift; the cumulative number stays above it
    assert stats.mean(r["daily_lift"][:3]) > 0.07
    assert stats.mean(r["daily_lift"][-7:]) < 0.05
    assert r["cumulative_lift"][-1] > r["true_lift"]


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, message", [
    (lambda: ex.proportion_test(5, 0, 1, 10), ValueError, "^n_a must be a positive integer"),
    (lambda: ex.proportion_test(11, 10, 1, 10), ValueError, r"^conversions_a must be <= n_a"),
    (lambda: ex.proportion_test(1, 10, -1, 10), ValueError, "^conversions_b must be a non-negative"),
    (lambda: ex.proportion_test(1.5, 10, 1, 10), TypeError, "^conversions_a must be an integer"),
    (lambda: ex.proportion_test(1, 10, 1, 10, alpha=1.0), ValueError, "^alpha must be a probability"),
    (lambda: ex.mean_test([1.0], [1.0, 2.0]), ValueError, "^a and b need at least 2"),
    (lambda: ex.mean_test([1.0, float("nan")], [1.0, 2.0]), ValueError, r"^a\[1\] must be finite"),
    (lambda: ex.mean_test([1.0, 1.0], [2.0, 2.0]), ValueError, "^sd_a and sd_b are both 0"),
    (lambda: ex.mean_test_from_summary(0, -1, 5, 0, 1, 5), ValueError, "^sd_a and sd_b must be >= 0"),
    (lambda: ex.sample_size_proportions(0.0, 0.1), ValueError, "^baseline must be a probability"),
    (lambda: ex.sample_size_proportions(0.1, 0.0), ValueError, "^mde must be non-zero"),
    (lambda: ex.sample_size_proportions(0.9, 0.2), ValueError, "^mde moves the rate"),
    (lambda: ex.sample_size_proportions(0.1, 0.1, power=1.0), ValueError, "^power must be a probability"),
    (lambda: ex.power_proportions(0.1, 0.1, 0), ValueError, "^n_per_arm must be a positive"),
    (lambda: ex.sample_size_means(0, 1), ValueError, "^sd must be > 0"),
    (lambda: ex.ratio_metric([1, 2], [1]), ValueError, "^numerators and denominators must have the same"),
    (lambda: ex.ratio_metric([1, 2], [0, 0]), ValueError, "^denominators must have a positive mean"),
    (lambda: ex.ratio_metric([], []), ValueError, "^numerators must not be empty"),
    (lambda: ex.bootstrap_ci([]), ValueError, "^values must not be empty"),
    (lambda: ex.bootstrap_ci([1, 2], n_boot=5), ValueError, "^n_boot must be at least 10"),
    (lambda: ex.bootstrap_ci([1, 2], statistic=3), TypeError, "^statistic must be callable"),
    (lambda: ex.bootstrap_ci([1, 2], seed=1.5), TypeError, "^seed must be an integer"),
    (lambda: ex.bootstrap_diff_ci([1], ["x"]), TypeError, r"^b\[0\] must be a number"),
    (lambda: ex.ratio_of_sums([1, 2]), TypeError, r"^units must be a sequence of \(numerator, denominator\)"),
    (lambda: ex.ratio_of_sums([(1, 0)]), ValueError, "^units: the denominators sum to 0"),
    (lambda: ex.simulate_revenue(0), ValueError, "^n_users must be a positive integer"),
    (lambda: ex.simulate_revenue(10, lift=100.0), ValueError, "^lift makes the conversion rate"),
    (lambda: ex.simulate_peeking(days=0), ValueError, "^days must be a positive integer"),
    (lambda: ex.simulate_peeking(base_rate=1.0), ValueError, "^base_rate must be a probability"),
    (lambda: ex.team_draft_interleave([], [1], random.Random(0)), ValueError, "^ranking_a must not be empty"),
    (lambda: ex.team_draft_interleave([1], [1], 0), TypeError, "^rng must be a random.Random"),
    (lambda: ex.team_draft_interleave([1], [1], random.Random(0), 0), ValueError, "^length must be a positive"),
    (lambda: ex.interleaving_winner(["A"], [True, False]), ValueError, "^teams and clicked must have"),
    (lambda: ex.interleaving_winner(["C"], [True]), ValueError, "^teams must contain only"),
    (lambda: ex.simulate_interleaving_vs_ab(n_users=()), ValueError, "^n_users must not be empty"),
    (lambda: ex.simulate_interleaving_vs_ab(noise_b=0), ValueError, "^noise_b must be > 0"),
    (lambda: ex.simulate_novelty_effect(half_life_days=0), ValueError, "^half_life_days must be > 0"),
    (lambda: ex.simulate_novelty_effect(base_rate=0.5, novelty_lift=2.0), ValueError,
     "must be a probability"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_the_package_re_exports_each_module_function_once():
    import importlib

    names = {}
    for module in ("ab_test", "power", "ratio", "bootstrap", "peeking", "interleaving", "novelty"):
        mod = importlib.import_module(f"mlsd.experiments.{module}")
        for name in mod.__all__:
            assert name not in names, f"{name} is in both {names.get(name)} and {module}"
            names[name] = module
            assert getattr(ex, name) is getattr(mod, name)
    assert sorted(names) == sorted(ex.__all__)
