# Offline retrieval metric: of the videos a test viewer clicked in days 18-21
# (and had not clicked before), how many are in their 100 candidates?
# Three lists of 100 per viewer: the global popularity list, the ANN results
# alone, and the merged candidates the ranker gets (ANN results, popular videos
# of the viewer's topics, five fresh uploads).
from mlsd import show
from casestudies import video_recommendations as video

users = video.test_users()                       # 200 viewers with a test click
sample = set(users)
clicks = [(u, i) for u, i in video.test_clicks() if u in sample]
popular = video.popular_items()                  # clicks of the last 7 days


def popularity(user):
    seen = video.watched(user)
    return [i for i in popular if i not in seen][:video.N_CANDIDATES]


def ann_only(user):                              # the two-tower source alone, watched removed
    return [i for i, _ in video.retrieve(user)]


def merged(user):                                # what the ranker gets
    return [i for i, _ in video.candidates(user)]


def recall(pairs, source):
    lists = {u: set(source(u)) for u in {u for u, _ in pairs}}
    return sum(i in lists[u] for u, i in pairs) / len(pairs)


def is_new_viewer(user):                         # no click before day 18: age and country only
    return len(video.user_tokens(user)) == 2


segments = {"viewers with a history": [(u, i) for u, i in clicks if not is_new_viewer(u)],
            "new viewers": [(u, i) for u, i in clicks if is_new_viewer(u)],
            "all test clicks": clicks}
rows = [{"segment": name, "clicks": len(pairs),
         "popularity": round(recall(pairs, popularity), 3),
         "ANN alone": round(recall(pairs, ann_only), 3),
         "merged candidates": round(recall(pairs, merged), 3)}
        for name, pairs in segments.items()]
show.table(rows, title=f"Recall@{video.N_CANDIDATES} of test clicks, {len(users)} viewers")

# New uploads: can retrieval surface a video nobody has clicked yet?
data = video.world()
new = {it.id for it in data.items if video.TOWER_END <= it.created_at < video.NOW}
reached = set().union(*(set(merged(u)) for u in users)) & new
print(f"videos uploaded in days 15-18: {len(new)}; in some viewer's candidates: {len(reached)}; "
      f"in the popularity top {video.N_CANDIDATES}: {len(new & set(popular[:video.N_CANDIDATES]))}")

history, cold, overall = rows
assert history["ANN alone"] > 1.5 * history["popularity"]           # personalisation pays...
assert cold["popularity"] > cold["ANN alone"]                        # ...except for new viewers
assert all(r["merged candidates"] >= r["ANN alone"] for r in rows)   # the other sources add
assert overall["merged candidates"] > max(overall["ANN alone"], overall["popularity"])
assert len(reached) > 0.8 * len(new)                                 # the fresh source works
assert not new & set(popular[:video.N_CANDIDATES])                   # popularity never does
