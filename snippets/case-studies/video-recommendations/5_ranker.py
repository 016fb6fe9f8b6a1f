# Ranking: a GBDT learns from the impressions of days 15-18 (clicked or not),
# with 20 features per (viewer, video) pair, the two-tower score among them.
# It is judged on the impressions of days 18-21 against two simpler scorers.
from mlsd import metrics, show
from casestudies import video_recommendations as video
from mlsd.data.recsys import FEATURE_NAMES

X, y = video.ranker_examples()
model = video.ranker()
print(f"ranker trained on {len(X):,} impressions ({sum(y):,} clicks), {len(FEATURE_NAMES)} features, "
      f"{len(model.trees)} trees")

test = video.score_impressions(video.RANKER_END, video.TEST_END)
# The ceiling: the generator's own click logit, which no model can see.
data = video.world()
test["truth"] = [data.true_score(e.user, e.item, e.t)
                 for e, _ in video.impressions(video.RANKER_END, video.TEST_END)]
rows = []
for name, key in [("popularity (past impressions)", "popularity"),
                  ("two-tower score alone", "retrieval"), ("GBDT ranker", "gbdt"),
                  ("true click probability (ceiling)", "truth")]:
    rows.append({"scorer": name,
                 "AUC": round(metrics.roc_auc(test["labels"], test[key]), 3),
                 "nDCG@10 per viewer": round(video.ndcg_by_user(test["labels"], test[key],
                                                                test["users"]), 3)})
show.table(rows, title=f"Test impressions, days 18-21 ({len(test['labels']):,})")

top = model.feature_importance(FEATURE_NAMES)[:6]
total = sum(g for _, g in model.feature_importance(FEATURE_NAMES))
show.bar_chart([n for n, _ in top], [round(g / total, 3) for _, g in top],
               y_title="share of split gain", title="What the ranker uses most")

pop, tower, gbdt, ceiling = rows
assert ceiling["AUC"] > gbdt["AUC"]
assert gbdt["AUC"] > tower["AUC"] > pop["AUC"]
assert gbdt["nDCG@10 per viewer"] > tower["nDCG@10 per viewer"] > pop["nDCG@10 per viewer"]
crosses = {"user_topic_ctr", "user_topic_impressions", "user_x_item_ctr", "same_as_last_topic",
           "days_since_user_saw_topic"}                     # viewer x video features
assert top[0][0] in crosses                                  # what the towers cannot express
assert "retrieval_score" in [name for name, _ in top[:3]]
assert pop["AUC"] < 0.55                                     # popularity alone: no better than chance
