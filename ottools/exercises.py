"""Feedback on the exercises of the tours: a check that says what is right or what is wrong.

Every exercise of a tour is three cells: a question (Markdown, ``**Exercise N (★★, from scratch).**``),
a solution cell (tagged ``solution``; its metadata lists under ``"answers"`` the names the reader
must define) and a check cell (tagged ``check``) that calls :func:`check`::

    exercises.check("area", area, exercises.scalar(), exercises.close(W1, rtol=1e-9))

The student edition replaces every solution by ``area = ...`` (one line per answer). ``check`` then
prints "not done yet" instead of failing, so the edition runs from top to bottom with every
exercise blank. Once the reader has written an answer, ``check`` prints "right", or raises an
:class:`ExerciseError` that says what is wrong (wrong shape, off by a factor, not normalised, in
another order...) without printing the expected values. In the tours themselves, where the
teacher's solutions run, a failing check fails the tour's tests.

A test is a function ``test(value) -> None or str``: ``None`` when the value passes, otherwise the
hint to show. The tests of this module cover the usual answers; :func:`that` wraps any predicate.
"""

from __future__ import annotations

import numpy as np

from ._validate import ArgumentTypeError, _numeric_array, check_callable, check_int, check_real, check_shape, check_weights

__all__ = [
    "ExerciseError", "check", "close", "shape", "scalar", "probability", "coupling",
    "permutation", "image", "between", "that",
]


class ExerciseError(AssertionError):
    """An answer that is not right yet; the message says what is wrong."""

    def _render_traceback_(self):  # IPython shows the hint alone, not a traceback into this module
        return [f"\x1b[31m{self}\x1b[0m"]


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def check(name, value, *tests):
    """Check the answer ``value`` (the reader's variable called ``name``) with every test in turn.

    Parameters
    ----------
    name : str
        The name of the answer, as the question gives it.
    value : object
        The answer; ``...`` (the student edition's blank) means not done yet.
    *tests : callable
        Each ``test(value)`` returns ``None`` if the value passes, else a hint.

    Returns
    -------
    done : bool
        ``True`` if every test passed, ``False`` if the answer is still blank.

    Raises
    ------
    ExerciseError
        With the hint of the first failing test.

    Examples
    --------
    >>> check("p", np.array([0.25, 0.75]), probability())
    ✓ p: right
    True
    >>> check("p", ...)
    … p: not done yet (write your code in the cell above, then run this cell again)
    False
    >>> check("p", np.array([1.0, 3.0]), probability())
    Traceback (most recent call last):
    ...
    ottools.exercises.ExerciseError: ✗ p: not normalised: its entries sum to 4, not 1
    """
    if not isinstance(name, str) or not name:
        raise ArgumentTypeError(f"name must be the answer's name (a non-empty str), got {type(name).__name__}")
    for k, test in enumerate(tests):
        check_callable(test, f"tests[{k}]", allow_none=False)
    if value is Ellipsis:
        print(f"… {name}: not done yet (write your code in the cell above, then run this cell again)")
        return False
    for test in tests:
        hint = test(value)
        if hint:
            raise ExerciseError(f"✗ {name}: {hint}")
    print(f"✓ {name}: right")
    return True


def _as_array(value):
    """The answer as a float array, or a hint if it is not numeric."""
    if isinstance(value, (str, bytes)) or value is None:
        return None, f"expected numbers, got {_describe(value)}"
    try:
        arr = np.asarray(value)
    except Exception:  # ragged lists and the like
        return None, f"expected an array of numbers, got {_describe(value)}"
    if arr.dtype == bool:
        return None, "expected numbers, got booleans"
    if not (np.issubdtype(arr.dtype, np.number)):
        return None, f"expected an array of numbers, got {_describe(value)} of {arr.dtype}"
    if np.iscomplexobj(arr):
        return arr.astype(complex), None
    return arr.astype(float), None


def _finite(arr):
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        return f"{bad} entr{'y is' if bad == 1 else 'ies are'} NaN or infinite"
    return None


