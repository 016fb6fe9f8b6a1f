"""Unit tests for mlsd.pipeline: the steps, their checks and the promotion rule."""

import math

import pytest

from mlsd import metrics
from mlsd import pipeline as pl
from mlsd.ranking import LogisticRegression


@pytest.fixture(scope="module")
def batches():
    return pl.make_batch(0, 2000, seed=1), pl.make_batch(1, 2000, seed=1)


def test_make_batch_is_seeded_and_has_a_realistic_rate():
    a, b = pl.make_batch(2, 500, seed=3), pl.make_batch(2, 500, seed=3)
    assert a.X == b.X and a.y == b.y
    assert pl.make_batch(2, 500, seed=4).y != a.y
    rate = sum(pl.make_batch(0, 4000).y) / 4000
    assert 0.1 < rate < 0.2
    assert set(a.slice) == {"new users", "returning users"}
    assert all(x[4] == x[2] * x[3] for x in a.X)          # the interaction column


def test_leak_makes_dwell_a_copy_of_the_label():
    leaky = pl.make_batch(0, 1000, leak=True)
    dwell = leaky.column("dwell")
    assert all((d > 0) == bool(y) for d, y in zip(dwell, leaky.y))


def test_validate_passes_a_similar_batch_and_blocks_a_leak(batches):
    ref, cur = batches
    step = pl.validate_batch(cur, ref)
    assert step.passed and step.failed() == []
    leak = pl.validate_batch(pl.make_batch(1, 2000, seed=1, leak=True), ref)
    assert leak.failed() == ["PSI dwell"]


def test_validate_checks_label_rate_and_schema(batches):
    ref, cur = batches
    doubled = pl.Batch(cur.X, [1 if i % 3 == 0 else 0 for i in range(len(cur))], cur.slice)
    assert "label rate" in pl.validate_batch(doubled, ref).failed()
    broken = pl.Batch([x[:] for x in cur.X], cur.y, cur.slice)
    broken.X[0][0] = math.nan
    assert pl.validate_batch(broken, ref).failed() == ["schema"]


def test_train_evaluate_and_recalibration(batches):
    ref, cur = batches
    model = pl.train(ref, "v0")
    ev = pl.evaluate(model, cur)
    assert ev["AUC"] > 0.7 and 0.75 < ev["calibration"] < 1.33
    assert set(ev) == {"AUC", "AUC new users", "AUC returning users", "calibration"}
    raw = pl.train(ref, "raw", pl.TrainingConfig(keep_negatives=0.25, recalibrate=False))
    fixed = pl.train(ref, "fixed", pl.TrainingConfig(keep_negatives=0.25, recalibrate=True))
    assert pl.evaluate(raw, cur)["calibration"] > 1.6            # odds inflated about 4x
    assert 0.75 < pl.evaluate(fixed, cur)["calibration"] < 1.33
    # the correction is monotone: ranking is unchanged
    assert pl.evaluate(raw, cur)["AUC"] == pytest.approx(pl.evaluate(fixed, cur)["AUC"], abs=1e-12)


def test_offline_gates_by_hand():
    prod = {"AUC": 0.80, "AUC a": 0.70, "calibration": 1.0}
    good = {"AUC": 0.805, "AUC a": 0.69, "calibration": 1.1}
    step = pl.offline_gates(good, prod, n_features=6)
    assert step.passed
    assert {c.name: c.passed for c in step.checks}["no regression, a"]          # -0.01 within 0.02
    bad = {"AUC": 0.795, "AUC a": 0.67, "calibration": 1.5}
    assert pl.offline_gates(bad, prod, 6).failed() == ["no regression, a", "calibration"]
    latency = pl.offline_gates(good, prod, 9)                                   # 2 + 9 x 1 ms > 10 ms
    assert latency.failed() == ["latency budget"]
    assert latency.checks[-1].value == 11.0
    assert pl.offline_gates({"AUC": 0.6, "calibration": 1.0}, {"AUC": 0.5, "calibration": 1.0}, 6).failed() == ["minimum AUC"]


def test_canary_catches_a_leaked_model(batches):
    ref, cur = batches
    prod = pl.train(ref, "v0")
    leaked = pl.train(pl.make_batch(1, 2000, seed=2, leak=True), "leak")
    step = pl.canary(leaked, prod, cur, share=0.2)
    assert not step.passed and step.checks[0].value > 1.5
    assert 300 < step.artefact["impressions on the candidate"] < 500       # about 20 % of 2,000
    assert pl.canary(pl.train(cur, "v1"), prod, pl.make_batch(2, 2000, seed=1), share=0.2).passed


