# Monitoring: from day 21 viewers' tastes drift toward one trending topic. The
# model is not retrained. What do the dashboards show, window by window?
# Reference for drift: the ranker's training window, days 15-18.
import math

from mlsd import metrics, monitoring, show
from casestudies import video_recommendations as video

data = video.world()
reference = video.impressions(video.TOWER_END, video.RANKER_END)
ref_topics = [data.items[e.item].category for e, _ in reference]
ref_scores = [f[0] for _, f in reference]                    # two-tower score feature

rows = []
for start, end in [(18.0, 21.0), (21.0, 24.0), (24.0, 28.0)]:
    imps = video.impressions(start, end)
    s = video.score_impressions(start, end)
    rows.append({
        "days": f"{start:g}-{end:g}",
        "observed CTR": round(sum(s["labels"]) / len(s["labels"]), 3),
        "predicted CTR": round(math.fsum(1 / (1 + math.exp(-z)) for z in s["gbdt"]) / len(s["gbdt"]), 3),
        "ranker AUC": round(metrics.roc_auc(s["labels"], s["gbdt"]), 3),
        "PSI topic mix": round(monitoring.psi_categorical(ref_topics, [data.items[e.item].category
                                                                       for e, _ in imps]), 3),
        "PSI two-tower score": round(monitoring.psi(ref_scores, [f[0] for _, f in imps]), 3)})
show.table(rows, title=f"Windows after training (drift starts on day {data.drift_day:g})")

before, *after = rows
assert before["PSI topic mix"] < 0.1 and before["PSI two-tower score"] < 0.1   # stable
assert all(r["PSI topic mix"] > 0.25 for r in after)                           # major shift
assert all(r["observed CTR"] < 0.8 * before["observed CTR"] for r in after)
assert all(r["ranker AUC"] < before["ranker AUC"] for r in after)
