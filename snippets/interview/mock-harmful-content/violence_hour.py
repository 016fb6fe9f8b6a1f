# Phase 3: the candidate returns to the one-hour rule with the case study's early-fusion model
# (trained on days 0-14, thresholds read on days 14-21). Violence gets two thresholds: remove
# automatically where precision stays >= 90 %, and limit the reach of everything above the
# review threshold (recall >= 80 %, the case study's) until a person has looked at it.
# Caveat: both thresholds are chosen and measured on the same week, which flatters them.
from mlsd import show
from casestudies import harmful_content as hc

PRECISION_TO_REMOVE = 0.9
POSTS_PER_HOUR = 3e9 / 24          # phase 1
REVIEWS_PER_HOUR = 3e6 / 24        # phase 1

w = hc.world()
test = hc.window(hc.TRAIN_END, hc.TEST_END)
wt = [w.weight[i] for i in test]
p = hc.detector("early").proba(test)["violence"]
y = [int(w.label[i] == hc.CLASSES.index("violence")) for i in test]
remove = hc.operating_points(y, p, wt, precision=PRECISION_TO_REMOVE)
review = hc.thresholds()["violence"]                    # the case study's recall >= 80 % point
stream = sum(wt)
limited = sum(x for x, s in zip(wt, p) if review["review"] <= s < remove["threshold"]) / stream
removed = sum(x for x, s in zip(wt, p) if s >= remove["threshold"]) / stream
show.table([
    {"violent posts": "removed at upload (precision >= 90 %)", "share": round(remove["recall"], 2)},
    {"violent posts": "reach limited, waiting for review", "share": round(review["recall"] - remove["recall"], 2)},
    {"violent posts": "below both thresholds", "share": round(1 - review["recall"], 2)},
], title="Violence at upload, days 14-21")
print(f"posts removed as violence: {removed * 1e6:,.0f} per million; reach limited: {limited * 1e6:,.0f} "
      f"per million, {limited * POSTS_PER_HOUR:,.0f} an hour against {REVIEWS_PER_HOUR:,.0f} reviews an hour")
band = [j for j, s in enumerate(p) if review["review"] <= s < remove["threshold"]]
hit = sum(wt[j] for j in band if y[j]) / sum(wt[j] for j in band)
benign = sum(wt[j] for j in band if w.label[test[j]] < 0) / sum(wt[j] for j in band)
print(f"among the limited posts: {hit:.1%} violent, {benign:.1%} legitimate, slowed for up to an hour")

assert round(remove["recall"], 2) == 0.60, "the transcript says about 60 % of violence is removed at upload"
assert round(review["recall"], 2) == 0.81, "the transcript says the review threshold reaches about 80 % of violence"
assert 0.009 < limited < 0.011, "the transcript says about 1 % of all posts get limited reach"
assert hit < 0.05 and benign > 0.95, "the transcript says nearly all limited posts are legitimate"
assert 8 < limited * POSTS_PER_HOUR / REVIEWS_PER_HOUR < 11, \
    "the transcript says the limited posts are about ten times what reviewers can see in an hour"
