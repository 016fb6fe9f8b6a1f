# Sample size and power for a conversion-rate test (two-sided z-test).
from mlsd import experiments, show

BASELINE = 0.05          # conversion (or click-through) rate of the control
MDE = 0.02               # smallest relative lift worth detecting: +2 %
ALPHA = 0.05             # false-positive rate you accept
POWER = 0.80             # chance of detecting a true lift of size MDE
DAILY_USERS = 200_000    # users entering the experiment per day, both arms together

n = experiments.sample_size_proportions(BASELINE, MDE, ALPHA, POWER)
print(f"{n:,} users per arm to detect {MDE:+.0%} on a {BASELINE:.0%} base rate "
      f"({2 * n / DAILY_USERS:.1f} days at {DAILY_USERS:,} users a day)")

rows = []
for mde in (0.01, 0.02, 0.05, 0.10, MDE):
    if any(r["relative lift"] == mde for r in rows):
        continue
    need = experiments.sample_size_proportions(BASELINE, mde, ALPHA, POWER)
    rows.append({"relative lift": mde, "users per arm": need, "days": round(2 * need / DAILY_USERS, 1)})
rows.sort(key=lambda r: r["relative lift"])
show.table(rows, title=f"Users needed at {BASELINE:.0%} baseline, alpha {ALPHA}, power {POWER:.0%}")

sizes = [25_000 * i for i in range(1, 41)]        # up to 1M users per arm
show.line_chart([s / 1000 for s in sizes],
                {f"lift {m:+.0%}": [round(experiments.power_proportions(BASELINE, m, s, ALPHA), 4) for s in sizes]
                 for m in (0.02, 0.05, 0.10)},
                x_title="users per arm (thousands)", y_title="power", title="Power against users per arm, for three true lifts")

one, two = (experiments.sample_size_proportions(BASELINE, m, ALPHA, POWER) for m in (0.01, 0.02))
print(f"halving the lift from 2 % to 1 % multiplies the users by {one / two:.2f}")
mde_week = experiments.mde_proportions(BASELINE, 7 * DAILY_USERS // 2, ALPHA, POWER)
print(f"with one week of traffic the smallest detectable lift is {mde_week:+.2%}")
# The claims on the page (they hold for any baseline and traffic).
assert 3.8 < one / two < 4.2
assert abs(experiments.power_proportions(BASELINE, MDE, n, ALPHA) - POWER) < 0.01
