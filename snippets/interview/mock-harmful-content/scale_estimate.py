# The candidate's estimate in minute 3, and the first curveball in minute 5: legal says violent
# posts must come down within an hour of upload. The assumptions are the case study's, on purpose,
# so the two pages can be read side by side; change one and the messages below say which
# transcript figure it breaks.
from mlsd import estimates, show

POSTS_PER_DAY = 3e9        # new posts screened per day (assumed)
PEAK_FACTOR = 2.0          # busiest hour against the daily average (assumed)
HARMFUL_RATE = 0.0076      # spam 0.4 % + nudity 0.2 % + hate 0.1 % + violence 0.06 % (assumed)
VIOLENCE_RATE = 0.0006     # graphic violence alone (assumed)
REVIEW_SHARE = 0.001       # people can review 0.1 % of posts a day (assumed)
REVIEWS_PER_PERSON = 600   # decisions per reviewer per day (assumed)

load = estimates.request_load(requests_per_day=POSTS_PER_DAY, peak_factor=PEAK_FACTOR,
                              scored_per_request=1, logged_per_request=1, bytes_per_row=2_000)
harmful = POSTS_PER_DAY * HARMFUL_RATE
reviews = POSTS_PER_DAY * REVIEW_SHARE
show.table(estimates.load_rows(load, unit="posts") + [
    {"quantity": "harmful posts per day", "value": f"{harmful / 1e6:.1f} million"},
    {"quantity": "human reviews per day", "value": f"{reviews / 1e6:.1f} million"},
    {"quantity": "reviews per harmful post", "value": f"{reviews / harmful:.2f}"},
    {"quantity": "reviewers to staff them", "value": f"{reviews / REVIEWS_PER_PERSON:,.0f}"},
], title="The candidate's estimate")

# [05:00] The curveball: violent posts must come down within an hour. Reviews are assumed to be
# spread evenly over the day (teams in several time zones); uploads are not.
violent_per_hour = POSTS_PER_DAY * VIOLENCE_RATE / 24
reviews_per_hour = reviews / 24
show.table([
    {"per hour": "violent posts uploaded, average hour", "posts": f"{violent_per_hour:,.0f}"},
    {"per hour": "violent posts uploaded, busiest hour", "posts": f"{violent_per_hour * PEAK_FACTOR:,.0f}"},
    {"per hour": "human reviews, all classes together", "posts": f"{reviews_per_hour:,.0f}"},
], title="The one-hour rule for violence")
share = violent_per_hour / reviews_per_hour
print(f"a perfect violence model that flagged only violent posts would still need {share:.0%} of all "
      f"review capacity on an average hour and {share * PEAK_FACTOR:.0%} at the busiest hour")

assert round(load["mean_qps"], -3) == 35_000 and round(load["peak_qps"], -3) == 69_000, \
    "the transcript says about 35,000 posts a second, 69,000 at peak"
assert round(harmful / 1e6, 1) == 22.8 and reviews == 3e6, "the transcript says 22.8 million harmful posts and 3 million reviews a day"
assert 0.12 < reviews / harmful < 0.14, "the transcript says people can look at about one harmful post in eight"
assert round(reviews / REVIEWS_PER_PERSON) == 5_000, "the transcript says about 5,000 reviewers"
assert round(violent_per_hour) == 75_000 and round(reviews_per_hour) == 125_000, \
    "the transcript says 75,000 violent posts an hour against 125,000 reviews an hour"
assert round(share, 2) == 0.60 and share * PEAK_FACTOR > 1, \
    "the transcript says 60 % of all review capacity, and more than all of it at the busiest hour"
