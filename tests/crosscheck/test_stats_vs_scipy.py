"""Cross-checks of mlsd.stats, mlsd.experiments and mlsd.monitoring against SciPy and NumPy.

SciPy is installed for the tests only; the library itself never imports it.
"""

import math
import random

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import special, stats as sps

from mlsd import stats


# --- distributions -------------------------------------------------------------------------

@pytest.mark.parametrize("p", [1e-300, 1e-50, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.03, 0.2, 0.5,
                               0.7, 0.975, 0.99, 0.999999, 1 - 1e-12])
def test_norm_ppf(p):
    assert stats.norm_ppf(p) == pytest.approx(sps.norm.ppf(p), rel=1e-14, abs=1e-15)


@given(st.floats(min_value=-37, max_value=37))
@settings(deadline=None)
def test_norm_cdf_and_sf(x):
    # far in the tail both round x / sqrt(2) differently; the error grows like x^2 * 1e-16
    assert stats.norm_cdf(x) == pytest.approx(sps.norm.cdf(x), rel=1e-12, abs=1e-300)
    assert stats.norm_sf(x) == pytest.approx(sps.norm.sf(x), rel=1e-12, abs=1e-300)


@given(st.floats(min_value=-60, max_value=60), st.floats(min_value=0.3, max_value=1e6))
@settings(max_examples=200, deadline=None)
def test_t_cdf(t, df):
    # relative error grows to ~1e-11 for df near 1e6 (continued fraction close to its switch point)
    assert stats.t_cdf(t, df) == pytest.approx(sps.t.cdf(t, df), rel=1e-9, abs=1e-300)


@given(st.floats(min_value=1e-8, max_value=1 - 1e-8), st.floats(min_value=0.5, max_value=1e5))
@settings(max_examples=60, deadline=None)
def test_t_ppf(p, df):
    assert stats.t_ppf(p, df) == pytest.approx(sps.t.ppf(p, df), rel=1e-9, abs=1e-12)


@given(st.floats(min_value=0.05, max_value=300), st.floats(min_value=0.05, max_value=300),
       st.floats(min_value=0, max_value=1))
@settings(max_examples=200, deadline=None)
def test_betainc(a, b, x):
    assert stats.betainc(a, b, x) == pytest.approx(special.betainc(a, b, x), rel=1e-10, abs=1e-14)


@given(st.floats(min_value=0.0, max_value=6.0))
@settings(deadline=None)
def test_kolmogorov_limit(z):
    assert stats.kolmogorov_sf(z) == pytest.approx(sps.kstwobign.sf(z), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 20, 50, 100, 139, 140, 141, 200, 500, 1000, 3000,
                               3001, 5000, 20000])
def test_ks_one_sample_grid(n):
    for d in [0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99]:
        assert stats.ks_one_sample_sf(d, n) == pytest.approx(sps.kstwo.sf(d, n), abs=1e-10), (n, d)


@given(st.integers(min_value=1, max_value=5000), st.floats(min_value=0.0, max_value=1.0))
@example(n=3001, d=0.005859375)   # once off by 8.5e-10: Pelz-Good, just past its old lower bound on n
@settings(max_examples=150, deadline=None)
def test_ks_one_sample_random(n, d):
    assert stats.ks_one_sample_sf(d, n) == pytest.approx(sps.kstwo.sf(d, n), abs=1e-10)


@pytest.mark.parametrize("n", [1, 5, 50, 500, 5000])
def test_smirnov(n):
    for d in [0.001, 0.01, 0.05, 0.1, 0.3, 0.6, 0.95]:
        assert stats.smirnov_sf(d, n) == pytest.approx(special.smirnov(n, d), rel=1e-10, abs=1e-300)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=40),
       st.floats(min_value=0, max_value=1))
@settings(deadline=None)
def test_quantile_matches_numpy(values, q):
    assert stats.quantile(values, q) == pytest.approx(float(np.quantile(values, q)), rel=1e-12, abs=1e-9)


# --- experiments ---------------------------------------------------------------------------------

from mlsd import experiments as ex  # noqa: E402


@given(st.integers(1, 20000), st.integers(1, 20000), st.floats(0.001, 0.999), st.floats(0.001, 0.999))
@settings(max_examples=100, deadline=None)
def test_proportion_test_matches_chi_square(n_a, n_b, fa, fb):
    x_a, x_b = max(1, round(fa * n_a)), max(1, round(fb * n_b))
    if x_a == n_a and x_b == n_b:
        return
    r = ex.proportion_test(x_a, n_a, x_b, n_b)
    # the pooled z-test is the 2x2 chi-square test without continuity correction: chi2 = z^2
    table = [[x_a, n_a - x_a], [x_b, n_b - x_b]]
    chi2, p, _, _ = sps.chi2_contingency(table, correction=False)
    assert r["z"] ** 2 == pytest.approx(chi2, rel=1e-9)
    assert r["p_value"] == pytest.approx(p, rel=1e-7, abs=1e-300)
    # and the statsmodels-style formula (pooled variance) computed with scipy.stats.norm
    pooled = (x_a + x_b) / (n_a + n_b)
    z = (x_b / n_b - x_a / n_a) / np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    assert r["z"] == pytest.approx(z, rel=1e-12)
    assert r["p_value"] == pytest.approx(2 * sps.norm.sf(abs(z)), rel=1e-10, abs=1e-300)


