# The serving path for one new post, timed stage by stage over a day of posts (day 20). The
# encoders are stand-ins here (their outputs come from the generator), so their time in the
# page is near zero; in production they run on GPUs and dominate the budget (cell 1).
import math

from mlsd import serving, show
from casestudies import harmful_content as hc

w = hc.world()
det = hc.detector("early")
thresholds = hc.thresholds()                  # the operating points of cell 5
idx = hc.window(20.0, 21.0)
offline = det.proba(idx)
times = {s: [] for s in hc.SERVE_STAGES}
actions, worst = {}, 0.0
for j, i in enumerate(idx):
    out = hc.serve(det, {"text": w.text[i], "image": w.image[i], "account": w.account[i]}, thresholds)
    for s, ms in out["ms"].items():
        times[s].append(ms)
    actions[out["action"]] = actions.get(out["action"], 0) + w.weight[i]
    worst = max(worst, max(abs(out["p"][c] - offline[c][j]) for c in hc.CLASSES))
total = [sum(v) for v in zip(*times.values())]
mean_total = math.fsum(total) / len(total)
show.table([{"stage": s, "p50 (ms)": round(serving.p50(v), 4), "p99 (ms)": round(serving.p99(v), 4),
             "share": round(math.fsum(v) / len(v) / mean_total, 2)} for s, v in times.items()],
           title=f"⏱ {len(idx)} stored posts of day 20, in-process", varies=True)
width = len(hc.features(idx[0]))
heads = len(hc.CLASSES) * width
print(f"fusion model work per post: {heads} multiply-adds ({len(hc.CLASSES)} heads x {width} inputs); "
      f"served = offline probabilities: {worst < 1e-9}")
stream = sum(actions.values())
print("actions per million posts: " + ", ".join(f"{a} {1e6 * n / stream:,.0f}" for a, n in sorted(actions.items())))

assert worst < 1e-9, f"served and offline probabilities differ by {worst}"
assert heads == 88, f"the page quotes 88 multiply-adds per post, got {heads}"
assert actions.get("remove", 0) / stream < 0.01, "automatic removal should stay under 1 % of posts"
assert actions.get("review", 0) / stream > 50 * 0.001, \
    "the review thresholds should flag far more than the 0.1 % of posts reviewers can take"
