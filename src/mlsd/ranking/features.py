"""Turning logged records into model inputs: one-hot, feature hashing, crosses.

A linear model needs numbers, but a click log holds strings (``device="mobile"``)
and numbers on wildly different scales (``page_load_ms`` in the thousands,
``text_match`` below 1). Both encoders here do the same three things:

1. **Numeric fields** become one column each, standardized with the training
   mean and standard deviation: ``(x - mean) / std``. SGD then takes steps of a
   similar size for every weight.
2. **Categorical fields** become one indicator column per value: the token
   ``"device=mobile"`` has value 1.0, every other ``device=...`` column is 0.
3. **Feature crosses** join several fields into one token,
   ``"device=mobile&placement=feed"``, so a *linear* model gets one weight for
   that combination — the interaction it could not otherwise express.

They differ in how a token finds its column:

- :class:`OneHotEncoder` learns a vocabulary at ``fit``: token -> column. Exact,
  but the vocabulary grows with the data and a value unseen in training has no
  column (it is dropped).
- :class:`FeatureHasher` computes ``crc32(token) mod n_buckets`` (the "hashing
  trick", Weinberger et al., 2009, https://arxiv.org/abs/0902.2206). Fixed
  memory, no vocabulary to store or ship, unseen values still land somewhere —
  at the price of *collisions*: two tokens may share a column. ``crc32`` (not
  Python's ``hash``, which is salted per process) keeps columns identical across
  runs, machines and Pyodide.

Output rows are **sparse**: a dict ``{column: value}`` with the zeros left
out. A row with 22 non-zeros among 4,096 hashed columns then costs 22
multiply-adds in a dot product, not 4,096. :func:`as_sparse` also accepts plain
dense rows (lists of numbers) and lists of ``(column, value)`` pairs, so every
model in :mod:`mlsd.ranking` takes any of the three.
"""

from __future__ import annotations

import math
import zlib
from itertools import chain
from operator import itemgetter

from mlsd.validate import check_non_empty, check_positive_int

_INT_STR = {int, str}     # the value types whose token FeatureHasher can cache by value

__all__ = ["OneHotEncoder", "FeatureHasher", "hash_index", "cross_token", "as_sparse", "to_dense"]


def hash_index(token: str, n_buckets: int) -> int:
    """The column of ``token``: ``crc32(utf-8 bytes) mod n_buckets`` — stable everywhere."""
    if not isinstance(token, str):
        raise TypeError(f"token must be a string, got {type(token).__name__}")
    check_positive_int("n_buckets", n_buckets)
    return zlib.crc32(token.encode("utf-8")) % n_buckets


def cross_token(record: dict, fields) -> str:
    """The token of a feature cross, e.g. ``"device=mobile&placement=feed"``."""
    return "&".join([f"{f}={record[f]}" for f in fields])


def as_sparse(X, name: str = "X") -> tuple[list[dict[int, float]], int]:
    """Validate ``X`` and return ``(sparse rows, number of columns)``.

    A row may be a dict ``{column: value}``, a list of ``(column, value)`` pairs,
    or a dense list of numbers (dense rows must all have the same length).
    """
    rows = check_non_empty(name, X)
    # Fast path for the common case, rows that are already sparse dicts: the quick check a dict
    # row gets below (integer columns >= 0, a finite sum of values), made once over the whole
    # matrix in C; anything it does not accept goes row by row, for an error that names the row.
    # Models validate their input at every fit and predict, and on a few thousand hashed rows
    # the row-by-row pass was a tenth of a logistic regression's training.
    if set(map(type, rows)) == {dict}:
        columns = list(chain.from_iterable(rows))
        try:
            ok = ((not columns or (set(map(type, columns)) == {int} and min(columns) >= 0))
                  and math.isfinite(sum(chain.from_iterable(map(dict.values, rows)), 0.0)))
        except (TypeError, OverflowError):    # e.g. a string value, an int too large for a float
            ok = False
        if ok:
            return list(rows), max(columns) + 1 if columns else 0
    out, width, dense_width = [], 0, None
    for r, row in enumerate(rows):
        if isinstance(row, dict):
            if not row:
                out.append({})
                continue
            # Fast check, all in C: integer columns >= 0 and a finite sum of values
            # (the sum is NaN or infinite if any value is). Slow path only to word the error.
            try:
                ok = (set(map(type, row)) == {int} and min(row) >= 0
                      and math.isfinite(sum(row.values())))
            except TypeError:
                ok = False
            if ok:
                out.append(row)
                width = max(width, max(row) + 1)
                continue
            pairs = row.items()
        elif isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
            raise TypeError(f"{name}[{r}] must be a dict, a list of (column, value) pairs "
                            f"or a list of numbers, got {type(row).__name__}")
        else:
            row = list(row)
            if row and isinstance(row[0], (tuple, list)):
                pairs = row
            else:                                      # dense: keep the non-zeros
                if dense_width is None:
                    dense_width = len(row)
                elif len(row) != dense_width:
                    raise ValueError(f"{name}[{r}] has {len(row)} values, the first row has "
                                     f"{dense_width}")
                out.append({j: x for j, v in enumerate(row) if (x := _finite(name, r, v)) != 0.0})
                width = max(width, len(row))
                continue
        sparse = {}
        for pair in pairs:
            if len(pair) != 2:
                raise ValueError(f"{name}[{r}] must hold (column, value) pairs, got {pair!r}")
            j, v = pair
            if isinstance(j, bool) or not isinstance(j, int) or j < 0:
                raise ValueError(f"{name}[{r}] has column {j!r}; columns must be integers >= 0")
            sparse[j] = sparse.get(j, 0.0) + _finite(name, r, v)
            width = max(width, j + 1)
        out.append(sparse)
    return out, width


