"""Unit tests for mlsd.validate: every checker accepts good input and names the argument."""

import math

import pytest

from mlsd import validate as v


def test_int_checks():
    assert v.check_int("n", 3) == 3
    assert v.check_positive_int("n", 1) == 1
    assert v.check_non_negative_int("n", 0) == 0
    with pytest.raises(TypeError, match="^n must be an integer"):
        v.check_int("n", 2.0)
    with pytest.raises(TypeError, match="^n must be an integer"):
        v.check_positive_int("n", True)
    with pytest.raises(ValueError, match="^n must be a positive integer, got 0"):
        v.check_positive_int("n", 0)
    with pytest.raises(ValueError, match="^count must be a non-negative integer"):
        v.check_non_negative_int("count", -1)


def test_number_checks():
    assert v.check_number("x", 2) == 2.0
    assert v.check_positive("lr", 0.1) == 0.1
    with pytest.raises(TypeError, match="^x must be a number"):
        v.check_number("x", "1")
    with pytest.raises(ValueError, match="^x must be finite"):
        v.check_number("x", math.nan)
    with pytest.raises(ValueError, match="^lr must be > 0"):
        v.check_positive("lr", 0)
    assert v.check_in_range("t", 0.5, 0, 1) == 0.5
    with pytest.raises(ValueError, match="^t must be between"):
        v.check_in_range("t", 2, 0, 1)


def test_probability():
    assert v.check_probability("p", 0) == 0.0
    assert v.check_probability("p", 1) == 1.0
    with pytest.raises(ValueError, match=r"^p must be a probability in \[0, 1\]"):
        v.check_probability("p", 1.5)
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        v.check_probability("p", 0, open_low=True, open_high=True)
    with pytest.raises(ValueError):
        v.check_probability("p", 1, open_high=True)


def test_choice_callable_non_empty():
    assert v.check_choice("metric", "ip", ("ip", "cosine")) == "ip"
    with pytest.raises(ValueError, match="^metric must be one of 'ip', 'cosine'"):
        v.check_choice("metric", "l1", ("ip", "cosine"))
    assert v.check_callable("f", len) is len
    with pytest.raises(TypeError, match="^f must be callable"):
        v.check_callable("f", 3)
    assert v.check_non_empty("xs", (1, 2)) == [1, 2]
    with pytest.raises(ValueError, match="^xs must not be empty"):
        v.check_non_empty("xs", [])
    with pytest.raises(TypeError, match="^xs must be a sequence"):
        v.check_non_empty("xs", 5)
    with pytest.raises(TypeError):
        v.check_non_empty("xs", "abc")


def test_vector():
    assert v.check_finite_vector("q", (1, 2.5)) == [1.0, 2.5]
    with pytest.raises(ValueError, match="^q must not be empty"):
        v.check_finite_vector("q", [])
    with pytest.raises(ValueError, match="^q must have length 3, got 2"):
        v.check_finite_vector("q", [1, 2], dim=3)
    with pytest.raises(ValueError, match=r"^q\[1\] must be finite, got nan"):
        v.check_finite_vector("q", [1, math.nan])
    with pytest.raises(ValueError, match=r"^q\[0\] must be finite, got inf"):
        v.check_finite_vector("q", [math.inf])
    with pytest.raises(TypeError, match=r"^q\[0\] must be a number"):
        v.check_finite_vector("q", ["a"])
    with pytest.raises(TypeError, match="^q must be a sequence of numbers"):
        v.check_finite_vector("q", 3.0)


def test_same_length():
    assert v.check_same_length("a", [1, 2], "b", "xy") == 2
    with pytest.raises(ValueError, match="^a and b must have the same length, got 1 and 2"):
        v.check_same_length("a", [1], "b", [1, 2])


