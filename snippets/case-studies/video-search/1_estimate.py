# Back-of-envelope estimate for search on a large video platform. Every input is an assumption
# from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

searches_per_day = 1_000_000_000     # ASSUMED: one search a day for each of a billion viewers
peak_to_mean = 2.0
videos = 500_000_000                 # indexed, public videos
words_per_video = 60 + 1_200         # title and description, plus a speech transcript
postings_bytes_per_word = 2.5        # compressed postings: doc-id gaps and term counts
dim, bytes_per_value = 256, 1        # dense video vectors, int8-quantized
per_retriever = 1_000                # candidates each retriever (BM25, ANN) hands to fusion
ranked_per_search = 500              # candidates the learned ranker scores, after fusion
results_shown = 20

load = estimates.request_load(requests_per_day=searches_per_day, peak_factor=peak_to_mean,
                              scored_per_request=ranked_per_search,
                              logged_per_request=results_shown, bytes_per_row=60)
postings = videos * words_per_video * postings_bytes_per_word
vectors = estimates.embedding_memory(videos, dim, bytes_per_value)
shards = estimates.machines_for_memory(postings + vectors["total_bytes"], memory_per_machine_gb=256)

show.table(estimates.load_rows(load, unit="searches") + [
    {"quantity": "inverted index (postings, compressed)", "value": estimates.format_bytes(postings)},
    {"quantity": "dense vectors (256 int8 per video)", "value": vectors["size"]},
    {"quantity": "machines to hold one copy in RAM (256 GB each)", "value": shards["machines"]},
], title="Scale estimate")

# The 200 ms from keystroke to results, stage by stage: a design budget, not a measurement.
budget = estimates.latency_budget({"query understanding (spelling, synonyms, embedding)": 15,
                                   "BM25 and ANN retrieval, in parallel over shards": 60,
                                   "fusion and merge of shard results": 5,
                                   "feature fetch for 500 candidates": 25,
                                   "learned ranker, 500 candidates": 40,
                                   "policy filters, dedup, render": 15}, 200)
show.table(budget["rows"], title=f"Latency budget: {budget['total_ms']:g} of 200 ms")

QUOTED = "the page quotes, for the default inputs,"
assert round(load["peak_qps"]) == 23_148, f"{QUOTED} about 23,000 searches a second at peak"
assert round(load["scores_per_second"] / 1e6, 1) == 11.6, f"{QUOTED} 11.6 million ranker scores a second"
assert 1.5e12 < postings < 1.6e12, f"{QUOTED} about 1.6 TB of postings"
assert vectors["total_bytes"] == 128e9, f"{QUOTED} 128 GB of vectors"
assert shards["machines"] == 10, f"{QUOTED} 10 machines per copy"
assert budget["fits"] and budget["slack_ms"] == 40, f"{QUOTED} 40 ms of slack"
transcript_factor = words_per_video / 60
assert round(transcript_factor) == 21, f"{QUOTED} transcripts multiply the index by about twenty"
assert 2 * per_retriever > ranked_per_search, "fusion must have more candidates than it keeps"
print(f"peak {load['peak_qps']:,.0f} searches/s; postings {estimates.format_bytes(postings)}; "
      f"vectors {vectors['size']}; slack {budget['slack_ms']:g} ms")
print(f"transcripts make the indexed text {transcript_factor:.0f}x longer; fusion keeps "
      f"{ranked_per_search} of the {2 * per_retriever:,} candidates the two retrievers return")
