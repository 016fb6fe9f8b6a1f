# IoU and greedy non-maximum suppression (NMS) on the two-stage detector's raw boxes. NMS keeps
# the best box and drops every box that overlaps it by more than the IoU threshold.
from casestudies import image_privacy_blurring as ipb
from mlsd import detection, show

# Two neighbouring faces in a crowd, and two boxes the detector fired on the first of them.
face_a, face_b = (100, 100, 130, 135), (112, 102, 142, 137)
dup_a = (102, 99, 133, 135)
print(f"IoU of two real neighbours {detection.iou(face_a, face_b):.2f}; "
      f"IoU of a duplicate with its face {detection.iou(face_a, dup_a):.2f}")
loose = (92.5, 91.25, 137.5, 143.75)     # face A's box, half as large again in each direction
print(f"IoU of a loose box that hides the whole face {detection.iou(face_a, loose):.2f}: it fails AP's 0.5, not the blur")
for thr in (0.3, 0.5):
    kept = detection.nms([face_a, dup_a, face_b], [0.9, 0.7, 0.6], thr)
    print(f"NMS at IoU {thr}: keeps boxes {kept} of [face A, duplicate of A, face B]")

panos = ipb.window(0, ipb.VALID_END)
raw = ipb.raw_detections("two-stage")
rows, res = [], {}
for thr in (0.3, 0.5, 0.7):
    dets, sc = ipb.detections("two-stage", thr), ipb.object_scores("two-stage", thr)
    kept = sum(len(dets[p.id]) for p in panos)
    covered = sum(sc[(p.id, j)] > 0 for p in panos for j in range(len(p.objects)))
    from_objects = sum(b[3] >= 0 for p in panos for b in dets[p.id])
    rb = ipb.recall_by("two-stage", panos, ipb.FLOOR, thr)
    res[thr] = dict(dups=(from_objects - covered) / len(panos), crowd=rb["crowd"][0] / rb["crowd"][1],
                    other=(rb["all"][0] - rb["crowd"][0]) / (rb["all"][1] - rb["crowd"][1]))
    rows.append({"NMS IoU": thr, "boxes kept / panorama": round(kept / len(panos), 2),
                 "duplicates / panorama": round(res[thr]["dups"], 2),
                 "recall, crowd faces": round(res[thr]["crowd"], 3),
                 "recall, other objects": round(res[thr]["other"], 3)})
n_raw = sum(len(raw[p.id]) for p in panos)
show.table(rows, title=f"Two-stage detector, days 0-28: {n_raw / len(panos):.2f} raw boxes per panorama, "
                       f"every box kept (score >= {ipb.FLOOR})")

assert round(detection.iou(face_a, loose), 2) == 0.44 and loose[0] <= face_a[0] and loose[3] >= face_a[3], \
    "the page quotes IoU 0.44 for a box that covers the face"
assert detection.nms([face_a, dup_a, face_b], [0.9, 0.7, 0.6], 0.3) == [0], "0.3 deletes face B"
assert detection.nms([face_a, dup_a, face_b], [0.9, 0.7, 0.6], 0.5) == [0, 2], "0.5 keeps both faces"
assert res[0.3]["crowd"] < res[0.5]["crowd"] - 0.05, "a low threshold loses crowd faces"
assert abs(res[0.3]["other"] - res[0.5]["other"]) < 0.03, "... but barely changes the other objects"
assert res[0.7]["dups"] > 3.5 * res[0.5]["dups"], "the page quotes four times the duplicates at 0.7"
assert res[0.7]["crowd"] - res[0.5]["crowd"] < 0.02, "and buys almost no recall"
