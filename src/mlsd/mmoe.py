"""Multi-gate mixture of experts (MMoE), with shared-bottom and position-tower variants.

A ranker that predicts several engagements (click, long watch, like) for one (user, item)
pair can share what it learns between them. The network here has three parts::

    experts   a_e = relu(W_e x + c_e)                 e = 1..E, each a vector of H units
    gates     g_k = softmax(G_k x)                    one gate per task k, E weights summing to 1
    towers    z_k = b_k + u_k . (sum_e g_ke a_e)      p_k = sigmoid(z_k)

- **Shared bottom** is the special case ``n_experts=1``: the gate is always 1, every task reads
  the same hidden layer (hard parameter sharing, Caruana 1997).
- **MMoE** (Ma et al., KDD 2018) uses several experts and lets each task mix them with its own
  input-dependent gate. Tasks that need the same features can share experts; tasks that pull
  the hidden units in different directions can settle on different experts, so one task's
  gradient no longer overwrites what the other needs.
- **One model per task** is a shared-bottom model trained with a single task.

The towers here are one linear layer (a logistic head), to keep the cost low; production towers
are small MLPs.

**Position tower** (the "shallow tower" of Zhao et al., RecSys 2019). Logged engagement depends on
where an item was shown as well as on the item. If ``fit`` gets ``positions``, every task also
learns one offset per position, added to the logit in training only::

    z_k = b_k + u_k . m_k + t_k[position]

At serving the offset is left out (or a fixed position is used), so the main network is scored
as if every item were shown in the same place and the position effect does not leak into the
ranking.

Training minimises the sum of the tasks' log losses by SGD, one row per step, with
``e_k = p_k - y_k``::

    b_k -= lr e_k      u_k -= lr (e_k m_k + l2 u_k)      t_k[pos] -= lr e_k
    d a_e = sum_k g_ke e_k u_k           d g_ke = e_k u_k . a_e
    G_ke -= lr (g_ke (d g_ke - sum_j g_kj d g_kj) x + l2 G_ke)   (softmax gradient)
    W_e  -= lr ((d a_e * [W_e x + c_e > 0]) x^T + l2 W_e)      c_e likewise without the x

One step costs ``O(E H d + K E d)`` for ``d`` inputs and ``K`` tasks.

References: Caruana, "Multitask Learning", Machine Learning 28 (1997),
https://doi.org/10.1023/A:1007379606734; Ma et al., "Modeling Task Relationships in Multi-task
Learning with Multi-gate Mixture-of-Experts", KDD 2018, https://doi.org/10.1145/3219819.3220007;
Zhao et al., "Recommending What Video to Watch Next: A Multitask Ranking System", RecSys 2019,
https://doi.org/10.1145/3298689.3346997.
"""

from __future__ import annotations

import math
import random
from operator import mul

from mlsd.ranking.base import check_sgd_params
from mlsd.validate import check_int, check_matrix, check_non_negative_int, check_positive_int

