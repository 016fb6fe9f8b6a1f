# Recovery. On day 119 the team retrains the challenger on the last eight weeks (days 63-119).
# Which labels does it have? Chargebacks that arrived by day 119 — and, since day 84, the
# frauds its analysts confirmed in the review queue, which are labels the same day.
from mlsd import metrics, show
from casestudies import payment_fraud as pf

w = pf.world()
day, start = 119.0, 63.0
idx, p = pf.scores("challenger", pf.RULE_DAY, pf.WORLD["days"])
scored = dict(zip(idx, p))
past = pf.window(pf.RULE_DAY, day)
confirmed = pf.policy_cost(past, [scored.get(i, 1.0) for i in past], new_rule=True)["confirmed"]
slow = [i for i in pf.window(start, day) if w.pattern[i] == 3]
print(f"slow-pattern frauds before day {day:g}: {len(slow)}; chargebacks arrived: "
      f"{sum(w.chargeback_at[i] <= day for i in slow)}; confirmed by analysts: "
      f"{sum(w.pattern[i] == 3 for i in confirmed)}")

after = pf.window(day, pf.WORLD["days"])
rows = []
for name, model in [
        ("day-56 model, not retrained", None),
        ("retrained: chargebacks known on day 119", pf.trained("challenger", day, day, start)),
        ("  + frauds confirmed in review", pf.train_model("challenger", day, day, start, confirmed)),
        ("retrained on the truth (no delay: impossible)", pf.trained("challenger", day, None, start))]:
    probs = [scored.get(i, 1.0) for i in after] if model is None else model.proba(after)
    r = pf.policy_cost(after, probs, new_rule=True)
    passed = [k for k, i in enumerate(after) if scored.get(i) is not None]
    y = [w.fraud[after[k]] for k in passed]
    rows.append({"model": name, "caught": f"{r['fraud_caught']} of {r['frauds']}",
                 "PR-AUC": round(metrics.average_precision(y, [probs[k] for k in passed]), 3),
                 "fraud loss ($)": round(r["fraud_loss"]), "total cost ($)": round(r["total_cost"])})
show.table(rows, title=f"Days {day:g}-{pf.WORLD['days']}: the rings have switched")

old, known, reviewed, truth = (r["total cost ($)"] for r in rows)
print(f"cost: {old:,} -> {known:,} (chargebacks) -> {reviewed:,} (+ reviews); "
      f"{truth:,} if labels were instant")
assert reviewed < known <= old                # fresh labels from reviews speed up recovery
assert truth < 0.85 * reviewed                # and the label delay still costs a lot
assert sum(w.chargeback_at[i] <= day for i in slow) < 0.5 * len(slow)
