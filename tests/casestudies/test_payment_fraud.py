"""Tests for casestudies.payment_fraud: the case study's system behaves as its page says."""

import math
import random

import pytest

from casestudies import payment_fraud as pf


def test_world_is_seeded_sorted_memoized_and_rare():
    w = pf.world()
    assert pf.world() is w                                          # memoized
    assert list(w.t) == sorted(w.t) and len(w) == len(w.fraud) == len(w.chargeback_at)
    assert 0.001 < sum(w.fraud) / len(w) < 0.005                    # a fraction of a per cent
    pf.world.cache_clear()
    assert pf.world().fraud == w.fraud                              # seeded: same data again


def test_chargebacks_come_after_the_payment_and_only_for_fraud():
    w = pf.world()
    for t, fraud, cb in zip(w.t, w.fraud, w.chargeback_at):
        if fraud:
            assert t + 3.0 <= cb <= t + 120.0
        else:
            assert cb == math.inf


def test_known_labels_follow_the_chargeback_date():
    w = pf.world()
    frauds = [i for i in range(len(w)) if w.fraud[i]][:20]
    for i in frauds:
        cb = w.chargeback_at[i]
        assert pf.known_labels([i], cb) == [1]
        assert pf.known_labels([i], cb - 1e-6) == [0]


def test_window_is_a_time_slice():
    idx = pf.window(10.0, 12.0)
    t = pf.world().t
    assert idx and all(10.0 <= t[i] < 12.0 for i in idx)
    assert idx == list(range(idx[0], idx[-1] + 1))
    with pytest.raises(ValueError, match="end must be after start"):
        pf.window(5.0, 5.0)
    with pytest.raises(TypeError, match="start must be a number"):
        pf.window("5", 6.0)


def test_features_only_look_back():
    """Each velocity count equals a brute-force count over earlier payments."""
    w, X = pf.world(), pf.features()
    col = {n: j for j, n in enumerate(pf.FEATURES)}
    for i in range(20_000, 20_400):
        t, card, device = w.t[i], w.card[i], w.device[i]
        earlier = range(i - 1, -1, -1)
        card_24h = card_1h = 0
        others = set()
        for j in earlier:
            if w.t[j] <= t - 1.0:
                break
            if w.card[j] == card:
                card_24h += 1
                card_1h += w.t[j] > t - pf.HOUR
            if w.device[j] == device and w.card[j] != card:
                others.add(w.card[j])
        assert X[i][col["card_tx_24h"]] == card_24h
        assert X[i][col["card_tx_1h"]] == card_1h
        assert X[i][col["device_cards_24h"]] == len(others)


def test_online_state_reproduces_the_backfill():
    X = pf.features()
    idx, rows = pf.stream_features(30)
    assert len(idx) == len(rows) > 500
    for i, row in zip(idx, rows):
        assert row == pytest.approx(X[i], abs=1e-9)


def test_recalibration_undoes_downsampling():
    # a model trained on 5 % of the negatives sees odds 20x too high
    assert pf.recalibrate(0.5, keep=0.05) == pytest.approx(0.05 / 1.05)
    assert pf.recalibrate(0.0) == 0.0 and pf.recalibrate(1.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="q must be"):
        pf.recalibrate(1.5)


def test_decisions_follow_expected_cost():
    assert pf.decide(0.0, 100.0) == "approve"
    assert pf.decide(0.99, 100.0) == "block"
    costs = pf.expected_costs(0.1, 200.0)
    assert costs["approve"] == pytest.approx(0.1 * 215.0)
    # a middling probability on a large payment is worth an analyst's look, if one is free
    assert pf.decide(0.1, 1000.0) == "review"
    assert pf.decide(0.1, 1000.0, review_open=False) in ("approve", "block")
    with pytest.raises(ValueError, match="p must be"):
        pf.decide(-0.1, 10.0)
    with pytest.raises(ValueError, match="amount must be"):
        pf.expected_costs(0.1, -5.0)


def test_policy_cost_respects_the_queue_and_adds_up():
    idx = pf.window(56.0, 63.0)
    r = pf.policy_cost(idx, [0.1] * len(idx), reviews_per_day=2)
    assert r["reviews"] <= 2 * 7
    assert r["total_cost"] == pytest.approx(r["fraud_loss"] + r["block_cost"] + r["review_cost"])
    assert math.fsum(r["costs"]) == pytest.approx(r["total_cost"])
    rules_only = pf.policy_cost(idx)
    assert rules_only["reviews"] == 0
    with pytest.raises(ValueError, match="one value per payment"):
        pf.policy_cost(idx, [0.1])
    with pytest.raises(ValueError, match="reviews_per_day"):
        pf.policy_cost(idx, [0.1] * len(idx), reviews_per_day=-1)


