# Labels that mature late: the gap (embargo) between the end of training and the test.
# Stand-in: treat each click of the log as a conversion that is only reported some time
# later, uniformly within MATURITY days (a return window, a chargeback window). A model
# launched on day CUTOFF only knows the labels that have matured by then.
import random

from mlsd import metrics, show, splits
from mlsd.data.recsys import Event, click_rate_model, make_recsys

SEED = 0
CUTOFF = 24.0            # launch day; the drift started on day 21
MATURITY = 3.0           # every label is known at most this many days after its event

world = make_recsys(n_events=12_000, seed=SEED)
events = world.events
rng = random.Random(SEED)
reported = [e.t + rng.uniform(0, MATURITY) for e in events]      # when each label becomes known
train, test_idx = splits.time_split([e.t for e in events], cutoff=CUTOFF)
test = splits.take(events, test_idx)


def test_auc(rows):
    model = click_rate_model(world, rows)
    return metrics.roc_auc([e.clicked for e in test], [model(e) for e in test])


known_at_cutoff = [Event(e.t, e.user, e.item, int(e.clicked and reported[i] < CUTOFF))
                   for i, e in ((i, events[i]) for i in train)]
ways = {
    "no gap, every label known (impossible at launch)": [events[i] for i in train],
    f"gap of {MATURITY:g} days: train on rows before day {CUTOFF - MATURITY:g}":
        [events[i] for i in train if events[i].t < CUTOFF - MATURITY],
    "no gap, unreported labels counted as negatives": known_at_cutoff,
}
rows = [{"training rows": name, "rows": len(r), "positive labels": sum(e.clicked for e in r),
         "test AUC (days 24-28)": round(test_auc(r), 4)} for name, r in ways.items()]
show.table(rows, title=f"{len(test):,} test rows after the launch on day {CUTOFF:g}")
no_gap, embargo, immature = (r["test AUC (days 24-28)"] for r in rows)
print(f"the offline number without the gap overstates the launch by {no_gap - embargo:.4f}")
print(f"conversions not yet reported at the launch: {rows[0]['positive labels'] - rows[2]['positive labels']}")
print(f"training on unreported labels as negatives costs {no_gap - immature:.4f} "
      f"({'more' if immature < embargo else 'less'} than the gap on this seed)")
# The claims on the page: without the gap the offline test is too optimistic, and counting
if (CUTOFF, MATURITY) == (24.0, 3.0):
    # unreported labels as negatives loses positives and lowers the test AUC.
    assert no_gap > embargo
    assert no_gap > immature and rows[2]["positive labels"] < rows[0]["positive labels"]
