# Day 84: the device rule ships. The rings notice within days and change how they work: one
# card per fresh device, spaced out, domestic proxies, gift cards under the rules' limits.
# What can the team see week by week, long before the chargebacks tell the story?
from mlsd import show
from casestudies import payment_fraud as pf

w, X = pf.world(), pf.features()
device_rule = pf.NEW_RULE[1]
idx, p = pf.scores("challenger", pf.RULE_DAY, pf.WORLD["days"])   # the model trained on days 7-56
scored = dict(zip(idx, p))
rows = []
for start in range(84, 140, 7):
    week = pf.window(start, start + 7)
    r = pf.policy_cost(week, [scored.get(i, 1.0) for i in week], new_rule=True)
    hits = [i for i in week if device_rule(X[i])]
    rows.append({"week from day": start,
                 "device rule blocks": len(hits),
                 "of which fraud": sum(w.fraud[i] for i in hits),
                 "chargebacks arriving": sum(1 for c in w.chargeback_at if start <= c < start + 7),
                 "frauds (truth)": r["frauds"],
                 "slow-pattern frauds": sum(w.pattern[i] == 3 for i in week),
                 "caught": r["fraud_caught"],
                 "loss ($)": round(r["fraud_loss"])})
show.table(rows, title="After the device rule: rules + the day-56 model, week by week")
show.line_chart([r["week from day"] for r in rows],
                {"device rule blocks": [r["device rule blocks"] for r in rows],
                 "chargebacks arriving": [r["chargebacks arriving"] for r in rows],
                 "frauds (truth, unknown at the time)": [r["frauds (truth)"] for r in rows]},
                x_title="week starting on day", y_title="per week",
                title="The rule's hits fall; fraud does not")

first, later = rows[0], rows[2:]
caught_before = sum(r["caught"] for r in rows[:2]) / sum(r["frauds (truth)"] for r in rows[:2])
caught_after = sum(r["caught"] for r in later) / sum(r["frauds (truth)"] for r in later)
print(f"the rule's fraud blocks: {first['of which fraud']} in its first week, "
      f"{sum(r['of which fraud'] for r in later)} in the {len(later)} weeks after day 98")
print(f"share of fraud caught: {caught_before:.0%} in the first two weeks, {caught_after:.0%} after")
assert first["of which fraud"] >= 10 and all(r["of which fraud"] == 0 for r in later)
assert all(r["chargebacks arriving"] >= 10 for r in rows)      # losses keep coming in
assert sum(r["slow-pattern frauds"] for r in later) > 0.5 * sum(r["frauds (truth)"] for r in later)  # most of it
assert caught_after < 0.7 * caught_before                        # the old model decays too
