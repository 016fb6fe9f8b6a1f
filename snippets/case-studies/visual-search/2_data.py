# The world: a growing catalogue, shoppers' camera photos, and a time-based split.
# The image encoder is a stand-in: each photo's vector is identity + nuisance + noise.
from casestudies import visual_search as vs
from mlsd import show

cat, q = vs.catalogue(), vs.queries()
n_products = len(cat.identity)
dups = sum(d >= 0 for d in cat.dup_of)
variants = sum(v >= 0 for v in cat.variant_of)
angles = sum(a is not None for a in cat.angle_x)
old = vs.WORLD["n_categories"] - vs.WORLD["new_categories"]
train_listings = sum(d < vs.SPLIT_DAY for d in cat.day)
first = {}
for i in range(len(cat)):
    first.setdefault(cat.product[i], cat.day[i])
unseen = sum(first[p] >= vs.SPLIT_DAY for p in q.product)

show.table([
    {"what": "products", "count": n_products},
    {"what": "listings (main photos in the index)", "count": len(cat)},
    {"what": "near-duplicate listings (re-uploaded photos)", "count": dups},
    {"what": "products that are a colour variant of another", "count": variants},
    {"what": "products with a second photo from another angle", "count": angles},
    {"what": f"categories (of which launched after day {vs.REBUILD_DAY:g})",
     "count": f"{vs.WORLD['n_categories']} ({vs.WORLD['new_categories']})"},
    {"what": f"listings before day {vs.SPLIT_DAY:g} (training window)", "count": train_listings},
    {"what": f"camera photos, days {vs.SPLIT_DAY:g}-{vs.DAYS} (test queries)", "count": len(q)},
    {"what": "... of products listed in the test window", "count": unseen},
], title="The world")

# How much of a photo's vector is the object? Expected squared length of each part, from the
# generator's spreads (the identity is a unit vector).
rows = []
for style in ("studio", "angle", "camera", "duplicate"):
    s = vs.PHOTO_STYLE[style]
    parts = {"identity": 1.0 if style != "duplicate" else 0.0}
    parts.update({f: n * s[f] ** 2 for f, n in vs.NUISANCE.items()})
    parts["noise"] = vs.DIM * s["noise"] ** 2
    if style == "duplicate":      # a re-upload: the original photo plus these small changes
        rows.append({"photo": "duplicate (change vs. the original)",
                     **{k: round(v, 3) for k, v in parts.items()}, "identity share": None})
        continue
    total = sum(parts.values())
    rows.append({"photo": style, **{k: round(v, 3) for k, v in parts.items()},
                 "identity share": round(parts["identity"] / total, 2)})
show.table(rows, title="Expected squared length of each part of the encoder's vector")

studio_share, camera_share = rows[0]["identity share"], rows[2]["identity share"]
assert max(cat.day[i] for i in range(train_listings)) < vs.SPLIT_DAY       # listings in time order
assert all(vs.SPLIT_DAY <= d < vs.DAYS for d in q.day)                      # queries: test window
assert all(cat.category[i] < old for i in range(len(cat)) if cat.day[i] < vs.REBUILD_DAY)
assert 0.08 < dups / len(cat) < 0.12 and 0.2 < variants / n_products < 0.3
assert 0.15 < unseen / len(q) < 0.3            # a fifth of queries: products the training never saw
assert studio_share > 0.8 and camera_share < 0.4   # a camera photo is mostly not the object
quoted = (round(dups / len(cat), 2), round(variants / n_products, 1), studio_share, camera_share,
          train_listings, len(q), unseen)
assert quoted == (0.12, 0.3, 0.85, 0.34, 740, 300, 56), \
    f"page quotes 12 % re-uploads, 3 in 10 variants, 85 % / 34 %, 740, 300 and 56; got {quoted}"
print(f"the object is {studio_share:.0%} of a studio photo's vector and {camera_share:.0%} "
      f"of a camera photo's")
