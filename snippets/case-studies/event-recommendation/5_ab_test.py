# A simulated online test on days 28-42. Control: the incumbent ranker.
# Treatment: the GBDT with the host and friends features. Both use the same
# candidates and re-ranking. Residents are split at random; each replays their
# logged visits, looks at position p with probability 0.8**p and registers
# with the world's true probability.
import math
import random
import statistics

from mlsd import experiments, show
from casestudies import event_recommendation as ev

visits = ev.test_visits()[::4]                 # every fourth visit of the test window
rng = random.Random(7)
arm = {}
regs = {"control": {}, "treatment": {}}        # resident -> registrations drawn
expected = {"control": 0.0, "treatment": 0.0}  # what the simulator knows, per arm
paired = {"control": 0.0, "treatment": 0.0}    # both rankers on the same visits
control_draws = []                             # registrations of each control visit
for v, user, t in visits:
    a = arm.setdefault(user, "treatment" if rng.random() < 0.5 else "control")
    both = ev.feeds(user, t)                   # same candidates, each arm's ranker
    for name, feed in (("control", both["incumbent"]), ("treatment", both["gbdt"])):
        drawn, exp = ev.simulate_visit(user, t, feed, random.Random(v))
        paired[name] += exp
        if name == a:
            regs[a][user] = regs[a].get(user, 0) + drawn
            if a == "control":
                control_draws.append(drawn)
            expected[a] += exp

n = {a: len(r) for a, r in regs.items()}
n_visits = {a: sum(1 for _, u, _ in visits if arm[u] == a) for a in regs}
result = experiments.mean_test(list(regs["control"].values()), list(regs["treatment"].values()))
true_lift = paired["treatment"] / paired["control"] - 1
show.table([{"arm": a, "residents": n[a], "visits": n_visits[a],
             "registrations": sum(regs[a].values()),
             "per visit": round(sum(regs[a].values()) / n_visits[a], 4),
             "expected per visit (simulator)": round(expected[a] / n_visits[a], 4)}
            for a in ("control", "treatment")], title="Simulated A/B test, days 28-42")
print(f"measured lift {result['lift']:+.1%}, 95% CI of the difference [{result['ci_low']:+.3f}, "
      f"{result['ci_high']:+.3f}] registrations per resident, p = {result['p_value']:.2f}")
print(f"true lift (both rankers on the same {len(visits)} visits): {true_lift:+.1%}")
chosen = {v for v, _, _ in visits}             # the logged rule-based feed on the same visits
logged = sum(i.registered for i in ev.impression_rows(ev.TRAIN_END, ev.TEST_END)
             if i.visit in chosen) / len(visits)
print(f"registrations per visit, expected: incumbent {paired['control'] / len(visits):.3f}, "
      f"GBDT {paired['treatment'] / len(visits):.3f}; the logged rule-based feed drew {logged:.3f}")

# How big must the real test be? From the spread of registrations per visit
# in the control arm and the true lift, for 80% power at a 5% level:
sd = statistics.stdev(control_draws)
base = paired["control"] / len(visits)
need = experiments.sample_size_means(sd, true_lift * base, alpha=0.05, power=0.8)
need_2pct = experiments.sample_size_means(sd, 0.02 * base, alpha=0.05, power=0.8)
z_split = (n["treatment"] - sum(n.values()) / 2) / math.sqrt(sum(n.values()) / 4)
print(f"to detect {true_lift:+.1%} of {base:.3f} registrations per visit (sd {sd:.2f}) with 80% power: "
      f"{need:,} visits per arm, {need / max(n_visits.values()):.0f}x this toy test; "
      f"for a +2% lift, {need_2pct:,} ({need_2pct / need:.0f}x more)")

assert abs(z_split) < 3                                   # no sample-ratio mismatch
assert 0.02 < true_lift < 0.12                            # a realistic lift over a strong incumbent
assert paired["control"] / len(visits) > 2 * logged        # both rankers beat the logging feed by far
assert not result["significant"]                          # the toy test is far too small to tell
assert need > 5 * max(n_visits.values())              # far more visits than the toy has
assert abs(need_2pct / need / (true_lift / 0.02) ** 2 - 1) < 0.05   # n grows as 1 / lift squared