def test_matrix():
    assert v.check_matrix("m", [[1, 2], [3, 4]]) == [[1.0, 2.0], [3.0, 4.0]]
    assert v.check_matrix("m", [(1, 2)], dim=2) == [[1.0, 2.0]]
    with pytest.raises(ValueError, match="^m must not be empty"):
        v.check_matrix("m", [])
    with pytest.raises(ValueError, match=r"^m\[1\] must have length 2"):
        v.check_matrix("m", [[1, 2], [3]])
    with pytest.raises(ValueError, match=r"^m\[0\] must have length 3"):
        v.check_matrix("m", [[1, 2]], dim=3)
    with pytest.raises(ValueError, match=r"^m\[1\]\[0\] must be finite"):
        v.check_matrix("m", [[1], [math.nan]])
    with pytest.raises(TypeError, match="^m must be a sequence of rows"):
        v.check_matrix("m", 7)
    with pytest.raises(TypeError, match=r"^m\[0\] must be a sequence"):
        v.check_matrix("m", [1, 2])


def test_matrix_fast_and_slow_paths_agree():
    """Plain rows take the one-pass path; anything else the per-row path: same result, same errors."""
    import array
    rows = [[1, 2.5], (3, 4)]
    out = v.check_matrix("m", rows)
    assert out == [[1.0, 2.5], [3.0, 4.0]] and all(type(x) is float for r in out for x in r)
    assert out[0] is not rows[0]                       # a copy: the caller's rows are untouched
    assert v.check_matrix("m", [array.array("d", [1, 2])]) == [[1.0, 2.0]]
    with pytest.raises(TypeError, match=r"^m\[1\]\[1\] must be a number, got bool"):
        v.check_matrix("m", [[1, 2], [3, True]])
    with pytest.raises(ValueError, match=r"^m\[0\]\[1\] must be finite, got inf"):
        v.check_matrix("m", [[1, math.inf], [3, 4]])


def test_k():
    assert v.check_k(3, 10) == 3
    assert v.check_k(10, 10) == 10
    with pytest.raises(ValueError, match=r"^k must be <= the number of items \(5\), got 6"):
        v.check_k(6, 5)
    with pytest.raises(ValueError, match="^k must be a positive integer"):
        v.check_k(0, 5)
    with pytest.raises(TypeError, match="^k must be an integer"):
        v.check_k(1.0, 5)
    with pytest.raises(ValueError, match="^top_n must be"):
        v.check_k(9, 5, name="top_n")


def test_non_negative():
    assert v.check_non_negative("l2", 0) == 0.0
    assert v.check_non_negative("l2", 2) == 2.0
    with pytest.raises(ValueError, match="^l2 must be >= 0, got -1.0"):
        v.check_non_negative("l2", -1)
    with pytest.raises(TypeError, match="^l2 must be a number"):
        v.check_non_negative("l2", "1")


def test_labels():
    assert v.check_labels("y", [0, 1, True, 1.0]) == [0, 1, 1, 1]
    with pytest.raises(ValueError, match="^y must contain only 0 and 1, got 2 at index 1"):
        v.check_labels("y", [0, 2])
    with pytest.raises(ValueError, match="^y must not be empty"):
        v.check_labels("y", [])
    with pytest.raises(TypeError, match=r"^y\[0\] must be 0 or 1, got str"):
        v.check_labels("y", ["1"])
    with pytest.raises(TypeError, match="^y must be a sequence of 0/1 labels"):
        v.check_labels("y", "01")


def test_open_probability():
    assert v.check_open_probability("alpha", 0.05) == 0.05
    for bad in (0, 1, 1.5):
        with pytest.raises(ValueError, match=r"^alpha must be a probability in \(0, 1\)"):
            v.check_open_probability("alpha", bad)


def test_positive_ints():
    assert v.check_positive_ints(n=3, d=1) is None
    with pytest.raises(ValueError, match="^d must be a positive integer, got 0"):
        v.check_positive_ints(n=3, d=0, k=-1)
    with pytest.raises(TypeError, match="^n must be an integer"):
        v.check_positive_ints(n=2.0)
