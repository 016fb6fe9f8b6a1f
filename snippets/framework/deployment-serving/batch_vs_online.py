# Batch vs online prediction for a "recommended for you" row.
# Batch: every night, compute each user's top 10 and store it; a request is a lookup.
# Online: at request time, score the candidates with the user's current interest.
# During the day some users switch interest; only online prediction sees it.
import random
import time
from mlsd import show

rng = random.Random(0)
N_USERS, N_TOPICS, N_ITEMS, TOP = 2000, 20, 200, 10
item_topic = [i % N_TOPICS for i in range(N_ITEMS)]
item_quality = [rng.random() for _ in range(N_ITEMS)]
last_night = [rng.randrange(N_TOPICS) for _ in range(N_USERS)]   # interest when the batch ran
SWITCH, ACTIVE = 0.3, 0.2   # 30% of users change interest today; 20% of users visit today
now = [rng.randrange(N_TOPICS) if rng.random() < SWITCH else t for t in last_night]
visitors = [u for u in range(N_USERS) if rng.random() < ACTIVE]

def top_items(topic):
    """The 'model': items of the user's topic first, then by quality."""
    return sorted(range(N_ITEMS), key=lambda i: (item_topic[i] == topic, item_quality[i]),
                  reverse=True)[:TOP]

# Batch job (offline): one prediction per user, including users who will not come today.
start = time.perf_counter()
table = {u: top_items(last_night[u]) for u in range(N_USERS)}
batch_job_s = time.perf_counter() - start

def serve_batch(u):
    return table[u]

def serve_online(u):
    return top_items(now[u])

rows = []
for name, serve in (("batch (nightly)", serve_batch), ("online (per request)", serve_online)):
    start = time.perf_counter()
    results = [serve(u) for u in visitors]
    per_request_ms = (time.perf_counter() - start) * 1000 / len(visitors)
    on_topic = sum(item_topic[i] == now[u] for u, r in zip(visitors, results) for i in r)
    rows.append({"serving": name, "ms per request": round(per_request_ms, 4),
                 "on current interest": round(on_topic / (len(visitors) * TOP), 3)})
show.table(rows, title="Same model, two ways to serve it (timings vary)", varies=True)

batch, online = rows
print(f"{show.VARIES} the nightly batch job took {batch_job_s:.2f} s for {N_USERS} users")
wasted = 1 - len(visitors) / N_USERS
print(f"{len(visitors)} of {N_USERS} users visited: {wasted:.0%} of the batch predictions were never used")
print(f"recommendations on the user's current interest: batch {batch['on current interest']:.0%}, "
      f"online {online['on current interest']:.0%}")
assert online["on current interest"] == 1.0
assert 0.65 < batch["on current interest"] < 0.75      # stale for the users who switched
assert online["ms per request"] > 10 * batch["ms per request"]   # freshness costs compute per request
assert 0.75 < wasted < 0.85
