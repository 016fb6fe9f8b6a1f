# Batch or online prediction: a cost calculator. Batch scores every registered user's
# candidates once a night and serves a lookup; online scores the candidates of every
# request. Which does less work depends on how many users come back, and how often.
from mlsd import estimates, show

REGISTERED_USERS = 200_000_000
DAILY_ACTIVE = 40_000_000
REQUESTS_PER_ACTIVE_USER = 6          # feed loads per active user per day
CANDIDATES = 500                      # items scored per user (batch) or per request (online)
SCORES_PER_SERVER_SECOND = 200_000    # ranker throughput of one server (assumption)

batch_per_day = REGISTERED_USERS * CANDIDATES
traffic = estimates.qps(DAILY_ACTIVE, REQUESTS_PER_ACTIVE_USER, peak_factor=2.5)
online_per_day = traffic["requests_per_day"] * CANDIDATES
online_servers = estimates.servers_needed(traffic["peak_qps"] * CANDIDATES, SCORES_PER_SERVER_SECOND)["servers"]
batch_servers = -(-batch_per_day // (SCORES_PER_SERVER_SECOND * 4 * 3600))   # a 4-hour nightly window

show.table([{"quantity": "scores per day", "batch (nightly)": estimates.format_count(batch_per_day),
             "online (per request)": estimates.format_count(online_per_day)},
            {"quantity": "servers", "batch (nightly)": f"{batch_servers} for 4 hours",
             "online (per request)": f"{online_servers} around the clock (peak {traffic['peak_qps']:,.0f} QPS)"},
            {"quantity": "server-hours per day", "batch (nightly)": f"{batch_servers * 4:,}",
             "online (per request)": f"{online_servers * 24:,}"},
            {"quantity": "freshness", "batch (nightly)": "up to a day old",
             "online (per request)": "uses this session's clicks"},
            {"quantity": "serving latency", "batch (nightly)": "one key-value lookup",
             "online (per request)": "features + model inside the budget"}],
           title=f"{REGISTERED_USERS / 1e6:.0f}M registered users, {DAILY_ACTIVE / 1e6:.0f}M active a day, "
                 f"{REQUESTS_PER_ACTIVE_USER} requests each")

per_user = [0.5, 1, 2, 5, 10, 20]
show.line_chart(per_user, {"batch (nightly)": [batch_per_day / 1e9] * len(per_user),
                           "online": [DAILY_ACTIVE * r * CANDIDATES / 1e9 for r in per_user]},
                x_title="requests per active user per day", y_title="billions of scores per day",
                title="Batch wins when few users return often; online when most users come rarely")
break_even = REGISTERED_USERS / DAILY_ACTIVE
print(f"online does less scoring work below {break_even:.1f} requests per active user per day "
      f"(registered / active users); here there are {REQUESTS_PER_ACTIVE_USER}")
wasted = 1 - DAILY_ACTIVE / REGISTERED_USERS
print(f"server-hours per day: batch {batch_servers * 4}, online {online_servers * 24} (sized for the peak)")
print(f"{wasted:.0%} of the nightly batch work is for users who do not come that day")
# The claims on the page, for the settings above.
if (REGISTERED_USERS, DAILY_ACTIVE, REQUESTS_PER_ACTIVE_USER, CANDIDATES) == (200_000_000, 40_000_000, 6, 500):
    assert break_even == 5.0 and online_per_day > batch_per_day      # 6 > 5 requests: batch does less work
    assert wasted == 0.8
    assert batch_servers * 4 < online_servers * 24 / 4    # peak provisioning makes online dearer still
