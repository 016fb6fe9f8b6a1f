# The data: five months of card payments at online merchants, the truth about which were
# fraud, and the day each fraud's chargeback arrives. The split is by time.
import statistics

from mlsd import show
from casestudies import payment_fraud as pf

w = pf.world()
print(f"{len(w):,} payments by {pf.WORLD['n_cards']:,} cards over {pf.WORLD['days']} days "
      f"(~{len(w) / pf.WORLD['days']:.0f} a day)")

rows = []
for name, start, end in [("train", pf.WARMUP, pf.TRAIN_END), ("test", pf.TRAIN_END, pf.TEST_END),
                         ("after the device rule", pf.RULE_DAY, pf.WORLD["days"])]:
    idx = pf.window(start, end)
    frauds = [i for i in idx if w.fraud[i]]
    volume = sum(w.amount[i] for i in idx)
    rows.append({"window": name, "days": f"{start:g}-{end:g}", "payments": len(idx),
                 "frauds": len(frauds), "fraud rate": round(len(frauds) / len(idx), 4),
                 "fraud share of $": round(sum(w.amount[i] for i in frauds) / volume, 4)})
show.table(rows, title="Payments and fraud per window (days 0-7 only warm up the profiles)")

delays = sorted(w.chargeback_at[i] - w.t[i] for i in range(len(w)) if w.fraud[i])
days = list(range(0, 121, 5))
received = [round(sum(d <= x for d in delays) / len(delays), 3) for x in days]
show.line_chart(days, {"share of chargebacks received": received}, x_title="days after the payment",
                y_title="share received", title="Labels arrive weeks after the payment")
median = statistics.median(delays)
within_30 = sum(d <= 30 for d in delays) / len(delays)
within_90 = sum(d <= 90 for d in delays) / len(delays)
print(f"chargeback delay: median {median:.0f} days; {within_30:.0%} arrive within 30 days, "
      f"{within_90:.1%} within 90")

train, test, after = rows
assert all(0.001 <= r["fraud rate"] <= 0.005 for r in rows)    # a fraction of a per cent
assert all(r["fraud share of $"] > 2.5 * r["fraud rate"] for r in rows)  # frauds are big baskets
assert 20 <= median <= 35 and within_30 < 0.65 and within_90 > 0.97
last_train = max(w.t[i] for i in pf.window(pf.WARMUP, pf.TRAIN_END))
assert last_train < pf.TRAIN_END <= min(w.t[i] for i in pf.window(pf.TRAIN_END, pf.TEST_END))
