# The candidate's back-of-envelope estimate in phase 1. Every input is an assumption the candidate
# states out loud; they are the case study's on purpose (docs/case-studies/rag-assistant.md), so
# the two pages can be checked against each other. The last line is the candidate's argument for a
# weekly re-index, which phase 4 takes apart.
from mlsd import estimates, show

EMPLOYEES = 50_000
DAILY_SHARE = 0.4           # employees who ask something on a given day
QUESTIONS_PER_ASKER = 6     # per active employee per day
PEAK_TO_MEAN = 3.0          # questions come in working hours, about a third of the day
DOCUMENTS = 500_000         # policies, runbooks, product pages
WORDS_PER_DOCUMENT = 1_500
WORDS_PER_CHUNK = 200       # about a paragraph; the candidate revisits the size in phase 2
DIM, BYTES_PER_VALUE = 768, 4   # an off-the-shelf encoder's vectors, float32
EDITED_PER_DAY = 0.02       # share of documents edited on a given day
REBUILD_DAYS = 7            # the candidate's weekly re-index

questions = EMPLOYEES * DAILY_SHARE * QUESTIONS_PER_ASKER
load = estimates.request_load(requests_per_day=questions, peak_factor=PEAK_TO_MEAN)
chunks = DOCUMENTS * WORDS_PER_DOCUMENT / WORDS_PER_CHUNK
vectors = estimates.embedding_memory(int(chunks), DIM, BYTES_PER_VALUE)
edited_docs = DOCUMENTS * EDITED_PER_DAY
# Share of documents edited at least once since a rebuild REBUILD_DAYS ago (each day independent).
changed_since_rebuild = 1 - (1 - EDITED_PER_DAY) ** REBUILD_DAYS

show.table(estimates.load_rows(load, unit="questions")[:2] + [
    {"quantity": "chunks in the index", "value": estimates.format_count(chunks)},
    {"quantity": f"vectors ({DIM} float32)", "value": estimates.format_bytes(vectors["total_bytes"])},
    {"quantity": "documents edited per day", "value": estimates.format_count(edited_docs)},
    {"quantity": "days between two edits of one document, on average", "value": f"{1 / EDITED_PER_DAY:.0f}"},
    {"quantity": f"documents edited since a rebuild {REBUILD_DAYS} days ago", "value": f"{changed_since_rebuild:.0%}"},
], title="The candidate's estimate")

# The transcript quotes these figures; if you change an assumption above, the message says which.
assert questions == 120_000, "the transcript says 120,000 questions a day"
assert round(load["peak_qps"]) == 4, "the transcript says about 4 questions a second at peak"
assert chunks == 3_750_000, "the transcript says 3.75 million chunks"
assert round(vectors["total_bytes"] / 1e9, 1) == 11.5, "the transcript says 11.5 GB of float32 vectors"
assert edited_docs == 10_000 and round(1 / EDITED_PER_DAY) == 50, \
    "the transcript says 10,000 documents edited a day, each about once in 50 days"
assert round(changed_since_rebuild, 2) == 0.13, \
    "the transcript says about 13 % of documents have changed by the end of a week (one in eight)"
