# More passages in the prompt: higher recall, but each fact is used less. A SIMULATION with
# stated assumptions, not a measurement of a model. The retriever's recall@k rises with k; the
# stand-in uses a fact at the first or last position best and one in the middle least, and the
# dip deepens as the context grows (the shape Liu et al. report in "Lost in the Middle"; the
# sizes here are ours). Two orders for the same k passages: rank order, and best-at-the-edges.
import math
import random

from mlsd import show
from mlsd.adaptation import context_use

KS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30]
EDGE, DISTRACTION = 0.95, 0.005   # use of a fact at an edge; each extra passage costs 0.005 of it
DEPTH, HALF = 0.35, 10            # the middle's dip: DEPTH * (k - 1) / (k - 1 + HALF) below the edge
FALLBACK = 0.30                   # right answers when the fact was not retrieved (weights, guesses)
# Accuracy here leaves the output format aside (the freshness cell counts it): right answers only.
CHUNK, BASE = 260, 800            # tokens per passage; instructions, two examples and the question
QUESTIONS, SEED = 4_000, 0        # Monte Carlo check of two points


def recall_at(k):                 # the retriever: 55 % of answers at rank 1, 85 % in the top 5, 95 % reachable
    return 0.95 - 0.40 * 0.7 ** (k - 1) if k > 0 else 0.0


def positions(order, k):          # where the passage of rank j (0-based) goes in the prompt
    if order == "rank order":
        return list(range(k))
    ends, lo, hi = [], 0, k - 1   # ranks 1, 3, 5, ... from the top; 2, 4, 6, ... from the bottom
    for j in range(k):
        ends.append(lo if j % 2 == 0 else hi)
        lo, hi = (lo + 1, hi) if j % 2 == 0 else (lo, hi - 1)
    return ends


def use(k):                       # per position, the chance the stand-in uses the fact there
    return context_use(k, edge=EDGE, distraction=DISTRACTION, depth=DEPTH, half=HALF)


def expected(order, k):
    p, place = use(k), positions(order, k)
    found = sum((recall_at(j + 1) - recall_at(j)) * p[place[j]] for j in range(k))
    return found + (1 - recall_at(k)) * FALLBACK


def simulate(order, k, rng):
    p, place, right = use(k), positions(order, k), 0
    for _ in range(QUESTIONS):
        u, rank = rng.random(), None          # the answer's rank, drawn from the recall curve
        for j in range(k):
            if u < recall_at(j + 1):
                rank = j
                break
        right += rng.random() < (p[place[rank]] if rank is not None else FALLBACK)
    return right / QUESTIONS


ORDERS = ("rank order", "best at the edges")
acc = {o: [expected(o, k) for k in KS] for o in ORDERS}
show.line_chart(KS, {"recall@k": [round(recall_at(k), 3) for k in KS],
                     **{f"accuracy, {o}": [round(a, 3) for a in acc[o]] for o in ORDERS}},
                x_title="passages in the prompt (k)", y_title="share of questions", y_zero=False,
                title="Recall keeps rising; answer accuracy peaks and falls (stated model)")
show.table([{"k": k, "input tokens": BASE + k * CHUNK, "recall@k": round(recall_at(k), 3),
             "accuracy, rank order": round(acc[ORDERS[0]][i], 3),
             "accuracy, best at the edges": round(acc[ORDERS[1]][i], 3)} for i, k in enumerate(KS)])
best = max(range(len(KS)), key=lambda i: acc["rank order"][i])
k_best, i30 = KS[best], KS.index(30)
print(f"rank order peaks at k = {k_best} ({acc['rank order'][best]:.3f}, {BASE + k_best * CHUNK:,} tokens); "
      f"k = 30 gives {acc['rank order'][i30]:.3f} with {BASE + 30 * CHUNK:,} tokens")
gain = {k: acc[ORDERS[1]][KS.index(k)] - acc[ORDERS[0]][KS.index(k)] for k in (5, 10, 20)}
print("best-at-the-edges gains " + ", ".join(f"{g:.3f} at k = {k}" for k, g in gain.items()))

rng, worst_z = random.Random(SEED), 0.0
for order in ORDERS:
    for k in (10, 30):
        e = expected(order, k)
        z = abs(simulate(order, k, rng) - e) / math.sqrt(e * (1 - e) / QUESTIONS)
        worst_z = max(worst_z, z)
print(f"Monte Carlo check ({QUESTIONS:,} questions at k = 10 and 30): within {worst_z:.1f} standard errors")

assert worst_z < 4, f"the simulation agrees with the expected accuracy within 4 standard errors: {worst_z:.1f}"
assert all(a < b for a, b in zip([recall_at(k) for k in KS], [recall_at(k) for k in KS[1:]])), "recall@k rises with k"
assert all(acc[o][i] <= recall_at(k) * EDGE + (1 - recall_at(k)) * FALLBACK for o in ORDERS for i, k in enumerate(KS)), \
    "answer accuracy never beats what retrieval allows: recall@k * the best use + the fallback"
assert all(b >= a - 1e-12 for a, b in zip(acc[ORDERS[0]], acc[ORDERS[1]])), "the best passages at the edges never hurt"
QUOTED = "the page quotes, for the default assumptions,"
i5 = KS.index(5)
print(f"k = 5: recall {recall_at(5):.3f}, accuracy {acc['rank order'][i5]:.3f} "
      f"({acc['rank order'][best] - acc['rank order'][i5]:.3f} below the peak with {(k_best - 5) * CHUNK} fewer tokens)")
assert round(recall_at(5), 2) == 0.85, f"recall@5 is the 0.85 the previous cell assumes: {recall_at(5):.3f}"
assert k_best == 8, f"{QUOTED} a peak at k = 8: {k_best}"
assert acc["rank order"][best] - acc["rank order"][i5] < 0.015, f"{QUOTED} k = 5 is within 0.015 of the peak"
assert acc["rank order"][best] - acc["rank order"][i30] > 0.05, \
    f"{QUOTED} k = 30 is more than 0.05 below the peak: {acc['rank order'][best] - acc['rank order'][i30]:.3f}"
assert 0.005 < gain[5] < gain[10] < gain[20] < 0.03, f"{QUOTED} the edge order gains under 0.03, more at larger k: {gain}"
assert (round(gain[5], 3), round(gain[20], 3)) == (0.007, 0.022), f"{QUOTED} edge-order gains of 0.007 at k = 5 and 0.022 at k = 20: {gain}"
assert [round(acc["rank order"][i], 3) for i in (i5, best, i30)] == [0.817, 0.828, 0.745], \
    f"{QUOTED} accuracies 0.817, 0.828 and 0.745 at k = 5, 8 and 30"
