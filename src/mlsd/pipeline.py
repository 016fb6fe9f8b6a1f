"""A retraining pipeline with gates: each step makes an artefact and checks it before the next runs.

Code is tested by unit tests that give the same answer every run. A model's behaviour comes from
its training data, so a pipeline that retrains a model tests three more things every time it
runs: the **data** (does this batch look like the batches before it?), the **trained artefact**
(is it good enough, and no worse than the model serving today?) and its **behaviour in traffic**
(does it hold up on a small share of real users before it gets all of them?). A step that fails
its checks stops the round, and the production model keeps serving.

The steps, as functions of this module:

1. :func:`validate_batch` — compare the new batch with a reference batch that passed before:
   the schema (every row has every feature, finite), the Population Stability Index of each
   feature (``PSI = sum_b (c_b - r_b) ln(c_b / r_b)`` over bins with reference share ``r_b`` and
   current share ``c_b``; see :mod:`mlsd.monitoring`) and the label rate.
2. :func:`train` — fit a logistic regression on the batch with a :class:`TrainingConfig` (which
   features, which share of negatives to keep, whether to correct the odds for that share).
3. :func:`evaluate` — score a model on the held-out rows: AUC overall and per slice, and the
   calibration ratio ``sum(p) / sum(y)`` (predicted over observed positives; 1 is calibrated).
4. :func:`offline_gates` — the promotion checks against the production model scored on the
   *same* held-out rows: a minimum AUC, no regression beyond a tolerance overall and on each
   slice (``AUC_cand - AUC_prod >= -tolerance``), a calibration ratio within bounds, and a
   serving budget from a stated cost model (``latency = overhead + per_feature * features``).
5. :func:`canary` — serve the candidate to a share of the next period's traffic and compare its
   log loss with the production model's on the rest; block (roll back) if it is worse by more
   than a relative tolerance.

:func:`run_round` chains them and returns a :class:`Round`: every step's checks, and the
model that serves afterwards. Promotion decisions on a noisy held-out set are helped by
:func:`paired_bootstrap`, which resamples the held-out *rows* (both models' scores move
together), and by :func:`promote`, the margin rule ``delta > margin``.

The world is a stand-in, stated by :func:`make_batch`: a click log whose feature weights drift
from round to round, with a slice of new users who depend on one feature more than everyone
else. No real orchestrator, registry or model server runs here; the logic is theirs.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

from mlsd import metrics, monitoring
from mlsd.ranking import LogisticRegression
from mlsd.ranking.base import sigmoid
from mlsd.validate import (check_callable, check_int, check_non_empty, check_non_negative,
                           check_positive, check_positive_int, check_probability)

__all__ = ["FEATURES", "Batch", "Check", "Step", "TrainingConfig", "Model", "Round", "Gates",
           "make_batch", "validate_batch", "train", "evaluate", "offline_gates", "canary",
           "run_round", "paired_bootstrap", "promote"]

FEATURES = ("relevance", "freshness", "popularity", "new_user", "new_user_x_popularity", "dwell")
BINARY = {"new_user"}


# --- the world: a drifting click log ---------------------------------------------------------

@dataclass
class Batch:
    """One period of logged traffic: feature rows (in ``FEATURES`` order), labels, slice names."""
    X: list[list[float]]
    y: list[int]
    slice: list[str]

    def __len__(self) -> int:
        return len(self.y)

    def rows(self, idx: Sequence[int]) -> "Batch":
        return Batch([self.X[i] for i in idx], [self.y[i] for i in idx], [self.slice[i] for i in idx])

    def column(self, name: str) -> list[float]:
        j = FEATURES.index(name)
        return [x[j] for x in self.X]


def make_batch(round_index: int, n: int, seed: int = 0, drift: float = 0.15,
               leak: bool = False) -> Batch:
    """A period of traffic from a stated generator, ``n`` rows, about 15 % positives.

    Features: relevance, freshness, popularity ~ N(0, 1); ``new_user`` is 1 for 15 % of the
    rows; ``new_user_x_popularity`` is their product; ``dwell`` is the item's average dwell time
    (standardised), weakly predictive. The label is drawn from
    ``logit = -2.3 + w_rel * (1 - new_user) * relevance + w_fresh * freshness + 0.3 popularity
    + 2.0 new_user * popularity + 0.3 dwell`` (relevance is personal: it needs a history, so it
    says nothing about new users, who follow popularity) with ``w_rel = 1.2 - drift * t`` and
    ``w_fresh = 0.2 + drift * t`` at round ``t``: what predicts a click moves from relevance to
    freshness, so a model trained on old rounds goes stale.

    ``leak=True`` is the bug of a backfill: ``dwell`` is joined from the session *after* the
    impression, so it is 0 without a click and positive with one (a label leak). At serving time
    the feature is the normal average again.
    """
    check_int("round_index", round_index)
    n = check_positive_int("n", n)
    check_int("seed", seed)
    check_non_negative("drift", drift)
    rng = random.Random(seed * 1_000_003 + round_index)
    w_rel, w_fresh = 1.2 - drift * round_index, 0.2 + drift * round_index
    X, y, slices = [], [], []
    for _ in range(n):
        rel, fresh, pop, dwell = (rng.gauss(0, 1) for _ in range(4))
        new = 1.0 if rng.random() < 0.15 else 0.0
        z = -2.3 + w_rel * (1 - new) * rel + w_fresh * fresh + 0.3 * pop + 2.0 * new * pop + 0.3 * dwell
        label = 1 if rng.random() < 1 / (1 + math.exp(-z)) else 0
        if leak:
            dwell = (1.5 + abs(rng.gauss(0, 1))) if label else 0.0
        X.append([rel, fresh, pop, new, new * pop, dwell])
        y.append(label)
        slices.append("new users" if new else "returning users")
    return Batch(X, y, slices)


# --- checks and steps ------------------------------------------------------------------------

@dataclass
class Check:
    """One pass/fail check: its name, the measured value and the limit it was held to."""
    name: str
    value: float
    limit: str
    passed: bool


@dataclass
class Step:
    """A pipeline step's result: its name, the artefact it made and its checks."""
    name: str
    artefact: object
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]


