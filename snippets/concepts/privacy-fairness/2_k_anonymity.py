# k-anonymity by generalization and suppression, and the homogeneity attack.
# The release keeps (ZIP, birth date, sex) as quasi-identifiers and a diagnosis as the
# sensitive column. Coarsen the quasi-identifiers step by step, drop rows in classes smaller
# than K, and measure what a linkage attacker and a homogeneity attacker still learn.
import datetime
import random

from mlsd import show
from mlsd.privacy import equivalence_classes, k_anonymity, l_diversity

K = 5                          # the k the release must reach (suppress smaller classes)

rng = random.Random(7)
ZIPS = [f"021{i:02d}" for i in range(10)] + [f"024{i:02d}" for i in range(10)]
START = datetime.date(1940, 1, 1)
member_ids = rng.sample(range(100_000), 4000)   # the same town and release as the pseudonym cell
population = [{"name": f"person {pid}", "member_id": member_ids[pid], "zip": rng.choice(ZIPS), "sex": rng.choice("FM"),
               "birth": START + datetime.timedelta(days=rng.randrange(365 * 65))} for pid in range(4000)]
patients = rng.sample(population, 800)
for p in population:           # diagnoses depend on age, as real ones do
    age = 2025 - p["birth"].year
    p["dx"] = rng.choices(["none", "asthma", "diabetes", "heart disease"],
                          [6, 1, age / 30, max(age - 50, 0) / 4])[0]

LEVELS = {                     # how coarse each quasi-identifier is released
    "ZIP5, birth date, sex": lambda p: (p["zip"], p["birth"], p["sex"]),
    "ZIP5, birth year, sex": lambda p: (p["zip"], p["birth"].year, p["sex"]),
    "ZIP3, birth year, sex": lambda p: (p["zip"][:3], p["birth"].year, p["sex"]),
    "ZIP3, decade, sex": lambda p: (p["zip"][:3], p["birth"].year // 10 * 10, p["sex"]),
    "ZIP3, decade": lambda p: (p["zip"][:3], p["birth"].year // 10 * 10),
}
QI = ["qi"]
rows = []
for name, gen in LEVELS.items():
    table = [{"qi": gen(p), "dx": p["dx"], "name": p["name"]} for p in patients]
    classes = equivalence_classes(table, QI)
    kept = [r for ix in classes.values() if len(ix) >= K for r in (table[i] for i in ix)]
    roll = {}
    for p in population:
        roll.setdefault(gen(p), []).append(p["name"])
    linked = sum(len(roll[r["qi"]]) == 1 for r in table)        # one candidate on the voter roll
    kept_classes = equivalence_classes(kept, QI) if kept else {}
    homogeneous = sum(len(ix) for ix in kept_classes.values() if len({kept[i]["dx"] for i in ix}) == 1)
    rows.append({"quasi-identifiers": name, "k before suppression": k_anonymity(table, QI),
                 "rows suppressed": len(table) - len(kept),
                 "k after": k_anonymity(kept, QI) if kept else None,
                 "l after": l_diversity(kept, QI, "dx") if kept else None,
                 "linkable before suppression": linked,
                 "diagnosis disclosed (homogeneous class)": homogeneous})
show.table(rows, title=f"Release of {len(patients)} patients, suppressing classes smaller than K = {K}")
show.bar_chart([r["quasi-identifiers"] for r in rows], [r["rows suppressed"] for r in rows],
               x_title="quasi-identifiers released", y_title=f"rows suppressed to reach k = {K}",
               title="Coarser quasi-identifiers keep more rows")

exact, year, zip3, decade, nosex = rows
print(f"exact quasi-identifiers: k = {exact['k before suppression']}, {exact['linkable before suppression']} "
      f"rows linkable to one voter; reaching k = {K} suppresses {exact['rows suppressed']} of {len(patients)} rows")
print(f"ZIP3 + birth year + sex: {zip3['rows suppressed']} rows suppressed, k = {zip3['k after']} but "
      f"l = {zip3['l after']}: {zip3['diagnosis disclosed (homogeneous class)']} released patients sit in a "
      f"class with a single diagnosis")
print(f"ZIP3 + decade + sex: {decade['rows suppressed']} suppressed, k = {decade['k after']}, l = {decade['l after']}, "
      f"{decade['diagnosis disclosed (homogeneous class)']} disclosed")
assert exact["k before suppression"] == 1, "exact quasi-identifiers leave unique rows"
assert exact["rows suppressed"] > 0.95 * len(patients), "k-anonymity on exact values suppresses almost all"
assert all(r["k after"] is None or r["k after"] >= K for r in rows), "suppression reaches the target k"
assert exact["linkable before suppression"] > 0.9 * len(patients), "exact values link over 90 % of rows"
assert decade["linkable before suppression"] == 0, "ZIP3 + decade + sex links nobody uniquely"
supp = [r["rows suppressed"] for r in rows]
assert supp == sorted(supp, reverse=True), "coarser quasi-identifiers suppress fewer rows"
if K == 5:                     # the figures the page quotes; other K values change them
    assert zip3["k after"] == K and zip3["l after"] == 1 and zip3["diagnosis disclosed (homogeneous class)"] > 0, \
        "a 5-anonymous release (ZIP3, birth year, sex) still discloses diagnoses (homogeneous classes)"
    assert decade["rows suppressed"] == 0 and decade["l after"] >= 2 \
        and decade["diagnosis disclosed (homogeneous class)"] == 0, \
        "ZIP3, decade, sex keeps every row, is 2-diverse and discloses no diagnosis outright"
