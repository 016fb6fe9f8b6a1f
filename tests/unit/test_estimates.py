"""Unit and property tests for mlsd.estimates."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import estimates as est


def test_qps():
    r = est.qps(100_000_000, 20, peak_factor=3)
    assert r["requests_per_day"] == 2e9
    assert r["average_qps"] == pytest.approx(2e9 / 86_400)
    assert r["peak_qps"] == pytest.approx(3 * 2e9 / 86_400)
    assert est.qps(86_400, 1, peak_factor=1)["peak_qps"] == 1.0


def test_storage_and_memory():
    assert est.storage(1000, 2.5, replication=3)["bytes"] == 7500
    r = est.embedding_memory(100_000_000, 128)                 # float32
    assert r["vector_bytes"] == 51.2e9 and r["size"] == "51.2 GB"
    half = est.embedding_memory(100_000_000, 128, bytes_per_value=2)
    assert half["total_bytes"] == r["total_bytes"] / 2
    hnsw = est.embedding_memory(1_000_000, 64, overhead_bytes_per_item=2 * 16 * 4)
    assert hnsw["total_bytes"] == 1_000_000 * (64 * 4 + 128)
    logs = est.log_storage(1e9, 100, retention_days=30, replication=3)
    assert logs["bytes_per_day"] == 1e11 and logs["bytes"] == 9e12 and logs["size"] == "9 TB"


def test_machines_for_memory():
    assert est.machines_for_memory(40e9, 64, 0.7)["machines"] == 1
    r = est.machines_for_memory(100e9, 64, 0.7)
    assert r["machines"] == math.ceil(100 / (64 * 0.7)) == 3 and r["fits_on_one"] is False


def test_latency_budget():
    r = est.latency_budget({"retrieval": 20, "features": 15, "ranking": 40}, 100)
    assert r["total_ms"] == 75 and r["slack_ms"] == 25 and r["fits"] is True
    assert [row["stage"] for row in r["rows"]] == ["retrieval", "features", "ranking"]
    assert r["rows"][2]["share"] == 0.4
    assert est.latency_budget({"a": 60, "b": 50}, 100)["fits"] is False


def test_servers_needed():
    r = est.servers_needed(10_000, 500, target_utilization=0.5, spares=2)
    assert r["for_load"] == 40 and r["servers"] == 42
    assert est.servers_needed(1, 1000)["servers"] == 2          # one for the load, one spare
    # rounding in peak / (qps * utilization) must not add a server
    assert est.servers_needed(1999.0, 1999.0, 1 / 3, spares=0)["for_load"] == 3


@given(st.floats(1, 1e7), st.floats(1, 1e4), st.floats(0.05, 1))
@settings(deadline=None)
def test_servers_cover_the_peak(peak, per_server, util):
    r = est.servers_needed(peak, per_server, util, spares=0)
    assert r["for_load"] * per_server * util >= peak * (1 - 1e-12)
    assert (r["for_load"] - 1) * per_server * util < peak


def test_formatting():
    assert est.format_bytes(999) == "999 B"
    assert est.format_bytes(1500) == "1.5 KB"
    assert est.format_bytes(64e9) == "64 GB"
    assert est.format_bytes(2.5e15) == "2.5 PB"
    assert est.format_count(1_234_567) == "1.23M"
    assert est.format_count(3_000) == "3K"
    assert est.format_count(12) == "12"
    assert est.format_count(-2e9) == "-2B"


def test_as_rows():
    rows = est.as_rows(est.latency_budget({"a": 1}, 10))
    assert {"quantity": "total_ms", "value": 1.0} in rows
    assert all(r["quantity"] != "rows" for r in rows)


@pytest.mark.parametrize("call, exc, message", [
    (lambda: est.qps(0, 10), ValueError, "^daily_active_users must be > 0"),
    (lambda: est.qps(10, "3"), TypeError, "^requests_per_user must be a number"),
    (lambda: est.qps(10, 3, peak_factor=0.5), ValueError, "^peak_factor must be >= 1"),
    (lambda: est.storage(0, 10), ValueError, "^n_items must be a positive integer"),
    (lambda: est.storage(10, 10, replication=0), ValueError, "^replication must be a positive"),
    (lambda: est.embedding_memory(10, 0), ValueError, "^dim must be a positive integer"),
    (lambda: est.embedding_memory(10, 8, bytes_per_value=float("nan")), ValueError, "^bytes_per_value must be finite"),
    (lambda: est.embedding_memory(10, 8, overhead_bytes_per_item=-1), ValueError, "^overhead_bytes_per_item must be >= 0"),
    (lambda: est.log_storage(10, 10, 0), ValueError, "^retention_days must be a positive"),
    (lambda: est.machines_for_memory(1e9, usable_fraction=0), ValueError, "^usable_fraction must be a probability"),
    (lambda: est.latency_budget({}, 100), TypeError, "^stages must be a non-empty dict"),
    (lambda: est.latency_budget({"a": -1}, 100), ValueError, r"^stages\['a'\] must be >= 0"),
    (lambda: est.latency_budget({"a": 1}, 0), ValueError, "^budget_ms must be > 0"),
    (lambda: est.servers_needed(100, 10, target_utilization=1.5), ValueError, "^target_utilization must be"),
    (lambda: est.servers_needed(100, 10, spares=-1), ValueError, "^spares must be a non-negative"),
    (lambda: est.format_bytes(-1), ValueError, "^n must be >= 0"),
    (lambda: est.as_rows({}), TypeError, "^result must be a non-empty dict"),
])
def test_bad_input_names_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_request_load_and_its_rows():
    load = est.request_load(requests_per_day=86_400 * 1_000, peak_factor=3, scored_per_request=500,
                                  logged_per_request=10, bytes_per_row=200)
    assert load["mean_qps"] == 1_000 and load["peak_qps"] == 3_000
    assert load["scores_per_second"] == 1_500_000
    assert load["log_rows_per_day"] == 864_000_000 and load["log_bytes_per_day"] == 172_800_000_000
    rows = est.load_rows(load, unit="feed loads")
    assert [r["quantity"] for r in rows] == [
        "feed loads per day", "feed loads per second, mean / peak", "model scores per second at peak",
        "log rows per day / log size per day"]
    assert rows[1]["value"] == "1,000 / 3,000" and rows[3]["value"] == "864M / 173 GB"
    quiet = est.request_load(requests_per_day=1e6)
    assert len(est.load_rows(quiet)) == 3      # nothing logged, no log row


@pytest.mark.parametrize("kwargs, message", [
    ({"requests_per_day": 0}, "requests_per_day"),
    ({"requests_per_day": 1e6, "peak_factor": 0.5}, "peak_factor must be >= 1"),
    ({"requests_per_day": 1e6, "logged_per_request": -1}, "must be >= 0"),
])
def test_request_load_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        est.request_load(**kwargs)


def test_load_rows_wants_a_request_load():
    with pytest.raises(TypeError, match="request_load"):
        est.load_rows({"mean_qps": 1})
