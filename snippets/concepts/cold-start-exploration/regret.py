# Five new items with unknown click rates; each step shows one and sees a click or not.
# Regret = expected clicks lost against always showing the best item.
# Thompson sampling starts every item at a Beta(1, 1) prior: any click rate in [0, 1] equally
# likely, worth two pseudo-impressions, so an item's own clicks outweigh it within a few dozen
# impressions. Try an informed prior near the items' rates, e.g. prior_beta=15 (mean 6 %).
from mlsd import bandits, show

ARM_CTRS = (0.02, 0.04, 0.06, 0.08, 0.12)    # true click rates, unknown to the policies
STEPS, RUNS = 2000, 6                         # regret is averaged over RUNS simulations
N = len(ARM_CTRS)
policies = {"greedy": lambda: bandits.EpsilonGreedy(N, 0.0),
            "epsilon-greedy, 0.1": lambda: bandits.EpsilonGreedy(N, 0.1),
            "UCB1 (c = 2)": lambda: bandits.UCB1(N, c=2.0),
            "UCB1 (c = 0.1)": lambda: bandits.UCB1(N, c=0.1),
            "Thompson sampling": lambda: bandits.ThompsonSampling(N, prior_alpha=1.0, prior_beta=1.0),
            "uniform random": lambda: bandits.EpsilonGreedy(N, 1.0)}
sim = bandits.simulate_bandits(ARM_CTRS, policies, n_steps=STEPS, n_runs=RUNS, every=100, seed=0)
show.line_chart(sim["step"], {name: [round(r, 2) for r in curve] for name, curve in sim["regret"].items()},
                x_title="impressions", y_title="expected clicks lost (cumulative regret)",
                title="Cumulative regret: flat is good")
final = {name: curve[-1] for name, curve in sim["regret"].items()}
half = {name: curve[len(curve) // 2 - 1] for name, curve in sim["regret"].items()}
show.table([{"policy": name, f"regret after {STEPS // 2}": round(half[name], 1),
             f"regret after {STEPS}": round(final[name], 1),
             "share of impressions on the best item": round(sim["best_arm_share"][name], 3)}
            for name in policies])
ts, uni, ucb, ucb_small = "Thompson sampling", "uniform random", "UCB1 (c = 2)", "UCB1 (c = 0.1)"
print(f"Thompson sampling: {half[ts]:.1f} clicks lost in the first half, "
      f"{final[ts] - half[ts]:.1f} in the second")
print(f"uniform random: {half[uni]:.1f} in the first half, {final[uni] - half[uni]:.1f} in the second")
print(f"UCB1 with c = 2 loses {final[ucb] / final[ts]:.1f}x what Thompson sampling loses; with c = 0.1, "
      f"{final[ucb_small] / final[ts]:.1f}x")
# The claims on the page, for the settings above.
if (ARM_CTRS, STEPS, RUNS) == ((0.02, 0.04, 0.06, 0.08, 0.12), 2000, 6):
    assert final[uni] == max(final.values())
    assert abs((final[uni] - half[uni]) - half[uni]) < 0.05 * half[uni]   # linear: same loss each half
    assert final[ts] - half[ts] < 0.5 * half[ts]                          # sub-linear: it flattens
    assert final[ts] < 0.3 * final[uni]
    assert final[ucb] > 2 * final[ts]                   # c = 2 keeps exploring at click rates of a few %
    assert final[ucb_small] < final[ts]                 # a tuned bonus does a little better here
