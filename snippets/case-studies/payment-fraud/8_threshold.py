# From a probability to a decision. Approving a fraud loses the amount plus a $15 fee; blocking
# a good customer loses the margin on the sale plus goodwill; a review costs an analyst's time,
# and the queue takes 2 payments a day. Which policy costs least on the test window?
from mlsd import show
from casestudies import payment_fraud as pf

c = pf.COSTS
print(f"costs: fee ${c['chargeback_fee']:g}, blocked good payment {c['margin']:.0%} of it + "
      f"${c['goodwill']:g}, review ${c['review']:g}, queue {c['reviews_per_day']} a day")


def break_even(amount):
    """The probability above which blocking costs less than approving."""
    block = c["margin"] * amount + c["goodwill"]
    return block / (amount + c["chargeback_fee"] + block)


show.table([{"amount ($)": a, "block above p =": round(break_even(a), 3)} for a in (5, 20, 100, 500, 2000)],
           title="The break-even probability depends on the amount")

test = pf.window(pf.TRAIN_END, pf.TEST_END)
scored = dict(zip(*pf.scores("challenger")))
p = [scored.get(i, 1.0) for i in test]             # rule-blocked payments never reach the model

policies = [("rules only", dict(probabilities=None)),
            ("rules + model, block if p >= 0.5", dict(threshold=0.5)),
            ("rules + model, expected cost, no reviews", dict(reviews_per_day=0)),
            ("rules + model, expected cost + review queue", dict())]
rows = []
for name, kw in policies:
    r = pf.policy_cost(test, kw.pop("probabilities", p), **kw)
    rows.append({"policy": name, "frauds caught": f"{r['fraud_caught']} of {r['frauds']}",
                 "fraud loss ($)": round(r["fraud_loss"]), "good payments blocked": r["good_blocked"],
                 "reviews": r["reviews"], "total cost ($)": round(r["total_cost"])})
show.table(rows, title="Days 56-84 with the challenger: what each policy really cost")

grid = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9]
curve = [round(pf.policy_cost(test, p, threshold=t)["total_cost"]) for t in grid]
best = min(curve)
show.line_chart(grid, {"one threshold for every payment": curve,
                       "expected cost, no reviews (no tuning)": [rows[2]["total cost ($)"]] * len(grid)},
                x_title="threshold on p", y_title="total cost ($)", title="Cost of a single threshold")

rules, half, cost, queue = rows
best_t = grid[curve.index(best)]
print(f"expected cost beats p >= 0.5 by {1 - cost['total cost ($)'] / half['total cost ($)']:.0%}; "
      f"the review queue saves another {1 - queue['total cost ($)'] / cost['total cost ($)']:.0%}")
print(f"best single threshold in hindsight: p >= {best_t:g}, ${best:,}; expected cost, untuned: "
      f"${cost['total cost ($)']:,} ({cost['total cost ($)'] / best - 1:+.1%})")
assert cost["total cost ($)"] < 0.85 * half["total cost ($)"]   # 0.5 is not a business threshold
assert cost["total cost ($)"] <= 1.01 * best                    # within 1 % of the best hindsight threshold
assert queue["total cost ($)"] < cost["total cost ($)"]
assert queue["reviews"] <= c["reviews_per_day"] * 28
assert rules["total cost ($)"] > 1.5 * queue["total cost ($)"]
assert break_even(5) > break_even(2000)                        # small payments need more certainty
