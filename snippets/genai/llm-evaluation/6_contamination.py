# Held-out against contaminated items: a public benchmark that leaked into training.
# Stated rules of the simulation: the incumbent A answers any item correctly with probability
# 0.68; the candidate B with 0.60 on items it has never seen, but LEAKED of the public
# benchmark's items were in its training data and it answers those correctly with probability
# 0.95 (it has memorised them). A fresh set is written after B's training data was collected,
# so it cannot have leaked. Both models answer every item of both sets.
import random

from mlsd import show
from mlsd.experiments import proportion_test

N_PUBLIC, N_FRESH, SEED = 1000, 1500, 0
P_A, P_B_UNSEEN, P_B_SEEN = 0.68, 0.60, 0.95
LEAKED = 0.30                                 # share of the public benchmark in B's training data
rng = random.Random(SEED)

public = [{"leaked": rng.random() < LEAKED} for _ in range(N_PUBLIC)]
fresh = [{"leaked": False} for _ in range(N_FRESH)]
for item in public + fresh:
    item["A"] = rng.random() < P_A
    item["B"] = rng.random() < (P_B_SEEN if item["leaked"] else P_B_UNSEEN)


def accuracy(items, model):
    return sum(i[model] for i in items), len(items)


rows = []
for name, items in (("public benchmark", public), ("  of which leaked into B's training", [i for i in public if i["leaked"]]),
                    ("  of which not leaked", [i for i in public if not i["leaked"]]), ("fresh held-out set", fresh)):
    t = proportion_test(*accuracy(items, "A"), *accuracy(items, "B"))
    rows.append({"evaluation set": name, "items": len(items), "A accuracy": round(t["rate_a"], 3),
                 "B accuracy": round(t["rate_b"], 3), "B - A": round(t["diff"], 3),
                 "95 % interval of B - A": f"{t['ci_low']:+.3f} to {t['ci_high']:+.3f}"})
show.table(rows, title=f"Accuracy when {LEAKED:.0%} of the public benchmark leaked into B's training data")
pub, leak, clean, new = rows
print(f"on the public benchmark B looks {pub['B - A']:+.3f} against A; on the fresh set it is {new['B - A']:+.3f}")
print(f"B scores {leak['B accuracy']} on leaked items and {clean['B accuracy']} on the rest: "
      f"a gap of {leak['B accuracy'] - clean['B accuracy']:.2f} between items of the same benchmark")

fresh_test = proportion_test(*accuracy(fresh, "A"), *accuracy(fresh, "B"))
public_test = proportion_test(*accuracy(public, "A"), *accuracy(public, "B"))
assert public_test["ci_high"] > 0, "the contaminated benchmark should not show B worse than A"
assert fresh_test["ci_high"] < 0, "on fresh items B should be clearly worse than A"
assert leak["B accuracy"] - clean["B accuracy"] > 0.2, "a large leaked-versus-clean gap is the signature of contamination"
assert abs(leak["A accuracy"] - clean["A accuracy"]) < 0.07, "A, which saw no items, should score alike on both parts"