@given(st.integers(2, 60), st.integers(2, 60), st.integers(0, 10_000))
@settings(max_examples=60, deadline=None)
def test_welch_matches_scipy(n_a, n_b, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, n_a).tolist()
    b = rng.normal(0.3, 2, n_b).tolist()
    r = ex.mean_test(a, b)
    ref = sps.ttest_ind(b, a, equal_var=False)
    assert r["t"] == pytest.approx(ref.statistic, rel=1e-10)
    assert r["p_value"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert r["df"] == pytest.approx(ref.df, rel=1e-10)
    ci = ref.confidence_interval(0.95)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.low, ci.high), rel=1e-8, abs=1e-10)


def _reference_sample_size(p1, p2, alpha, power):
    """Fleiss' formula for two independent proportions, written with scipy."""
    za, zb = sps.norm.ppf(1 - alpha / 2), sps.norm.ppf(power)
    pbar = (p1 + p2) / 2
    n = (za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
    return int(np.ceil(n / (p2 - p1) ** 2))


@pytest.mark.parametrize("baseline, mde, alpha, power", [
    (0.10, 0.05, 0.05, 0.8), (0.02, 0.10, 0.05, 0.9), (0.5, -0.02, 0.01, 0.8), (0.3, 0.2, 0.1, 0.5)])
def test_sample_size_matches_reference(baseline, mde, alpha, power):
    n = ex.sample_size_proportions(baseline, mde, alpha, power)
    assert n == _reference_sample_size(baseline, baseline * (1 + mde), alpha, power)
    # Cohen's h (arcsine) approximation, used by statsmodels' NormalIndPower, agrees within 2%
    h = 2 * np.arcsin(np.sqrt(baseline * (1 + mde))) - 2 * np.arcsin(np.sqrt(baseline))
    n_h = 2 * ((sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(power)) / h) ** 2
    assert n == pytest.approx(n_h, rel=0.02)


def test_sample_size_delivers_its_power_in_simulation():
    # simulate 20,000 experiments at the computed n and count how often the z-test rejects
    baseline, mde = 0.1, 0.1
    n = ex.sample_size_proportions(baseline, mde)
    rng = np.random.default_rng(0)
    x_a = rng.binomial(n, baseline, 20_000)
    x_b = rng.binomial(n, baseline * (1 + mde), 20_000)
    pooled = (x_a + x_b) / (2 * n)
    z = (x_b - x_a) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    power = np.mean(np.abs(z) > sps.norm.ppf(0.975))
    assert power == pytest.approx(0.8, abs=0.015)


def test_sample_size_means_matches_reference():
    for sd, mde in [(1.0, 0.1), (30.0, 1.5), (2.0, -0.5)]:
        z = sps.norm.ppf(0.975) + sps.norm.ppf(0.8)
        assert ex.sample_size_means(sd, mde) == int(np.ceil(2 * (z * sd / mde) ** 2))


# --- monitoring: two-sample KS --------------------------------------------------------------------

from mlsd import monitoring as mo  # noqa: E402


@pytest.mark.filterwarnings("ignore:divide by zero")   # SciPy's kstwo at n = 0 (m = n = 1)
@given(st.integers(1, 400), st.integers(1, 400), st.floats(-1, 1), st.integers(0, 10_000),
       st.booleans())
@settings(max_examples=150, deadline=None)
def test_ks_two_sample_matches_scipy_asymp(m, n, shift, seed, discrete):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0, 1, m), rng.normal(shift, 1, n)
    if discrete:                                  # ties inside and across the samples
        a, b = np.round(a * 2), np.round(b * 2)
    r = mo.ks_two_sample(a.tolist(), b.tolist())
    ref = sps.ks_2samp(a, b, method="asymp")
    assert r["statistic"] == pytest.approx(ref.statistic, abs=1e-12)
    if r["n_effective"] == 0:                     # m = n = 1: SciPy returns nan, we return 1
        assert r["p_value"] == 1.0
    else:
        assert r["p_value"] == pytest.approx(ref.pvalue, abs=1e-6)


@pytest.mark.parametrize("m, n, shift", [(5000, 3000, 0.05), (10_000, 10_000, 0.02), (20_000, 500, 0.1),
                                         (2000, 2000, 0.0), (150, 150, 0.3)])
def test_ks_two_sample_large_samples(m, n, shift):
    rng = np.random.default_rng(m + n)
    a, b = rng.normal(0, 1, m), rng.normal(shift, 1, n)
    r = mo.ks_two_sample(a.tolist(), b.tolist())
    ref = sps.ks_2samp(a, b, method="asymp")
    assert r["statistic"] == pytest.approx(ref.statistic, abs=1e-12)
    assert r["p_value"] == pytest.approx(ref.pvalue, abs=1e-9)
