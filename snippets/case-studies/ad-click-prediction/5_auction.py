# Why calibration matters: 1,500 ad requests on the test day, ten candidate ads
# each, one slot, a second-price auction on pCTR x bid with a reserve price.
# The same requests and bids, four ways to predict the CTR; every outcome is
# valued with the true click probabilities.
from mlsd import show
from casestudies import ad_click_prediction as ad

requests = ad.auction_requests()
scorers = {
    "true CTR (an oracle)": ad.true_scores,
    "LR, recalibrated": lambda f: ad.predict("LR + crosses", f),
    "LR, downsampling not undone": lambda f: ad.predict("LR + crosses", f, calibrated=False),
    "LR, recalibrated x 1.5": lambda f: [1.5 * p for p in ad.predict("LR + crosses", f)],
}
out = {name: ad.run_auctions(requests, score) for name, score in scorers.items()}
show.table([{"pCTR used in the auction": name, "revenue $": round(r["revenue"], 2),
             "advertiser value $": round(r["advertiser_value"], 2), "clicks": round(r["clicks"], 1),
             "ads shown": round(r["ads_shown"]), "ads worth less than the post": round(r["bad_ads"])}
            for name, r in out.items()], title="Per 1,000 ad requests (expected values)")

# Why the raw downsampled predictions distort: q = p / (p + (1 - p) * rate) squashes them.
hi, lo = 0.03, 0.003
squash = lambda p: p / (p + (1 - p) * ad.NEG_RATE)     # what the model predicts for a true p
print(f"true CTR {hi:.1%} vs {lo:.1%} (x{hi / lo:.0f}): uncorrected predictions "
      f"{squash(hi):.1%} vs {squash(lo):.1%} (x{squash(hi) / squash(lo):.1f})")
assert squash(hi) / squash(lo) < 5

ok, bad, scaled = out["LR, recalibrated"], out["LR, downsampling not undone"], out["LR, recalibrated x 1.5"]
value_lost = 1 - bad["advertiser_value"] / ok["advertiser_value"]
clicks_lost = 1 - bad["clicks"] / ok["clicks"]
print(f"not undoing the downsampling: revenue {bad['revenue'] / ok['revenue'] - 1:+.0%}, "
      f"advertiser value {-value_lost:+.0%}, clicks {-clicks_lost:+.0%}")

assert value_lost > 0.25 and clicks_lost > 0.15            # advertisers and users lose a lot
assert bad["revenue"] > ok["revenue"]                       # while today's revenue even rises
assert bad["bad_ads"] > 1.15 * ok["bad_ads"]                # more ads that are worth less than the post
assert abs(scaled["clicks"] / ok["clicks"] - 1) < 0.01      # a uniform scale keeps the order and prices...
assert scaled["ads_shown"] >= ok["ads_shown"]               # ...and only lets more ads past the reserve
# The simulated log shows a random eligible ad; the auction shows the best of ten.
w = ad.world()
shown_ctr, log_ctr = ok["clicks"] / ok["ads_shown"], w.n_clicks / w.n_impressions
print(f"the ads the auction shows are clicked {shown_ctr:.1%} of the time, a random eligible ad "
      f"(the simulated log) {log_ctr:.1%}: x{shown_ctr / log_ctr:.1f}")
assert 3 < shown_ctr / log_ctr < 4                          # three to four times as often
oracle = out["true CTR (an oracle)"]
assert oracle["advertiser_value"] > ok["advertiser_value"] and oracle["clicks"] > ok["clicks"]
