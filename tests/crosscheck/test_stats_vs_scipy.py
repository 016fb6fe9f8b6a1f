"""Cross-checks of mlsd.stats, mlsd.experiments and mlsd.monitoring against SciPy and NumPy.

SciPy is installed for the tests only; the library itself never imports it.
"""

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats as sps

from mlsd import stats


# --- distributions -------------------------------------------------------------------------

@pytest.mark.parametrize("p", [1e-300, 1e-50, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.03, 0.2, 0.5,
                               0.7, 0.975, 0.99, 0.999999, 1 - 1e-12])
def test_norm_ppf(p):
    assert stats.norm_ppf(p) == pytest.approx(sps.norm.ppf(p), rel=1e-14, abs=1e-15)


@given(st.floats(min_value=-37, max_value=37))
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
def test_kolmogorov_limit(z):
    assert stats.kolmogorov_sf(z) == pytest.approx(sps.kstwobign.sf(z), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 20, 50, 100, 139, 140, 141, 200, 500, 1000, 3000,
                               3001, 5000, 20000])
def test_ks_one_sample_grid(n):
    for d in [0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99]:
        assert stats.ks_one_sample_sf(d, n) == pytest.approx(sps.kstwo.sf(d, n), abs=1e-10), (n, d)


@given(st.integers(min_value=1, max_value=5000), st.floats(min_value=0.0, max_value=1.0))
@settings(max_examples=150, deadline=None)
def test_ks_one_sample_random(n, d):
    assert stats.ks_one_sample_sf(d, n) == pytest.approx(sps.kstwo.sf(d, n), abs=1e-10)


@pytest.mark.parametrize("n", [1, 5, 50, 500, 5000])
def test_smirnov(n):
    for d in [0.001, 0.01, 0.05, 0.1, 0.3, 0.6, 0.95]:
        assert stats.smirnov_sf(d, n) == pytest.approx(special.smirnov(n, d), rel=1e-10, abs=1e-300)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=40),
       st.floats(min_value=0, max_value=1))
def test_quantile_matches_numpy(values, q):
    assert stats.quantile(values, q) == pytest.approx(float(np.quantile(values, q)), rel=1e-12, abs=1e-9)
