# From many pairwise votes to a leaderboard: Bradley-Terry against Elo.
# Six systems with stated true strengths (log scale; P(i beats j) = 1 / (1 + exp(theta_j - theta_i)))
# meet in 3,000 random pairings, as on a public arena. Bradley-Terry fits all votes at once;
# Elo updates after each vote, so we replay the same votes in five different orders.
# A bootstrap over the votes gives each Bradley-Terry rating a 95 % interval.
import math
import random

from mlsd import show
from mlsd.pairwise import bradley_terry, bt_win_probability, elo

NAMES = ["A", "B", "C", "D", "E", "F"]
TRUE = [0.0, 0.15, 0.45, 0.5, 0.8, -0.4]   # C and D are close on purpose
N_VOTES, K, K_LOW, BOOTSTRAP, SEED = 3000, 32, 4, 100, 0   # K_LOW: a steadier Elo, slower to follow a change
SCALE = 400 / math.log(10)                   # log strength -> Elo points

rng = random.Random(SEED)
votes = []
for _ in range(N_VOTES):
    i, j = rng.sample(range(len(NAMES)), 2)
    votes.append((i, j, 1 if rng.random() < bt_win_probability(TRUE[i], TRUE[j]) else 0))


def to_points(theta):
    return [1000 + SCALE * t for t in theta]


bt = to_points(bradley_terry(len(NAMES), votes))
orders = []
for s in range(5):
    order = votes[:]
    random.Random(100 + s).shuffle(order)
    orders.append(order)
elos = [elo(len(NAMES), order, k=K) for order in orders]
elos_low = [elo(len(NAMES), order, k=K_LOW) for order in orders]
boot = []
for _ in range(BOOTSTRAP):
    sample = [votes[rng.randrange(N_VOTES)] for _ in range(N_VOTES)]
    boot.append(to_points(bradley_terry(len(NAMES), sample)))
mean_true = sum(TRUE) / len(TRUE)
rows = []
for k, name in enumerate(NAMES):
    b = sorted(r[k] for r in boot)
    e = [r[k] for r in elos]
    rows.append({"system": name, "true": round(1000 + SCALE * (TRUE[k] - mean_true)), "Bradley-Terry": round(bt[k]),
                 "BT 95 % low": round(b[2]), "BT 95 % high": round(b[-3]),
                 "Elo, lowest of 5 orders": round(min(e)), "Elo, highest": round(max(e))})
rows.sort(key=lambda r: -r["Bradley-Terry"])
show.table(rows, title=f"{N_VOTES} votes between {len(NAMES)} systems (Elo K = {K})")

by = {r["system"]: r for r in rows}
bt_error = max(abs(r["Bradley-Terry"] - r["true"]) for r in rows)
elo_spread = max(r["Elo, highest"] - r["Elo, lowest of 5 orders"] for r in rows)
elo_low_spread = round(max(max(e[k] for e in elos_low) - min(e[k] for e in elos_low) for k in range(len(NAMES))))
cd_overlap = by["C"]["BT 95 % high"] >= by["D"]["BT 95 % low"] and by["D"]["BT 95 % high"] >= by["C"]["BT 95 % low"]
print(f"Bradley-Terry is within {bt_error} points of the truth for every system; the same votes in "
      f"another order move an Elo rating by up to {elo_spread} points")
print(f"with K = {K_LOW} instead of {K}, the same five orders move a rating by up to {elo_low_spread} points")
print(f"C and D (true gap {round(SCALE * (TRUE[3] - TRUE[2]))} points): intervals overlap = {cd_overlap}")

order_free = to_points(bradley_terry(len(NAMES), list(reversed(votes))))
assert max(abs(a - b) for a, b in zip(order_free, bt)) < 1e-6, "Bradley-Terry should not depend on the order of the votes"
assert bt_error < 30, "Bradley-Terry should recover every strength within 30 points from 3,000 votes"
gaps = sorted(TRUE)
assert elo_spread > SCALE * max(b - a for a, b in zip(gaps, gaps[1:])), \
    "replaying the same votes in another order should move an Elo rating by more than any true gap between neighbours"
assert elo_low_spread < elo_spread / 2, "a smaller K should make Elo much less dependent on the order of the votes"
assert cd_overlap, "systems 9 points apart should not be separable with 3,000 votes: their intervals overlap"
assert [r["system"] for r in rows][:1] == ["E"] and rows[-1]["system"] == "F", "the best and worst should be clear"
