# The model ladder: five models on the same downsampled training rows (days
# 4-13), each recalibrated, scored on the test day against the true click
# probabilities. The last row is the best any model could do.
from mlsd import show
from casestudies import ad_click_prediction as ad

test = ad.eval_rows()
results = {name: ad.evaluate(test["p_true"], ad.predict(name, test)) for name in ad.MODELS}
truth = ad.evaluate(test["p_true"], test["p_true"])
base = results["LR + crosses"]["NE"]
rows = [{"model": name, "NE": round(m["NE"], 4), "NE vs incumbent": f"{m['NE'] / base - 1:+.1%}",
         "AUC": round(m["AUC"], 4), "calibration": round(m["calibration"], 3)}
        for name, m in results.items()]
rows.append({"model": "the true probabilities", "NE": round(truth["NE"], 4),
             "NE vs incumbent": f"{truth['NE'] / base - 1:+.1%}", "AUC": round(truth["AUC"], 4),
             "calibration": 1.0})
show.table(rows, title=f"Test day {ad.TEST_DAY}, {len(test['p_true']):,} impressions "
                       f"(NE and AUC in expectation over the clicks)")
gbdt, dcn = ad.ladder("GBDT"), ad.ladder("DCN")
print(f"small enough for a browser: GBDT {len(gbdt.trees)} trees of up to {gbdt.num_leaves} leaves; "
      f"DCN {dcn.n_cross} cross layers, {dcn.n_hidden} hidden units, {dcn.epochs} epoch")
top = [name for name, _ in gbdt.feature_importance(ad.DENSE_NAMES)[:3]]
print("GBDT's three most useful features:", ", ".join(top))

# The prose's claims:
ne = {name: m["NE"] for name, m in results.items()}
assert min(ne, key=ne.get) == "LR + crosses"         # the crossed LR, the incumbent, is not beaten here
assert all(ne[n] / base - 1 < 0.02 for n in ad.MODELS if n != "LR, no crosses")  # all within 2 %
assert max(ne, key=ne.get) == "DCN"                   # the DCN needs more data than it has
assert all(m["NE"] > truth["NE"] + 0.05 for m in results.values())   # far from the ceiling
assert all(0.9 < m["calibration"] < 1.15 for m in results.values())
assert (len(gbdt.trees), gbdt.num_leaves, dcn.n_cross, dcn.n_hidden, dcn.epochs) == (30, 8, 2, 4, 1)
assert top == ["ad_ctr", "interest_match", "user_imps"]   # a counter first, then the match flag and ad load
