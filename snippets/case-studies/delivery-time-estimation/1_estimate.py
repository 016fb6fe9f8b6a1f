# Back-of-envelope estimate for a food-delivery platform's time estimates in one large city.
# Every input is an assumption from the requirements table; change one and re-run.
from mlsd import estimates, show

orders_per_day = 150_000     # delivered orders in the city
conversion = 0.12            # share of app sessions that end in an order
peak_factor = 2.9            # the dinner hour carries about 12 % of the day's orders (0.12 x 24)
etas_per_list = 40           # restaurants on a list page, each shown with its delivery time
                             # (one list page per session: a floor, as scrolling loads more)
updates_per_order = 18       # new estimates pushed during a delivery (every 2 minutes or so)
bytes_per_logged_estimate = 300  # features + the estimate + the model version, per estimate
budget_ms = 50.0             # the estimate's share of the checkout page
couriers_at_peak = 6_000     # couriers online in the dinner peak
minutes_per_delivery = 32    # mean order to hand-off (Little's law needs the mean; the toy's is 32.5)

sessions = orders_per_day / conversion
browse = estimates.request_load(requests_per_day=sessions, peak_factor=peak_factor,
                                scored_per_request=etas_per_list)
track = estimates.request_load(requests_per_day=orders_per_day, peak_factor=peak_factor,
                               scored_per_request=1 + updates_per_order,
                               logged_per_request=1 + updates_per_order,
                               bytes_per_row=bytes_per_logged_estimate)
peak_orders_per_hour = orders_per_day * peak_factor / 24
in_flight = peak_orders_per_hour * minutes_per_delivery / 60      # Little's law
show.table(estimates.load_rows(browse, unit="list pages") + [
    {"quantity": "checkout + tracking estimates per second at peak",
     "value": f"{track['scores_per_second']:,.0f}"},
    {"quantity": "estimates logged per day / log size per day",
     "value": f"{track['log_rows_per_day'] / 1e6:.2f} million / "
              f"{estimates.format_bytes(track['log_bytes_per_day'])}"},
    {"quantity": "orders in flight at the dinner peak", "value": f"{in_flight:,.0f}"},
    {"quantity": "orders in flight per online courier", "value": f"{in_flight / couriers_at_peak:.2f}"},
    {"quantity": "labels (delivered orders) per day", "value": f"{orders_per_day:,}"},
], title="Scale estimate")

budget = estimates.latency_budget({"feature reads (restaurant, kitchen, couriers, weather)": 12,
                                   "three stage models": 6, "quantile models": 4,
                                   "promise and range": 1}, budget_ms)
show.table(budget["rows"], title=f"Checkout estimate budget: {budget['total_ms']:g} of {budget_ms:g} ms")

list_share = browse["scores_per_second"] / (browse["scores_per_second"] + track["scores_per_second"])
print(f"list pages ask for {list_share:.0%} of all estimates: most estimates are never ordered")
assert round(sessions) == 1_250_000, f"the requirements quote 1.25 million sessions, got {sessions:,.0f}"
assert round(browse["peak_qps"]) == 42, f"42 list pages a second at peak, got {browse['peak_qps']:.0f}"
assert round(browse["scores_per_second"], -2) == 1_700, \
    f"the prose quotes about 1,700 list estimates a second, got {browse['scores_per_second']:,.0f}"
assert round(track["scores_per_second"]) == 96, f"the prose quotes 96, got {track['scores_per_second']:.0f}"
assert round(list_share, 2) == 0.95, f"the prose quotes 95 %, got {list_share:.2f}"
assert round(track["log_bytes_per_day"] / 1e9, 2) == 0.85, "the prose says under 1 GB a day"
assert round(in_flight, -2) == 9_700, f"the prose quotes about 9,700 orders in flight, got {in_flight:,.0f}"
assert round(in_flight / couriers_at_peak, 1) == 1.6, "the prose quotes 1.6 orders per courier"
assert budget["fits"] and budget["slack_ms"] == 27, f"the prose quotes 27 ms of slack, got {budget['slack_ms']}"
