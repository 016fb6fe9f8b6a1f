# Back-of-envelope estimate for query autocomplete on a large search engine. Every input is an
# assumption from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

queries_per_day = 3e9        # searches typed per day
requests_per_query = 6       # suggestion requests per search (the client skips some keystrokes)
peak_to_mean = 2.0
suggestions = 8              # shown per keystroke
indexed_queries = 100e6      # distinct queries issued by enough users to be suggested
chars_per_query = 25         # average length of an indexed query
new_nodes_per_char = 0.4     # share of characters that open a new trie node (shared prefixes)
ids_per_node = 1.6           # stored top-k ids per node, averaged (deep nodes hold one or two)
bytes_per_id, bytes_per_node = 8, 12   # id + score; character, child and list offsets
qps_per_server = 20_000      # in-memory lookups are microseconds; the RPC costs the rest

load = estimates.request_load(requests_per_day=queries_per_day * requests_per_query,
                              peak_factor=peak_to_mean, scored_per_request=suggestions)
nodes = indexed_queries * chars_per_query * new_nodes_per_char
index_bytes = nodes * (bytes_per_node + ids_per_node * bytes_per_id)
servers = estimates.servers_needed(load["peak_qps"], qps_per_server)
show.table(estimates.load_rows(load, unit="suggestion requests") + [
    {"quantity": "trie nodes", "value": estimates.format_count(nodes)},
    {"quantity": "index in memory (one replica)", "value": estimates.format_bytes(index_bytes)},
    {"quantity": "servers at peak (60 % utilisation, one spare)", "value": servers["servers"]},
], title="Scale estimate")

# Per keystroke, end to end: the list must be on screen before the next keystroke and should feel
# instant. A typist at 60 words a minute (a "word" is 5 keystrokes, spaces included) types a key
# every 200 ms; a list that takes 100 ms leaves half of that to read it. A design budget, not a measure.
words_per_minute, keys_per_word = 60, 5
ms_between_keys = 60_000 / (words_per_minute * keys_per_word)
print(f"a keystroke every {ms_between_keys:.0f} ms at {words_per_minute} words a minute")
budget = estimates.latency_budget({"client: debounce and render": 15, "network round trip": 50,
                                   "front end and routing": 8, "autocomplete service": 20},
                                  100)
show.table(budget["rows"], title=f"Latency budget per keystroke: {budget['total_ms']:g} of 100 ms")
service = estimates.latency_budget({"trie lookup": 1, "personal blend": 3, "n-gram fill": 6,
                                    "safety filter": 2, "RPC and serialisation": 6}, 20)
show.table(service["rows"], title=f"Inside the service: {service['total_ms']:g} of 20 ms")

QUOTED = "the page quotes, for the default inputs,"
assert load["requests_per_day"] == 18e9, f"{QUOTED} 18 billion requests a day"
assert round(load["peak_qps"] / 1e3) == 417, f"{QUOTED} 417,000 requests/s at peak"
assert nodes == 1e9, f"{QUOTED} a billion trie nodes, got {nodes:,.0f}"
assert round(index_bytes / 1e9) == 25, f"{QUOTED} 25 GB for the index, got {index_bytes / 1e9:.1f}"
assert servers["servers"] == 36, f"{QUOTED} 36 servers, got {servers['servers']}"
assert budget["fits"] and budget["slack_ms"] == 7, f"{QUOTED} 93 of 100 ms"
assert service["fits"] and service["slack_ms"] == 2, f"{QUOTED} 18 of 20 ms in the service"
assert round(ms_between_keys) == 200, f"{QUOTED} a keystroke every 200 ms, got {ms_between_keys:.0f}"
assert budget["total_ms"] < ms_between_keys, "the list must arrive before the next keystroke"
share = {row["stage"]: row["share"] for row in budget["rows"]}
assert share["network round trip"] == 0.5 and share["autocomplete service"] == 0.2, \
    f"{QUOTED} half of the 100 ms for the round trip and 20 ms for the service"
