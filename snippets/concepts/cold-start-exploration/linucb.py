# Contextual bandit: the best item depends on who is asking (the context x: a bias term
# plus 4 user features). LinUCB fits a small ridge regression per item and adds an
# uncertainty bonus alpha * sqrt(x' A^-1 x); the other two policies ignore the context.
# Rewards here are not 0/1 clicks: each is a continuous score (think normalized watch time),
# theta_item . x plus Gaussian noise of standard deviation 0.1, so regret is in reward units.
from mlsd import bandits, show

ARMS, DIM = 4, 5
STEPS, RUNS = 1000, 3
ALPHA = 1.0                 # LinUCB's exploration bonus; try 0 (greedy on the regression) or 3
policies = {f"LinUCB (alpha = {ALPHA})": lambda: bandits.LinUCB(ARMS, DIM, alpha=ALPHA),
            "UCB1 (no context)": lambda: bandits.UCB1(ARMS, c=0.5),
            "ε-greedy (no context)": lambda: bandits.EpsilonGreedy(ARMS, 0.1)}
sim = bandits.simulate_contextual_bandits(policies, n_arms=ARMS, dim=DIM, n_steps=STEPS, n_runs=RUNS,
                                          noise=0.1, every=50, seed=0)
show.line_chart(sim["step"], {name: [round(r, 2) for r in curve] for name, curve in sim["regret"].items()},
                x_title="requests", y_title="cumulative regret (reward units)",
                title="Using the context: the best item differs per user")
lin, ucb, eps = (sim["regret"][name] for name in policies)
second_half = {name: curve[-1] - curve[len(curve) // 2 - 1] for name, curve in sim["regret"].items()}
show.table([{"policy": name, f"regret after {STEPS}": round(curve[-1], 1),
             "regret in the second half": round(second_half[name], 1)}
            for name, curve in sim["regret"].items()])
print(f"after {STEPS} requests LinUCB has lost {lin[-1]:.1f} units of reward, the best context-free "
      f"policy {min(ucb[-1], eps[-1]):.1f}")
# The claims on the page, for the settings above.
if (ARMS, DIM, STEPS, RUNS, ALPHA) == (4, 5, 1000, 3, 1.0):
    assert lin[-1] < 0.5 * min(ucb[-1], eps[-1])
    # a context-free policy converges to the best item on average, which is wrong for many
    # users: its regret keeps growing; LinUCB's nearly stops
    names = list(policies)
    assert second_half[names[0]] < 0.2 * min(second_half[names[1]], second_half[names[2]])
