# Cold start is the normal case: how good is each ranker on events with no
# interactions yet? Test impressions (days 28-42) are sliced by what the
# event's counters held at the start of that day.
from mlsd import metrics, show
from casestudies import event_recommendation as ev

test = ev.score_window(ev.TRAIN_END, ev.TEST_END)
slices = {}
for i, row in enumerate(test["rows"]):
    slices.setdefault(ev.history_slice(row), []).append(i)

table = []
for name in ("no impressions yet", "shown, no registration", "has registrations"):
    idx = slices[name]
    y = [test["labels"][i] for i in idx]
    row = {"event's history": name, "impressions": len(idx), "share": round(len(idx) / len(test["rows"]), 3),
           "registrations": sum(y)}
    for key, label in (("history", "AUC history only"), ("incumbent", "AUC incumbent"),
                       ("gbdt", "AUC GBDT")):
        row[label] = round(metrics.roc_auc(y, [test[key][i] for i in idx]), 3)
    table.append(row)
show.table(table, title="Ranking quality by how much the event has been seen")

cold = [i for name in ("no impressions yet", "shown, no registration") for i in slices[name]]
warm = slices["has registrations"]


def auc(key, idx):
    return metrics.roc_auc([test["labels"][i] for i in idx], [test[key][i] for i in idx])


print(f"events with no registration yet: {len(cold) / len(test['rows']):.0%} of test impressions; "
      f"GBDT AUC {auc('gbdt', cold):.3f} there, {auc('gbdt', warm):.3f} on events with registrations")
print(f"history-only model: {auc('history', cold):.3f} and {auc('history', warm):.3f}")

new, shown, has = table
assert new["AUC history only"] == 0.5            # no counters, no signal: every score ties
assert all(r["AUC history only"] < r["AUC incumbent"] - 0.1 for r in table)  # weak everywhere
assert auc("gbdt", cold) > 0.74 and auc("gbdt", warm) > 0.74     # content keeps its quality
assert abs(auc("gbdt", cold) - auc("gbdt", warm)) < 0.05        # no cliff for new events
assert len(cold) / len(test["rows"]) > 0.6