def validate_batch(batch: Batch, reference: Batch, max_psi: float = 0.2,
                   label_rate_factor: float = 1.5) -> Step:
    """Data validation: schema, PSI of every feature against ``reference``, and the label rate.

    A feature fails when its PSI exceeds ``max_psi`` (0.2 is a common alarm level); the label rate
    fails when it is more than ``label_rate_factor`` times higher or lower than the reference's.
    """
    _check_batch("batch", batch)
    _check_batch("reference", reference)
    check_positive("max_psi", max_psi)
    if check_positive("label_rate_factor", label_rate_factor) < 1:
        raise ValueError(f"label_rate_factor must be at least 1, got {label_rate_factor}")
    finite = all(len(x) == len(FEATURES) and all(math.isfinite(v) for v in x) for x in batch.X)
    checks = [Check("schema", float(finite), "every row has 6 finite features", finite)]
    if not finite:                                    # no statistics on broken rows
        return Step("validate data", {"rows": len(batch)}, checks)
    for name in FEATURES:
        ref, cur = reference.column(name), batch.column(name)
        value = monitoring.psi_categorical(ref, cur) if name in BINARY else monitoring.psi(ref, cur)
        checks.append(Check(f"PSI {name}", value, f"<= {max_psi}", value <= max_psi))
    rate, ref_rate = sum(batch.y) / len(batch), sum(reference.y) / len(reference)
    ok = ref_rate / label_rate_factor <= rate <= ref_rate * label_rate_factor
    checks.append(Check("label rate", rate, f"within x{label_rate_factor} of {ref_rate:.3f}", ok))
    return Step("validate data", {"rows": len(batch), "label rate": rate}, checks)


