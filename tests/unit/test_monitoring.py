"""Unit and property tests for mlsd.monitoring (SciPy cross-checks live in tests/crosscheck)."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import monitoring as mo


def gauss(n, mu=0.0, sd=1.0, seed=0):
    rng = random.Random(seed)
    return [rng.gauss(mu, sd) for _ in range(n)]


# --- PSI -----------------------------------------------------------------------------------------

def test_psi_by_hand():
    reference = list(range(100))                       # quartile bins of 25 values each
    current = [10] * 50 + [60] * 50                    # half in bin 1, half in bin 3
    rows = mo.psi_table(reference, current, n_bins=4)
    assert [r["reference_share"] for r in rows] == [0.25] * 4
    assert [r["current_share"] for r in rows] == [0.5, 0.0, 0.5, 0.0]
    eps = 1e-4
    expected = 2 * (0.25 * math.log(2)) + 2 * ((eps - 0.25) * math.log(eps / 0.25))
    assert mo.psi(reference, current, n_bins=4) == pytest.approx(expected, rel=1e-12)
    assert rows[0]["low"] is None and rows[-1]["high"] is None
    assert rows[0]["high"] == rows[1]["low"]


def test_psi_same_distribution_is_small_and_shift_is_large():
    ref = gauss(5000, seed=1)
    assert mo.psi(ref, gauss(5000, seed=2)) < 0.02
    assert mo.psi(ref, gauss(5000, mu=0.5, seed=3)) > 0.2
    assert mo.psi(ref, ref) == 0.0


def test_psi_eps_caps_empty_bins():
    ref = list(range(100))
    far = [1000.0] * 50                                 # every current value in the last bin
    small, large = mo.psi(ref, far, eps=1e-6), mo.psi(ref, far, eps=1e-2)
    assert math.isfinite(small) and small > large


def test_psi_with_ties_uses_fewer_bins():
    ref = [0] * 50 + [1] * 50                           # a binary feature: only one cut point
    rows = mo.psi_table(ref, [1] * 100, n_bins=10)
    assert len(rows) == 2
    assert mo.psi(ref, [0] * 50 + [1] * 50) == 0.0


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=60),
       st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=60), st.integers(2, 12))
@settings(deadline=None, max_examples=80)
def test_psi_properties(ref, cur, n_bins):
    rows = mo.psi_table(ref, cur, n_bins=n_bins)
    assert sum(r["reference_share"] for r in rows) == pytest.approx(1.0)
    assert sum(r["current_share"] for r in rows) == pytest.approx(1.0)
    assert all(r["contribution"] >= 0 for r in rows)   # each term (c - r) ln(c / r) is >= 0
    assert mo.psi(ref, cur, n_bins) >= 0


def test_psi_categorical():
    ref = ["a"] * 50 + ["b"] * 50
    assert mo.psi_categorical(ref, ["b"] * 50 + ["a"] * 50) == 0.0
    value = mo.psi_categorical(ref, ["a"] * 80 + ["b"] * 20)
    assert value == pytest.approx((0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5))
    assert mo.psi_categorical(ref, ["c"] * 10) > 1.0   # an unseen category is a big change


# --- KS ------------------------------------------------------------------------------------------

def test_ks_by_hand():
    r = mo.ks_two_sample([1, 2, 3, 4], [3, 4, 5, 6])
    assert r["statistic"] == 0.5                       # at x = 2: F_a = 0.5, F_b = 0
    assert r["n_effective"] == 2
    assert mo.ks_two_sample([1, 2], [1, 2])["statistic"] == 0.0
    assert mo.ks_two_sample([1, 2], [5, 6])["statistic"] == 1.0
    assert mo.ks_two_sample([1, 2], [5, 6])["p_value"] < 1.0


def test_ks_detects_a_shift():
    ref = gauss(2000, seed=4)
    assert mo.ks_two_sample(ref, gauss(2000, seed=5))["p_value"] > 0.01
    assert mo.ks_two_sample(ref, gauss(2000, mu=0.2, seed=6))["p_value"] < 1e-4


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=40),
       st.lists(st.integers(-5, 5), min_size=1, max_size=40))
@settings(deadline=None)
def test_ks_statistic_is_the_max_cdf_gap(a, b):
    d = mo.ks_two_sample(a, b)["statistic"]
    brute = max(abs(sum(x <= v for x in a) / len(a) - sum(y <= v for y in b) / len(b)) for v in a + b)
    assert d == pytest.approx(brute, abs=1e-15)
    assert mo.ks_two_sample(b, a)["statistic"] == pytest.approx(d, abs=1e-15)


def test_ks_false_positive_rate_is_near_alpha():
    rng = random.Random(9)
    rejections, trials = 0, 300
    for _ in range(trials):
        a = [rng.random() for _ in range(300)]
        b = [rng.random() for _ in range(300)]
        rejections += mo.ks_two_sample(a, b)["p_value"] < 0.05
    assert abs(rejections / trials - 0.05) < 4 * math.sqrt(0.05 * 0.95 / trials)


# --- detector ------------------------------------------------------------------------------------

def test_detector_waits_for_patience():
    stream = mo.drifting_stream(seed=0)
    eager = mo.run_drift_detector(stream["reference"], stream["windows"], patience=1)
    patient = mo.run_drift_detector(stream["reference"], stream["windows"], patience=3)
    noisy_step = 6                                      # window index 5 holds the outlier burst
    assert eager[noisy_step - 1]["retrain"] is True     # one bad window is enough without patience
    assert not any(r["retrain"] for r in patient[:15])  # no retraining before the drift starts
    assert any(r["retrain"] for r in patient[15:])      # but the real drift triggers it
    first = next(r for r in patient if r["retrain"])
    assert first["streak"] == 3
    assert [r["step"] for r in patient] == list(range(1, 31))


def test_detector_resets_reference_after_retraining():
    ref = gauss(500, seed=1)
    shifted = [gauss(500, mu=2.0, seed=s) for s in range(2, 6)]
    det = mo.DriftDetector(ref, threshold=0.2, patience=2)
    rows = [det.update(w) for w in shifted]
    assert [r["retrain"] for r in rows] == [False, True, False, False]
    assert rows[2]["score"] < 0.2                       # the shifted data is the new normal
    ks = mo.DriftDetector(ref, threshold=0.3, patience=1, metric="ks")
    assert ks.update(shifted[0])["retrain"] is True


def test_drifting_stream_is_seeded():
    a, b = mo.drifting_stream(n_windows=4, window_size=20, seed=3), mo.drifting_stream(n_windows=4, window_size=20, seed=3)
    assert a == b
    assert len(a["windows"]) == 4 and len(a["reference"]) == 40


def test_split_by_label_delay():
    r = mo.split_by_label_delay([0, 1, 2, 3, 4], now=5, label_delay=2)
    assert r["mature"] == [0, 1, 2, 3] and r["pending"] == [4] and r["coverage"] == 0.8
    assert mo.split_by_label_delay([0, 1], now=0, label_delay=0)["mature"] == [0]


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, message", [
    (lambda: mo.psi([], [1.0]), ValueError, "^reference must not be empty"),
    (lambda: mo.psi([1.0], [float("nan")]), ValueError, r"^current\[0\] must be finite"),
    (lambda: mo.psi([1.0], [1.0], n_bins=1), ValueError, "^n_bins must be at least 2"),
    (lambda: mo.psi([1.0], [1.0], eps=0), ValueError, "^eps must be > 0"),
    (lambda: mo.psi([1.0], [1.0], eps=0.5), ValueError, "^eps must be a small share"),
    (lambda: mo.psi("abc", [1.0]), TypeError, "^reference must be a sequence"),
    (lambda: mo.psi_categorical([], ["a"]), ValueError, "^reference must not be empty"),
    (lambda: mo.ks_two_sample([1.0], []), ValueError, "^b must not be empty"),
    (lambda: mo.ks_two_sample([1.0, "x"], [1.0]), TypeError, r"^a\[1\] must be a number"),
    (lambda: mo.DriftDetector([1.0], threshold=0), ValueError, "^threshold must be > 0"),
    (lambda: mo.DriftDetector([1.0], patience=0), ValueError, "^patience must be a positive"),
    (lambda: mo.DriftDetector([1.0], metric="kl"), ValueError, "^metric must be one of"),
    (lambda: mo.DriftDetector([1.0]).update([]), ValueError, "^window must not be empty"),
    (lambda: mo.run_drift_detector([1.0], []), ValueError, "^windows must not be empty"),
    (lambda: mo.drifting_stream(n_windows=0), ValueError, "^n_windows must be a positive"),
    (lambda: mo.drifting_stream(seed="x"), TypeError, "^seed must be an integer"),
    (lambda: mo.split_by_label_delay([1.0], now=1, label_delay=-1), ValueError, "^label_delay must be >= 0"),
    (lambda: mo.split_by_label_delay([], now=1, label_delay=1), ValueError, "^event_times must not be empty"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
