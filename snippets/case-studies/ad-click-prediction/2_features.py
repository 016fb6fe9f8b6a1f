# Sparse features: every categorical value and every cross becomes a token,
# hashed into a fixed number of columns. How often do tokens collide, what does
# a collision cost, and what do the crosses buy a logistic regression?
from mlsd import show
from casestudies import ad_click_prediction as ad

train, test = ad.training_rows(), ad.eval_rows()
vocab = set(ad.tokens(train["records"]))
n_cross = sum(1 for t in vocab if "&" in t)
print(f"{len(vocab):,} distinct tokens in the training rows, {n_cross:,} of them crosses "
      f"({', '.join(' x '.join(c) for c in ad.CROSSES)})")

rows, ne = [], {}
for bits in (6, 8, 10, 14):
    m = 2 ** bits
    expected = 1 - (1 - 1 / m) ** (len(vocab) - 1)     # chance another token lands in your bucket
    h, model = ad.hashed_lr(m)
    p = [ad.recalibrate(q) for q in model.predict_proba(h.transform(test["records"]))]
    ne[bits] = ad.evaluate(test["p_true"], p)["NE"]
    rows.append({"buckets": f"2^{bits} = {m:,}", "tokens per bucket": round(len(vocab) / m, 2),
                 "collided tokens": f"{ad.collision_rate(vocab, m):.0%}", "expected": f"{expected:.0%}",
                 "NE of LR + crosses": round(ne[bits], 4)})
show.table(rows, title="Hash collisions and what they cost")

ladder = {name: ad.evaluate(test["p_true"], ad.predict(name, test))
          for name in ("LR, no crosses", "LR + crosses")}
show.table([{"model": name, "NE": round(m["NE"], 4), "AUC": round(m["AUC"], 4),
             "calibration": round(m["calibration"], 3)} for name, m in ladder.items()],
           title=f"Test day {ad.TEST_DAY}, 2^14 buckets: does a logistic regression need crosses?")
gain = 1 - ladder["LR + crosses"]["NE"] / ladder["LR, no crosses"]["NE"]
print(f"the three crosses lower NE by {gain:.1%}; squeezing the tokens into 64 buckets "
      f"costs {ne[6] / ne[14] - 1:.1%}")

# The prose's claims:
rate = {bits: ad.collision_rate(vocab, 2 ** bits) for bits in (6, 8, 14)}
assert rate[6] > 0.95 and 0.8 < rate[8] and rate[14] < 0.05
assert all(abs(rate[b] - (1 - (1 - 2 ** -b) ** (len(vocab) - 1))) < 0.03 for b in rate)   # as the formula says
assert ne[6] > ne[14] * 1.01            # heavy collisions cost over 1 % of NE
assert abs(ne[10] / ne[14] - 1) < 0.01  # about one token per bucket costs little
assert gain > 0.005                     # crosses are worth more than half a per cent of NE
assert gain > ne[10] / ne[14] - 1       # and more than 1,024 -> 16,384 buckets
