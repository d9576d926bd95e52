"""Input checks shared by every public function of ``ottools``.

Each checker takes the user's value and the *name of the argument* it came from, and either returns a
clean numpy array or raises a ``ValueError`` whose message names that argument and what was expected.
Public functions call these at their boundary so that bad input gives a clear error, never a wrong
picture.
"""

from __future__ import annotations

import numbers

import numpy as np

#: Largest dense array (in bytes) that a public function will allocate without complaint, 2 GiB.
#: A dense N x M cost matrix in float64 above this is refused with a message pointing to a
#: scalable method.
MAX_DENSE_BYTES = 2 * 1024**3

#: Relative tolerance on the total mass of a weight vector.
WEIGHT_RTOL = 1e-8


def as_float_array(x, name, *, ndim=None, dtype=np.float64):
    """Convert ``x`` to a finite float array, checking its number of dimensions.

    >>> as_float_array([1, 2], "x", ndim=1)
    array([1., 2.])
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise ValueError(f"{name} must be array-like, got {type(x).__name__}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise ValueError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real, got complex dtype {arr.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, numbers.Integral) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{k}-D" for k in allowed)
            raise ValueError(f"{name} must be {want}, got an array of shape {arr.shape}")
    arr = arr.astype(dtype, copy=False)
    if arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s)")
    return arr


def check_points(X, name="X", *, d=None, min_points=1):
    """A point cloud of shape ``(N, d)``; a 1-D array is read as ``N`` points on the line.

    >>> check_points([0.0, 1.0, 2.0]).shape
    (3, 1)
    """
    arr = as_float_array(X, name, ndim=(1, 2))
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape[0] < min_points:
        raise ValueError(f"{name} must hold at least {min_points} point(s), got {arr.shape[0]}")
    if d is not None and arr.shape[1] != d:
        raise ValueError(f"{name} must have {d} column(s) (dimension d), got shape {arr.shape}")
    return arr


def check_weights(a, n, name="a"):
    """Weights of a discrete probability measure with ``n`` atoms (``None`` means uniform).

    They must be finite, non-negative and sum to 1 within a relative ``1e-8``; they are then
    renormalised in float64 so that two measures have exactly equal mass.

    >>> check_weights(None, 4)
    array([0.25, 0.25, 0.25, 0.25])
    """
    if a is None:
        return np.full(n, 1.0 / n)
    w = as_float_array(a, name, ndim=1)
    if w.shape[0] != n:
        raise ValueError(f"{name} must have one weight per point ({n}), got {w.shape[0]}")
    if np.any(w < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {w.min():.3g}")
    total = w.sum()
    if not abs(total - 1.0) <= WEIGHT_RTOL:
        raise ValueError(
            f"{name} must sum to 1 (a probability measure), got sum {total:.12g}; "
            f"divide by its sum if the masses are relative"
        )
    return w / total


def check_simplex(weights, n, name="weights"):
    """Barycentric weights: ``n`` non-negative numbers summing to 1 (``None`` means uniform)."""
    return check_weights(weights, n, name)


def check_rng(rng, name="rng"):
    """A ``numpy.random.Generator`` from ``None``, an integer seed or a generator.

    >>> bool(check_rng(0).integers(10) == np.random.default_rng(0).integers(10))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (numbers.Integral, np.random.SeedSequence)):
        return np.random.default_rng(rng)
    raise ValueError(
        f"{name} must be None, an integer seed or a numpy.random.Generator, got {type(rng).__name__}"
    )


