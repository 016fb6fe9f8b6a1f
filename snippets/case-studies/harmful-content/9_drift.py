# Adversarial drift: from day 21 the spammers change their wording, and within a week all of
# them use it. Recall is known only later (reviews, reports), so compare the models at a fixed
# budget: the share of each day's spam in the top 0.2 % of posts by P(spam). The label-free
# signal is the day-14 model's removal rate at its threshold from cell 5, overall and among
# posts from newer-than-average accounts posting above their usual rate (where spammers live;
# their accounts did not change, only their words). A model retrained on days 21-28 ships on day 28.
# One stored benign post stands for 100 posts, so one that crosses the threshold makes a spike.
from mlsd import show
from casestudies import harmful_content as hc

w = hc.world()
old, new = hc.detector("early"), hc.detector("retrained")
threshold = hc.thresholds()["spam"]["remove"]


def recall_at_budget(idx, p, budget=0.002):
    """Share of the day's spam among the top `budget` of the day's posts (weighted)."""
    room = budget * sum(w.weight[i] for i in idx)
    got = 0
    for j in sorted(range(len(idx)), key=lambda j: -p[j]):
        room -= w.weight[idx[j]]
        if room < 0:
            break
        got += w.label[idx[j]] == 0
    return got / sum(w.label[i] == 0 for i in idx)


days = list(range(14, 35))
recall = {"shipped day 14": [], "retrained day 28": []}
removed = {"all posts, per 10,000": [], "young bursty accounts, per 1,000": []}
for day in days:
    idx = hc.window(day, day + 1)
    p_old = old.proba(idx)["spam"]
    recall["shipped day 14"].append(round(recall_at_budget(idx, p_old), 3))
    recall["retrained day 28"].append(
        round(recall_at_budget(idx, new.proba(idx)["spam"]), 3) if day >= hc.RETRAIN_DAY else None)
    seg = [j for j, i in enumerate(idx) if w.account[i][0] > 0 and w.account[i][1] > 0]
    for name, rows, per in (("all posts, per 10,000", range(len(idx)), 1e4),
                            ("young bursty accounts, per 1,000", seg, 1e3)):
        flagged = sum(w.weight[idx[j]] for j in rows if p_old[j] >= threshold)
        removed[name].append(round(per * flagged / sum(w.weight[idx[j]] for j in rows), 1))
show.line_chart(days, recall, x_title="day", y_title="spam recall in the top 0.2 %",
                title="Spam recall: the wording changes from day 21")
show.line_chart(days, removed, x_title="day", y_title="removed as spam",
                title="The label-free signal: the day-14 model's removal rate")

mean = lambda xs: sum(xs) / len(xs)
before, late = mean(recall["shipped day 14"][:7]), mean(recall["shipped day 14"][-7:])
fixed = mean(recall["retrained day 28"][-7:])
print(f"spam recall in the top 0.2 %: day-14 model, days 14-20 {before:.2f}, days 28-34 {late:.2f}; "
      f"retrained on days 21-28: {fixed:.2f}")
seg_rate = removed["young bursty accounts, per 1,000"]
all_rate = removed["all posts, per 10,000"]
print(f"day-14 model removals: young bursty accounts, per 1,000 posts: days 14-20 "
      f"{mean(seg_rate[:7]):.1f}, days 24-27 {mean(seg_rate[10:14]):.1f}; all posts, per 10,000: "
      f"{mean(all_rate[:7]):.1f} and {mean(all_rate[10:14]):.1f}")

assert late < before - 0.25, f"the adversary should take a large part of recall: {before:.2f} -> {late:.2f}"
assert fixed > late + 0.2, f"retraining on the new week should win most of it back: {late:.2f} -> {fixed:.2f}"
for name, rate in (("overall", all_rate), ("segment", seg_rate)):
    assert mean(rate[10:14]) < 0.6 * mean(rate[:7]), \
        f"the {name} removal rate should fall visibly in days 24-27, before the labels arrive"
