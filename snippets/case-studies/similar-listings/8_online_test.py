# A simulated online test of session personalization in search. The simulator draws guests in
# the test window; each sees a page of 10 results, may book the best-fitting place on it, or
# clicks one and gets a new page. Control: the search ranker. Treatment: re-ranked by the
# session's clicks. The same guests go through both arms (a paired simulation), so the
# difference is the ranker's; a real test splits different guests and needs far more of them.
import statistics

from mlsd import experiments, show
from casestudies import similar_listings as system

n = 1_200
control = system.simulate_search(False, n, seed=5)
treatment = system.simulate_search(True, n, seed=5)
rows = []
for name, arm in (("control: search ranker", control), ("treatment: + session re-ranking", treatment)):
    rows.append({"arm": name, "sessions": len(arm),
                 "mean best fit on a page": round(statistics.fmean(s["fit"] for s in arm), 3),
                 "booking probability": round(statistics.fmean(s["p_book"] for s in arm), 4),
                 "bookings drawn": sum(s["booked"] for s in arm)})
show.table(rows, title="Simulated search sessions, test window")

p_c, p_t = rows[0]["booking probability"], rows[1]["booking probability"]
lift = p_t / p_c - 1
drawn = experiments.proportion_test(rows[0]["bookings drawn"], n, rows[1]["bookings drawn"], n)
need = experiments.sample_size_proportions(baseline=p_c, mde=lift)
print(f"booking probability {p_c:.4f} -> {p_t:.4f} ({lift:+.1%}); on the bookings drawn, "
      f"p = {drawn['p_value']:.2f}")
print(f"a real A/B test needs about {need:,} search sessions per arm to detect {lift:+.1%} "
      f"at 80% power ({2 * need / 15e6:.1%} of one day's 15M sessions)")

assert 0.03 < p_c < 0.06, f"the page says a few per cent of sessions book, got {p_c:.2%}"
assert 0.03 < lift < 0.1, f"the page calls the lift realistic and single-digit, got {lift:+.1%}"
assert rows[1]["mean best fit on a page"] > rows[0]["mean best fit on a page"], \
    "the page says personalized pages offer a better-fitting best place"
assert not drawn["significant"], "the page says 1,200 sessions per arm cannot show the lift"
assert 20_000 < need < 0.05 * 15e6, "the page says the test needs a small share of one day's traffic"
