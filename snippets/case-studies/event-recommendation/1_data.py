# The data: one city's residents, hosts and events, and the impression log of
# the current system. Every event lives from its listing to its start; the
# split is by event start, so no test event appears in training.
import statistics

from mlsd import show
from casestudies import event_recommendation as ev

data = ev.world()
imps = data.impressions
lead = [e.start_at - e.listed_at for e in data.events]
live = [sum(1 for e in data.events if e.listed_at <= d + 0.5 < e.start_at) for d in range(7, 42)]
print(f"{len(data.users):,} residents, {len(data.hosts):,} hosts, {len(data.events):,} events "
      f"listed over {data.days:g} days (and 3 weeks before)")
print(f"an event is listed {statistics.median(lead):.0f} days before it starts (median); "
      f"{min(live)}-{max(live)} events are live on a given day")

train_events = {e.id for e in data.events if e.start_at < ev.TRAIN_END}
windows = [("train: events that started before day 28", 0.0, ev.TRAIN_END),
           ("test: days 28-42", ev.TRAIN_END, ev.TEST_END),
           ("after the partner feed: days 42-56", ev.SHIFT_DAY, data.days)]
rows = []
for name, start, end in windows:
    part = [i for i in imps if start <= i.t < end
            and (start > 0 or i.event in train_events)]
    regs = sum(i.registered for i in part)
    rows.append({"window": name, "impressions": len(part), "registrations": regs,
                 "rate": round(regs / len(part), 4),
                 "events shown": len({i.event for i in part})})
show.table(rows, title="Impressions and registrations per window")

test = ev.impression_rows(ev.TRAIN_END, ev.TEST_END)
test_events = {i.event for i in test}
overlap = test_events & train_events
no_reg = sum(ev.history_slice(i.features) != "has registrations" for i in test) / len(test)
with_friend = [i for i in test if i.features[ev.FEATURES.index("friends_going")] > 0]
rate_friend = sum(i.registered for i in with_friend) / len(with_friend)
print(f"test events also in training: {len(overlap)}; test impressions of events with no "
      f"registration yet: {no_reg:.0%}")
n_f, k_f = len(with_friend), sum(i.registered for i in with_friend)
z = 1.96                                                  # the low end of a Wilson 95% interval
centre = rate_friend + z * z / (2 * n_f)
spread = z * ((rate_friend * (1 - rate_friend) + z * z / (4 * n_f)) / n_f) ** 0.5
low_friend = (centre - spread) / (1 + z * z / n_f)
print(f"a friend is going in {len(with_friend) / len(test):.1%} of test impressions; "
      f"those convert at {rate_friend:.0%} ({k_f} of {n_f}; 95% interval from {low_friend:.0%})")

assert all(0.01 < r["rate"] < 0.02 for r in rows)        # under 2 % of impressions
assert 250 <= min(live) and max(live) <= 600              # a city-scale catalogue, scaled down
assert 8 <= statistics.median(lead) <= 14                # events live days to weeks
assert not overlap                                        # every test event is new to the model
assert no_reg > 0.6                                       # cold start is the normal case
assert len(with_friend) / len(test) < 0.01 and rate_friend > 10 * rows[1]["rate"]  # rare, strong
assert low_friend > 5 * rows[1]["rate"]                  # strong even at the low end of a small sample
