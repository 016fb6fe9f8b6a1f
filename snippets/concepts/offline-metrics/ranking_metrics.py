# Ranking metrics worked on one list. A search returned eight results, A..H.
# Four documents are relevant: B, D and E were retrieved, Z was missed.
# Grades (for nDCG): B = 3 (perfect), E = 2, Z = 2, D = 1.
import math
from fractions import Fraction

from mlsd import metrics, show

ranked = ["A", "B", "C", "D", "E", "F", "G", "H"]
grades = {"B": 3, "E": 2, "Z": 2, "D": 1}
relevant = set(grades)
K = 5

rows, hits = [], 0
for rank, item in enumerate(ranked[:K], start=1):
    hits += item in relevant
    rows.append({"rank": rank, "item": item, "relevant": "yes" if item in relevant else "",
                 "precision@rank": f"{hits}/{rank}", "grade": grades.get(item, 0),
                 "discount 1/log2(rank+1)": round(1 / math.log2(rank + 1), 3),
                 "grade × discount": round(grades.get(item, 0) / math.log2(rank + 1), 3)})
show.table(rows, title=f"The top {K}, rank by rank")

lib = {
    f"P@{K}": metrics.precision_at_k(ranked, relevant, K),
    f"R@{K}": metrics.recall_at_k(ranked, relevant, K),
    f"AP@{K}": metrics.average_precision_at_k(ranked, relevant, K),
    "RR": metrics.reciprocal_rank(ranked, relevant),
    f"nDCG@{K}": metrics.ndcg_at_k(ranked, grades, K),
}
# The same numbers by hand, as the text derives them.
dcg = 3 / math.log2(3) + 1 / math.log2(5) + 2 / math.log2(6)            # B at 2, D at 4, E at 5
ideal = 3 / math.log2(2) + 2 / math.log2(3) + 2 / math.log2(4) + 1 / math.log2(5)
hand = {
    f"P@{K}": Fraction(3, 5),
    f"R@{K}": Fraction(3, 4),
    f"AP@{K}": (Fraction(1, 2) + Fraction(2, 4) + Fraction(3, 5)) / min(len(relevant), K),
    "RR": Fraction(1, 2),
    f"nDCG@{K}": dcg / ideal,
}
show.table([{"metric": m, "library": round(lib[m], 4), "by hand": str(hand[m]) if isinstance(hand[m], Fraction)
             else round(hand[m], 4)} for m in lib], title="Five metrics of the same list")
for m in lib:
    assert abs(lib[m] - float(hand[m])) < 1e-12, m

# MAP and MRR average over queries: add two more searches.
lists = [ranked, ["Q", "R", "S"], ["U", "V", "W", "X"]]
truth = [relevant, {"Q"}, {"W", "X"}]
map_k = metrics.mean_average_precision(lists, truth, k=3)
mrr = metrics.mean_reciprocal_rank(lists, truth)
print(f"over three queries: MAP@3 = {map_k:.4f}, MRR = {mrr:.4f}")
assert abs(map_k - (Fraction(1, 2) / 3 + 1 + Fraction(1, 3) / 2) / 3) < 1e-12
assert abs(mrr - (Fraction(1, 2) + 1 + Fraction(1, 3)) / 3) < 1e-12
