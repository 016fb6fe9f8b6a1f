"""Tests for mlsd.two_tower: it learns, logQ matters, gradients are right, validation."""

import math

import pytest

from mlsd import two_tower as T
from mlsd.data.recsys import make_recsys


@pytest.fixture(scope="module")
def world():
    data = make_recsys(n_users=300, n_items=400, n_events=6000, d=16, n_clusters=8, seed=11)
    clicks = data.interactions()
    train = [(e.user, e.item) for e in clicks if e.t < 16]
    test = [(e.user, e.item) for e in clicks if 16 <= e.t < data.drift_day]
    seen = {}
    for u, i in train:
        seen.setdefault(u, set()).add(i)
    uf, itf = T.feature_tokens(data)
    return data, train, test, seen, uf, itf


def test_training_lowers_loss_and_beats_random(world):
    data, train, test, seen, uf, itf = world
    model = T.TwoTower(seed=1).fit(train, uf, itf, epochs=3)
    assert len(model.history) == 3
    assert model.history[-1] < model.history[0]
    rec = model.hit_rate_at_k(test, 20, exclude=seen)
    random_recall = 20 / len(data.items)
    assert rec > 4 * random_recall
    v = model.user_vector(0)
    assert math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-9)
    assert -1.0 <= model.score(0, 0) <= 1.0


def test_logq_correction_improves_recall(world):
    _, train, test, seen, uf, itf = world
    with_q = T.TwoTower(seed=2, logq=True).fit(train, uf, itf, epochs=2)
    without = T.TwoTower(seed=2, logq=False).fit(train, uf, itf, epochs=2)
    assert with_q.hit_rate_at_k(test, 20, exclude=seen) > without.hit_rate_at_k(test, 20, exclude=seen)


def test_same_seed_same_model(world):
    _, train, _, _, uf, itf = world
    a = T.TwoTower(seed=5).fit(train[:300], uf, itf, epochs=1)
    b = T.TwoTower(seed=5).fit(train[:300], uf, itf, epochs=1)
    assert a.history == b.history and a.user_vector(3) == b.user_vector(3)


def test_hidden_layer_and_hard_negatives_train(world):
    _, train, test, seen, uf, itf = world
    for model in (T.TwoTower(hidden=8, seed=3), T.TwoTower(hard_negatives=1, seed=3)):
        model.fit(train[:800], uf, itf, epochs=2)
        assert all(math.isfinite(x) for x in model.history)
        assert model.history[-1] < model.history[0]


def test_cold_start_user_from_features(world):
    _, train, _, _, uf, itf = world
    model = T.TwoTower(seed=4).fit(train, uf, itf, epochs=1)
    v = model.user_vector(tokens=("user=new", "age=2", "country=1"))
    assert len(v) == 16 and math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-9)
    with pytest.raises(ValueError, match="pass tokens"):
        model.user_vector("stranger")


def _loss(model, batch):
    """The batch loss recomputed from scratch, without any update."""
    U = [model.user_tower.forward(model._users[u])[0] for u, _ in batch]
    V = [model.item_tower.forward(model._items[i])[0] for _, i in batch]
    items = [i for _, i in batch]
    total = 0.0
    for r, u in enumerate(U):
        logits = [sum(a * b for a, b in zip(u, v)) / model.temperature - model._log_q[items[c]]
                  if (c == r or items[c] != items[r]) else -math.inf for c, v in enumerate(V)]
        top = max(logits)
        total -= logits[r] - top - math.log(sum(math.exp(s - top) for s in logits))
    return total / len(batch)


@pytest.mark.parametrize("hidden", [0, 4])
def test_gradient_step_matches_finite_differences(world, hidden):
    """One SGD step moves a token embedding by -lr * gradient: compare with a
    numerical derivative of the batch loss."""
    _, train, _, _, uf, itf = world
    model = T.TwoTower(dim=4, hidden=hidden, lr=1e-3, seed=7).fit(train[:64], uf, itf, epochs=1)
    batch = train[:8]
    token = uf[batch[0][0]][0]
    emb = model.user_tower.emb[token]
    h = 1e-6
    numeric = []
    for c in range(4):
        old = emb[c]
        emb[c] = old + h
        up = _loss(model, batch)
        emb[c] = old - h
        down = _loss(model, batch)
        emb[c] = old
        numeric.append((up - down) / (2 * h))
    before = list(emb)
    model._step(batch, [], 0.0)
    analytic = [(b - a) / model.lr for b, a in zip(before, model.user_tower.emb[token])]
    for a, n in zip(analytic, numeric):
        assert abs(a - n) < 1e-4 * max(1.0, abs(n))


def test_hit_rate_at_k_function():
    users = {"u": [1.0, 0.0]}
    items = {"a": [1.0, 0.0], "b": [0.9, 0.1], "c": [0.0, 1.0]}
    assert T.hit_rate_at_k(users, items, [("u", "a")], 1) == 1.0
    assert T.hit_rate_at_k(users, items, [("u", "b")], 1) == 0.0
    assert T.hit_rate_at_k(users, items, [("u", "b")], 1, exclude={"u": {"a"}}) == 1.0
    assert T.hit_rate_at_k(users, items, [("u", "c"), ("u", "a")], 2) == 0.5
    with pytest.raises(ValueError, match="^k must be <= the number of items"):
        T.hit_rate_at_k(users, items, [("u", "a")], 4)
    with pytest.raises(ValueError, match="has no vector"):
        T.hit_rate_at_k(users, items, [("v", "a")], 1)


def test_validation(world):
    _, train, _, _, uf, itf = world
    with pytest.raises(ValueError, match="^dim must be a positive integer"):
        T.TwoTower(dim=0)
    with pytest.raises(ValueError, match="^temperature must be > 0"):
        T.TwoTower(temperature=0)
    with pytest.raises(TypeError, match="^logq must be True or False"):
        T.TwoTower(logq=1)
    with pytest.raises(ValueError, match="^hard_negatives must be a non-negative"):
        T.TwoTower(hard_negatives=-1)
    m = T.TwoTower()
    with pytest.raises(ValueError, match="not trained"):
        m.user_vector(0)
    with pytest.raises(ValueError, match="^pairs must not be empty"):
        m.fit([], uf, itf)
    with pytest.raises(ValueError, match=r"^pairs\[0\]: user 'x' has no entry"):
        m.fit([("x", 1)], uf, itf)
    with pytest.raises(ValueError, match=r"^pairs\[0\] must be a \(user, item\) pair"):
        m.fit([(1, 2, 3)], uf, itf)
    with pytest.raises(ValueError, match="^batch_size must be >= 2"):
        m.fit(train, uf, itf, batch_size=1)
    with pytest.raises(TypeError, match="^user_features must be a mapping"):
        m.fit(train, [1, 2], itf)
    with pytest.raises(TypeError, match=r"^item_features\[0\] must be a sequence of tokens"):
        m.fit(train, uf, {0: "item=0"})
    with pytest.raises(TypeError, match="^data must be a RecsysData"):
        T.feature_tokens(None)


def test_feature_tokens(world):
    data = world[0]
    uf, itf = T.feature_tokens(data)
    assert uf[0][0] == "user=0" and len(uf) == len(data.users)
    assert itf[5] == ("item=5", f"cat={data.items[5].category}")
    uf2, itf2 = T.feature_tokens(data, ids=False)
    assert not any(t.startswith("user=") for toks in uf2.values() for t in toks)
