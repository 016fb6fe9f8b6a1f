# The serving path for one question: embed -> BM25 and dense search -> fuse -> re-rank ->
# prompt -> generate (the stand-in) -> grounding check, timed stage by stage over the test
# questions, with the work each stage did. The language model itself does not run here: its
# time and price are the budget's assumptions (cell 1), multiplied by the tokens measured here.
import math

from casestudies import rag_assistant as rag
from mlsd import serving, show

USD_PER_M_INPUT, USD_PER_M_OUTPUT, OUTPUT_TOKENS = 3.0, 15.0, 150   # ASSUMED, as in cell 1
INSTRUCTION_TOKENS = 300

idx = rag.index()
code = next(f.entity for f in rag.corpus().facts if f.attribute == "code")
for text in (f"seeing {code} what now", "how much can i pay for lodging in berlin",
             "accommodation cap oslo"):
    out = rag.serve(text, idx, day=80.0)
    print(f"{text!r} -> {out['answer']} {out['sources']}")

test = [q for q in rag.queries() if q.day >= rag.DEV_END]
times = {stage: [] for stage in rag.SERVE_STAGES}
work = {"postings read": [], "vectors read": [], "candidates re-ranked": [], "prompt words": []}
for q in test:
    out = rag.serve(q.text, idx, day=q.day)
    for stage, ms in out["ms"].items():
        times[stage].append(ms)
    for key in ("postings read", "vectors read", "candidates re-ranked"):
        work[key].append(out["work"][key])
    work["prompt words"].append(out["prompt_words"])
rows = serving.stage_table(times)
show.table(rows, title=f"⏱ {len(test)} test questions, in-process, without the language model",
           varies=True)

mean = {k: math.fsum(v) / len(v) for k, v in work.items()}
input_tokens = mean["prompt words"] * rag.WORDS_TO_TOKENS + INSTRUCTION_TOKENS
usd = (input_tokens * USD_PER_M_INPUT + OUTPUT_TOKENS * USD_PER_M_OUTPUT) / 1e6
show.table([
    {"quantity": "BM25 postings read per question", "value": round(mean["postings read"], 1)},
    {"quantity": "dense vector entries read per question", "value": round(mean["vectors read"], 1)},
    {"quantity": "chunks in the index", "value": len(idx.chunks)},
    {"quantity": "candidates re-ranked per question", "value": round(mean["candidates re-ranked"], 1)},
    {"quantity": "prompt words / input tokens per question",
     "value": f"{mean['prompt words']:.0f} / {input_tokens:.0f}"},
    {"quantity": "model cost per question ($, assumed prices)", "value": round(usd, 5)},
], title="Work per question")

# The toy's hashed vectors are sparse, so exact dense search reads a third of the chunks' entries;
# a real 768-dimensional vector is dense, and exact search reads every chunk: 3.75 million at
# production scale, which is what an ANN index (HNSW, IVF) replaces.
assert 0.2 * len(idx.chunks) < mean["vectors read"] < len(idx.chunks)
assert mean["postings read"] < mean["vectors read"] / 2      # BM25 reads only matching postings
assert 19 < mean["candidates re-ranked"] <= 20                 # the re-ranker's work is fixed
# The prompt is the cost: five small chunks and the instructions, about 0.004 $ a question.
assert 200 < mean["prompt words"] < 330 and 0.002 < usd < 0.005
answers = [rag.serve(t, idx, day=80.0)["answer"] for t in ("accommodation cap oslo", "gwy-1000 alert")]
assert all(a.startswith("I don't know") for a in answers)
