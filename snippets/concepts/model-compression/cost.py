# What compression buys, counted: bytes stored, bytes read and multiply-adds per request.
# 1) A 256 x 256 layer pruned by magnitude: sparse storage pays only past a break-even, and a
#    dense vector kernel can skip a block of 16 weights only if all 16 are zero.
# 2) Energy per inference from counted work, priced with Horowitz's (ISSCC 2014) 45 nm figures:
#    a 32-bit read from DRAM 640 pJ, from a small (8 KB) SRAM 5 pJ; a float32 multiply-add
#    3.7 + 0.9 pJ, an 8-bit integer multiply with a 32-bit accumulate 0.2 + 0.1 pJ.
# 3) Wall-clock in this interpreter (marked ⏱: it varies; nothing below asserts it).
import random
import time

from mlsd import show
from mlsd.compression import csr_bytes, dense_cost, magnitude_prune, zero_block_share

SIZE, BLOCK = 256, 16          # BLOCK: 16 float32 fill a 64-byte cache line; 16 int8 a 128-bit register
SPARSITIES = [0.5, 0.7, 0.9, 0.95]

rng = random.Random(0)
layer = [[rng.gauss(0, 1) for _ in range(SIZE)] for _ in range(SIZE)]
dense_bytes = {"float32": 4 * SIZE * SIZE, "int8": SIZE * SIZE + 4 * SIZE}

rows = []
for p in SPARSITIES:
    pruned = magnitude_prune(layer, p)
    # Block pruning at the same sparsity: drop whole blocks of 16 with the smallest total |w|.
    blocks = sorted(((sum(map(abs, r[c:c + BLOCK])), i, c) for i, r in enumerate(layer) for c in range(0, SIZE, BLOCK)))
    block_pruned = [r[:] for r in layer]
    for _, i, c in blocks[:round(p * len(blocks))]:
        block_pruned[i][c:c + BLOCK] = [0.0] * BLOCK
    rows.append({"sparsity": p,
                 "CSR bytes, float32 + int16 index": csr_bytes(pruned, 4, 2),
                 "CSR bytes, int8 + int16 index": csr_bytes(pruned, 1, 2) + 4 * SIZE,   # + a scale per row, as dense int8
                 "blocks of 16 all zero, unstructured": round(zero_block_share(pruned, BLOCK), 4),
                 "blocks of 16 all zero, block-pruned": round(zero_block_share(block_pruned, BLOCK), 4)})
show.table(rows, title=f"A {SIZE} x {SIZE} layer: dense float32 {dense_bytes['float32']:,} bytes, "
                       f"dense int8 {dense_bytes['int8']:,} bytes")
show.line_chart(SPARSITIES, {"unstructured (magnitude)": [r["blocks of 16 all zero, unstructured"] for r in rows],
                             "block-pruned": [r["blocks of 16 all zero, block-pruned"] for r in rows]},
                x_title="sparsity", y_title="share of the work a dense kernel can skip",
                title="Unstructured zeros rarely empty a whole block")

# 2) Counted work per inference for an on-device ranker: 256 inputs, 512 and 256 hidden, 1 output.
SHAPE = [256, 512, 256, 1]
DRAM_PJ, SRAM_PJ = 640.0, 5.0                    # picojoules per 32-bit read (Horowitz, 2014)
MAC_PJ = {32: 3.7 + 0.9, 8: 0.2 + 0.1, 4: 0.2 + 0.1}   # per multiply-add; no 4-bit figure, so int8's
models = []
for bits in (32, 8, 4):
    c = dense_cost(SHAPE, bits)
    words = c["weight_bytes"] / 4                                   # 32-bit words of weights read
    arithmetic = c["multiply_adds"] * MAC_PJ[bits]
    energy = (words * DRAM_PJ + arithmetic) / 1e6
    models.append({"weights": "float32" if bits == 32 else f"int{bits}", "multiply-adds": c["multiply_adds"],
                   "weight bytes": c["weight_bytes"], "energy per inference, µJ": round(energy, 2),
                   "share spent reading weights": round(words * DRAM_PJ / 1e6 / energy, 3),
                   "µJ if read from an 8 KB SRAM": round((words * SRAM_PJ + arithmetic) / 1e6, 2)})
show.table(models, title=f"Layers {SHAPE}, weights read from DRAM once per inference (batch of one)")
show.bar_chart([m["weights"] for m in models], [m["energy per inference, µJ"] for m in models],
               y_title="µJ per inference", title="Energy is mostly moving weights")

# 3) Wall-clock of one forward pass of that network in pure Python (varies by machine and run).
x = [rng.gauss(0, 1) for _ in range(SHAPE[0])]
weights = [[[rng.gauss(0, 0.05) for _ in range(a)] for _ in range(b)] for a, b in zip(SHAPE, SHAPE[1:])]
start = time.perf_counter()
h = x
for W in weights:
    h = [max(0.0, sum(w * v for w, v in zip(row, h))) for row in W]
elapsed = time.perf_counter() - start
print(f"one forward pass, {dense_cost(SHAPE)['multiply_adds']:,} multiply-adds in pure Python: "
      f"{elapsed * 1000:.0f} ms {show.VARIES}")

at = {r["sparsity"]: r for r in rows}
f32, i8 = models[0], models[1]
print(f"CSR float32 at 50 %: {at[0.5]['CSR bytes, float32 + int16 index']:,} bytes against {dense_bytes['float32']:,} dense; "
      f"at 90 %: {at[0.9]['CSR bytes, float32 + int16 index']:,}")
print(f"all-zero blocks of 16 at 90 % unstructured: {at[0.9]['blocks of 16 all zero, unstructured']:.1%} "
      f"(0.9^16 = {0.9 ** 16:.1%})")
print(f"int8 reads {f32['weight bytes'] / i8['weight bytes']:.1f}x fewer bytes; energy {f32['energy per inference, µJ']} -> "
      f"{i8['energy per inference, µJ']} µJ; reading weights is {f32['share spent reading weights']:.1%} of it in float32")
print(f"a DRAM read costs {DRAM_PJ / SRAM_PJ:.0f}x an SRAM read and {DRAM_PJ / MAC_PJ[32]:.0f}x a float32 multiply-add")
# The claims on the page.
assert at[0.5]["CSR bytes, float32 + int16 index"] > dense_bytes["float32"] * 0.7, \
    "at 50 % sparsity CSR saves little: each non-zero carries a 2-byte index"
assert at[0.5]["CSR bytes, int8 + int16 index"] > dense_bytes["int8"], "for int8 weights CSR at 50 % is larger than dense"
assert at[0.9]["CSR bytes, float32 + int16 index"] < dense_bytes["float32"] / 5, "at 90 % CSR is over 5x smaller"
assert at[0.5]["blocks of 16 all zero, unstructured"] < 0.001, "at 50 % unstructured, almost no block is empty"
assert at[0.9]["blocks of 16 all zero, unstructured"] < 0.3, "even at 90 % most blocks still hold a non-zero"
assert all(abs(r["blocks of 16 all zero, block-pruned"] - r["sparsity"]) < 0.01 for r in rows), \
    "block pruning makes every zero skippable"
assert f32["share spent reading weights"] > 0.98, "reading float32 weights from DRAM is over 98 % of the energy"
assert f32["energy per inference, µJ"] > 3.9 * i8["energy per inference, µJ"], "int8 weights cut the energy about four-fold"
assert i8["weight bytes"] < f32["weight bytes"] / 3.9 and i8["multiply-adds"] == f32["multiply-adds"], \
    "int8 cuts bytes read four-fold; the multiply-adds stay"
