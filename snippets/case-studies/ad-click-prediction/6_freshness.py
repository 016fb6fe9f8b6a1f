# Freshness: from day 14 a new feed layout rolls out and ads lower in the feed
# get fewer clicks, a little more each day. One model is retrained weekly (the
# night before day 14); the other every night, both on the last seven days.
from mlsd import show
from casestudies import ad_click_prediction as ad

rows = ad.freshness_run()
show.table([{"day": r["day"], "NE weekly": round(r["weekly_NE"], 4), "NE daily": round(r["daily_NE"], 4),
             "calibration weekly": round(r["weekly_calibration"], 2),
             "calibration daily": round(r["daily_calibration"], 2),
             "impressions of ads newer than the weekly model": f"{r['new_ads']:.0%}"} for r in rows],
           title="Logistic regression with crosses, retrained weekly or daily")
days = [r["day"] for r in rows]
show.line_chart(days, {"weekly": [round(r["weekly_calibration"], 4) for r in rows],
                       "daily": [round(r["daily_calibration"], 4) for r in rows]},
                x_title="day", y_title="predicted / true clicks", title="Calibration as the layout rolls out",
                y_zero=False)

later = rows[1:]                                   # day 14 is the same model in both arms
mean_weekly = sum(r["weekly_NE"] for r in later) / len(later)
mean_daily = sum(r["daily_NE"] for r in later) / len(later)
wins = sum(r["daily_NE"] < r["weekly_NE"] for r in later)
print(f"days {later[0]['day']}-{later[-1]['day']}: mean NE {mean_weekly:.4f} weekly, {mean_daily:.4f} daily "
      f"({mean_weekly / mean_daily - 1:+.1%} for the stale model); daily wins on {wins} of {len(later)} days")

assert rows[0]["weekly_NE"] == rows[0]["daily_NE"]
assert rows[-1]["weekly_calibration"] > 1.3                      # the stale model over-predicts by 30 %+
assert max(r["daily_calibration"] for r in rows) < 1.25          # the fresh one stays within 25 %
assert rows[-1]["weekly_calibration"] - rows[1]["weekly_calibration"] > 0.25   # and the gap grows
assert mean_daily < mean_weekly                                  # fresher is better on average...
assert wins >= 4 and wins < len(later)                           # ...but not every single day
assert rows[-1]["new_ads"] > 0.8                                 # ad churn: most ads are new by day 20
