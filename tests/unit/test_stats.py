"""Unit and property tests for mlsd.stats (the cross-checks against SciPy live in tests/crosscheck)."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import stats


def test_normal_known_values():
    assert stats.norm_cdf(0.0) == 0.5
    assert stats.norm_ppf(0.975) == pytest.approx(1.959963984540054, abs=1e-14)
    assert stats.norm_ppf(0.5) == 0.0
    assert stats.norm_cdf(1.0, mean=1.0, sd=3.0) == 0.5
    assert stats.norm_ppf(0.5, mean=10.0, sd=2.0) == 10.0
    # the tail keeps relative precision where 1 - cdf would round to 0
    assert stats.norm_sf(10.0) == pytest.approx(7.619853024160527e-24, rel=1e-12)
    assert stats.norm_pdf(0.0) == pytest.approx(1 / math.sqrt(2 * math.pi))


@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
@settings(deadline=None)
def test_norm_ppf_inverts_cdf(p):
    x = stats.norm_ppf(p)
    assert stats.norm_cdf(x) == pytest.approx(p, rel=1e-12)


@given(st.floats(min_value=-8, max_value=8), st.floats(min_value=-8, max_value=8))
@settings(deadline=None)
def test_norm_cdf_is_monotone_and_symmetric(a, b):
    lo, hi = min(a, b), max(a, b)
    assert stats.norm_cdf(lo) <= stats.norm_cdf(hi)
    assert stats.norm_cdf(a) + stats.norm_cdf(-a) == pytest.approx(1.0, abs=1e-15)


def test_t_distribution():
    # df = 1 is the Cauchy distribution: P(T <= 1) = 3/4
    assert stats.t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-14)
    # df = 2 has a closed form: P(T <= t) = 1/2 + t / (2 sqrt(2 + t^2))
    for t in (-3.0, -0.5, 0.0, 0.7, 4.0):
        assert stats.t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-14)
    assert stats.t_ppf(0.975, 10) == pytest.approx(2.2281388519862744, abs=1e-12)
    # many degrees of freedom: close to the normal distribution
    assert stats.t_ppf(0.975, 1e7) == pytest.approx(stats.norm_ppf(0.975), abs=1e-6)


@given(st.floats(min_value=1e-6, max_value=1 - 1e-6), st.floats(min_value=0.5, max_value=1e4))
@settings(max_examples=50, deadline=None)
def test_t_ppf_inverts_cdf(p, df):
    assert stats.t_cdf(stats.t_ppf(p, df), df) == pytest.approx(p, rel=1e-9, abs=1e-13)


def test_betainc_closed_forms():
    # I_x(1, 1) = x (uniform) and I_x(a, 1) = x^a
    assert stats.betainc(1, 1, 0.3) == pytest.approx(0.3, abs=1e-15)
    assert stats.betainc(2.5, 1, 0.4) == pytest.approx(0.4 ** 2.5, rel=1e-13)
    assert stats.betainc(3, 4, 0.0) == 0.0 and stats.betainc(3, 4, 1.0) == 1.0
    # symmetry I_x(a, b) = 1 - I_{1-x}(b, a)
    assert stats.betainc(3, 7, 0.2) == pytest.approx(1 - stats.betainc(7, 3, 0.8), abs=1e-14)


def test_kolmogorov_limit():
    assert stats.kolmogorov_sf(0.0) == 1.0
    # the 5% critical value of the limiting distribution is about 1.3581
    assert stats.kolmogorov_sf(1.3580986393225505) == pytest.approx(0.05, abs=1e-12)
    # both series agree where they meet
    z = 1.0
    series_small = 1 - math.sqrt(2 * math.pi) / z * sum(
        math.exp(-((2 * k - 1) ** 2) * math.pi ** 2 / (8 * z * z)) for k in range(1, 20))
    assert stats.kolmogorov_sf(z) == pytest.approx(series_small, abs=1e-15)


def test_ks_one_sample_closed_forms():
    # n = 1: D_1 = max(U, 1 - U), so P(D_1 >= d) = 2 (1 - d) for d >= 1/2
    assert stats.ks_one_sample_sf(0.7, 1) == pytest.approx(0.6, abs=1e-15)
    assert stats.ks_one_sample_sf(0.0, 5) == 1.0
    assert stats.ks_one_sample_sf(1.0, 5) == 0.0
    # large n approaches Kolmogorov's limit
    n = 100_000
    assert stats.ks_one_sample_sf(1.2 / math.sqrt(n), n) == pytest.approx(
        stats.kolmogorov_sf(1.2), abs=2e-3)


@given(st.integers(min_value=1, max_value=400), st.floats(min_value=0.0, max_value=1.0),
       st.floats(min_value=0.0, max_value=1.0))
@settings(max_examples=60, deadline=None)
def test_ks_one_sample_is_a_decreasing_probability(n, a, b):
    lo, hi = min(a, b), max(a, b)
    p_lo, p_hi = stats.ks_one_sample_sf(lo, n), stats.ks_one_sample_sf(hi, n)
    assert 0.0 <= p_hi <= p_lo + 1e-12 <= 1.0 + 1e-12


def test_ks_one_sample_matches_monte_carlo():
    # simulate D_n for uniform samples and compare the tail frequency with the formula
    rng = random.Random(3)
    n, d, trials = 20, 0.25, 4000
    hits = 0
    for _ in range(trials):
        u = sorted(rng.random() for _ in range(n))
        dn = max(max((i + 1) / n - x, x - i / n) for i, x in enumerate(u))
        hits += dn >= d
    p = stats.ks_one_sample_sf(d, n)
    assert abs(hits / trials - p) < 4 * math.sqrt(p * (1 - p) / trials)


def test_mean_variance_quantile():
    assert stats.mean([1, 2, 3, 4]) == 2.5
    assert stats.variance([1, 2, 3, 4]) == pytest.approx(5 / 3)
    assert stats.variance([1, 2, 3, 4], ddof=0) == pytest.approx(1.25)
    # no catastrophic cancellation for a large offset
    assert stats.variance([1e9 + 1, 1e9 + 2, 1e9 + 3]) == pytest.approx(1.0)
    assert stats.quantile([3, 1, 2, 4], 0.5) == 2.5
    assert stats.quantile([1, 2, 3, 4, 5], 0.0) == 1 and stats.quantile([1, 2, 3, 4, 5], 1.0) == 5
    assert stats.quantile([10, 20], 0.25) == 12.5
    assert stats.quantile([7], 0.9) == 7


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=50),
       st.floats(min_value=0, max_value=1))
@settings(deadline=None)
def test_quantile_is_within_range(values, q):
    assert min(values) <= stats.quantile(values, q) <= max(values)


def test_binomial_is_seeded_and_has_the_right_moments():
    a = [stats.binomial(random.Random(1), 100, 0.3) for _ in range(3)]
    assert a[0] == a[1] == a[2]
    rng = random.Random(0)
    for n, p in [(10, 0.5), (1000, 0.1), (5000, 0.9), (50, 0.02)]:
        draws = [stats.binomial(rng, n, p) for _ in range(2000)]
        assert all(0 <= x <= n for x in draws)
        m = sum(draws) / len(draws)
        sd = math.sqrt(n * p * (1 - p))
        assert abs(m - n * p) < 5 * sd / math.sqrt(len(draws))
        v = sum((x - m) ** 2 for x in draws) / (len(draws) - 1)
        assert v == pytest.approx(n * p * (1 - p), rel=0.12)
    assert stats.binomial(rng, 0, 0.5) == 0
    assert stats.binomial(rng, 7, 0.0) == 0 and stats.binomial(rng, 7, 1.0) == 7


def test_binomial_small_n_distribution():
    # Binomial(3, 0.4) probabilities are 0.216, 0.432, 0.288, 0.064
    rng = random.Random(5)
    counts = [0, 0, 0, 0]
    trials = 20000
    for _ in range(trials):
        counts[stats.binomial(rng, 3, 0.4)] += 1
    for k, p in enumerate([0.216, 0.432, 0.288, 0.064]):
        assert abs(counts[k] / trials - p) < 4 * math.sqrt(p * (1 - p) / trials)


@pytest.mark.parametrize("call, exc, message", [
    (lambda: stats.norm_ppf(0.0), ValueError, "^p must be a probability"),
    (lambda: stats.norm_ppf(1.5), ValueError, "^p must be a probability"),
    (lambda: stats.norm_cdf(float("nan")), ValueError, "^x must be finite"),
    (lambda: stats.norm_cdf(0.0, sd=0), ValueError, "^sd must be > 0"),
    (lambda: stats.norm_cdf("1"), TypeError, "^x must be a number"),
    (lambda: stats.t_cdf(1.0, 0), ValueError, "^df must be > 0"),
    (lambda: stats.t_ppf(1.0, 3), ValueError, "^p must be a probability"),
    (lambda: stats.betainc(-1, 1, 0.5), ValueError, "^a must be > 0"),
    (lambda: stats.betainc(1, 1, 1.5), ValueError, "^x must be a probability"),
    (lambda: stats.ks_one_sample_sf(0.1, 0), ValueError, "^n must be a positive integer"),
    (lambda: stats.smirnov_sf(0.1, 2.5), TypeError, "^n must be an integer"),
    (lambda: stats.mean([]), ValueError, "^values must not be empty"),
    (lambda: stats.mean([1, float("inf")]), ValueError, r"^values\[1\] must be finite"),
    (lambda: stats.variance([1.0]), ValueError, "^ddof must be in"),
    (lambda: stats.quantile([1, 2], 2), ValueError, "^q must be a probability"),
    (lambda: stats.binomial(None, 3, 0.5), TypeError, "^rng must be a random.Random"),
    (lambda: stats.binomial(random.Random(0), -1, 0.5), ValueError, "^n must be a non-negative"),
    (lambda: stats.binomial(random.Random(0), 3, -0.1), ValueError, "^p must be a probability"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