@dataclass(frozen=True)
class TrainingConfig:
    """What the training code does: the features used, the share of negatives kept, and
    whether the odds are corrected for that share (``q = p / (p + (1 - p) / keep)``)."""
    features: tuple[str, ...] = FEATURES
    keep_negatives: float = 1.0
    recalibrate: bool = True


@dataclass
class Model:
    """A trained artefact: a version name, its configuration and its fitted weights."""
    version: str
    config: TrainingConfig
    model: LogisticRegression

    def logits(self, X: Sequence[Sequence[float]]) -> list[float]:
        """The logit ``b + w . x`` of full rows (``FEATURES`` order); the model reads its own columns.

        Rank by logits, not probabilities: a sigmoid near 0 or 1 rounds distinct scores to ties.
        """
        cols = [FEATURES.index(f) for f in self.config.features]
        weights, b = self.model.weights, self.model.bias      # a dense dot product: rows are short
        if weights is None:
            raise ValueError("the model is not trained")
        return [b + sum(w * x[j] for w, j in zip(weights, cols)) for x in X]

    def predict(self, X: Sequence[Sequence[float]]) -> list[float]:
        """Click probabilities of full rows, with the odds corrected if the config says so."""
        p = [sigmoid(z) for z in self.logits(X)]
        w = self.config.keep_negatives
        if w < 1 and self.config.recalibrate:
            p = [q / (q + (1 - q) / w) for q in p]
        return p


def train(batch: Batch, version: str, config: TrainingConfig = TrainingConfig(), seed: int = 0) -> Model:
    """Fit logistic regression (SGD, 5 epochs) on ``batch`` as ``config`` says."""
    _check_batch("batch", batch)
    if not isinstance(config, TrainingConfig):
        raise TypeError(f"config must be a TrainingConfig, got {type(config).__name__}")
    unknown = [f for f in config.features if f not in FEATURES]
    if unknown or not config.features:
        raise ValueError(f"config.features must be a non-empty subset of {FEATURES}, got {config.features}")
    w = check_probability("config.keep_negatives", config.keep_negatives)
    if w == 0:
        raise ValueError("config.keep_negatives must be above 0, got 0")
    rng = random.Random(seed)
    keep = [i for i, label in enumerate(batch.y) if label or rng.random() < w]
    cols = [FEATURES.index(f) for f in config.features]
    X = [[batch.X[i][j] for j in cols] for i in keep]
    fitted = LogisticRegression(learning_rate=0.02, epochs=5, seed=seed).fit(X, [batch.y[i] for i in keep])
    return Model(version, config, fitted)


def evaluate(model: Model, holdout: Batch) -> dict:
    """AUC overall and per slice, and the calibration ratio sum(p) / sum(y), on ``holdout``."""
    _check_batch("holdout", holdout)
    z, p = model.logits(holdout.X), model.predict(holdout.X)     # AUC from logits: no rounded ties
    out = {"AUC": metrics.roc_auc(holdout.y, z)}
    for name in sorted(set(holdout.slice)):
        idx = [i for i, s in enumerate(holdout.slice) if s == name]
        out[f"AUC {name}"] = metrics.roc_auc([holdout.y[i] for i in idx], [z[i] for i in idx])
    out["calibration"] = math.fsum(p) / max(1, sum(holdout.y))
    return out


@dataclass(frozen=True)
class Gates:
    """The limits a candidate must meet before it may replace the production model."""
    min_auc: float = 0.70
    tolerance: float = 0.01           # overall AUC may fall by at most this much
    slice_tolerance: float = 0.02     # each slice's AUC may fall by at most this much
    calibration: tuple[float, float] = (0.75, 1.33)
    latency_budget_ms: float = 10.0
    overhead_ms: float = 2.0          # stated cost model: fixed cost plus one lookup per feature
    per_feature_ms: float = 1.0


