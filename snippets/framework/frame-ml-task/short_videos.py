# A fixed "watched at least 30 s" label penalises short videos: a 20-second clip can never be a
# positive, however many viewers finish it. Two alternatives, on the same simulated catalogue:
#   watch fraction  - the share of the video watched: a finished short clip counts as much as a
#                     finished long film (threshold it, e.g. >= 50 %, or regress on it);
#   watch time      - expected seconds watched, the objective of YouTube's ranker (Covington et
#                     al., 2016): a weighted logistic regression whose clicked impressions are
#                     weighted by their watch time. It values minutes on purpose.
# Each clicked video is watched for a fraction f ~ Beta(4a, 4(1 - a)) of its length, where a is
# its appeal (the mean fraction watched). Labels are scored on their exact expected values.
import math
import random
from mlsd import show, stats

SEED, N_VIDEOS, TOP, THRESHOLD_S = 0, 2000, 100, 30
rng = random.Random(SEED)
videos = []
for _ in range(N_VIDEOS):
    length = math.exp(rng.uniform(math.log(10), math.log(1200)))   # 10 s to 20 min, log-uniform
    appeal = rng.betavariate(2, 2)                                   # mean fraction watched
    a, b = 4 * appeal, 4 * (1 - appeal)
    x = min(1.0, THRESHOLD_S / length)                               # fraction needed for 30 s
    videos.append({"length": length, "appeal": appeal,
                   "P(watch >= 30 s)": 1 - stats.betainc(a, b, x) if x < 1 else 0.0,
                   "P(fraction >= 50 %)": 1 - stats.betainc(a, b, 0.5),
                   "expected watch time": length * appeal})

short_share = sum(v["length"] < THRESHOLD_S for v in videos) / N_VIDEOS
rows = []
for label in ("P(watch >= 30 s)", "P(fraction >= 50 %)", "expected watch time"):
    top = sorted(videos, key=lambda v: v[label], reverse=True)[:TOP]
    rows.append({"label": label,
                 "short videos (< 30 s) in top-100": f"{sum(v['length'] < THRESHOLD_S for v in top) / TOP:.0%}",
                 "mean fraction watched": round(sum(v["appeal"] for v in top) / TOP, 3),
                 "median length (s)": round(stats.quantile([v["length"] for v in top], 0.5))})
show.table(rows, title=f"Top-{TOP} of {N_VIDEOS} videos by each label; {short_share:.0%} of the catalogue is under 30 s")

loved_short = [v for v in videos if v["length"] < THRESHOLD_S and v["appeal"] > 0.8]
print(f"{short_share:.0%} of videos are shorter than 30 s; {len(loved_short)} of them are watched "
      f">80% through on average, and every one has P(watch >= 30 s) = 0")

thirty, fraction, seconds = rows
assert all(v["P(watch >= 30 s)"] == 0 for v in loved_short) and loved_short  # never a positive
assert thirty["short videos (< 30 s) in top-100"] == "0%"                       # shut out of the top
assert fraction["short videos (< 30 s) in top-100"] != "0%"                     # the fraction label lets them in
assert fraction["mean fraction watched"] > thirty["mean fraction watched"]      # and finds better-liked videos
assert seconds["median length (s)"] > thirty["median length (s)"]               # watch time favours long videos