__all__ = ["MMoE", "three_ways"]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class MMoE:
    """Experts, one softmax gate and one logistic tower per task (see the module doc).

    :param tasks: task names, in the order of the towers.
    :param n_experts: number of experts ``E``; 1 gives a shared-bottom network.
    :param expert_units: hidden units ``H`` per expert.
    :param n_positions: size of the position tower (0: none); positions are 0-based.
    :param learning_rate: SGD step, decayed as ``learning_rate / sqrt(1 + epoch)``.
    :param l2: L2 penalty on every weight except the biases and position offsets.
    :param epochs: passes over the data.
    :param seed: seeds the initial weights and the shuffling.
    """

    def __init__(self, tasks, *, n_experts: int = 3, expert_units: int = 4, n_positions: int = 0,
                 learning_rate: float = 0.05, l2: float = 1e-4, epochs: int = 3, seed: int = 0):
        if isinstance(tasks, (str, bytes)) or not hasattr(tasks, "__iter__"):
            raise TypeError(f"tasks must be a list of names, got {type(tasks).__name__}")
        self.tasks = tuple(tasks)
        if not self.tasks:
            raise ValueError("tasks is empty: give at least one task name")
        if len(set(self.tasks)) != len(self.tasks):
            raise ValueError(f"tasks must be distinct, got {list(self.tasks)}")
        self.n_experts = check_positive_int("n_experts", n_experts)
        self.expert_units = check_positive_int("expert_units", expert_units)
        self.n_positions = check_non_negative_int("n_positions", n_positions)
        self.learning_rate, self.l2, self.epochs, self.seed = check_sgd_params(
            learning_rate, l2, epochs, seed)
        self.width: int | None = None

    # --- input checks ------------------------------------------------------------------------
    def _labels(self, Y, n: int) -> list[list[int]]:
        if not hasattr(Y, "keys"):
            raise TypeError(f"Y must be a dict of task -> 0/1 labels, got {type(Y).__name__}")
        missing = [t for t in self.tasks if t not in Y]
        if missing:
            raise ValueError(f"Y has no labels for task(s) {missing}")
        out = []
        for t in self.tasks:
            ys = list(Y[t])
            if len(ys) != n:
                raise ValueError(f"Y[{t!r}] has {len(ys)} labels but X has {n} rows")
            for i, y in enumerate(ys):
                if y not in (0, 1):
                    raise ValueError(f"Y[{t!r}][{i}] must be 0 or 1, got {y!r}")
            out.append([int(y) for y in ys])
        return out

    def _positions(self, positions, n: int) -> list[int]:
        if self.n_positions == 0:
            raise ValueError("positions given but n_positions is 0: set n_positions to use a position tower")
        if isinstance(positions, (str, bytes)) or not hasattr(positions, "__len__"):
            raise TypeError(f"positions must be a list of integers, got {type(positions).__name__}")
        if len(positions) != n:
            raise ValueError(f"positions has {len(positions)} values but X has {n} rows")
        for i, p in enumerate(positions):
            check_int(f"positions[{i}]", p)
            if not 0 <= p < self.n_positions:
                raise ValueError(f"positions[{i}] must be in [0, {self.n_positions}), got {p}")
        return list(positions)

    # --- training ----------------------------------------------------------------------------
    def fit(self, X, Y, positions=None) -> "MMoE":
        """Train on dense rows ``X``, ``Y = {task: 0/1 labels}`` and optional logged ``positions``."""
        X = check_matrix("X", X)
        n, d = len(X), len(X[0])
        labels = self._labels(Y, n)
        pos = self._positions(positions, n) if positions is not None else None
        E, H, K = self.n_experts, self.expert_units, len(self.tasks)
        rng = random.Random(self.seed)
        scale = 1.0 / math.sqrt(d)
        W = [[[rng.gauss(0.0, scale) for _ in range(d)] for _ in range(H)] for _ in range(E)]
        c = [[0.1] * H for _ in range(E)]
        G = [[[0.0] * d for _ in range(E)] for _ in range(K)]
        U = [[rng.gauss(0.0, 0.1) for _ in range(H)] for _ in range(K)]
        b = []
        for ys in labels:
            rate = min(max(sum(ys) / n, 1e-6), 1 - 1e-6)
            b.append(math.log(rate / (1 - rate)))
        T = [[0.0] * self.n_positions for _ in range(K)]
        rows = list(zip(X, zip(*labels), pos if pos is not None else [None] * n))
        experts, tasks_k, units = range(E), range(K), range(H)
        for epoch in range(self.epochs):
            rng.shuffle(rows)
            lr = self.learning_rate / math.sqrt(1 + epoch)
            keep = 1.0 - lr * self.l2
            for x, ys, p_i in rows:
                pre = [[ce + sum(map(mul, w, x)) for w, ce in zip(We, Ce)] for We, Ce in zip(W, c)]
                act = [[v if v > 0 else 0.0 for v in pe] for pe in pre]
                grad_a = [[0.0] * H for _ in experts]
                for k in tasks_k:
                    Uk = U[k]
                    if E > 1:
                        s = [sum(map(mul, g, x)) for g in G[k]]
                        top = max(s)
                        ex = [math.exp(v - top) for v in s]
                        tot = sum(ex)
                        g = [v / tot for v in ex]
                        m = [sum(g[e] * act[e][h] for e in experts) for h in units]
                    else:
                        g, m = (1.0,), act[0]
                    z = b[k] + sum(map(mul, Uk, m))
                    if p_i is not None:
                        z += T[k][p_i]
                    err = _sigmoid(z) - ys[k]
                    if E > 1:      # gate gradient through the softmax, before u_k moves
                        dg = [err * sum(map(mul, Uk, act[e])) for e in experts]
                        mean = sum(map(mul, g, dg))
                        for e in experts:
                            step = lr * g[e] * (dg[e] - mean)
                            if step:
                                Gke = G[k][e]
                                G[k][e] = [gw * keep - step * xv for gw, xv in zip(Gke, x)]
                    for e in experts:
                        ge = g[e] * err
                        if ge:
                            ga = grad_a[e]
                            for h in units:
                                ga[h] += ge * Uk[h]
                    U[k] = [u * keep - lr * err * mh for u, mh in zip(Uk, m)]
                    b[k] -= lr * err
                    if p_i is not None:
                        T[k][p_i] -= lr * err
                for e in experts:
                    We, Ce, pe, ga = W[e], c[e], pre[e], grad_a[e]
                    for h in units:
                        if pe[h] > 0 and ga[h]:
                            step = lr * ga[h]
                            We[h] = [w * keep - step * xv for w, xv in zip(We[h], x)]
                            Ce[h] -= step
            if not all(map(math.isfinite, b)):
                raise ValueError(f"training diverged in epoch {epoch + 1}: lower learning_rate "
                                 f"(got {self.learning_rate}) or scale the features")
        self.W, self.c, self.G, self.U, self.bias, self.position_offsets = W, c, G, U, b, T
        self.width = d
        return self

    def n_parameters(self) -> int:
        """Weights and biases: experts ``E H (d + 1)``, gates ``K E d`` (none when ``E = 1``: the
        gate is always 1), towers ``K (H + 1)``; position offsets not counted (unused at serving)."""
        self._check_fitted()
        E, H, K, d = self.n_experts, self.expert_units, len(self.tasks), self.width
        return E * H * (d + 1) + (K * E * d if E > 1 else 0) + K * (H + 1)

    # --- prediction --------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if self.width is None:
            raise ValueError("call fit() before predicting")

    def _forward(self, X):
        """Yield ``(gates per task, logit per task)`` for each row, without position offsets."""
        self._check_fitted()
        X = check_matrix("X", X, self.width)
        E = self.n_experts
        for x in X:
            act = [[max(0.0, ce + sum(map(mul, w, x))) for w, ce in zip(We, Ce)]
                   for We, Ce in zip(self.W, self.c)]
            gates, logits = [], []
            for k in range(len(self.tasks)):
                if E > 1:
                    s = [sum(map(mul, g, x)) for g in self.G[k]]
                    top = max(s)
                    ex = [math.exp(v - top) for v in s]
                    tot = sum(ex)
                    g = [v / tot for v in ex]
                    m = [sum(g[e] * act[e][h] for e in range(E)) for h in range(self.expert_units)]
                else:
                    g, m = [1.0], act[0]
                gates.append(g)
                logits.append(self.bias[k] + sum(map(mul, self.U[k], m)))
            yield gates, logits

    def decision_function(self, X, position: int | None = None) -> dict:
        """``{task: [logit per row]}``; with ``position``, that position's learned offset is added."""
        if position is not None:
            self._check_fitted()
            self._positions([position], 1)
        out = {t: [] for t in self.tasks}
        for _, logits in self._forward(X):
            for k, t in enumerate(self.tasks):
                out[t].append(logits[k] + (self.position_offsets[k][position] if position is not None else 0.0))
        return out

    def predict_proba(self, X, position: int | None = None) -> dict:
        """``{task: [probability per row]}`` (see ``decision_function`` for ``position``)."""
        return {t: [_sigmoid(z) for z in zs] for t, zs in self.decision_function(X, position).items()}

    def mean_gates(self, X) -> dict:
        """``{task: [mean gate weight per expert]}`` over the rows: which experts each task uses."""
        sums = {t: [0.0] * self.n_experts for t in self.tasks}
        n = 0
        for gates, _ in self._forward(X):
            n += 1
            for t, g in zip(self.tasks, gates):
                sums[t] = [a + v for a, v in zip(sums[t], g)]
        return {t: [v / n for v in s] for t, s in sums.items()}


