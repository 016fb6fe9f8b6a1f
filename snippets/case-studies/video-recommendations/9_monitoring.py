# Monitoring: from day 21 viewers' tastes drift toward one trending topic. The
# models are not retrained. What do the dashboards show, window by window?
# Reference for drift: the ranker's training window, days 15-18.
# Inputs (the topic mix of the impressions served, and its PSI against the
# training window) are known as soon as impressions are served; the outcome
# metrics need the clicks. Predicted CTR and AUC use every click and one
# non-click in ten, weighted back (video.NEG_RATE), to keep the cell fast.
import math

from mlsd import metrics, monitoring, show
from casestudies import video_recommendations as video

data = video.world()


def topics(start, end):
    return [data.items[e.item].category for e in data.events if start <= e.t < end]


reference = topics(video.TOWER_END, video.RANKER_END)
rows = []
for start, end in [(18.0, 21.0), (21.0, 24.0)]:            # before and after the drift
    events = [e for e in data.events if start <= e.t < end]
    s = video.score_impressions(start, end, neg_rate=video.NEG_RATE)
    weights = [1.0 if y else 1 / video.NEG_RATE for y in s["labels"]]
    predicted = math.fsum(w * p for w, p in zip(weights, video.click_probability(s["gbdt"]))) / math.fsum(weights)
    observed = sum(e.clicked for e in events) / len(events)
    trending = sum(data.items[e.item].category == data.trending_topic for e in events) / len(events)
    rows.append({"days": f"{start:g}-{end:g}",
                 "trending topic share": round(trending, 3),
                 "PSI topic mix": round(monitoring.psi_categorical(reference, topics(start, end)), 3),
                 "observed CTR": round(observed, 4), "predicted CTR": round(predicted, 4),
                 "predicted / observed": round(predicted / observed, 2),
                 "ranker AUC": round(metrics.roc_auc(s["labels"], s["gbdt"]), 3)})
show.table(rows, title=f"Windows after training (drift starts on day {data.drift_day:g})")

before, *after = rows                                         # (add (24.0, 28.0) to see more)
assert before["PSI topic mix"] < 0.1                           # stable before the drift
assert before["trending topic share"] < 0.05                   # a few per cent before...
assert all(r["trending topic share"] > 1 / 3 for r in after)   # ...more than a third after: what moved
assert all(r["PSI topic mix"] > 0.25 for r in after)           # major shift, on day 21 already
assert 0.8 < before["predicted / observed"] < 1.25             # roughly calibrated before the drift
assert after[0]["predicted / observed"] - before["predicted / observed"] < 0.15   # and barely moves
assert 1 < before["predicted / observed"] < min(r["predicted / observed"] for r in after)
assert all(r["observed CTR"] < 0.8 * before["observed CTR"] for r in after)
assert all(r["ranker AUC"] < before["ranker AUC"] for r in after)
