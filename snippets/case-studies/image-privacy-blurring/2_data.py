# The panoramas and their time windows: thresholds are chosen on days 0-28, tested on 28-42, and
# a new camera arrives on day 42. Every object is a true face or licence plate with its box.
from casestudies import image_privacy_blurring as ipb
from mlsd import show

windows = {"choose (0-28)": ipb.window(0, ipb.VALID_END), "test (28-42)": ipb.window(ipb.VALID_END, ipb.TEST_END),
           "new camera (42-56)": ipb.window(ipb.DRIFT_DAY, ipb.WORLD["days"])}
rows = []
for name, panos in windows.items():
    objs = [o for p in panos for o in p.objects]
    rows.append({"window": name, "panoramas": len(panos), "faces": sum(o.cls == "face" for o in objs),
                 "plates": sum(o.cls == "plate" for o in objs), "objects / panorama": round(len(objs) / len(panos), 2),
                 "small share": round(sum(o.area < ipb.SMALL_AREA for o in objs) / len(objs), 3),
                 "night share": round(sum(p.night for p in panos) / len(panos), 3),
                 "crowd share": round(sum(p.crowd for p in panos) / len(panos), 3),
                 "new camera share": round(sum(p.new_camera for p in panos) / len(panos), 3)})
show.table(rows, title="Panoramas by time window")

allp = ipb.panoramas()
objs = [(p, o) for p in allp for o in p.objects]
empty = sum(not p.objects for p in allp) / len(allp)
crowd_faces = sum(p.crowd for p, o in objs if o.cls == "face") / sum(o.cls == "face" for _, o in objs)
sizes = sorted((o.area ** 0.5 for _, o in objs))
print(f"median object size {sizes[len(sizes) // 2]:.0f} px (square root of the box area); "
      f"{empty:.0%} of panoramas hold no face or plate; crowds are {sum(p.crowd for p in allp) / len(allp):.0%} "
      f"of panoramas but hold {crowd_faces:.0%} of the faces")

train, test = windows["choose (0-28)"], windows["test (28-42)"]
assert max(p.day for p in train) < ipb.VALID_END <= min(p.day for p in test), "no future in the choosing window"
assert all(0.45 < r["small share"] < 0.65 for r in rows), "the page says about half the objects are small"
assert round(sizes[len(sizes) // 2]) == 30, "the page quotes a median object size of 30 px"
assert rows[0]["new camera share"] == 0 and rows[2]["new camera share"] > 0.4, "the new camera arrives on day 42"
assert round(sum(p.crowd for p in allp) / len(allp), 2) == 0.06, "the page quotes crowds in 6 % of panoramas"
assert round(crowd_faces, 2) == 0.47 and round(empty, 2) == 0.17, "the page quotes 47 % of faces in crowds, 17 % empty panoramas"
