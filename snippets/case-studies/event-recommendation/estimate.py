# Back-of-envelope estimate for the event feed of a platform present in many
# cities. Every input is an assumption from the requirements table; change one
# and re-run to see what moves.
import math

from mlsd import show

daily_users = 10e6           # people who open the event feed on a given day, all cities
feeds_per_user = 4           # feed loads per user per day
peak_to_mean = 3.0           # the busiest minute versus the daily average
shown = 10                   # events shown per feed load
registration_rate = 0.02     # registrations per impression
live_big_city = 30_000       # live events in the largest city at one time
city_km2 = 1_500             # its built-up area
radius_km = 10               # how far people usually go for an event
candidates = 150             # events the ranker scores per request
log_row_bytes = 200          # one impression row in the log

requests_per_day = daily_users * feeds_per_user
mean_qps = requests_per_day / 86_400
peak_qps = mean_qps * peak_to_mean
scores_per_s = peak_qps * candidates
registrations_per_day = requests_per_day * shown * registration_rate
density = live_big_city / city_km2                        # live events per km²
in_radius = density * math.pi * radius_km ** 2            # events within the radius
log_gb_per_day = requests_per_day * shown * log_row_bytes / 1e9

show.table([
    {"quantity": "feed requests per day", "value": f"{requests_per_day:.2g}"},
    {"quantity": "mean QPS", "value": f"{mean_qps:,.0f}"},
    {"quantity": "peak QPS", "value": f"{peak_qps:,.0f}"},
    {"quantity": "ranker predictions per second at peak", "value": f"{scores_per_s:,.0f}"},
    {"quantity": "registrations per day", "value": f"{registrations_per_day:.2g}"},
    {"quantity": "live events within 10 km, largest city", "value": f"{in_radius:,.0f}"},
    {"quantity": "impression log per day (GB)", "value": f"{log_gb_per_day:,.0f}"},
], title="Scale estimate")

assert round(mean_qps) == 463 and round(peak_qps, -1) == 1390
assert round(scores_per_s, -3) == 208_000          # a few hundred thousand scores a second
assert registrations_per_day == 8e6                # plenty of positives, even at 2 %
assert 6_000 < in_radius < 7_000                   # a 10 km circle is too many to rank
assert in_radius / candidates > 40                 # so retrieval must pick ~1 in 40
assert log_gb_per_day == 80

# The latency budget of the serving diagram: stages run one after another.
budget_ms = {"geo cells + time window": 15, "merge sources": 5, "features": 25, "rank": 30,
             "re-rank": 5}
total_ms = 100
headroom = total_ms - sum(budget_ms.values())
print(f"stage budgets add up to {sum(budget_ms.values())} ms of {total_ms} ms, leaving {headroom} ms "
      f"for the network and bad days")
assert headroom == 20
