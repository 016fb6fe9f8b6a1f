"""Tests for the library helpers that cells share: quantile calibration bins, the
reliability diagram spec, the time holdout, numeric columns, fit_split and the
click-rate baseline."""

import math
import random

import pytest

from mlsd import charts, metrics, splits
from mlsd.data.clicks import make_clicks
from mlsd.data.recsys import click_rate_model, make_recsys
from mlsd.ranking import GBDT, OneHotEncoder


def test_quantile_bins_hold_equal_counts_and_the_same_totals():
    rng = random.Random(0)
    p = [rng.random() ** 3 for _ in range(103)]
    y = [int(rng.random() < q) for q in p]
    bins = metrics.calibration_bins(y, p, n_bins=10, strategy="quantile")
    assert [b["count"] for b in bins] == [10] * 9 + [13]
    assert sum(b["count"] * b["fraction_positive"] for b in bins) == pytest.approx(sum(y))
    assert sum(b["count"] * b["mean_predicted"] for b in bins) == pytest.approx(math.fsum(p))
    assert all(a["upper"] <= b["lower"] for a, b in zip(bins, bins[1:]))
    # the default is still equal-width bins
    assert metrics.calibration_bins(y, p, n_bins=10) == metrics.calibration_bins(y, p, 10, "uniform")
    with pytest.raises(ValueError, match="^strategy must be one of"):
        metrics.calibration_bins(y, p, strategy="kmeans")
    with pytest.raises(ValueError, match="^n_bins must be <= the number of predictions"):
        metrics.calibration_bins([0, 1], [0.2, 0.7], n_bins=3, strategy="quantile")


def test_reliability_diagram_spec():
    points = [{"model": "m", "predicted": 0.1, "observed": 0.12},
              {"model": "m", "predicted": 0.3, "observed": 0.25}]
    spec = charts.reliability_diagram(points)
    assert spec["data"]["values"] == points
    assert spec["layer"][1]["encoding"]["x2"] == {"datum": 0.3}          # diagonal up to the top
    assert charts.reliability_diagram(points, top=0.5, height=300)["height"] == 300
    with pytest.raises(ValueError, match=r"^points\[0\] must be a dict"):
        charts.reliability_diagram([{"model": "m"}])
    with pytest.raises(ValueError, match="^points must not be empty"):
        charts.reliability_diagram([])


def test_time_holdout_cuts_three_periods_in_time_order():
    log = make_clicks(n=1200, seed=0, base_ctr=0.2)
    data = splits.time_holdout(log.columns(["user_past_ctr", "ad_past_ctr"]), log.labels,
                               log.timestamps, n_train=500, test_fraction=0.25, assume_sorted=True)
    assert len(data.train) == 500 and len(data.test) == 300 and len(data.val) == 400
    assert max(log.timestamps[i] for i in data.train) <= min(log.timestamps[i] for i in data.val)
    assert max(log.timestamps[i] for i in data.val) < min(log.timestamps[i] for i in data.test)
    model = data.fit(GBDT(n_estimators=3))
    assert data.auc(model) == metrics.roc_auc(splits.take(data.y, data.val),
                                              model.predict_proba(splits.take(data.X, data.val)))
    assert 0.5 < data.auc(model, "test") <= 1
    with pytest.raises(ValueError, match="^part must be one of"):
        data.auc(model, "validation")
    with pytest.raises(ValueError, match="^n_train must leave validation rows"):
        splits.time_holdout(data.X, data.y, log.timestamps, n_train=900, test_fraction=0.25)
    with pytest.raises(ValueError, match="^X and y must have the same length"):
        splits.time_holdout(data.X, data.y[:10], log.timestamps, n_train=5)


def test_click_log_columns():
    log = make_clicks(n=50, seed=1)
    cols = log.columns(["ad_quality", "position"])
    i, j = log.numeric_names.index("ad_quality"), log.numeric_names.index("position")
    assert cols == [[row[i], row[j]] for row in log.numeric]
    with pytest.raises(ValueError, match="^names must be numeric features"):
        log.columns(["device"])


def test_fit_split_fits_on_the_training_rows_only():
    records = [{"x": float(i), "c": "a" if i < 6 else "b"} for i in range(10)]
    enc = OneHotEncoder(numeric=["x"], categorical=["c"])
    X_train, X_test = enc.fit_split(records, 6)
    assert len(X_train) == 6 and len(X_test) == 4
    assert X_test == OneHotEncoder(numeric=["x"], categorical=["c"]).fit(records[:6]).transform(records[6:])
    assert all(len(row) == 1 for row in X_test)            # "c=b" was never seen in training
    with pytest.raises(ValueError, match="^cut must leave test rows"):
        enc.fit_split(records, 10)


def test_click_rate_model_learns_the_training_clicks():
    world = make_recsys(n_users=200, n_items=300, n_events=4000, seed=3)
    rows = world.events[:3000]
    score = click_rate_model(world, rows)
    seen = [e for e in rows if e.clicked][:50] + [e for e in rows if not e.clicked][:50]
    auc = metrics.roc_auc([e.clicked for e in seen], [score(e) for e in seen])
    assert auc > 0.8                                      # it has memorized its own rows
    assert 0.5 < metrics.roc_auc([e.clicked for e in world.events[3000:]],
                                 [score(e) for e in world.events[3000:]]) < auc
    with pytest.raises(ValueError, match="^rows must hold clicks and non-clicks"):
        click_rate_model(world, [e for e in rows if not e.clicked])
    with pytest.raises(TypeError, match="^data must be a RecsysData"):
        click_rate_model(rows, rows)
