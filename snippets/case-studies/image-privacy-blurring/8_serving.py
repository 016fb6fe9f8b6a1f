# The batch path for one panorama, timed stage by stage over 150 panoramas of the test week:
# decode and tile, detector, NMS, threshold and route, blur, encode. The detector is a stand-in
# (it reads the generator's raw boxes), so its time here is near zero; in production it is the
# GPU stage that sets the cost (cell 1). A 320 x 160 raster stands for the 8000 x 4000 image.
import math

from casestudies import image_privacy_blurring as ipb
from mlsd import serving, show

choose, test = ipb.window(0, ipb.VALID_END), ipb.window(ipb.VALID_END, ipb.TEST_END)
t1 = ipb.recall_threshold("two-stage", choose, 0.98)
offline = ipb.detections("two-stage")
panos = test[:150]
times = {s: [] for s in ipb.SERVE_STAGES}
count = dict(raw=0, kept=0, blurred=0, review=0, pixels=0)
same, area = True, 0.0
for p in panos:
    out = ipb.serve(p, "two-stage", threshold=t1, review_floor=ipb.FLOOR)
    for s, ms in out["ms"].items():
        times[s].append(ms)
    for k in count:
        count[k] += out[k]
    same &= sorted(out["boxes"]) == sorted(b[1] for b in offline[p.id] if b[2] >= t1)   # box for box
    area += sum((b[2] - b[0]) * (b[3] - b[1]) for b in out["boxes"])
total = [sum(v) for v in zip(*times.values())]
mean_total = math.fsum(total) / len(total)
show.table([{"stage": s, "p50 (ms)": round(serving.p50(v), 3), "p99 (ms)": round(serving.p99(v), 3),
             "share": round(math.fsum(v) / len(v) / mean_total, 2)} for s, v in times.items()],
           title=f"⏱ {len(panos)} panoramas, in-process", varies=True)
n = len(panos)
per = {k: v / n for k, v in count.items()}
share = area / (n * ipb.PANO_W * ipb.PANO_H)
print(f"per panorama: {per['raw']:.1f} raw boxes -> {per['kept']:.1f} after NMS -> "
      f"{per['blurred']:.1f} blurred, {per['review']:.2f} in the review band; "
      f"{per['pixels']:,.0f} raster cells pixelated")
print(f"blurred area: {share:.3%} of the panorama; served = offline boxes, box for box: {same}")

assert same, "the served blur boxes equal the offline pipeline's, box for box"
assert count["raw"] > count["kept"] >= count["blurred"] and count["pixels"] > 0, "NMS and the threshold cut the boxes"
quoted = dict(raw=(7.2, 0.05), kept=(5.1, 0.05), blurred=(4.4, 0.05), review=(0.70, 0.005))
for k, (value, tol) in quoted.items():
    assert abs(per[k] - value) <= tol, f"the page quotes {value} {k} boxes per panorama, the cell gives {per[k]:.3f}"
assert 0.00025 <= share < 0.00035, f"the page quotes a blurred area of 0.028 % of the panorama, the cell gives {share:.3%}"
assert round(per["review"] / 0.2, 1) == 3.5, "the page quotes a review band 3.5 times the 0.2 boxes a panorama reviewers clear (cell 1)"