def check_positive_int(n, name, *, minimum=1):
    """An integer at least ``minimum``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {n!r}")
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n}")
    return int(n)


def check_dense_size(shape, name, *, itemsize=8, hint="", limit=None):
    """Refuse a dense array of ``shape`` whose size would exceed ``limit`` bytes (default
    :data:`MAX_DENSE_BYTES`)."""
    limit = MAX_DENSE_BYTES if limit is None else limit
    n_bytes = int(np.prod([int(s) for s in shape], dtype=np.float64)) * itemsize
    if n_bytes > limit:
        msg = (
            f"{name} would need a dense array of shape {tuple(int(s) for s in shape)} "
            f"({n_bytes / 1024**3:.1f} GiB), above the limit of {limit / 1024**3:.1f} GiB"
        )
        raise ValueError(msg + (f"; {hint}" if hint else ""))


def check_psd(S, name="S", *, tol=1e-10):
    """A symmetric positive semi-definite matrix (or a stack of them, shape ``(..., d, d)``).

    Symmetry is checked to a relative ``tol``; the smallest eigenvalue must be at least
    ``-tol * max(1, largest eigenvalue)``. The symmetrised matrix is returned.
    """
    arr = as_float_array(S, name)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"{name} must be a square matrix (..., d, d), got shape {arr.shape}")
    scale = max(1.0, float(np.abs(arr).max(initial=0.0)))
    asym = float(np.abs(arr - np.swapaxes(arr, -1, -2)).max(initial=0.0))
    if asym > tol * scale:
        raise ValueError(f"{name} must be symmetric, got max |S - S^T| = {asym:.3g}")
    sym = 0.5 * (arr + np.swapaxes(arr, -1, -2))
    eig = np.linalg.eigvalsh(sym)
    lo = float(eig.min(initial=0.0))
    hi = float(np.abs(eig).max(initial=0.0))
    if lo < -tol * max(1.0, hi):
        raise ValueError(
            f"{name} must be positive semi-definite, got smallest eigenvalue {lo:.3g}"
        )
    return sym


def check_image(img, name="img", *, allow_grey=True):
    """An image as a float64 array in ``[0, 1]`` of shape ``(H, W, 3)`` or ``(H, W)``.

    Accepted: ``uint8`` (divided by 255), ``uint16`` (divided by 65535), floats in ``[0, 1]``
    (checked, never silently clipped), and ``(H, W, 1)`` (squeezed to grey). Refused with a
    message: alpha channels (``(H, W, 4)`` or ``(H, W, 2)``: drop the alpha explicitly, or load
    with ``ottools.data.load_image(..., alpha="drop")``), booleans, complex values, NaN/inf, values
    outside ``[0, 1]`` and anything that is not 2-D or 3-D.

    >>> check_image(np.zeros((2, 3, 3), dtype=np.uint8)).dtype
    dtype('float64')
    """
    arr = np.asarray(img)
    if arr.dtype == np.bool_:
        raise ValueError(f"{name} must be an image of numbers, got a boolean array; use .astype(float)")
    if arr.ndim not in (2, 3):
        raise ValueError(
            f"{name} must be an image of shape (H, W) or (H, W, 3), got shape {arr.shape}"
        )
    if arr.ndim == 3:
        c = arr.shape[2]
        if c in (2, 4):
            raise ValueError(
                f"{name} has {c} channels (an alpha channel); expected (H, W, 3) RGB or (H, W) grey. "
                f"Drop the alpha with img[..., :{c - 1}] or load with alpha='drop'"
            )
        if c == 1:
            arr = arr[..., 0]
        elif c != 3:
            raise ValueError(f"{name} must have 3 colour channels, got shape {arr.shape}")
    if arr.ndim == 2 and not allow_grey:
        raise ValueError(f"{name} must be an RGB image (H, W, 3), got a grey image of shape {arr.shape}")
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} is empty, shape {arr.shape}")
    if arr.dtype == np.uint8:
        return arr.astype(np.float64) / 255.0
    if arr.dtype == np.uint16:
        return arr.astype(np.float64) / 65535.0
    if np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"{name} has integer dtype {arr.dtype}; expected uint8, uint16 or floats in [0, 1]"
        )
    out = as_float_array(arr, name)
    lo, hi = float(out.min()), float(out.max())
    if lo < 0.0 or hi > 1.0:
        raise ValueError(
            f"{name} must have values in [0, 1], got range [{lo:.4g}, {hi:.4g}]; "
            f"divide 8-bit data by 255 or clip explicitly"
        )
    return out