def close(expected, rtol=1e-7, atol=0.0):
    """The answer equals ``expected`` up to ``|x - y| <= atol + rtol |y|`` entrywise.

    When it does not, the hint says how it differs, if it can tell: the shape, NaN, a constant factor
    (a missing normalisation), the sign, a transpose, the same values in another order.

    >>> close(np.array([1.0, 2.0]))(np.array([2.0, 4.0]))
    'off by a constant factor: it is 2 times the expected values'
    """
    want = _numeric_array(expected, "expected")
    want = want.astype(complex) if np.iscomplexobj(want) else want.astype(float)
    if not np.all(np.isfinite(want)):
        raise ValueError("expected must be finite (no NaN or inf): it is the reference the answer is compared with")
    rtol = check_real(rtol, "rtol", minimum=0.0)
    atol = check_real(atol, "atol", minimum=0.0)

    def test(value):
        got, hint = _as_array(value)
        if hint:
            return hint
        if got.shape != want.shape:
            if got.size == want.size:
                return f"shape {got.shape}, expected {want.shape} (right number of entries: reshape or transpose?)"
            return f"shape {got.shape}, expected {want.shape}"
        hint = _finite(got)
        if hint:
            return hint
        err = np.abs(got - want)
        allowed = atol + rtol * np.abs(want)
        if np.all(err <= allowed):
            return None
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        if want.size > 1 and scale > 0 and np.max(np.abs(got)) > 0:
            # a constant ratio: the answer is c * expected
            ratio = np.vdot(want, got) / np.vdot(want, want)
            if np.all(np.abs(got - ratio * want) <= atol + rtol * np.abs(ratio * want) + 1e-12 * scale * abs(ratio)):
                if np.isclose(ratio, -1.0):
                    return "the sign is wrong"
                return f"off by a constant factor: it is {ratio.real:.4g} times the expected values"
        if want.ndim == 2 and want.shape[0] == want.shape[1] and np.all(np.abs(got.T - want) <= allowed):
            return "transposed: swap the two axes"
        if want.size > 1 and np.allclose(np.sort(got, axis=None), np.sort(want, axis=None), rtol=rtol, atol=atol):
            return "the right values, in another order"
        if want.size == 1:
            if np.isclose(got, -want, rtol=rtol, atol=atol):
                return "the sign is wrong"
            relative = float(np.abs(got - want).max() / max(scale, 1e-300))
            return f"not right: the relative error is {relative:.2g} (allowed {rtol:.2g})"
        index = tuple(int(i) for i in np.unravel_index(np.argmax(err - allowed), want.shape))
        return (f"not close enough: the largest error is {float(np.max(err)):.3g} "
                f"(allowed {float(np.max(allowed)):.3g}, at index {index})")

    return test


def shape(expected):
    """The answer is an array of shape ``expected`` (a tuple of ints)."""
    expected = check_shape(expected, "expected", minimum=1)

    def test(value):
        got, hint = _as_array(value)
        if hint:
            return hint
        if got.shape != expected:
            return f"shape {got.shape}, expected {expected}"
        return None

    return test


def scalar():
    """The answer is one finite real number (a Python or numpy float, or a 0-d array)."""

    def test(value):
        got, hint = _as_array(value)
        if hint:
            return hint
        if got.ndim != 0:
            return f"expected one number, got {_describe(got)}"
        if np.iscomplexobj(got):
            return "expected a real number, got a complex one"
        return _finite(got)

    return test


def probability(axis=None):
    """The answer holds non-negative weights that sum to 1 (along ``axis`` if given)."""
    if axis is not None:
        axis = check_int(axis, "axis", minimum=-32, maximum=31)

    def test(value):
        got, hint = _as_array(value)
        if hint:
            return hint
        hint = _finite(got)
        if hint:
            return hint
        if np.any(got < -1e-12):
            return "some weights are negative"
        sums = got.sum(axis=axis)
        if not np.allclose(sums, 1.0, rtol=0, atol=1e-9 * max(1, got.size)):
            total = np.ravel(sums)[np.argmax(np.abs(np.ravel(sums) - 1))]
            return f"not normalised: its entries sum to {total:.4g}, not 1"
        return None

    return test