def test_train_model_checks_its_arguments():
    with pytest.raises(ValueError, match="kind must be one of"):
        pf.train_model("forest")
    with pytest.raises(ValueError, match="end must be a day"):
        pf.train_model("incumbent", end=10.0)
    with pytest.raises(ValueError, match="start must be on or after"):
        pf.train_model("incumbent", start=2.0)
    with pytest.raises(ValueError, match="too few to train"):
        pf.train_model("incumbent", end=20.0, labels_on=20.0)


def test_challenger_beats_incumbent_where_it_matters():
    from mlsd import metrics
    w = pf.world()
    idx, p_inc = pf.scores("incumbent")
    _, p_ch = pf.scores("challenger")
    y = [w.fraud[i] for i in idx]
    assert metrics.average_precision(y, p_ch) > metrics.average_precision(y, p_inc)


def test_serve_times_every_stage_and_checks_the_payment():
    state = pf.online_state(40)
    model = pf.trained("challenger")
    out = pf.serve(state, model, {"t": 40.5, "card": 1, "device": 1, "category": 0,
                                  "amount": 30.0, "foreign": 0})
    assert out["action"] in ("approve", "review", "block")
    assert set(out["ms"]) == set(pf.SERVE_STAGES) and all(v >= 0 for v in out["ms"].values())
    with pytest.raises(ValueError, match="missing"):
        pf.serve(state, model, {"t": 40.6})
    with pytest.raises(ValueError, match="amount"):
        pf.serve(state, model, {"t": 40.7, "card": 1, "device": 1, "category": 0,
                                "amount": 0.0, "foreign": 0})
    with pytest.raises(TypeError, match="day must be an integer"):
        pf.online_state(40.5)


def test_cents_equals_round_to_two_digits():
    """world() rounds amounts with _cents (faster in Pyodide): the same numbers as round(x, 2)."""
    rng = random.Random(3)
    amounts = [45.0 * math.exp(rng.gauss(0.0, 0.6)) * math.exp(rng.gauss(0.0, 1.0))
               for _ in range(200_000)] + [rng.uniform(1, 5) for _ in range(20_000)]
    amounts += [3000.0, 2500.0, 480.0, 1.0, 5.0, 0.0, 1e16, -2.345, math.inf]
    # Half cents, where adding 0.5 and truncating would disagree with round()'s ties-to-even on
    # the exact binary value (0.015 is stored just below 0.015, so round() gives 0.01).
    amounts += [(k + 0.5) / 100 for k in range(300_000)]
    amounts += [math.nextafter(a, d) for a in amounts[-1000:] for d in (0.0, math.inf)]
    for a in amounts:
        assert pf._cents(a) == round(a, 2), a


def _features_with_queues():
    """The straightforward backfill: a queue of the last 24 hours per card and per device."""
    w = pf.world()
    cards, device_q, out = {}, {}, []
    for t, card, device, amount, category, foreign in zip(w.t, w.card, w.device, w.amount,
                                                          w.category, w.foreign):
        day_ago, hour_ago, day = t - 1.0, t - pf.HOUR, int(t)
        if card not in cards:
            cards[card] = [], set(), [0.0, 0, day, 0.0, 0]
        cq, devices, p = cards[card]
        while cq and cq[0][0] <= day_ago:
            del cq[0]
        dq = device_q.setdefault(device, [])
        while dq and dq[0][0] <= day_ago:
            del dq[0]
        card_amount = 0
        for _, a in cq:
            card_amount += a
        if day > p[2]:
            p[0], p[1], p[2], p[3], p[4] = p[0] + p[3], p[1] + p[4], day, 0.0, 0
        out.append((math.log(amount), category, foreign, (t - day) * 24.0,
                    0 if device in devices else 1, amount * p[1] / p[0] if p[1] else 1.0,
                    sum(1 for e in cq if e[0] > hour_ago), len(cq), card_amount,
                    sum(1 for e in dq if e[0] > hour_ago),
                    len({c for _, c in dq if c != card}) if dq else 0))
        p[3] += amount
        p[4] += 1
        cq.append((t, amount))
        dq.append((t, card))
        devices.add(device)
    return tuple(out)


def test_features_walk_back_equals_per_key_queues():
    """The backfill's links to each key's previous payment give exactly (same numbers, same
    types, same float additions) what queues of the last 24 hours give."""
    assert repr(pf.features()) == repr(_features_with_queues())


def test_training_rows_keep_every_fraud_and_a_seeded_sample():
    indices, labels = pf.training_rows(pf.WARMUP, pf.TRAIN_END)
    passed = pf.passed(pf.WARMUP, pf.TRAIN_END)
    truth = pf.world().fraud
    assert labels == [truth[i] for i in indices] and set(indices) <= set(passed)
    assert sum(labels) == sum(truth[i] for i in passed)            # every fraud is kept
    rng = random.Random(0)                                          # one draw per negative
    expected = [i for i in passed if truth[i] or rng.random() < pf.KEEP_LEGIT]
    assert indices == expected
