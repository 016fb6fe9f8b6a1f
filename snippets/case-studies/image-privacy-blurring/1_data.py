# The data and its time-based split: the first step of the case study's "Run it".
from casestudies import image_privacy_blurring as system
from mlsd import show

train, test = system.split()


def positive_rate(rows):
    return sum(label for *_, label in rows) / len(rows)


show.table([
    {"window": "train", "days": f"0 to {system.SPLIT_DAY:g}", "events": len(train),
     "positive rate": round(positive_rate(train), 4)},
    {"window": "test", "days": f"{system.SPLIT_DAY:g} to {system.WORLD['days']}", "events": len(test),
     "positive rate": round(positive_rate(test), 4)},
])

assert max(day for day, *_ in train) < system.SPLIT_DAY <= min(day for day, *_ in test)  # no future in training
assert 0.01 < positive_rate(train) < 0.06             # a few per cent, as for a real product
print(f"{len(train) + len(test):,} events; the test window starts on day {system.SPLIT_DAY:g}")
