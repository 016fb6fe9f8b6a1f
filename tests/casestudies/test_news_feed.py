"""Tests for casestudies.news_feed: the world, the features, the ranker, the feed and the tests."""

import math
import random

import pytest

from casestudies import news_feed as nf
from mlsd.ranking.multitask import MultiTaskLogistic


def test_world_is_seeded_sized_and_memoized():
    data = nf.world()
    assert len(data.users) == nf.WORLD["n_users"] and len(data.authors) == nf.WORLD["n_authors"]
    assert nf.world() is data
    assert list(data.created) == sorted(data.created)
    assert all(p.id == i for i, p in enumerate(data.posts))
    times = [e.t for e in data.impressions]
    assert times == sorted(times)
    assert all(0 <= e.position < nf.FEED_SIZE for e in data.impressions)
    assert all(len(e.labels) == len(nf.TASKS) for e in data.impressions)


def test_base_rates_are_a_feeds():
    r = nf.rates(nf.TRAIN_START, nf.TRAIN_END)
    assert 0.01 < r["click"] < 0.05
    assert r["comment"] < 0.01 and r["share"] < 0.01 and r["hide"] < r["comment"]


def test_unexamined_impressions_have_no_labels_and_posts_are_live():
    data = nf.world()
    for e in data.impressions[:2000]:
        p = data.posts[e.post]
        assert e.t - nf.LIVE_DAYS <= p.created < e.t


def test_true_probabilities_follow_the_story():
    data = nf.world()
    u = 0
    fav = data.users[u].favourites[0]
    other = next(k for k in range(nf.WORLD["n_topics"]) if k not in data.users[u].favourites)
    on = next(p for p in data.posts if p.topic == fav and not p.clickbait and not p.borderline)
    off = next(p for p in data.posts if p.topic == other and not p.clickbait and not p.borderline)
    t = max(on.created, off.created) + 0.5
    a, b = nf.true_probabilities(u, on.id, t), nf.true_probabilities(u, off.id, t)
    assert a["like"] > b["like"]                    # interest drives engagement
    later = nf.true_probabilities(u, on.id, t + 1.0)
    assert later["click"] < nf.true_probabilities(u, on.id, t)["click"]   # posts go stale
    assert nf.examine_probability(0) == 1.0 > nf.examine_probability(5)
    with pytest.raises(ValueError, match="t must not be before"):
        nf.true_probabilities(u, on.id, on.created - 1)
    with pytest.raises(ValueError, match="user must be in"):
        nf.true_probabilities(10**6, on.id, t)
    with pytest.raises(TypeError, match="post must be an integer"):
        nf.true_probabilities(u, "x", t)
    with pytest.raises(ValueError, match="position"):
        nf.examine_probability(-1)


def test_features_are_point_in_time():
    X, Y, w = nf.training_rows()
    assert len(X[0]) == len(nf.FEATURES)
    assert set(w) == {1.0, 1 / nf.NEG_KEEP}
    for row, weight, *labels in zip(X, w, *Y.values()):
        assert (weight == 1.0) == any(labels)
    age = nf.FEATURES.index("age_days")            # post age at the impression, as at serving
    assert all(0 <= row[age] <= nf.LIVE_DAYS for row in X + nf.test_rows()[0])
    state = nf.snapshot()
    data = nf.world()
    row = nf.feature_row(state, 0, data.posts[-1].id, float(nf.WORLD["days"]), position=3)
    assert row[nf.POSITION] == pytest.approx(math.log1p(3))
    assert sum(row[-nf.WORLD["n_topics"]:]) == 1.0


def test_ranker_learns_position_and_is_calibrated():
    model = nf.ranker()
    assert isinstance(model, MultiTaskLogistic) and model.shared
    w = model.effective_weights()
    assert w["click"][nf.POSITION] < 0              # lower slots, fewer clicks
    Xt, Yt, _ = nf.test_rows()
    p = model.predict_proba(Xt)
    for task in ("click", "like", "dwell"):
        assert 0.7 < sum(p[task]) / sum(Yt[task]) < 1.4
    with pytest.raises(TypeError):
        nf.ranker(shared="yes")


