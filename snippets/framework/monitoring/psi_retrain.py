# Watch one input feature, window by window, with PSI; retrain only when drift persists.
# The stream is stable, has one noisy blip (window 6), then drifts from window 16 on
# (windows are numbered from 1; the library counts drift_start and noise_windows from 0).
import random
from mlsd import monitoring, show

stream = monitoring.drifting_stream(n_windows=30, window_size=500, drift_start=15,
                                    shift_per_window=0.15, noise_windows=(5,), seed=0)
THRESHOLD, PATIENCE = 0.2, 3      # PSI above 0.2 for 3 windows in a row -> retrain
rows = monitoring.run_drift_detector(stream["reference"], stream["windows"],
                                     threshold=THRESHOLD, patience=PATIENCE, metric="psi")

show.line_chart([r["step"] for r in rows],
                {"PSI of the window": [round(r["score"], 4) for r in rows],
                 "alert threshold": [THRESHOLD] * len(rows)},
                x_title="window", y_title="PSI", title="Drift score per window")
retrains = [r["step"] for r in rows if r["retrain"]]
alerts = [r["step"] for r in rows if r["above"]]
blip = rows[5]            # window index 5 is step 6
print(f"rule: alert when PSI > {THRESHOLD}; retrain after {PATIENCE} alerting windows in a row")
print(f"windows above the threshold: {alerts}")
print(f"retraining triggered at windows: {retrains}")
print(f"the blip (window {blip['step']}) scored PSI {blip['score']:.3f} but did not trigger a retrain")

ks = monitoring.ks_two_sample(stream["reference"], stream["windows"][20])
print(f"KS test on window 21: D = {ks['statistic']:.3f}, p-value = {ks['p_value']:.1e}")

assert blip["above"] and not blip["retrain"]          # one noisy window is not drift
assert all(step > 15 for step in retrains)            # nothing fires before the drift starts
assert retrains and retrains[0] <= 15 + 6             # and it fires within a few windows of it
assert ks["p_value"] < 1e-6

# A p-value answers "is there any shift?", and with enough rows the answer is always yes.
# A shift of 0.03 standard deviations, far too small to matter, at two window sizes:
rng = random.Random(1)
tiny = []
for n in (500, 50_000):
    ref = [rng.gauss(0, 1) for _ in range(n)]
    cur = [rng.gauss(0.03, 1) for _ in range(n)]
    test = monitoring.ks_two_sample(ref, cur)
    tiny.append({"rows per window": n, "KS statistic D": round(test["statistic"], 4),
                 "KS p-value": f"{test['p_value']:.1e}", "PSI": round(monitoring.psi(ref, cur), 4),
                 "p": test["p_value"]})
show.table([{k: v for k, v in r.items() if k != "p"} for r in tiny],
           title="The same tiny shift (0.03 standard deviations) in small and large windows")
small, large = tiny
print(f"at {large['rows per window']:,} rows the KS test flags it (p = {large['KS p-value']}) "
      f"while D = {large['KS statistic D']} and PSI = {large['PSI']} say it is negligible")
assert large["p"] < 0.01 < small["p"]                   # significance grows with the sample...
assert large["PSI"] < 0.01 and large["KS statistic D"] < 0.05   # ...the size of the shift does not
