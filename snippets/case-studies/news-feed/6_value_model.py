# The value model adds the six predictions with weights. Sweep one weight, the
# value of a click, and watch what 150 users' feeds would yield (no re-ranking,
# so the value model alone decides). Changes are against a click weight of 0.
import random

from mlsd import show
from casestudies import news_feed as nf

model = nf.ranker()
users = sorted(random.Random(3).sample(range(nf.WORLD["n_users"]), 150))
print("weights:", ", ".join(f"{t} {w:g}" for t, w in nf.VALUE_WEIGHTS.items()))

click_weights = [0, 1, 2, 4, 8, 16]
runs = []
for c in click_weights:
    m = nf.mean_metrics(nf.feeds(model, users, dict(nf.VALUE_WEIGHTS, click=float(c)), rules=None))
    m["interactions"] = m["like"] + m["comment"] + m["share"]
    runs.append(m)
base = runs[0]
series = {"clicks": "click", "clickbait clicks": "clickbait_clicks", "long reads": "dwell",
          "likes + comments + shares": "interactions"}
show.line_chart(click_weights, {name: [round(100 * (r[key] / base[key] - 1), 1) for r in runs]
                                for name, key in series.items()},
                x_title="weight of one predicted click", y_title="change vs click weight 0 (%)",
                title="What a heavier click weight buys and costs")
show.table([{"click weight": c, **{name: round(r[key], 4) for name, key in series.items()}}
            for c, r in zip(click_weights, runs)], title="Expected per session (150 users)")

top = runs[-1]
print(f"click weight 16 vs 0: clicks {top['click'] / base['click'] - 1:+.1%}, clickbait clicks "
      f"{top['clickbait_clicks'] / base['clickbait_clicks'] - 1:+.0%}, long reads "
      f"{top['dwell'] / base['dwell'] - 1:+.1%}, interactions {top['interactions'] / base['interactions'] - 1:+.1%}")

cb_base = base["clickbait_clicks"] / base["click"]
cb_extra = (top["clickbait_clicks"] - base["clickbait_clicks"]) / (top["click"] - base["click"])
print(f"clickbait: {cb_base:.0%} of clicks at weight 0, {cb_extra:.0%} of the extra clicks at 16")

clicks = [r["click"] for r in runs]
assert all(a < b for a, b in zip(clicks, clicks[1:]))                 # you get what you weight
cb_gain = top["clickbait_clicks"] / base["clickbait_clicks"] - 1
assert cb_gain > 1.5 * (top["click"] / base["click"] - 1)             # clickbait grows faster
assert cb_extra > 1.5 * cb_base                                       # over-represented in the extra
assert top["dwell"] < base["dwell"] and top["interactions"] < base["interactions"]