def test_value_model():
    probs = {"click": [0.1, 0.2], "hide": [0.0, 0.01]}
    assert nf.value(probs, {"click": 1.0, "hide": -40.0}) == pytest.approx([0.1, -0.2])
    with pytest.raises(ValueError, match="unknown task"):
        nf.value(probs, {"clicks": 1.0})
    with pytest.raises(ValueError, match="no 'like' predictions"):
        nf.value(probs, {"like": 1.0})
    with pytest.raises(TypeError, match="weights"):
        nf.value(probs, [1.0])


def test_candidates_and_feed_rules():
    data = nf.world()
    user = 7
    inn = nf.candidates(user, out_of_network=0)
    both = nf.candidates(user)
    assert set(inn) <= set(both) and len(both) > len(inn)
    assert all(data.posts[i].author in data.users[user].follows for i in inn)
    assert all(nf.NOW - nf.LIVE_DAYS <= data.posts[i].created < nf.NOW for i in both)
    ranked = nf.rank(user, both)
    assert [v for _, v in ranked] == sorted((v for _, v in ranked), reverse=True)
    feed = nf.rerank(ranked, **nf.RERANK)
    assert len(feed) == nf.FEED_SIZE
    authors = [data.posts[i].author for i, _ in feed]
    topics = [data.posts[i].topic for i, _ in feed]
    assert max(authors.count(a) for a in authors) <= nf.RERANK["author_cap"]
    assert max(topics.count(t) for t in topics) <= nf.RERANK["topic_cap"]
    assert all(data.posts[i].integrity <= nf.RERANK["remove_above"] for i, _ in feed)
    # demotion never lifts a post with a negative value
    neg = [(i, -1.0) for i, _ in ranked[:3]]
    assert all(v <= -1.0 for _, v in nf.rerank(neg, demote=0.5))
    for bad, err in ((dict(k=0), ValueError), (dict(demote=1.0), ValueError),
                     (dict(half_life_days=0), ValueError), (dict(author_cap=0), ValueError),
                     (dict(topic_cap=1.5), TypeError)):
        with pytest.raises(err):
            nf.rerank(ranked, **bad)
    with pytest.raises(ValueError, match="out_of_network"):
        nf.candidates(user, out_of_network=-1)


def test_ideal_posts_are_live_and_best():
    data = nf.world()
    best = nf.ideal_posts(3, 5)
    assert len(best) == 5
    likes = [nf.true_probabilities(3, i, nf.NOW)["like"] for i in best]
    assert likes == sorted(likes, reverse=True)


def test_serve_times_each_stage():
    feed, timing = nf.serve(11)
    assert len(feed) == nf.FEED_SIZE
    assert set(nf.STAGES) <= set(timing) and timing["n_candidates"] > nf.FEED_SIZE
    assert timing["total"] == pytest.approx(sum(timing[s] for s in nf.STAGES), rel=1e-6, abs=1e-6)
    assert feed == nf.feeds(nf.ranker(), [11])[11]
    with pytest.raises(TypeError, match="clock"):
        nf.serve(11, clock=1)


def test_simulate_ab_and_cuped():
    users = list(range(40))
    a = nf.feeds(nf.incumbent_ranker(), users[:20], nf.INCUMBENT_WEIGHTS)
    b = nf.feeds(nf.ranker(), users[20:])
    res = nf.simulate_ab(a, b, days=14, seed=3)
    assert set(res) == {"A", "B"} and set(res["A"]) == set(users[:20])
    r = res["B"][20]
    assert 0 <= r["sessions"] <= 14 and r["active_last_week"] in (0, 1)
    assert nf.simulate_ab(a, b, days=14, seed=3) == res
    with pytest.raises(ValueError, match="one arm only"):
        nf.simulate_ab(a, a)
    y = [1.0, 2.0, 3.0, 4.0]
    adj = nf.cuped(y, [1.0, 2.0, 3.0, 4.0])
    assert adj == pytest.approx([2.5] * 4)          # a perfect covariate removes all variance
    with pytest.raises(ValueError, match="constant"):
        nf.cuped(y, [1.0] * 4)
    with pytest.raises(ValueError, match="same length"):
        nf.cuped(y, [1.0])


