# Simple random sampling against stratified sampling, proportional and Neyman.
# Estimate the mean weekly spend per user from a sample of N_SAMPLE users,
# DRAWS times over, and measure how much each design's estimate moves against the
# sd that the variance formula predicts.
import math
import random

from mlsd import show
from mlsd.sampling import allocate, stratified_estimate

N_SAMPLE = 600          # users we can afford to survey (or label, or score offline)
SEED = 7
DRAWS = 200             # repeated samples, to measure each design's spread
GUESS_SDS = [5.0, 20.0, 100.0]   # rough sds, as from last quarter's labels: try [1, 1, 1] (proportional)

rng = random.Random(SEED)
# A population of 10,000 users in three segments: share, chance of buying, mean basket.
SEGMENTS = {"free": (0.80, 0.03, 15.0), "subscriber": (0.17, 0.25, 40.0), "business": (0.03, 0.50, 200.0)}
names = list(SEGMENTS)
strata = []
for name, (share, p_buy, basket) in SEGMENTS.items():
    strata.append([rng.expovariate(1 / basket) if rng.random() < p_buy else 0.0
                   for _ in range(round(10000 * share))])
sizes = [len(s) for s in strata]
everyone = [y for s in strata for y in s]
truth = math.fsum(everyone) / len(everyone)
truth_rare = math.fsum(strata[2]) / sizes[2]
means = [math.fsum(s) / len(s) for s in strata]
sds = [math.sqrt(math.fsum((y - m) ** 2 for y in s) / (len(s) - 1)) for s, m in zip(strata, means)]
show.table([{"segment": n, "users": sizes[h], "share": round(sizes[h] / len(everyone), 3),
             "mean spend": round(math.fsum(strata[h]) / sizes[h], 2), "sd of spend": round(sds[h], 1)}
            for h, n in enumerate(names)], title=f"The population: mean spend {truth:.2f} per user")

# Design 1: simple random sample. Designs 2-3: a fixed number per segment, then weighted.
designs = {"proportional": allocate(sizes, N_SAMPLE), "Neyman": allocate(sizes, N_SAMPLE, sds=sds)}
estimates = {"simple random": [], "proportional": [], "Neyman": [], "Neyman, weights forgotten": []}
rare = {"simple random": [], "Neyman": []}
rare_counts = []
for _ in range(DRAWS):
    pick = rng.sample(range(len(everyone)), N_SAMPLE)
    ys = [everyone[i] for i in pick]
    estimates["simple random"].append(math.fsum(ys) / N_SAMPLE)
    in_rare = [everyone[i] for i in pick if i >= sizes[0] + sizes[1]]    # the business users drawn
    rare_counts.append(len(in_rare))
    rare["simple random"].append(math.fsum(in_rare) / len(in_rare) if in_rare else 0.0)
    for design, alloc in designs.items():
        samples = [rng.sample(s, n) for s, n in zip(strata, alloc)]
        estimates[design].append(stratified_estimate(samples, sizes)[0])
        if design == "Neyman":
            pooled = [y for s in samples for y in s]
            estimates["Neyman, weights forgotten"].append(math.fsum(pooled) / len(pooled))
            rare["Neyman"].append(math.fsum(samples[2]) / len(samples[2]))


def spread(values, center):
    mean = math.fsum(values) / len(values)
    bias = mean - center
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))
    return round(bias, 2), round(sd, 3)


rows = []
for design, values in estimates.items():
    bias, sd = spread(values, truth)
    alloc = designs.get(design.split(",")[0], None)
    rows.append({"design": design, "business users in sample": alloc[2] if alloc else f"{min(rare_counts)}-{max(rare_counts)}",
                 "bias": bias, "sd of estimate": sd, "rmse": round(math.hypot(bias, sd), 3)})