def offline_gates(candidate: dict, production: dict, n_features: int, gates: Gates = Gates()) -> Step:
    """Compare a candidate's :func:`evaluate` result with production's on the same rows."""
    if not isinstance(candidate, dict) or not isinstance(production, dict):
        raise TypeError("candidate and production must be dicts returned by evaluate()")
    if not isinstance(gates, Gates):
        raise TypeError(f"gates must be a Gates, got {type(gates).__name__}")
    check_positive_int("n_features", n_features)
    latency = gates.overhead_ms + gates.per_feature_ms * n_features
    lo, hi = gates.calibration
    checks = [Check("minimum AUC", candidate["AUC"], f">= {gates.min_auc}", candidate["AUC"] >= gates.min_auc)]
    for key in candidate:
        if key.startswith("AUC"):
            tol = gates.tolerance if key == "AUC" else gates.slice_tolerance
            delta = candidate[key] - production[key]
            name = "no regression, overall" if key == "AUC" else f"no regression, {key[4:]}"
            checks.append(Check(name, delta, f">= -{tol}", delta >= -tol))
    checks.append(Check("calibration", candidate["calibration"], f"in [{lo}, {hi}]",
                        lo <= candidate["calibration"] <= hi))
    checks.append(Check("latency budget", latency, f"<= {gates.latency_budget_ms} ms",
                        latency <= gates.latency_budget_ms))
    return Step("offline gates", candidate, checks)


def canary(candidate: Model, production: Model, live: Batch, share: float = 0.1,
           tolerance: float = 0.3, seed: int = 0) -> Step:
    """Serve ``candidate`` to a random ``share`` of ``live`` and production to the rest.

    The check passes when the candidate's log loss on its share is at most ``(1 + tolerance)``
    times production's on the rest. Labels do not depend on which model served (no feedback loop
    in this stand-in world).
    """
    _check_batch("live", live)
    share = check_probability("share", share)
    check_non_negative("tolerance", tolerance)
    rng = random.Random(seed)
    arm = [rng.random() < share for _ in range(len(live))]
    c_idx = [i for i, a in enumerate(arm) if a]
    p_idx = [i for i, a in enumerate(arm) if not a]
    if not c_idx or not p_idx or not any(live.y[i] for i in c_idx):
        raise ValueError(f"share={share} leaves an arm without positives on {len(live)} rows")
    c_ll = metrics.log_loss([live.y[i] for i in c_idx], candidate.predict([live.X[i] for i in c_idx]))
    p_ll = metrics.log_loss([live.y[i] for i in p_idx], production.predict([live.X[i] for i in p_idx]))
    check = Check("canary log loss vs production", c_ll / p_ll, f"<= {1 + tolerance:g}x", c_ll <= (1 + tolerance) * p_ll)
    return Step("canary", {"impressions on the candidate": len(c_idx), "log loss candidate": c_ll,
                           "log loss production": p_ll}, [check])


# --- a round ---------------------------------------------------------------------------------

@dataclass
class Round:
    """One retraining round: its steps, whether the candidate was promoted, and who serves next."""
    steps: list[Step]
    candidate: Model
    serving: Model

    @property
    def promoted(self) -> bool:
        return self.serving is self.candidate

    @property
    def blocked_by(self) -> str:
        """The first step that failed, with its failed checks ("" when promoted)."""
        for s in self.steps:
            if not s.passed:
                return f"{s.name}: {', '.join(s.failed())}"
        return ""


