# A simulated online test on days 15-20: the incumbent (the same model,
# retrained weekly) against daily retraining. Users are split by id; each
# request runs the real auction with its arm's model; clicks are drawn from
# the true probabilities and an advertiser pays the price only on a click.
import math

from mlsd import experiments, show
from casestudies import ad_click_prediction as ad

arms = ad.ab_test()
rows = {}
for arm, v in arms.items():
    n = len(v["clicks"])
    rows[arm] = {"arm": arm, "requests": n, "clicks": sum(v["clicks"]),
                 "revenue $": round(sum(v["revenue"]), 2),
                 "expected clicks / 1k": round(1000 * sum(v["expected_clicks"]) / n, 2),
                 "expected revenue $ / 1k": round(1000 * sum(v["expected_revenue"]) / n, 3)}
show.table(list(rows.values()), title="Six days, two arms")

w, d = rows["weekly"], rows["daily"]
lift_clicks = d["expected clicks / 1k"] / w["expected clicks / 1k"] - 1
lift_revenue = d["expected revenue $ / 1k"] / w["expected revenue $ / 1k"] - 1
test = experiments.proportion_test(w["clicks"], w["requests"], d["clicks"], d["requests"])
print(f"expected lift: clicks {lift_clicks:+.1%}, revenue {lift_revenue:+.1%}")
print(f"observed: {w['clicks']} vs {d['clicks']} clicks, p = {test['p_value']:.2f} (not significant)")

ctr = w["expected clicks / 1k"] / 1000
n_needed = experiments.sample_size_proportions(ctr, lift_clicks, relative=True)
minutes = 2 * n_needed / (0.01 * 115_741) / 60     # at 1 % of the estimate's mean traffic
print(f"to detect {lift_clicks:+.1%} on a {ctr:.2%} click rate: {n_needed:,} requests per arm, "
      f"about {minutes:.0f} minutes of 1 % of the platform's traffic")

assert 0.005 < lift_clicks < 0.1 and lift_revenue > 0      # a realistic few-per-cent lift
assert not test["significant"]                             # the toy is far too small to see it
assert n_needed > 100 * w["requests"]                      # it needs hundreds of times more requests
assert minutes < 60                                        # which a large platform serves within the hour
assert d["revenue $"] < w["revenue $"]                    # the realised revenue even points the wrong way
