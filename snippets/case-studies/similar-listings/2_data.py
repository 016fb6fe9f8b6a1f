# The toy world and its time-based split: 240 listings in 4 markets, 8,000 search sessions over
# 8 weeks. Train on sessions before day 28, test on days 28-56.
import statistics

from casestudies import similar_listings as system
from mlsd import show

items = system.listings()
train, test = system.split()
new = [i for i in items if i.created >= system.SPLIT_DAY]


def describe(name, rows):
    booked = [s for s in rows if s.booked is not None]
    return {"window": name, "sessions": len(rows),
            "clicks per session": round(statistics.fmean(len(s.clicks) for s in rows), 2),
            "booking rate": round(len(booked) / len(rows), 4),
            "booked sessions": len(booked),
            "clicks on listings new since day 28": sum(c in {i.id for i in new} for s in rows for c in s.clicks)}


show.table([describe(f"train: days 0-{system.SPLIT_DAY:g}", train),
            describe(f"test: days {system.SPLIT_DAY:g}-{system.WORLD['days']}", test)],
           title="Search sessions")
by_type = {t: [i for i in items if system.TYPES[i.type] == t] for t in system.TYPES}
show.table([{"room type": t, "listings": len(rows),
             "median price ($/night)": round(statistics.median(i.price for i in rows)),
             "median capacity": statistics.median(i.capacity for i in rows)}
            for t, rows in by_type.items()], title="The catalogue")
clicks = {}
for s in train:
    for c in s.clicks:
        clicks[c] = clicks.get(c, 0) + 1
counts = sorted(clicks.values())
print(f"{len(items)} listings in {system.WORLD['n_markets']} markets; {len(new)} go live after day "
      f"{system.SPLIT_DAY:g} (no training clicks)")
print(f"training clicks per listing: median {statistics.median(counts):g}, "
      f"fewest {counts[0]}, most {counts[-1]}")

assert max(s.day for s in train) < system.SPLIT_DAY <= min(s.day for s in test)   # no future in training
assert all(0.03 < describe("", w)["booking rate"] < 0.06 for w in (train, test))    # a few per cent
assert 15 <= len(new) <= 25 and describe("", train)["clicks on listings new since day 28"] == 0
assert 4 < describe("", train)["clicks per session"] < 5
assert statistics.median(counts) > 40 and counts[0] >= 5
assert len(clicks) == len(items) - len(new)                       # every old listing has clicks
