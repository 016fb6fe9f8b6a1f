"""Two-tower retrieval model trained with in-batch negatives and logQ correction.

Two small networks map a user and an item to unit vectors ``u`` and ``v`` in
the same space; the model's score is ``u . v``. Because the item tower does
not look at the user, all item vectors can be computed offline and put in an
ANN index (:mod:`mlsd.retrieval`); serving only runs the user tower.

**Towers.** Each user or item is a bag of feature tokens, e.g.
``("user=42", "age=3", "country=1")``. A token has a learned embedding; the
tower averages them (``x``), optionally applies one hidden ReLU layer
(``z = W2 relu(W1 x + b1) + b2``), and normalizes: ``u = z / |z|``. A token
never seen in training has no embedding and is skipped, so a brand-new user is
embedded from their other features (cold start).

**Loss: softmax over the batch.** For a batch of B clicked pairs
``(user_i, item_i)`` every other item in the batch serves as a negative for
user i. With temperature ``tau`` the logits are

    s_ij = u_i . v_j / tau  -  log q_j

and the loss is the cross-entropy of picking the right item,
``L = -(1/B) sum_i log softmax_j(s_ij)[i]``.

**logQ correction.** Popular items appear in batches more often, so in-batch
softmax punishes them as negatives more than a full softmax would. Subtracting
``log q_j`` (``q_j`` = probability that item j is in the batch, estimated from
its frequency in the training pairs) removes that bias (Yi et al., "Sampling-
bias-corrected neural modeling for large corpus item recommendations",
RecSys 2019, https://doi.org/10.1145/3298689.3346996).

**Gradients by hand.** With ``p = softmax(s_i)`` and ``G_ij = (p_ij -
[i = j]) / B``:  ``dL/du_i = sum_j G_ij v_j / tau`` and ``dL/dv_j = sum_i G_ij
u_i / tau``. Through the normalization ``u = z/|z|``: ``dz = (du - u (u.du)) /
|z|``; then through the optional hidden layer and into each token embedding
(its share of the average). Plain SGD updates the parameters.

**Hard negatives (option).** ``hard_negatives=h`` adds, for each user in the
batch, the ``h`` items the model currently scores highest among a random pool
of ``8h`` items (excluding the user's positive). These extra columns are shared
by the whole batch like in-batch negatives and corrected with their pool
probability ``8h / n_items``.
"""

from __future__ import annotations

import heapq
import math
import random
from itertools import repeat
from operator import add, mul, sub

from mlsd.validate import (check_int, check_non_empty, check_non_negative_int, check_positive,
                           check_positive_int)

__all__ = ["TwoTower", "hit_rate_at_k", "feature_tokens"]


def _tokens_map(name: str, mapping) -> dict:
    if not hasattr(mapping, "items"):
        raise TypeError(f"{name} must be a mapping from key to a sequence of tokens, "
                        f"got {type(mapping).__name__}")
    out = {}
    for key, toks in mapping.items():
        if isinstance(toks, (str, bytes)) or not hasattr(toks, "__iter__"):
            raise TypeError(f"{name}[{key!r}] must be a sequence of tokens, got {type(toks).__name__}")
        out[key] = tuple(toks)
    return out


def _sgd_step(W, b, grad, inputs, lr: float) -> None:
    """One SGD step of a dense layer ``out = W inputs + b`` given ``grad = dL/d(out)``:
    ``W[r] -= lr * grad[r] * inputs`` and ``b[r] -= lr * grad[r]`` (rows with no gradient skipped)."""
    for r, g in enumerate(grad):
        if g:
            row = W[r]
            for c, v in enumerate(inputs):
                row[c] -= lr * g * v
            b[r] -= lr * g


