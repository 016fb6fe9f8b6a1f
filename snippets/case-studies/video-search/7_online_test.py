# The online test, simulated on the judged test queries with the click model of cell 6: the
# incumbent (A) against the pairwise ranker (B). Users differ: each has a click-happiness factor
# (0.2x to 1.8x the click model's probabilities) and makes 5 searches. The A/B test splits users
# and compares each user's share of good searches (a click on a relevant video); team-draft
# interleaving shows every user lists mixed from both rankers and credits each click to the
# ranker that placed it, so each user compares A and B by themself.
import math
import random

from casestudies import video_search as vs
from mlsd import show, stats
from mlsd.experiments import power
from mlsd.experiments.interleaving import team_draft_interleave

test = vs.judged_queries("test")
lists = {"A": [vs.incumbent_rank(q)[:10] for q in test],
         "B": [vs.rank_with(vs.pairwise_ranker(), q)[:10] for q in test]}
grades = [vs.grades(q) for q in test]
rng = random.Random(7)
USERS, SEARCHES = 1_200, 5


def clicks(items, g, happy):
    return [rng.random() < min(1.0, happy * vs.PROPENSITY[p] * vs.ATTRACT[g.get(d, 0)])
            for p, d in enumerate(items)]


def ab_user(arm):
    happy, good = rng.uniform(0.2, 1.8), 0
    for _ in range(SEARCHES):
        i = rng.randrange(len(test))
        good += any(c and grades[i].get(d, 0) >= 2 for d, c in zip(lists[arm][i], clicks(lists[arm][i], grades[i], happy)))
    return good / SEARCHES


def interleaved_user():
    happy, credit = rng.uniform(0.2, 1.8), 0
    for _ in range(SEARCHES):
        i = rng.randrange(len(test))
        items, teams = team_draft_interleave(lists["A"][i], lists["B"][i], rng, length=10)
        credit += sum((1 if t == "B" else -1) for t, c in zip(teams, clicks(items, grades[i], happy)) if c)
    return credit


def mean_sd(xs):
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


(m_a, sd_a), (m_b, sd_b) = mean_sd([ab_user("A") for _ in range(USERS)]), mean_sd([ab_user("B") for _ in range(USERS)])
ab_users = 2 * power.sample_size_means(math.sqrt((sd_a ** 2 + sd_b ** 2) / 2), m_b - m_a)
credits = [interleaved_user() for _ in range(USERS)]
win_b, win_a = sum(c > 0 for c in credits) / USERS, sum(c < 0 for c in credits) / USERS
delta = (win_b - win_a) / (win_a + win_b)     # sign test on the users with a preference
z_a, z_b = stats.norm_ppf(0.975), stats.norm_ppf(0.8)
il_users = math.ceil(((z_a + z_b * math.sqrt(1 - delta ** 2)) / delta) ** 2 / (win_a + win_b))
z_run = (win_b - win_a) * USERS / math.sqrt((win_a + win_b) * USERS)

show.table([
    {"quantity": "good-search share per user, incumbent / pairwise", "value": f"{m_a:.3f} / {m_b:.3f}"},
    {"quantity": "relative lift", "value": f"{m_b / m_a - 1:+.1%}"},
    {"quantity": "A/B: users needed, both arms (80 % power)", "value": f"{ab_users:,}"},
    {"quantity": "interleaving: users preferring incumbent / pairwise / neither",
     "value": f"{win_a:.2f} / {win_b:.2f} / {1 - win_a - win_b:.2f}"},
    {"quantity": "interleaving: users needed (80 % power)", "value": f"{il_users:,}"},
    {"quantity": "traffic ratio, A/B / interleaving", "value": f"{ab_users / il_users:.1f}x"},
], title=f"Incumbent against the pairwise ranker, online (simulated, {SEARCHES} searches a user)")
print(f"the {USERS:,}-user interleaving run itself: z = {z_run:.1f}")

assert 0.0 < m_b / m_a - 1 < 0.1, "the page says the lift is a few per cent"
assert win_b > win_a, "the page says interleaving prefers the pairwise ranker too"
# the traffic ratio is not stable in this toy (0.7x to 3.9x over world seeds 0-3); the page
# quotes this seed's figure as the high end of that range, not as a general saving
assert ab_users > 3 * il_users, "the page quotes about 3.9x on the default seed"
