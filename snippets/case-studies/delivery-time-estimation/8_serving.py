# The serving path at checkout: read the features (nightly restaurant profile, kitchen load,
# idle couriers, rain) -> three stage models -> three quantile models -> the promise and the
# range shown. Timed stage by stage over day 22; then the updates pushed during delivery.

from mlsd import serving, show
from mlsd.regression import mean_absolute_error as mae
from casestudies import delivery_time_estimation as dte

w, X = dte.world(), dte.features()
stages = dte.stage_models()
quantiles = {"promise": dte.quantile_model(0.75), "low": dte.quantile_model(0.1),
             "high": dte.quantile_model(0.9)}
day = dte.window(22.0, 23.0)
profile = {w.restaurant[i]: X[i][0] for i in day}             # the nightly job's table
stores = {"profile": profile, "kitchen": {}, "couriers": {}, "rain_mm": 0.0}
times = {s: [] for s in dte.SERVE_STAGES}
offline = dte.quantile_total(day, 0.75)
skew, nodes, lookups = 0.0, 0, 0
for k, i in enumerate(day):
    r = w.restaurant[i]
    stores["kitchen"][r], stores["couriers"][r] = w.kitchen_load[i], w.couriers_idle[i]   # streams
    stores["rain_mm"] = w.rain_mm[i]
    out = dte.serve({"restaurant": r, "items": w.items[i], "distance_km": w.distance_km[i],
                     "apartment": w.apartment[i], "hour": X[i][3]}, stores, stages, quantiles)
    for s, ms in out["ms"].items():
        times[s].append(ms)
    skew = max(skew, max(abs(a - b) for a, b in zip(out["x"], X[i])), abs(out["promise"] - offline[k]))
    nodes, lookups = nodes + out["nodes"], lookups + out["lookups"]
rows = serving.stage_table(times)
show.table(rows, title=f"⏱ {len(day)} checkouts of day 22, in-process", varies=True)
print(f"per checkout: {lookups / len(day):g} store reads, at most {nodes / len(day):g} tree nodes "
      f"(6 models); served features and promises equal the offline ones: {skew < 1e-9}")

# During delivery the finished stages drop out: the estimate gets better as the order moves.
test = dte.window(dte.TRAIN_END, dte.TEST_END)
parts = {s: m.predict(test) for s, m in stages.items()}
updates = []
for event, left in [("checkout", dte.STAGES), ("food ready", dte.STAGES[1:]), ("picked up", dte.STAGES[2:])]:
    actual = [sum(getattr(w, s)[i] for s in left) for i in test]
    est = [sum(parts[s][k] for s in left) for k in range(len(test))]
    n_models = len(left)
    updates.append({"event": event, "stages left": " + ".join(left), "models run": n_models,
                    "mean minutes left": round(sum(actual) / len(actual), 1),
                    "MAE of the arrival time (min)": round(mae(actual, est), 2)})
show.table(updates, title="Updated estimates during delivery, test week")

checkout, ready, picked = updates
assert skew < 1e-9                                               # no training-serving skew
assert lookups == 4 * len(day) and nodes == len(day) * (3 * 20 * 4 + 3 * 15 * 4)
assert checkout["MAE of the arrival time (min)"] > ready["MAE of the arrival time (min)"] \
    > picked["MAE of the arrival time (min)"]
assert ready["MAE of the arrival time (min)"] < 0.7 * checkout["MAE of the arrival time (min)"]