def coupling(a, b, atol=1e-9):
    """The answer is a coupling of the weights ``a`` and ``b``: non-negative, rows sum to ``a``, columns to ``b``."""
    a = check_weights(a, _numeric_array(a, "a").size, "a")
    b = check_weights(b, _numeric_array(b, "b").size, "b")
    atol = check_real(atol, "atol", minimum=0.0)

    def test(value):
        got, hint = _as_array(value)
        if hint:
            return hint
        if got.shape != (a.size, b.size):
            if got.shape == (b.size, a.size):
                return f"shape {got.shape}, expected {(a.size, b.size)}: transposed?"
            return f"shape {got.shape}, expected {(a.size, b.size)} (len(a) rows, len(b) columns)"
        hint = _finite(got)
        if hint:
            return hint
        if np.any(got < -atol):
            return "some entries are negative"
        rows, cols = got.sum(axis=1), got.sum(axis=0)
        if not np.allclose(rows, a, rtol=0, atol=atol):
            if np.allclose(rows / max(rows.sum(), 1e-300), a, rtol=0, atol=atol):
                return f"the rows sum to a multiple of a (total mass {rows.sum():.4g}, not 1): normalise"
            return f"the rows do not sum to a (largest gap {np.max(np.abs(rows - a)):.3g})"
        if not np.allclose(cols, b, rtol=0, atol=atol):
            return f"the columns do not sum to b (largest gap {np.max(np.abs(cols - b)):.3g})"
        return None

    return test


def permutation(n):
    """The answer is a permutation of ``0, ..., n-1`` (an integer array, each index once)."""
    n = check_int(n, "n", minimum=1)

    def test(value):
        got = np.asarray(value)
        if not np.issubdtype(got.dtype, np.integer):
            return f"expected integer indices, got {got.dtype}"
        if got.shape != (n,):
            return f"shape {got.shape}, expected ({n},)"
        if not np.array_equal(np.sort(got), np.arange(n)):
            missing = np.setdiff1d(np.arange(n), got)
            return f"not a permutation: {missing.size} indices are missing (some appear twice)"
        return None

    return test


def image(shape=None):
    """The answer is an image: floats in [0, 1], of shape ``(H, W)`` or ``(H, W, 3)`` (or ``shape``)."""
    if shape is not None:
        shape = check_shape(shape, "shape", ndim=(2, 3), minimum=1)

    def test(value):
        got, hint = _as_array(value)
        if hint:
            return hint
        if shape is not None and got.shape != shape:
            return f"shape {got.shape}, expected {shape}"
        if not (got.ndim == 2 or (got.ndim == 3 and got.shape[2] == 3)):
            return f"an image has shape (H, W) or (H, W, 3), got {got.shape}"
        hint = _finite(got)
        if hint:
            return hint
        if got.min() < -1e-9 or got.max() > 1 + 1e-9:
            return f"values in [{got.min():.3g}, {got.max():.3g}]: an image takes values in [0, 1] (clip it?)"
        return None

    return test


def between(low, high):
    """The answer is a number in ``[low, high]``."""
    low = check_real(low, "low")
    high = check_real(high, "high", minimum=low)

    def test(value):
        hint = scalar()(value)
        if hint:
            return hint
        if not low <= float(value) <= high:
            return f"{float(value):.4g} is outside the range [{low:.4g}, {high:.4g}] it must be in"
        return None

    return test


def that(predicate, hint):
    """A test from any predicate: the answer passes if ``predicate(value)`` is true, else ``hint``.

    >>> that(lambda v: v > 0, "it must be positive")(-1.0)
    'it must be positive'
    """
    check_callable(predicate, "predicate", allow_none=False)
    if not isinstance(hint, str) or not hint:
        raise ArgumentTypeError(f"hint must be a non-empty str, got {type(hint).__name__}")

    def test(value):
        try:
            ok = bool(predicate(value))
        except Exception as err:  # the answer has the wrong kind for the predicate
            return f"{hint} (checking it raised {type(err).__name__}: {err})"
        return None if ok else hint

    return test