def _finite(name: str, r: int, v) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"{name}[{r}] must hold numbers, got {type(v).__name__} {v!r}")
    if not math.isfinite(v):
        raise ValueError(f"{name}[{r}] must hold finite numbers, got {v}")
    return float(v)


def to_dense(X, n_features: int) -> list[list[float]]:
    """Sparse rows -> dense rows of length ``n_features`` (for models that need dense input)."""
    check_positive_int("n_features", n_features)
    rows, _ = as_sparse(X)
    out = []
    for row in rows:
        dense = [0.0] * n_features
        for j, v in row.items():
            if not 0 <= j < n_features:
                raise ValueError(f"column {j} is outside 0..{n_features - 1} (n_features)")
            dense[j] += v
        out.append(dense)
    return out


class _Encoder:
    """Shared part: standardize numeric fields and list each record's (token, value) pairs."""

    def __init__(self, numeric=(), categorical=(), crosses=()):
        self.numeric = tuple(numeric)
        self.categorical = tuple(categorical)
        self.crosses = tuple(tuple(c) for c in crosses)
        for c in self.crosses:
            if len(c) < 2:
                raise ValueError(f"crosses must hold tuples of 2 or more field names, got {c!r}")
        if not (self.numeric or self.categorical or self.crosses):
            raise ValueError("numeric, categorical and crosses are all empty: nothing to encode")
        self.mean, self.std = {}, {}
        # the fields whose "field=value" string a record's tokens use (categorical or crossed)
        self._named = tuple(dict.fromkeys(self.categorical + tuple(f for c in self.crosses for f in c)))

    def _records(self, records, fitting: bool) -> list[dict]:
        recs = check_non_empty("records", records)
        needed = set(self.numeric) | set(self.categorical) | {f for c in self.crosses for f in c}
        numeric = self.numeric
        for i, rec in enumerate(recs):
            if not isinstance(rec, dict):
                raise TypeError(f"records[{i}] must be a dict of field -> value, got {type(rec).__name__}")
            if not needed <= rec.keys():
                raise ValueError(f"records[{i}] lacks field(s) {sorted(needed - rec.keys())}")
            try:   # fast: a finite sum means every numeric field is a finite number
                ok = math.isfinite(sum([rec[f] for f in numeric]))
            except TypeError:
                ok = False
            if not ok:
                for f in numeric:
                    v = rec[f]
                    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                        raise ValueError(f"records[{i}]['{f}'] must be a finite number, got {v!r}")
        if not fitting and not self.mean and self.numeric:
            raise ValueError("call fit() before transform()")
        return recs

    def _fit_numeric(self, recs: list[dict]) -> None:
        for f in self.numeric:
            values = [rec[f] for rec in recs]
            m = math.fsum(values) / len(values)
            sd = math.sqrt(math.fsum((v - m) ** 2 for v in values) / len(values))
            self.mean[f], self.std[f] = m, sd if sd > 0 else 1.0   # a constant column stays 0

    def _tokens(self, rec: dict) -> list[tuple[str, float]]:
        """The (token, value) pairs of one record: z-scored numerics, then indicators."""
        mean, std = self.mean, self.std
        # each "field=value" string is built once and shared by its indicator and its crosses
        # (the same strings cross_token builds): tokens are most of the cost of a transform
        named = {f: f"{f}={rec[f]}" for f in self._named}
        return ([(f, (rec[f] - mean[f]) / std[f]) for f in self.numeric]
                + [(named[f], 1.0) for f in self.categorical]
                + [("&".join([named[f] for f in c]), 1.0) for c in self.crosses])

    def fit_transform(self, records) -> list[dict[int, float]]:
        """Fit on ``records`` and encode them."""
        return self.fit(records).transform(records)

    def fit_split(self, records, cut: int) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        """Fit on the training rows ``records[:cut]`` only, then encode both sides:
        ``(X_train, X_test)``. The test rows get the means, deviations and vocabulary
        training saw, as they would in serving — fitting on every row would leak."""
        records = list(records)
        check_positive_int("cut", cut)
        if cut >= len(records):
            raise ValueError(f"cut must leave test rows (records has {len(records)}), got {cut}")
        return self.fit_transform(records[:cut]), self.transform(records[cut:])


