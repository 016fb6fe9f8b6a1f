# A simulated online test on the test week. Customers are split at random into two arms;
# control sees the incumbent's promise, treatment the challenger's. A longer promise loses
# checkouts (1 % fewer per extra minute, an assumption from the requirements); a converted
# order then takes its real delivery time, which the promise does not change here.
import math
import random

from mlsd import experiments, show
from casestudies import delivery_time_estimation as dte

w = dte.world()
train, test = dte.window(dte.WARMUP, dte.TRAIN_END), dte.window(dte.TRAIN_END, dte.TEST_END)
buffer = dte.best_buffer([w.total[i] for i in train], dte.baseline_estimate(train))
promise = {"control": [e + buffer for e in dte.baseline_estimate(test)],
           "treatment": dte.quantile_total(test, 0.75)}
rng = random.Random(3)
arm_of = ["treatment" if rng.random() < 0.5 else "control" for _ in range(dte.WORLD["n_customers"])]
result = {arm: dict(sessions=0, orders=0, late_10=0, late_min=0.0, promise=0.0) for arm in promise}
for k, i in enumerate(test):
    arm = arm_of[w.customer[i]]
    p = promise[arm][k]
    r = result[arm]
    r["sessions"] += 1
    r["promise"] += p
    if rng.random() < 0.75 * math.exp(-0.01 * (p - 35.0)):       # checkout converts
        r["orders"] += 1
        r["late_10"] += w.total[i] - p > 10
        r["late_min"] += max(0.0, w.total[i] - p)
rows = [{"arm": arm, "checkout visits": r["sessions"], "orders": r["orders"],
         "conversion": round(r["orders"] / r["sessions"], 4),
         "mean promise (min)": round(r["promise"] / r["sessions"], 1),
         "orders late > 10 min": r["late_10"], "late > 10 min share": round(r["late_10"] / r["orders"], 4),
         "minutes late per order": round(r["late_min"] / r["orders"], 2)} for arm, r in result.items()]
show.table(rows, title="Simulated online test, days 21-28, split by customer")

c, t = result["control"], result["treatment"]
late = experiments.proportion_test(c["late_10"], c["orders"], t["late_10"], t["orders"])
conv = experiments.proportion_test(c["orders"], c["sessions"], t["orders"], t["sessions"])
checkout_rate = c["orders"] / c["sessions"]
need = experiments.sample_size_proportions(baseline=checkout_rate, mde=0.01)   # +1 % relative
need_late = experiments.sample_size_proportions(baseline=0.03, mde=-0.3)        # 3 % -> 2.1 %
per_arm = (c["orders"] + t["orders"]) // 2
# The offline gap (cell 6: 3.0 % -> 1.0 % very late) is large, but is this test big enough to see it?
power = experiments.power_proportions(baseline=0.03, mde=0.01 / 0.03 - 1, n_per_arm=per_arm)
city_orders, city_checkouts = 150_000, 150_000 / checkout_rate    # a day of the city (requirements)
print(f"late > 10 min: {late['rate_a']:.1%} -> {late['rate_b']:.1%} ({late['lift']:+.0%}), "
      f"p = {late['p_value']:.2f}; conversion {conv['lift']:+.1%}, p = {conv['p_value']:.2f}")
print(f"power of this test ({per_arm} orders per arm) to detect the offline drop 3% -> 1%: {power:.0%}")
print(f"orders per arm to detect 3% -> 2.1% very late: {need_late:,} ({2 * need_late / city_orders:.0%} "
      f"of a day's orders); checkout visits per arm to detect a 1% conversion lift: {need:,} "
      f"({2 * need / city_checkouts:.0%} of a day's {city_checkouts:,.0f} checkout visits)")
assert late["lift"] < 0 and t["late_min"] / t["orders"] < c["late_min"] / c["orders"], \
    "the treatment should be late less often, as offline"
assert not conv["significant"], f"conversion should be within noise here, got p = {conv['p_value']:.3f}"
assert 0.6 < power < 0.85, f"the prose says about three runs in four would see it, got power {power:.2f}"
assert late["p_value"] > 0.05, f"the prose says this split misses the effect, got p = {late['p_value']:.3f}"
assert need_late > 5 * c["orders"] and 2 * need_late < 0.1 * city_orders, \
    f"the prose says under a tenth of a day's orders, got {2 * need_late / city_orders:.2f}"
assert need > 50 * c["sessions"] and 0.4 < 2 * need / city_checkouts < 0.7, \
    f"the prose says about half a day of checkouts, got {2 * need / city_checkouts:.2f}"
assert rows[1]["mean promise (min)"] < rows[0]["mean promise (min)"]
assert abs(c["sessions"] - t["sessions"]) < 0.1 * len(test)             # a fair split