class _Tower:
    """Token embeddings -> mean -> [hidden ReLU layer] -> unit vector."""

    def __init__(self, vocab, dim, hidden, rng):
        g = rng.normalvariate
        r = rng.random
        self.dim = dim
        # Uniform in [-0.5, 0.5): cheaper than Gaussian for thousands of ids.
        self.emb = {t: [r() - 0.5 for _ in range(dim)] for t in vocab}
        self.hidden = hidden
        if hidden:
            s1, s2 = math.sqrt(2.0 / dim), math.sqrt(1.0 / hidden)
            self.W1 = [[g(0.0, s1) for _ in range(dim)] for _ in range(hidden)]
            self.b1 = [0.0] * hidden
            self.W2 = [[g(0.0, s2) for _ in range(hidden)] for _ in range(dim)]
            self.b2 = [0.0] * dim

    def forward(self, tokens):
        """Returns (unit vector, cache for backward)."""
        emb = self.emb
        known = [t for t in tokens if t in emb]
        if known:
            x = emb[known[0]]
            for t in known[1:]:
                x = list(map(add, x, emb[t]))    # element-wise sum, looped in C
            n = len(known)
            x = [xi / n for xi in x]
        else:
            x = [0.0] * self.dim
        a = h = None
        if self.hidden:
            a = [sum(map(mul, w, x)) + b for w, b in zip(self.W1, self.b1)]
            h = [ai if ai > 0 else 0.0 for ai in a]
            z = [sum(map(mul, w, h)) + b for w, b in zip(self.W2, self.b2)]
        else:
            z = x
        norm = math.sqrt(sum(map(mul, z, z))) or 1e-12
        return [zi / norm for zi in z], (known, x, a, h, norm)

    def backward(self, out, du, cache, lr):
        """SGD step for one example given dL/d(out)."""
        known, x, a, h, norm = cache
        proj = sum(map(mul, out, du))
        dz = [(g - o * proj) / norm for g, o in zip(du, out)]     # through z/|z|
        if self.hidden:
            dh = [sum(dz[r] * self.W2[r][c] for r in range(len(dz))) for c in range(len(h))]
            da = [g if ai > 0 else 0.0 for g, ai in zip(dh, a)]
            dx = [sum(da[r] * self.W1[r][c] for r in range(len(da))) for c in range(len(x))]
            _sgd_step(self.W2, self.b2, dz, h, lr)
            _sgd_step(self.W1, self.b1, da, x, lr)
        else:
            dx = dz
        if known:
            # each token gets its share of the mean; map() keeps the loop in C
            share = lr / len(known)
            step = [share * g for g in dx]
            for t in known:
                e = self.emb[t]
                e[:] = map(sub, e, step)


