# Adversarial drift: from day 21 the spammers change their wording, and within a week all of
# them use it. Recall is known only later (reviews, reports), so compare the models at a fixed
# budget: the share of each day's spam in the top 0.2 % of posts by P(spam). The label-free
# signal is the day-14 model's removal rate at its threshold from cell 5. A model retrained on
# days 21-28 ships on day 28.
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
removed = []
for day in days:
    idx = hc.window(day, day + 1)
    p_old = old.proba(idx)["spam"]
    recall["shipped day 14"].append(round(recall_at_budget(idx, p_old), 3))
    recall["retrained day 28"].append(
        round(recall_at_budget(idx, new.proba(idx)["spam"]), 3) if day >= hc.RETRAIN_DAY else None)
    flagged = sum(w.weight[i] for i, pp in zip(idx, p_old) if pp >= threshold)
    removed.append(round(1e4 * flagged / sum(w.weight[i] for i in idx), 1))
show.line_chart(days, recall, x_title="day", y_title="spam recall in the top 0.2 %",
                title="Spam recall: the wording changes from day 21")
show.line_chart(days, {"removed as spam per 10,000 posts": removed}, x_title="day",
                y_title="per 10,000 posts", title="The label-free signal: the day-14 model's removal rate")

mean = lambda xs: sum(xs) / len(xs)
before, late = mean(recall["shipped day 14"][:7]), mean(recall["shipped day 14"][-7:])
fixed = mean(recall["retrained day 28"][-7:])
print(f"spam recall in the top 0.2 %: day-14 model, days 14-20 {before:.2f}, days 28-34 {late:.2f}; "
      f"retrained on days 21-28: {fixed:.2f}")
print(f"day-14 model removals per 10,000 posts: days 14-20 {mean(removed[:7]):.1f}, "
      f"days 24-27 {mean(removed[10:14]):.1f}")

assert late < before - 0.25                  # the adversary takes a large part of recall
assert fixed > late + 0.2                    # retraining on fresh labels wins most of it back
assert mean(removed[10:14]) < 0.7 * mean(removed[:7])     # visible days before labels are
