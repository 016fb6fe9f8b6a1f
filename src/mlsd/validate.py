"""Input checks shared by every ``mlsd`` module and the case studies.

Each public function in the library validates its arguments before doing any
work, so a reader who passes ``k=0`` or a vector with a ``nan`` in it gets a
clear message naming the argument instead of a wrong answer or a deep
traceback. These helpers keep those checks to one line each.

Conventions:

- A wrong *type* raises ``TypeError``; a wrong *value* raises ``ValueError``.
- The message always starts with the argument name, e.g.
  ``"k must be a positive integer, got 0"``.
- ``bool`` is not accepted where a number is expected (``True`` is an ``int``
  in Python, but passing it as a count is almost always a mistake).
- Each checker returns the (possibly converted) value, so it can be used inline:
  ``k = check_positive_int("k", k)``.
"""

from __future__ import annotations

import math
from itertools import chain
from numbers import Real

__all__ = [
    "check_int",
    "check_positive_int",
    "check_positive_ints",
    "check_non_negative_int",
    "check_number",
    "check_positive",
    "check_non_negative",
    "check_probability",
    "check_open_probability",
    "check_in_range",
    "check_choice",
    "check_finite_vector",
    "check_same_length",
    "check_matrix",
    "check_k",
    "check_non_empty",
    "check_callable",
    "check_labels",
]


_PLAIN = {float, int}
_ROW_TYPES = {list, tuple}
_LABEL_TYPES = {int, bool, float}


def _show(value: object) -> str:
    """A short repr for error messages (long lists are cut)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_int(name: str, value: object) -> int:
    """Return ``value`` if it is an ``int`` (not ``bool``); else raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_show(value)}")
    return value


