"""Tests for casestudies.harmful_content: the system behaves as its page says."""

import math

import pytest

from casestudies import harmful_content as hc


def test_world_is_seeded_sorted_memoized_and_rare():
    w = hc.world()
    assert hc.world() is w                                            # memoized
    assert list(w.t) == sorted(w.t)
    posts = sum(w.weight)
    for k, c in enumerate(hc.CLASSES):
        share = sum(1 for v in w.label if v == k) / posts
        assert 0.5 * hc.PREVALENCE[c] < share < 1.5 * hc.PREVALENCE[c]
    assert all(wt == (1.0 if y >= 0 else hc.BENIGN_KEEP) for wt, y in zip(w.weight, w.label))
    assert all(w.meme[i] <= (w.label[i] == 2) for i in range(len(w)))   # memes are hate


def test_window_is_a_time_split_and_names_bad_days():
    train, test = hc.window(0, hc.TRAIN_END), hc.window(hc.TRAIN_END, hc.TEST_END)
    w = hc.world()
    assert max(w.t[i] for i in train) < hc.TRAIN_END <= min(w.t[i] for i in test)
    with pytest.raises(ValueError, match="start < end"):
        hc.window(5, 5)
    with pytest.raises(TypeError, match="start must be a number"):
        hc.window("0", 5)


def test_features_have_the_documented_width_and_kinds():
    n = len(hc.TEXT_DIMS) + len(hc.IMAGE_DIMS) + len(hc.ACCOUNT_DIMS) \
        + len(hc.TEXT_DIMS) * len(hc.IMAGE_DIMS)
    assert len(hc.features(0)) == n
    assert hc.features(0, "text") == list(hc.world().text[0])
    with pytest.raises(ValueError, match="kind must be"):
        hc.features(0, "audio")


def test_detector_probabilities_are_calibrated_on_the_stream_scale():
    det = hc.detector("early")
    w = hc.world()
    idx = hc.window(hc.TRAIN_END, hc.TEST_END)
    p = det.proba(idx)
    weights = [w.weight[i] for i in idx]
    for k, c in enumerate(hc.CLASSES):
        predicted = sum(x * q for x, q in zip(weights, p[c])) / sum(weights)
        observed = sum(x for x, i in zip(weights, idx) if w.label[i] == k) / sum(weights)
        assert 0.5 < predicted / observed < 2.0, c       # the sampling offset is undone
    with pytest.raises(ValueError, match="name must be"):
        hc.detector("huge")
    with pytest.raises(TypeError, match="shared must be"):
        hc.train_detector("early", "yes")


def test_weighted_ap_counts_weights_and_rejects_bad_input():
    assert hc.weighted_ap([1, 0], [0.9, 0.1], [1, 1]) == 1.0
    # one negative above the positive, counted 9 times: precision at the positive is 1/10
    assert math.isclose(hc.weighted_ap([0, 1], [0.9, 0.1], [9, 1]), 0.1)
    with pytest.raises(ValueError, match="no positive"):
        hc.weighted_ap([0, 0], [0.1, 0.2], [1, 1])
    with pytest.raises(ValueError, match="one length"):
        hc.weighted_ap([0, 1], [0.1], [1, 1])


def test_operating_points_meet_their_targets():
    y, s, wt = [1, 1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.6, 0.2, 0.1], [1] * 6
    r = hc.operating_points(y, s, wt, recall=1.0)
    assert r["threshold"] == 0.6 and r["recall"] == 1.0 and math.isclose(r["precision"], 0.75)
    p = hc.operating_points(y, s, wt, precision=1.0)
    assert p["threshold"] == 0.8 and math.isclose(p["recall"], 2 / 3)
    with pytest.raises(ValueError, match="exactly one"):
        hc.operating_points(y, s, wt)
    with pytest.raises(ValueError, match="recall"):
        hc.operating_points(y, s, wt, recall=1.5)


def test_review_queue_uses_its_capacity_in_stream_posts():
    idx = hc.window(14, 15)
    p = hc.detector("early").proba(idx)
    w = hc.world()
    for rank_by in ("probability", "severity", "harm"):
        q = hc.review_queue(idx, p, 15, rank_by)
        assert sum(w.weight[i] for i in q[:-1]) < 15 <= sum(w.weight[i] for i in q) or \
            len(q) == len(idx)
    top = hc.review_queue(idx, p, 1, "severity")[0]          # severity-weighted sum of probabilities
    j = idx.index(top)
    assert sum(p[c][j] * hc.SEVERITY[c] for c in hc.CLASSES) == max(
        sum(p[c][k] * hc.SEVERITY[c] for c in hc.CLASSES) for k in range(len(idx)))
    with pytest.raises(ValueError, match="rank_by"):
        hc.review_queue(idx, p, 15, "views")
    with pytest.raises(ValueError, match="capacity"):
        hc.review_queue(idx, p, 0)


def test_stratified_prevalence_is_close_to_the_truth_on_average():
    w = hc.world()
    idx = hc.window(14, 21)
    p = hc.detector("early").proba(idx)
    score = [max(p[c][j] for c in hc.CLASSES) for j in range(len(idx))]
    truth = sum(w.weight[i] * w.views[i] for i in idx if w.label[i] >= 0) / sum(
        w.weight[i] * w.views[i] for i in idx)
    runs = hc.stratified_prevalence(idx, score, [0.02], [1400, 600], seed=3, repeats=40)
    assert len(runs) == 40
    mean = sum(r["estimate"] for r in runs) / 40
    assert abs(mean - truth) < 0.25 * truth
    assert all(r["ci_low"] < r["estimate"] < r["ci_high"] for r in runs)
    with pytest.raises(ValueError, match="allocation needs 2"):
        hc.stratified_prevalence(idx, score, [0.02], [2000])
    with pytest.raises(ValueError, match="score has"):
        hc.stratified_prevalence(idx, score[:-1], [], [100])


def test_serve_matches_offline_scores_and_times_every_stage():
    w = hc.world()
    det = hc.detector("early")
    i = hc.window(20, 21)[0]
    out = hc.serve(det, {"text": w.text[i], "image": w.image[i], "account": w.account[i]},
                   hc.thresholds())
    offline = det.proba([i])
    assert all(abs(out["p"][c] - offline[c][0]) < 1e-12 for c in hc.CLASSES)
    assert set(out["ms"]) == set(hc.SERVE_STAGES) and out["action"] in ("allow", "review", "remove")
    with pytest.raises(TypeError, match="post must be"):
        hc.serve(det, {"text": w.text[i]}, {})


def test_thresholds_follow_the_policy():
    th = hc.thresholds()
    assert {"remove"} <= set(th["spam"]) and {"review"} <= set(th["hate"])
    assert th["spam"]["precision"] >= 0.9 and th["violence"]["recall"] >= 0.8