def formula_sd(alloc):                 # sqrt of sum_h W_h^2 (1 - n_h/N_h) S_h^2 / n_h
    N = len(everyone)
    return math.sqrt(math.fsum((Nh / N) ** 2 * (1 - nh / Nh) * S * S / nh for Nh, nh, S in zip(sizes, alloc, sds)))


pop_sd = math.sqrt(math.fsum((y - truth) ** 2 for y in everyone) / (len(everyone) - 1))
theory = {"simple random": math.sqrt((1 - N_SAMPLE / len(everyone)) * pop_sd ** 2 / N_SAMPLE),
          "proportional": formula_sd(designs["proportional"]), "Neyman": formula_sd(designs["Neyman"])}
for r in rows:
    r["sd by formula"] = round(theory[r["design"]], 3) if r["design"] in theory else "-"
show.table(rows, title=f"Mean spend per user from {N_SAMPLE} users, over {DRAWS} draws (truth {truth:.2f})")
show.bar_chart([r["design"] for r in rows[:3]], [r["sd of estimate"] for r in rows[:3]], x_title="design",
               y_title="sd of the estimate", title=f"Same {N_SAMPLE} users, three designs")
sd = {r["design"]: r["sd of estimate"] for r in rows}
bias = {r["design"]: r["bias"] for r in rows}
rare_sd = {d: spread(v, truth_rare)[1] for d, v in rare.items()}
gain = (theory["simple random"] / theory["Neyman"]) ** 2
print(f"sd of the estimate: simple random {sd['simple random']}, proportional {sd['proportional']}, "
      f"Neyman {sd['Neyman']}; by the formula, simple random sampling would need about "
      f"{gain:.0f} times as many users to match Neyman, and proportional allocation cuts its sd by "
      f"{1 - theory['proportional'] / theory['simple random']:.0%}")
print(f"business segment's own mean ({truth_rare:.1f}): sd {rare_sd['simple random']} from the "
      f"{min(rare_counts)}-{max(rare_counts)} business users a simple random sample happens to hold, "
      f"{rare_sd['Neyman']} from Neyman's {designs['Neyman'][2]}")
forgotten = truth + bias["Neyman, weights forgotten"]
print(f"Neyman without the weights: the sample is {designs['Neyman'][2] / N_SAMPLE:.1%} business users "
      f"(population {sizes[2] / len(everyone):.0%}), so the plain average is {forgotten:.1f} against {truth:.2f}, "
      f"{forgotten / truth:.1f} times too high")
guessed = allocate(sizes, N_SAMPLE, sds=GUESS_SDS)
kept = (theory["simple random"] ** 2 / formula_sd(guessed) ** 2 - 1) / (gain - 1)
print(f"Neyman with guessed sds {GUESS_SDS}: allocation {guessed}, sd by formula {formula_sd(guessed):.3f}, "
      f"{kept:.0%} of the exact allocation's gain in effective sample size")

assert all(abs(sd[d] / theory[d] - 1) < 0.2 for d in theory), "measured spreads match the variance formula within 20 %"
assert theory["Neyman"] < theory["proportional"] < theory["simple random"], "Neyman beats proportional beats simple random"
assert sd["Neyman"] < 0.5 * min(sd["proportional"], sd["simple random"]), "Neyman's measured sd is under half the others'"
assert gain > 8, f"'about {gain:.0f} times as many users': Neyman is worth over 8x the sample size"
assert all(abs(bias[d]) < 3 * sd[d] / math.sqrt(DRAWS) + 0.01 for d in ("simple random", "proportional", "Neyman")), \
    "the three weighted designs are unbiased (mean within 3 standard errors of the truth)"
assert forgotten > 5 * truth, f"forgetting the weights: {forgotten:.1f} is over 5x the truth {truth:.2f}"
assert rare_sd["Neyman"] < 0.5 * rare_sd["simple random"], "oversampling the rare segment halves its own error"
if GUESS_SDS == [5.0, 20.0, 100.0]:
    assert kept > 0.6, f"rough sds keep {kept:.0%} of Neyman's gain: the page says most of it"
