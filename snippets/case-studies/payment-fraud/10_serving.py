# The serving path for one payment: velocity state -> profile -> rules -> model -> decision,
# timed stage by stage over a day of traffic (day 70), with the state the service would hold.

from mlsd import serving, show
from casestudies import payment_fraud as pf

w, X = pf.world(), pf.features()
model = pf.trained("challenger")
state = pf.online_state(70)
idx = pf.window(70.0, 71.0)
times = {stage: [] for stage in pf.SERVE_STAGES}
worst, reviews, mismatched = 0.0, 0, 0
for i in idx:
    out = pf.serve(state, model, {"t": w.t[i], "card": w.card[i], "device": w.device[i],
                                  "category": w.category[i], "amount": w.amount[i],
                                  "foreign": w.foreign[i]}, review_open=reviews < pf.COSTS["reviews_per_day"])
    for stage, ms in out["ms"].items():
        times[stage].append(ms)
    reviews += out["action"] == "review"
    mismatched += out["x"] != X[i] and max(abs(a - b) for a, b in zip(out["x"], X[i])) > 1e-9
    if out["p"] is not None:
        worst = max(worst, abs(out["p"] - model.proba([i])[0]))

rows = serving.stage_table(times)
show.table(rows, title=f"⏱ {len(idx)} payments of day 70, in-process", varies=True)
print(f"served features equal the backfill for {len(idx) - mismatched} of {len(idx)} payments; "
      f"served probabilities equal the offline ones: {worst < 1e-9}")

# How the work grows: a velocity lookup reads the events of the window; recomputing the same
# count from the payment log reads the card's whole history, which only grows.
checkpoints, grow, seen = (14, 70, 139), [], {}
col = pf.FEATURES.index("card_tx_24h")
hist, win = [], []
for i in range(len(w)):
    day = int(w.t[i])
    if day in checkpoints:
        hist.append(seen.get(w.card[i], 0))
        win.append(X[i][col])
        if i + 1 == len(w) or int(w.t[i + 1]) != day:          # the day's last payment
            grow.append({"day": day, "events read: 24 h window": round(sum(win) / len(win), 2),
                         "events read: scan the card's log": round(sum(hist) / len(hist), 1)})
            hist, win = [], []
    seen[w.card[i]] = seen.get(w.card[i], 0) + 1
show.table(grow, title="Events read per payment for card_tx_24h")
print(f"state after the day: {state.entries():,} events in the velocity windows, "
      f"{len(state.seen):,} cards with known devices")

assert mismatched == 0 and worst < 1e-9            # online features and scores = offline ones
first, mid, last = grow
assert last["events read: scan the card's log"] > 8 * first["events read: scan the card's log"]
assert last["events read: 24 h window"] < 2 * first["events read: 24 h window"] + 0.5
assert last["events read: scan the card's log"] > 100 * last["events read: 24 h window"]
