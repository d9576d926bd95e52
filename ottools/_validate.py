"""Input checks shared by every public function of ``ottools``.

Each checker takes the user's value and the *name of the argument* it came from, and either returns a
clean numpy array or raises a ``ValueError`` whose message names that argument and what was expected.
Public functions call these at their boundary so that bad input gives a clear error, never a wrong
picture.

Rules every checker follows (and every public function, through them):

- a value of the wrong *kind* (a string or ``None`` where a number belongs, a boolean where a
  number or an array belongs, a non-integer count, an object that is not an axes) raises
  :class:`ArgumentTypeError`, which is both a ``TypeError`` and a ``ValueError``; a value of the
  right kind but out of range (NaN, a negative tolerance, weights that do not sum to 1) raises
  ``ValueError``; in both cases the message names the argument *as the caller passed it*;
- booleans are never numbers here (``True`` is not a count of 1), and only ``True``/``False`` are
  flags (the string ``'False'`` is refused, not read as true);
- sizes are checked against a documented memory limit, counting every large intermediate, *before*
  anything is allocated (:func:`check_memory`);
- a public function validates once at its boundary, then calls unchecked private cores.
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

#: Largest number of iterations an iterative method accepts (a larger request is surely a mistake).
MAX_ITER_LIMIT = 10**7


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong kind: a ``TypeError``, and a ``ValueError`` for callers that catch those."""


def _numeric_array(x, name):
    """``np.asarray(x)`` of real or complex numbers; wrong kinds (None, strings, booleans, objects,
    ragged lists) raise :class:`ArgumentTypeError` naming ``name``."""
    if x is None or isinstance(x, (str, bytes)):
        raise ArgumentTypeError(f"{name} must be a numeric array, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged nested lists and exotic objects
        raise ArgumentTypeError(f"{name} must be a numeric array, got {type(x).__name__} ({exc})") from None
    if arr.dtype == np.bool_:
        raise ArgumentTypeError(
            f"{name} must hold numbers, got booleans; convert explicitly with .astype(float)"
        )
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        what = type(x).__name__ if arr.ndim == 0 else f"an array of dtype {arr.dtype}"
        raise ArgumentTypeError(f"{name} must be a numeric array, got {what}")
    return arr


def as_float_array(x, name, *, ndim=None, dtype=np.float64):
    """Convert ``x`` to a finite float array, checking its number of dimensions.

    >>> as_float_array([1, 2], "x", ndim=1)
    array([1., 2.])
    """
    arr = _numeric_array(x, name)
    if np.iscomplexobj(arr):
        raise ArgumentTypeError(f"{name} must be real, got complex dtype {arr.dtype}")
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


def check_point_pair(X, Y, names=("X", "Y")):
    """Two point clouds of one dimension ``d`` (the message names both when they differ)."""
    nx, ny = names
    X = check_points(X, nx)
    Y = check_points(Y, ny)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"{nx} and {ny} must live in the same dimension d, got {nx} of shape {X.shape} and "
                         f"{ny} of shape {Y.shape}")
    return X, Y


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
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"{name} must be a non-negative integer seed, got {rng}")
        return np.random.default_rng(int(rng))
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    raise ArgumentTypeError(
        f"{name} must be None, an integer seed or a numpy.random.Generator, got {type(rng).__name__}"
    )


def check_int(n, name, *, minimum=None, maximum=None):
    """An integer (Python or numpy, never a boolean nor a float such as ``2.0``) in ``[minimum, maximum]``.

    >>> check_int(np.int64(3), "n", minimum=1)
    3
    """
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise ArgumentTypeError(f"{name} must be an integer, got {n!r} ({type(n).__name__})")
    n = int(n)
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n}")
    if maximum is not None and n > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {n}")
    return n


def check_positive_int(n, name, *, minimum=1, maximum=None):
    """An integer at least ``minimum`` (1 by default), at most ``maximum`` if given."""
    return check_int(n, name, minimum=minimum, maximum=maximum)


