# The incumbent against the challenger, on the test week (days 21-28). The incumbent is the
# mean delivery time per restaurant and distance band over days 0-21, a table many teams ship
# first. The challenger sums the three stage models; a middle row drops the real-time signals.
import statistics

from mlsd import show
from mlsd.regression import mean_absolute_error as mae
from casestudies import delivery_time_estimation as dte

w = dte.world()
test = dte.window(dte.TRAIN_END, dte.TEST_END)
y = [w.total[i] for i in test]
peak = [k for k, i in enumerate(test) if dte._peak((w.t[i] % 1) * 24) > 0.7]
busy = [k for k, i in enumerate(test) if w.kitchen_load[i] >= 6 or w.couriers_idle[i] <= 1]

rows = []
for name, est in [("incumbent: mean per restaurant x distance band", dte.baseline_estimate(test)),
                  ("stage models, no real-time signals", dte.expected_total(test, realtime=False)),
                  ("challenger: stage models + real-time signals", dte.expected_total(test))]:
    err = [a - e for a, e in zip(y, est)]
    rows.append({"model": name, "MAE (min)": round(mae(y, est), 2),
                 "p90 |error| (min)": round(sorted(abs(e) for e in err)[int(0.9 * len(err))], 1),
                 "off by > 10 min": round(sum(abs(e) > 10 for e in err) / len(err), 3),
                 "MAE at the peaks": round(mae([y[k] for k in peak], [est[k] for k in peak]), 2),
                 "mean error, busy kitchen or few couriers": round(statistics.fmean(err[k] for k in busy), 2)})
show.table(rows, title=f"Expected delivery time, test week: {len(test):,} orders")

inc, blind, ch = rows
lift = 1 - ch["MAE (min)"] / inc["MAE (min)"]
from_signals = (blind["MAE (min)"] - ch["MAE (min)"]) / (inc["MAE (min)"] - ch["MAE (min)"])
print(f"MAE {inc['MAE (min)']} -> {ch['MAE (min)']} min ({lift:.0%} lower); the real-time "
      f"signals bring {from_signals:.0%} of the gain")
assert 0.27 < lift < 0.4, f"the prose says about a third lower, got {lift:.2f}"   # large, not magic
assert inc["MAE (min)"] > blind["MAE (min)"] > ch["MAE (min)"]
assert 0.25 < from_signals < 0.45, f"the prose says about a third of the gain, got {from_signals:.2f}"
assert ch["off by > 10 min"] < 0.5 * inc["off by > 10 min"]
assert inc["mean error, busy kitchen or few couriers"] > 3, "the prose says the table is over 3 minutes short when busy"
assert abs(ch["mean error, busy kitchen or few couriers"]) < 1, "the prose says the challenger is within a minute"
