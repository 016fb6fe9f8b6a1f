# Back-of-envelope estimate for the event feed of a platform present in many
# cities. Every input is an assumption from the requirements table; change one
# and re-run to see what moves.
import math

from mlsd import estimates, show

daily_users = 10e6           # people who open the event feed on a given day, all cities
feeds_per_user = 2           # feed loads per user per day
shown = 10                   # events shown per feed load
registration_rate = 0.02     # registrations per impression
live_big_city = 30_000       # live events in the largest city at one time
city_km2 = 1_500             # its built-up area
radius_km = 10               # how far people usually go for an event
candidates = 150             # events the ranker scores per request

load = estimates.request_load(
    requests_per_day=daily_users * feeds_per_user,
    peak_factor=3.0,                 # the busiest minute versus the daily average
    scored_per_request=candidates,
    logged_per_request=shown,        # one impression row per event shown
    bytes_per_row=200)
registrations_per_day = load["log_rows_per_day"] * registration_rate
density = live_big_city / city_km2                        # live events per km²
in_radius = density * math.pi * radius_km ** 2            # events within the radius

show.table(estimates.load_rows(load, unit="feed loads") + [
    {"quantity": "registrations per day", "value": f"{registrations_per_day:.2g}"},
    {"quantity": "registrations per daily user per day", "value": f"{registrations_per_day / daily_users:.1f}"},
    {"quantity": "live events within 10 km, largest city", "value": f"{in_radius:,.0f}"},
], title="Scale estimate")

assert round(load["mean_qps"]) == 231 and round(load["peak_qps"], -1) == 690
assert round(load["scores_per_second"], -3) == 104_000    # about a hundred thousand scores a second
assert round(registrations_per_day) == 4_000_000   # plenty of positives, even at 2 %
assert registrations_per_day / daily_users < 0.5   # a daily user does not register every day
assert 6_000 < in_radius < 7_000                   # a 10 km circle is too many to rank
assert in_radius / candidates > 40                 # so retrieval must pick ~1 in 40
assert round(load["log_bytes_per_day"]) == 40e9

# The latency budget of the serving diagram: stages run one after another.
budget_ms = {"geo cells + time window": 15, "merge sources": 5, "features": 25, "rank": 30,
             "re-rank": 5}
total_ms = 100
headroom = total_ms - sum(budget_ms.values())
print(f"stage budgets add up to {sum(budget_ms.values())} ms of {total_ms} ms, leaving {headroom} ms "
      f"for the network and bad days")
assert headroom == 20
