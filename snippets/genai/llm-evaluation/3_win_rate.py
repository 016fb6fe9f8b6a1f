# Human side-by-side: a win rate with its confidence interval, and how many comparisons it takes.
# Raters see the answers of the incumbent A and the candidate B to the same prompt, in random
# order, and pick one or call a tie. The simulated raters follow stated rates: B wins 47 %,
# A wins 37 %, ties 16 %, so B's true win rate (ties count half) is 0.55.
import random

from mlsd import show, stats
from mlsd.pairwise import comparisons_needed, win_rate

P_B_WINS, P_TIE, SEED = 0.47, 0.16, 0     # change the rates: the true win rate is P_B_WINS + P_TIE / 2
TRUE = P_B_WINS + P_TIE / 2
rng = random.Random(SEED)


def run(n):
    """n comparisons: B's wins, A's wins, ties."""
    wins = stats.binomial(rng, n, P_B_WINS)
    ties = stats.binomial(rng, n - wins, P_TIE / (1 - P_B_WINS))
    return wins, n - wins - ties, ties


rows = []
for n in (50, 200, 800, 3200):
    w = win_rate(*run(n))
    rows.append({"comparisons": n, "B wins": round(w["win_rate"], 3), "95 % low": round(w["low"], 3),
                 "95 % high": round(w["high"], 3), "B better (low > 0.5)": w["low"] > 0.5})
show.table(rows, title=f"One evaluation at each size (true win rate {TRUE:.2f})")

# How wide is the 95 % interval at each size? (Wilson, at the true rate; no ties is the worst case.)
sizes = [round(25 * 2 ** (k / 2)) for k in range(15)]          # 25 to 3,200, each step x sqrt(2)
bounds = [win_rate(round(n * TRUE), n - round(n * TRUE)) for n in sizes]
half = [round((b["high"] - b["low"]) / 2, 4) for b in bounds]
show.line_chart(sizes, {"95 % interval half-width": half, f"B's edge over 0.5 ({TRUE - 0.5:.2f})": [round(TRUE - 0.5, 4)] * len(sizes)},
                x_title="comparisons", y_title="win rate", title="The interval shrinks as 1 / sqrt(n): "
                "four times the raters for half the width")

# Comparisons needed for 80 % power, computed, then checked by running 400 evaluations of that size.
needed = []
for p in (0.52, 0.55, 0.6, 0.65):
    n = comparisons_needed(p)
    hits, p_win = 0, p - P_TIE / 2                              # same tie rate, B's wins adjusted
    for _ in range(400):
        wins = stats.binomial(rng, n, p_win)
        t = stats.binomial(rng, n - wins, P_TIE / (1 - p_win))
        hits += win_rate(wins, n - wins - t, t)["low"] > 0.5
    needed.append({"true win rate": p, "comparisons for 80 % power": n, "measured power (400 runs)": round(hits / 400, 3)})
show.table(needed, title=f"Comparisons needed to tell the win rate from 0.5 (alpha 0.05, {P_TIE:.0%} ties)")
print(f"at 800 comparisons the 95 % interval is {rows[2]['95 % low']} to {rows[2]['95 % high']}; its half-width "
      f"is {half[sizes.index(50)]} at 50, {half[sizes.index(200)]} at 200 and {half[sizes.index(800)]} at 800")

by_p = {r["true win rate"]: r for r in needed}
assert half[sizes.index(50)] > 2 * (TRUE - 0.5), "at 50 comparisons the interval should be over twice as wide as B's edge"
assert not rows[0]["B better (low > 0.5)"], "50 comparisons should not be enough to call a 55 % win rate"
assert rows[-1]["B better (low > 0.5)"], "3,200 comparisons should be"
assert 3.5 < half[0] / half[8] < 4.5 and sizes[8] / sizes[0] == 16, "16 times the comparisons, a quarter of the width"
assert 5.5 < by_p[0.52]["comparisons for 80 % power"] / by_p[0.55]["comparisons for 80 % power"] < 6.6, \
    "a 2-point edge needs about (5/2)^2 = 6 times the comparisons of a 5-point edge"
assert all(0.75 <= r["measured power (400 runs)"] <= 0.92 for r in needed), \
    "the computed sample size should give about 80 % power (a bit more with ties, which reduce the variance)"
