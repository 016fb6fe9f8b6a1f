# Ranking: learn P(register | shown) from the impressions of events that had
# started before day 28, and judge it on days 28-42, where every event is new.
# The incumbent is a logistic regression on bucketed features (each cut into
# eight buckets): it can bend each feature's effect, but not combine features.
# It predates two features: the host's sell-through elsewhere and friends
# going; the challenger, a GBDT, has them. The middle row separates the
# features' gain from the model's.
import math

from mlsd import metrics, show
from casestudies import event_recommendation as ev

rows, labels, n_logged = ev.training_set()
print(f"training: {n_logged:,} impressions, {sum(labels)} registrations; kept all of them "
      f"and {ev.NEG_KEEP:.0%} of the rest: {len(rows):,} rows, {len(ev.FEATURES)} features")

test = ev.score_window(ev.TRAIN_END, ev.TEST_END)
data = ev.world()
test["truth"] = [ev.true_logit(data.users[i.user], data.events[i.event], i.t,
                               ev.snapshot(int(i.t)).friends_going(data.users[i.user], data.events[i.event]),
                               data.hosts)
                 for i in ev.impression_rows(ev.TRAIN_END, ev.TEST_END)]
y = test["labels"]
table = []
for name, key in [("nearest first (no learning)", "nearest"),
                  ("event's own history only", "history"),
                  ("incumbent: bucketed logistic regression", "incumbent"),
                  ("incumbent + sell-through and friends features", "incumbent_new"),
                  ("GBDT ranker, all features", "gbdt"),
                  ("true probability (ceiling)", "truth")]:
    row = {"scorer": name, "AUC": round(metrics.roc_auc(y, test[key]), 3),
           "nDCG@10 per visit": round(ev.ndcg_by_visit(y, test[key], test["visits"]), 3)}
    if key in ("incumbent", "incumbent_new", "gbdt"):
        p = ev.unbias(test[key])
        row["log loss"] = round(metrics.log_loss(y, p), 4)
        row["predicted rate"] = round(sum(p) / len(p), 4)
    else:
        row["log loss"], row["predicted rate"] = "-", "-"
    table.append(row)
show.table(table, title=f"Test impressions, days 28-42 ({len(y):,}, {sum(y)} registrations, "
                        f"rate {sum(y) / len(y):.4f})")

imp = ev.ranker().feature_importance(ev.FEATURES)
total = sum(g for _, g in imp)
show.bar_chart([n for n, _ in imp[:8]], [round(g / total, 3) for _, g in imp[:8]],
               y_title="share of split gain", title="What the GBDT uses most")

nearest, history, incumbent, with_new, gbdt, ceiling = table
lift = gbdt["AUC"] - incumbent["AUC"]
print(f"GBDT over the incumbent: AUC {lift:+.3f} (new features {with_new['AUC'] - incumbent['AUC']:+.3f}, "
      f"model {gbdt['AUC'] - with_new['AUC']:+.3f}), nDCG@10 "
      f"{gbdt['nDCG@10 per visit'] - incumbent['nDCG@10 per visit']:+.3f}; "
      f"gap to the ceiling: {ceiling['AUC'] - gbdt['AUC']:.3f}")
assert ceiling["AUC"] > gbdt["AUC"] and ceiling["AUC"] > with_new["AUC"]
assert with_new["AUC"] > incumbent["AUC"] + 0.005      # the new features carry the gain
assert 0 < gbdt["AUC"] - with_new["AUC"] < 0.01         # the model class adds the rest, a little
assert gbdt["nDCG@10 per visit"] > incumbent["nDCG@10 per visit"]
assert 0.005 < lift < 0.04                             # a realistic edge over a strong incumbent
assert history["AUC"] < 0.65 and nearest["AUC"] < 0.65  # neither history nor distance is enough
assert gbdt["log loss"] < incumbent["log loss"]
assert min(incumbent["AUC"], gbdt["AUC"]) > max(history["AUC"], nearest["AUC"]) + 0.1
raw = sum(1 / (1 + math.exp(-z)) for z in test["gbdt"]) / len(y)   # without the correction
train_rate = sum(labels) / n_logged
print(f"mean predicted registration rate: {raw:.4f} before undoing the downsampling "
      f"({raw / (sum(y) / len(y)):.1f}x the observed), {gbdt['predicted rate']:.4f} after; "
      f"observed {sum(y) / len(y):.4f} (training window: {train_rate:.4f})")
assert raw > 3 * sum(y) / len(y)                      # downsampled logits overstate the rate
assert abs(gbdt["predicted rate"] / train_rate - 1) < 0.05   # corrected back to the training rate
assert abs(gbdt["predicted rate"] / (sum(y) / len(y)) - 1) < 0.25   # close once corrected
top = [n for n, _ in imp[:5]]
print(f"top five features by split gain: {', '.join(top)}")
assert not set(top) & set(ev.HISTORY_FEATURES)       # content, place and time carry the ranking
assert set(top) == {"declared_interest", "distance_km", "host_sell_through", "days_to_start", "log_price"}
assert abs(gbdt["nDCG@10 per visit"] - with_new["nDCG@10 per visit"]) < 0.005   # level on the top ten