def check_max_iter(n, name="max_iter", *, minimum=1):
    """A number of iterations: an integer in ``[minimum, MAX_ITER_LIMIT]``."""
    return check_int(n, name, minimum=minimum, maximum=MAX_ITER_LIMIT)


def check_real(x, name, *, minimum=None, maximum=None, strict=False, finite=True):
    """A real scalar (not a boolean, string or array), in ``[minimum, maximum]``.

    ``strict=True`` excludes ``minimum`` itself (``x > minimum``); ``finite=False`` admits
    ``+-inf`` (NaN is always refused).

    >>> check_real(0.5, "t", minimum=0.0, maximum=1.0)
    0.5
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "fiu":
            x = x.item()
        else:
            raise ArgumentTypeError(f"{name} must be a real number, got {x!r} ({type(x).__name__})")
    x = float(x)
    if np.isnan(x) or (finite and not np.isfinite(x)):
        raise ValueError(f"{name} must be a finite number, got {x}")
    if minimum is not None and (x < minimum or (strict and x == minimum)):
        op = ">" if strict else ">="
        raise ValueError(f"{name} must be {op} {minimum:g}, got {x:g}")
    if maximum is not None and x > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}, got {x:g}")
    return x


def check_tol(tol, name="tol", *, maximum=1.0):
    """A tolerance: a finite number in ``(0, maximum]``."""
    return check_real(tol, name, minimum=0.0, strict=True, maximum=maximum)


def check_bool(flag, name):
    """A flag: ``True`` or ``False`` (Python or numpy booleans) and nothing else.

    >>> check_bool(np.True_, "clip")
    True
    """
    if not isinstance(flag, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be True or False, got {flag!r} ({type(flag).__name__})")
    return bool(flag)


def check_option(value, name, options):
    """One of the strings ``options``; the message lists them.

    >>> check_option("sliced", "method", ("sliced", "exact"))
    'sliced'
    """
    options = tuple(options)
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be one of {options}, got {value!r} ({type(value).__name__})")
    if value not in options:
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_callable(fn, name, *, allow_none=True):
    """A callable (or ``None`` when ``allow_none``)."""
    if fn is None and allow_none:
        return None
    if not callable(fn):
        raise ArgumentTypeError(f"{name} must be callable{' or None' if allow_none else ''}, got {type(fn).__name__}")
    return fn


def check_dtype(dtype, name="dtype", *, allowed=(np.float32, np.float64)):
    """An output dtype among ``allowed`` (float32 or float64 by default); returns the ``numpy.dtype``."""
    allowed = tuple(np.dtype(a) for a in allowed)
    if isinstance(dtype, (bool, np.bool_)) or dtype is None:
        raise ArgumentTypeError(f"{name} must be one of {[a.name for a in allowed]}, got {dtype!r}")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise ArgumentTypeError(f"{name} must be one of {[a.name for a in allowed]}, got {dtype!r}") from None
    if dt not in allowed:
        raise ValueError(f"{name} must be one of {[a.name for a in allowed]}, got {dt.name}")
    return dt


def check_shape(shape, name, *, ndim=None, minimum=1, max_elements=None):
    """A shape: a tuple (or list) of integers ``>= minimum``, of length ``ndim`` (an int or a tuple of them).

    ``max_elements`` bounds the product of the sizes (the number of elements it would allocate).

    >>> check_shape([4, 5], "shape", ndim=2)
    (4, 5)
    """
    if isinstance(shape, (numbers.Integral, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise ArgumentTypeError(f"{name} must be a tuple of integers, got {shape!r} ({type(shape).__name__})")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, numbers.Integral) else tuple(ndim)
        if len(shape) not in allowed:
            raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} entries, got {tuple(shape)!r}")
    out = tuple(check_int(s, f"{name}[{k}]", minimum=minimum) for k, s in enumerate(shape))
    if max_elements is not None:
        total = float(np.prod([float(s) for s in out]))
        if total > max_elements:
            raise ValueError(
                f"{name} = {out} would hold {total:.3g} elements, above the limit of {max_elements:.3g}"
            )
    return out


def check_memory(n_bytes, name, *, hint="", limit=None):
    """Refuse a computation whose large arrays, added up, need more than ``limit`` bytes.

    ``n_bytes`` counts *every* large intermediate of the computation (the caller adds them up from
    the sizes, before allocating anything); the default limit is :data:`MAX_DENSE_BYTES`.
    """
    limit = MAX_DENSE_BYTES if limit is None else limit
    n_bytes = float(n_bytes)
    if n_bytes > limit:
        msg = (
            f"{name} would need about {n_bytes / 1024**3:.3g} GiB of memory, above the limit of "
            f"{limit / 1024**3:.3g} GiB"
        )
        raise ValueError(msg + (f"; {hint}" if hint else ""))


def check_sequence(seq, name, *, min_len=1, max_len=None):
    """A list or tuple (not a string, not an array) of at least ``min_len`` items; returns a list."""
    if isinstance(seq, (str, bytes)) or not isinstance(seq, (list, tuple)):
        raise ArgumentTypeError(f"{name} must be a list or tuple, got {type(seq).__name__}")
    if len(seq) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} item(s), got {len(seq)}")
    if max_len is not None and len(seq) > max_len:
        raise ValueError(f"{name} must hold at most {max_len} item(s), got {len(seq)}")
    return list(seq)


def check_ax(ax, name="ax", *, projection=None):
    """``None`` or a matplotlib ``Axes`` (of the given ``projection``, e.g. ``"3d"``)."""
    if ax is None:
        return None
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise ArgumentTypeError(f"{name} must be a matplotlib Axes or None, got {type(ax).__name__}")
    if projection is not None and getattr(ax, "name", None) != projection:
        raise ValueError(f"{name} must be an Axes with projection={projection!r}, got {ax.name!r}")
    return ax


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


def check_image_size(size, name="size", *, max_pixels):
    """An image size: an int (the longest side) or a pair ``(H, W)`` of positive ints.

    A pair holds at most ``max_pixels`` pixels; an int longer than ``max_pixels`` is refused too (the
    caller checks the exact pixel count once the aspect ratio is known).

    >>> check_image_size([16, 24], max_pixels=10**6)
    (16, 24)
    """
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, (bool, np.bool_)):
        size = check_int(size, name, minimum=1)
        if size > max_pixels:
            raise ValueError(f"{name} = {size} is too large: an image holds at most {max_pixels:.3g} pixels")
        return size
    if not isinstance(size, (tuple, list)):
        raise ArgumentTypeError(
            f"{name} must be a positive int (longest side) or a pair (H, W), got {size!r} ({type(size).__name__})"
        )
    return check_shape(size, name, ndim=2, max_elements=max_pixels)


def check_psd(S, name="S", *, tol=1e-10, return_eig=False):
    """A symmetric positive semi-definite matrix (or a stack of them, shape ``(..., d, d)``).

    Symmetry is checked to a relative ``tol``; the smallest eigenvalue must be at least
    ``-tol * max(1, largest eigenvalue)``. The symmetrised matrix is returned, with its
    eigendecomposition ``(w, V)`` when ``return_eig`` (so that a caller needs only one).
    """
    arr = as_float_array(S, name)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"{name} must be a square matrix (..., d, d), got shape {arr.shape}")
    scale = max(1.0, float(np.abs(arr).max(initial=0.0)))
    asym = float(np.abs(arr - np.swapaxes(arr, -1, -2)).max(initial=0.0))
    if asym > tol * scale:
        raise ValueError(f"{name} must be symmetric, got max |S - S^T| = {asym:.3g}")
    sym = 0.5 * (arr + np.swapaxes(arr, -1, -2))
    if return_eig:
        eig, vecs = np.linalg.eigh(sym)
    else:
        eig = np.linalg.eigvalsh(sym)
    lo = float(eig.min(initial=0.0))
    hi = float(np.abs(eig).max(initial=0.0))
    if lo < -tol * max(1.0, hi):
        raise ValueError(
            f"{name} must be positive semi-definite, got smallest eigenvalue {lo:.3g}"
        )
    return (sym, (eig, vecs)) if return_eig else sym


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
    if img is None or isinstance(img, (str, bytes)):
        raise ArgumentTypeError(f"{name} must be an image array, got {type(img).__name__}")
    arr = np.asarray(img)
    if arr.dtype == np.bool_:
        raise ArgumentTypeError(f"{name} must be an image of numbers, got a boolean array; use .astype(float)")
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


def check_hermitian(S, name="S", *, rtol=1e-10, psd=True, return_eig=False):
    """A real symmetric or complex Hermitian matrix, or a stack ``(..., d, d)``, each judged at its own scale.

    Real input gives float64, complex input complex128 (for instance the per-frequency covariances
    of a texture model). Each matrix must satisfy ``max |S - S^*| <= rtol max |S|`` and, when
    ``psd``, have its smallest eigenvalue at least ``-rtol`` times its largest absolute eigenvalue
    (so a tiny indefinite matrix is refused as surely as a large one). One eigendecomposition per
    matrix: the Hermitian part is returned, with ``(w, V)`` (``numpy.linalg.eigh``) when
    ``return_eig``.

    >>> check_hermitian(np.eye(2), "S0").dtype
    dtype('float64')
    """
    arr = _numeric_array(S, name)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] == 0:
        raise ValueError(f"{name} must be a square matrix (..., d, d) with d >= 1, got shape {arr.shape}")
    arr = arr.astype(np.complex128 if np.iscomplexobj(arr) else np.float64, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    adj = np.swapaxes(arr, -1, -2)
    if np.iscomplexobj(arr):
        adj = adj.conj()
    if arr.size:
        scale = np.abs(arr).max(axis=(-2, -1))
        asym = np.abs(arr - adj).max(axis=(-2, -1))
        if np.any(asym > rtol * scale):
            worst = float((asym / np.where(scale > 0, scale, 1.0)).max())
            kind = "Hermitian" if np.iscomplexobj(arr) else "symmetric"
            raise ValueError(f"{name} must be {kind}, got a relative max |S - S^*| of {worst:.3g}")
    herm = 0.5 * (arr + adj)
    eig = None
    if return_eig:
        eig = np.linalg.eigh(herm)
        w = eig[0]
    elif psd:
        w = np.linalg.eigvalsh(herm)
    if psd and herm.size:
        hi = np.abs(w).max(axis=-1)
        lo = w[..., 0]
        if np.any(lo < -rtol * hi):
            worst = float((lo / np.where(hi > 0, hi, 1.0)).min())
            raise ValueError(
                f"{name} must be positive semi-definite, got a smallest eigenvalue of {worst:.3g} "
                f"times the largest"
            )
    return (herm, eig) if return_eig else herm


def check_array_in_range(x, name, *, minimum=None, maximum=None):
    """A finite real scalar or array with every entry in ``[minimum, maximum]`` (float64 array).

    >>> check_array_in_range([0.0, 0.5], "t", minimum=0.0, maximum=1.0)
    array([0. , 0.5])
    """
    arr = as_float_array(x, name)
    if arr.size and minimum is not None and arr.min() < minimum:
        raise ValueError(f"{name} must be >= {minimum:g}, got a minimum of {arr.min():.3g}")
    if arr.size and maximum is not None and arr.max() > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}, got a maximum of {arr.max():.3g}")
    return arr


def as_complex_array(x, name, *, ndim=None):
    """Convert ``x`` (real or complex numbers) to a finite complex128 array, checking its number of dimensions.

    >>> as_complex_array([1, 2j], "spot_hat")
    array([1.+0.j, 0.+2.j])
    """
    arr = _numeric_array(x, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, numbers.Integral) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{k}-D" for k in allowed)
            raise ValueError(f"{name} must be {want}, got an array of shape {arr.shape}")
    arr = arr.astype(np.complex128, copy=False)
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def check_clouds(clouds, name="clouds", *, d=None, min_len=1):
    """A list (or tuple) of point clouds ``(N_i, d)`` sharing their dimension ``d``; returns a list of arrays.

    Each cloud is checked by :func:`check_points` under the name ``name[i]``; a single array is
    refused (wrap it in a list), as are clouds of different dimensions.

    >>> [X.shape for X in check_clouds([[[0.0, 1.0]], np.zeros((3, 2))])]
    [(1, 2), (3, 2)]
    """
    if isinstance(clouds, np.ndarray):
        raise ArgumentTypeError(
            f"{name} must be a list of point clouds (N_i, d), got a single array of shape {clouds.shape}; "
            f"wrap it in a list"
        )
    clouds = check_sequence(clouds, name, min_len=min_len)
    out = [check_points(X, f"{name}[{i}]", d=d) for i, X in enumerate(clouds)]
    dims = {X.shape[1] for X in out}
    if len(dims) > 1:
        shapes = ", ".join(str(X.shape) for X in out)
        raise ValueError(f"{name} must all live in the same dimension d, got shapes {shapes}")
    return out


def check_directions(directions, name="directions", *, d, unit_tol=1e-6):
    """Unit vectors of ``R^d``, one per row: an array ``(K, d)`` (a 1-D array is one direction).

    Each row must have a Euclidean norm within ``unit_tol`` of 1 (the directions are not silently
    normalised).

    >>> check_directions([1.0, 0.0], d=2)
    array([[1., 0.]])
    """
    theta = as_float_array(directions, name, ndim=(1, 2))
    if theta.ndim == 1:
        theta = theta[None, :]
    if theta.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one direction, got shape {theta.shape}")
    if theta.shape[1] != d:
        raise ValueError(f"{name} must have shape (K, {d}) to match the points, got {theta.shape}")
    norms = np.linalg.norm(theta, axis=1)
    if np.any(np.abs(norms - 1.0) > unit_tol):
        raise ValueError(
            f"{name} must be unit vectors (one per row), got norms between {norms.min():.6g} and "
            f"{norms.max():.6g}; divide each row by its norm"
        )
    return theta


def check_colours(x, name, *, channels=3):
    """Colours in ``[0, 1]``: an image ``(H, W, channels)`` (:func:`check_image`) or a cloud ``(N, channels)``.

    Returns the colours as a float64 array of shape ``(N, channels)`` (row-major pixel order for an
    image).

    >>> check_colours(np.zeros((2, 2, 3), dtype=np.uint8), "img").shape
    (4, 3)
    """
    arr = np.asarray(x) if not isinstance(x, (str, bytes)) and x is not None else x
    if isinstance(arr, np.ndarray) and arr.ndim == 3:
        return check_image(arr, name, allow_grey=False).reshape(-1, channels)
    X = check_points(x, name, d=channels)
    lo, hi = float(X.min()), float(X.max())
    if lo < 0.0 or hi > 1.0:
        raise ValueError(f"{name} must hold colours in [0, 1], got range [{lo:.4g}, {hi:.4g}]")
    return X


def check_controls(draw, controls, name=None):
    """Controls of a figure widget: at least one, each an ipywidgets widget with a ``value``, all of
    them keyword arguments that ``draw`` accepts. ``name`` is the argument that holds them as a dict
    (``None`` when they came as keyword arguments: each is then named by its keyword)."""
    import inspect

    import ipywidgets

    if name is not None and not isinstance(controls, dict):
        raise ArgumentTypeError(f"{name} must be a dict from names to ipywidgets controls, got {type(controls).__name__}")
    if not controls:
        where = f"{name}: " if name else ""
        raise ValueError(f"{where}give at least one control, as a keyword argument: name=ipywidgets.IntSlider(...)")
    for key, control in controls.items():
        if not isinstance(control, ipywidgets.Widget) or not control.has_trait("value"):
            label = f"{name}[{key!r}]" if name else f"control {key!r}"
            raise ArgumentTypeError(
                f"{label} must be an ipywidgets widget with a value (IntSlider, ToggleButtons, ...), "
                f"got {type(control).__name__}"
            )
    check_keywords(draw, controls, name or "controls")


def check_keywords(fn, keywords, name):
    """``fn`` accepts the keyword arguments ``keywords`` (a dict); ``name`` is the argument holding them."""
    import inspect

    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin without a signature: nothing to check
        return
    try:
        signature.bind(**{key: None for key in keywords})
    except TypeError as err:
        raise ArgumentTypeError(
            f"{name}: draw cannot take {list(keywords)} as keyword arguments: {err}"
        ) from None


def check_measures(measures, name="measures", *, d=None):
    """A list of discrete measures, each samples ``(N_i, d)`` (uniform weights) or a pair ``(X_i, a_i)``.

    Returns a list of pairs ``(X_i, a_i)`` of a float array ``(N_i, d)`` (a 1-D array is ``N_i``
    points on the line) and probability weights ``(N_i,)``; all share the dimension ``d``.

    >>> [(X.shape, a.tolist()) for X, a in check_measures([[0.0, 2.0], ([[1.0]], [1.0])])]
    [((2, 1), [0.5, 0.5]), ((1, 1), [1.0])]
    """
    measures = check_sequence(measures, name)
    out = []
    for i, mu in enumerate(measures):
        if isinstance(mu, tuple):
            if len(mu) != 2:
                raise ValueError(f"{name}[{i}] must be samples or a pair (x, a), got a tuple of length {len(mu)}")
            X = check_points(mu[0], f"{name}[{i}][0]", d=d)
            a = check_weights(mu[1], X.shape[0], f"{name}[{i}][1]")
        else:
            X = check_points(mu, f"{name}[{i}]", d=d)
            a = np.full(X.shape[0], 1.0 / X.shape[0])
        out.append((X, a))
    dims = {X.shape[1] for X, _ in out}
    if len(dims) > 1:
        shapes = ", ".join(str(X.shape) for X, _ in out)
        raise ValueError(f"{name} must all live in the same dimension d, got shapes {shapes}")
    return out


def check_mask(mask, name="mask", *, shape=None, nonempty=True):
    """A boolean mask of pixels, of shape ``shape`` if given (2-D otherwise), with a pixel at least if ``nonempty``.

    Booleans only (a 0/1 array of numbers is refused: write ``mask > 0`` explicitly).

    >>> check_mask(np.eye(2, dtype=bool), shape=(2, 2)).sum()
    np.int64(2)
    """
    if mask is None or isinstance(mask, (str, bytes)):
        raise ArgumentTypeError(f"{name} must be a boolean mask, got {type(mask).__name__}")
    try:
        arr = np.asarray(mask)
    except Exception as exc:  # ragged nested lists
        raise ArgumentTypeError(f"{name} must be a boolean mask, got {type(mask).__name__} ({exc})") from None
    if arr.dtype != np.bool_:
        raise ArgumentTypeError(f"{name} must be a boolean mask (dtype bool), got dtype {arr.dtype}; "
                                f"write e.g. {name} > 0 explicitly")
    want = tuple(shape) if shape is not None else None
    if arr.ndim != 2 or (want is not None and arr.shape != want):
        raise ValueError(f"{name} must be a boolean mask of shape {want or '(H, W)'}, got shape {arr.shape}")
    if nonempty and not arr.any():
        raise ValueError(f"{name} is empty: it must select at least one pixel")
    return arr
