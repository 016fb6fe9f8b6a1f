# Three weeks of a simulated ad feed: who saw which ad, when, and whether (and
# how long after) they clicked. The world, its time windows and the label.
from mlsd import show
from casestudies import ad_click_prediction as ad

w = ad.world()
ctr = w.n_clicks / w.n_impressions
live = [len(w.active_ads(d)) for d in range(ad.DAYS)]
train = ad.training_rows()
print(f"{w.n_impressions:,} impressions over {ad.DAYS} days, {w.n_clicks:,} clicks: CTR {ctr:.2%}")
print(f"{len(w.users):,} users; {len(w.ads)} ads in all, {min(live)}-{max(live)} live on any day; "
      f"{ad._NEW_ADS_PER_DAY} new ads a day")
print(f"training log, days {ad.TRAIN_START}-{ad.TRAIN_END - 1}: {len(train['labels']):,} rows = "
      f"{sum(train['labels']):,} clicks + {ad.NEG_RATE:.0%} of the non-clicks")

show.table([
    {"days": f"0-{ad.TRAIN_START - 1}", "role": "counters warm up (smoothed CTR per ad, advertiser, user)"},
    {"days": f"{ad.TRAIN_START}-{ad.TRAIN_END - 1}", "role": "train the model ladder"},
    {"days": f"{ad.TEST_DAY}", "role": "test: offline metrics, auctions, serving"},
    {"days": f"{ad.TEST_DAY}-{ad.DAYS - 1}", "role": "a new feed layout rolls out: freshness, A/B test, monitoring"},
], title="Time windows (a time-based split)")

# The label: a click within a fixed window after the impression.
windows = [("1 minute", 60), ("10 minutes", 600), ("1 hour", 3600), ("6 hours", 6 * 3600),
           ("1 day", 86400)]
rows = ad.label_window_table([s for _, s in windows])
show.table([{"label window": name, "clicks caught": f"{r['clicks_caught']:.1%}",
             "label CTR": f"{r['label_ctr']:.3%}", "newest trainable impression": f"{name} old"}
            for (name, _), r in zip(windows, rows)], title="What the label window trades")

assert 0.009 < ctr < 0.011                                      # about 1 %: a social-feed ad CTR
assert 0.25 < sum(train["labels"]) / len(train["labels"]) < 0.4  # the training log is far richer in clicks
caught = {name: r["clicks_caught"] for (name, _), r in zip(windows, rows)}
assert caught["1 minute"] < 0.8             # a one-minute window loses over a fifth of the clicks
assert 0.8 < caught["1 hour"] < 0.9         # one hour still misses more than a tenth
assert caught["1 day"] > 0.99               # a day catches nearly all
