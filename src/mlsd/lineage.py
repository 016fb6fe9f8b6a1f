"""Content hashes, a model registry with stages, and a lineage graph: what makes a model version reproducible.

A model is a function of its inputs: the training rows (and their order), the
code, the hyperparameters with every default resolved, the seeds and the
library versions. Record all of them with the model and you can rebuild it, bit
for bit, and answer "where did this prediction come from?" months later. This
module is a small, in-memory version of the three pieces a platform keeps:

1. **Content hashes.** A value (a config, a list of rows, a model's weights) is
   written in one canonical form and hashed::

       content_hash(v) = sha256(canonical_json(v))[:length]

   Canonical means the same value always gives the same bytes: keys sorted, no
   spaces, floats written with ``repr`` (the shortest text that reads back to
   the same 64-bit float), tuples as lists. Two values have the same hash if
   and only if (up to a small chance of collision: 2^-48 for one pair of
   values at 12 hex digits, about n^2 / 2^49 among n versions) they are equal, so a hash *is* a version id: no one has to remember
   to bump a number. Sets are refused: their order is not defined, and a hash
   that depends on it would not be reproducible.
   :func:`dataset_hash` with ``ordered=False`` hashes the sorted hashes of the
   rows, so it names *which* rows a snapshot holds whatever order a reader
   returns them in; with ``ordered=True`` the order is part of the id (SGD
   depends on it).

2. **A registry** (:class:`Registry`): every registered model version gets the
   next integer version, the hash of its artifact and its *record* (data, code,
   parameters, environment, metrics). A version moves between stages
   ``none -> staging -> production -> archived``; every move is an event with
   who made it and why. Promoting a version to production archives the one
   that served before (one production version per model name), as MLflow's
   Model Registry does with ``archive_existing_versions``.

3. **A lineage graph** (:class:`Lineage`): nodes (dataset, features, model,
   deployment, ...) and edges from each node to the nodes it was made from.
   A node can only name parents that already exist, so the graph has no cycle
   by construction. ``ancestors(node)`` walks up (which data made this model?),
   ``descendants(node)`` walks down (which models and deployments did this bad
   snapshot reach?). Both are breadth-first searches, O(nodes + edges).

Two helpers measure reproducibility: :func:`count_changed` counts predictions
that differ (bitwise with ``tol=0``), and :func:`chunked_sum` adds numbers the
way a parallel reduction does (each worker sums a contiguous chunk, then the
partial sums are added pairwise), so its result depends on the number of
workers: floating-point addition is not associative.

    >>> content_hash({"b": 1, "a": [1.5, "x"]}) == content_hash({"a": [1.5, "x"], "b": 1})
    True
    >>> content_hash([0.1, 0.2]) == content_hash([0.2, 0.1])
    False
    >>> chunked_sum([1e16, 1.0, -1e16, 1.0], workers=1), chunked_sum([1e16, 1.0, -1e16, 1.0], workers=2)
    (1.0, 0.0)
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import deque
from dataclasses import dataclass, field

from mlsd.validate import check_non_negative, check_positive_int

__all__ = ["canonical_json", "content_hash", "dataset_hash", "diff_records", "count_changed",
           "chunked_sum", "STAGES", "ModelVersion", "Registry", "Lineage"]

STAGES = ("none", "staging", "production", "archived")


_SCALARS = (type(None), bool, int, str)
_FLAT_TYPES = frozenset(_SCALARS + (float,))     # the value types of a flat row
_KEY_TYPES = frozenset((str,))


def _plain(value, where: str):
    """``value`` as JSON-ready data (tuples become lists); refuse what has no canonical form."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{where} is {value!r}: only finite floats have a canonical form")
        return value
    if isinstance(value, dict):
        # fast path for a flat row of scalars: nothing to convert, only to check
        values = value.values()
        if (_KEY_TYPES.issuperset(map(type, value)) and _FLAT_TYPES.issuperset(map(type, values))
                and all(map(math.isfinite, [v for v in values if type(v) is float]))):
            return value
        for k in value:
            if not isinstance(k, str):
                raise TypeError(f"{where} has a key {k!r} of type {type(k).__name__}; keys must be strings")
        return {k: _plain(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        raise TypeError(f"{where} is a set: its order is not defined, so it has no canonical form; "
                        "pass a sorted list")
    raise TypeError(f"{where} is a {type(value).__name__}; use None, bool, int, float, str, list, tuple or dict")


def canonical_json(value) -> str:
    """The one text of ``value``: JSON with sorted keys, no spaces, floats by ``repr``."""
    return json.dumps(_plain(value, "value"), sort_keys=True, separators=(",", ":"), allow_nan=False)


def content_hash(value, length: int = 12) -> str:
    """The first ``length`` hex digits of the SHA-256 of :func:`canonical_json` (a version id)."""
    check_positive_int("length", length)
    if length > 64:
        raise ValueError(f"length must be at most 64 (a SHA-256 has 64 hex digits), got {length}")
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:length]


def dataset_hash(rows, ordered: bool = False, length: int = 12) -> str:
    """The id of a snapshot: the hash of its rows in order (``ordered=True``) or as a multiset.

    Unordered, each row is hashed on its own and the sorted row hashes are hashed: the same
    rows in any order give the same id. Ordered, it is simply ``content_hash(list(rows))``.
    """
    if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of rows, got {type(rows).__name__}")
    if not isinstance(ordered, bool):
        raise TypeError(f"ordered must be True or False, got {ordered!r}")
    check_positive_int("length", length)
    if length > 64:
        raise ValueError(f"length must be at most 64 (a SHA-256 has 64 hex digits), got {length}")
    plain = _plain(list(rows), "rows")
    if ordered:                    # = content_hash(plain, length), without checking the rows a second time
        text = json.dumps(plain, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]
    dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), allow_nan=False).encode
    return content_hash(sorted(hashlib.sha256(dumps(r).encode("utf-8")).hexdigest() for r in plain), length)