def check_positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is an ``int`` >= 1."""
    check_int(name, value)
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return value


def check_positive_ints(**counts: object) -> None:
    """Check several counts at once: ``check_positive_ints(n=n, d=d)`` raises the error
    of :func:`check_positive_int` for the first one that is not an ``int`` >= 1."""
    for name, value in counts.items():
        check_positive_int(name, value)


def check_non_negative_int(name: str, value: object) -> int:
    """Return ``value`` if it is an ``int`` >= 0."""
    check_int(name, value)
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}")
    return value


def check_number(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number (not ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {_show(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite number > 0."""
    value = check_number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def check_non_negative(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite number >= 0 (a penalty, a threshold)."""
    value = check_number(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_probability(name: str, value: object, *, open_low: bool = False,
                      open_high: bool = False) -> float:
    """Return ``value`` as a float if it lies in [0, 1].

    ``open_low=True`` excludes 0 and ``open_high=True`` excludes 1 (for example
    a Zipf or logit input where 0 or 1 would make a log blow up).
    """
    value = check_number(name, value)
    low_ok = value > 0 if open_low else value >= 0
    high_ok = value < 1 if open_high else value <= 1
    if not (low_ok and high_ok):
        interval = ("(" if open_low else "[") + "0, 1" + (")" if open_high else "]")
        raise ValueError(f"{name} must be a probability in {interval}, got {value}")
    return value


def check_open_probability(name: str, value: object) -> float:
    """Return ``value`` as a float if it lies in (0, 1): a rate that must not be
    0 or 1, a significance level ``alpha``, a power."""
    return check_probability(name, value, open_low=True, open_high=True)


def check_in_range(name: str, value: object, low: float, high: float) -> float:
    """Return ``value`` as a float if ``low <= value <= high``."""
    value = check_number(name, value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def check_choice(name: str, value: object, choices) -> object:
    """Return ``value`` if it is one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {_show(value)}")
    return value


def check_non_empty(name: str, value) -> list:
    """Return ``value`` as a list, raising ``ValueError`` if it is empty."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of items, got a string")
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a sequence, got {type(value).__name__}") from None
    if not items:
        raise ValueError(f"{name} must not be empty")
    return items


def check_callable(name: str, value: object) -> object:
    """Return ``value`` if it can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def check_finite_vector(name: str, v, dim: int | None = None) -> list[float]:
    """Return ``v`` as a list of floats: non-empty, all finite, length ``dim`` if given.

    Accepts any sequence of real numbers (list, tuple, ``array.array``).
    """
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__"):
        raise TypeError(f"{name} must be a sequence of numbers, got {type(v).__name__}")
    if len(v) == 0:
        raise ValueError(f"{name} must not be empty")
    if dim is not None and len(v) != dim:
        raise ValueError(f"{name} must have length {dim}, got {len(v)}")
    # Fast path for the common case (all plain floats/ints): type and
    # finiteness checks run in C, which matters for 50k x 32 index builds.
    if set(map(type, v)) <= _PLAIN and math.isfinite(sum(v, 0.0)):   # see check_matrix
        return list(map(float, v))
    out = []
    for i, x in enumerate(v):
        if isinstance(x, bool) or not isinstance(x, Real):
            raise TypeError(f"{name}[{i}] must be a number, got {type(x).__name__} {_show(x)}")
        x = float(x)
        if not math.isfinite(x):
            raise ValueError(f"{name}[{i}] must be finite, got {x}")
        out.append(x)
    return out


def check_same_length(name_a: str, a, name_b: str, b) -> int:
    """Return the common length of ``a`` and ``b``; raise ``ValueError`` if they differ."""
    if len(a) != len(b):
        raise ValueError(f"{name_a} and {name_b} must have the same length, "
                         f"got {len(a)} and {len(b)}")
    return len(a)


def check_matrix(name: str, rows, dim: int | None = None, *,
                 copy: bool = True) -> list[list[float]]:
    """Return ``rows`` as a list of float lists: non-empty, rectangular, all finite.

    If ``dim`` is given every row must have that many columns. The error for a
    bad cell names the row, e.g. ``"vectors[3][7] must be finite, got nan"``.
    With ``copy=False``, rows that are already lists or tuples of plain ints and
    floats come back as they are (ints not converted): for a caller that reads
    only a few of their numbers and converts those itself.
    """
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__"):
        raise TypeError(f"{name} must be a sequence of rows, got {type(rows).__name__}")
    if len(rows) == 0:
        raise ValueError(f"{name} must not be empty")
    if dim is None:
        first = rows[0]
        if isinstance(first, (str, bytes)) or not hasattr(first, "__len__"):
            raise TypeError(f"{name}[0] must be a sequence of numbers, got {type(first).__name__}")
        dim = len(first)
    # Fast path for the common case (plain lists of plain floats/ints): one pass in C over the
    # whole matrix instead of one function call per row; it cuts the validation that every
    # model's fit and predict pays by about a third on large matrices.
    # The sum is inf or nan as soon as one number is: one C loop instead of an isfinite()
    # call per number (an overflowing sum of finite numbers just takes the slow path).
    if set(map(type, rows)) <= _ROW_TYPES and set(map(len, rows)) == {dim}:
        flat = list(chain.from_iterable(rows))
        if set(map(type, flat)) <= _PLAIN and math.isfinite(sum(flat, 0.0)):
            return [list(map(float, row)) for row in rows] if copy else list(rows)
    out = []
    for i, row in enumerate(rows):
        row_name = f"{name}[{i}]"
        if not isinstance(row, (str, bytes)) and hasattr(row, "__len__") and len(row) != dim:
            raise ValueError(f"{row_name} must have length {dim} like the other rows, "
                             f"got {len(row)}")
        out.append(check_finite_vector(row_name, row, dim))
    return out


def check_k(k: object, n: int, name: str = "k") -> int:
    """Return ``k`` if it is an int with ``1 <= k <= n`` (``n`` = corpus size)."""
    check_positive_int(name, k)
    if k > n:
        raise ValueError(f"{name} must be <= the number of items ({n}), got {k}")
    return k


def check_labels(name: str, y) -> list[int]:
    """Return ``y`` as a list of 0/1 ints; accepts ints, bools and floats equal to 0 or 1."""
    if isinstance(y, (str, bytes)) or not hasattr(y, "__len__"):
        raise TypeError(f"{name} must be a sequence of 0/1 labels, got {type(y).__name__}")
    if len(y) == 0:
        raise ValueError(f"{name} must not be empty")
    # Fast path (plain ints, bools or floats, all 0 or 1): the checks run in C, not one
    # Python step per label; anything else goes through the loop that names the culprit.
    if set(map(type, y)) <= _LABEL_TYPES and set(y) <= {0, 1}:
        return list(map(int, y))
    out = []
    for i, v in enumerate(y):
        if not isinstance(v, (int, float)):
            raise TypeError(f"{name}[{i}] must be 0 or 1, got {type(v).__name__} {v!r}")
        if v != 0 and v != 1:
            raise ValueError(f"{name} must contain only 0 and 1, got {v!r} at index {i}")
        out.append(int(v))
    return out
