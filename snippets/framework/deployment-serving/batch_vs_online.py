# Batch vs online prediction for a "recommended for you" row.
# Batch: every night, compute each user's top 10 and store it; a request is a lookup.
# Online: at request time, score the candidates with the user's current interest.
# During the day some users switch interest; only online prediction sees it.
# Count the model's work both ways: where it happens (on the request path or not) and how much.
import random
import time
from mlsd import show

rng = random.Random(0)
N_USERS, N_TOPICS, N_ITEMS, TOP = 2000, 20, 200, 10
SWITCH, ACTIVE = 0.3, 0.2      # 30% of users change interest today; 20% of users visit today
REQUESTS_PER_VISITOR = 3       # each visitor opens the row a few times a day
item_topic = [i % N_TOPICS for i in range(N_ITEMS)]
item_quality = [rng.random() for _ in range(N_ITEMS)]
last_night = [rng.randrange(N_TOPICS) for _ in range(N_USERS)]   # interest when the batch ran
now = [rng.randrange(N_TOPICS) if rng.random() < SWITCH else t for t in last_night]
visitors = [u for u in range(N_USERS) if rng.random() < ACTIVE]
requests = [u for u in visitors for _ in range(REQUESTS_PER_VISITOR)]

model_calls = 0
def top_items(topic):
    """The 'model': items of the user's topic first, then by quality."""
    global model_calls
    model_calls += 1
    return sorted(range(N_ITEMS), key=lambda i: (item_topic[i] == topic, item_quality[i]),
                  reverse=True)[:TOP]

# Batch job (offline): one prediction per user, including users who will not come today.
table = {u: top_items(last_night[u]) for u in range(N_USERS)}
batch_calls, model_calls = model_calls, 0

rows = []
for name, serve in (("batch (nightly)", lambda u: table[u]), ("online (per request)", lambda u: top_items(now[u]))):
    start = time.perf_counter()
    results = [serve(u) for u in requests]
    per_request_ms = (time.perf_counter() - start) * 1000 / len(requests)
    on_path, model_calls = model_calls, 0
    on_topic = sum(item_topic[i] == now[u] for u, r in zip(requests, results) for i in r)
    rows.append({"serving": name,
                 "model runs in all": batch_calls if name.startswith("batch") else on_path,
                 "model runs on the request path": on_path,
                 f"{show.VARIES} ms per request": round(per_request_ms, 4),
                 "on current interest": round(on_topic / (len(requests) * TOP), 3)})
show.table(rows, title=f"{len(requests)} requests from {len(visitors)} of {N_USERS} users (timings vary)",
           varies=True)

batch, online = rows
unused = 1 - len(visitors) / N_USERS
print(f"{len(visitors)} of {N_USERS} users visited: {unused:.0%} of the nightly predictions were never used")
print(f"model runs: batch {batch['model runs in all']:,} (none on the request path), "
      f"online {online['model runs in all']:,} (all on the request path)")
print(f"recommendations on the user's current interest: batch {batch['on current interest']:.0%}, "
      f"online {online['on current interest']:.0%}")
print(f"online does less work in all while visitors x requests per visitor < users: "
      f"{len(visitors)} x {REQUESTS_PER_VISITOR} = {len(requests):,} vs {N_USERS:,}")

assert online["on current interest"] > batch["on current interest"]        # only online sees today's switch
assert batch["model runs on the request path"] == 0 < online["model runs on the request path"]
assert (online["model runs in all"] < batch["model runs in all"]) == (len(requests) < N_USERS)