def test_expected_auc_matches_auc_on_hard_labels_and_is_exact():
    rng = random.Random(0)
    scores = [rng.random() for _ in range(200)]
    labels = [float(rng.random() < s) for s in scores]
    from mlsd import metrics
    assert nf.expected_auc(scores, labels) == pytest.approx(metrics.roc_auc(labels, scores))
    # with soft labels: the mean AUC over many draws of the labels
    truth = [0.2 + 0.6 * s for s in scores]
    draws = []
    for _ in range(300):
        y = [int(rng.random() < q) for q in truth]
        draws.append(metrics.roc_auc(y, scores))
    assert nf.expected_auc(scores, truth) == pytest.approx(sum(draws) / len(draws), abs=0.01)
    with pytest.raises(ValueError, match="probabilities"):
        nf.expected_auc([1.0, 2.0], [0.5, 1.5])


def test_topic_mix_sees_the_surge():
    before = nf.topic_mix(nf.TRAIN_START, nf.TRAIN_END)
    after = nf.topic_mix(nf.SURGE_DAY + 1, nf.SURGE_DAY + 2)
    share = lambda xs: xs.count(nf.SURGE_TOPIC) / len(xs)
    assert share(after) > 2 * share(before)
    with pytest.raises(ValueError, match="no impressions"):
        nf.rates(100.0, 101.0)



def _plain_rerank(ranked, t, k=nf.FEED_SIZE, half_life_days=None, demote=None, remove_above=None,
                  author_cap=None, topic_cap=None):
    """rerank() as its docstring states it: adjust each value, sort by (-value, post), fill."""
    posts, adjusted = nf.world().posts, []
    for post, v in ranked:
        p = posts[post]
        if remove_above is not None and p.integrity > remove_above:
            continue
        m = 1.0
        if half_life_days is not None:
            m *= 0.5 ** (max(t - p.created, 0.0) / half_life_days)
        if demote is not None:
            m *= 1.0 - demote * p.integrity
        adjusted.append((post, v * m if v > 0 else v / m))
    adjusted.sort(key=lambda pv: (-pv[1], pv[0]))
    feed, per_author, per_topic = [], {}, {}
    for post, v in adjusted:
        p = posts[post]
        if author_cap is not None and per_author.get(p.author, 0) >= author_cap:
            continue
        if topic_cap is not None and per_topic.get(p.topic, 0) >= topic_cap:
            continue
        feed.append((post, v))
        per_author[p.author] = per_author.get(p.author, 0) + 1
        per_topic[p.topic] = per_topic.get(p.topic, 0) + 1
        if len(feed) == k:
            break
    return feed


def test_rerank_equals_the_plain_rules():
    model = nf.ranker()
    half = {"half_life_days": 1.0, "author_cap": 1}
    for user in (0, 11, 512):
        posts = nf.candidates(user)
        vals = nf.value(nf.predict(model, nf.candidate_rows(user, posts)))
        vals = [v if j % 5 else -abs(v) for j, v in enumerate(vals)]     # negative values too
        ranked = list(zip(posts, vals))
        for rules in (nf.RERANK, {}, half, dict(nf.RERANK, k=40)):
            assert nf.rerank(ranked, nf.NOW, **rules) == _plain_rerank(ranked, nf.NOW, **rules)

def test_feeds_batch_equals_one_user_at_a_time():
    """feeds() predicts every user's rows in one call; per user it must give the same feed as
    candidates -> rows -> heads -> value -> rerank, and the value model the plain sum."""
    model, users = nf.ranker(), [3, 50, 7, 3]
    for rules in (nf.RERANK, None):
        got = nf.feeds(model, users, rules=rules)
        for user in users:
            posts = nf.candidates(user)
            vals = nf.value(nf.predict(model, nf.candidate_rows(user, posts)))
            if rules is None:
                ranked = sorted(zip(posts, vals), key=lambda pv: (-pv[1], pv[0]))
                assert got[user] == [i for i, _ in ranked[:nf.FEED_SIZE]]
            else:
                assert got[user] == [i for i, _ in nf.rerank(zip(posts, vals), nf.NOW, **rules)]
    probs = {"click": [0.1, 0.2], "hide": [0.01, 0.03]}
    weights = {"click": 1.0, "hide": -40.0}
    assert nf.value(probs, weights) == [0.0 + 1.0 * 0.1 + -40.0 * 0.01, 0.0 + 1.0 * 0.2 + -40.0 * 0.03]
    assert nf.feeds(model, []) == {}