def diff_records(a: dict, b: dict) -> list[str]:
    """The dotted keys whose values differ between two (nested) records, sorted."""
    for name, rec in (("a", a), ("b", b)):
        if not isinstance(rec, dict):
            raise TypeError(f"{name} must be a dict (a record), got {type(rec).__name__}")

    def flat(d, prefix=""):
        out = {}
        for k, v in d.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict) and v:
                out.update(flat(v, key + "."))
            else:
                out[key] = canonical_json(v)
        return out

    fa, fb = flat(a), flat(b)
    return sorted(k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k))


def count_changed(a, b, tol: float = 0.0) -> int:
    """How many positions differ by more than ``tol`` (``tol=0``: any difference in value)."""
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"a has {len(a)} values but b has {len(b)}")
    tol = check_non_negative("tol", tol)
    return sum(1 for x, y in zip(a, b) if abs(x - y) > tol or (tol == 0 and x != y))


def chunked_sum(values, workers: int = 1) -> float:
    """Sum as a parallel reduction would: ``workers`` contiguous chunks, then a pairwise tree.

    ``workers=1`` is the plain left-to-right sum. Every addition is correctly rounded, but
    the additions happen in another order, so the rounding errors differ and so may the last bits.
    """
    values = [float(v) for v in values]
    check_positive_int("workers", workers)
    n = len(values)
    bounds = [n * w // workers for w in range(workers + 1)]
    partial = []
    for w in range(workers):                       # each worker: left to right over its chunk
        s = 0.0
        for v in values[bounds[w]:bounds[w + 1]]:
            s += v
        partial.append(s)
    while len(partial) > 1:                        # combine: a tree of pairwise additions
        pairs = [partial[i] + partial[i + 1] for i in range(0, len(partial) - 1, 2)]
        partial = pairs + ([partial[-1]] if len(partial) % 2 else [])
    return partial[0] if partial else 0.0


@dataclass
class ModelVersion:
    """One registered version: its number, artifact hash, record and current stage."""

    name: str
    version: int
    artifact_hash: str
    record: dict
    stage: str = "none"
    artifact: object = field(default=None, repr=False)


class Registry:
    """Model versions by name, with stages and an event log of every transition."""

    def __init__(self):
        self._versions: dict[str, list[ModelVersion]] = {}
        self.events: list[dict] = []

    def register(self, name: str, artifact, record: dict) -> ModelVersion:
        """Store ``artifact`` (JSON-like, e.g. weights) with its ``record``; returns the new version."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if not isinstance(record, dict):
            raise TypeError(f"record must be a dict, got {type(record).__name__}")
        versions = self._versions.setdefault(name, [])
        mv = ModelVersion(name, len(versions) + 1, content_hash(artifact), record, artifact=artifact)
        versions.append(mv)
        self.events.append({"model": name, "version": mv.version, "from": "", "to": "none",
                            "by": record.get("trained_by", ""), "reason": "registered"})
        return mv

    def get(self, name: str, version: int) -> ModelVersion:
        if name not in self._versions:
            raise ValueError(f"name {name!r} is not registered")
        versions = self._versions[name]
        if not isinstance(version, int) or not 1 <= version <= len(versions):
            raise ValueError(f"version must be 1..{len(versions)} for {name!r}, got {version!r}")
        return versions[version - 1]

    def versions(self, name: str) -> list[ModelVersion]:
        if name not in self._versions:
            raise ValueError(f"name {name!r} is not registered")
        return list(self._versions[name])

    def transition(self, name: str, version: int, stage: str, by: str, reason: str = "") -> ModelVersion:
        """Move a version to ``stage``; into production, the previous production version is archived."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
        if not isinstance(by, str) or not by:
            raise ValueError("by must name who (or which pipeline) made the transition")
        mv = self.get(name, version)
        if stage == "production":
            for other in self._versions[name]:
                if other.stage == "production" and other is not mv:
                    self._move(other, "archived", by, f"replaced by version {version}")
        self._move(mv, stage, by, reason)
        return mv

    def _move(self, mv: ModelVersion, stage: str, by: str, reason: str) -> None:
        self.events.append({"model": mv.name, "version": mv.version, "from": mv.stage, "to": stage,
                            "by": by, "reason": reason})
        mv.stage = stage

    def production(self, name: str) -> ModelVersion | None:
        """The version serving now, or None."""
        return next((mv for mv in self.versions(name) if mv.stage == "production"), None)


class Lineage:
    """A directed acyclic graph: each node points to the nodes it was made from."""

    def __init__(self):
        self.nodes: dict[str, dict] = {}
        self._parents: dict[str, list[str]] = {}
        self._children: dict[str, list[str]] = {}

    def add(self, node: str, kind: str, parents=(), **attrs) -> str:
        """Add ``node`` of ``kind`` made from ``parents`` (which must exist already)."""
        if not isinstance(node, str) or not node:
            raise ValueError(f"node must be a non-empty string, got {node!r}")
        if node in self.nodes:
            raise ValueError(f"node {node!r} exists already; a version is never overwritten")
        if not isinstance(kind, str) or not kind:
            raise ValueError(f"kind must be a non-empty string, got {kind!r}")
        if isinstance(parents, str):
            raise TypeError("parents must be a list of node ids, not one string")
        parents = list(parents)
        missing = [p for p in parents if p not in self.nodes]
        if missing:
            raise ValueError(f"parents {missing} are not in the graph; add them first")
        self.nodes[node] = {"kind": kind, **attrs}
        self._parents[node], self._children[node] = parents, []
        for p in parents:
            self._children[p].append(node)
        return node

    def _walk(self, node: str, links: dict[str, list[str]]) -> list[str]:
        if node not in self.nodes:
            raise ValueError(f"node {node!r} is not in the graph")
        seen, queue, out = {node}, deque([node]), []
        while queue:
            for nxt in links[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    out.append(nxt)
                    queue.append(nxt)
        return out

    def parents(self, node: str) -> list[str]:
        if node not in self.nodes:
            raise ValueError(f"node {node!r} is not in the graph")
        return list(self._parents[node])

    def ancestors(self, node: str) -> list[str]:
        """Everything ``node`` was made from, nearest first."""
        return self._walk(node, self._parents)

    def descendants(self, node: str) -> list[str]:
        """Everything made (directly or not) from ``node``, nearest first."""
        return self._walk(node, self._children)
