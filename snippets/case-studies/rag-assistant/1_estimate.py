# Back-of-envelope estimate for an internal assistant over a company's documents. Every input is
# an assumption from the requirements table; change one and re-run to see what moves.
from mlsd import estimates, show

employees = 50_000
daily_share = 0.4            # employees who ask the assistant something on a given day
questions_per_user = 6       # per active employee per day
peak_to_mean = 3.0           # working hours: most questions come in a third of the day
documents = 500_000          # policies, runbooks, product pages, tickets' knowledge articles
words_per_document = 1_500
words_per_chunk = 200        # production chunk size (the toy's sentences are shorter: 64)
changed_per_day = 0.02       # share of documents edited on a given day
dim, bytes_per_value = 768, 4
chunks_per_prompt = 5
words_to_tokens = 1.3        # model tokens per English word (assumption)
instructions_tokens = 300    # system prompt + the question
output_tokens = 150
usd_per_m_input, usd_per_m_output = 3.0, 15.0   # ASSUMED prices per million tokens; check yours
rerank_candidates = 20

questions_per_day = employees * daily_share * questions_per_user
load = estimates.request_load(requests_per_day=questions_per_day, peak_factor=peak_to_mean,
                              scored_per_request=rerank_candidates)
chunks = documents * words_per_document / words_per_chunk
vectors = estimates.embedding_memory(int(chunks), dim, bytes_per_value)
input_tokens = chunks_per_prompt * words_per_chunk * words_to_tokens + instructions_tokens
usd_per_question = (input_tokens * usd_per_m_input + output_tokens * usd_per_m_output) / 1e6
usd_per_day = usd_per_question * questions_per_day
reembed_per_day = chunks * changed_per_day

show.table(estimates.load_rows(load, unit="questions") + [
    {"quantity": "chunks in the index", "value": estimates.format_count(chunks)},
    {"quantity": "dense vectors (768 float32)", "value": estimates.format_bytes(vectors["total_bytes"])},
    {"quantity": "chunks re-embedded per day (2 % of documents change)",
     "value": estimates.format_count(reembed_per_day)},
    {"quantity": "input tokens per question", "value": f"{input_tokens:,.0f}"},
    {"quantity": "model cost per question ($, assumed prices)", "value": f"{usd_per_question:.4f}"},
    {"quantity": "model cost per day ($)", "value": f"{usd_per_day:,.0f}"},
], title="Scale estimate")

# Time to the first token of the answer, stage by stage (a design budget, not a measure).
budget = estimates.latency_budget({"query embedding": 15, "BM25 + ANN search, in parallel": 30,
                                   "fusion": 1, "re-ranking 20 chunks": 120,
                                   "prompt assembly": 5, "model: time to first token": 600},
                                  1_000)
show.table(budget["rows"], title=f"Latency budget to first token: {budget['total_ms']:g} of 1,000 ms")

# The numbers the page quotes, for the inputs above (edit an input and these name what moved):
QUOTED = "the page quotes, for the default inputs,"
assert questions_per_day == 120_000, f"{QUOTED} 120,000 questions a day: {questions_per_day:,.0f}"
assert round(load["peak_qps"]) == 4, f"{QUOTED} 4 questions/s at peak, got {load['peak_qps']:.1f}"
assert round(chunks / 1e6, 2) == 3.75, f"{QUOTED} 3.75M chunks, got {chunks:,.0f}"
assert round(vectors["total_bytes"] / 1e9, 1) == 11.5, f"{QUOTED} 11.5 GB of vectors"
assert round(reembed_per_day) == 75_000, f"{QUOTED} 75,000 chunks re-embedded a day"
assert input_tokens == 1_600, f"{QUOTED} 1,600 input tokens, got {input_tokens:,.0f}"
assert round(usd_per_question, 5) == 0.00705 and round(usd_per_day) == 846, (
    f"{QUOTED} $0.007 a question, $846 a day: {usd_per_question:.5f}, {usd_per_day:,.0f}")
# Most of the bill is input tokens, and most input tokens are the chunks.
input_share = input_tokens * usd_per_m_input / (usd_per_question * 1e6)
chunk_share = (input_tokens - instructions_tokens) / input_tokens
print(f"input tokens' share of the model cost: {input_share:.0%}; chunks' share of input tokens: "
      f"{chunk_share:.0%}")
assert round(input_share, 2) == 0.68 and round(chunk_share, 2) == 0.81, (
    f"{QUOTED} input tokens 68 % of the cost, chunks 81 % of input tokens")
assert budget["fits"] and budget["slack_ms"] == 229, f"{QUOTED} 771 of 1,000 ms, 229 ms spare"
# The model dominates: over three quarters of the time to the first token.
assert 600 / budget["total_ms"] > 0.75, "the page says the model takes over 3/4 of the budget"
