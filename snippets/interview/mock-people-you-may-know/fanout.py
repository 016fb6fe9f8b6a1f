# The candidate's estimate in minutes 4-7: load, the two-hop fan-out and its caps, the daily batch
# job, and what keeping it fresh with a stream costs. The world is the case study's (degrees as
# Ugander et al. measured them on Facebook, arXiv:1111.4503); the two caps and the friendship rate
# are the candidate's own assumptions.
from mlsd import estimates, show

USERS = 500e6                 # accounts with at least one friend
VIEWERS_PER_DAY = 200e6       # people who see suggestions on a given day
LOADS_PER_VIEWER = 1.5        # suggestion loads per viewer per day
PEAK_TO_MEAN = 2.0
SCORED = 500                  # candidates the ranker scores per request
MEAN_DEG, MEDIAN_DEG = 190, 99
FRIEND_DEG = 635              # mean degree at the far end of a friendship (the friendship paradox)
HUB_DEG = 5_000               # the friend limit
PER_FRIEND_CAP = 100          # newest friends read per friend (cap N)
OWN_CAP = 500                 # newest own friends walked for a user (cap M): bounds a hub's own walk
BYTES_PER_PATH = 8
KEEP, BYTES_PER_KEPT = 500, 8
NEW_FRIENDS_PER_USER_MONTH = 1.5   # new friendships per user per month (assumed)

load = estimates.request_load(requests_per_day=VIEWERS_PER_DAY * LOADS_PER_VIEWER,
                              peak_factor=PEAK_TO_MEAN, scored_per_request=SCORED)
median_walk = MEDIAN_DEG * FRIEND_DEG
median_capped = MEDIAN_DEG * min(FRIEND_DEG, PER_FRIEND_CAP)
hub_walk = HUB_DEG * FRIEND_DEG
hub_capped = min(HUB_DEG, OWN_CAP) * min(FRIEND_DEG, PER_FRIEND_CAP)
batch_uncapped = USERS * MEAN_DEG * FRIEND_DEG             # the sum of squared degrees
# An upper bound: a friend with fewer than 100 friends contributes fewer than 100 paths, so the
# mean of min(degree, 100) over friends is below min(635, 100). The transcript says "at most".
batch_capped = USERS * MEAN_DEG * min(FRIEND_DEG, PER_FRIEND_CAP)
shuffle_tb = batch_capped * BYTES_PER_PATH / 1e12
table_tb = USERS * KEEP * BYTES_PER_KEPT / 1e12
# Freshness: when a and b connect, b's friends become candidates of a and a's of b, and b joins
# the candidates of each of a's friends and a of b's: 2 x (deg a + deg b) entries. The two ends of
# a friendship are better connected than the average user, so use the far-end degree for both.
new_edges_per_day = USERS * NEW_FRIENDS_PER_USER_MONTH / 30 / 2      # each edge has two people
entries_per_edge = 2 * (FRIEND_DEG + FRIEND_DEG)
stream_per_day = new_edges_per_day * entries_per_edge
# Training rows: a user's new friends in a 45-day label window, against the 500 kept candidates
LABEL_DAYS = 45
positives = NEW_FRIENDS_PER_USER_MONTH * LABEL_DAYS / 30

show.table(estimates.load_rows(load, unit="suggestion requests") + [
    {"quantity": f"two-hop paths, median user ({MEDIAN_DEG} friends)", "value": f"{median_walk:,.0f}"},
    {"quantity": f"... reading the newest {PER_FRIEND_CAP} friends of each friend", "value": f"{median_capped:,}"},
    {"quantity": f"two-hop paths, a hub ({HUB_DEG:,} friends)", "value": f"{hub_walk:,}"},
    {"quantity": f"... with both caps ({OWN_CAP} own friends x {PER_FRIEND_CAP} each)", "value": f"{hub_capped:,}"},
    {"quantity": "batch: paths per day, uncapped / capped", "value":
        f"{estimates.format_count(batch_uncapped)} / {estimates.format_count(batch_capped)}"},
    {"quantity": "batch: shuffled per day / candidate table", "value": f"{shuffle_tb:.0f} TB / {table_tb:.0f} TB"},
    {"quantity": f"training: new friends per user in {LABEL_DAYS} days, share of {KEEP} candidates (at most)",
     "value": f"{positives:.2f} ({positives / KEEP:.2%})"},
    {"quantity": "stream: new friendships per day", "value": estimates.format_count(new_edges_per_day)},
    {"quantity": "stream: table entries updated per day (per second)", "value":
        f"{estimates.format_count(stream_per_day)} ({stream_per_day / 86_400:,.0f})"},
], title="The candidate's estimate")
print(f"a hub walks {int(hub_walk / median_walk)} times the median user's paths uncapped; "
      f"the stream does 1/{batch_capped / stream_per_day:.0f} of the capped batch job's work")

got = (round(load["peak_qps"]), round(load["scores_per_second"] / 1e6, 1))
assert got == (6944, 3.5), f"the transcript says about 7,000 requests/s and 3.5M scores/s at peak, got {got}"
assert (median_walk, median_capped) == (62_865, 9_900), \
    f"the transcript says about 63,000 paths for the median user, 9,900 capped; got {median_walk}, {median_capped}"
assert 50 <= hub_walk / median_walk < 51 and hub_capped == 50_000, \
    f"the transcript says a hub is 50 median users, 50,000 paths with both caps; got {hub_walk / median_walk:.1f}, {hub_capped}"
assert (round(batch_uncapped / 1e12), round(batch_capped / 1e12, 1), round(shuffle_tb), table_tb) == (60, 9.5, 76, 2), \
    "the transcript says 60T paths uncapped, 9.5T capped, 76 TB shuffled and a 2 TB table (the case study's figures)"
assert round(new_edges_per_day / 1e6, 1) == 12.5 and round(stream_per_day / 1e9) == 32, \
    f"the transcript says 12.5M friendships and about 32 billion entry updates a day, got {stream_per_day:.3g}"
assert 250 < batch_capped / stream_per_day < 350, \
    f"the transcript says the stream costs about 1/300 of the batch, got 1/{batch_capped / stream_per_day:.0f}"
assert positives / KEEP < 0.005, f"the transcript says under half a per cent of candidate pairs are positives, got {positives / KEEP:.2%}"
