# What each option puts in the request, in tokens. A support assistant answers product questions
# in a fixed JSON format. Every length below is an ASSUMPTION (1.3 tokens per English word);
# change one and re-run. No model runs here: this counts what each option sends.
from mlsd import show

INSTRUCTIONS, QUESTION, OUTPUT = 200, 100, 150   # system prompt, the user's question, the answer
EXAMPLE = 250          # one worked example (a question and its JSON answer)
FEW_SHOT = 8           # examples a large general model needs to hold the format reliably
FEW_SHOT_WITH_RAG = 2  # with retrieved passages, fewer examples: the passages carry the content
CHUNK, K = 260, 5      # a retrieved passage of 200 words, and how many go in the prompt
SHORT_INSTRUCTIONS = 50  # a fine-tuned model learned the format and the tone: one line is enough

options = {
    "prompt only (large model, few-shot)": {"instructions": INSTRUCTIONS, "examples": FEW_SHOT * EXAMPLE, "passages": 0},
    "RAG (large model)": {"instructions": INSTRUCTIONS, "examples": FEW_SHOT_WITH_RAG * EXAMPLE, "passages": K * CHUNK},
    "fine-tuned (small model)": {"instructions": SHORT_INSTRUCTIONS, "examples": 0, "passages": 0},
    "fine-tuned + RAG": {"instructions": SHORT_INSTRUCTIONS, "examples": 0, "passages": K * CHUNK},
}
changes = {  # what each option changes, and what it costs once rather than per request
    "prompt only (large model, few-shot)": ("nothing", "writing and testing the prompt"),
    "RAG (large model)": ("the context", "an index, kept fresh"),
    "fine-tuned (small model)": ("the weights", "a training set and a run, again when things change"),
    "fine-tuned + RAG": ("weights and context", "both"),
}
rows = []
for name, parts in options.items():
    total = parts["instructions"] + parts["examples"] + parts["passages"] + QUESTION
    parts["input"] = total
    rows.append({"option": name, "instructions": parts["instructions"], "examples": parts["examples"],
                 "passages": parts["passages"], "question": QUESTION, "input tokens": total,
                 "output tokens": OUTPUT, "changes": changes[name][0], "paid once": changes[name][1]})
show.table(rows, title="Tokens per request, by option (assumed lengths)")

few, rag, ft, ft_rag = (options[n]["input"] for n in options)
example_share = options["prompt only (large model, few-shot)"]["examples"] / few
passage_share = options["RAG (large model)"]["passages"] / rag
print(f"few-shot prompt: {few:,} input tokens, {example_share:.0%} of them examples")
print(f"RAG prompt: {rag:,} input tokens, {passage_share:.0%} of them retrieved passages")
print(f"fine-tuned prompt: {ft:,} input tokens, {few / ft:.1f}x fewer than the few-shot prompt")
print(f"fine-tuned + RAG prompt: {ft_rag:,} input tokens")

QUOTED = "the page quotes, for the default lengths,"
assert few == 2_300 and round(example_share, 2) == 0.87, f"{QUOTED} 2,300 tokens, 87 % examples: {few}, {example_share:.2f}"
assert rag == 2_100 and round(passage_share, 2) == 0.62, f"{QUOTED} 2,100 tokens, 62 % passages: {rag}, {passage_share:.2f}"
assert ft == 150 and round(few / ft, 1) == 15.3, f"{QUOTED} a 150-token prompt, 15.3x shorter: {ft}, {few / ft:.1f}"
assert ft_rag == 1_450, f"{QUOTED} 1,450 tokens for fine-tuned + RAG: {ft_rag}"
