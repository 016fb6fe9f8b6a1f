# Ranking: a GBDT learns from the impressions of days 15-18: every click and
# one non-click in ten (negative downsampling; video.click_probability undoes
# it), with 20 features per (viewer, video) pair, the two-tower score among them.
# It is judged on the impressions of days 18-21 (every click and three
# non-clicks in ten: sampling non-clicks at random leaves AUC unchanged on
# average) against simpler scorers and against the incumbent: the same GBDT
# without the viewer x video features.
from mlsd import metrics, show
from casestudies import video_recommendations as video
from mlsd.data.recsys import FEATURE_NAMES

X, y = video.ranker_examples()
model = video.ranker()
print(f"ranker trained on {len(X):,} impressions ({sum(y):,} clicks), {len(FEATURE_NAMES)} features, "
      f"{len(model.trees)} trees")
incumbent = video.incumbent_ranker()
cols = [j for j, name in enumerate(FEATURE_NAMES) if name not in video.CROSS_FEATURES]

TEST_NEG_RATE = 0.3
test = video.score_impressions(video.RANKER_END, video.TEST_END, neg_rate=TEST_NEG_RATE)
# The ceiling: the generator's own click logit, which no model can see.
data = video.world()
imps = video.impressions(video.RANKER_END, video.TEST_END, TEST_NEG_RATE)
test["truth"] = [data.true_score(e.user, e.item, e.t) for e, _ in imps]
test["incumbent"] = incumbent.decision_function([[f[j] for j in cols] for _, f in imps])
rows = []
for name, key in [("popularity (past impressions)", "popularity"),
                  ("two-tower score alone", "retrieval"),
                  ("incumbent GBDT (no viewer x video features)", "incumbent"), ("GBDT ranker", "gbdt"),
                  ("true click probability (ceiling)", "truth")]:
    rows.append({"scorer": name,
                 "AUC": round(metrics.roc_auc(test["labels"], test[key]), 3),
                 "nDCG@10 per viewer": round(video.ndcg_by_user(test["labels"], test[key],
                                                                test["users"]), 3)})
show.table(rows, title=f"Test impressions, days 18-21 ({len(test['labels']):,}: "
                       f"{sum(test['labels'])} clicks, 3 in 10 of the rest)")

# Why popularity alone ranks so poorly here: who the old system showed popular
# videos to. The generator knows each viewer's favourite topic; the model does not.
shown = {}
for e in data.events:
    if e.t < video.RANKER_END:
        shown[e.item] = shown.get(e.item, 0) + 1
most_shown = set(sorted(shown, key=lambda i: (-shown[i], i))[:len(data.items) // 100])
group = {True: [0, 0, 0], False: [0, 0, 0]}                  # impressions, off-topic, clicks
for e in data.events:
    if e.t < video.RANKER_END:
        g = group[e.item in most_shown]
        g[0] += 1
        g[1] += data.users[e.user].favourite != data.items[e.item].category
        g[2] += e.clicked
(n_top, off_top, clk_top), (n_rest, off_rest, clk_rest) = group[True], group[False]
print(f"the 1% most-shown videos: {off_top / n_top:.0%} of their impressions went to viewers outside "
      f"the video's topic (other videos: {off_rest / n_rest:.0%}); CTR {clk_top / n_top:.1%} vs "
      f"{clk_rest / n_rest:.1%}")

top = model.feature_importance(FEATURE_NAMES)[:6]
total = sum(g for _, g in model.feature_importance(FEATURE_NAMES))
show.bar_chart([n for n, _ in top], [round(g / total, 3) for _, g in top],
               y_title="share of split gain", title="What the ranker uses most")

pop, tower, old, gbdt, ceiling = rows
assert ceiling["AUC"] > gbdt["AUC"]
assert gbdt["AUC"] > old["AUC"] > tower["AUC"] > pop["AUC"]
assert gbdt["nDCG@10 per viewer"] > old["nDCG@10 per viewer"] > tower["nDCG@10 per viewer"] > pop["nDCG@10 per viewer"]
crosses = set(video.CROSS_FEATURES)                          # viewer x video features
assert any(name in crosses for name, _ in top[:4])          # what the towers cannot express
assert "retrieval_score" in [name for name, _ in top[:3]]
assert "item_log_impressions" in [name for name, _ in top[:3]]
assert "country" in [name for name, _ in top]               # no effect on clicks in this world: noise
assert ceiling["AUC"] < 0.8                                  # clicks are random: a ceiling below 1
assert gbdt["AUC"] - old["AUC"] >= 0.02                      # the crosses are worth a new ranker
assert pop["AUC"] < 0.55                                     # popularity alone: barely above chance
assert off_top / n_top > 3 * off_rest / n_rest               # popular videos reach the wrong viewers...
assert clk_rest / n_rest < clk_top / n_top < 1.25 * clk_rest / n_rest   # ...so they are clicked only a little more
