# Back-of-envelope estimate for similar listings and session personalization on a rental
# platform. Every input is an assumption from the requirements table; edit one and re-run.
from mlsd import estimates, show

listings = 5_000_000          # active listings
markets = 5_000               # cities and regions; the biggest hold tens of thousands of listings
biggest_market = 40_000
listing_views_per_day = 60e6  # listing pages viewed; each shows a similar-listings carousel
search_sessions_per_day = 15e6
booking_rate = 0.03           # bookings per search session
clicks_per_session = 3        # listing clicks in a search session, on average (45M of the
                              # 60M listing views; the rest come from carousels and links)
searches_per_session = 4      # result pages requested in a session
results_per_search = 200      # results the search ranker scores on one page request
dim = 32                      # values per listing vector, float32
top_k, carousel = 200, 12     # neighbours kept per listing; listings shown in the carousel

views = estimates.request_load(requests_per_day=listing_views_per_day, peak_factor=2.0,
                               scored_per_request=biggest_market)
table = estimates.embedding_memory(listings, dim)
neighbours_bytes = listings * top_k * (4 + 4)          # listing id + similarity, precomputed
bookings = search_sessions_per_day * booking_rate
clicks_per_day = search_sessions_per_day * clicks_per_session
nightly_biggest = biggest_market ** 2 * dim                  # exact all-pairs scan, one market
# Session personalization: one mean of the clicked vectors, one dot product per result.
searches = estimates.request_load(requests_per_day=search_sessions_per_day * searches_per_session,
                                  peak_factor=2.0, scored_per_request=results_per_search)
vectors_per_search = results_per_search + clicks_per_session
bytes_per_search = vectors_per_search * dim * 4
mult_adds_per_search = results_per_search * dim

show.table(estimates.load_rows(views, unit="listing-page views") + [
    {"quantity": "listings per market, mean / biggest", "value": f"{listings // markets:,} / {biggest_market:,}"},
    {"quantity": "vector table (5M x 32 floats)", "value": table["size"]},
    {"quantity": f"precomputed top-{top_k} neighbours, ids + scores", "value": estimates.format_bytes(neighbours_bytes)},
    {"quantity": "bookings per day", "value": f"{bookings:,.0f}"},
    {"quantity": "listing clicks per day (training pairs come from these)", "value": estimates.format_count(clicks_per_day)},
    {"quantity": "listing clicks per booking", "value": f"{clicks_per_day / bookings:,.0f}"},
    {"quantity": "nightly exact neighbours, biggest market: multiply-adds", "value": f"{nightly_biggest / 1e9:.1f}B"},
], title="Similar listings: scale")
show.table(estimates.load_rows(searches, unit="search pages") + [
    {"quantity": "vectors read per search page", "value": f"{vectors_per_search:,}"},
    {"quantity": "bytes read per search page", "value": f"{bytes_per_search / 1e3:.1f} kB"},
    {"quantity": "multiply-adds per search page", "value": f"{mult_adds_per_search:,}"},
    {"quantity": "vector reads at peak", "value": f"{searches['peak_qps'] * bytes_per_search / 1e6:.0f} MB/s"},
], title="Session personalization: cost per search page")

budget = estimates.latency_budget({"read the query listing's precomputed neighbours": 5,
                                   "availability and filters on 200 neighbours": 15,
                                   "re-rank with business rules": 5}, 50)
show.table(budget["rows"], title=f"Carousel latency budget: {budget['total_ms']:g} of {budget['budget_ms']:g} ms")

# The numbers the page quotes:
quoted = "the page quotes this figure; edit its prose too if you change an input"
assert round(views["mean_qps"]) == 694 and round(views["peak_qps"]) == 1389, quoted
assert round(views["scores_per_second"] / 1e5) == 556, quoted      # 55.6M: too much to score live
assert clicks_per_day <= listing_views_per_day, "every search click opens a listing page"
assert table["vector_bytes"] == 640e6, quoted                      # fits in one machine's memory
assert neighbours_bytes == 8e9, quoted                             # a key-value store, not a web node's RAM
assert bookings == 450_000 and clicks_per_day / bookings == 100, quoted
assert nightly_biggest == 51.2e9, quoted
assert bytes_per_search == 25_984 and mult_adds_per_search == 6_400, quoted
assert round(searches["peak_qps"] * bytes_per_search / 1e6) == 36, quoted
assert round(searches["peak_qps"]) == 1389, quoted
assert budget["fits"] and budget["slack_ms"] == 25, quoted
