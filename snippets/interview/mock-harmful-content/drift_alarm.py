# Phase 4, the fourth curveball: a spam campaign rewrites its wording after the model shipped.
# The case study's world: the day-14 model ships; from day 21 spammers switch to new words, all
# of them within a week. The candidate's alarm needs no label: the share of posts the model removes
# as spam, among newer-than-average accounts posting above their usual rate, checked daily. It fires
# when two days in a row fall below 60 % of the launch week's mean (one low day is noise).
from mlsd import show
from casestudies import harmful_content as hc

DROP_TO = 0.6              # alarm below 60 % of the launch week's rate...
DAYS_IN_A_ROW = 2          # ...on two consecutive days
w = hc.world()
det = hc.detector("early")
threshold = hc.thresholds()["spam"]["remove"]
rate = {"all posts": [], "young bursty accounts": []}
per = {"all posts": 1e4, "young bursty accounts": 1e3}   # removals per 10,000 or 1,000 posts, as in the case study
reported = []
days = list(range(int(hc.TRAIN_END), 35))
for day in days:
    idx = hc.window(day, day + 1)
    p = det.proba(idx)["spam"]
    segment = [j for j, i in enumerate(idx) if w.account[i][0] > 0 and w.account[i][1] > 0]
    for name, rows in (("all posts", range(len(idx))), ("young bursty accounts", segment)):
        rate[name].append(round(per[name] * sum(w.weight[idx[j]] for j in rows if p[j] >= threshold)
                                / sum(w.weight[idx[j]] for j in rows), 1))
    spam = [i for i in idx if w.label[i] == 0]
    reported.append(sum(w.first_report[i] - w.t[i] <= 1 for i in spam) / len(spam))


def first_alarm(series):
    """The first day after the launch week on which the last DAYS_IN_A_ROW days are all low."""
    base = sum(series[:7]) / 7
    low = [x < DROP_TO * base for x in series]
    for d in range(7 + DAYS_IN_A_ROW - 1, len(series)):
        if all(low[d - DAYS_IN_A_ROW + 1:d + 1]):
            return days[d]
    return None


alarm = {name: first_alarm(s) for name, s in rate.items()}
show.table([{"removed as spam": f"{name}, per {per[name]:,.0f}", "launch week": round(sum(s[:7]) / 7, 1),
             "days 24-27": round(sum(s[10:14]) / 4, 1),
             "alarm fires on day": alarm[name]} for name, s in rate.items()],
           title="The day-14 model's spam removal rate: the wording changes from day 21")
print(f"days from the first new wording (day {hc.DRIFT_DAY:.0f}) to the alarm: segment "
      f"{alarm['young bursty accounts'] - hc.DRIFT_DAY:.0f}, all posts {alarm['all posts'] - hc.DRIFT_DAY:.0f}")
print(f"spam posts reported by users within a day: {sum(reported) / len(reported):.1%} on average")

assert alarm["young bursty accounts"] == 24, "the transcript says the segment's alarm fires on day 24, three days in"
assert alarm["all posts"] == 25, "the transcript says the overall rate fires a day later, on day 25"
assert sum(reported) / len(reported) < 0.03, "the transcript says users reported under 3 % of spam within a day"
