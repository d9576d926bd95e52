r"""Discrete optimal transport: point clouds, histograms, assignment, Kantorovich's linear program.

Taught in tours 01 to 04 (slides 3-10 of the talk).

Conventions, used by every function below (Peyré and Cuturi 2019, ch. 2):

* a discrete measure is ``mu = sum_i a_i delta_{X_i}`` with ``X`` of shape ``(N, d)`` and weights
  ``a`` on the probability simplex (``None`` means uniform, ``a_i = 1/N``);
* the cost is ``C[i, j] = ||X_i - Y_j||^p`` (Euclidean norm), ``p >= 1`` for a distance;
* ``W_p(mu, nu)^p = min_{P in Pi(a, b)} <P, C>``; for two uniform clouds of the same size this is
  ``(1/N) min_sigma sum_i ||X_i - Y_sigma(i)||^p`` (the slide 5 formula omits the ``1/N``);
* the coupling of a permutation is ``P_sigma = (1/N) 1[j = sigma(i)]``: ``X_i`` is sent to
  ``Y_sigma(i)`` (slide 7 omits the ``1/N`` and writes ``i = sigma(j)``);
* a function called ``*_distance`` (and :func:`wasserstein_1d`) returns ``W_p`` itself, never its
  ``p``-th power.

Memory: every size is checked before anything is allocated, counting the large intermediates,
against ``ottools._validate.MAX_DENSE_BYTES`` (2 GiB). A dense ``N x M`` cost matrix is one such array
(about ``N = M = 16000``); the assignment holds two (``N`` about 11,500); Kantorovich's linear
program needs about :data:`HIGHS_BYTES_PER_VARIABLE` bytes per variable inside HiGHS
(:data:`MAX_LP_VARIABLES`, e.g. ``N = M = 1300``). For larger clouds use the sliced Wasserstein
distance (``ottools.sliced``) or POT. POT (``ot.emd``, ``ot.emd2``) is the production library for
exact discrete optimal transport; the functions here are small, readable and checked against it.

References
----------
G. Peyré, M. Cuturi, *Computational Optimal Transport*, FnT ML 11(5-6), 2019.
F. Santambrogio, *Optimal Transport for Applied Mathematicians*, Birkhauser 2015.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, sparse
from scipy.spatial.distance import cdist

from ottools import _onedim
from ottools._validate import (
    MAX_DENSE_BYTES,
    as_float_array,
    check_bool,
    check_image,
    check_max_iter,
    check_memory,
    check_option,
    check_point_pair,
    check_points,
    check_positive_int,
    check_real,
    check_rng,
    check_shape,
    check_weights,
)

__all__ = [
    "image_to_cloud",
    "cloud_to_image",
    "sample_pixels",
    "sample_shape",
    "color_histogram",
    "cost_matrix",
    "wasserstein_1d",
    "sort_match",
    "canonical_order",
    "assignment",
    "wasserstein_distance",
    "auction",
    "kantorovich",
    "displacement_interpolation",
]

_SLICED_HINT = (
    "exact optimal transport needs the full N x M cost matrix; for large point clouds use the "
    "sliced Wasserstein distance (ottools.sliced), or wasserstein_1d in dimension 1"
)


def _clouds_pair(X, Y):
    r"""Two point clouds of one dimension ``d`` (the message names both when they differ)."""
    return check_point_pair(X, Y)


def _exponent(p, *, convex=False):
    r"""The exponent ``p`` of the cost ``||x - y||^p``: positive, and at least 1 where ``convex``."""
    p = check_real(p, "p", minimum=0.0, strict=True)
    if convex and p < 1:
        raise ValueError(f"p must be at least 1 (for p < 1 the cost is concave: sorting is not optimal "
                         f"and W_p is not a distance; solve kantorovich(cost_matrix(X, Y, p)) instead), got {p:g}")
    return p


# --------------------------------------------------------------------------------------------
# Images <-> point clouds and histograms (tour 01)
# --------------------------------------------------------------------------------------------


def image_to_cloud(img):
    r"""The pixels of an image as a point cloud (one point per pixel, its colour).

    Taught in tour 01 (``tours/01_discrete_measures.ipynb``).

    Parameters
    ----------
    img : ndarray of shape (H, W, 3) or (H, W)
        Colour or grey image, floats in [0, 1] (or ``uint8``).

    Returns
    -------
    X : ndarray of shape (H * W, 3) or (H * W, 1)
        The colours in row-major pixel order; the measure ``(1/N) sum_x delta_{img(x)}`` is the
        Lagrangian discretisation of the image's colour distribution (slide 4, tour 01).

    Examples
    --------
    >>> image_to_cloud(np.zeros((2, 3, 3))).shape
    (6, 3)
    >>> image_to_cloud(np.zeros((2, 3))).shape
    (6, 1)
    """
    img = check_image(img, "img")
    c = 1 if img.ndim == 2 else img.shape[2]
    return img.reshape(-1, c)


def cloud_to_image(X, shape):
    r"""Put a point cloud of colours back on the pixel grid (inverse of :func:`image_to_cloud`).

    Taught in tours 01 (discrete measures) and 04 (histogram equalization).

    Parameters
    ----------
    X : ndarray of shape (H * W, 3), (H * W, 1) or (H * W,)
        One colour per pixel in row-major order.
    shape : tuple
        ``(H, W, 3)`` for a colour image, ``(H, W)`` for a grey one (an image's ``.shape``).

    Returns
    -------
    img : ndarray of shape ``shape``
        Values are not clipped: a transported cloud may leave ``[0, 1]`` slightly, clip it
        explicitly (``np.clip(img, 0, 1)``) before display if needed.

    Examples
    --------
    >>> img = np.random.default_rng(0).random((4, 5, 3))
    >>> np.array_equal(cloud_to_image(image_to_cloud(img), img.shape), img)
    True
    """
    X = check_points(X, "X")
    shape = check_shape(shape, "shape", ndim=(2, 3))
    c = 1 if len(shape) == 2 else shape[2]
    if X.shape != (shape[0] * shape[1], c):
        raise ValueError(
            f"X must have shape (H * W, {c}) = {(shape[0] * shape[1], c)} for an image of "
            f"shape {shape}, got {X.shape}"
        )
    return X.reshape(shape)


def sample_pixels(img_or_cloud, n, rng=None, *, return_index=False):
    r"""``n`` distinct pixels (or points) drawn uniformly at random, without replacement.

    Taught in tour 01 (``tours/01_discrete_measures.ipynb``).

    Parameters
    ----------
    img_or_cloud : ndarray of shape (H, W, 3) or (N, d)
        A colour image (3-D array) or a point cloud (2-D array). A grey image, being 2-D too, is
        passed as ``image_to_cloud(img)``.
    n : int
        Number of samples, ``1 <= n <= N``.
    rng : numpy.random.Generator, int or None
        Source of randomness (explicit, for reproducible tours).
    return_index : bool
        Also return the indices of the chosen rows in the cloud (row-major pixel order).

    Returns
    -------
    S : ndarray of shape (n, d)
        The sampled points, in random order. Its uniform measure is an unbiased sub-sample of
        the image's colour distribution.
    idx : ndarray of shape (n,), only if ``return_index``

    Examples
    --------
    >>> sample_pixels(np.arange(10.0)[:, None], 3, rng=0).shape
    (3, 1)
    """
    arr = img_or_cloud if isinstance(img_or_cloud, (str, bytes)) or img_or_cloud is None else np.asarray(img_or_cloud)
    if isinstance(arr, np.ndarray) and arr.ndim == 3:
        X = check_image(arr, "img_or_cloud").reshape(-1, arr.shape[2] if arr.shape[2] != 1 else 1)
    else:
        X = check_points(arr, "img_or_cloud")
    n = check_positive_int(n, "n")
    if n > X.shape[0]:
        raise ValueError(f"n must be at most the number of points ({X.shape[0]}), got {n}")
    return_index = check_bool(return_index, "return_index")
    idx = check_rng(rng).choice(X.shape[0], size=n, replace=False)
    return (X[idx], idx) if return_index else X[idx]


#: Dense ``N x N`` arrays held by :func:`assignment`: the cost matrix and scipy's working copy.
ASSIGNMENT_ARRAYS = 2

#: Names accepted by :func:`sample_shape`.
SHAPES = ("gaussian", "disc", "ring", "square", "two_blobs", "crescent")


def sample_shape(shape, n, rng=None):
    r"""``n`` random points of a simple 2-D shape, to build toy point clouds.

    Taught in tours 02 (optimal assignment) and 03 (Kantorovich).

    Parameters
    ----------
    shape : str
        One of :data:`SHAPES`: ``"gaussian"`` (standard deviation 0.5), ``"disc"`` (uniform, radius
        1), ``"ring"`` (radius 1, thickness about 0.1), ``"square"`` (uniform on ``[-1, 1]^2``),
        ``"two_blobs"`` (two Gaussians at ``(-1, 0)`` and ``(1, 0)``), ``"crescent"`` (half ring).
    n : int
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X : ndarray of shape (n, 2)

    Examples
    --------
    >>> sample_shape("ring", 5, rng=0).shape
    (5, 2)
    """
    shape = check_option(shape, "shape", SHAPES)
    n = check_positive_int(n, "n")
    check_memory(10 * 8.0 * n, "n", hint="draw fewer points")  # u, v, the normal draws, the (n, 2) result
    rng = check_rng(rng)
    u, v = rng.random(n), rng.random(n)
    if shape == "gaussian":
        return 0.5 * rng.normal(size=(n, 2))
    if shape == "square":
        return 2.0 * np.column_stack([u, v]) - 1.0
    if shape == "two_blobs":
        return 0.3 * rng.normal(size=(n, 2)) + np.where(u < 0.5, -1.0, 1.0)[:, None] * [1.0, 0.0]
    angle = 2 * np.pi * v if shape != "crescent" else np.pi * v
    radius = {"disc": np.sqrt(u), "ring": 1.0 + 0.05 * rng.normal(size=n),
              "crescent": 1.0 + 0.1 * (u - 0.5)}[shape]
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def color_histogram(X, bins=16):
    r"""The colour histogram of a cloud: weights on the centres of a regular grid of ``[0, 1]^d``.

    Taught in tour 01 (``tours/01_discrete_measures.ipynb``).

    Parameters
    ----------
    X : ndarray of shape (N, d)
        Colours in ``[0, 1]`` (e.g. ``image_to_cloud(img)``, ``d = 3``).
    bins : int
        Number of bins per axis; there are ``K = bins ** d`` cells.

    Returns
    -------
    centres : ndarray of shape (K, d)
        Cell centres ``(k + 1/2) / bins``, the last axis varying fastest.
    weights : ndarray of shape (K,)
        Fraction of the points in each cell (sums to 1; empty cells have weight 0: keep
        ``weights > 0`` for a compact measure).

    Notes
    -----
    This is the Eulerian discretisation of slide 4 (fixed positions, variable weights); the cell
    of a point is ``floor(x * bins)`` per axis, with the value 1 put in the last cell.

    Examples
    --------
    >>> c, w = color_histogram(np.array([[0.1, 0.2, 0.3], [0.9, 0.9, 1.0]]), bins=2)
    >>> c.shape, w.tolist()
    ((8, 3), [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5])
    """
    X = check_points(X, "X")
    bins = check_positive_int(bins, "bins")
    N, d = X.shape
    K = float(bins) ** d
    # X * bins and the cells (N, d), the flat cell indices (N,), the counts and weights (K,), the
    # centres (K, d): 8 bytes each
    check_memory(8.0 * (2 * N * d + N + 2 * K + K * d), "bins",
                 hint=f"a histogram with bins**d = {K:.3g} cells is too large; use fewer bins")
    if X.min() < 0.0 or X.max() > 1.0:
        raise ValueError(
            f"X must hold colours in [0, 1], got range [{X.min():.4g}, {X.max():.4g}]"
        )
    K = bins**d
    cells = np.minimum((X * bins).astype(np.int64), bins - 1)
    flat = np.ravel_multi_index(tuple(cells.T), (bins,) * d)
    weights = np.bincount(flat, minlength=K) / N
    axes = (np.arange(bins) + 0.5) / bins
    centres = np.empty((bins,) * d + (d,))
    for k in range(d):  # loop over the d axes only
        centres[..., k] = axes.reshape((1,) * k + (bins,) + (1,) * (d - k - 1))
    return centres.reshape(-1, d), weights


# --------------------------------------------------------------------------------------------
# Costs and Wasserstein distances (tour 02)
# --------------------------------------------------------------------------------------------


def cost_matrix(X, Y, p=2):
    r"""The ground cost ``C[i, j] = ||X_i - Y_j||^p`` between two clouds.

    Taught in tour 02 (``tours/02_optimal_assignment.ipynb``).

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
        1-D arrays are read as points on the line.
    p : float, > 0
        Exponent (``p >= 1`` for ``W_p`` to be a distance; ``p < 1`` gives a concave cost).

    Returns
    -------
    C : ndarray of shape (N, M)

    Notes
    -----
    The squared distances are summed coordinate by coordinate (``scipy.spatial.distance.cdist``;
    exact: ``C[i, i] = 0`` when ``X_i = Y_i``, unlike the ``|x|^2 + |y|^2 - 2 x.y`` expansion), then
    raised to the power ``p / 2`` in place: the result is the only large array. A matrix above
    ``MAX_DENSE_BYTES`` (2 GiB) is refused; use the sliced methods of ``ottools.sliced``.

    Examples
    --------
    >>> cost_matrix([[0.0, 0.0]], [[3.0, 4.0]], p=1)
    array([[5.]])
    """
    X, Y = _clouds_pair(X, Y)
    p = _exponent(p)
    check_memory(8.0 * X.shape[0] * Y.shape[0], "cost_matrix(X, Y)", hint=_SLICED_HINT)
    return _cost_matrix(X, Y, p)


def _cost_matrix(X, Y, p):
    r"""``||X_i - Y_j||^p`` on checked clouds: one ``(N, M)`` array, powers taken in place."""
    if X.shape[1] == 1:
        C = np.subtract.outer(X[:, 0], Y[:, 0])
        np.abs(C, out=C)
        return C if p == 1 else np.power(C, p, out=C)
    C = cdist(X, Y, "sqeuclidean")  # sums the squared coordinate differences: C[i, i] = 0 exactly
    return C if p == 2 else np.power(C, p / 2, out=C)


def wasserstein_1d(x, y, *, a=None, b=None, p=2):
    r"""Exact ``W_p`` between two weighted measures on the line, by the quantile formula.

    Taught in tours 02 (optimal assignment) and 04 (histogram equalization).

    Parameters
    ----------
    x : ndarray of shape (N,) or (N, 1)
    y : ndarray of shape (M,) or (M, 1)
        Positions; any sizes, unsorted, repeats allowed.
    a : ndarray of shape (N,), optional
    b : ndarray of shape (M,), optional
        Probability weights (uniform if omitted).
    p : float, >= 1
        Exponent. For ``p < 1`` the cost is concave and sorting is *not* optimal: refused
        (solve ``kantorovich(cost_matrix(x, y, p), a=a, b=b)`` instead).

    Returns
    -------
    float
        ``W_p(mu, nu)`` (not its ``p``-th power).

    Notes
    -----
    For a convex cost the monotone coupling is optimal (slide 6; the one kernel
    :mod:`ottools._onedim`):
    ``W_p^p = int_0^1 |F_mu^{-1}(t) - F_nu^{-1}(t)|^p dt``. Both quantile functions are piecewise
    constant, with jumps at the cumulative weights of the sorted atoms; merging the two lists of
    jumps ``0 = t_0 < ... < t_K = 1`` (``K <= N + M - 1`` distinct) gives
    ``W_p^p = sum_k (t_k - t_{k-1}) |x_(i_k) - y_(j_k)|^p`` where ``x_(i_k)``, ``y_(j_k)`` are the
    quantiles on ``(t_{k-1}, t_k]``. Cost: ``O((N + M) log(N + M))`` for the sorts; the merge of
    the two sorted lists is linear (a stable sort of two sorted runs).

    References
    ----------
    F. Santambrogio, *Optimal Transport for Applied Mathematicians*, Birkhauser 2015, ch. 2.
    G. Peyre, M. Cuturi, *Computational Optimal Transport*, FnT ML 11(5-6), 2019, sec. 2.6.

    Examples
    --------
    >>> wasserstein_1d([0.0, 1.0], [2.0, 3.0])
    2.0
    >>> round(wasserstein_1d([0.0], [0.0, 1.0], b=[0.5, 0.5], p=1), 12)
    0.5
    """
    x = check_points(x, "x", d=1)[:, 0]
    y = check_points(y, "y", d=1)[:, 0]
    a = None if a is None else check_weights(a, x.size, "a")
    b = None if b is None else check_weights(b, y.size, "b")
    p = _exponent(p, convex=True)
    return _wasserstein_1d(x, y, a, b, p)


def _wasserstein_1d(x, y, a, b, p):
    r"""``W_p`` on the line for checked positions (N,), (M,) and weights (``None``: uniform)."""
    N, M = x.size, y.size
    if a is None and b is None and N == M:  # sort both and pair the order statistics
        cost = np.mean(np.abs(np.sort(x) - np.sort(y)) ** p)
        return float(cost ** (1.0 / p))
    a = np.full(N, 1.0 / N) if a is None else a
    b = np.full(M, 1.0 / M) if b is None else b
    ix, iy = np.argsort(x), np.argsort(y)  # the order among equal positions does not matter
    cx = _onedim.cumulative_weights(a[ix])[None, :]
    cy = _onedim.cumulative_weights(b[iy])[None, :]
    lengths, (qx, qy) = _onedim.merged_pieces([cx, cy])
    cost = np.dot(lengths[0], np.abs(x[ix][qx[0]] - y[iy][qy[0]]) ** p)
    return float(max(cost, 0.0) ** (1.0 / p))


def assignment(X, Y, p=2):
    r"""The optimal assignment ``sigma`` between two clouds of the same size (slide 5).

    Taught in tours 02 (optimal assignment) and 04 (histogram equalization).

    Parameters
    ----------
    X, Y : ndarray of shape (N, d)
    p : float, > 0
        Exponent of the cost ``||X_i - Y_j||^p`` (any ``p``: the assignment problem is solved
        exactly whatever the cost).

    Returns
    -------
    sigma : ndarray of int, shape (N,)
        ``X_i`` is matched with ``Y[sigma[i]]``; ``Y[sigma]`` is the projection of ``X`` onto the
        clouds with the distribution of ``Y`` (for ``p = 2``), and
        ``W_p^p = mean(||X - Y[sigma]||^p)``.

    Notes
    -----
    ``min_sigma (1/N) sum_i C[i, sigma(i)]`` solved by ``scipy.optimize.linear_sum_assignment``,
    a shortest-augmenting-path (Jonker-Volgenant) variant of the Hungarian method,
    ``O(N^3)`` in the worst case.

    References
    ----------
    H. W. Kuhn, The Hungarian method for the assignment problem, Naval Res. Logist. Q. 2, 1955.
    R. Jonker, A. Volgenant, A shortest augmenting path algorithm for dense and sparse linear
    assignment problems, Computing 38, 1987.

    Examples
    --------
    >>> assignment([[0.0], [1.0]], [[1.1], [0.1]])
    array([1, 0])
    """
    X, Y = _clouds_pair(X, Y)
    if X.shape[0] != Y.shape[0]:
        raise ValueError(
            f"X and Y must have the same number of points for an assignment, got {X.shape[0]} "
            f"and {Y.shape[0]}; use kantorovich for different sizes"
        )
    p = _exponent(p)
    check_memory(ASSIGNMENT_ARRAYS * 8.0 * X.shape[0] ** 2, "assignment(X, Y)", hint=_SLICED_HINT)
    return _assignment(X, Y, p)


def _assignment(X, Y, p):
    r"""The optimal assignment of checked clouds of equal sizes (scipy's Jonker-Volgenant)."""
    return optimize.linear_sum_assignment(_cost_matrix(X, Y, p))[1]


def wasserstein_distance(X, Y, *, a=None, b=None, p=2):
    r"""Exact ``W_p`` between two discrete measures, by the fastest exact method that applies.

    Taught in tour 02 (``tours/02_optimal_assignment.ipynb``).

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
    a : ndarray of shape (N,), optional
    b : ndarray of shape (M,), optional
        Probability weights (uniform if omitted).
    p : float, >= 1

    Returns
    -------
    float
        ``W_p(mu, nu)``, the distance itself (not its ``p``-th power).

    Notes
    -----
    ``d = 1``: sorting / quantiles (:func:`wasserstein_1d`); uniform weights and ``N = M``: the
    assignment (:func:`assignment`); otherwise Kantorovich's linear program
    (:func:`kantorovich`).

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0]])
    >>> wasserstein_distance(X, X + [3.0, 4.0])
    5.0
    """
    X, Y = _clouds_pair(X, Y)
    N, M = X.shape[0], Y.shape[0]
    a = None if a is None else check_weights(a, N, "a")
    b = None if b is None else check_weights(b, M, "b")
    p = _exponent(p, convex=True)
    if X.shape[1] == 1:
        return _wasserstein_1d(X[:, 0], Y[:, 0], a, b, p)
    if a is None and b is None and N == M:
        check_memory(ASSIGNMENT_ARRAYS * 8.0 * N * M, "wasserstein_distance(X, Y)", hint=_SLICED_HINT)
        sigma = _assignment(X, Y, p)
        cost = np.mean(np.sum((X - Y[sigma]) ** 2, axis=1) ** (p / 2))
    else:
        if N * M > MAX_LP_VARIABLES:
            raise ValueError(f"X and Y: the linear program of weighted or unequal clouds has N * M = {N * M} "
                             f"variables, above MAX_LP_VARIABLES = {MAX_LP_VARIABLES}; " + _LP_HINT)
        a = np.full(N, 1.0 / N) if a is None else a
        b = np.full(M, 1.0 / M) if b is None else b
        cost = _kantorovich(_cost_matrix(X, Y, p), a, b)[1]
    return float(max(cost, 0.0) ** (1.0 / p))


# --------------------------------------------------------------------------------------------
# Auction (tour 02), Kantorovich's linear program and McCann's interpolation (tour 03)
# --------------------------------------------------------------------------------------------


def auction(C, eps=None, *, scaling=5.0, max_rounds=1_000_000):
    r"""Bertsekas' auction algorithm with epsilon-scaling, for the assignment problem.

    Taught in tour 02 (``tours/02_optimal_assignment.ipynb``).

    Parameters
    ----------
    C : ndarray of shape (N, N)
        Cost matrix (minimised).
    eps : float, optional
        Final bid increment. The result costs at most ``N * eps`` more than the optimum
        ``min_sigma sum_i C[i, sigma(i)]`` (exact if the costs are integers and ``eps < 1/N``).
        Default ``1e-6 * (max C - min C) / N``, i.e. a relative gap below ``1e-6``.
    scaling : float, > 1
        Factor by which ``eps`` is divided between phases (epsilon-scaling), starting from
        ``(max C - min C) / scaling``.
    max_rounds : int
        Safety bound on the total number of bidding rounds (at most ``10**7``); reaching it raises
        a ``RuntimeError`` (no partial assignment is returned as if it were one).

    Returns
    -------
    sigma : ndarray of int, shape (N,)
        Person ``i`` gets object ``sigma[i]``.
    prices : ndarray of shape (N,)
        Final object prices ``q_j``; with ``f_i = min_j (C[i, j] + q_j)`` and ``g_j = -q_j``,
        ``(f, g)`` is a dual-feasible pair and ``C[i, sigma(i)] + q_sigma(i) <= f_i + eps``
        (``eps``-complementary slackness).

    Notes
    -----
    Each unassigned person ``i`` bids for its best object ``j1 = argmin_j C[i, j] + q_j``, raising
    the price by the gap to its second-best object plus ``eps``; every object goes to its highest
    bidder, whose former owner becomes unassigned (the Jacobi, vectorised form: all unassigned
    persons bid at once). ``eps``-complementary slackness is kept at every step, hence the
    ``N * eps`` bound when everyone is assigned. The ``eps``-scaling phases reuse the prices of
    the previous phase, which keeps the number of rounds small.

    References
    ----------
    D. P. Bertsekas, The auction algorithm: a distributed relaxation method for the assignment
    problem, Ann. Oper. Res. 14, 1988.
    D. P. Bertsekas, J. Eckstein, Dual coordinate step methods for linear network flow problems,
    Math. Prog. 42, 1988.

    Examples
    --------
    >>> sigma, prices = auction(np.array([[4.0, 1.0], [1.0, 3.0]]))
    >>> sigma
    array([1, 0])
    """
    C = as_float_array(C, "C", ndim=2)
    N = C.shape[0]
    if C.shape != (N, N) or N == 0:
        raise ValueError(f"C must be a non-empty square cost matrix (N, N), got shape {C.shape}")
    eps = None if eps is None else check_real(eps, "eps", minimum=0.0, strict=True)
    scaling = check_real(scaling, "scaling", minimum=1.0, strict=True)
    max_rounds = check_max_iter(max_rounds, "max_rounds")
    check_memory(2 * 8.0 * N * N, "C", hint="the shifted costs and the bids of a round are dense (N, N) arrays")
    C = C - C.min()  # same assignments; keeps the prices on the scale of the cost differences
    span = float(C.max())
    if eps is None:
        eps = 1e-6 * span / N
    prices = np.zeros(N)
    if span == 0.0:  # all costs equal: every permutation is optimal
        return np.arange(N), prices
    if eps < 64 * np.spacing(span):
        raise ValueError(
            f"eps = {eps:.3g} is below the floating-point resolution of the costs (range {span:.3g}); "
            f"the bids would not raise the prices: use eps >= {64 * np.spacing(span):.3g}"
        )
    if N == 1:
        return np.zeros(1, dtype=np.int64), prices
    eps_k = max(span / scaling, eps)
    rounds = 0
    while True:
        owner = np.full(N, -1)  # owner[j]: person holding object j
        sigma = np.full(N, -1)  # sigma[i]: object held by person i
        free = np.arange(N)
        while free.size:
            rounds += 1
            if rounds > max_rounds:
                raise RuntimeError(f"auction did not finish in {max_rounds} rounds; raise eps")
            V = C[free] + prices  # (F, N) what each free person would pay
            rows = np.arange(free.size)
            j1 = np.argmin(V, axis=1)
            w1 = V[rows, j1]
            V[rows, j1] = np.inf
            w2 = V.min(axis=1)
            bids = prices[j1] + (w2 - w1) + eps_k
            order = np.lexsort((bids, j1))  # by object, then by bid: the last one wins
            js = j1[order]
            last = np.append(js[1:] != js[:-1], True)
            objs, winners = js[last], free[order[last]]
            losers = owner[objs]
            sigma[losers[losers >= 0]] = -1
            owner[objs] = winners
            sigma[winners] = objs
            prices[objs] = bids[order[last]]
            free = np.flatnonzero(sigma < 0)
        if eps_k <= eps:
            return sigma, prices
        eps_k = max(eps_k / scaling, eps)


#: Memory of HiGHS' dual simplex per variable of an ``N x M`` transport LP, in bytes, with a margin.
#: Measured as the peak resident memory of ``kantorovich`` above that of the process before the
#: call (scipy 1.17, HiGHS through ``linprog(method="highs-ds")``, random costs and weights):
#: 1164, 1059, 964, 953 and 949 bytes per variable for N = M = 200, 400, 700, 1000 and 1400, 1000 to
#: 1130 for the elongated 100 x 3000, 3000 x 100 and 50 x 8000. It is linear in N M: the sparse
#: constraint matrix (2 N M non-zeros, built by scipy in COO then CSC, and copied column- and
#: row-wise by HiGHS, about 100 bytes), and HiGHS' per-column arrays of the simplex (costs,
#: bounds, values, duals, basis status, work vectors and presolve copies, several hundred bytes).
HIGHS_BYTES_PER_VARIABLE = 1250

#: Largest Kantorovich linear program (number of variables N * M) solved by :func:`kantorovich`:
#: its HiGHS memory at most ``MAX_DENSE_BYTES`` (2 GiB), about N = M = 1300 (solved in ~15 s).
MAX_LP_VARIABLES = MAX_DENSE_BYTES // HIGHS_BYTES_PER_VARIABLE

_LP_HINT = ("use POT's ot.emd for large exact problems, or the sliced Wasserstein methods "
            "(ottools.sliced)")


def kantorovich(C, *, a=None, b=None):
    r"""Optimal coupling of Kantorovich's linear program, as a vertex of the transport polytope.

    Taught in tour 03 (``tours/03_kantorovich.ipynb``).

    Parameters
    ----------
    C : ndarray of shape (N, M)
        Cost matrix, e.g. ``cost_matrix(X, Y, p)``.
    a : ndarray of shape (N,), optional
    b : ndarray of shape (M,), optional
        Probability weights of the two measures (uniform if omitted).

    Returns
    -------
    P : ndarray of shape (N, M)
        An optimal coupling: ``P >= 0``, ``P 1 = a``, ``P^T 1 = b``. It is a vertex (basic
        solution), so it has at most ``N + M - 1`` non-zeros and its support is a forest;
        for uniform weights and ``N = M`` it is ``(1/N)`` times a permutation matrix (Birkhoff).
    cost : float
        ``<P, C> = W_p^p`` when ``C = cost_matrix(X, Y, p)``.
    f : ndarray of shape (N,)
    g : ndarray of shape (M,)
        Optimal dual potentials: ``f_i + g_j <= C[i, j]`` for all ``i, j``, with equality where
        ``P[i, j] > 0`` (complementary slackness), and ``<f, a> + <g, b> = cost``.
        Normalised by ``g[-1] = 0`` (they are defined up to ``f + c, g - c``).

    Notes
    -----
    ``min_{P >= 0} <P, C>`` subject to the ``N + M`` marginal equalities, one of which is
    redundant (the total masses agree) and is dropped, leaving a full-rank system of ``N + M - 1``
    rows. Solved by the dual simplex of HiGHS (``scipy.optimize.linprog(method="highs-ds")``),
    which returns a basic solution; an interior-point method would not. The duals are HiGHS'
    equality marginals (the dropped constraint has dual 0). ``N * M`` is limited to
    :data:`MAX_LP_VARIABLES` (HiGHS needs about :data:`HIGHS_BYTES_PER_VARIABLE` bytes per
    variable). The production solver is POT's network simplex ``ot.emd``.

    References
    ----------
    L. Kantorovich, On the translocation of masses, Dokl. Akad. Nauk SSSR 37, 1942.
    G. Birkhoff, Tres observaciones sobre el algebra lineal, Univ. Nac. Tucuman Rev. Ser. A 5, 1946.
    G. Peyre, M. Cuturi, Computational Optimal Transport, FnT ML 11(5-6), 2019, ch. 3.

    Examples
    --------
    >>> P, cost, f, g = kantorovich([[1.0], [3.0]], a=[0.5, 0.5], b=[1.0])
    >>> P.ravel(), cost
    (array([0.5, 0.5]), 2.0)
    """
    C = as_float_array(C, "C", ndim=2)
    N, M = C.shape
    if N == 0 or M == 0:
        raise ValueError(f"C must be a non-empty (N, M) cost matrix, got shape {C.shape}")
    a = check_weights(a, N, "a")
    b = check_weights(b, M, "b")
    if N * M > MAX_LP_VARIABLES:
        raise ValueError(
            f"C: a linear program with N * M = {N * M} variables is above the limit "
            f"MAX_LP_VARIABLES = {MAX_LP_VARIABLES} (HiGHS needs about {HIGHS_BYTES_PER_VARIABLE} bytes per "
            f"variable, {HIGHS_BYTES_PER_VARIABLE * N * M / 1024**3:.3g} GiB here); " + _LP_HINT
        )
    return _kantorovich(C, a, b)


def _kantorovich(C, a, b):
    r"""The LP on a checked cost matrix and weights (see :func:`kantorovich`)."""
    N, M = C.shape
    rows = sparse.kron(sparse.eye(N), np.ones((1, M)))  # (P 1)_i = a_i
    cols = sparse.kron(np.ones((1, N)), sparse.eye(M))  # (P^T 1)_j = b_j
    A_eq = sparse.vstack([rows, cols.tocsr()[: M - 1]]).tocsc()
    b_eq = np.concatenate([a, b[: M - 1]])
    res = optimize.linprog(
        C.ravel(), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs-ds"
    )
    if res.status != 0:  # pragma: no cover - the transport polytope is never empty
        raise RuntimeError(f"kantorovich: the LP solver failed: {res.message}")
    P = np.maximum(res.x, 0.0).reshape(N, M)
    duals = res.eqlin.marginals
    f, g = duals[:N].copy(), np.append(duals[N:], 0.0)
    return P, float(np.sum(P * C)), f, g


def displacement_interpolation(X, Y, P, t):
    r"""McCann's displacement interpolant between two discrete measures, from a coupling.

    Taught in tour 03 (``tours/03_kantorovich.ipynb``, exercise) and the barycenter tours.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
    P : ndarray of shape (N, M)
        A coupling (non-negative, total mass 1), optimal for the cost ``||x - y||^2`` to get a
        Wasserstein geodesic (e.g. ``kantorovich(cost_matrix(X, Y), a=a, b=b)[0]``).
    t : float in [0, 1]
        Time: ``t = 0`` gives ``mu``, ``t = 1`` gives ``nu``.

    Returns
    -------
    Z : ndarray of shape (K, d)
        Atoms ``(1 - t) X_i + t Y_j`` for the ``K`` pairs with ``P[i, j] > 0`` (row-major order).
    m : ndarray of shape (K,)
        Their masses ``P[i, j]`` (sum to 1).

    Notes
    -----
    ``mu_t = sum_{i,j} P_ij delta_{(1-t) X_i + t Y_j}``. With ``P`` optimal for the squared
    distance, ``W_2(mu_s, mu_t) = |t - s| W_2(mu_0, mu_1)`` (a constant-speed geodesic) and
    ``mu_t`` is a barycenter of ``mu_0, mu_1`` with weights ``(1 - t, t)``; ``K <= N + M - 1``
    when ``P`` is a vertex. Used again in the barycenter tours.

    References
    ----------
    R. J. McCann, A convexity principle for interacting gases, Adv. Math. 128, 1997.

    Examples
    --------
    >>> Z, m = displacement_interpolation([[0.0]], [[2.0]], [[1.0]], 0.25)
    >>> Z, m
    (array([[0.5]]), array([1.]))
    """
    X, Y = _clouds_pair(X, Y)
    P = as_float_array(P, "P", ndim=2)
    if P.shape != (X.shape[0], Y.shape[0]):
        raise ValueError(
            f"P must have shape (N, M) = {(X.shape[0], Y.shape[0])} to couple X and Y, "
            f"got {P.shape}"
        )
    check_weights(P.ravel(), P.size, "P")  # non-negative, total mass 1
    t = check_real(t, "t", minimum=0.0, maximum=1.0)
    I, J = np.nonzero(P > 0)
    return (1.0 - t) * X[I] + t * Y[J], P[I, J]


def sort_match(x, y):
    r"""The optimal 1-D assignment of ``x`` onto ``y``: the k-th smallest ``x`` gets the k-th smallest ``y``.

    This is histogram specification (slide 10): the output has exactly the values of ``y`` (with
    their multiplicities) in the order of ``x``. It is optimal for every convex cost ``|x - y|^p``,
    ``p >= 1`` (the monotone coupling is optimal for convex costs; Santambrogio 2015, ch. 2), and
    costs ``O(N log N)``. Taught in tours 00 and 04.

    Parameters
    ----------
    x, y : ndarray of shape (N,)
        Equal lengths; for different lengths match ``x`` to quantiles of ``y`` instead
        (``np.quantile(y, (np.arange(N) + 0.5) / N, method="inverted_cdf")``, tour 04).

    Returns
    -------
    out : ndarray of shape (N,)
        ``out[i] = sort(y)[rank of x_i]``, ties in ``x`` broken by position (stable sort).

    Examples
    --------
    >>> sort_match(np.array([0.3, 0.1, 0.2]), np.array([10.0, 30.0, 20.0]))
    array([30., 10., 20.])
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(
            f"x and y must have the same length for a matching by sorting, got {x.shape[0]} and "
            f"{y.shape[0]}; match x to quantiles of y for different sizes"
        )
    out = np.empty_like(x)
    out[np.argsort(x, kind="stable")] = np.sort(y)
    return out


def canonical_order(X):
    r"""The rows of ``X`` in lexicographic order: one representative of a point cloud up to permutation.

    Two clouds define the same uniform measure exactly when their canonical orders are equal
    (slide 4: a point cloud lives in the quotient ``R^{N x d} / Sigma_N``). Taught in tours 01 and 04.

    >>> canonical_order(np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 1.0]]))
    array([[0., 1.],
           [0., 2.],
           [1., 0.]])
    """
    X = check_points(X, "X")
    return X[np.lexsort(X.T[::-1])]
