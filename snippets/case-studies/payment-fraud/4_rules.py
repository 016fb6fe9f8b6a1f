# The incumbent's first line: hand-written rules that block a payment outright. What does each
# catch, at what price in good customers? And the device rule the analysts want to ship.
from mlsd import show
from casestudies import payment_fraud as pf

w, X = pf.world(), pf.features()
test = pf.window(pf.TRAIN_END, pf.TEST_END)
frauds = sum(w.fraud[i] for i in test)
rows = []
for name, rule in list(pf.RULES.items()) + [pf.NEW_RULE]:
    hits = [i for i in test if rule(X[i])]
    caught = sum(w.fraud[i] for i in hits)
    rows.append({"rule": name, "blocks": len(hits), "frauds caught": caught,
                 "precision": round(caught / len(hits), 2) if hits else 0.0,
                 "recall": round(caught / frauds, 3)})
for label, new in [("the two incumbent rules together", False), ("with the device rule", True)]:
    hits = [i for i, hit in zip(test, pf.rule_hits(test, new_rule=new)) if hit]
    caught = sum(w.fraud[i] for i in hits)
    rows.append({"rule": label, "blocks": len(hits), "frauds caught": caught,
                 "precision": round(caught / len(hits), 2), "recall": round(caught / frauds, 3)})
show.table(rows, title=f"Rules on the test window (days 56-84: {len(test):,} payments, {frauds} frauds)")

velocity, foreign, device, both, with_device = rows
print(f"the rules block {both['blocks']} payments ({both['blocks'] / len(test):.2%}) and catch "
      f"{both['recall']:.0%} of the fraud; the device rule would lift that to {with_device['recall']:.0%}")
assert both["recall"] < 0.25                          # rules alone miss most fraud
assert with_device["recall"] > both["recall"] + 0.15  # the new rule looks like a big win ...
assert device["precision"] >= 0.3                      # ... at a tolerable price in good payments
assert both["blocks"] / len(test) < 0.005              # rules are narrow by design
