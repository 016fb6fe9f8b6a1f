# Phase 4, "what number does the auction receive?": the model was trained on every click and
# 2 % of the non-clicks, so it predicts the click rate of that log, not of the feed.
from mlsd import show
from casestudies import ad_click_prediction as ad

NEG_RATE = 0.02

def as_trained(p):
    """What a model trained on the downsampled log predicts for an ad whose true CTR is p."""
    return p / (p + (1 - p) * NEG_RATE)

base = as_trained(0.01)
print(f"an average ad (true CTR 1%): the raw model says {base:.1%}, {base / 0.01:.0f}x too high")
back = ad.recalibrate(base, NEG_RATE)          # q = p / (p + (1 - p) / rate)
print(f"corrected: {back:.2%}")

# Not a uniform error: the raw predictions are squashed, so the auction's winners change.
# Two new ads (phase 1 used A and B): ad C, true CTR 3 %, bids $1 a click; ad D, true CTR 0.3 %,
# bids $8 a click.
ads = {"C": (0.03, 1.00), "D": (0.003, 8.00)}
rows = []
for name, (p, bid) in ads.items():
    rows.append({"ad": name, "true CTR": f"{p:.1%}", "bid $": bid, "true eCPM $": round(1000 * p * bid, 1),
                 "raw pCTR": f"{as_trained(p):.1%}", "raw eCPM $": round(1000 * as_trained(p) * bid),
                 "corrected eCPM $": round(1000 * ad.recalibrate(as_trained(p), NEG_RATE) * bid, 1)})
show.table(rows, title="Who wins the slot")
win = lambda f: max(ads, key=lambda a: f(ads[a][0]) * ads[a][1])
print(f"winner on true values: {win(lambda p: p)}; on raw predictions: {win(as_trained)}; "
      f"on corrected predictions: {win(lambda p: ad.recalibrate(as_trained(p), NEG_RATE))}")
ratio = as_trained(0.03) / as_trained(0.003)
print(f"a 10x gap in true CTR becomes x{ratio:.1f} in raw predictions")

assert round(base, 3) == 0.336 and round(base / 0.01) == 34, "the transcript says the raw model predicts about 34 % for a 1 % ad"
assert abs(back - 0.01) < 1e-12, "the transcript says the one-line correction gives back exactly 1 %"
assert (win(lambda p: p), win(as_trained)) == ("C", "D"), "the transcript says the raw predictions hand C's slot to D"
assert round(ratio, 1) == 4.6, "the transcript says ten times becomes about 4.6 times (the case study's auction cell)"
