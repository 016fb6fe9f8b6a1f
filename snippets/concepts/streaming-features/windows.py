# Three windows over one item's impressions: tumbling, hopping (sliding) and the exact sliding count.
# The feature is "impressions in the last 30 minutes"; a server reads the latest value each minute.
# Then session windows over one user's activity: the gap decides what a session is.
import random

from mlsd import show
from mlsd.data.click_stream import HOUR, MINUTE, make_click_stream
from mlsd.event_time import hopping_windows, session_windows, tumbling_window
from mlsd.windows import SlidingWindow

SIZE, SLIDE = 30 * MINUTE, 5 * MINUTE       # the window, and how often the hopping window moves
stream = make_click_stream(n_items=1, days=1, seed=0)
times = [e.event_time for e in stream.events]  # in event-time order: no lateness here yet

tumbling, hopping, updates = {}, {}, {"tumbling": 0, "hopping": 0}
for t in times:
    start = tumbling_window(t, SIZE)
    tumbling[start] = tumbling.get(start, 0) + 1
    updates["tumbling"] += 1
    for start in hopping_windows(t, SIZE, SLIDE):
        hopping[start] = hopping.get(start, 0) + 1
        updates["hopping"] += 1
assert sum(tumbling.values()) == len(times), "each event is in exactly one tumbling window"
assert sum(hopping.values()) == len(times) * SIZE / SLIDE, "each event is in size / slide hopping windows"

# Serve the feature every minute: the latest complete window of each kind against the exact count.
exact, i, rows = SlidingWindow(window=SIZE), 0, []
for minute in range(30, 24 * 60):
    now = minute * MINUTE
    while i < len(times) and times[i] <= now:
        exact.add("item", times[i])
        i += 1
    true = exact.query("item", now)["count"]
    last_tumbling = tumbling.get(tumbling_window(now, SIZE) - SIZE, 0)   # the last closed 30-min block
    last_hop = hopping.get(tumbling_window(now, SLIDE) - SIZE, 0)        # the window that closed last
    rows.append((now, true, last_hop, last_tumbling))

error = {name: sum(abs(r[k] - r[1]) for r in rows) / len(rows) for k, name in ((2, "hopping"), (3, "tumbling"))}
on_boundary = [r for r in rows if r[0] % SLIDE == 0]
print(f"{len(times):,} impressions in a day; state updates: tumbling {updates['tumbling']:,}, "
      f"hopping {updates['hopping']:,} ({updates['hopping'] / updates['tumbling']:.0f} per event)")
print(f"mean absolute error of the served value against the exact last-30-minute count: "
      f"hopping {error['hopping']:.1f}, tumbling {error['tumbling']:.1f} impressions")
print(f"on the {len(on_boundary)} five-minute boundaries the hopping window equals the exact count: "
      f"{all(r[1] == r[2] for r in on_boundary)}")
assert all(r[1] == r[2] for r in on_boundary), "a hopping window is the sliding count sampled every slide"
assert error["hopping"] < error["tumbling"] / 2, "hopping windows serve a fresher value than tumbling ones"

busiest = max(range(len(rows)), key=lambda k: rows[k][1])       # plot three hours around the peak
span = rows[max(0, busiest - 90):busiest + 90]
show.line_chart([round(r[0] / HOUR, 3) for r in span],
                {"exact sliding": [r[1] for r in span], "hopping 30 min every 5": [r[2] for r in span],
                 "tumbling 30 min": [r[3] for r in span]},
                x_title="hour of the day", y_title="impressions in the last 30 minutes",
                title="The same feature served from three windows, read every minute")

# Session windows: one user's day, three visits of a few dozen actions each.
rng = random.Random(1)
user, visits = [], [8 * HOUR, 13 * HOUR, 21 * HOUR]
for begin in visits:
    t = begin
    for _ in range(rng.randint(20, 40)):
        user.append(t)
        t += rng.expovariate(1 / 40)              # about 40 s between actions within a visit
table = []
for gap in (10, 60, 5 * MINUTE, 30 * MINUTE, 6 * HOUR):
    sessions = session_windows(user, gap=gap)
    table.append({"gap (s)": int(gap), "sessions": len(sessions),
                  "longest (min)": round(max(s["end"] - s["start"] for s in sessions) / MINUTE, 1)})
show.table(table, title=f"Session windows over one user's {len(user)} actions in {len(visits)} visits")
counts = [r["sessions"] for r in table]
assert counts == sorted(counts, reverse=True), "a longer gap never gives more sessions"
assert table[0]["sessions"] > len(visits), "a gap shorter than the pauses splits visits"
assert table[2]["sessions"] == len(visits), "a 5-minute gap finds the three visits"
assert table[-1]["sessions"] < len(visits), "a 6-hour gap merges visits"
