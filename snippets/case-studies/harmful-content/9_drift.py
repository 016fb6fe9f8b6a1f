# Adversarial drift: from day 21 the spammers change their wording, and within a week all of
# them use it. The model shipped on day 14 keeps its spam threshold. Recall (known only later,
# from reviews and reports) decays; the label-free signal — the share of posts removed as spam —
# drops at once. A model retrained on days 14-28 ships on day 28.
from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
old, new = hc.detector("early"), hc.detector("retrained")
threshold = 0.11                        # the spam removal threshold of cell 5
days, recall, removed = [], {"shipped day 14": [], "retrained day 28": []}, []
for day in range(14, 35):
    idx = hc.window(day, day + 1)
    spam = [j for j, i in enumerate(idx) if w.label[i] == 0]
    days.append(day)
    for name, det in (("shipped day 14", old), ("retrained day 28", new)):
        p = det.proba(idx)["spam"]
        if name == "retrained day 28" and day < hc.RETRAIN_DAY:
            recall[name].append(None)
            continue
        recall[name].append(round(sum(p[j] >= threshold for j in spam) / len(spam), 3))
        live = old if day < hc.RETRAIN_DAY else new
        if det is live:
            flagged = sum(w.weight[i] for i, pp in zip(idx, p) if pp >= threshold)
            removed.append(round(1e4 * flagged / sum(w.weight[i] for i in idx), 1))
show.line_chart(days, recall, x_title="day", y_title="spam recall at the threshold",
                title="Spam recall: the wording changes from day 21")
show.line_chart(days, {"removed as spam per 10,000 posts": removed}, x_title="day",
                y_title="per 10,000 posts", title="The label-free signal: removal rate")

before = sum(recall["shipped day 14"][:7]) / 7
late = sum(recall["shipped day 14"][-7:]) / 7
fixed = sum(recall["retrained day 28"][-7:]) / 7
print(f"spam recall of the day-14 model: days 14-20 {before:.2f}, days 28-34 {late:.2f}; "
      f"retrained on days 14-28: {fixed:.2f}")
print(f"removal rate per 10,000 posts: days 14-20 {sum(removed[:7]) / 7:.1f}, "
      f"days 24-27 {sum(removed[10:14]) / 4:.1f}, days 28-34 {sum(removed[-7:]) / 7:.1f}")

assert late < before - 0.25                  # the adversary takes a large part of recall
assert fixed > late + 0.2                    # retraining on fresh labels wins most of it back
assert sum(removed[10:14]) / 4 < 0.7 * sum(removed[:7]) / 7    # visible without labels