def run_round(batch: Batch, reference: Batch, live: Batch, production: Model, version: str,
              config: TrainingConfig = TrainingConfig(), gates: Gates = Gates(),
              use_gates: bool = True, canary_share: float = 0.1, seed: int = 0) -> Round:
    """ingest -> validate -> train -> evaluate -> compare -> canary -> promote or keep production.

    The last quarter of ``batch`` (the most recent rows) is held out; the rest trains the
    candidate. Every step runs, even after one has failed, so the report lists every check; the
    candidate is promoted only if all of them pass (a real pipeline would stop at the first
    failure). With ``use_gates=False`` every candidate is promoted (what ships without a
    pipeline), but the steps are still run and reported.
    """
    _check_batch("batch", batch)
    cut = len(batch) * 3 // 4
    train_rows, holdout = batch.rows(range(cut)), batch.rows(range(cut, len(batch)))
    steps = [validate_batch(batch, reference)]
    candidate = train(train_rows, version, config, seed)
    steps.append(Step("train", {"version": version, "rows": cut}, []))
    cand, prod = evaluate(candidate, holdout), evaluate(production, holdout)
    steps.append(offline_gates(cand, prod, len(config.features), gates))
    steps.append(canary(candidate, production, live, canary_share, seed=seed))
    ok = all(s.passed for s in steps)
    return Round(steps, candidate, candidate if (ok or not use_gates) else production)


# --- the promotion decision ------------------------------------------------------------------

def paired_bootstrap(y: Sequence[int], score_a: Sequence[float], score_b: Sequence[float],
                     metric: Callable = metrics.roc_auc, n_boot: int = 200, alpha: float = 0.1,
                     seed: int = 0) -> dict:
    """Interval for ``metric(y, b) - metric(y, a)`` resampling the rows, both models together.

    Both models are scored on the same rows, so rows that are hard for one are hard for the
    other; resampling rows (not each model's scores on its own) keeps that correlation, and the
    interval of the difference is narrower than the two separate intervals suggest.
    Returns ``delta, ci_low, ci_high, se``.
    """
    y = check_non_empty("y", y)
    if len(score_a) != len(y) or len(score_b) != len(y):
        raise ValueError(f"score_a and score_b must have one score per label ({len(y)}), "
                         f"got {len(score_a)} and {len(score_b)}")
    check_callable("metric", metric)
    if check_positive_int("n_boot", n_boot) < 10:
        raise ValueError(f"n_boot must be at least 10, got {n_boot}")
    alpha = check_probability("alpha", alpha)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    rng, n, reps = random.Random(seed), len(y), []
    while len(reps) < n_boot:
        idx = [rng.randrange(n) for _ in range(n)]
        yy = [y[i] for i in idx]
        if 0 < sum(yy) < n:                    # a resample needs both classes for an AUC
            reps.append(metric(yy, [score_b[i] for i in idx]) - metric(yy, [score_a[i] for i in idx]))
    reps.sort()
    mean = math.fsum(reps) / n_boot
    se = math.sqrt(math.fsum((r - mean) ** 2 for r in reps) / (n_boot - 1))
    lo_i, hi_i = int(alpha / 2 * n_boot), min(n_boot - 1, int((1 - alpha / 2) * n_boot))
    return {"delta": metric(y, score_b) - metric(y, score_a), "ci_low": reps[lo_i],
            "ci_high": reps[hi_i], "se": se}


def promote(delta: float, margin: float) -> bool:
    """The margin rule: promote when the candidate's measured gain ``delta`` exceeds ``margin``.

    ``margin = 0`` promotes on any measured win, so a candidate no better than production
    still wins about half the time on a noisy held-out set; a margin of about ``z * se`` of the
    paired difference turns the rule into a one-sided test at level ``1 - Phi(z)``.
    """
    for name, v in (("delta", delta), ("margin", margin)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise TypeError(f"{name} must be a finite number, got {v!r}")
    return delta > margin


def _check_batch(name: str, batch: object) -> None:
    if not isinstance(batch, Batch):
        raise TypeError(f"{name} must be a Batch, got {type(batch).__name__}")
    if len(batch.X) != len(batch.y) or len(batch.slice) != len(batch.y):
        raise ValueError(f"{name} has {len(batch.X)} rows, {len(batch.y)} labels and "
                         f"{len(batch.slice)} slice names: they must match")
    if not any(batch.y) or all(batch.y):
        raise ValueError(f"{name} needs both positive and negative labels")
