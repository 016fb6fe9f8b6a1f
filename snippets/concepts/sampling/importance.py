# Importance sampling: the conversion rate under a new traffic mix p, estimated
# from events logged under the old mix q, by weighting each event with p(x) / q(x).
# The further p moves from q, the fewer events carry the estimate.
import math
import random

from mlsd import show
from mlsd.off_policy import effective_sample_size

N = 500                 # logged events per estimate
REPEATS = 100           # estimates per shift, to measure their spread
SHIFTS = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]   # mu: the new traffic's feature mean, in sd units


def convert(x):                       # chance that an event with feature x converts
    return 1 / (1 + math.exp(-(x - 1.0)))


def true_rate(mu):                    # E_p[convert(x)] with x ~ N(mu, 1), by the midpoint rule
    step = 0.01
    grid = [mu - 8 + step * (i + 0.5) for i in range(1600)]
    return math.fsum(convert(x) * math.exp(-(x - mu) ** 2 / 2) for x in grid) * step / math.sqrt(2 * math.pi)


rng = random.Random(5)
# The same logs serve every candidate traffic mix: draw them once, reweight them per shift.
logs = []
for _ in range(REPEATS):
    xs = [rng.gauss(0.0, 1.0) for _ in range(N)]                     # logged under q = N(0, 1)
    logs.append((xs, [1.0 if rng.random() < convert(x) else 0.0 for x in xs]))
logged_rate = math.fsum(math.fsum(ys) for _, ys in logs) / (N * REPEATS)
rows = []
for mu in SHIFTS:
    truth = true_rate(mu)
    plain, snips, ess = [], [], []
    for xs, ys in logs:
        w = [math.exp(mu * x - mu * mu / 2) for x in xs]             # p(x) / q(x)
        wy = math.fsum(wi * yi for wi, yi in zip(w, ys))
        plain.append(wy / N)
        snips.append(wy / math.fsum(w))
        ess.append(effective_sample_size(w))

    def rmse(values):
        return math.sqrt(math.fsum((v - truth) ** 2 for v in values) / len(values))

    # A fresh sample of N events from p: its rate is Binomial(N, truth) / N, so its error is exact.
    fresh = math.sqrt(truth * (1 - truth) / N)
    rows.append({"shift mu": mu, "true rate": round(truth, 4), "logged rate (unweighted)": round(logged_rate, 4),
                 "ESS (median)": round(sorted(ess)[REPEATS // 2], 1), "e^-mu^2 * N": round(N * math.exp(-mu * mu), 1),
                 "rmse, sample from p": round(fresh, 4), "rmse, weighted": round(rmse(plain), 4),
                 "rmse, self-normalised": round(rmse(snips), 4)})
show.table(rows, title=f"{N} logged events per estimate, {REPEATS} estimates per shift")
show.line_chart([r["shift mu"] for r in rows],
                {"sample from p (unavailable in practice)": [r["rmse, sample from p"] for r in rows],
                 "weighted p/q": [r["rmse, weighted"] for r in rows],
                 "self-normalised": [r["rmse, self-normalised"] for r in rows]},
                x_title="shift of the new traffic, mu", y_title="rmse of the conversion-rate estimate",
                title="Importance weights work while q covers p, then blow up")
r0, r1, r25 = rows[0], rows[SHIFTS.index(1.0)], rows[-1]
cost = r1["rmse, self-normalised"] / r1["rmse, sample from p"]
predicted = math.sqrt(N / r1["ESS (median)"])
blowup = r25["rmse, weighted"] / r25["rmse, sample from p"]
print(f"mu = 1: ESS {r1['ESS (median)']} of {N} (theory {r1['e^-mu^2 * N']}); rmse weighted {r1['rmse, weighted']}, "
      f"self-normalised {r1['rmse, self-normalised']}, a fresh sample from p {r1['rmse, sample from p']}: "
      f"self-normalised costs {cost:.2f}x the fresh sample's error, sqrt(N / ESS) predicts {predicted:.2f}x")
print(f"mu = 2.5: ESS {r25['ESS (median)']} of {N}; rmse weighted {r25['rmse, weighted']} against "
      f"{r25['rmse, sample from p']} for a fresh sample ({blowup:.0f}x); the unweighted logged rate "
      f"{r25['logged rate (unweighted)']} misses the truth {r25['true rate']}")

assert r0["ESS (median)"] == N and r0["rmse, weighted"] == r0["rmse, self-normalised"], "no shift: every weight is 1"
assert all(abs(r["ESS (median)"] / r["e^-mu^2 * N"] - 1) < 0.2 for r in rows[:3]), \
    "measured ESS follows N * exp(-mu^2) up to mu = 1"
assert abs(cost / predicted - 1) < 0.3, f"at mu = 1 the error ratio {cost:.2f} is about sqrt(N / ESS) = {predicted:.2f}"
ess_col = [r["ESS (median)"] for r in rows]
assert ess_col == sorted(ess_col, reverse=True), "ESS falls as the shift grows"
assert r1["rmse, weighted"] > r1["rmse, self-normalised"], "at mu = 1 the plain weighted estimate is the noisier one"
assert r25["ESS (median)"] > 5 * r25["e^-mu^2 * N"], "at mu = 2.5 the measured ESS is far above the true one: it cannot see what q never drew"
assert blowup > 10, f"at mu = 2.5 the weighted estimate's error is {blowup:.0f}x a fresh sample's, over 10x"
assert r25["logged rate (unweighted)"] < r25["true rate"] - 0.3, "the unweighted logged rate misses the shifted truth badly"
assert r25["rmse, self-normalised"] < r25["rmse, weighted"], "self-normalising tames the blow-up (with bias)"
