# Today is day 84. The test window (days 56-84) is fresh, and most of its chargebacks have not
# arrived yet. What do you measure if you score the model against the labels you have today?
from mlsd import metrics, show
from casestudies import payment_fraud as pf

w = pf.world()
idx, p = pf.scores("challenger")
today = pf.TEST_END
rows = []
for start in range(56, 84, 7):
    week = [k for k, i in enumerate(idx) if start <= w.t[i] < start + 7]
    truth = [w.fraud[idx[k]] for k in week]
    known = pf.known_labels([idx[k] for k in week], today)
    scores = [p[k] for k in week]
    rows.append({"payments made on days": f"{start}-{start + 7}", "age on day 84": f"{84 - start - 7}-{84 - start} d",
                 "frauds": sum(truth), "labels arrived": sum(known),
                 "PR-AUC, labels of today": round(metrics.average_precision(known, scores), 3) if sum(known) else 0.0,
                 "PR-AUC, matured": round(metrics.average_precision(truth, scores), 3)})
show.table(rows, title="The challenger on the test window, scored on day 84")

truth = [w.fraud[i] for i in idx]
known = pf.known_labels(idx, today)
measured, real = metrics.average_precision(known, p), metrics.average_precision(truth, p)
print(f"whole window: {sum(known)} of {sum(truth)} frauds labelled on day 84; "
      f"PR-AUC {measured:.3f} measured vs {real:.3f} once labels mature")

# Training reads labels too. Train on days 7-56 with the labels known on day 56 (immature) or
# with every label matured; judge both on the matured test labels.
train_rows = []
for name, labels_on in [("read on day 56, the end of the window", 56.0), ("all matured", None)]:
    model = pf.trained("challenger") if labels_on is None else \
        pf.trained("challenger", pf.TRAIN_END, labels_on)
    _, y = pf.training_rows(pf.WARMUP, pf.TRAIN_END, labels_on)
    test_p = p if labels_on is None else model.proba(idx)
    train_rows.append({"training labels": name, "frauds labelled": sum(y),
                       "test PR-AUC": round(metrics.average_precision(truth, test_p), 3)})
show.table(train_rows, title="Train on days 7-56: when do you read the labels?")

newest, oldest = rows[-1], rows[0]
early, matured = train_rows
assert newest["labels arrived"] < 0.15 * newest["frauds"]         # last week: almost no labels
assert oldest["labels arrived"] > 0.3 * oldest["frauds"]
assert measured < 0.6 * real                        # immature labels make a good model look bad
assert early["frauds labelled"] < 0.7 * matured["frauds labelled"]
assert early["test PR-AUC"] < matured["test PR-AUC"]    # fewer positives: a slightly worse model
