# What an implicit label really measures. Each impression has a hidden truth: would the user
# say the item was worth it? Clicks, dwell time and purchases are logged instead; each is a
# different, noisy view of that truth. Change DWELL_SECONDS and watch volume trade for precision.
import math
import random

from mlsd import show

DWELL_SECONDS = 30          # a click counts as "satisfied" if the user stays this long
N = 20_000                  # impressions
rng = random.Random(0)

rows = []
for _ in range(N):
    worth_it = rng.random() < 0.04                  # 4 % of impressions show an item the user would value
    clickbait = rng.random() < 0.10                 # an eye-catching title, whatever the content
    p_click = (0.45 if worth_it else 0.02) + (0.15 if clickbait else 0.0)
    clicked = rng.random() < p_click
    # Dwell after a click: minutes if the item is worth it, seconds if not (log-normal).
    dwell = math.exp(rng.gauss(math.log(90 if worth_it else 12), 0.8)) if clicked else 0.0
    bought = clicked and rng.random() < (0.15 if worth_it else 0.01)   # some buy and regret it
    rated = rng.random() < 0.01                     # one user in a hundred leaves a rating
    rows.append((worth_it, clicked, dwell, bought, rated))

worth = sum(r[0] for r in rows)
signals = {
    "click": [r[1] for r in rows],
    f"dwell >= {DWELL_SECONDS} s": [r[1] and r[2] >= DWELL_SECONDS for r in rows],
    "purchase": [r[3] for r in rows],
    "explicit rating (1 % rate)": [r[4] and r[0] for r in rows],   # a rater tells the truth
}
table = []
for name, positive in signals.items():
    n_pos = sum(positive)
    hits = sum(p and r[0] for p, r in zip(positive, rows))
    table.append({"label": name, "positives per 1,000 impressions": round(1000 * n_pos / N, 1),
                  "precision (share truly worth it)": round(hits / n_pos, 3),
                  "recall (share of worth-it found)": round(hits / worth, 3)})
show.table(table, title=f"{N:,} impressions, {worth} of them worth it ({worth / N:.1%})")

# The dwell threshold is the knob: sweep it.
grid = [0, 5, 10, 20, 30, 45, 60, 90, 120]
clicks = [r for r in rows if r[1]]
prec, rec = [], []
for t in grid:
    kept = [r for r in clicks if r[2] >= t]
    prec.append(round(sum(r[0] for r in kept) / len(kept), 3))
    rec.append(round(sum(r[0] for r in kept) / worth, 3))
show.line_chart(grid, {"precision": prec, "recall": rec}, x_title="dwell threshold (seconds)",
                y_title="against 'worth it'", title="A longer dwell threshold: cleaner positives, fewer of them")

click, dwell, buy, rate = table
print(f"clicks: {click['positives per 1,000 impressions']} per 1,000, precision {click['precision (share truly worth it)']}; "
      f"dwell >= {DWELL_SECONDS} s: {dwell['positives per 1,000 impressions']} per 1,000, precision "
      f"{dwell['precision (share truly worth it)']}; purchases: {buy['positives per 1,000 impressions']} per 1,000")
# The claims on the page (the first three hold at any DWELL_SECONDS).
assert click["precision (share truly worth it)"] < 0.5, "most clicks are not on items worth it"
assert rate["positives per 1,000 impressions"] < 1, "explicit ratings are the rarest label"
assert max(prec[:3]) < min(prec[-3:]) and rec[-1] < rec[0] / 2, "a long threshold trades recall for precision"
if DWELL_SECONDS == 30:     # the claims and figures the page quotes, at the default threshold
    assert dwell["precision (share truly worth it)"] > click["precision (share truly worth it)"] + 0.2, \
        "a 30 s dwell threshold cleans the positives"
    assert buy["precision (share truly worth it)"] > dwell["precision (share truly worth it)"] and \
        buy["positives per 1,000 impressions"] < dwell["positives per 1,000 impressions"] / 3, \
        "purchases are cleaner than 30 s dwell but rare"
    quoted = [(r["positives per 1,000 impressions"], r["precision (share truly worth it)"], r["recall (share of worth-it found)"])
              for r in table]
    assert quoted[:3] == [(54.1, 0.341, 0.469), (22.4, 0.772, 0.438), (3.1, 0.823, 0.065)] and quoted[3][0] == 0.4, \
        "the page quotes clicks 54.1/1,000 at 0.341, dwell 22.4 at 0.772 (recall 0.438 vs 0.469), purchases 3.1 at 0.823"
