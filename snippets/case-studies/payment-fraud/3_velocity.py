# Velocity features: what a card and a device did in the last hour and day. Do they separate
# fraud? Does the online state give the same numbers as the batch backfill? What do they cost?
from mlsd import show
from mlsd.windows import BucketedWindow, SlidingWindow
from casestudies import payment_fraud as pf

w, X = pf.world(), pf.features()
train = pf.window(pf.WARMUP, pf.TRAIN_END)
groups = {"legit": [i for i in train if not w.fraud[i]],
          "burst fraud": [i for i in train if w.pattern[i] == 1],
          "lone fraud": [i for i in train if w.pattern[i] == 2]}
rows = []
for name, test in [("card_tx_1h >= 1", lambda x: x[6] >= 1),
                   ("device_tx_1h >= 1", lambda x: x[9] >= 1),
                   ("device_cards_24h >= 1", lambda x: x[10] >= 1),
                   ("new_device", lambda x: x[4] == 1),
                   ("amount_ratio >= 3", lambda x: x[5] >= 3)]:
    row = {"feature": name}
    for g, idx in groups.items():
        row[g] = round(sum(test(X[i]) for i in idx) / len(idx), 3)
    rows.append(row)
show.table(rows, title="Share of training payments where the feature fires")

# The same features from the online state (mlsd.windows), replayed over one day.
idx, online = pf.stream_features(70)
worst = max(abs(a - b) for i, row in zip(idx, online) for a, b in zip(row, X[i]))
print(f"day 70 replayed online: {len(idx)} payments, every feature within 1e-9 of the backfill: "
      f"{worst < 1e-9}")

# Memory: an exact queue holds every event of the last 24 hours; a ring holds 25 buckets per
# key. Cards and devices are quiet keys; a merchant is a busy one.
day = pf.window(69.0, 70.0)
mem = []
for key_name, key in [("card", lambda i: w.card[i]), ("device", lambda i: w.device[i]),
                      ("merchant category", lambda i: w.category[i])]:
    exact, ring = SlidingWindow(1.0), BucketedWindow(1.0, 24)
    for i in day:
        exact.add(key(i), w.t[i], w.amount[i])
        ring.add(key(i), w.t[i], w.amount[i])
    mem.append({"key": key_name, "keys": len(exact), "exact: events held": exact.entries(),
                "ring: buckets held": ring.entries(),
                "events per key": round(exact.entries() / len(exact), 1)})
show.table(mem, title="State for one day of payments, 24-hour windows")

fires = {r["feature"]: r for r in rows}
assert fires["device_cards_24h >= 1"]["burst fraud"] > 10 * fires["device_cards_24h >= 1"]["legit"]
assert fires["card_tx_1h >= 1"]["burst fraud"] > 10 * fires["card_tx_1h >= 1"]["legit"]
assert fires["device_cards_24h >= 1"]["lone fraud"] < 0.05     # lone thieves leave no trail
assert fires["new_device"]["lone fraud"] > 3 * fires["new_device"]["legit"]
assert worst < 1e-9                                # online == batch: no training-serving skew
card, device, merchant = mem
assert card["exact: events held"] < card["ring: buckets held"] / 10     # quiet keys: exact wins
assert merchant["exact: events held"] > merchant["ring: buckets held"] * 3  # busy keys: rings win
