# A simulated online test. Shoppers examine position r with probability 0.7^r and click an
# examined result with probability base[true grade] x the photo's attractiveness (0.5-1.5).
# Raters see relevance only; shoppers also see how good a photo looks.
from casestudies import visual_search as vs
from mlsd import experiments, show

cat, q = vs.catalogue(), vs.queries()
REPLAYS = 30                     # sessions per camera photo and arm
LAMBDA = 0.08                    # re-rank: similarity + LAMBDA x (photo quality - 1)


def mrr(lists):
    return sum(next((1 / (r + 1) for r, i in enumerate(l) if cat.product[i] == p), 0.0)
               for l, p in zip(lists, q.product)) / len(lists)


def per_photo_ctr(lists, seed):
    clicks = vs.click_sessions([list(l) for l in lists] * REPLAYS, list(q.product) * REPLAYS, seed=seed)
    n = len(lists)
    return [sum(clicks[k + n * r] for r in range(REPLAYS)) / REPLAYS for k in range(n)]


# The three rankings: incumbent, challenger embedding, challenger + photo-quality re-rank.
arms = {"A: projection on augmentations (incumbent)": vs.result_lists("augment", dedup_threshold=0.97),
        "B: + angles": vs.result_lists("augment+angles", dedup_threshold=0.97)}
stored = vs.catalogue_vectors()
reranked = []
for v, lst in zip(vs.projection().project(q.x), vs.result_lists("augment+angles", dedup_threshold=0.97)):
    scored = [(i, sum(a * b for a, b in zip(v, stored[i])) + LAMBDA * (cat.quality[i] - 1)) for i in lst]
    reranked.append(tuple(i for i, _ in sorted(scored, key=lambda r: -r[1])))
arms["C: B + photo-quality re-rank"] = tuple(reranked)

ctr = {name: per_photo_ctr(lists, seed) for seed, (name, lists) in enumerate(arms.items(), 1)}
rows = [{"arm": name, "MRR (offline)": round(mrr(lists), 3),
         "sessions": len(q) * REPLAYS, "sessions with a click": round(sum(ctr[name]) / len(q), 4)}
        for name, lists in arms.items()]
show.table(rows, title="Offline relevance against simulated clicks")

results = {}
for a, b in (("A", "B"), ("B", "C")):
    na = next(n for n in arms if n.startswith(a))
    nb = next(n for n in arms if n.startswith(b))
    diff = [y - x for x, y in zip(ctr[na], ctr[nb])]            # paired by photo
    ci = experiments.bootstrap_ci(diff, n_boot=400, seed=3)
    base = sum(ctr[na]) / len(q)
    off = mrr(arms[nb]) / mrr(arms[na]) - 1
    results[b] = (off, ci["estimate"] / base, ci["ci_low"] / base, ci["ci_high"] / base)
    print(f"{b} against {a}: offline MRR {off:+.1%}; clicks {ci['estimate'] / base:+.1%} "
          f"(95% CI {ci['ci_low'] / base:+.1%} to {ci['ci_high'] / base:+.1%}, photos resampled)")

off_b, on_b, lo_b, hi_b = results["B"]
off_c, on_c, lo_c, hi_c = results["C"]
assert 0.2 < rows[0]["sessions with a click"] < 0.3, "about a quarter of sessions should click"
assert (round(off_b, 3), round(on_b, 3)) == (0.115, 0.134), \
    f"page quotes B: offline +11.5%, online +13.4%; got {off_b:+.1%}, {on_b:+.1%}"
assert off_b > 0.05 and lo_b > 0, "B should win offline and online (interval above zero)"
assert (round(off_c, 3), round(on_c, 3)) == (-0.014, 0.041), \
    f"page quotes C: offline -1.4%, online +4.1%; got {off_c:+.1%}, {on_c:+.1%}"
assert off_c < 0 and lo_c < 0 < hi_c, "C should lose offline and be within noise online"
