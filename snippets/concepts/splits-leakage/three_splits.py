# Three ways to split one recommendation log, and the AUC each one reports.
# Model: the simplest recommender there is — a smoothed click rate per (user, topic)
# plus one per item, learned from the training rows, added on the log-odds scale.
# From day 21 on, users' tastes drift toward a trending topic.
from mlsd import metrics, show, splits
from mlsd.data.recsys import click_rate_model, make_recsys

SEED = 0
world = make_recsys(n_events=12_000, seed=SEED)
events = world.events                         # in time order, 28 days
TEST = 0.25                                   # a quarter of the rows are test rows


def auc(model, idx):
    rows = splits.take(events, idx)
    return metrics.roc_auc([e.clicked for e in rows], [model(e) for e in rows])


cases = {
    "random rows": splits.random_split(len(events), TEST, seed=SEED),
    "held-out users": splits.user_split([e.user for e in events], TEST, seed=SEED),
    "time: last quarter": splits.time_split([e.t for e in events], TEST),
}
models = {name: click_rate_model(world, splits.take(events, tr)) for name, (tr, _) in cases.items()}
rows = [{"split": name, "train rows": len(tr), "test rows": len(te), "test AUC": round(auc(models[name], te), 4)}
        for name, (tr, te) in cases.items()]
show.table(rows, title="One model, one log, three questions")
show.bar_chart([r["split"] for r in rows], [r["test AUC"] for r in rows], y_title="test ROC-AUC",
               title="What each split reports")
a = {r["split"]: r["test AUC"] for r in rows}
gap = a["random rows"] - a["time: last quarter"]
print(f"random split overstates the time-based AUC by {gap:.3f}")

# Where the gap comes from. The random test rows differ from the time test rows in two ways:
# three quarters of them are from before the cutoff (and the drift), and the random model
# trained on rows from the test period (look-ahead). Telescope from one to the other:
random_model, time_model = models["random rows"], models["time: last quarter"]
_, random_test = cases["random rows"]
_, time_test = cases["time: last quarter"]
cutoff = events[time_test[0]].t
late = [i for i in random_test if events[i].t >= cutoff]      # random test rows after the cutoff
steps = [
    ("random model, random test rows", auc(random_model, random_test)),
    ("random model, only its test rows after the cutoff", auc(random_model, late)),
    ("time model, the same rows", auc(time_model, late)),
    ("time model, all rows after the cutoff", auc(time_model, time_test)),
]
parts = {"easier test rows (before the drift)": steps[0][1] - steps[1][1],
         "look-ahead (trained on the test period)": steps[1][1] - steps[2][1],
         "sampling (a subset of the test period)": steps[2][1] - steps[3][1]}
show.table([{"model and rows": n, "AUC": round(v, 4)} for n, v in steps],
           title=f"From the random-split AUC to the time-split AUC ({len(late)} shared late rows)")
for name, value in parts.items():
    print(f"{name}: {value:+.4f}")
print(f"share of the gap from easier test rows: {parts['easier test rows (before the drift)'] / gap:.0%}")
# The claims on the page. How the gap divides between the parts changes with the seed:
# the next cell repeats the decomposition over several seeds.
assert a["random rows"] > a["time: last quarter"]                  # the random split flatters the model
assert a["held-out users"] < a["time: last quarter"]               # new users are the hardest case
assert abs(sum(parts.values()) - (steps[0][1] - steps[3][1])) < 1e-12   # the three parts add up
assert parts["easier test rows (before the drift)"] > 0 and parts["look-ahead (trained on the test period)"] > 0
