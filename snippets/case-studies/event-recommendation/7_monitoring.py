# Monitoring: from day 42 a ticketing partner's feed adds paid nightlife and
# music events from hosts that have no track record on the platform (their
# sell-through is imputed). The ranker is not retrained. What do the input and
# output signals show, week by week? Reference for drift: days 28-35.
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
    observed = sum(i.registered for i in imps) / len(imps)
    rows.append({"days": f"{start:g}-{start + 7:g}",
                 "partner share": round(len(partner) / len(imps), 3),
                 "observed rate": round(observed, 4),
                 "predicted / observed": round(sum(p) / len(p) / observed, 2),
                 "partner: predicted / observed": (round(sum(p[k] for k in partner) / partner_regs, 1)
                                                   if partner_regs else "-"),
                 "PSI host track record": round(monitoring.psi(reference, [i.features[SELL] for i in imps]), 3)})
show.table(rows, title="Weekly monitoring (partner feed from day 42)")

before, same, first, second = rows
print(f"PSI of the host track record: {same['PSI host track record']} before the feed, "
      f"{first['PSI host track record']} in its first week, {second['PSI host track record']} in its second")
assert before["partner share"] == 0 and same["PSI host track record"] < 0.02   # stable before
assert first["PSI host track record"] > 5 * same["PSI host track record"]      # rising in week one
assert second["PSI host track record"] > 0.25                                  # the alarm fires
assert first["partner: predicted / observed"] > 2 and second["partner: predicted / observed"] > 2
assert all(abs(r["predicted / observed"] - 1) < 0.25 for r in (first, second))  # the average hides it
