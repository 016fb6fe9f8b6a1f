# Calibrated recommendations: the share of each topic in the list should match the share in
# the user's history (70 % cooking and 30 % travel -> about 7 and 3 slots, not 10 cooking).
# Greedy re-rank: add the item that maximizes
#   LAMBDA * total relevance of the list  -  (1 - LAMBDA) * KL(history || list)
# where KL compares the topic shares; the list's shares are mixed with 1 % of the history's
# so KL stays finite while a topic is still missing. LAMBDA weights relevance, as in the MMR
# cell (Steck's paper writes the same trade-off with lambda on the KL term instead).
# As in the MMR cell: true click rates of a few per cent, a ranker whose score is the true
# logit plus Gaussian noise, its scores rescaled to [0, 1] over the candidates.
import math
import random
from mlsd import show
from mlsd.data.recsys import make_recsys

K, CANDIDATES, USERS = 10, 100, 20
LAMBDAS = [1.0, 0.7, 0.4, 0.1]
CTR_SHIFT = 4.0             # lowers every click logit: click rates of a few per cent
RANKER_NOISE = 1.0          # standard deviation of the ranker's error on the logit scale

world = make_recsys(n_users=600, n_items=500, n_events=8000, drift_day=28.0, seed=0)
items = world.items
history = {}
for e in world.events:
    if e.clicked:
        history.setdefault(e.user, []).append(items[e.item].category)


def shares(topics):
    out = {}
    for t in topics:
        out[t] = out.get(t, 0) + 1 / len(topics)
    return out


def kl(p, topics):
    q = shares(topics) if topics else {}
    return math.fsum(pt * math.log(pt / (0.99 * q.get(t, 0.0) + 0.01 * pt)) for t, pt in p.items())


def calibrated(relevance, p, lam, k=K):
    chosen, pool = [], sorted(relevance, key=lambda i: -relevance[i])
    while len(chosen) < k:
        def gain(i):
            picked = chosen + [i]
            return (lam * math.fsum(relevance[j] for j in picked)
                    - (1 - lam) * kl(p, [items[j].category for j in picked]))
        best = max(pool, key=gain)
        chosen.append(best)
        pool.remove(best)
    return chosen


rng = random.Random(0)
eligible = sorted(u for u, h in history.items() if len(h) >= 8 and len(set(h)) >= 2)
users = rng.sample(eligible, USERS)
requests = []
for u in users:
    logit = {i: world.true_score(u, i) - CTR_SHIFT for i in range(len(items))}
    score = {i: z + rng.gauss(0, RANKER_NOISE) for i, z in logit.items()}
    top = sorted(score, key=lambda i: -score[i])[:CANDIDATES]
    lo, hi = min(score[i] for i in top), max(score[i] for i in top)
    requests.append((u, {i: (score[i] - lo) / (hi - lo) for i in top}, shares(history[u]),
                     {i: 1 / (1 + math.exp(-logit[i])) for i in top}))

rows, example = [], None
for lam in LAMBDAS:
    total_kl, total_rel, total_main = 0.0, 0.0, 0.0
    for n, (u, relevance, p, truth) in enumerate(requests):
        chosen = calibrated(relevance, p, lam)
        topics = [items[i].category for i in chosen]
        total_kl += kl(p, topics)
        total_rel += math.fsum(truth[i] for i in chosen) / K
        main = max(p, key=p.get)
        total_main += topics.count(main) / K
        if n == 0:
            example = example or {"history": p, "main": main}
            example[lam] = shares(topics)
    rows.append({"lambda (weight on relevance)": lam, "KL(history || list)": round(total_kl / USERS, 3),
                 "expected CTR of the list": round(total_rel / USERS, 4),
                 "share of slots on the main topic": round(total_main / USERS, 3)})
show.line_chart(LAMBDAS, {"KL(history || list)": [r["KL(history || list)"] for r in rows],
                          "expected CTR": [r["expected CTR of the list"] for r in rows]},
                x_title="lambda (weight on relevance)", y_title="value",
                title="Calibration: lists that mirror the user's mix of interests")
show.table(rows, title=f"{USERS} users with at least 8 clicks on at least 2 topics")
main_share = round(example["history"][example["main"]], 2)
print(f"first user: main topic is {main_share:.0%} of the history; of the list: "
      + ", ".join(f"{round(example[lam].get(example['main'], 0.0), 2):.0%} at lambda {lam}" for lam in LAMBDAS))
plain, strong = rows[0], rows[-2]
history_main = math.fsum(max(p.values()) for _, _, p, _ in requests) / USERS
print(f"main topic: {history_main:.0%} of the histories, {plain['share of slots on the main topic']:.0%} of the plain "
      f"lists, {strong['share of slots on the main topic']:.0%} at lambda {strong['lambda (weight on relevance)']}")
# The claims on the page, for the settings above.
if (K, CANDIDATES, USERS, LAMBDAS) == (10, 100, 20, [1.0, 0.7, 0.4, 0.1]):
    assert strong["KL(history || list)"] < 0.5 * plain["KL(history || list)"]
    assert strong["expected CTR of the list"] > 0.8 * plain["expected CTR of the list"]
    assert plain["share of slots on the main topic"] > history_main + 0.1    # plain lists over-serve it
    assert abs(strong["share of slots on the main topic"] - history_main) < 0.1
