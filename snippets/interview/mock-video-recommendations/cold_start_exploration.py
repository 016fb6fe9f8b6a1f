# Curveball 1: how fast does a new video collect enough impressions to judge it?
# All inputs are assumptions the candidate states; the arithmetic is exact.
from statistics import NormalDist

FEED_REQUESTS_PER_DAY = 200_000_000 * 10  # from the traffic estimate
EXPLORATION_SLOTS = 1                      # of the ~25 items in a feed load, one is for new videos
NEW_VIDEOS_PER_DAY = 500_000               # uploads that pass the quality filters (assumed)
CTR_GUESS = 0.04                           # a typical click-through rate for the feed (assumed)
MARGIN = 0.01                              # we want the CTR within +/- 1 percentage point

per_video_per_hour = FEED_REQUESTS_PER_DAY * EXPLORATION_SLOTS / NEW_VIDEOS_PER_DAY / 24
z = NormalDist().inv_cdf(0.975)            # 95% two-sided
needed = z * z * CTR_GUESS * (1 - CTR_GUESS) / MARGIN ** 2
hours = needed / per_video_per_hour

print(f"exploration impressions per new video: {per_video_per_hour:.0f} per hour")
print(f"impressions to pin CTR to +/-1 point (95%): {needed:.0f}")
print(f"hours to get there with uniform exploration: {hours:.1f}")

assert round(per_video_per_hour) == 167 and round(needed) == 1475, "the transcript quotes this figure; an assumption above was changed"
assert 8 < hours < 9.5, "the transcript quotes this figure; an assumption above was changed"  # far longer than "within the first hour", so uniform exploration is not enough