def three_ways(X_train, Y_train, X_test, tasks, *, units: int = 8, n_experts: int = 3,
               expert_units: int = 4, seed: int = 0) -> tuple[dict, dict, "MMoE"]:
    """Fit the three usual ways to model several tasks and score ``X_test`` with each.

    - ``"separate"``: one network per task, ``units`` hidden units each (no sharing);
    - ``"shared-bottom"``: one hidden layer of ``units`` units, one logistic head per task;
    - ``"MMoE"``: ``n_experts`` experts of ``expert_units`` units and a softmax gate per task.

    Returns ``({model: {task: probabilities}}, {model: number of parameters}, the fitted MMoE)``
    (the MMoE too, to read its gates).
    """
    tasks = tuple(tasks)
    if not hasattr(Y_train, "keys"):
        raise TypeError(f"Y_train must be a dict of task -> 0/1 labels, got {type(Y_train).__name__}")
    missing = [t for t in tasks if t not in Y_train]
    if missing:
        raise ValueError(f"Y_train has no labels for task(s) {missing}")
    preds, size = {"separate": {}}, {"separate": 0}
    for t in tasks:
        one = MMoE([t], n_experts=1, expert_units=units, seed=seed).fit(X_train, {t: Y_train[t]})
        preds["separate"].update(one.predict_proba(X_test))
        size["separate"] += one.n_parameters()
    shared = MMoE(tasks, n_experts=1, expert_units=units, seed=seed).fit(X_train, Y_train)
    preds["shared-bottom"], size["shared-bottom"] = shared.predict_proba(X_test), shared.n_parameters()
    mmoe = MMoE(tasks, n_experts=n_experts, expert_units=expert_units, seed=seed)
    mmoe.fit(X_train, Y_train)
    preds["MMoE"], size["MMoE"] = mmoe.predict_proba(X_test), mmoe.n_parameters()
    return preds, size, mmoe
