# One request at a time: how unlike the training orders is it? Three scores fitted on the
# training orders of the delivery-time case study (8 numeric features, days 7-21). Thresholds are
# set on every other order of the clean test week (days 21-28) for a chosen false-alarm rate; the
# other half is held out to measure the false alarms each threshold really raises. Two kinds of
# unusual requests, both from the case study's simulated world:
#   - storm: the orders of the two storm evenings of the monitoring week (rain 8-12 mm/h;
#     training never saw more than 4), as the generator made them;
#   - busy zone: the held-out clean orders with SHIFT more open orders in the kitchen and SHIFT
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
fit_half, held_out = clean[::2], clean[1::2]  # thresholds from one half, false alarms on the other
storm = [list(X[i]) for i in d.window(28, 35) if int(w.t[i]) in d.STORM_DAYS and 17 <= w.t[i] % 1 * 24 < 23]
load, couriers, dist = (d.FEATURES.index(n) for n in ("kitchen_load", "couriers_idle", "distance_km"))


def busy(x):
    x = list(x)
    for j, extra in ((load, SHIFT), (couriers, SHIFT), (dist, 1.5)):
        x[j] = min(high[j], x[j] + extra)
    return x


zone = [busy(x) for x in held_out]
scorers = {"per-feature z-score": novelty.ZScore().fit(train),
           "Mahalanobis": novelty.Mahalanobis().fit(train),
           "nearest neighbour": novelty.NearestNeighbour(k=1).fit(train[::12])}   # 1 training row in 12
d_feat, n_ref = len(train[0]), len(train[::12])
work = {"per-feature z-score": d_feat, "Mahalanobis": d_feat * (d_feat + 1) // 2 + d_feat,
        "nearest neighbour": n_ref * d_feat}                     # multiply-adds per request


def flagged_share(scores, threshold):
    return sum(s > threshold for s in scores) / len(scores)


curves, rows, points = {}, [], []
for name, s in scorers.items():
    fit_scores = [s.score(x) for x in fit_half]
    held, shifted, stormy = ([s.score(x) for x in xs] for xs in (held_out, zone, storm))
    curves[name] = []
    for rate in RATES:
        t = novelty.threshold_at(fit_scores, rate)
        fa, det = flagged_share(held, t), flagged_share(shifted, t)
        curves[name].append((fa, det))
        points.append({"false alarms (%)": round(100 * fa, 2), "detected": round(det, 4), "score": name})
        if rate == 0.01:
            rows.append({"score": name, "false alarms (held out)": round(fa, 4),
                         "storm detected": round(flagged_share(stormy, t), 4),
                         "busy zone detected": round(det, 4), "work per request": work[name]})
show.table(rows, title="At a threshold set for 1 % false alarms")
show.chart({"data": {"values": points}, "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "false alarms (%)", "type": "quantitative",
                               "title": "false alarms measured on held-out clean orders (%)"},
                         "y": {"field": "detected", "type": "quantitative", "title": "busy-zone orders detected"},
                         "color": {"field": "score", "type": "nominal", "title": None},
                         "order": {"field": "false alarms (%)"}},
            "width": "container", "height": 240}, title=f"Detection against false alarms (SHIFT = {SHIFT})")
print(f"{len(storm)} storm orders, {len(zone)} busy-zone orders; thresholds from {len(fit_half)} clean orders, "
      f"false alarms on {len(held_out)} others; nearest neighbour computed "
      f"{scorers['nearest neighbour'].distance_computations:,} distances")
for k in (RATES.index(0.05), RATES.index(0.2)):
    print(f"threshold for {RATES[k]:.0%}: " + ", ".join(
        f"{name} {c[k][1]:.0%} detected at {c[k][0]:.1%} false alarms" for name, c in curves.items()))

def detected_at(curve, fa):
    """Detection of a curve at false-alarm rate fa, read off straight lines between its points
    (from (0, 0)); None past its last point."""
    pts = [(0.0, 0.0)] + sorted(curve)
    for (f0, d0), (f1, d1) in zip(pts, pts[1:]):
        if f0 <= fa <= f1:
            return d1 if f1 == f0 else d0 + (d1 - d0) * (fa - f0) / (f1 - f0)
    return None


by = {r["score"]: r for r in rows}
z, m = curves["per-feature z-score"], curves["Mahalanobis"]
assert all(r["storm detected"] == 1.0 for r in rows), "every score flags every storm order: rain is out of range"
assert all(r["false alarms (held out)"] <= 0.02 for r in rows), "a 1 % threshold raises at most 2 % false alarms held out"
assert by["per-feature z-score"]["false alarms (held out)"] < 0.005, \
    "the prose says the per-feature score's 1 % threshold raises (almost) no false alarm: its top values tie"
assert by["per-feature z-score"]["busy zone detected"] < 0.02 < 0.05 < by["Mahalanobis"]["busy zone detected"], \
    "the prose quotes 1.2 % (per-feature) against 8.3 % (Mahalanobis) of busy-zone orders at 1 %"
assert all(detected_at(m, fa) > det for fa, det in z if fa >= 0.01 and detected_at(m, fa) is not None), \
    "from 1 % false alarms up, Mahalanobis's curve lies above the per-feature one"
assert by["Mahalanobis"]["busy zone detected"] < 0.5, "at 1 % false alarms even Mahalanobis misses most busy-zone orders"
assert work["nearest neighbour"] > 40 * work["Mahalanobis"], "nearest neighbour costs far more work per request"
