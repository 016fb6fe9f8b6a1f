# The model's cost per question, phase 4. The prices and token counts are the case study's stated
# assumptions (docs/case-studies/rag-assistant.md, the estimate cell): a hosted model at $3 per
# million input tokens and $15 per million output tokens (assumed, not a quote), 1.3 tokens per
# word, 300 tokens of instructions and question, 150 tokens of answer, chunks of 200 words.
from mlsd import show

QUESTIONS_PER_DAY = 120_000        # phase 1
USD_PER_M_INPUT, USD_PER_M_OUTPUT = 3.0, 15.0
INSTRUCTIONS_AND_QUESTION = 300    # tokens
OUTPUT = 150                       # tokens
WORDS_PER_CHUNK, TOKENS_PER_WORD = 200, 1.3
CHUNK_TOKENS = WORDS_PER_CHUNK * TOKENS_PER_WORD


def cost(chunks_in_prompt):
    """(input tokens, $ per question) with this many retrieved chunks in the prompt."""
    tokens_in = INSTRUCTIONS_AND_QUESTION + chunks_in_prompt * CHUNK_TOKENS
    return tokens_in, (tokens_in * USD_PER_M_INPUT + OUTPUT * USD_PER_M_OUTPUT) / 1e6


# [37:00] The candidate's first line counts the instructions, the question and the answer, and no
# retrieved text. The corrected line adds the 5 chunks the re-ranker keeps.
said_in, said = cost(0)
right_in, right = cost(5)
show.table([
    {"line": "as first said: no retrieved chunks", "input tokens": said_in, "$ per 1,000 questions": round(1000 * said, 2),
     "$ per day": round(said * QUESTIONS_PER_DAY, 0)},
    {"line": "with the 5 chunks in the prompt", "input tokens": right_in, "$ per 1,000 questions": round(1000 * right, 2),
     "$ per day": round(right * QUESTIONS_PER_DAY, 0)},
], title="Model cost per question, at the assumed prices")
chunk_share = 5 * CHUNK_TOKENS * USD_PER_M_INPUT / 1e6 / right
print(f"the forgotten chunks: {5 * CHUNK_TOKENS:,.0f} tokens, {chunk_share:.0%} of the whole bill; "
      f"the corrected cost is {right / said:.1f}x the first figure")

# [38:00] The number of chunks is the lever. 20 is what the fused list holds before re-ranking:
# sending all of it is the "no re-ranker, send everything to be safe" design.
rows = []
for k in (3, 5, 10, 20):
    tokens_in, usd = cost(k)
    rows.append({"chunks in the prompt": k, "input tokens": tokens_in,
                 "$ per 1,000 questions": round(1000 * usd, 2), "$ per day": round(usd * QUESTIONS_PER_DAY, 0)})
show.table(rows, title="What each chunk count costs a day")

# The transcript quotes these figures; if you change an assumption above, the message says which.
assert said_in == 300 and round(said, 5) == 0.00315 and round(said * QUESTIONS_PER_DAY) == 378, \
    "the transcript says the first figure was 300 input tokens, $0.00315 a question, $378 a day"
assert right_in == 1_600 and round(right, 5) == 0.00705 and round(right * QUESTIONS_PER_DAY) == 846, \
    "the transcript says 1,600 input tokens, $0.007 a question and $846 a day (the case study's figures)"
assert round(right / said, 1) == 2.2, "the transcript says the corrected cost is about 2.2 times the first"
assert round(chunk_share, 2) == 0.55, "the transcript says the chunks are 55 % of the bill"
assert round(cost(20)[1] * QUESTIONS_PER_DAY) == 2_250, "the transcript says sending all 20 chunks costs $2,250 a day"
assert round((cost(20)[1] - right) * QUESTIONS_PER_DAY, -2) == 1_400, \
    "the transcript says sending all 20 chunks costs about $1,400 a day more than the re-ranker's 5"
assert (right - cost(3)[1]) * QUESTIONS_PER_DAY < 200, "the transcript says going from 5 chunks to 3 saves less than $200 a day"
