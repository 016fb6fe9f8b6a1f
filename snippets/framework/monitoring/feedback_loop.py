# A feedback loop: the recommender learns only from what it chose to show.
# Greedy: always show the 5 items with the best observed CTR.
# Explore: the same, but one of the 5 slots shows a random item.
import random
from mlsd import show

N_ITEMS, SLOTS, ROUNDS = 200, 5, 2000

def simulate(explore, seed=0):
    rng = random.Random(seed)
    true_ctr = [rng.random() * 0.2 for _ in range(N_ITEMS)]
    shows, clicks = [0] * N_ITEMS, [0] * N_ITEMS
    for i in range(N_ITEMS):                 # launch log: 3 impressions per item
        for _ in range(3):
            shows[i] += 1
            clicks[i] += rng.random() < true_ctr[i]
    unlucky = [i for i in range(N_ITEMS) if clicks[i] == 0]   # no click in 3 launch impressions
    launch_clicks = sum(clicks)
    for _ in range(ROUNDS):
        ranked = sorted(range(N_ITEMS), key=lambda i: clicks[i] / shows[i], reverse=True)
        picked = ranked[:SLOTS - 1] + [rng.randrange(N_ITEMS) if explore else ranked[SLOTS - 1]]
        for i in picked:
            shows[i] += 1
            clicks[i] += rng.random() < true_ctr[i]
    final = sorted(range(N_ITEMS), key=lambda i: clicks[i] / shows[i], reverse=True)[:SLOTS]
    best = sorted(true_ctr, reverse=True)[:SLOTS]
    return {"policy": "explore (1 random slot)" if explore else "greedy",
            "CTR during the rounds": round((sum(clicks) - launch_clicks) / (ROUNDS * SLOTS), 4),
            "true CTR of final top 5": round(sum(true_ctr[i] for i in final) / SLOTS, 4),
            "best possible top 5": round(sum(best) / SLOTS, 4),
            "items never re-shown after launch": sum(s == 3 for s in shows),
            "unlucky at launch, never re-shown": sum(shows[i] == 3 for i in unlucky),
            "unlucky at launch": len(unlucky)}

greedy, explore = simulate(False), simulate(True)
unlucky = greedy.pop("unlucky at launch"), explore.pop("unlucky at launch")
show.table([greedy, explore], title=f"{ROUNDS} rounds of {SLOTS} slots over {N_ITEMS} items")
print(f"{unlucky[0]} items got no click in their 3 launch impressions, so their estimated CTR was 0; "
      f"greedy never showed {greedy['unlucky at launch, never re-shown']} of them again")

assert greedy["items never re-shown after launch"] > 100 > explore["items never re-shown after launch"]
assert greedy["unlucky at launch, never re-shown"] == unlucky[0]     # the loop never corrects them

# One run is one draw. Repeat on 9 more seeds: which effects hold every time?
SEEDS = range(1, 10)
runs = [(simulate(False, seed), simulate(True, seed)) for seed in SEEDS]
costs = sum(e["CTR during the rounds"] < g["CTR during the rounds"] for g, e in runs)
better = sum(e["true CTR of final top 5"] > g["true CTR of final top 5"] for g, e in runs)
retested = sum(e["unlucky at launch, never re-shown"] < g["unlucky at launch, never re-shown"] for g, e in runs)
diffs = [e["true CTR of final top 5"] - g["true CTR of final top 5"] for g, e in runs]
print(f"over {len(runs)} more seeds, exploring: re-shows items greedy abandoned in {retested}, "
      f"costs CTR during the rounds in {costs}, gives a better final top 5 in {better} "
      f"(difference {min(diffs):+.4f} to {max(diffs):+.4f})")
assert retested == len(runs)                        # exploration always re-tests the unlucky items
assert costs > len(runs) / 2                        # and usually costs CTR while it does
assert min(diffs) < 0 < max(diffs)                  # the final top 5: within noise, either way