class OneHotEncoder(_Encoder):
    """Exact columns from a vocabulary learned at ``fit``; unseen tokens are dropped."""

    def fit(self, records) -> "OneHotEncoder":
        recs = self._records(records, fitting=True)
        self._fit_numeric(recs)
        self.vocabulary = {}
        for rec in recs:
            for token, _ in self._tokens(rec):
                self.vocabulary.setdefault(token, len(self.vocabulary))
        self.feature_names = sorted(self.vocabulary, key=self.vocabulary.get)
        self.n_features = len(self.vocabulary)
        return self

    def transform(self, records) -> list[dict[int, float]]:
        if not hasattr(self, "vocabulary"):
            raise ValueError("call fit() before transform()")
        recs = self._records(records, fitting=False)
        vocab = self.vocabulary
        return [{vocab[t]: v for t, v in self._tokens(rec) if t in vocab} for rec in recs]

    def __repr__(self) -> str:
        size = getattr(self, "n_features", "unfitted")
        return f"OneHotEncoder(columns={size}, crosses={len(self.crosses)})"


class FeatureHasher(_Encoder):
    """Columns from ``crc32(token) mod n_buckets``: fixed size, no vocabulary, collisions possible."""

    def __init__(self, n_buckets: int = 4096, numeric=(), categorical=(), crosses=()):
        super().__init__(numeric, categorical, crosses)
        self.n_buckets = check_positive_int("n_buckets", n_buckets)
        self.n_features = n_buckets
        self._columns: dict[int, dict[str, int]] = {}   # n_buckets -> {token: column}, see transform
        self._value_columns: dict[int, dict] = {}       # n_buckets -> {field: {value: column}}

    def fit(self, records) -> "FeatureHasher":
        """Only the numeric means and standard deviations are learned."""
        self._fit_numeric(self._records(records, fitting=True))
        self.fitted = True
        return self

    def transform(self, records) -> list[dict[int, float]]:
        if not getattr(self, "fitted", False):
            raise ValueError("call fit() before transform()")
        recs = self._records(records, fitting=False)
        # Each distinct token is hashed once, and its column is kept for later calls too: a
        # server transforms a few rows per request, with the same tokens again and again.
        cache = self._columns.setdefault(self.n_buckets, {})
        by_value = self._value_columns.setdefault(self.n_buckets, {})    # see below
        if len(cache) > 100_000:     # a bound on the memory, for fields with endless values
            cache.clear()
            by_value.clear()
        n_buckets, out = self.n_buckets, []

        def column(token: str) -> int:
            j = cache.get(token)
            if j is None:
                j = cache[token] = zlib.crc32(token.encode("utf-8")) % n_buckets
            return j

        # Building the token strings was most of a transform's time, so the column of each
        # indicator and cross is also kept by the value(s) it comes from, one dict per field or
        # cross. Only for int and str values: 1, 1.0 and True are one dict key but three tokens
        # ("x=1", "x=1.0", "x=True"); a record with any other value takes the token path.
        numeric = [(f, self.mean[f], self.std[f], column(f)) for f in self.numeric]
        fields = [(f, by_value.setdefault(f, {})) for f in self.categorical]
        crosses = [(c, itemgetter(*c), by_value.setdefault(c, {})) for c in self.crosses]
        for rec in recs:
            row = {}
            if not _INT_STR.issuperset(map(type, [rec[f] for f in self._named])):
                for t, v in self._tokens(rec):
                    j = column(t)
                    row[j] = row.get(j, 0.0) + v       # colliding tokens add up
                out.append(row)
                continue
            # the same columns, values and order as the token path (indexing and `in` rather
            # than a .get() call per token: a quarter less time)
            for f, m, sd, j in numeric:
                row[j] = row.get(j, 0.0) + (rec[f] - m) / sd
            for f, seen in fields:
                v = rec[f]
                try:
                    j = seen[v]
                except KeyError:
                    j = seen[v] = column(f"{f}={v}")
                row[j] = row[j] + 1.0 if j in row else 1.0
            for c, values, seen in crosses:
                v = values(rec)
                try:
                    j = seen[v]
                except KeyError:
                    j = seen[v] = column("&".join([f"{f}={rec[f]}" for f in c]))
                row[j] = row[j] + 1.0 if j in row else 1.0
            out.append(row)
        return out

    def __repr__(self) -> str:
        return f"FeatureHasher(n_buckets={self.n_buckets}, crosses={len(self.crosses)})"
