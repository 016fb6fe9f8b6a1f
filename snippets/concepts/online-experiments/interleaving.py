# Interleaving vs A/B: how many users does each need to notice that ranker B is better?
# 30 simulated experiments per size; a detection = significant at 5 % and in B's favour.
from mlsd import experiments, show

USERS = [100, 200, 400, 800, 1600]
TRIALS = 30

sim = experiments.simulate_interleaving_vs_ab(n_users=USERS, n_trials=TRIALS, noise_a=1.0,
                                              noise_b=0.5, seed=0)
show.line_chart(sim["n_users"], {"A/B test (share of users who click)": sim["ab_detection"],
                                 "team-draft interleaving": sim["interleaving_detection"]},
                x_title="users in the experiment", y_title="share of experiments that pick B",
                title="Interleaving detects the better ranker with fewer users")
show.table([{"users": n, "A/B": round(a, 2), "interleaving": round(i, 2)}
            for n, a, i in zip(sim["n_users"], sim["ab_detection"], sim["interleaving_detection"])])


def first_reaching(rates, level=0.8):
    return next((n for n, r in zip(sim["n_users"], rates) if r >= level), None)


ab, il = first_reaching(sim["ab_detection"]), first_reaching(sim["interleaving_detection"])
print(f"first size with >= 80 % detection: A/B {ab}, interleaving {il}")
# The claims on the page, for the settings above.
if (USERS, TRIALS) == ([100, 200, 400, 800, 1600], 30):
    assert il is not None and ab is not None and ab >= 4 * il