class TwoTower:
    """Two-tower model. ``fit(pairs, user_features, item_features)`` then
    ``user_vector(key)`` / ``item_vector(key)`` / ``score(user, item)``.

    ``dim``: output (and token embedding) size. ``hidden``: width of the
    optional hidden layer (0 = linear tower). ``temperature``: softmax ``tau``.
    ``logq``: apply the logQ correction. ``hard_negatives``: mined negatives
    per user per batch (0 = in-batch negatives only).
    """

    def __init__(self, dim: int = 16, hidden: int = 0, temperature: float = 0.1,
                 lr: float = 0.5, logq: bool = True, hard_negatives: int = 0, seed: int = 0):
        self.dim = check_positive_int("dim", dim)
        self.hidden = check_non_negative_int("hidden", hidden)
        self.temperature = check_positive("temperature", temperature)
        self.lr = check_positive("lr", lr)
        if not isinstance(logq, bool):
            raise TypeError(f"logq must be True or False, got {type(logq).__name__}")
        self.logq = logq
        self.hard_negatives = check_non_negative_int("hard_negatives", hard_negatives)
        self.seed = check_int("seed", seed)
        self.history: list[float] = []
        self._users = self._items = None

    # -- training -------------------------------------------------------------
    def fit(self, pairs, user_features, item_features, epochs: int = 2,
            batch_size: int = 16) -> "TwoTower":
        """Train on clicked ``(user, item)`` pairs. ``user_features[user]`` and
        ``item_features[item]`` are sequences of string tokens. Records the mean
        loss of each epoch in ``self.history``. Returns ``self``.

        Cost grows with ``pairs * epochs * batch_size`` (each pair is scored
        against the whole batch): about 0.1 s per 1,000 pairs per epoch in
        CPython at the defaults. Larger batches give more negatives per step
        but fewer steps per epoch; in pure Python 16 is a good trade."""
        pairs = check_non_empty("pairs", pairs)
        users = _tokens_map("user_features", user_features)
        items = _tokens_map("item_features", item_features)
        check_positive_int("epochs", epochs)
        check_positive_int("batch_size", batch_size)
        if batch_size < 2:
            raise ValueError(f"batch_size must be >= 2 (in-batch negatives need company), got {batch_size}")
        for i, p in enumerate(pairs):
            if not isinstance(p, (tuple, list)) or len(p) != 2:
                raise ValueError(f"pairs[{i}] must be a (user, item) pair, got {p!r}")
            if p[0] not in users:
                raise ValueError(f"pairs[{i}]: user {p[0]!r} has no entry in user_features")
            if p[1] not in items:
                raise ValueError(f"pairs[{i}]: item {p[1]!r} has no entry in item_features")
        self._users, self._items = users, items
        rng = random.Random(self.seed)
        # Vocabularies in sorted order so the initial weights do not depend on
        # dict or set iteration order.
        self.user_tower = _Tower(sorted({t for toks in users.values() for t in toks}),
                                 self.dim, self.hidden, rng)
        self.item_tower = _Tower(sorted({t for toks in items.values() for t in toks}),
                                 self.dim, self.hidden, rng)
        # q_j ~ frequency of item j among positives; log(B * freq) is the log
        # probability that j shows up in a batch of B (for small freq).
        counts: dict = {}
        for _, it in pairs:
            counts[it] = counts.get(it, 0) + 1
        self._log_q = {it: math.log(batch_size * c / len(pairs)) for it, c in counts.items()}
        item_keys = sorted(items, key=repr)
        pool_size = 8 * self.hard_negatives
        pool_log_q = math.log(min(1.0, pool_size / len(item_keys))) if pool_size else 0.0

        order = list(pairs)
        self.history = []
        for _ in range(epochs):
            rng.shuffle(order)
            total, batches = 0.0, 0
            for start in range(0, len(order) - 1, batch_size):
                batch = order[start:start + batch_size]
                if len(batch) < 2:
                    continue
                extra = self._mine(batch, item_keys, pool_size, rng) if pool_size else []
                total += self._step(batch, extra, pool_log_q)
                batches += 1
            self.history.append(total / max(1, batches))
        return self

    def _mine(self, batch, item_keys, pool_size, rng):
        """Hard negatives: per user, the top-scoring items of a random pool."""
        pool = [item_keys[rng.randrange(len(item_keys))] for _ in range(pool_size)]
        vecs = [self.item_tower.forward(self._items[it])[0] for it in pool]
        extra = []
        for user, pos in batch:
            u = self.user_tower.forward(self._users[user])[0]
            scores = [sum(map(mul, u, v)) if it != pos else -2.0 for it, v in zip(pool, vecs)]
            extra += [pool[j] for j in heapq.nlargest(self.hard_negatives, range(len(pool)),
                                                      key=scores.__getitem__)]
        return extra

    def _step(self, batch, extra, extra_log_q):
        tau, lr = self.temperature, self.lr
        B = len(batch)
        col_items = [it for _, it in batch] + extra
        U = [self.user_tower.forward(self._users[u]) for u, _ in batch]
        V = [self.item_tower.forward(self._items[it]) for it in col_items]
        shift = ([self._log_q[it] if self.logq else 0.0 for _, it in batch]
                 + [extra_log_q if self.logq else 0.0] * len(extra))
        # A column holding the row's own item again is not a negative: mask it.
        where: dict = {}
        for j, it in enumerate(col_items):
            where.setdefault(it, []).append(j)
        loss = 0.0
        G = []                                    # G_ij = (p_ij - [i=j]) / (B tau)
        v_vecs = [v for v, _ in V]
        inv_tau, scale = 1.0 / tau, 1.0 / (B * tau)
        exp = math.exp
        for i, (u, _) in enumerate(U):
            u_tau = [x * inv_tau for x in u]
            logits = list(map(sub, [sum(map(mul, u_tau, v)) for v in v_vecs], shift))
            for j in where[col_items[i]]:
                if j != i:
                    logits[j] = -math.inf
            top = max(logits)
            exps = list(map(exp, map(sub, logits, repeat(top))))
            z = sum(exps)
            loss -= logits[i] - top - math.log(z)
            row = [e * scale / z for e in exps]
            row[i] -= scale
            G.append(row)
        # dL/du_i = sum_j G_ij v_j / tau ; dL/dv_j = sum_i G_ij u_i / tau  (1/tau is in G)
        v_cols = list(zip(*v_vecs))
        u_cols = list(zip(*(u for u, _ in U)))
        dU = [[sum(map(mul, g, c)) for c in v_cols] for g in G]
        dV = [[sum(map(mul, g, c)) for c in u_cols] for g in zip(*G)]
        for (user, _), (u, cache), du in zip(batch, U, dU):
            self.user_tower.backward(u, du, cache, lr)
        for (v, cache), dv in zip(V, dV):
            self.item_tower.backward(v, dv, cache, lr)
        return loss / B

    # -- inference ------------------------------------------------------------
    def _check_fitted(self):
        if self._users is None:
            raise ValueError("the model is not trained: call fit(...) first")

    def user_vector(self, user=None, tokens=None) -> list[float]:
        """Unit vector of a training user, or of any user given as ``tokens``
        (unknown tokens are skipped: how a new user gets a vector)."""
        self._check_fitted()
        return self.user_tower.forward(self._lookup("user", user, tokens, self._users))[0]

    def item_vector(self, item=None, tokens=None) -> list[float]:
        """Unit vector of a training item, or of any item given as ``tokens``."""
        self._check_fitted()
        return self.item_tower.forward(self._lookup("item", item, tokens, self._items))[0]

    @staticmethod
    def _lookup(name, key, tokens, table):
        if tokens is not None:
            if isinstance(tokens, (str, bytes)) or not hasattr(tokens, "__iter__"):
                raise TypeError(f"tokens must be a sequence of tokens, got {type(tokens).__name__}")
            return tuple(tokens)
        if key not in table:
            raise ValueError(f"{name} {key!r} is unknown: pass tokens=... for a new {name}")
        return table[key]

    def score(self, user, item) -> float:
        """``u . v`` (cosine, in [-1, 1]) for a known user and item."""
        return sum(map(mul, self.user_vector(user), self.item_vector(item)))

    def hit_rate_at_k(self, test_pairs, k: int = 10, items=None, exclude=None,
                      user_features=None, item_features=None) -> float:
        """:func:`hit_rate_at_k` with this model's vectors. ``user_features`` /
        ``item_features`` supply tokens for users/items unseen in training."""
        self._check_fitted()
        uf = {**self._users, **(_tokens_map("user_features", user_features) if user_features else {})}
        itf = {**self._items, **(_tokens_map("item_features", item_features) if item_features else {})}
        items = list(itf) if items is None else list(items)
        for it in items:
            if it not in itf:
                raise ValueError(f"item {it!r} in items has no features")
        test_pairs = check_non_empty("test_pairs", test_pairs)
        users = {u for u, _ in test_pairs}
        for u in users:
            if u not in uf:
                raise ValueError(f"test user {u!r} has no features: pass user_features")
        uvec = {u: self.user_tower.forward(uf[u])[0] for u in users}
        ivec = {it: self.item_tower.forward(itf[it])[0] for it in items}
        return hit_rate_at_k(uvec, ivec, test_pairs, k, exclude)


