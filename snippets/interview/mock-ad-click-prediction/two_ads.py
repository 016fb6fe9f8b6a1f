# [05:00] The interviewer: ad A is clicked 2 % of the time and bids $0.50 a click; ad B is
# clicked 0.5 % of the time and bids $4. Which one should win the slot? The candidate's first rule
# (highest pCTR) and the expected value per impression (pCTR x bid) disagree.
from mlsd import show

ads = {"A": (0.02, 0.50), "B": (0.005, 4.00)}   # (click probability, bid per click in $)
rows = [{"ad": name, "pCTR": f"{p:.1%}", "bid per click $": bid, "expected $ per impression": round(p * bid, 4),
         "eCPM $": round(1000 * p * bid, 2)} for name, (p, bid) in ads.items()]
show.table(rows, title="Ranking by pCTR picks A; ranking by pCTR x bid picks B")

by_ctr = max(ads, key=lambda a: ads[a][0])
by_value = max(ads, key=lambda a: ads[a][0] * ads[a][1])
print(f"highest pCTR: {by_ctr}; highest expected value per impression: {by_value}")

assert (by_ctr, by_value) == ("A", "B"), "the transcript says B wins on expected value though A has the higher pCTR"
assert round(1000 * 0.005 * 4.00) == 20 and round(1000 * 0.02 * 0.50) == 10, \
    "the transcript says B earns $20 and A $10 per thousand impressions (2 cents against 1 per impression)"