def test_run_round_blocks_or_promotes(batches):
    ref, cur = batches
    prod = pl.train(ref, "v0")
    live = pl.make_batch(2, 2000, seed=1)
    ok = pl.run_round(cur, ref, live, prod, "v1")
    assert ok.promoted and ok.blocked_by == "" and ok.serving is ok.candidate
    leak = pl.run_round(pl.make_batch(1, 2000, seed=1, leak=True), ref, live, prod, "v1")
    assert not leak.promoted and leak.serving is prod and leak.blocked_by.startswith("validate data")
    ungated = pl.run_round(pl.make_batch(1, 2000, seed=1, leak=True), ref, live, prod, "v1", use_gates=False)
    assert ungated.promoted


def test_paired_bootstrap_by_hand():
    y = [0, 0, 1, 1]
    a, b = [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]            # a perfect, b reversed
    r = pl.paired_bootstrap(y, a, b, n_boot=50)
    assert r["delta"] == -1.0 and r["ci_high"] == -1.0 and r["se"] == 0.0
    same = pl.paired_bootstrap(y, a, a, n_boot=50)
    assert same["delta"] == 0 and same["ci_low"] == same["ci_high"] == 0


def test_paired_bootstrap_with_another_metric():
    y = [0, 1, 0, 1, 1, 0]
    a, b = [0.2, 0.7, 0.4, 0.6, 0.9, 0.1], [0.5] * 6
    r = pl.paired_bootstrap(y, a, b, metric=metrics.log_loss, n_boot=30)
    assert r["delta"] == pytest.approx(metrics.log_loss(y, b) - metrics.log_loss(y, a))
    assert r["ci_low"] <= r["ci_high"]


def test_promote_margin_rule():
    assert pl.promote(0.02, 0.01) and not pl.promote(0.01, 0.01) and not pl.promote(-0.001, 0.0)
    assert pl.promote(-0.005, -0.01)                              # a non-inferiority margin


@pytest.mark.parametrize("call, match", [
    (lambda: pl.make_batch(0, 0), "n"),
    (lambda: pl.make_batch(0, 10, drift=-1), "drift"),
    (lambda: pl.validate_batch([1], pl.make_batch(0, 100)), "batch"),
    (lambda: pl.validate_batch(pl.make_batch(0, 100), pl.make_batch(0, 100), max_psi=0), "max_psi"),
    (lambda: pl.validate_batch(pl.make_batch(0, 100), pl.make_batch(0, 100), label_rate_factor=0.5), "label_rate_factor"),
    (lambda: pl.train(pl.make_batch(0, 100), "v", config="all"), "config"),
    (lambda: pl.train(pl.make_batch(0, 100), "v", pl.TrainingConfig(features=("age",))), "config.features"),
    (lambda: pl.train(pl.make_batch(0, 100), "v", pl.TrainingConfig(keep_negatives=0)), "keep_negatives"),
    (lambda: pl.train(pl.make_batch(0, 100), "v", pl.TrainingConfig(keep_negatives=1.5)), "keep_negatives"),
    (lambda: pl.offline_gates([], {}, 6), "candidate"),
    (lambda: pl.offline_gates({"AUC": 1}, {"AUC": 1}, 0), "n_features"),
    (lambda: pl.offline_gates({"AUC": 1}, {"AUC": 1}, 6, gates={"tolerance": 0.01}), "gates"),
    (lambda: pl.paired_bootstrap([0, 1], [0.1], [0.2, 0.3]), "score_a"),
    (lambda: pl.paired_bootstrap([0, 1], [0.1, 0.2], [0.2, 0.3], n_boot=5), "n_boot"),
    (lambda: pl.paired_bootstrap([0, 1], [0.1, 0.2], [0.2, 0.3], alpha=0), "alpha"),
    (lambda: pl.paired_bootstrap([0, 1], [0.1, 0.2], [0.2, 0.3], metric=3), "metric"),
    (lambda: pl.promote("0.1", 0), "delta"),
    (lambda: pl.promote(0.1, math.nan), "margin"),
    (lambda: pl.Batch([[0.0] * 6], [0, 1], ["a", "b"]) and pl.validate_batch(pl.Batch([[0.0] * 6], [0, 1], ["a", "b"]), pl.make_batch(0, 100)), "batch"),
    (lambda: pl.evaluate(pl.train(pl.make_batch(0, 100), "v"), pl.Batch([[0.0] * 6], [0], ["a"])), "holdout"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_logits_and_predict_agree(batches):
    ref, cur = batches
    model = pl.train(ref, "v0")
    z, p = model.logits(cur.X[:50]), model.predict(cur.X[:50])
    assert all(abs(1 / (1 + math.exp(-zi)) - pi) < 1e-12 for zi, pi in zip(z, p))
    untrained = pl.Model("v", pl.TrainingConfig(), LogisticRegression())
    with pytest.raises(ValueError, match="not trained"):
        untrained.logits(cur.X[:1])
