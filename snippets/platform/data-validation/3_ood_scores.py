# One request at a time: how unlike the training orders is it? Three scores fitted on the
# training orders of the delivery-time case study (8 numeric features, days 7-21), thresholds
# set on clean orders (the test week, days 21-28) for a chosen false-alarm rate, and two kinds
# of unusual requests:
#   - storm: real orders from the two storm evenings of the monitoring week (rain 8-12 mm/h;
#     training never saw more than 4);
#   - busy zone: the test week's orders with SHIFT more open orders in the kitchen and SHIFT
#     more idle couriers, and 1.5 km longer trips, each value kept inside its training range.
#     In training a busy kitchen comes with few idle couriers; here both are high.
from casestudies import delivery_time_estimation as d
from mlsd import novelty, show

SHIFT = 3                                   # try 1 or 5: how far the busy zone moves
RATES = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]  # false-alarm rates to set thresholds at

X, w = d.features(), d.world()
train = [list(X[i]) for i in d.window(7, 21)]
high = [max(col) for col in zip(*train)]
clean = [list(X[i]) for i in d.window(21, 28)]
storm = [list(X[i]) for i in d.window(28, 35) if int(w.t[i]) in d.STORM_DAYS and 17 <= w.t[i] % 1 * 24 < 23]
load, couriers, dist = (d.FEATURES.index(n) for n in ("kitchen_load", "couriers_idle", "distance_km"))


def busy(x):
    x = list(x)
    for j, extra in ((load, SHIFT), (couriers, SHIFT), (dist, 1.5)):
        x[j] = min(high[j], x[j] + extra)
    return x


zone = [busy(x) for x in clean]
scorers = {"per-feature z-score": novelty.ZScore().fit(train),
           "Mahalanobis": novelty.Mahalanobis().fit(train),
           "nearest neighbour": novelty.NearestNeighbour(k=1).fit(train[::12])}   # 1 training row in 12
d_feat, n_ref = len(train[0]), len(train[::12])
work = {"per-feature z-score": d_feat, "Mahalanobis": d_feat * (d_feat + 1) // 2 + d_feat,
        "nearest neighbour": n_ref * d_feat}                     # multiply-adds per request

curves, rows = {}, []
for name, s in scorers.items():
    c = [s.score(x) for x in clean[::2]]                          # every other clean order: budget
    zc = novelty.detection_curve(c, [s.score(x) for x in zone[::2]], RATES)
    sc = novelty.detection_curve(c, [s.score(x) for x in storm], [0.01])[0]
    curves[name] = [round(r["detected"], 4) for r in zc]
    at1 = zc[RATES.index(0.01)]
    rows.append({"score": name, "false alarms (clean)": round(at1["false alarms"], 4),
                 "storm detected": round(sc["detected"], 4), "busy zone detected": round(at1["detected"], 4),
                 "work per request": work[name]})
show.table(rows, title="At a threshold set for 1 % false alarms on clean orders")
show.line_chart([r * 100 for r in RATES], curves, x_title="false alarms on clean orders (%)",
                y_title="busy-zone orders detected", title=f"Detection against false alarms (SHIFT = {SHIFT})")
print(f"{len(storm)} storm orders, {len(zone[::2])} busy-zone and {len(clean[::2])} clean orders scored; "
      f"nearest neighbour computed {scorers['nearest neighbour'].distance_computations:,} distances")

last = RATES[-1]
print(f"at {last:.0%} false alarms the busy zone is detected by: " +
      ", ".join(f"{name} {c[-1]:.0%}" for name, c in curves.items()))

by = {r["score"]: r for r in rows}
assert all(r["storm detected"] == 1.0 for r in rows), "every score flags every storm order: rain is out of range"
assert all(r["false alarms (clean)"] <= 0.01 for r in rows), "thresholds keep false alarms at or under 1 %"
assert by["Mahalanobis"]["busy zone detected"] > 2 * by["per-feature z-score"]["busy zone detected"], \
    "Mahalanobis catches more than twice as many busy-zone orders as the per-feature check"
assert all(m > z for m, z in zip(curves["Mahalanobis"], curves["per-feature z-score"])), \
    "Mahalanobis beats the per-feature check at every false-alarm rate"
assert by["Mahalanobis"]["busy zone detected"] < 0.5, "at 1 % false alarms even Mahalanobis misses most busy-zone orders"
assert work["nearest neighbour"] > 40 * work["Mahalanobis"], "nearest neighbour costs far more work per request"
