# Watch one input feature, window by window, with PSI; retrain only when drift persists.
# The stream is stable, has one noisy blip (window 6), then drifts from window 16 on
# (windows are numbered from 1; the library counts drift_start and noise_windows from 0).
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
assert alerts[:2] == [6, 18] and retrains == [20, 26]   # the figures the page quotes
