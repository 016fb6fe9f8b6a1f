# Novelty: B's lift starts at +12 % and decays to a lasting +2 % (half-life 3 days).
from mlsd import experiments, show

DAYS = 28
USERS_PER_DAY = 50_000    # per arm
HALF_LIFE_DAYS = 3.0

sim = experiments.simulate_novelty_effect(days=DAYS, users_per_day=USERS_PER_DAY, base_rate=0.1,
                                          true_lift=0.02, novelty_lift=0.10,
                                          half_life_days=HALF_LIFE_DAYS, seed=5)
show.line_chart(sim["day"], {"measured that day": [round(x, 4) for x in sim["daily_lift"]],
                             "cumulative (the dashboard)": [round(x, 4) for x in sim["cumulative_lift"]],
                             "lasting lift": [sim["true_lift"]] * DAYS},
                x_title="day of the test", y_title="relative lift of B",
                title="A new feature's lift fades; the cumulative number lags behind")
week1 = sim["cumulative_lift"][6]
late = sim["daily_lift"][-7:]
print(f"cumulative lift after 7 days:  {week1:+.1%}")
print(f"cumulative lift after {DAYS} days: {sim['cumulative_lift'][-1]:+.1%}")
print(f"mean daily lift in the last week: {sum(late) / len(late):+.1%} (lasting lift {sim['true_lift']:+.0%})")
# The claims on the page, for the settings above.
if (DAYS, USERS_PER_DAY, HALF_LIFE_DAYS) == (28, 50_000, 3.0):
    assert week1 > 3.5 * sim["true_lift"]
    assert sim["cumulative_lift"][-1] > sim["true_lift"]
    assert abs(sum(late) / len(late) - sim["true_lift"]) < 0.02
