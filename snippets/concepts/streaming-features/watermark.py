# Watermarks: how long to wait for late events before a window's count is emitted.
# 5-minute tumbling windows of impressions per item; the watermark trails the newest event
# time by DELAY. A larger delay drops fewer late events and makes every result wait longer.
from mlsd import show
from mlsd.data.click_stream import MINUTE, make_click_stream
from mlsd.event_time import EventTimeWindows, tumbling_window

OFFLINE_SHARE = 0.03                              # events from phones that were offline
SIZE = 5 * MINUTE
stream = make_click_stream(n_items=4, days=1, offline_share=OFFLINE_SHARE, seed=0)
events = stream.by_arrival()
truth = {}                                        # the complete log's count per (item, window)
for e in events:
    key = (e.item, tumbling_window(e.event_time, SIZE))
    truth[key] = truth.get(key, 0) + 1
end = events[-1].arrival_time


def run(delay, lateness=0.0):
    w = EventTimeWindows(size=SIZE, delay=delay, lateness=lateness)
    offline_drops = 0                             # dropped events that were more than a minute late
    for e in events:
        if w.add(e.item, e.event_time, e.arrival_time) == "dropped":
            offline_drops += e.arrival_time - e.event_time > MINUTE
    w.flush(at=end)
    first = {}                                    # each window's on-time result, when the watermark passed it
    for row in w.emissions:
        if row["kind"] == "on time":
            first[(row["key"], row["start"])] = row
    waits = [row["emitted_at"] - row["end"] for row in first.values()]
    return {"dropped %": round(100 * w.stats["dropped"] / len(events), 2),
            "mean wait (s)": round(sum(waits) / len(waits), 1),
            "first result exact %": round(100 * sum(k in first and first[k]["count"] == truth[k] for k in truth) / len(truth), 1),
            "final result exact %": round(100 * sum(w.results.get(k) == truth[k] for k in truth) / len(truth), 1),
            "late updates": w.stats["late updates"], "peak windows held": w.stats["peak windows held"],
            "offline share of drops": offline_drops / max(1, w.stats["dropped"])}


DELAYS = [0, 5, 30, 60, 120, 300, 600, 1200]      # seconds
rows = [{"watermark delay (s)": d, **run(d)} for d in DELAYS]
show.table([{k: r[k] for k in ("watermark delay (s)", "dropped %", "mean wait (s)", "first result exact %")}
            for r in rows], title=f"{len(events):,} events, {len(truth):,} windows, no allowed lateness")
show.line_chart([r["mean wait (s)"] / 60 for r in rows], {"events dropped": [r["dropped %"] for r in rows]},
                x_title="mean wait after the window ends (minutes)", y_title="% of events dropped as late",
                title="Each point is one watermark delay: wait longer, lose fewer events")
dropped = [r["dropped %"] for r in rows]
waits = [r["mean wait (s)"] for r in rows]
assert dropped == sorted(dropped, reverse=True) and waits == sorted(waits), "the trade-off is monotone"
assert rows[0]["offline share of drops"] > 0.9, "even with no delay, the dropped events are the offline phones'"
assert dropped[-1] < dropped[0] / 5, "a 20-minute delay keeps most of them"
exact = [r["first result exact %"] for r in rows]
assert exact == sorted(exact) and exact[-1] > exact[0] + 10, "waiting makes first results exact more often"
assert all(w >= d for w, d in zip(waits, DELAYS)), "a result waits at least the watermark delay"
by = {r["watermark delay (s)"]: r for r in rows}
print(f"no delay: {by[0]['dropped %']}% dropped, results {by[0]['mean wait (s)']} s after the window; "
      f"30 s: {by[30]['dropped %']}% dropped, {by[30]['mean wait (s)']} s; "
      f"20 min: {by[1200]['dropped %']}% dropped, {by[1200]['mean wait (s)'] / 60:.1f} min")
print(f"with no delay, {by[0]['offline share of drops']:.0%} of the dropped events were more than a minute late "
      f"(offline phones); the stream carries one event every {86400 / len(events):.0f} s on average")

# Allowed lateness: keep a fired window's state a while longer and correct its count.
late_rows = [{"allowed lateness (min)": L, **{k: v for k, v in run(30, L * MINUTE).items()
                                             if k not in ("mean wait (s)", "offline share of drops")}}
             for L in (0, 5, 15, 30, 60)]
show.table(late_rows, title="Watermark delay 30 s, with allowed lateness")
drop = [r["dropped %"] for r in late_rows]
held = [r["peak windows held"] for r in late_rows]
updates = [r["late updates"] for r in late_rows]
assert drop == sorted(drop, reverse=True) and drop[-1] < drop[0] / 4, "lateness recovers late events"
assert held == sorted(held) and held[-1] > 5 * held[0], "lateness costs state"
assert updates == sorted(updates) and updates[0] == 0, "lateness emits corrections"
assert all(r["first result exact %"] == late_rows[0]["first result exact %"] for r in late_rows), \
    "lateness does not change the first result, only corrects it later"
assert late_rows[2]["final result exact %"] > late_rows[0]["final result exact %"] + 5, \
    "the page's 84.9 % -> 97 %: 15 minutes of lateness makes many more final counts exact"
