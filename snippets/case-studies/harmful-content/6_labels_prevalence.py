# What the labels say, and how much harm people actually see. User reports arrive late, miss
# posts few people saw, and include false reports. Prevalence (the share of views that are of
# harmful posts) is estimated from a reviewed sample of views, stratified by the model's score.
import math

from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
test = hc.window(hc.TRAIN_END, hc.TEST_END)
rows = []
for name, lo, hi in (("under 50 views", 0, 50), ("50-500 views", 50, 500), ("over 500 views", 500, math.inf)):
    bad = [i for i in test if w.label[i] >= 0 and lo <= w.views[i] < hi]
    rows.append({"harmful posts": name, "posts": len(bad),
                 "reported within 1 day": round(sum(w.first_report[i] - w.t[i] <= 1 for i in bad) / len(bad), 2),
                 "reported within 7 days": round(sum(w.first_report[i] - w.t[i] <= 7 for i in bad) / len(bad), 2)})
show.table(rows, title="User reports as labels, harmful posts of days 14-21")
reported = [i for i in test if w.first_report[i] - w.t[i] <= 7]
false = sum(w.weight[i] for i in reported if w.label[i] < 0) / sum(w.weight[i] for i in reported)
print(f"share of reported posts that are benign: {false:.0%}")

# Prevalence: 2,000 reviewed views a week, spread evenly (simple random sample) or stratified by
# the model's top score with more reviews where harm concentrates. 100 repeated weeks.
det = hc.detector("early")
p = det.proba(test)
score = [max(p[c][j] for c in hc.CLASSES) for j in range(len(test))]
views = sum(w.weight[i] * w.views[i] for i in test)
truth = sum(w.weight[i] * w.views[i] for i in test if w.label[i] >= 0) / views
# What a perfect sample would report, given that reviewers miss some harm and flag some benign posts
said = sum(w.weight[i] * w.views[i] * (1 - w.reviewer_error[i] if w.label[i] >= 0 else w.reviewer_error[i])
           for i in test) / views
designs = {"simple random": ([], [2000]), "stratified by score": ([0.02], [1400, 600])}
out = []
for name, (edges, alloc) in designs.items():
    runs = hc.stratified_prevalence(test, score, edges, alloc, seed=1, repeats=100)
    cover = sum(r["ci_low"] <= truth <= r["ci_high"] for r in runs) / len(runs)
    out.append({"design": name, "mean estimate (%)": round(100 * sum(r["estimate"] for r in runs) / len(runs), 3),
                "mean 95 % CI half-width (%)": round(100 * sum(1.96 * r["se"] for r in runs) / len(runs), 3),
                "coverage of the truth": round(cover, 2)})
show.table(out, title=f"Prevalence of harmful views, days 14-21; truth {100 * truth:.3f} % "
                      f"(reviews miss 3-8 % of harm, flag 0.05 % of benign)")
print(f"what the reviewers' errors predict the estimates centre on: {100 * said:.3f} % "
      f"({100 * (said - truth):+.3f} points: false flags on the benign mass outweigh missed harm)")
sloppy = sum(w.weight[i] * w.views[i] * (1 - w.reviewer_error[i] if w.label[i] >= 0 else 0.005)
             for i in test) / views                 # reviewers who flag 0.5 % of benign posts
print(f"with a 0.5 % false-flag rate they would centre on {100 * sloppy:.3f} %, "
      f"{sloppy / truth:.1f} times the truth")

assert rows[0]["reported within 7 days"] < 0.5 < rows[2]["reported within 7 days"], \
    "reports should miss most low-view harm and catch most high-view harm"
assert all(r["reported within 1 day"] < r["reported within 7 days"] for r in rows)
assert false > 0.5, f"most reported posts should be benign, got {false:.0%}"
simple, strat = out
assert strat["mean 95 % CI half-width (%)"] < 0.85 * simple["mean 95 % CI half-width (%)"], \
    "stratifying by score should narrow the interval by 15 % or more"
assert simple["coverage of the truth"] > 0.85 and strat["coverage of the truth"] > 0.8, \
    "coverage of the 95 % intervals fell below 85 % (simple) or 80 % (stratified)"
assert said > truth, "reviewer false flags should push the estimate above the truth"
assert sloppy > 1.6 * truth, f"a 0.5 % false-flag rate should about double the estimate, got {sloppy / truth:.1f}x"
for r in out:                                       # both designs centre on what reviewers say
    assert abs(r["mean estimate (%)"] - 100 * said) < r["mean 95 % CI half-width (%)"] / 5, \
        f"{r['design']}: mean estimate {r['mean estimate (%)']} is far from {100 * said:.3f}"
