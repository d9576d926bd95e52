"""Kinds of arguments for the bad-input battery (``tests/test_bad_input.py``).

A *case* is one valid call of a public callable of ``ottools``, written with one :class:`Arg` per
argument. Each :class:`Arg` holds the valid value, variants that must also work (``good``: a plain
list for an array, a numpy integer for an int...) and variants that must be refused (``bad``) with a
``ValueError`` or ``TypeError`` whose message names the argument.

The battery then calls the callable once per variant, all other arguments valid. A spec module
``spec_<module>.py`` beside this file lists the cases of one ``ottools`` module in ``CASES``; the
battery fails if a callable of a module's ``__all__`` has no case, so every new public function is
covered as soon as it is exported.

Sizes called "huge" are far beyond any machine (an unguarded allocation fails at once with
``MemoryError``, which the battery reports): a function must refuse them with a ``ValueError`` naming
the argument, from a documented limit checked before allocating.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import numpy as np
from seeds import make_rng

HUGE = 10**13  # elements: 80 TB in float64, refused before allocating
_GEN = make_rng(12345)  # the valid data of the cases follow OTTOOLS_TEST_SEED like every test


@dataclasses.dataclass
class Arg:
    """One argument: its valid value, values that must work too, values that must be refused."""

    valid: Any
    good: list = dataclasses.field(default_factory=list)  # (label, value)
    bad: list = dataclasses.field(default_factory=list)  # (label, value)
    names: tuple = ()  # extra words that may name the argument in messages (rarely needed)
    positional: bool = False  # pass this argument positionally (for *args signatures)

    def but(self, *, good=(), bad=(), drop=()):
        """A copy with more good/bad variants, or without the variants whose label is in ``drop``.

        A new good variant replaces a bad one of the same label (``good=[("None", None)]`` makes
        ``None`` acceptable), and a new bad one replaces a good one of the same label.
        """
        good, bad = list(good), list(bad)
        drop = set(drop)
        drop_good = drop | {lab for lab, _ in bad}
        drop_bad = drop | {lab for lab, _ in good}
        return Arg(
            self.valid,
            [g for g in self.good if g[0] not in drop_good] + good,
            [b for b in self.bad if b[0] not in drop_bad] + bad,
            self.names,
            self.positional,
        )


@dataclasses.dataclass
class Case:
    fn: Callable
    args: dict
    target: Any  # the object of __all__ this case covers (fn itself, or the class of a method)
    label: str
    check_output: bool = True  # valid outputs must be free of NaN

    @property
    def id(self):
        return self.label


def case(fn, /, *, _target=None, _label=None, _check_output=True, **args):
    """A valid call ``fn(**args)`` whose arguments are :class:`Arg` (plain values are fixed)."""
    args = {k: (v if isinstance(v, Arg) else fixed(v)) for k, v in args.items()}
    target = fn if _target is None else _target
    label = _label or getattr(fn, "__qualname__", repr(fn))
    return Case(fn, args, target, label, _check_output)


def fixed(value):
    """An argument the battery does not vary."""
    return Arg(value)


# ------------------------------------------------------------------ arrays

_NOT_ARRAYS = [("None", None), ("string", "abc"), ("dict", {"a": 1})]


def array(value, *, ndim_bad=True, nan=True, empty=None, extra_bad=(), good_list=True):
    """A real array argument: refuses NaN, inf, complex, booleans, strings, None, a wrong ndim."""
    value = np.asarray(value)
    bad = list(_NOT_ARRAYS)
    if nan and value.size:
        v = value.astype(float).copy()
        v.flat[0] = np.nan
        bad.append(("nan", v))
        v = value.astype(float).copy()
        v.flat[-1] = np.inf
        bad.append(("inf", v))
    bad.append(("complex", value.astype(complex) + 1j))
    bad.append(("bool", value.astype(bool)))
    if ndim_bad:
        bad.append(("ndim+1", value[..., None, None] if value.ndim else np.zeros((2, 2, 2, 2))))
    if empty is not None:
        bad.append(("empty", empty))
    bad.extend(extra_bad)
    good = [("list", value.tolist())] if good_list else []
    return Arg(value, good, bad)


def points(n=12, d=2, *, min_points=1, wrong_d=True, data=None):
    """A point cloud of shape ``(n, d)``."""
    X = _GEN.random((n, d)) if data is None else np.asarray(data, dtype=float)
    extra = [("empty", np.zeros((0, d)))]
    if wrong_d and d > 1:
        extra.append(("wrong d", X[:, :-1] if d > 1 else np.zeros((n, 2))))
    if min_points > 1:
        extra.append(("too few", X[: min_points - 1]))
    return array(X, extra_bad=extra)


def weights(n, *, allow_none=True):
    """Probability weights of ``n`` atoms."""
    w = _GEN.random(n) + 0.5
    w /= w.sum()
    neg = w.copy()
    neg[0] = -neg[0]
    bad = [
        ("negative", neg),
        ("unnormalised", 2 * w),
        ("wrong length", np.full(n + 1, 1.0 / (n + 1))),
        ("2-D", w[None, :]),
    ]
    arg = array(w, ndim_bad=False, extra_bad=bad)
    arg.bad = [b for b in arg.bad if b[0] != "bool"] + [("bool", np.ones(n, dtype=bool))]
    if allow_none:
        arg = arg.but(good=[("None", None)])
    return arg


def image(h=12, w=14, *, colour=True, grey_ok=True, data=None):
    """An image in ``[0, 1]`` (RGB or grey)."""
    img = (_GEN.random((h, w, 3)) if colour else _GEN.random((h, w))) if data is None else data
    img = np.asarray(img)
    bad = [
        ("None", None),
        ("string", "img.png"),
        ("nan", np.where(np.arange(img.size).reshape(img.shape) == 0, np.nan, img)),
        ("above 1", img * 3.0 + 0.1),
        ("negative", img - 0.5),
        ("bool", img > 0.5),
        ("int32", (img * 255).astype(np.int32)),
        ("complex", img.astype(complex)),
        ("1-D", img.ravel()),
        ("4-D", img[None]),
        ("empty", img[:0]),
    ]
    if colour:
        bad.append(("alpha", np.concatenate([img, np.ones(img.shape[:2] + (1,))], axis=2)))
        if not grey_ok:
            bad.append(("grey", img.mean(axis=2)))
    good = [("uint8", (img * 255).round().astype(np.uint8)), ("float32", img.astype(np.float32))]
    return Arg(img, good, bad)


def psd(d=2, *, batch=(), data=None):
    """A symmetric positive semi-definite matrix (or a stack)."""
    if data is None:
        A = _GEN.standard_normal(batch + (d, d))
        S = A @ np.swapaxes(A, -1, -2) + 0.5 * np.eye(d)
    else:
        S = np.asarray(data, dtype=float)
    asym = S.copy()
    asym[..., 0, -1] += 1.0
    neg = S - (np.abs(S).max() * 10 + 1) * np.eye(d)
    bad = [
        ("not symmetric", asym),
        ("negative", neg),
        ("not square", S[..., :, :-1] if d > 1 else np.zeros(batch + (1, 2))),
        ("1-D", S.reshape(-1)),
    ]
    return array(S, ndim_bad=False, extra_bad=bad)


def sequence(items, *, min_len=1, item_bad=True):
    """A list of valid items (arrays): refuses an empty list, a non-list, an item with NaN."""
    items = list(items)
    bad = [("string", "abc"), ("None", None), ("int", 3)]
    if min_len >= 1:
        bad.append(("empty", []))
    if min_len > 1:
        bad.append(("too short", items[: min_len - 1]))
    if item_bad:
        first = np.asarray(items[0], dtype=float).copy()
        first.flat[0] = np.nan
        bad.append(("item nan", [first] + items[1:]))
        bad.append(("item string", ["abc"] + items[1:]))
    return Arg(items, [("tuple", tuple(items))], bad)


# ------------------------------------------------------------------ scalars

_NOT_NUMBERS = [("None", None), ("string", "3"), ("bool", True), ("list", [1]), ("complex", 1 + 2j)]


def count(valid, *, minimum=1, huge=True, maximum=None):
    """An integer count, at least ``minimum``; ``huge`` counts must be refused before allocating."""
    bad = list(_NOT_NUMBERS) + [("float", float(valid) + 0.5), ("float-int", float(valid)), ("nan", float("nan"))]
    if minimum > -(10**9):
        bad.append(("below minimum", minimum - 1))
        if minimum - 1 != -1:
            bad.append(("minus one", -1))
    if huge:
        bad.append(("huge", HUGE))
    if maximum is not None:
        bad.append(("above maximum", maximum + 1))
    return Arg(valid, [("numpy int", np.int64(valid))], bad)


def max_iter(valid=5):
    """A number of iterations (0, -1, 2.5 and booleans refused)."""
    return count(valid, minimum=1, huge=False).but(bad=[("zero", 0)], drop=("below minimum",))


def real(valid, *, minimum=None, maximum=None, strict=False, inf_ok=False):
    """A real scalar in a range."""
    bad = list(_NOT_NUMBERS) + [("nan", float("nan"))]
    if not inf_ok:
        bad += [("inf", float("inf")), ("-inf", float("-inf"))]
    if minimum is not None:
        bad.append(("below minimum", minimum - 1.0 if np.isfinite(minimum) else -1e300))
        if strict:
            bad.append(("at minimum", minimum))
    if maximum is not None:
        bad.append(("above maximum", maximum + 1.0))
    return Arg(valid, [("numpy float", np.float64(valid))], bad)


def tol(valid=1e-6):
    """A tolerance: finite and positive."""
    return real(valid, minimum=0.0, strict=True)


def flag(valid=True):
    """``True`` or ``False`` only."""
    return Arg(valid, [("numpy bool", np.bool_(valid))],
               [("string", "False"), ("None", None), ("int", 1), ("float", 0.0)])


def option(valid, *, others=()):
    """One of a set of strings."""
    return Arg(valid, [(f"option {o}", o) for o in others],
               [("unknown", "no-such-option"), ("None", None), ("int", 3), ("upper", str(valid).upper() + "X")])


def rng(valid=0):
    """``None``, a seed or a Generator."""
    return Arg(valid, [("None", None), ("generator", np.random.default_rng(1)), ("numpy int", np.int64(2))],
               [("string", "seed"), ("float", 2.5), ("negative", -1), ("bool", True), ("list", [1.5])])


def callback(valid=None):
    """``None`` or a callable."""
    return Arg(valid, [], [("int", 3), ("string", "print")])


def ax(valid=None, *, projection=None):
    """``None`` or a matplotlib Axes."""
    return Arg(valid, [], [("string", "ax"), ("int", 3), ("list", [1, 2])])


def dtype(valid=np.float64, *, others=(np.float32,)):
    """An output dtype."""
    return Arg(valid, [(f"dtype {np.dtype(o).name}", o) for o in others],
               [("int32", np.int32), ("string", "no-such-dtype"), ("None", None), ("bool", True)])


def shape(valid, *, huge=True, ndim_bad=True):
    """A shape tuple of positive integers."""
    valid = tuple(valid)
    bad = [("zero", (0,) + valid[1:]), ("negative", (-1,) + valid[1:]), ("float", (valid[0] + 0.5,) + valid[1:]),
           ("string", "64"), ("None", None), ("bool", (True,) + valid[1:])]
    if ndim_bad:
        bad.append(("too long", valid + (2, 2, 2)))
    if huge:
        bad.append(("huge", (10**7,) * len(valid)))
    return Arg(valid, [("list", list(valid))], bad)
