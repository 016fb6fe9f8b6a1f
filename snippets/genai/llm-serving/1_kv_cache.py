# KV-cache memory from first principles, for an illustrative 7B-class model shape (not a
# measurement of any real model): every token a request holds keeps a key and a value vector
# per layer and per key/value head. Change CONTEXT and watch how many requests fit.
from mlsd import show
from mlsd.llm_serving import kv_bytes_per_token

LAYERS, QUERY_HEADS, HEAD_DIM, BYTES = 32, 32, 128, 2     # 16-bit values; 4,096-wide model
PARAMS = 7e9                                              # weights: 7e9 x 2 bytes = 14 GB
MEMORY_GB, RESERVED_GB = 80, 6                            # assumed accelerator; runtime reserve
CONTEXT = 4096                                            # tokens each request may hold

kv_gb = MEMORY_GB - PARAMS * BYTES / 1e9 - RESERVED_GB    # what is left for the cache
rows = []
for name, kv_heads in [("multi-head (32 KV heads)", 32), ("grouped-query (8 KV heads)", 8),
                       ("multi-query (1 KV head)", 1)]:
    per_token = kv_bytes_per_token(LAYERS, kv_heads, HEAD_DIM, BYTES)
    fit_tokens = int(kv_gb * 1e9 // per_token)
    rows.append({"attention": name, "KV per token (KiB)": per_token / 1024,
                 f"per {CONTEXT}-token request (GiB)": round(per_token * CONTEXT / 2**30, 3),
                 "tokens in cache memory": fit_tokens,
                 f"{CONTEXT}-token requests at once": fit_tokens // CONTEXT})
print(f"{MEMORY_GB} GB accelerator - {PARAMS * BYTES / 1e9:.0f} GB of weights - {RESERVED_GB} GB "
      f"reserve = {kv_gb:.0f} GB for the KV cache")
show.table(rows, title="KV cache of a 32-layer model, 16-bit values")
show.bar_chart([r["attention"] for r in rows], [r[f"{CONTEXT}-token requests at once"] for r in rows],
               y_title=f"{CONTEXT}-token requests that fit", title="Fewer KV heads, more requests in memory")
mha, gqa, mqa = rows
print(f"one token of context costs {mha['KV per token (KiB)']:.0f} KiB with multi-head attention; "
      f"a {CONTEXT}-token request holds {mha[f'per {CONTEXT}-token request (GiB)']} GiB")
long_ctx = 32768
print(f"at {long_ctx:,} tokens of context, multi-head attention fits "
      f"{mha['tokens in cache memory'] // long_ctx} requests, grouped-query {gqa['tokens in cache memory'] // long_ctx}")
# The claims on the page.
assert mha["KV per token (KiB)"] == 512, "2 x 32 layers x 32 heads x 128 dims x 2 bytes = 512 KiB"
assert gqa["tokens in cache memory"] // mha["tokens in cache memory"] == 4, "8 KV heads: a quarter of the cache"
assert mqa["tokens in cache memory"] // mha["tokens in cache memory"] == 32, "1 KV head: a 32nd"
if CONTEXT == 4096:
    assert mha[f"{CONTEXT}-token requests at once"] == 27, "multi-head: 27 full-context requests fit"
    assert gqa[f"{CONTEXT}-token requests at once"] == 111, "grouped-query: 111 fit"
assert mha["tokens in cache memory"] // long_ctx == 3, "32k-token contexts: 3 requests with multi-head attention"
