# What parameter-efficient fine-tuning saves, counted for a 7-billion-parameter decoder with the
# shapes of LLaMA-7B (vocabulary 32,000, width 4,096, 32 layers, feed-forward width 11,008).
# Counting, not training: nothing runs on a GPU here.
from mlsd import show
from mlsd.adaptation import lora_parameters

VOCAB, D, LAYERS, FFN = 32_000, 4_096, 32, 11_008
SHAPES = {"q": (D, D), "k": (D, D), "v": (D, D), "o": (D, D),            # attention projections
          "gate": (D, FFN), "up": (D, FFN), "down": (FFN, D)}            # feed-forward (d_in, d_out)
CONFIGS = [("q, v", 8), ("q, k, v, o", 16), ("all seven", 16), ("all seven", 64)]   # (targets, rank)
TARGETS = {"q, v": ["q", "v"], "q, k, v, o": ["q", "k", "v", "o"], "all seven": list(SHAPES)}
ADAM_BYTES = 16    # mixed-precision Adam per trained parameter: fp16 weight and gradient, fp32 copy, two moments
FROZEN_BYTES = 2   # a frozen fp16 weight
FROZEN_4BIT = (4 + 0.127) / 8   # QLoRA: a 4-bit frozen weight plus its double-quantized scale (Dettmers et al.)

per_layer = sum(d_in * d_out for d_in, d_out in SHAPES.values()) + 2 * D      # + two norm vectors
total = LAYERS * per_layer + 2 * VOCAB * D + D                                 # + embeddings, output, final norm
print(f"parameters of the model: {total:,}")

rows = []
for targets, rank in CONFIGS:
    trained = LAYERS * sum(lora_parameters(*SHAPES[m], rank)["lora"] for m in TARGETS[targets])
    rows.append({"LoRA on": targets, "rank": rank, "trained parameters": trained,
                 "share of the model": f"{trained / total:.3%}",
                 "training memory, GB": round((FROZEN_BYTES * total + ADAM_BYTES * trained) / 1e9, 1),
                 "adapter file, MB": round(FROZEN_BYTES * trained / 1e6, 1)})
full_memory = ADAM_BYTES * total / 1e9
rows.insert(0, {"LoRA on": "full fine-tuning", "rank": "-", "trained parameters": total, "share of the model": "100%",
                "training memory, GB": round(full_memory, 1), "adapter file, MB": round(FROZEN_BYTES * total / 1e6)})
show.table([{**r, "trained parameters": f"{r['trained parameters']:,}"} for r in rows], title="Weights and optimizer state, before activations (counted)")
show.bar_chart([f"{r['LoRA on']}, r={r['rank']}" if r["rank"] != "-" else r["LoRA on"] for r in rows],
               [r["training memory, GB"] for r in rows], y_title="GB for weights + optimizer",
               title="Training memory: the frozen model dominates once LoRA is used")
qv = rows[1]
print(f"LoRA r=8 on q and v trains {qv['trained parameters']:,} parameters ({qv['share of the model']}), "
      f"{total / qv['trained parameters']:,.0f}x fewer than full fine-tuning")
print(f"memory: {full_memory:.1f} GB for full fine-tuning, {qv['training memory, GB']} GB with LoRA "
      f"({full_memory / qv['training memory, GB']:.1f}x less); adapter {qv['adapter file, MB']} MB against a "
      f"{FROZEN_BYTES * total / 1e9:.1f} GB copy of the model")
qlora = (FROZEN_4BIT * total + ADAM_BYTES * qv["trained parameters"]) / 1e9
print(f"the same adapter over a 4-bit frozen model (QLoRA): {qlora:.1f} GB for weights and optimizer")

assert total == 6_738_415_616, f"the shapes give LLaMA-7B's 6,738,415,616 parameters: {total:,}"
assert all(a["trained parameters"] < b["trained parameters"] for a, b in zip(rows[1:], rows[2:])), \
    "more targets and a higher rank train more parameters"
assert all(r["trained parameters"] / total < 0.025 for r in rows[1:]), "every LoRA setting trains under 2.5 % of the weights"
assert all(r["training memory, GB"] < full_memory / 6 for r in rows[1:]), \
    "LoRA needs under a sixth of full fine-tuning's memory for weights and optimizer"
QUOTED = "the page quotes, for the default shapes,"
assert qv["trained parameters"] == 4_194_304 and round(full_memory, 1) == 107.8 and qv["training memory, GB"] == 13.5, \
    f"{QUOTED} 4,194,304 trained, 107.8 GB against 13.5 GB: {qv}"
assert round(full_memory / qv["training memory, GB"]) == 8, f"{QUOTED} an eighth of the memory: {full_memory / qv['training memory, GB']:.2f}"
assert round(qlora, 1) == 3.5 and rows[-1]["training memory, GB"] == 16.0, f"{QUOTED} 3.5 GB with QLoRA, 16 GB at rank 64 on all seven: {qlora:.2f}"
