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
rows = []
for mu in SHIFTS:
    truth = true_rate(mu)
    plain, snips, direct, ess = [], [], [], []
    for _ in range(REPEATS):
        xs = [rng.gauss(0.0, 1.0) for _ in range(N)]                 # logged under q = N(0, 1)
        ys = [1.0 if rng.random() < convert(x) else 0.0 for x in xs]
        w = [math.exp(mu * x - mu * mu / 2) for x in xs]             # p(x) / q(x)
        plain.append(math.fsum(wi * yi for wi, yi in zip(w, ys)) / N)
        snips.append(math.fsum(wi * yi for wi, yi in zip(w, ys)) / math.fsum(w))
        ess.append(effective_sample_size(w))
        direct.append(sum(1 for _ in range(N) if rng.random() < convert(rng.gauss(mu, 1.0))) / N)

    def rmse(values):
        return math.sqrt(math.fsum((v - truth) ** 2 for v in values) / len(values))

    rows.append({"shift mu": mu, "true rate": round(truth, 4), "logged mean rate": round(math.fsum(ys) / N, 4),
                 "ESS (median)": round(sorted(ess)[REPEATS // 2], 1), "e^-mu^2 * N": round(N * math.exp(-mu * mu), 1),
                 "rmse, sample from p": round(rmse(direct), 4), "rmse, weighted": round(rmse(plain), 4),
                 "rmse, self-normalised": round(rmse(snips), 4)})
show.table(rows, title=f"{N} logged events per estimate, {REPEATS} estimates per shift")
show.line_chart([r["shift mu"] for r in rows],
                {"sample from p (unavailable in practice)": [r["rmse, sample from p"] for r in rows],
                 "weighted p/q": [r["rmse, weighted"] for r in rows],
                 "self-normalised": [r["rmse, self-normalised"] for r in rows]},
                x_title="shift of the new traffic, mu", y_title="rmse of the conversion-rate estimate",
                title="Importance weights work while q covers p, then blow up")
r0, r1, r25 = rows[0], rows[SHIFTS.index(1.0)], rows[-1]
print(f"mu = 1: ESS {r1['ESS (median)']} of {N} (theory {r1['e^-mu^2 * N']}); rmse weighted {r1['rmse, weighted']}, "
      f"self-normalised {r1['rmse, self-normalised']}, a fresh sample from p {r1['rmse, sample from p']}")
print(f"mu = 2.5: ESS {r25['ESS (median)']} of {N}; rmse weighted {r25['rmse, weighted']} against "
      f"{r25['rmse, sample from p']} for a fresh sample; the naive logged rate {r25['logged mean rate']} "
      f"misses the truth {r25['true rate']}")

assert r0["ESS (median)"] == N and r0["rmse, weighted"] == r0["rmse, self-normalised"], "no shift: every weight is 1"
assert all(abs(r["ESS (median)"] / max(r["e^-mu^2 * N"], 1) - 1) < 0.5 for r in rows[:4]), \
    "measured ESS follows N * exp(-mu^2) while q covers p"
ess_col = [r["ESS (median)"] for r in rows]
assert ess_col == sorted(ess_col, reverse=True), "ESS falls as the shift grows"
assert r1["rmse, self-normalised"] < 2 * r1["rmse, sample from p"], "at mu = 1 self-normalised weighting costs < 2x the error"
assert r1["rmse, weighted"] > r1["rmse, self-normalised"], "at mu = 1 the plain weighted estimate is the noisier one"
assert r25["ESS (median)"] > 5 * r25["e^-mu^2 * N"], "at mu = 2.5 the measured ESS is far above the true one: it cannot see what q never drew"
assert r25["rmse, weighted"] > 4 * r25["rmse, sample from p"], "at mu = 2.5 the weighted estimate is far noisier"
assert r25["rmse, self-normalised"] < r25["rmse, weighted"], "self-normalising tames the blow-up (with bias)"
