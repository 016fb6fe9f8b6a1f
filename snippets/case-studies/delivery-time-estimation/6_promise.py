# The promise and its interval. The challenger adds a quantile model of the residual to the
# stage models' expected time: the 0.75-quantile is the promise, the 0.1 and 0.9 quantiles an
# 80 % interval. The incumbent promises its table's mean plus the constant buffer that was
# cheapest on the training weeks. Coverage is checked on the later, held-out test week.
import statistics

from mlsd import show
from mlsd.regression import coverage
from mlsd.stats import quantile
from casestudies import delivery_time_estimation as dte

w = dte.world()
train, test = dte.window(dte.WARMUP, dte.TRAIN_END), dte.window(dte.TRAIN_END, dte.TEST_END)
y, y_train = [w.total[i] for i in test], [w.total[i] for i in train]
buffer = dte.best_buffer(y_train, dte.baseline_estimate(train))
promises = {f"incumbent: table + {buffer:g} min": [e + buffer for e in dte.baseline_estimate(test)],
            "challenger: stages + residual 0.75-quantile": dte.quantile_total(test, 0.75)}
rows = []
for name, p in promises.items():
    c = dte.business_cost(y, p)
    rows.append({"promise": name, "mean promise (min)": round(c["mean_promise"], 1),
                 "late > 5 min": round(c["late_5"], 3), "late > 10 min": round(c["late_10"], 3),
                 "cost per order ($)": round(c["per_order"], 3)})
show.table(rows, title="The promise at checkout, test week")

expected = dte.expected_total(test)
res = [w.total[i] - e for i, e in zip(train, dte.expected_total(train))]
lo_c, hi_c = quantile(res, 0.1), quantile(res, 0.9)       # one width for every order
low, high = dte.quantile_total(test, 0.1), dte.quantile_total(test, 0.9)
groups = {"all orders": range(len(test)),
          "far (> 4.5 km)": [k for k, i in enumerate(test) if w.distance_km[i] > 4.5],
          "near (< 1.5 km)": [k for k, i in enumerate(test) if w.distance_km[i] < 1.5],
          "raining": [k for k, i in enumerate(test) if w.rain_mm[i] > 0.5]}
cov = []
for name, ks in groups.items():
    yk = [y[k] for k in ks]
    cov.append({"orders": name, "n": len(yk),
                "coverage, quantile models": round(coverage(yk, [low[k] for k in ks], [high[k] for k in ks]), 3),
                "width (min)": round(statistics.fmean(high[k] - low[k] for k in ks), 1),
                "coverage, constant width": round(coverage(yk, [expected[k] + lo_c for k in ks],
                                                           [expected[k] + hi_c for k in ks]), 3),
                "constant width (min)": round(hi_c - lo_c, 1)})
show.table(cov, title="80 % interval on the held-out week: conditional against constant width")

inc, ch = rows
print(f"orders more than 10 minutes late: {inc['late > 10 min']:.1%} -> {ch['late > 10 min']:.1%}, "
      f"with a shorter average promise ({inc['mean promise (min)']} -> {ch['mean promise (min)']} min)")
saving = 1 - ch["cost per order ($)"] / inc["cost per order ($)"]
print(f"cost per order: ${inc['cost per order ($)']} -> ${ch['cost per order ($)']} ({saving:.0%} lower)")
everyone, far, near, rain = cov
assert ch["late > 10 min"] < 0.6 * inc["late > 10 min"] and ch["late > 5 min"] < inc["late > 5 min"]
assert ch["mean promise (min)"] < inc["mean promise (min)"], "the prose says the promise is shorter too"
assert 0.3 < saving < 0.42, f"the prose says about 36 % cheaper, got {saving:.2f}"
assert 0.74 <= everyone["coverage, quantile models"] <= 0.84                 # close to 80 %
assert everyone["coverage, quantile models"] < 0.8                           # a little under: in-sample residuals
assert far["coverage, quantile models"] > far["coverage, constant width"] + 0.01   # better, still under 80 %
assert far["coverage, constant width"] < 0.74                               # one width misses far orders
assert near["coverage, constant width"] > everyone["coverage, constant width"]  # ... and is too wide near
assert far["width (min)"] > everyone["width (min)"] > near["width (min)"]   # wider where it is less sure
