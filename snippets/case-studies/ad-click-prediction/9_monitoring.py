# Monitoring the weekly model through the layout rollout: two input checks
# that need no labels (PSI of the slot mix and of the predicted CTR against day
# 14) and one that needs them (calibration: predicted over observed clicks).
from mlsd import monitoring, show
from casestudies import ad_click_prediction as ad

ALARM = 0.15                                        # alert when calibration is off by more than 15 %
ref = ad.eval_rows(ad.TEST_DAY, 1500)
ref_pred = ad.window_predict(ad.TEST_DAY - 7, ad.TEST_DAY, ref)
rows, first_alarm = [], None
for day in range(ad.TEST_DAY, ad.DAYS):
    cur = ad.eval_rows(day, 1500)
    pred = ad.window_predict(ad.TEST_DAY - 7, ad.TEST_DAY, cur)
    psi_slot = monitoring.psi_categorical([r["slot"] for r in ref["records"]], [r["slot"] for r in cur["records"]])
    psi_pred = monitoring.psi(ref_pred, pred)
    calibration = sum(pred) / sum(cur["p_true"])
    alarm = abs(calibration - 1) > ALARM
    if alarm and first_alarm is None:
        first_alarm = day
    rows.append({"day": day, "PSI slot mix": round(psi_slot, 4), "PSI pCTR": round(psi_pred, 3),
                 "calibration": round(calibration, 2), "alarm": "yes" if alarm else ""})
show.table(rows, title="The weekly model, day by day")
print(f"first calibration alarm: day {first_alarm}; input PSIs stay under 0.1 all week")

assert all(r["PSI slot mix"] < 0.01 and r["PSI pCTR"] < 0.1 for r in rows)   # inputs look stable
assert first_alarm == ad.TEST_DAY + 2                  # calibration catches it two days in
assert rows[-1]["calibration"] > 1.3
