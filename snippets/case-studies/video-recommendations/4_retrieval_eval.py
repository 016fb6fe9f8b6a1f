# Offline retrieval metric: of the videos a test viewer clicked in days 18-21
# (and had not clicked before), how many are in their 100 candidates?
from mlsd import show
from casestudies import video_recommendations as video

users = video.test_users()                       # 200 viewers with a test click
sample = set(users)
clicks = [(u, i) for u, i in video.test_clicks() if u in sample]
popular = video.popular_items()                  # clicks of the last 7 days


def popularity(user):
    seen = video.watched(user)
    return [i for i in popular if i not in seen][:video.N_CANDIDATES]


def two_tower(user):                             # ANN search + fresh uploads, watched removed
    return [i for i, _ in video.candidates(user)]


def recall(pairs, source):
    lists = {u: set(source(u)) for u in {u for u, _ in pairs}}
    return sum(i in lists[u] for u, i in pairs) / len(pairs)


def is_new_viewer(user):                         # no click before day 18: age and country only
    return len(video.user_tokens(user)) == 2


segments = {"all test clicks": clicks,
            "new viewers": [(u, i) for u, i in clicks if is_new_viewer(u)]}
rows = [{"segment": name, "clicks": len(pairs),
         "popularity": round(recall(pairs, popularity), 3),
         "two-stage candidates": round(recall(pairs, two_tower), 3)}
        for name, pairs in segments.items()]
show.table(rows, title=f"Recall@{video.N_CANDIDATES} of test clicks ({video.N_CANDIDATES - video.N_FRESH} "
                       f"ANN results + {video.N_FRESH} fresh uploads per viewer)")

# New uploads: can retrieval surface a video nobody has clicked yet?
data = video.world()
new = {it.id for it in data.items if video.TOWER_END <= it.created_at < video.NOW}
reached = set().union(*(set(two_tower(u)) for u in users)) & new
print(f"videos uploaded in days 15-18: {len(new)}; in some viewer's candidates: {len(reached)}; "
      f"in the popularity top {video.N_CANDIDATES}: {len(new & set(popular[:video.N_CANDIDATES]))}")

overall, cold = rows
assert overall["two-stage candidates"] > 1.5 * overall["popularity"]   # personalisation pays
assert cold["popularity"] > cold["two-stage candidates"]                # ...except for new viewers
assert len(reached) > 0.8 * len(new)                              # the fresh source works
