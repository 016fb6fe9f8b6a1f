# A simulated online test on days 56-84: cards are split at random into two arms. Control runs
# the rules and the incumbent model, treatment the rules and the challenger; both decide by
# expected cost and share the review queue (one review a day each). The metric is what fraud
# costs per card: losses + blocked good customers + reviews.
import random
import statistics

from mlsd import experiments, show
from casestudies import payment_fraud as pf

w = pf.world()
test = pf.window(pf.TRAIN_END, pf.TEST_END)
rng = random.Random(1)
treated = [rng.random() < 0.5 for _ in range(pf.WORLD["n_cards"])]
rows, per_card = [], {}
for arm, kind, flag in [("control: incumbent", "incumbent", False),
                        ("treatment: challenger", "challenger", True)]:
    idx = [i for i in test if treated[w.card[i]] == flag]
    scored = dict(zip(*pf.scores(kind)))
    r = pf.policy_cost(idx, [scored.get(i, 1.0) for i in idx], reviews_per_day=1)
    cost, early = {}, {}
    for i, c in zip(idx, r["costs"]):
        cost[w.card[i]] = cost.get(w.card[i], 0.0) + c
        # what the team can count on day 84: a loss shows up only once its chargeback arrived
        seen = c if not (w.fraud[i] and c > pf.COSTS["review"] and w.chargeback_at[i] > pf.TEST_END) else 0.0
        early[w.card[i]] = early.get(w.card[i], 0.0) + seen
    cards = [k for k in range(pf.WORLD["n_cards"]) if treated[k] == flag]
    per_card[arm] = ([cost.get(k, 0.0) for k in cards], [early.get(k, 0.0) for k in cards])
    rows.append({"arm": arm, "cards": len(cards), "payments": len(idx), "frauds": r["frauds"],
                 "caught": r["fraud_caught"], "good blocked": r["good_blocked"],
                 "reviews": r["reviews"],
                 "$ per card, day 84": round(statistics.fmean(per_card[arm][1]), 3),
                 "$ per card, matured": round(statistics.fmean(per_card[arm][0]), 3)})
show.table(rows, title="Simulated online test, days 56-84")

control, treatment = per_card.values()
result = experiments.mean_test(control[0], treatment[0])
early = experiments.mean_test(control[1], treatment[1])
print(f"matured: {result['lift']:+.0%} cost per card (95% CI {result['ci_low']:+.2f} to "
      f"{result['ci_high']:+.2f} $), p = {result['p_value']:.2f}")
print(f"read on day 84: {early['lift']:+.0%}, p = {early['p_value']:.2f}")
sd = statistics.stdev(control[0] + treatment[0])
need = experiments.sample_size_means(sd=sd, mde=0.2 * statistics.fmean(control[0]))
print(f"cards per arm to detect a 20% cost change at 80% power: {need:,} "
      f"(this toy has {len(control[0]):,}; a processor has millions)")

assert result["diff"] < 0 and result["lift"] < -0.2          # the challenger costs less ...
assert not result["significant"]                              # ... but 2,500 cards cannot prove it
assert need > 4 * len(control[0])
assert abs(rows[0]["cards"] - rows[1]["cards"]) < 0.05 * pf.WORLD["n_cards"]   # the split is fair
assert all(r["$ per card, day 84"] < 0.7 * r["$ per card, matured"] for r in rows)  # early reads flatter
