# Negative downsampling: the training log keeps every click and 2 % of the
# non-clicks. The model learns the click rate of that log, not of the feed;
# one formula maps its predictions back.
from mlsd import charts, show
from casestudies import ad_click_prediction as ad

train, test = ad.training_rows(), ad.eval_rows()
raw = ad.predict("LR + crosses", test, calibrated=False)
fixed = [ad.recalibrate(p) for p in raw]          # p / (p + (1 - p) / rate)
true_ctr = sum(test["p_true"]) / len(test["p_true"])
train_ctr = sum(train["labels"]) / len(train["labels"])
print(f"click rate: {train_ctr:.1%} in the training log, {true_ctr:.2%} on test-day traffic")

m_raw, m_fixed = ad.evaluate(test["p_true"], raw), ad.evaluate(test["p_true"], fixed)
show.table([
    {"predictions": "as trained (downsampled)", "mean pCTR": f"{sum(raw) / len(raw):.2%}",
     "calibration": round(m_raw["calibration"], 2), "NE": round(m_raw["NE"], 3), "AUC": round(m_raw["AUC"], 4)},
    {"predictions": "recalibrated", "mean pCTR": f"{sum(fixed) / len(fixed):.2%}",
     "calibration": round(m_fixed["calibration"], 2), "NE": round(m_fixed["NE"], 3), "AUC": round(m_fixed["AUC"], 4)},
], title=f"LR + crosses on test day {ad.TEST_DAY} (calibration = predicted / true clicks)")

# Rounded to 6 decimals: CPython and the browser differ in the last digits of exp and log.
points = [{"model": "recalibrated", "predicted": round(r["predicted"], 6), "observed": round(r["observed"], 6)}
          for r in ad.reliability(test["p_true"], fixed, n_bins=5)]
show.chart(charts.reliability_diagram(points),
           title="Recalibrated predictions against the true click rate, five bins")

assert 0.25 < train_ctr < 0.4 and 0.009 < true_ctr < 0.012
assert m_raw["calibration"] > 20              # as trained, it predicts over twenty times too many clicks
assert 0.9 < m_fixed["calibration"] < 1.15    # recalibrated, within 15 % on a day after training
assert m_raw["NE"] > 3 and m_fixed["NE"] < 1  # worse than the base rate, then better than it
assert abs(m_raw["AUC"] - m_fixed["AUC"]) < 1e-9   # a monotone map: the order, and AUC, are unchanged