def hit_rate_at_k(user_vectors, item_vectors, test_pairs, k: int = 10, exclude=None) -> float:
    """Hit rate@k: the share of held-out ``(user, item)`` pairs whose item is in the user's top
    ``k`` by ``u . v`` among all items of ``item_vectors``. ``exclude[user]``
    (e.g. the items the user clicked in training) are removed from the ranking
    first, except the held-out item itself. Works for any embeddings, so a
    baseline (say, the true taste vectors) is scored the same way."""
    from mlsd.retrieval import ExactIndex         # local import keeps this module light

    test_pairs = check_non_empty("test_pairs", test_pairs)
    if not item_vectors:
        raise ValueError("item_vectors must not be empty")
    check_positive_int("k", k)
    if k > len(item_vectors):
        raise ValueError(f"k must be <= the number of items ({len(item_vectors)}), got {k}")
    keys = list(item_vectors)
    index = ExactIndex().build([item_vectors[it] for it in keys], ids=keys)
    exclude = exclude or {}
    cache: dict = {}
    hits = 0
    for i, pair in enumerate(test_pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"test_pairs[{i}] must be a (user, item) pair, got {pair!r}")
        user, item = pair
        if user not in user_vectors:
            raise ValueError(f"test_pairs[{i}]: user {user!r} has no vector")
        if item not in item_vectors:
            raise ValueError(f"test_pairs[{i}]: item {item!r} has no vector")
        if user not in cache:
            seen = set(exclude.get(user, ()))
            ranked = index.search(user_vectors[user], min(len(keys), k + len(seen)))
            cache[user] = (ranked, seen)
        ranked, seen = cache[user]
        top = [it for it, _ in ranked if it == item or it not in seen][:k]
        hits += item in top
    return hits / len(test_pairs)


def feature_tokens(data, ids: bool = True) -> tuple[dict, dict]:
    """Token bags for the users and items of a :class:`mlsd.data.recsys.RecsysData`:
    users ``("user=ID", "age=A", "country=C")``, items ``("item=ID", "cat=K")``.
    ``ids=False`` leaves out the id tokens (content features only)."""
    from mlsd.data.recsys import RecsysData

    if not isinstance(data, RecsysData):
        raise TypeError(f"data must be a RecsysData, got {type(data).__name__}")
    users = {u.id: ((f"user={u.id}",) if ids else ()) + (f"age={u.age_bucket}", f"country={u.country}")
             for u in data.users}
    items = {it.id: ((f"item={it.id}",) if ids else ()) + (f"cat={it.category}",)
             for it in data.items}
    return users, items
