# Peeking: A/A tests (no real difference) checked every day, stopped at the first p < 0.05.
from mlsd import experiments, show

EXPERIMENTS = 1000       # simulated A/A tests
DAYS = 14
USERS_PER_DAY = 500      # per arm
ALPHA = 0.05

sim = experiments.simulate_peeking(n_experiments=EXPERIMENTS, days=DAYS, users_per_day=USERS_PER_DAY,
                                   base_rate=0.1, alpha=ALPHA, seed=3)
show.line_chart(sim["days"], {"peek daily, stop at first p < 0.05": sim["fpr_peeking_by_day"],
                              "look once, on the last day": [sim["fpr_fixed"]] * DAYS,
                              "nominal alpha": [ALPHA] * DAYS},
                x_title="day", y_title="share of A/A tests declared significant",
                title="Every look is another chance for noise to win")
print(f"false positives, one look at the end: {sim['fpr_fixed']:.1%}")
print(f"false positives, peeking daily:       {sim['fpr_peeking']:.1%}")
print(f"Bonferroni: each daily look tested at alpha/{DAYS} = {ALPHA / DAYS:.2%}; "
      f"false positives over all {DAYS} looks: {sim['fpr_bonferroni']:.1%}")
# The claims on the page, for the settings above.
if (EXPERIMENTS, DAYS, ALPHA) == (1000, 14, 0.05):
    assert 0.03 < sim["fpr_fixed"] < 0.07
    assert 3.5 * ALPHA < sim["fpr_peeking"] < 5 * ALPHA     # about four times the promised rate
    assert sim["fpr_bonferroni"] <= ALPHA                   # below the promised rate: conservative
    assert 0.015 < sim["fpr_bonferroni"] < 0.035
