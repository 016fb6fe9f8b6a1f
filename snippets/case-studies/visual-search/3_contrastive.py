# Contrastive learning of a linear projection on top of the frozen encoder: positive pairs are
# two augmentations of one catalogue photo, negatives are the other photos in the batch (InfoNCE).
from casestudies import visual_search as vs
from mlsd import experiments, metrics, show

cat, q = vs.catalogue(), vs.queries()
relevant = [vs.listings_of(p) for p in q.product]       # every listing of the photographed product
a, b = vs.training_pairs("augment")
print(f"{len(a):,} positive pairs from listings before day {vs.SPLIT_DAY:g}; "
      f"batches of 32, so each pair has 31 in-batch negatives")

runs = {"raw encoder (cosine)": vs.result_lists(None)}
for train_seed in (0, 1):                       # two trainings: initial W and batch order differ
    model = vs.projection("augment", train_seed=train_seed)
    runs[f"projection, training seed {train_seed}"] = vs.result_lists("augment", train_seed)
losses = vs.projection("augment").history
show.table([{"epoch": e + 1, "InfoNCE loss": round(v, 3)} for e, v in enumerate(losses)],
           title="Training loss (log 32 = 3.47 is chance)")

rows, per_query = [], {}
for name, lists in runs.items():
    rr = [metrics.reciprocal_rank(l, r) for l, r in zip(lists, relevant)]
    hit = [float(bool(set(l) & r)) for l, r in zip(lists, relevant)]
    per_query[name] = hit
    rows.append({"vectors": name, "MRR": round(sum(rr) / len(rr), 3),
                 "recall@10 (own product in the top 10)": round(sum(hit) / len(hit), 3)})
show.table(rows, title=f"{len(q)} camera photos from the test window, exact search")

# Is the gain luck of the 300 queries? Bootstrap the per-query difference (paired).
base = per_query["raw encoder (cosine)"]
cis = {}
for name in list(runs)[1:]:
    diff = [x - y for x, y in zip(per_query[name], base)]
    cis[name] = experiments.bootstrap_ci(diff, n_boot=400, seed=1)
    print(f"{name}: recall@10 gain {cis[name]['estimate']:+.3f}, "
          f"95% CI [{cis[name]['ci_low']:+.3f}, {cis[name]['ci_high']:+.3f}]")

raw, s0, s1 = rows
rec = "recall@10 (own product in the top 10)"
# The page quotes: loss 1.05 -> 0.35; recall@10 0.58 -> 0.74; MRR 0.35 -> 0.44; CI low end +0.08.
assert losses[-1] < losses[0] < 3.47, f"the loss should fall below chance: {losses}"
assert len(a) == 694 and len(losses) == 2, f"page quotes two epochs over 694 pairs: {len(losses)}, {len(a)}"
assert round(losses[0], 2) == 1.05 and round(losses[-1], 2) == 0.35, f"page quotes the loss: {losses}"
assert round(raw[rec], 2) == 0.58 and round(s0[rec], 2) == 0.74, f"page quotes recall: {raw[rec]}, {s0[rec]}"
assert round(raw["MRR"], 2) == 0.35 and round(s0["MRR"], 2) == 0.44, "page quotes MRR 0.35 -> 0.44"
assert s0["MRR"] > raw["MRR"] + 0.05 and s1["MRR"] > raw["MRR"] + 0.05, "both runs should gain MRR"
low = min(ci["ci_low"] for ci in cis.values())
assert low >= 0.08, f"the gain's interval should stay above +0.08 (not luck of the queries): {low:+.3f}"
assert abs(s0["MRR"] - s1["MRR"]) < 0.02, "page: the second training run lands within 0.02 in MRR"
