# How many requests fit in the KV-cache memory: reserve the maximum length for each request up
# front, or hand out memory in small blocks as a sequence grows (paged KV memory). Counted on the
# request lengths of the batching cells; the illustrative 7B-class shape of the first cell.
from mlsd import show
from mlsd.llm_serving import admit_count, kv_bytes_per_token, make_requests

KV_GB, MAX_LEN, BLOCK = 60, 4096, 16        # cache memory, the longest context allowed, block size
OUTPUT_CAP = 512                            # each request's cap on new tokens
KV_BYTES = kv_bytes_per_token(32, 32, 128, 2)
budget = int(KV_GB * 1e9 // KV_BYTES)       # tokens of KV cache the memory holds

requests = make_requests(1000, 3.0, seed=0, prompt_range=(100, 1000), mean_output=150, max_output=512)
lengths = [r.prompt_tokens + r.output_tokens for r in requests]    # each at its final length
rows = []
for name, kwargs in [(f"reserve {MAX_LEN} tokens each", {"reserve_tokens": MAX_LEN}),
                     (f"paged, blocks of {BLOCK}", {"block_size": BLOCK}),
                     ("paged, blocks of 256", {"block_size": 256})]:
    a = admit_count(lengths, budget, **kwargs)
    rows.append({"memory policy": name, "requests that fit": a["admitted"],
                 "tokens reserved": a["reserved_tokens"], "tokens used": a["used_tokens"],
                 "reserved but empty (%)": round(100 * a["waste"], 1)})
# The stronger contiguous baseline: reserve the prompt plus the output cap, known at admission.
fit = reserved = used = 0
for r, length in zip(requests, lengths):
    if reserved + r.prompt_tokens + OUTPUT_CAP > budget:
        break
    fit, reserved, used = fit + 1, reserved + r.prompt_tokens + OUTPUT_CAP, used + length
rows.insert(1, {"memory policy": f"reserve prompt + {OUTPUT_CAP}", "requests that fit": fit,
                "tokens reserved": reserved, "tokens used": used,
                "reserved but empty (%)": round(100 * (reserved - used) / reserved, 1)})
print(f"{KV_GB} GB of cache memory holds {budget:,} tokens; mean request length "
      f"{sum(lengths) / len(lengths):.0f} tokens, longest {max(lengths)}")
show.table(rows, title="Requests that fit in the KV-cache memory")
show.bar_chart([r["memory policy"] for r in rows], [r["requests that fit"] for r in rows],
               y_title="requests held at once", title="Reserving the maximum wastes most of the memory")
reserve, capped, paged, coarse = rows
print(f"paged memory holds {paged['requests that fit'] / reserve['requests that fit']:.1f}x as many requests "
      f"as reserving {MAX_LEN} tokens, {paged['requests that fit'] / capped['requests that fit']:.1f}x as many "
      f"as reserving prompt + {OUTPUT_CAP}")
# The claims on the page.
assert paged["requests that fit"] >= 5 * reserve["requests that fit"], "paged: over 5x as many requests"
assert reserve["reserved but empty (%)"] > 75, "reserving the maximum leaves over three quarters empty"
assert paged["reserved but empty (%)"] < 2, "16-token blocks waste under 2 %"
assert paged["requests that fit"] > 1.4 * capped["requests that fit"], "paged beats even a capped reservation"
assert coarse["requests that fit"] < paged["requests that fit"], "bigger blocks waste more"
