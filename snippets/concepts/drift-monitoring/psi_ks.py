# One input feature, watched window by window. The stream is stable, has one noisy
# blip, then its mean drifts upward. Three alarms: PSI above a threshold, the KS
# statistic D above a threshold, and the KS p-value below 0.01.
from mlsd import monitoring, show

WINDOWS, WINDOW_SIZE = 30, 500
DRIFT_START = 15            # 0-based window where the mean starts to move
SHIFT = 0.08                # mean shift added per window, in standard deviations
PSI_ALERT, KS_ALERT, P_ALERT = 0.25, 0.15, 0.01

stream = monitoring.drifting_stream(n_windows=WINDOWS, window_size=WINDOW_SIZE, drift_start=DRIFT_START,
                                    shift_per_window=SHIFT, noise_windows=(5,), seed=1)
ref = stream["reference"]
psi = [monitoring.psi(ref, w) for w in stream["windows"]]
ks = [monitoring.ks_two_sample(ref, w) for w in stream["windows"]]
steps = list(range(1, WINDOWS + 1))
show.line_chart(steps, {"PSI": [round(v, 4) for v in psi],
                        "KS statistic D": [round(k["statistic"], 4) for k in ks],
                        f"PSI alert ({PSI_ALERT})": [PSI_ALERT] * WINDOWS,
                        f"KS alert ({KS_ALERT})": [KS_ALERT] * WINDOWS},
                x_title="window", y_title="drift score", title="Two drift scores over time")


def first(flags, start=0):
    return next((i + 1 for i, f in enumerate(flags) if f and i >= start), None)


psi_hits = [v > PSI_ALERT for v in psi]
ks_hits = [k["statistic"] > KS_ALERT for k in ks]
p_hits = [k["p_value"] < P_ALERT for k in ks]
rows = [{"alarm": f"PSI > {PSI_ALERT}", "windows firing before the drift": sum(psi_hits[:DRIFT_START]),
         "first firing after the drift starts": first(psi_hits, DRIFT_START)},
        {"alarm": f"KS D > {KS_ALERT}", "windows firing before the drift": sum(ks_hits[:DRIFT_START]),
         "first firing after the drift starts": first(ks_hits, DRIFT_START)},
        {"alarm": f"KS p-value < {P_ALERT}", "windows firing before the drift": sum(p_hits[:DRIFT_START]),
         "first firing after the drift starts": first(p_hits, DRIFT_START)}]
show.table(rows, title=f"The drift starts in window {DRIFT_START + 1}; window 6 is a one-off blip")
blip = 5
print(f"the blip (window 6): PSI {psi[blip]:.2f}, D {ks[blip]['statistic']:.2f}, p-value {ks[blip]['p_value']:.1e}")
print(f"window {DRIFT_START + 2} (mean shifted by {2 * SHIFT:.2f} sd): PSI {psi[DRIFT_START + 1]:.3f}, "
      f"D {ks[DRIFT_START + 1]['statistic']:.3f}, p-value {ks[DRIFT_START + 1]['p_value']:.1e}")
# The claims on the page, for the settings above.
if (WINDOWS, WINDOW_SIZE, DRIFT_START, SHIFT, PSI_ALERT, KS_ALERT, P_ALERT) == (30, 500, 15, 0.08, 0.25, 0.15, 0.01):
    psi_row, ks_row, p_row = rows
    assert psi_hits[blip] and ks_hits[blip] and p_hits[blip]      # every alarm fires on the blip...
    assert all(r["windows firing before the drift"] == 1 for r in rows)   # ...and only there
    assert (p_row["first firing after the drift starts"] < ks_row["first firing after the drift starts"]
            <= psi_row["first firing after the drift starts"])
