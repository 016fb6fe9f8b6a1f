# Leakage through a feature: a user's click rate used as a feature (target encoding).
# Three ways to compute it for each impression, scored on the last third of the log:
#  - look-ahead: over the whole log, the impression's own label included (the usual bug);
#  - point-in-time: only the user's impressions strictly before this one (what serving sees);
#  - frozen at the cutoff: the training period's rates, never updated.
# The feature itself is the score: any gap between the rows is the leak.
from mlsd import show, splits
from mlsd.data.clicks import make_clicks

PRIOR_WEIGHT = 10          # pseudo-impressions at the average rate (smoothing)

log = make_clicks(n=6000, base_ctr=0.1)
demo = splits.leakage_demo(log.user_ids, log.timestamps, log.labels, test_fraction=1 / 3,
                           prior_weight=PRIOR_WEIGHT)
rows = [{"user click rate computed": name, "test ROC-AUC": round(demo[key], 4)}
        for name, key in (("look-ahead (whole log)", "auc_lookahead"),
                          ("point in time", "auc_point_in_time"),
                          ("frozen at the training cutoff", "auc_frozen_at_cutoff"))]
show.table(rows, title=f"{demo['test_rows']:,} test impressions, one feature as the score")
show.bar_chart([r["user click rate computed"] for r in rows], [r["test ROC-AUC"] for r in rows],
               y_title="test ROC-AUC", title="The look-ahead feature reads the answer")

# Why: a user with few impressions. Their look-ahead rate jumps on exactly the clicked rows' user.
by_user = {}
for i, u in enumerate(log.user_ids):
    by_user.setdefault(u, []).append(i)
user = next(u for u, idx in sorted(by_user.items()) if len(idx) == 4 and sum(log.labels[i] for i in idx) == 1)
idx = by_user[user]
ahead = splits.lookahead_rate([log.user_ids[i] for i in idx], [log.labels[i] for i in idx], PRIOR_WEIGHT, 0.1)
pit = splits.point_in_time_rate([log.user_ids[i] for i in idx], [log.timestamps[i] for i in idx],
                                [log.labels[i] for i in idx], PRIOR_WEIGHT, 0.1)
show.table([{"impression": n + 1, "clicked": log.labels[i], "look-ahead rate": round(a, 4),
             "point-in-time rate": round(p, 4)} for n, (i, a, p) in enumerate(zip(idx, ahead, pit))],
           title=f"User {user}: four impressions, one click")
gap = demo["auc_lookahead"] - demo["auc_point_in_time"]
print(f"the look-ahead feature inflates AUC by {gap:.3f}")
# The claims on the page.
assert gap > 0.15
assert demo["auc_point_in_time"] < 0.6 and demo["auc_lookahead"] > 0.75
