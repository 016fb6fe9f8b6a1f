"""Data validation: infer a schema of expectations from training rows, then check serving batches against it.

A model only knows the data it was trained on. Before a batch of rows reaches a model (for
training or for serving), check that it still looks like that data. The expectations are
written down once as a **schema**, one entry per feature, inferred from the training rows and
then *reviewed* by a person (inference proposes, an owner decides):

- **type**: numeric (``int``/``float``, never ``bool``) or categorical (``str``);
- **missing rate**: the share of ``None`` (or ``nan``) may not exceed ``max_missing``, the
  training share plus a slack;
- **range** (numeric): ``low <= x <= high`` from the training minimum and maximum (``None``:
  no bound on that side); a batch fails when more than ``max_out_of_range`` of its present
  values fall outside;
- **domain** (categorical): the values seen in training; a batch fails when more than
  ``max_unseen`` of its present values were never seen;
- **distribution**: the population stability index against the training values
  (the bins of :func:`mlsd.monitoring.psi` for numbers, one bin per category and one for unseen
  values), ``PSI = sum_i (c_i - r_i) ln(c_i / r_i)`` over bins; a batch fails above
  ``max_psi``. A reviewer turns it off (``check_distribution = False``) where a batch is not
  expected to match training: a clock feature (hour, weekday) over an hour-long batch.

Checks are *batch-level*: one odd row is not an incident, a share of odd rows is. Each
tolerance trades false alarms on clean batches against problems missed; the defaults are a
starting point to tune on clean history. :func:`validate` returns a list of anomalies, each a
dict (feature, check, observed, limit) that ``show.table`` prints; an empty list means the batch
passed. The design follows TensorFlow Data Validation's schema-and-anomalies model (Breck et
al., MLSys 2019) and Deequ's declarative constraints (Schelter et al., PVLDB 2018).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from mlsd import monitoring
from mlsd.validate import check_in_range, check_non_empty, check_positive, check_positive_int

__all__ = ["FeatureSpec", "Schema", "infer_schema", "validate", "CHECKS"]

CHECKS = ("column", "type", "missing", "range", "domain", "distribution")


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


_TYPES = {"numeric": {int, float}, "categorical": {str}}


def _kind(v: object) -> str | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return "numeric"
    if isinstance(v, str):
        return "categorical"
    return None


@dataclass
class FeatureSpec:
    """The expectations for one feature; edit the fields to review the inferred schema."""
    name: str
    kind: str                                 # "numeric" or "categorical"
    max_missing: float
    low: float | None = None                  # numeric only
    high: float | None = None
    domain: frozenset = frozenset()           # categorical only
    bins: tuple = field(default=(), repr=False)        # PSI bins: quantile cut points, or categories
    reference_shares: tuple = field(default=(), repr=False)   # training share in each bin
    check_distribution: bool = True           # False: skip the PSI (e.g. a clock feature)


@dataclass
class Schema:
    """A schema: one :class:`FeatureSpec` per feature and the batch-level tolerances."""
    features: dict
    max_out_of_range: float = 0.01
    max_unseen: float = 0.01
    max_psi: float = 0.2

    def rows(self) -> list[dict]:
        """The schema as table rows (one per feature), for review."""
        out = []
        for s in self.features.values():
            allowed = (f"[{'-inf' if s.low is None else s.low}, {'inf' if s.high is None else s.high}]"
                       if s.kind == "numeric"
                       else ", ".join(sorted(s.domain)) if len(s.domain) <= 6
                       else f"{len(s.domain)} values")
            out.append({"feature": s.name, "type": s.kind, "max missing": round(s.max_missing, 4),
                        "allowed": allowed, "distribution check": s.check_distribution})
        return out


def infer_schema(rows: Sequence[Mapping], *, missing_slack: float = 0.02,
                 max_out_of_range: float = 0.01, max_unseen: float = 0.01,
                 max_psi: float = 0.2, n_bins: int = 10) -> Schema:
    """Propose a schema from training ``rows`` (dicts with the same keys).

    Each feature's type is the one kind all its present values share (mixed kinds raise
    ``ValueError``: decide the type in review); ``max_missing`` is the training missing share
    plus ``missing_slack``. The training values are kept only as PSI bins: ``n_bins`` quantile
    bins for a number (the cut points of :func:`mlsd.monitoring.psi`), one bin per category.
    """
    rows = check_non_empty("rows", rows)
    for name, v in (("missing_slack", missing_slack), ("max_out_of_range", max_out_of_range),
                    ("max_unseen", max_unseen)):
        check_in_range(name, v, 0.0, 1.0)
    check_positive("max_psi", max_psi)
    n_bins = check_positive_int("n_bins", n_bins)
    if not all(isinstance(r, Mapping) for r in rows):
        raise TypeError("rows must be a sequence of dicts (feature name -> value)")
    names = list(rows[0])
    features = {}
    for name in names:
        values = [r.get(name) for r in rows]
        present = [v for v in values if not _is_missing(v)]
        if not present:
            raise ValueError(f"rows: feature {name!r} is missing in every row; no type to infer")
        kinds = {_kind(v) for v in present}
        if None in kinds or len(kinds) > 1:
            raise ValueError(f"rows: feature {name!r} mixes value types "
                             f"({sorted({type(v).__name__ for v in present})}); fix it or set its type in review")
        kind = next(iter(kinds))
        missing = 1 - len(present) / len(values)
        spec = FeatureSpec(name, kind, min(1.0, missing + missing_slack))
        if kind == "numeric":
            spec.low, spec.high = min(present), max(present)
            spec.bins = tuple(row["high"] for row in monitoring.psi_table(present, present, n_bins)[:-1])
        else:
            spec.domain = frozenset(present)
            spec.bins = tuple(sorted(spec.domain))
        spec.reference_shares = tuple(_shares(spec, present))
        features[name] = spec
    return Schema(features, max_out_of_range, max_unseen, max_psi)


def _shares(spec: FeatureSpec, values: list) -> list[float]:
    """Share of ``values`` in each PSI bin of ``spec`` (categorical: one more bin for unseen values)."""
    if spec.kind == "numeric":
        counts = [0] * (len(spec.bins) + 1)
        for v in values:
            counts[bisect.bisect_left(spec.bins, v)] += 1      # bin i: bins[i-1] < v <= bins[i]
    else:
        index = {c: i for i, c in enumerate(spec.bins)}
        counts = [0] * (len(spec.bins) + 1)
        for v in values:
            counts[index.get(v, len(spec.bins))] += 1
    return [c / len(values) for c in counts]


def _psi(spec: FeatureSpec, values: list, eps: float = 1e-4) -> float:
    """PSI of ``values`` against the training shares: the sum over bins of (c - r) ln(c / r),
    shares floored at ``eps`` as in :func:`mlsd.monitoring.psi`."""
    total = 0.0
    for r, c in zip(spec.reference_shares, _shares(spec, values)):
        r, c = max(r, eps), max(c, eps)
        total += (c - r) * math.log(c / r)
    return total


def validate(schema: Schema, batch: Sequence[Mapping]) -> list[dict]:
    """Check a ``batch`` of rows against ``schema``; return the anomalies (empty: it passed)."""
    if not isinstance(schema, Schema):
        raise TypeError(f"schema must be a Schema (from infer_schema), got {type(schema).__name__}")
    batch = check_non_empty("batch", batch)
    if not all(isinstance(r, Mapping) for r in batch):
        raise TypeError("batch must be a sequence of dicts (feature name -> value)")
    out = []

    def flag(feature, check, observed, limit):
        out.append({"feature": feature, "check": check, "observed": observed, "limit": limit})

    seen = set().union(*(r.keys() for r in batch))
    for name in sorted(seen - set(schema.features)):
        flag(name, "column", "unexpected", "not in schema")
    for name, s in schema.features.items():
        if name not in seen:
            flag(name, "column", "absent", "required")
            continue
        values = [r.get(name) for r in batch]
        present = [v for v in values if v is not None and v == v]      # nan != nan: missing too
        missing = 1 - len(present) / len(values)
        if missing > s.max_missing:
            flag(name, "missing", round(missing, 4), round(s.max_missing, 4))
        allowed = _TYPES[s.kind]
        if not {type(v) for v in present} <= allowed:    # the fast path: every type is allowed
            wrong = sum(type(v) not in allowed for v in present)
            flag(name, "type", f"{wrong} not {s.kind}", s.kind)
            continue                                    # no range or PSI on values of the wrong type
        if not present:
            continue
        if s.kind == "numeric":
            low = -math.inf if s.low is None else s.low
            high = math.inf if s.high is None else s.high
            outside = sum(not (low <= v <= high) for v in present) / len(present)
            if outside > schema.max_out_of_range:
                flag(name, "range", round(outside, 4), schema.max_out_of_range)
            drift = _psi(s, present) if s.check_distribution else 0.0
        else:
            unseen = sum(v not in s.domain for v in present) / len(present)
            if unseen > schema.max_unseen:
                flag(name, "domain", round(unseen, 4), schema.max_unseen)
            drift = _psi(s, present) if s.check_distribution else 0.0
        if drift > schema.max_psi:
            flag(name, "distribution", round(drift, 4), schema.max_psi)
    return out
