# The Laplace mechanism: release a count or a mean with noise of scale sensitivity / epsilon.
# Measure the error over many releases for several epsilons, and see why small groups suffer.
import math
import random

from mlsd import show
from mlsd.privacy import laplace_mechanism

EPSILONS = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
RELEASES = 2000                  # noisy answers drawn per epsilon, to measure the error

rng = random.Random(3)
ages = [min(max(rng.gauss(47, 18), 0), 100) for _ in range(800)]    # the 800 patients' ages
diabetic = 96                                                       # a count: patients with diabetes
n = len(ages)
true_mean = math.fsum(ages) / n

rows = []
for eps in EPSILONS:
    # A count changes by at most 1 when one person joins or leaves: sensitivity 1.
    count_err = [abs(laplace_mechanism(diabetic, 1, eps, rng) - diabetic) for _ in range(RELEASES)]
    # A mean of values clipped to [0, 100] over a known n: one person moves it by at most 100 / n.
    mean_err = [abs(laplace_mechanism(true_mean, 100 / n, eps, rng) - true_mean) for _ in range(RELEASES)]
    rows.append({"epsilon": eps, "noise scale b (count)": round(1 / eps, 4),
                 "count: mean abs error": round(math.fsum(count_err) / RELEASES, 3),
                 "count: relative error": round(math.fsum(count_err) / RELEASES / diabetic, 4),
                 "mean age: mean abs error (years)": round(math.fsum(mean_err) / RELEASES, 4)})
show.table(rows, title=f"Laplace mechanism, {RELEASES} releases per epsilon (count = {diabetic}, n = {n})")
show.line_chart([r["epsilon"] for r in rows],
                {"measured": [r["count: mean abs error"] for r in rows],
                 "1 / epsilon": [r["noise scale b (count)"] for r in rows]},
                x_title="epsilon (privacy loss; smaller is more private)", y_title="mean absolute error of the count",
                title="Error of a DP count falls as 1 / epsilon")

one = rows[EPSILONS.index(1.0)]
tenth = rows[EPSILONS.index(0.1)]
print(f"epsilon 1: a count of {diabetic} is off by {one['count: mean abs error']} on average "
      f"({one['count: relative error']:.1%}); epsilon 0.1: {tenth['count: mean abs error']} "
      f"({tenth['count: relative error']:.1%})")
print(f"the mean age ({true_mean:.1f}) at epsilon 1 is off by {one['mean age: mean abs error (years)']} years")
# The same noise on a small slice: 12 patients in one ZIP with one diagnosis.
small = 12
print(f"the same epsilon-1 noise on a count of {small}: {one['count: mean abs error'] / small:.1%} relative error")
for r in rows:
    b = 1 / r["epsilon"]
    assert abs(r["count: mean abs error"] - b) < 0.1 * b, "the mean absolute error matches the scale 1 / epsilon"
errs = [r["count: mean abs error"] for r in rows]
assert errs == sorted(errs, reverse=True), "more privacy (smaller epsilon) means more error"
assert tenth["count: mean abs error"] > 8 * one["count: mean abs error"], "epsilon / 10 costs about 10x error"
assert one["mean age: mean abs error (years)"] < 0.2, "a mean over 800 people barely moves at epsilon 1"
assert one["count: mean abs error"] / small > 5 * one["count: relative error"], "small slices suffer most"
