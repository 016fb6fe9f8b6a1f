# Averages hide risk. Run each policy on 12 independent simulations and look at every run:
# greedy locks on to whichever item got lucky first, and stays there.
import math

from mlsd import bandits, show

ARM_CTRS = (0.02, 0.04, 0.06, 0.08, 0.12)
STEPS, SIMULATIONS = 2000, 12
N = len(ARM_CTRS)
policies = {"greedy": lambda: bandits.EpsilonGreedy(N, 0.0),
            "epsilon-greedy, 0.1": lambda: bandits.EpsilonGreedy(N, 0.1),
            "Thompson sampling": lambda: bandits.ThompsonSampling(N)}
per_run = {name: [] for name in policies}
best_share = {name: [] for name in policies}     # share of each run's impressions on the best item
for seed in range(SIMULATIONS):
    sim = bandits.simulate_bandits(ARM_CTRS, policies, n_steps=STEPS, n_runs=1, every=STEPS, seed=seed)
    for name in policies:
        per_run[name].append(round(sim["regret"][name][-1], 1))
        best_share[name].append(sim["best_arm_share"][name])
show.scatter_chart([{"policy": name, "simulation": i + 1, "regret": r}
                    for name, runs in per_run.items() for i, r in enumerate(runs)],
                   x="simulation", y="regret", color="policy", y_title=f"regret after {STEPS} impressions",
                   title="Same policy, twelve different runs of luck")
rows = [{"policy": name, "best run": min(runs), "median run": sorted(runs)[SIMULATIONS // 2],
         "worst run": max(runs), "mean": round(math.fsum(runs) / SIMULATIONS, 1)} for name, runs in per_run.items()]
show.table(rows)
g, e, t = rows
stuck = [r for r, share in zip(per_run["greedy"], best_share["greedy"]) if share < 0.5]
print(f"greedy spent most impressions on a worse item in {len(stuck)} of {SIMULATIONS} runs, "
      f"losing {min(stuck)} to {max(stuck)} clicks each")
print(f"worst run: greedy {g['worst run']}, epsilon-greedy {e['worst run']}, Thompson {t['worst run']} clicks lost")
# The claims on the page, for the settings above.
if (ARM_CTRS, STEPS, SIMULATIONS) == ((0.02, 0.04, 0.06, 0.08, 0.12), 2000, 12):
    assert g["best run"] < t["best run"]                  # greedy sometimes gets lucky...
    assert g["worst run"] > 2 * t["worst run"]            # ...and sometimes loses badly
    assert len(stuck) >= 1 and min(stuck) > t["median run"] and g["median run"] < t["median run"]
    assert t["worst run"] - t["best run"] < g["worst run"] - g["best run"]
