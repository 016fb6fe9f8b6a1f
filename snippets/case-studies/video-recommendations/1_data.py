# The data: a seeded world with a 10,000-video catalog, and the time windows
# each stage learns from. Later cells reuse what this one builds. About 4% of
# impressions get a click, as on a real feed: the generator's click logit is
# shifted down (video.CLICK_SHIFT), so clicks are rare and informative.
from mlsd import show
from casestudies import video_recommendations as video

data = video.world()
events = data.events
windows = [("two towers learn", 0.0, video.TOWER_END),
           ("ranker learns", video.TOWER_END, video.RANKER_END),
           ("test", video.RANKER_END, video.TEST_END),
           ("after the drift", video.TEST_END, data.days)]
rows = []
for name, start, end in windows:
    part = [e for e in events if start <= e.t < end]
    clicks = sum(e.clicked for e in part)
    rows.append({"window": name, "days": f"{start:g}–{end:g}", "impressions": len(part),
                 "clicks": clicks, "CTR": round(clicks / len(part), 3)})
show.table(rows, title="Impressions and clicks per time window")

# Popularity is skewed: a few videos take a large share of the impressions.
shown = {}
for e in events:
    shown[e.item] = shown.get(e.item, 0) + 1
top = sorted(shown.values(), reverse=True)[:len(data.items) // 100]
top_share = sum(top) / len(events)
never = len(data.items) - len(shown)
new_videos = sum(1 for it in data.items if it.created_at >= video.TOWER_END)
new_viewers = sum(1 for u in data.users if u.joined_at >= video.TOWER_END)
ctr = sum(e.clicked for e in events) / len(events)
print(f"{len(data.items):,} videos, {len(data.users):,} viewers, {len(events):,} impressions, "
      f"click-through rate {ctr:.1%}")
print(f"the top 1% of videos get {top_share:.0%} of impressions; {never:,} videos were never shown")
print(f"uploaded after day {video.TOWER_END:g}: {new_videos} videos; joined after it: {new_viewers} viewers")

assert len(data.items) == 10_000
assert all(r["impressions"] > 1000 for r in rows)              # every window has data
assert 0.03 < ctr < 0.05                                       # a feed's CTR: a few per cent
assert all(r["CTR"] < 0.06 for r in rows)
assert rows[0]["clicks"] < 2000 and 350 < rows[1]["clicks"] < 450  # few clicks to learn from
assert top_share > 0.15 and never > 100                        # a long tail
assert new_videos > 100 and new_viewers > 10                   # cold start exists
