# The data: five weeks of food orders in one delivery zone, each with its three stage times
# (preparation, pickup, travel) and the real-time signals known at checkout. Split by time.
import statistics

from mlsd import show
from casestudies import delivery_time_estimation as dte

w = dte.world()
print(f"{len(w):,} orders from {dte.WORLD['n_restaurants']} restaurants over {dte.WORLD['days']} "
      f"days (~{len(w) / dte.WORLD['days']:.0f} a day)")

rows = []
for name, start, end in [("warm-up (profiles only)", 0.0, dte.WARMUP), ("train", dte.WARMUP, dte.TRAIN_END),
                         ("test", dte.TRAIN_END, dte.TEST_END), ("monitoring (storms)", dte.TEST_END, dte.WORLD["days"])]:
    idx = dte.window(start, end)
    total = sorted(w.total[i] for i in idx)
    rows.append({"window": name, "days": f"{start:g}-{end:g}", "orders": len(idx),
                 "median (min)": round(statistics.median(total), 1),
                 "p90 (min)": round(total[int(0.9 * len(total))], 1),
                 "orders in rain": round(sum(w.rain_mm[i] > 0.5 for i in idx) / len(idx), 3),
                 "heaviest rain (mm/h)": max(w.rain_mm[i] for i in idx)})
show.table(rows, title="Orders per time window")

seen = dte.window(dte.WARMUP, dte.TEST_END)      # train + test
total_mean = statistics.fmean(w.total[i] for i in seen)
stages = []
for stage in dte.STAGES:
    v = sorted(getattr(w, stage)[i] for i in seen)
    stages.append({"stage": stage, "mean (min)": round(statistics.fmean(v), 1),
                   "share of the total": round(statistics.fmean(v) / total_mean, 2),
                   "sd (min)": round(statistics.pstdev(v), 1), "p90 (min)": round(v[int(0.9 * len(v))], 1)})
show.table(stages, title="The three stages, days 7-28")

bins = list(range(10, 75, 5))
counts = [sum(b <= w.total[i] < b + 5 for i in seen) for b in bins]
show.bar_chart([f"{b}-{b + 5}" for b in bins], counts, x_title="minutes from order to hand-off",
               y_title="orders", title="Delivery times, days 7-28: a long right tail")

typical = sum(25 <= w.total[i] <= 45 for i in seen) / len(seen)
median = statistics.median(w.total[i] for i in seen)
print(f"{typical:.0%} of orders take 25-45 minutes; the mean ({total_mean:.1f}) sits above the "
      f"median ({median:.1f}) because of the tail")
warm, train, tst, mon = rows
prep, pickup, travel = stages
assert 28 <= train["median (min)"] <= 36 and 0.6 < typical < 0.75  # about two in three: 25-45 minutes
assert total_mean > median                                           # right-skewed
assert prep["share of the total"] > 0.4 and travel["share of the total"] > 0.4
assert pickup["share of the total"] < 0.15                           # small on average ...
assert pickup["sd (min)"] >= 0.9 * pickup["mean (min)"]             # sd about as large as the mean
assert all(pickup["sd (min)"] / pickup["mean (min)"] > 1.5 * s["sd (min)"] / s["mean (min)"]
           for s in (prep, travel))                                 # ... but the most erratic
assert 0.09 < train["orders in rain"] < 0.17 and 0.09 < tst["orders in rain"] < 0.17, \
    "the prose says about one order in eight is placed in rain"
assert max(r["heaviest rain (mm/h)"] for r in rows[:3]) <= dte.DRY_MAX_RAIN
assert mon["heaviest rain (mm/h)"] >= 2 * dte.DRY_MAX_RAIN           # the storms: never seen before
last_train = max(w.t[i] for i in dte.window(dte.WARMUP, dte.TRAIN_END))
assert last_train < dte.TRAIN_END <= min(w.t[i] for i in dte.window(dte.TRAIN_END, dte.TEST_END))
