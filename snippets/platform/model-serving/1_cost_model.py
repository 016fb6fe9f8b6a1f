# CPU or accelerator: the cost of a prediction against the batch size.
# Stand-ins with a stated cost model, not measurements of any hardware:
#     batch_ms(b) = fixed_ms + per_item_ms * b
# An accelerator pays a large fixed cost per batch (launch, copies, one pass over the weights)
# and almost nothing per extra item; a CPU replica the opposite. Each device runs one batch at
# a time, back to back, and is paid by the hour. Change the numbers to yours.
from mlsd import show
from mlsd.serving_sim import BatchCost

CPU = BatchCost(fixed_ms=2.0, per_item_ms=0.5, dollars_per_hour=0.8)    # one CPU model process
ACCEL = BatchCost(fixed_ms=8.0, per_item_ms=0.02, dollars_per_hour=3.0)  # one accelerator
SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256]

rows = [{"batch size": b, "CPU ms per batch": round(CPU.batch_ms(b), 2),
         "accelerator ms per batch": round(ACCEL.batch_ms(b), 2),
         "CPU predictions/s": round(CPU.throughput(b)), "accelerator predictions/s": round(ACCEL.throughput(b)),
         "CPU $ per million": round(CPU.cost_per_million(b), 3),
         "accelerator $ per million": round(ACCEL.cost_per_million(b), 3)} for b in SIZES]
show.table(rows, title="Full batches run back to back, on the stated cost model")
# Both axes on a log scale: batch sizes double, and the costs span two orders of magnitude.
show.chart({"data": {"values": [{"batch": r["batch size"], "cost": r[f"{dev} $ per million"], "device": dev}
                                for dev in ("CPU", "accelerator") for r in rows]},
            "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "batch", "type": "quantitative", "scale": {"type": "log", "base": 2},
                               "title": "batch size (log)"},
                         "y": {"field": "cost", "type": "quantitative", "scale": {"type": "log"},
                               "title": "$ per million predictions (log)"},
                         "color": {"field": "device", "type": "nominal", "title": None}},
            "width": "container", "height": 240},
           title="The accelerator is cheaper only once its batches fill")

cross = next(b for b in range(1, 10_000) if ACCEL.cost_per_million(b) < CPU.cost_per_million(b))
one, full = rows[0], rows[-1]
ratio_one = one["accelerator $ per million"] / one["CPU $ per million"]
ratio_full = full["CPU $ per million"] / full["accelerator $ per million"]
print(f"batch of 1: CPU ${one['CPU $ per million']} per million, accelerator ${one['accelerator $ per million']} "
      f"({ratio_one:.0f}x the CPU)")
print(f"the accelerator becomes cheaper from a batch of {cross}")
print(f"batch of {full['batch size']}: CPU ${full['CPU $ per million']}, accelerator "
      f"${full['accelerator $ per million']} ({ratio_full:.1f}x cheaper)")
print(f"ceilings: CPU {1000 / CPU.per_item_ms:,.0f} predictions/s, accelerator {1000 / ACCEL.per_item_ms:,.0f}/s")
# The claims on the page.
assert ratio_one > 10, f"the page says a lone request costs 12x more on the accelerator; got {ratio_one:.1f}x"
assert 16 < cross <= 128, f"the page says the break-even batch size is 66 (in the tens); got {cross}"
assert ratio_full > 2, f"the page says full batches of 256 are 2.6x cheaper on the accelerator; got {ratio_full:.1f}x"
