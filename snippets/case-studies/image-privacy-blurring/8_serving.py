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
    same &= out["blurred"] == sum(b[2] >= t1 for b in offline[p.id])
    area += sum((b[2] - b[0]) * (b[3] - b[1]) for b in out["boxes"])
total = [sum(v) for v in zip(*times.values())]
mean_total = math.fsum(total) / len(total)
show.table([{"stage": s, "p50 (ms)": round(serving.p50(v), 3), "p99 (ms)": round(serving.p99(v), 3),
             "share": round(math.fsum(v) / len(v) / mean_total, 2)} for s, v in times.items()],
           title=f"⏱ {len(panos)} panoramas, in-process", varies=True)
n = len(panos)
print(f"per panorama: {count['raw'] / n:.1f} raw boxes -> {count['kept'] / n:.1f} after NMS -> "
      f"{count['blurred'] / n:.1f} blurred, {count['review'] / n:.2f} to review; "
      f"{count['pixels'] / n:,.0f} raster cells pixelated")
print(f"blurred area: {area / (n * ipb.PANO_W * ipb.PANO_H):.3%} of the panorama; served = offline boxes: {same}")

assert same, "the served blur decisions equal the offline pipeline's"
assert count["raw"] > count["kept"] >= count["blurred"], "NMS and the threshold cut the boxes"
assert area / (n * ipb.PANO_W * ipb.PANO_H) < 0.002, "blurring touches under 0.2 % of the image"
assert count["pixels"] > 0, "blurred boxes change pixels"
