# CPU or accelerator: the cost of a prediction against the batch size.
# Stand-ins with a stated cost model, not measurements of any hardware:
#     batch_ms(b) = fixed_ms + per_item_ms * b
# An accelerator pays a large fixed cost per batch (launch, copies, one pass over the weights)
# and almost nothing per extra item; a CPU replica the opposite. Change the numbers to yours.
from mlsd import show
from mlsd.serving_sim import BatchCost

CPU = BatchCost(fixed_ms=2.0, per_item_ms=0.5, dollars_per_hour=0.8)    # a 16-core CPU box
ACCEL = BatchCost(fixed_ms=8.0, per_item_ms=0.02, dollars_per_hour=3.0)  # one accelerator
SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256]

rows = [{"batch size": b, "CPU ms per batch": CPU.batch_ms(b), "accelerator ms per batch": ACCEL.batch_ms(b),
         "CPU predictions/s": round(CPU.throughput(b)), "accelerator predictions/s": round(ACCEL.throughput(b)),
         "CPU $ per million": round(CPU.cost_per_million(b), 3),
         "accelerator $ per million": round(ACCEL.cost_per_million(b), 3)} for b in SIZES]
show.table(rows, title="Full batches run back to back, on the stated cost model")
show.line_chart(SIZES, {"CPU": [r["CPU $ per million"] for r in rows],
                        "accelerator": [r["accelerator $ per million"] for r in rows]},
                x_title="batch size", y_title="$ per million predictions",
                title="The accelerator is cheaper only once its batches fill")

cross = next(b for b in range(1, 10_000) if ACCEL.cost_per_million(b) < CPU.cost_per_million(b))
one, full = rows[0], rows[-1]
print(f"batch of 1: CPU ${one['CPU $ per million']} per million, accelerator ${one['accelerator $ per million']} "
      f"({one['accelerator $ per million'] / one['CPU $ per million']:.0f}x the CPU)")
print(f"the accelerator becomes cheaper from a batch of {cross}")
print(f"batch of {full['batch size']}: CPU ${full['CPU $ per million']}, accelerator "
      f"${full['accelerator $ per million']} ({full['CPU $ per million'] / full['accelerator $ per million']:.1f}x cheaper)")
print(f"ceilings: CPU {1000 / CPU.per_item_ms:,.0f} predictions/s, accelerator {1000 / ACCEL.per_item_ms:,.0f}/s")
# The claims on the page.
assert one["accelerator $ per million"] > 10 * one["CPU $ per million"], "alone, a request on the accelerator costs >10x"
assert 16 < cross <= 128, "the break-even batch size is in the tens"
assert full["accelerator $ per million"] < full["CPU $ per million"] / 2, "full batches: accelerator at least 2x cheaper"
