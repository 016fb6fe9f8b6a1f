# Three ways to split one recommendation log, and the AUC each one reports.
# Model: the simplest recommender there is — a smoothed click rate per (user, topic)
# plus one per item, learned from the training rows, added on the log-odds scale.
# From day 21 on, users' tastes drift toward a trending topic.
from mlsd import metrics, show, splits
from mlsd.data.recsys import click_rate_model, make_recsys

world = make_recsys(n_events=12_000)
events = world.events                         # in time order, 28 days
TEST = 0.25                                   # a quarter of the rows are test rows


def test_auc(train_idx, test_idx):
    model = click_rate_model(world, splits.take(events, train_idx))
    test = splits.take(events, test_idx)
    return metrics.roc_auc([e.clicked for e in test], [model(e) for e in test])


cases = {
    "random rows": splits.random_split(len(events), TEST, seed=0),
    "held-out users": splits.user_split([e.user for e in events], TEST, seed=0),
    "time: last quarter": splits.time_split([e.t for e in events], TEST),
}
rows = [{"split": name, "train rows": len(tr), "test rows": len(te), "test AUC": round(test_auc(tr, te), 4)}
        for name, (tr, te) in cases.items()]
show.table(rows, title="One model, one log, three questions")
show.bar_chart([r["split"] for r in rows], [r["test AUC"] for r in rows], y_title="test ROC-AUC",
               title="What each split reports")
auc = {r["split"]: r["test AUC"] for r in rows}
print(f"random split overstates the time-based AUC by {auc['random rows'] - auc['time: last quarter']:.3f}")
# The claims on the page.
assert auc["random rows"] > auc["time: last quarter"] + 0.03      # look-ahead flatters the model
assert auc["held-out users"] < auc["time: last quarter"]           # new users are the hardest case
