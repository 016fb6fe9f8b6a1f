# Monitoring: from day 42 a ticketing partner's feed adds paid nightlife and
# music events from hosts that have no track record on the platform (their
# sell-through is imputed). The ranker is not retrained. What do the input and
# output signals show, week by week? Reference for drift: days 28-35.
# A segment this small gets a handful of registrations a week, so the cell
# compares counts (predicted, observed, and the simulator's expectation)
# rather than trusting a ratio of two small numbers.
import math

from mlsd import monitoring, show
from casestudies import event_recommendation as ev

data = ev.world()
ranker = ev.ranker()
SELL = ev.FEATURES.index("host_sell_through")
reference = [i.features[SELL] for i in ev.impression_rows(28.0, 35.0)]

rows = []
for start in (28.0, 35.0, 42.0, 49.0):
    imps = ev.impression_rows(start, start + 7)
    p = ev.unbias(ranker.decision_function([list(i.features) for i in imps]))
    partner = [k for k, i in enumerate(imps) if data.events[i.event].partner]
    partner_regs = sum(imps[k].registered for k in partner)
    truth = 0.0                            # what the simulator knows: expected registrations
    for k in partner:
        i = imps[k]
        u, e = data.users[i.user], data.events[i.event]
        z = ev.true_logit(u, e, i.t, ev.snapshot(int(i.t)).friends_going(u, e), data.hosts)
        truth += ev.examine(i.position) / (1.0 + math.exp(-z))
    observed = sum(i.registered for i in imps) / len(imps)
    rows.append({"days": f"{start:g}-{start + 7:g}",
                 "partner share": round(len(partner) / len(imps), 3),
                 "observed rate": round(observed, 4),
                 "predicted / observed": round(sum(p) / len(p) / observed, 2),
                 "partner regs: predicted": round(sum(p[k] for k in partner), 1),
                 "observed": partner_regs,
                 "expected (simulator)": round(truth, 1),
                 "PSI host track record": round(monitoring.psi(reference, [i.features[SELL] for i in imps]), 3)})
show.table(rows, title="Weekly monitoring (partner feed from day 42)")

before, same, first, second = rows
print(f"PSI of the host track record: {same['PSI host track record']} before the feed, "
      f"{first['PSI host track record']} in its first week, {second['PSI host track record']} in its second")
assert before["partner share"] == 0 and same["PSI host track record"] < 0.02   # stable before
assert first["PSI host track record"] > 5 * same["PSI host track record"]      # rising in week one
assert second["PSI host track record"] > 0.25                                  # the alarm fires
pred = first["partner regs: predicted"] + second["partner regs: predicted"]
seen = first["observed"] + second["observed"]
true = first["expected (simulator)"] + second["expected (simulator)"]
p_low = sum(math.exp(-pred) * pred ** k / math.factorial(k) for k in range(seen + 1))
print(f"partner events, both weeks: {pred:.1f} registrations predicted, {seen} observed "
      f"(chance of {seen} or fewer if the prediction were right: {p_low:.1e}), {true:.1f} expected "
      f"by the simulator: over-predicted {pred / true:.1f}x")
print(f"overall predicted / observed: {before['predicted / observed']} and {same['predicted / observed']} "
      f"before the feed, {first['predicted / observed']} and {second['predicted / observed']} after")
assert all(r["observed"] <= 5 for r in (first, second))   # too few for a weekly ratio to mean much
assert all(r["partner regs: predicted"] > 2 * r["expected (simulator)"] for r in (first, second))
assert p_low < 0.01                                   # the counts alone are enough to alarm
assert all(abs(r["predicted / observed"] - 1) < abs(same["predicted / observed"] - 1)
           for r in (first, second))                  # the average even looks better
