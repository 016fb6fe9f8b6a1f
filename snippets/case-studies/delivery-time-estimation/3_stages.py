# Three stages, three models, three signals. Each stage model (gradient-boosted trees, squared
# loss) trains on days 7-21 and is tested on days 21-28; then the same model without its
# real-time signal shows what that signal is worth where it matters.
import statistics

from mlsd import show
from mlsd.regression import mean_absolute_error as mae
from casestudies import delivery_time_estimation as dte

w = dte.world()
test = dte.window(dte.TRAIN_END, dte.TEST_END)
models, blinds = dte.stage_models(), dte.stage_models(realtime=False)
where = {"prep": ("kitchen load >= 6", lambda i: w.kitchen_load[i] >= 6),
         "pickup": ("at most 1 idle courier", lambda i: w.couriers_idle[i] <= 1),
         "travel": ("raining", lambda i: w.rain_mm[i] > 0.5)}
rows = {}
for stage in dte.STAGES:
    y = [getattr(w, stage)[i] for i in test]
    signal = dte.REALTIME[stage]
    full = models[stage].predict(test)
    blind = blinds[stage].predict(test)
    label, cond = where[stage]
    ks = [k for k, i in enumerate(test) if cond(i)]
    yk = [y[k] for k in ks]
    rows[stage] = {"stage": stage, "real-time signal": signal,
                   "MAE": round(mae(y, full), 2), "MAE, no signal": round(mae(y, blind), 2),
                   "MAE if predicting the mean": round(mae(y, [statistics.fmean(y)] * len(y)), 2),
                   "where it matters": f"{label} ({len(ks)} orders)",
                   "there: MAE": round(mae(yk, [full[k] for k in ks]), 2),
                   "there: MAE, no signal": round(mae(yk, [blind[k] for k in ks]), 2),
                   "there: late by, no signal": round(statistics.fmean(yk[j] - blind[k] for j, k in enumerate(ks)), 2)}
show.table(list(rows.values()), title="Stage models on the test week (minutes)")

y = [w.total[i] for i in test]
summed = dte.expected_total(test)
direct = dte.train_total("squared").predict(test)
print(f"whole delivery: sum of the three stage models MAE {mae(y, summed):.2f} min, "
      f"one model of the total {mae(y, direct):.2f} min")

prep, pickup, travel = rows.values()
for r in rows.values():
    assert r["MAE"] < r["MAE if predicting the mean"]
    assert r["there: MAE"] < r["there: MAE, no signal"]             # the signal pays where it acts
assert prep["there: MAE, no signal"] - prep["there: MAE"] > 0.3 and prep["there: late by, no signal"] > 2
assert pickup["MAE, no signal"] > 0.9 * pickup["MAE if predicting the mean"]   # barely beats the mean
overall_gain = travel["MAE, no signal"] - travel["MAE"]
rain_gain = travel["there: MAE, no signal"] - travel["there: MAE"]
assert overall_gain < 0.35 * rain_gain, \
    f"rain is rare: its signal should show in the rain slice, not overall ({overall_gain:.2f} vs {rain_gain:.2f})"
assert pickup["MAE, no signal"] > 1.2 * pickup["MAE"]                # couriers drive the pickup wait
assert pickup["there: late by, no signal"] > 1.0 and travel["there: late by, no signal"] > 0.5
assert prep["MAE"] > travel["MAE"] > pickup["MAE"]                   # the kitchen is hardest to predict
assert mae(y, summed) < mae(y, direct)                               # stages beat one model here
