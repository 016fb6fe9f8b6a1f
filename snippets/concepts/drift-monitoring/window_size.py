# How big should a monitoring window be? For growing window sizes n (reference and window
# both of size n, values N(0, 1)), average over REPEATS draws:
# - PSI between two samples of the SAME distribution: pure noise, no drift at all;
# - KS D when the window's mean moved by a harmless TINY_SHIFT standard deviations;
# - the D at which the KS p-value crosses 0.01 (above it, the test says "significant").
import math
import random
from mlsd import monitoring, show, stats

SIZES = [100, 300, 1000, 4000, 16000]
TINY_SHIFT = 0.05
REPEATS = 3
SEED = 0


def critical_z(p=0.01):
    """The z with Kolmogorov tail P(sqrt(n) D > z) = p (large-sample limit), by bisection."""
    lo, hi = 0.5, 3.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if stats.kolmogorov_sf(mid) > p else (lo, mid)
    return hi


Z = critical_z()          # about 1.63: D must exceed 1.63 / sqrt(n_eff), n_eff = n / 2 here


rng = random.Random(SEED)
rows = []
for n in SIZES:
    noise_psi, shifted_d = [], []
    for _ in range(REPEATS):
        ref = [rng.gauss(0, 1) for _ in range(n)]
        noise_psi.append(monitoring.psi(ref, [rng.gauss(0, 1) for _ in range(n)]))
        shifted_d.append(monitoring.ks_two_sample(ref, [rng.gauss(TINY_SHIFT, 1) for _ in range(n)])["statistic"])
    rows.append({"values per window": n, "PSI, no drift": round(math.fsum(noise_psi) / REPEATS, 4),
                 f"KS D, {TINY_SHIFT} sd shift": round(math.fsum(shifted_d) / REPEATS, 4),
                 "D needed for p < 0.01": round(Z / math.sqrt(n / 2), 4)})
names = list(rows[0])[1:]
show.line_chart(SIZES, {name: [r[name] for r in rows] for name in names},
                x_title="values per window", y_title="drift score",
                title="Small windows make noise look like drift; big ones make tiny drift significant")
show.table(rows)
small, large = rows[0], rows[-1]
d_name = f"KS D, {TINY_SHIFT} sd shift"
print(f"PSI of pure noise: {small['PSI, no drift']:.3f} at {SIZES[0]} values, {large['PSI, no drift']:.4f} at {SIZES[-1]:,}")
print(f"a {TINY_SHIFT} sd shift: D {small[d_name]:.3f} against {small['D needed for p < 0.01']:.3f} needed at "
      f"{SIZES[0]} values; D {large[d_name]:.3f} against {large['D needed for p < 0.01']:.3f} at {SIZES[-1]:,}")
# The claims on the page, for the settings above.
if (SIZES, TINY_SHIFT, REPEATS, SEED) == ([100, 300, 1000, 4000, 16000], 0.05, 3, 0):
    assert small["PSI, no drift"] > 20 * large["PSI, no drift"]    # PSI's noise floor falls like 1/n
    assert small["PSI, no drift"] > 0.05                            # at 100 values, noise alone is "drift"
    assert small[d_name] < small["D needed for p < 0.01"]            # small windows: not significant
    assert large[d_name] > large["D needed for p < 0.01"]            # large windows: "significant"
