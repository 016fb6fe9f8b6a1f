# One monitoring signal that needs no labels: the similarity of each photo's best match.
# A phone-app update changes how photos are processed (a shift no training pair covered).
from casestudies import visual_search as vs
from mlsd import monitoring, show

cat = vs.catalogue()
model, index = vs.projection(), vs.catalogue_index()


def window(batches, shift):
    """Best-match similarity of each photo, and recall@10 of its own product (the truth, which
    production would only learn from raters, weeks later)."""
    top1, hits, n = [], 0, 0
    for b in batches:
        q = vs.queries(shift=shift, batch=b)
        # vs.search_many: index.search(v, 10, nprobe=4) for each photo, in less time
        for found, p in zip(vs.search_many(index, model.project(q.x), 10, nprobe=4), q.product):
            top1.append(found[0][1])
            hits += any(cat.product[i] == p for i, _ in found)
            n += 1
    return top1, hits / n


reference, recall_ref = window((1, 2), 0.0)          # last week's 600 photos
rows = []
for name, batches, shift in (("this week, same app", (3, 4), 0.0),
                             ("this week, app update (shift 0.4)", (3, 4), 0.4),
                             ("this week, app update (shift 0.8)", (3, 4), 0.8)):
    current, recall = window(batches, shift)
    rows.append({"window": name, "photos": len(current),
                 "PSI vs last week": round(monitoring.psi(reference, current, n_bins=5), 3),
                 "mean best similarity": round(sum(current) / len(current), 3),
                 "recall@10 (truth)": round(recall, 3)})
show.table(rows, title=f"Best-match similarity, {len(reference)} reference photos "
                       f"(mean {sum(reference) / len(reference):.3f}, recall@10 {recall_ref:.3f})")

same, small, big = rows
psi, rec = "PSI vs last week", "recall@10 (truth)"
assert same[psi] < 0.1, f"no alarm without a change: PSI {same[psi]}"
assert big[psi] > 0.2, f"the big shift should raise the alarm: PSI {big[psi]}"
assert big[rec] < same[rec] - 0.05, "the big shift should cost recall"
assert small[psi] < 0.1 and same[rec] - small[rec] > 0.05, \
    f"the small shift should cost recall ({same[rec]} -> {small[rec]}) yet stay under the alarm (PSI {small[psi]})"
# The page quotes: PSI 0.02 / 0.05 / 0.38; recall 0.72 -> 0.45; 7 points lost to the small shift.
assert (round(same[psi], 2), round(small[psi], 2), round(big[psi], 2)) == (0.02, 0.05, 0.38), \
    f"page quotes PSI 0.02, 0.05 and 0.38; got {same[psi]}, {small[psi]}, {big[psi]}"
assert (round(same[rec], 2), round(big[rec], 2), round(same[rec] - small[rec], 2)) == (0.72, 0.45, 0.07), \
    "page quotes recall 0.72 -> 0.45 and 7 points lost to the small shift"
assert big["mean best similarity"] < small["mean best similarity"] < same["mean best similarity"]
print("alarm (PSI > 0.2): " + ", ".join(f"{r['window']}: {r['PSI vs last week'] > 0.2}" for r in rows))
