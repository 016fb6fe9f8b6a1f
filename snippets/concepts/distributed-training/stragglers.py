# Synchronous training waits for the slowest worker at every step. Each worker's step time
# is about 1 s, but now and then a worker straggles (a noisy neighbour, a slow disk, a
# retry) and takes 2-4x longer. Backup workers: run K + b workers and apply the step as
# soon as the first K gradients arrive, dropping the b slowest.
import random
from mlsd import show

WORKERS = [1, 4, 16, 64, 256]
STEPS = 400
STRAGGLE_RATE = 0.02           # chance that a worker straggles on a given step
BACKUPS = [0, 1, 4]            # extra workers whose gradients may be dropped

rng = random.Random(0)


def worker_time():
    t = 1.0 + 0.1 * abs(rng.gauss(0, 1))
    return t * rng.uniform(2, 4) if rng.random() < STRAGGLE_RATE else t


curves = {}
for b in BACKUPS:
    curve = []
    for k in WORKERS:
        total = 0.0
        for _ in range(STEPS):
            times = sorted(worker_time() for _ in range(k + b))
            total += times[k - 1]                    # wait for the k-th fastest gradient
        curve.append(round(total / STEPS, 3))
    curves[f"{b} backup workers"] = curve
show.line_chart(WORKERS, curves, x_title="workers whose gradients are used per step", y_title="mean step time (s)",
                title="The slowest worker sets the pace; a few backups remove most of the wait")
show.table([{"workers": k, **{name: c[i] for name, c in curves.items()}} for i, k in enumerate(WORKERS)],
           title="Mean step time (s)")
none, one, four = curves.values()
i64 = WORKERS.index(64)
p_any = 1 - (1 - STRAGGLE_RATE) ** 64
print(f"with 64 workers at least one straggles on {p_any:.0%} of steps: mean step {none[i64]} s "
      f"against {none[0]} s for one worker")
print(f"with 4 backup workers (68 machines for 64 gradients): {four[i64]} s")
dropped = BACKUPS[-1] / (64 + BACKUPS[-1])
print(f"the price: each step drops the {BACKUPS[-1]} slowest of {64 + BACKUPS[-1]} gradients "
      f"({dropped:.0%} of the compute), so it no longer averages the whole assigned batch")
# The claims on the page, for the settings above.
if (WORKERS, STEPS, STRAGGLE_RATE, BACKUPS) == ([1, 4, 16, 64, 256], 400, 0.02, [0, 1, 4]):
    assert none[i64] > 2 * none[0]                  # a 2 % straggle rate doubles the step at 64 workers
    assert four[i64] < 1.5 * none[0]                 # 4 backups bring it back near one worker's time
    assert all(a <= b + 1e-9 for a, b in zip(four, none))
assert 0 < dropped < 0.1                             # a few per cent of the gradients are thrown away
