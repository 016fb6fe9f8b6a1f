# Event time against processing time: the same day of impressions, counted by when each
# impression happened and by when the stream processor read it.
from mlsd import show
from mlsd.data.click_stream import MINUTE, make_click_stream
from mlsd.event_time import tumbling_window

OFFLINE_SHARE = 0.03      # share of events from phones that were offline (about 10 minutes late)
stream = make_click_stream(n_items=16, days=1, offline_share=OFFLINE_SHARE, seed=0)
events = stream.by_arrival()                    # what the processor reads, in this order
n = len(events)
delays = sorted(e.arrival_time - e.event_time for e in events)

buckets = [("< 1 s", 1), ("1-10 s", 10), ("10-60 s", 60), ("1-10 min", 600), ("> 10 min", float("inf"))]
shares, low = [], 0.0
for label, high in buckets:
    shares.append(round(100 * sum(1 for d in delays if low <= d < high) / n, 2))
    low = high
show.bar_chart([b[0] for b in buckets], shares, x_title="arrival time - event time", y_title="% of events",
               title="How late events reach the stream processor")

newest, out_of_order = float("-inf"), 0
for e in events:
    out_of_order += e.event_time < newest       # an event older than one already read
    newest = max(newest, e.event_time)

SIZE = 5 * MINUTE
by_event, by_arrival, moved = {}, {}, 0
for e in events:
    a, b = tumbling_window(e.event_time, SIZE), tumbling_window(e.arrival_time, SIZE)
    by_event[a] = by_event.get(a, 0) + 1
    by_arrival[b] = by_arrival.get(b, 0) + 1
    moved += a != b
errors = [abs(by_arrival.get(w, 0) - c) / c for w, c in by_event.items()]    # the day's 288 windows

# A 15-minute stop of the processor (a deploy, a restart from a checkpoint): it then reads the backlog.
STOP, RESUME = 12 * 60 * MINUTE, 12 * 60 * MINUTE + 15 * MINUTE
after_stop = {}
for e in events:
    b = tumbling_window(RESUME if STOP <= e.arrival_time < RESUME else e.arrival_time, SIZE)
    after_stop[b] = after_stop.get(b, 0) + 1
stop_errors = [abs(after_stop.get(w, 0) - c) / c for w, c in by_event.items()]

median, p99 = delays[n // 2], delays[int(0.99 * n)]
print(f"{n:,} impressions; delay median {median:.1f} s, 99th percentile {p99 / MINUTE:.1f} min, "
      f"max {delays[-1] / MINUTE:.0f} min")
print(f"{out_of_order / n:.1%} arrive after a newer event (out of order)")
print(f"5-minute windows by processing time put {moved / n:.1%} of the events in another window than "
      f"event time does; per-window counts are off by {sum(errors) / len(errors):.1%} on average, "
      f"{max(errors):.0%} at worst")
stopped = [w for w in by_event if STOP <= w < RESUME]
print(f"with a 15-minute stop at noon, processing-time windows are off by {max(stop_errors):.0%} at worst, and the "
      f"{len(stopped)} windows of the stop count {sum(after_stop.get(w, 0) for w in stopped)} events; "
      f"event-time windows still count every event where it happened")
assert median < 5, "most events arrive within seconds"
assert p99 > 5 * MINUTE, "the slowest 1 % arrive minutes late"
assert out_of_order / n > 0.1, "many events arrive out of order"
assert moved / n > 0.02, "the page's 3.0 %: processing-time windows misplace more than 2 % of events"
assert max(errors) > 3 * sum(errors) / len(errors), "the worst window is far off the average"
assert 2 < max(stop_errors) < 4 and max(stop_errors) > 10 * max(errors), \
    "the page's 300 %: after a 15-minute stop one window holds about four windows' worth of events"
assert len(stopped) == 3 and all(after_stop.get(w, 0) == 0 for w in stopped), "the three windows of the stop read zero"
