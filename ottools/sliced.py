r"""Sliced Wasserstein distance, its energy and gradient, the sliced transport flow and its stochastic descent.

Taught in ``tours/05_sliced_wasserstein.ipynb`` (slides 11-14); used for colour transfer by
:mod:`ottools.color`.

Conventions, recalled once for the whole module (the normalisations of Bonneel et al. 2015, with
probability-normalised measures):

* a point cloud ``X`` of shape ``(N, d)`` stands for the probability measure
  :math:`\mu_X = \sum_i a_i \delta_{X_i}` with uniform weights :math:`a_i = 1/N` unless ``a`` is given;
* the directions :math:`\theta` are distributed by the **uniform probability** on the sphere
  :math:`\mathbb S^{d-1}` (:math:`\int d\theta = 1`), and a finite set :math:`\Theta` of ``K``
  directions is the array ``directions`` of shape ``(K, d)``, one unit vector per row;
* :math:`W_2^2` of 1-D measures is probability-normalised (it carries the :math:`1/N`);
* :math:`SW_2^2(\mu, \nu) = \int_{\mathbb S^{d-1}} W_2^2(P_\theta \sharp\mu, P_\theta\sharp\nu)\,d\theta`
  with :math:`P_\theta(x) = \langle x, \theta\rangle`; ``sliced_wasserstein_distance`` returns
  :math:`SW_2` itself, never its square;
* the energy of a finite direction set is
  :math:`E_\Theta(X) = \frac1K \sum_{\theta\in\Theta} W_2^2(P_\theta\sharp\mu_X, P_\theta\sharp\mu_Y)`,
  the Monte-Carlo estimate of :math:`SW_2^2`; its gradient carries the factor 2 that slide 13 drops
  and the weight :math:`a_i = 1/N` of the normalised measure.

Clouds of different sizes (or weights) are compared by **quantile matching**: along each direction
the two 1-D quantile functions are compared on the merged grid of their cumulative weights (the one
1-D kernel of :mod:`ottools._onedim`).

Memory: the projections of the clouds on ``K`` directions, their sorted copies, sort orders and
merged grids are a few arrays of ``K (N + M)`` entries (:data:`PROJECTION_ARRAYS`); a computation above
``ottools._validate.MAX_DENSE_BYTES`` (2 GiB) is refused before anything is allocated (use fewer
directions, or average over chunks of directions as :func:`ottools.color.color_sliced_distance`).

References
----------
J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
mixing", SSVM 2011, LNCS 6667. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon
Wasserstein barycenters of measures", JMIV 51(1), 2015.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ottools import _onedim
from ottools._validate import (
    as_float_array,
    check_callable,
    check_directions,
    check_dtype,
    check_max_iter,
    check_memory,
    check_point_pair,
    check_points,
    check_positive_int,
    check_real,
    check_rng,
    check_weights,
)

__all__ = [
    "random_directions",
    "random_orthonormal_basis",
    "random_orthonormal_bases",
    "circle_directions",
    "projected_costs",
    "sliced_wasserstein_distance",
    "sliced_energy",
    "sliced_gradient",
    "sliced_transport",
    "sliced_sgd",
    "two_dirac_wasserstein_energy",
    "two_dirac_sliced_energy",
]

#: Rows of ``directions`` must have a Euclidean norm within this distance of 1.
UNIT_TOL = 1e-6

#: Arrays of ``K (N + M)`` entries (8 bytes each) that one batch of ``K`` 1-D problems holds at its
#: peak, counted before allocating: for equal sizes and uniform weights (the projections and their
#: sorted copies), different sizes (and the pieces of the merged grid), and weights (and the sort
#: orders, cumulative weights and grid indices). Measured with ``tracemalloc`` for the distance, the
#: gradient and a flow step (K = 50, N = 20,000, M = 20,000 or 13,000): at most 2.5, 5.5 and 12.0.
PROJECTION_ARRAYS = {"equal": 3, "unequal": 6, "weighted": 13}

#: Arrays of projections with at least this many entries are sorted by several threads (numpy
#: releases the GIL while sorting, so the rows of a (K, N) array sort in parallel).
PARALLEL_SORT_SIZE = 2**18
_N_THREADS = max(1, min(4, os.cpu_count() or 1))
_POOL = None


# ----------------------------------------------------------------------------------------------
# Directions
# ----------------------------------------------------------------------------------------------


def random_directions(n, d, rng=None):
    r"""Independent directions drawn from the uniform probability on the sphere.

    Parameters
    ----------
    n : int
        Number of directions ``K``.
    d : int
        Dimension of the ambient space.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    directions : ndarray of shape (n, d)
        Unit vectors, one per row.

    Notes
    -----
    A standard Gaussian vector divided by its norm is uniform on :math:`\mathbb S^{d-1}`, because the
    Gaussian density is invariant under rotations.

    Examples
    --------
    >>> theta = random_directions(5, 3, rng=0)
    >>> theta.shape, bool(np.allclose(np.linalg.norm(theta, axis=1), 1))
    ((5, 3), True)
    """
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d")
    check_memory(3 * 8.0 * n * d, "random_directions(n, d)", hint="draw fewer directions")
    return _random_directions(n, d, check_rng(rng))


def _random_directions(n, d, rng):
    g = rng.standard_normal((n, d))
    norms = np.linalg.norm(g, axis=1, keepdims=True)
    # A Gaussian vector is zero with probability 0; redraw it anyway rather than divide by zero.
    while np.any(norms == 0):  # pragma: no cover - probability 0
        bad = norms[:, 0] == 0
        g[bad] = rng.standard_normal((int(bad.sum()), d))
        norms = np.linalg.norm(g, axis=1, keepdims=True)
    return g / norms


def random_orthonormal_bases(n, d, rng=None):
    r"""``n`` independent orthonormal bases of :math:`\mathbb R^d`, Haar distributed.

    Parameters
    ----------
    n : int
        Number of bases.
    d : int
        Dimension.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    bases : ndarray of shape (n, d, d)
        ``bases[l]`` is an orthogonal matrix whose **rows** are the basis vectors.

    Notes
    -----
    QR factorisation of a standard Gaussian matrix :math:`G = QR`, then the columns of :math:`Q` are
    multiplied by the signs of the diagonal of :math:`R`: without this sign fix LAPACK's convention
    biases the distribution, with it :math:`Q` is Haar distributed on :math:`O(d)` (Mezzadri 2007).
    Each row is then uniform on the sphere.

    References
    ----------
    F. Mezzadri, "How to generate random matrices from the classical compact groups",
    Notices of the AMS 54(5), 2007.

    Examples
    --------
    >>> Q = random_orthonormal_bases(4, 3, rng=0)
    >>> bool(np.allclose(Q @ Q.transpose(0, 2, 1), np.eye(3)))
    True
    """
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d")
    check_memory(5 * 8.0 * n * d * d, "random_orthonormal_bases(n, d)", hint="draw fewer bases")
    return _haar_bases(n, d, check_rng(rng))


def _haar_bases(n, d, rng):
    q, r = np.linalg.qr(rng.standard_normal((n, d, d)))
    signs = np.sign(np.diagonal(r, axis1=1, axis2=2))
    signs[signs == 0] = 1.0
    q = q * signs[:, None, :]
    return np.ascontiguousarray(q.transpose(0, 2, 1))


def random_orthonormal_basis(d, rng=None):
    r"""One Haar-distributed orthonormal basis of :math:`\mathbb R^d`, rows are the vectors.

    Returns an ndarray of shape ``(d, d)``; see :func:`random_orthonormal_bases`.

    >>> B = random_orthonormal_basis(3, rng=1)
    >>> bool(np.allclose(B @ B.T, np.eye(3)))
    True
    """
    d = check_positive_int(d, "d")
    check_memory(5 * 8.0 * d * d, "random_orthonormal_basis(d)", hint="use a smaller dimension")
    return _haar_bases(1, d, check_rng(rng))[0]


def circle_directions(n):
    r"""``n`` equispaced directions of the plane, angles :math:`k\pi/n`, shape ``(n, 2)``.

    Since :math:`W_2(P_\theta\sharp\mu, P_\theta\sharp\nu) = W_2(P_{-\theta}\sharp\mu, P_{-\theta}\sharp\nu)`,
    averaging over these half-circle angles is the trapezoidal rule for the uniform probability on
    the whole circle: a deterministic quadrature of :math:`SW_2^2` in 2-D (error :math:`O(n^{-2})`,
    the integrand being only piecewise smooth).

    >>> circle_directions(2).round(12)
    array([[1., 0.],
           [0., 1.]])
    """
    n = check_positive_int(n, "n")
    check_memory(4 * 8.0 * n, "circle_directions(n)", hint="use fewer directions")
    angles = np.pi * np.arange(n) / n
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


# ----------------------------------------------------------------------------------------------
# Validation at the boundary (every check is in ottools._validate)
# ----------------------------------------------------------------------------------------------


def _pair(X, Y, a, b):
    r"""The two clouds and their weights (``None``: uniform), checked."""
    X, Y = check_point_pair(X, Y)
    a = None if a is None else check_weights(a, X.shape[0], "a")
    b = None if b is None else check_weights(b, Y.shape[0], "b")
    return X, Y, a, b


def _projection_bytes(k, n, m, weighted):
    r"""Bytes held at the peak by ``k`` 1-D problems between ``n`` and ``m`` atoms (see the module)."""
    case = "weighted" if weighted else ("equal" if n == m else "unequal")
    return 8.0 * PROJECTION_ARRAYS[case] * k * (n + m)


_MEMORY_HINT = "use fewer directions, or average over chunks of directions (ottools.color.color_sliced_distance)"


# ----------------------------------------------------------------------------------------------
# 1-D optimal transport along many directions at once (rows of (K, N) arrays)
# ----------------------------------------------------------------------------------------------


def _sort_rows(p, argsort=False):
    r"""``np.sort(p, axis=1)`` (or ``np.argsort``) of a (K, N) array, rows split between threads."""
    fun = np.argsort if argsort else np.sort
    k = p.shape[0]
    if _N_THREADS == 1 or k < 2 or p.size < PARALLEL_SORT_SIZE:
        return fun(p, axis=1)
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(_N_THREADS, thread_name_prefix="ottools-sort")
    bounds = np.linspace(0, k, min(k, _N_THREADS) + 1).astype(int)
    parts = _POOL.map(lambda lo_hi: fun(p[lo_hi[0]:lo_hi[1]], axis=1), zip(bounds[:-1], bounds[1:]))
    return np.concatenate(list(parts), axis=0)


def _sort_with_weights(p, w):
    r"""Sort each row of ``p`` (K, N); return sorted values, order and cumulative weights."""
    order = _sort_rows(p, argsort=True)
    return np.take_along_axis(p, order, axis=1), order, _onedim.cumulative_weights(w[order])


def _projected_costs(px, py, a=None, b=None):
    r"""W_2^2 between the 1-D measures of each row of ``px`` (K, N) and ``py`` (K, M)."""
    n, m = px.shape[1], py.shape[1]
    if a is None and b is None:
        sx = _sort_rows(px)
        sy = _sort_rows(py)
        if n == m:
            diff = sx - sy
            return np.einsum("kn,kn->k", diff, diff, dtype=np.float64) / n
        ix, iy, lengths = _onedim.uniform_pieces(n, m)
        diff = sx[:, ix] - sy[:, iy]
        return (diff.astype(np.float64) ** 2) @ lengths
    a = np.full(n, 1.0 / n) if a is None else a
    b = np.full(m, 1.0 / m) if b is None else b
    sx, _, cwx = _sort_with_weights(px, a)
    sy, _, cwy = _sort_with_weights(py, b)
    lengths, (ix, iy) = _onedim.merged_pieces([cwx, cwy])
    diff = np.take_along_axis(sx, ix, axis=1) - np.take_along_axis(sy, iy, axis=1)
    return np.sum(lengths * diff.astype(np.float64) ** 2, axis=1)


def _projected_targets(px, py, a=None, b=None):
    r"""Where the 1-D optimal transport along each row sends each atom of ``px``.

    Returns ``(targets, mass)``: ``targets`` (K, N) is the barycentric projection
    :math:`T_\theta(x_i) = \frac1{a_i}\int_{F(x_i^-)}^{F(x_i)} G^{-1}(t)\,dt` (for equal sizes and
    uniform weights simply the same-rank point of ``py``), ``mass`` the weights ``a`` (N,).
    """
    k, n = px.shape
    m = py.shape[1]
    rows = np.arange(k)[:, None]
    if a is None and b is None:
        order = _sort_rows(px, argsort=True)
        sy = _sort_rows(py)
        targets = np.empty_like(px)
        if n == m:
            targets[rows, order] = sy
        else:
            ix, iy, lengths = _onedim.uniform_pieces(n, m)
            targets[rows, order] = _onedim.atom_means(sy[:, iy], ix, lengths, np.full(n, 1.0 / n))
        return targets, np.full(n, 1.0 / n)
    a = np.full(n, 1.0 / n) if a is None else a
    b = np.full(m, 1.0 / m) if b is None else b
    sx, order, cwx = _sort_with_weights(px, a)
    sy, _, cwy = _sort_with_weights(py, b)
    lengths, (ix, iy) = _onedim.merged_pieces([cwx, cwy])
    means = _onedim.atom_means(np.take_along_axis(sy, iy, axis=1), ix, lengths, a[order])
    sorted_targets = np.where(np.isnan(means), sx, means)  # an atom without mass stays where it is
    targets = np.empty_like(px)
    targets[rows, order] = sorted_targets
    return targets, a


# ----------------------------------------------------------------------------------------------
# Distance and energy
# ----------------------------------------------------------------------------------------------


def projected_costs(X, Y, directions, *, a=None, b=None):
    r"""Squared 1-D Wasserstein distances of the projections, one per direction.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
    directions : ndarray of shape (K, d)
        Unit vectors :math:`\theta_k`, one per row.
    a, b : ndarray of shape (N,) and (M,), optional
        Weights of the two measures (uniform if omitted).

    Returns
    -------
    costs : ndarray of shape (K,)
        :math:`W_2^2(P_{\theta_k}\sharp\mu_X, P_{\theta_k}\sharp\mu_Y)`, probability-normalised.

    Notes
    -----
    For equal sizes and uniform weights
    :math:`W_2^2 = \frac1N\sum_i (x_{(i)} - y_{(i)})^2` with sorted projections; otherwise the two
    quantile functions are compared on the merged grid of cumulative weights,
    :math:`W_2^2 = \int_0^1 (F^{-1}(t) - G^{-1}(t))^2 dt`. Their mean is the Monte-Carlo estimate of
    :math:`SW_2^2`: the tour plots its convergence.

    Examples
    --------
    >>> projected_costs([[0.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    array([0., 1.])
    """
    X, Y, a, b = _pair(X, Y, a, b)
    theta = check_directions(directions, d=X.shape[1], unit_tol=UNIT_TOL)
    weighted = a is not None or b is not None
    check_memory(_projection_bytes(theta.shape[0], X.shape[0], Y.shape[0], weighted), "directions",
                 hint=_MEMORY_HINT)
    return _projected_costs(theta @ X.T, theta @ Y.T, a, b)


def sliced_wasserstein_distance(X, Y, *, a=None, b=None, n_directions=50, directions=None, rng=None,
                                precision=np.float64):
    r"""Sliced Wasserstein distance :math:`SW_2` between two point clouds (Monte Carlo).

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
        The two clouds; ``N`` and ``M`` may differ (quantile matching).
    a, b : ndarray of shape (N,) and (M,), optional
        Weights (probability vectors); uniform if omitted.
    n_directions : int, default 50
        Number ``K`` of random directions, drawn uniformly on the sphere with ``rng``. Ignored when
        ``directions`` is given.
    directions : ndarray of shape (K, d), optional
        Fixed unit directions (for instance to compare with another implementation).
    rng : None, int or numpy.random.Generator
        Source of the random directions.
    precision : numpy.float64 (default) or numpy.float32
        Floating-point type of the projections that are sorted (the result is a Python float).
        ``float32`` sorts about twice as fast; the clouds are centred first so its relative error
        stays near ``1e-7`` of their spread.

    Returns
    -------
    sw : float
        :math:`SW_2` (the distance, not its square).

    Notes
    -----
    .. math:: SW_2^2(\mu_X,\mu_Y) \approx \frac1K\sum_{k=1}^K W_2^2(P_{\theta_k}\sharp\mu_X,
              P_{\theta_k}\sharp\mu_Y),\qquad \theta_k \sim \mathcal U(\mathbb S^{d-1}),

    an unbiased estimate of :math:`SW_2^2` with relative standard deviation :math:`O(K^{-1/2})`.
    Each 1-D term costs a sort, :math:`O(N\log N)`; the ``K`` sorts run on one contiguous ``(K, N)``
    array whose rows are split between up to 4 threads when it is large (numpy releases the GIL while
    sorting). Useful facts: :math:`SW_2^2(\mu, \mu(\cdot - v)) = \|v\|^2/d` (along :math:`\theta` a
    translation shifts every projection by :math:`\langle v,\theta\rangle`, and
    :math:`\int\theta\theta^\top d\theta = \frac1d\mathrm{Id}`) and :math:`SW_2^2 \le W_2^2/d` (project the
    optimal plan); in dimension 1, :math:`SW_2 = W_2`.

    This is the quantity ``ot.sliced_wasserstein_distance(X, Y, projections=directions.T)`` of POT
    computes (POT takes the directions as columns).

    References
    ----------
    J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
    mixing", SSVM 2011. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein
    barycenters of measures", JMIV 51(1), 2015.

    Examples
    --------
    >>> X = np.zeros((4, 2))
    >>> float(sliced_wasserstein_distance(X, X + [3.0, 4.0], directions=[[1.0, 0.0], [0.0, 1.0]]))
    3.5355339059327378
    """
    X, Y, a, b = _pair(X, Y, a, b)
    n, d = X.shape
    m = Y.shape[0]
    weighted = a is not None or b is not None
    dtype = check_dtype(precision, "precision")
    if directions is None:
        n_directions = check_positive_int(n_directions, "n_directions")
        check_memory(_projection_bytes(n_directions, n, m, weighted) + 24.0 * n_directions * d,
                     "n_directions", hint=_MEMORY_HINT)
        theta = _random_directions(n_directions, d, check_rng(rng))
    else:
        theta = check_directions(directions, d=d, unit_tol=UNIT_TOL)
        check_memory(_projection_bytes(theta.shape[0], n, m, weighted), "directions", hint=_MEMORY_HINT)
        check_rng(rng)  # unused, but a wrong value is still an error
    # Centring both clouds by the same vector leaves every 1-D distance unchanged and keeps the
    # projections small, which matters in float32.
    centre = 0.5 * (X.mean(axis=0) + Y.mean(axis=0))
    # (K, N) arrays: each direction's projections contiguous, sorted row by row.
    px = (theta @ (X - centre).T).astype(dtype, copy=False)
    py = (theta @ (Y - centre).T).astype(dtype, copy=False)
    cost = float(np.mean(_projected_costs(px, py, a, b)))
    return np.sqrt(max(cost, 0.0))


def sliced_energy(X, Y, directions, *, a=None, b=None):
    r"""Sliced energy :math:`E_\Theta(X)` of a finite set of directions (squared sliced distance).

    Parameters
    ----------
    X : ndarray of shape (N, d)
        The moving cloud.
    Y : ndarray of shape (M, d)
        The target cloud.
    directions : ndarray of shape (K, d)
        Unit directions :math:`\Theta`.
    a, b : ndarray of shape (N,) and (M,), optional
        Weights; uniform if omitted.

    Returns
    -------
    energy : float
        .. math:: E_\Theta(X) = \frac1K\sum_{\theta\in\Theta}W_2^2(P_\theta\sharp\mu_X,P_\theta\sharp\mu_Y)
                  = \frac1{KN}\sum_{\theta}\sum_i\big(\langle X_i,\theta\rangle - \langle Y_{\tau_\theta(i)},\theta\rangle\big)^2

        (second form for equal sizes and uniform weights, :math:`\tau_\theta(i)` = the point of ``Y``
        with the same rank as :math:`X_i` along :math:`\theta`). Averaged over random directions it is
        :math:`SW_2^2(\mu_X,\mu_Y)` (no factor 1/2, unlike Bonneel et al. 2015, who minimise
        :math:`\frac12\int \mathrm W_{pt}^2` with unnormalised sums).

    See Also
    --------
    sliced_gradient : its gradient.
    """
    X, Y, a, b = _pair(X, Y, a, b)
    theta = check_directions(directions, d=X.shape[1], unit_tol=UNIT_TOL)
    weighted = a is not None or b is not None
    check_memory(_projection_bytes(theta.shape[0], X.shape[0], Y.shape[0], weighted), "directions",
                 hint=_MEMORY_HINT)
    return float(np.mean(_projected_costs(theta @ X.T, theta @ Y.T, a, b)))


def sliced_gradient(X, Y, directions, *, a=None, b=None):
    r"""Euclidean gradient of :func:`sliced_energy` with respect to the points ``X``.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
    directions : ndarray of shape (K, d)
    a, b : ndarray of shape (N,) and (M,), optional

    Returns
    -------
    grad : ndarray of shape (N, d)
        .. math:: \nabla_{X_i}E_\Theta(X) = \frac{2 a_i}{K}\sum_{\theta\in\Theta}
                  \big(\langle X_i,\theta\rangle - T_\theta(X_i)\big)\,\theta ,

        with :math:`a_i = 1/N` for uniform weights and :math:`T_\theta(X_i) = \langle Y_{\tau_\theta(i)},\theta\rangle`
        for equal sizes (the same-rank projection of ``Y``; for other sizes, the mean of the target
        quantiles over the quantile interval of :math:`X_i`).

    Notes
    -----
    Slide 13 prints :math:`\int(\langle X_i,\theta\rangle - \langle Y_{\sigma_\theta(i)},\theta\rangle)\theta\,d\theta`
    for :math:`E = SW^2`: the **factor 2** of the derivative of a square is missing there, and with
    probability-normalised measures the Euclidean gradient also carries :math:`a_i = 1/N`. The
    "per-particle" gradient :math:`\nabla_{X_i}E / (2a_i)` is independent of ``N``; it is the
    displacement used by :func:`sliced_transport`.

    The formula holds wherever :math:`E_\Theta` is differentiable, i.e. where no two projections of
    ``X`` tie along a direction of :math:`\Theta` (Bonneel et al. 2015 state the continuous-direction
    version for pairwise distinct points). :math:`E_\Theta` is piecewise quadratic with Hessian
    :math:`2a_i H_\Theta`, :math:`H_\Theta = \frac1K\sum_\theta\theta\theta^\top`, in each block.
    """
    X, Y, a, b = _pair(X, Y, a, b)
    theta = check_directions(directions, d=X.shape[1], unit_tol=UNIT_TOL)
    check_memory(_projection_bytes(theta.shape[0], X.shape[0], Y.shape[0], a is not None or b is not None),
                 "directions", hint=_MEMORY_HINT)
    px = theta @ X.T
    targets, mass = _projected_targets(px, theta @ Y.T, a, b)
    residual = px - targets  # (K, N)
    return (2.0 / theta.shape[0]) * mass[:, None] * (residual.T @ theta)


# ----------------------------------------------------------------------------------------------
# Flow
# ----------------------------------------------------------------------------------------------


def sliced_transport(X, Y, *, a=None, b=None, n_iter=100, step=1.0, n_directions=None, rng=None,
                     callback=None):
    r"""Move the cloud ``X`` towards ``Y`` by stochastic Newton steps on the sliced energy.

    At each iteration a new set :math:`\Theta_\ell` of directions is drawn (an orthonormal basis by
    default), every point is matched in 1-D along each direction, and the cloud moves by
    ``step`` times the Newton step of :math:`E_{\Theta_\ell}`.

    Parameters
    ----------
    X : ndarray of shape (N, d)
        Initial cloud (not modified).
    Y : ndarray of shape (M, d)
        Target cloud.
    a, b : ndarray of shape (N,) and (M,), optional
        Weights; uniform if omitted.
    n_iter : int, default 100
        Number of iterations (0 returns a copy of ``X``).
    step : float, default 1.0
        Step :math:`\tau` relative to the Newton step, ``0 < step < 2``. ``step=1`` matches the 1-D
        marginals along the drawn directions when they are orthonormal; ``step < 1`` damps; at 2
        an orthonormal step reflects each point about its target (no progress), beyond it diverges.
    n_directions : None or int
        ``None`` (default): a Haar-random orthonormal basis of :math:`\mathbb R^d` per iteration
        (with ``step=1`` this is Pitié's iterative distribution transfer, IDT). An integer ``K``:
        ``K`` independent uniform directions per iteration (``1`` is the single random direction of
        slide 14).
    rng : None, int or numpy.random.Generator
        Source of the directions.
    callback : callable, optional
        Called as ``callback(iteration, X_current, directions)`` after each iteration
        (``iteration`` from 1 to ``n_iter``, ``X_current`` the cloud after the step, a view that
        the next iteration overwrites: copy it to keep it; ``directions`` of shape (K, d) the
        directions used). Use it for a progress bar, to record iterates or the energy.

    Returns
    -------
    X_final : ndarray of shape (N, d)
        The transported cloud: ``X_final[i]`` is the image of ``X[i]`` by the sliced map.

    Notes
    -----
    With residuals :math:`r_{\theta,i} = \langle X_i,\theta\rangle - T_\theta(X_i)` (see
    :func:`sliced_gradient`), the per-particle gradient is
    :math:`g_i = \nabla_{X_i}E_\Theta/(2a_i) = \frac1K\sum_\theta r_{\theta,i}\,\theta`, and one
    iteration is the **scalar Newton step**

    .. math:: X_i \leftarrow X_i - \tau\,\alpha\, g_i,\qquad
              \alpha = \frac{\operatorname{tr} H_\Theta}{\operatorname{tr} H_\Theta^2},\qquad
              H_\Theta = \frac1K\sum_{\theta\in\Theta}\theta\theta^\top .

    :math:`E_\Theta` is piecewise quadratic with Hessian :math:`2a_iH_\Theta` in :math:`X_i`, so
    locally :math:`g_i = H_\Theta e_i` for the error :math:`e_i` of :math:`X_i` to a minimiser, and
    the step leaves the error :math:`(\mathrm{Id} - \tau\alpha H_\Theta)e_i`; :math:`\alpha` is the
    scalar that minimises its mean square :math:`\mathbb E\|(\mathrm{Id} - \alpha H_\Theta)e\|^2`
    over isotropic errors. It is the exact Newton step :math:`H_\Theta^{+}` whenever
    :math:`H_\Theta` is a multiple of a projection: for orthonormal directions (a basis,
    :math:`\alpha g_i = \sum_k r_{\theta_k,i}\theta_k`: rotate, match each axis by 1-D histogram
    matching, rotate back, i.e. IDT; or a single direction, matched exactly) and for isotropic sets
    (:math:`H_\Theta = \frac1d\mathrm{Id}`, e.g. :func:`circle_directions`; many random directions
    come close). For a few non-orthogonal random directions the exact :math:`H_\Theta^{+}` would
    amplify the inconsistencies between the 1-D matchings of nearly parallel directions (measured:
    far slower, or divergent, at :math:`K = d`); the scalar step never does: since
    :math:`\alpha\lambda_{\max}(H_\Theta) \le (1 + \sqrt{\operatorname{rank}H_\Theta})/2`, every
    eigendirection of the local model contracts for :math:`\tau < 4/(1 + \sqrt d)` (1.66 in 2-D,
    1.46 in 3-D). The same step is used by :func:`ottools.barycenters.sliced_barycenter`.

    For equal sizes and uniform weights the iterates converge in practice to a cloud with
    :math:`\mu_X = \mu_Y`, i.e. a permutation of ``Y``, defining the sliced map. This convergence is
    a **numerical observation** (Rabin et al. 2011, Bonneel et al. 2015), not the theorem slide 14
    seems to state, and the limit is in general **not** the optimal transport map. For ``N != M``
    (or weights) each point is sent to the mean of the target quantiles over its own quantile
    interval, so the flow decreases the energy but ``X`` cannot become a copy of ``Y``.

    Cost per iteration :math:`O(K N (d + \log N))`.

    References
    ----------
    F. Pitié, A. Kokaram, R. Dahyot, "Automated colour grading using colour distribution transfer",
    CVIU 107(1-2), 2007. J. Rabin, G. Peyré, J. Delon, M. Bernot, SSVM 2011. N. Bonneel, J. Rabin,
    G. Peyré, H. Pfister, JMIV 51(1), 2015.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.standard_normal((200, 2)), rng.random((200, 2))
    >>> Z = sliced_transport(X, Y, n_iter=200, rng=rng)
    >>> bool(sliced_wasserstein_distance(Z, Y, rng=1) < 0.02 * sliced_wasserstein_distance(X, Y, rng=1))
    True
    """
    X, Y, a, b = _pair(X, Y, a, b)
    n, d = X.shape
    n_iter = check_max_iter(n_iter, "n_iter", minimum=0)
    step = _step_size(step)
    k = d if n_directions is None else check_positive_int(n_directions, "n_directions")
    check_memory(_projection_bytes(k, n, Y.shape[0], a is not None or b is not None) + 8.0 * k * d,
                 "n_directions" if n_directions is not None else "sliced_transport(X, Y)", hint=_MEMORY_HINT)
    callback = check_callable(callback, "callback")
    return _sliced_transport(X, Y, a, b, n_iter, step, n_directions, check_rng(rng), callback)


def _sliced_transport(X, Y, a, b, n_iter, step, n_directions, rng, callback=None):
    r"""The flow on checked inputs (see :func:`sliced_transport`)."""
    d = X.shape[1]
    Z = X.copy()
    for it in range(1, n_iter + 1):
        theta = _step_directions(d, n_directions, rng)
        px = theta @ Z.T
        targets, _ = _projected_targets(px, theta @ Y.T, a, b)
        # the scalar Newton step (see Notes) on sum_theta r_theta theta, an (N, d) array
        Z -= (step * _newton_scale(theta)) * ((px - targets).T @ theta)
        if callback is not None:
            callback(it, Z, theta)
    return Z


def _step_size(step):
    r"""The step of a sliced descent, ``0 < step < 2``, checked (shared with the barycenter)."""
    step = check_real(step, "step", minimum=0.0, strict=True)
    if step >= 2.0:
        raise ValueError(f"step must be below 2 (at 2 a Newton step reflects each point, beyond it "
                         f"diverges), got {step:g}")
    return step


def _step_directions(d, n_directions, rng):
    r"""The directions of one descent step: a Haar-random orthonormal basis (``n_directions=None``)
    or ``n_directions`` independent uniform directions; shape (K, d)."""
    if n_directions is None:
        return _haar_bases(1, d, rng)[0]
    return _random_directions(n_directions, d, rng)


def _newton_scale(theta):
    r"""The scalar Newton step of :math:`E_\Theta` for the directions ``theta`` (K, d).

    Returns :math:`\alpha / K` with :math:`\alpha = \operatorname{tr}H_\Theta / \operatorname{tr}H_\Theta^2`,
    :math:`H_\Theta = \frac1K\Theta^\top\Theta`, so that one step is
    ``X -= step * _newton_scale(theta) * residual.T @ theta`` (see :func:`sliced_transport`). With
    :math:`S = \Theta^\top\Theta` (d, d) it is :math:`\operatorname{tr}S / \|S\|_F^2`. Shared by
    :func:`sliced_transport` and :func:`ottools.barycenters.sliced_barycenter`.
    """
    S = theta.T @ theta
    return float(np.trace(S) / np.sum(S * S))


def sliced_sgd(X, Y, *, n_iter=1000, batch_size=None, n_directions=1, step=1.0, decay=None, rng=None,
               callback=None):
    r"""Stochastic gradient descent on the sliced energy with random directions and mini-batches of points.

    The descent written on slide 14: at each iteration :math:`\ell` draw ``n_directions`` random
    directions :math:`\Theta_\ell` (one on the slide) and, with ``batch_size``, a random subset
    :math:`S_\ell` of the points of ``X`` and one :math:`S'_\ell` of ``Y``; match the projections of
    the two batches in 1-D along each direction and move the points of :math:`S_\ell` (only them) by
    a gradient step of decreasing size :math:`\tau_\ell`.

    Parameters
    ----------
    X : ndarray of shape (N, d)
        Initial cloud (not modified).
    Y : ndarray of shape (M, d)
        Target cloud (uniform weights).
    n_iter : int, default 1000
        Number of iterations (0 returns a copy of ``X``).
    batch_size : None or int
        Points of each cloud per iteration, :math:`B` (at most ``N`` from ``X`` and ``M`` from ``Y``,
        drawn without replacement); ``None`` (default) uses every point.
    n_directions : int, default 1
        Random directions per iteration, :math:`K` (slide 14 draws one).
    step : float, default 1.0
        First step :math:`\tau_1` on the per-particle gradient (see Notes), ``0 < step < 2``: with
        one direction, ``step=1`` matches the batch exactly along it.
    decay : None or float
        ``None`` (default): constant step. A number :math:`\ell_0 > 0`: the step
        :math:`\tau_\ell = \tau_1 / (1 + (\ell - 1)/\ell_0)` halves after :math:`\ell_0` iterations,
        so that :math:`\sum_\ell\tau_\ell = \infty` and :math:`\sum_\ell\tau_\ell^2 < \infty`
        (Robbins and Monro).
    rng : None, int or numpy.random.Generator
        Source of the directions and of the batches.
    callback : callable, optional
        Called as ``callback(iteration, X_current, directions)`` after each iteration, as for
        :func:`sliced_transport` (``X_current`` is overwritten by the next iteration: copy it to keep it).

    Returns
    -------
    X_final : ndarray of shape (N, d)
        The cloud after ``n_iter`` iterations.

    Notes
    -----
    With batches :math:`X_S` and :math:`Y_{S'}` (probability-normalised, :math:`B` points each) the
    batch energy is :math:`E_{\Theta,S,S'}(X) = \frac1K\sum_{\theta\in\Theta}W_2^2(P_\theta\sharp\mu_{X_S},
    P_\theta\sharp\mu_{Y_{S'}})` and its Euclidean gradient in :math:`X_i`, :math:`i\in S`, is
    :math:`\frac2B g_i` with the per-particle gradient :math:`g_i = \frac1K\sum_\theta r_{\theta,i}\theta`
    (residuals of the 1-D matchings of the batches, see :func:`sliced_gradient`). One iteration is

    .. math:: X_i \leftarrow X_i - \tau_\ell\, g_i = X_i - \tau_\ell\frac B2\,\nabla_{X_i}E_{\Theta,S,S'}(X),
              \qquad i\in S_\ell ,

    the step :math:`X \leftarrow X - \tau_\ell\nabla E_\theta(X)` of slide 14 with the Euclidean step
    :math:`\tau_\ell B/2`. Locally :math:`g_i = H_\Theta e_i` with the eigenvalues of
    :math:`H_\Theta = \frac1K\sum_\theta\theta\theta^\top` in :math:`[0, 1]` (its trace is 1), so any
    step below 2 contracts. With every point (``batch_size=None``), one direction and a constant
    step it is :func:`sliced_transport` with ``n_directions=1`` (the Newton step of one direction is
    the per-particle gradient step), iteration for iteration with the same ``rng``.

    A matching of two batches only estimates the matching of the whole clouds (its expected target
    is biased by :math:`O(1/B)`), and every iteration moves only :math:`B` of the :math:`N` points:
    the energy decreases on average, at a cost of :math:`O(K B (d + \log B))` per iteration instead of
    :math:`O(K N (d + \log N))`, but with a constant step it stalls at a noise floor and with a
    decreasing step it creeps; the Newton steps of :func:`sliced_transport` (an orthonormal basis,
    step 1) reach the target far sooner on small clouds.

    References
    ----------
    J. Rabin, G. Peyré, J. Delon, M. Bernot, SSVM 2011 (the stochastic descent on random directions).
    H. Robbins, S. Monro, "A stochastic approximation method", Annals of Mathematical Statistics
    22(3), 1951.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.standard_normal((300, 2)), rng.random((300, 2))
    >>> theta = circle_directions(64)
    >>> Z = sliced_sgd(X, Y, n_iter=400, batch_size=50, decay=100, rng=rng)
    >>> bool(sliced_energy(Z, Y, theta) < 0.1 * sliced_energy(X, Y, theta))
    True
    """
    X, Y = check_point_pair(X, Y)
    n, d = X.shape
    m = Y.shape[0]
    n_iter = check_max_iter(n_iter, "n_iter", minimum=0)
    if batch_size is not None:
        batch_size = check_positive_int(batch_size, "batch_size")
    k = check_positive_int(n_directions, "n_directions")
    step = _step_size(step)
    if decay is not None:
        decay = check_real(decay, "decay", minimum=0.0, strict=True)
    bx = n if batch_size is None else min(batch_size, n)
    by = m if batch_size is None else min(batch_size, m)
    check_memory(_projection_bytes(k, bx, by, False) + 8.0 * (k * d + 2 * bx * d), "n_directions",
                 hint="use fewer directions or a smaller batch_size")
    callback = check_callable(callback, "callback")
    return _sliced_sgd(X, Y, n_iter, batch_size, k, step, decay, check_rng(rng), callback)


def _sliced_sgd(X, Y, n_iter, batch_size, k, step, decay, rng, callback=None):
    r"""The stochastic descent on checked inputs (see :func:`sliced_sgd`)."""
    (n, d), m = X.shape, Y.shape[0]
    Z = X.copy()
    for it in range(1, n_iter + 1):
        theta = _random_directions(k, d, rng)
        tau = step if decay is None else step / (1.0 + (it - 1) / decay)
        if batch_size is None:
            px = theta @ Z.T
            targets, _ = _projected_targets(px, theta @ Y.T)
            Z -= (tau / k) * ((px - targets).T @ theta)
        else:
            rows = rng.choice(n, min(batch_size, n), replace=False) if batch_size < n else np.arange(n)
            cols = rng.choice(m, min(batch_size, m), replace=False) if batch_size < m else np.arange(m)
            px = theta @ Z[rows].T
            targets, _ = _projected_targets(px, theta @ Y[cols].T)
            Z[rows] -= (tau / k) * ((px - targets).T @ theta)
        if callback is not None:
            callback(it, Z, theta)
    return Z


# ----------------------------------------------------------------------------------------------
# The two-Dirac case study (Bonneel et al. 2015)
# ----------------------------------------------------------------------------------------------


def two_dirac_wasserstein_energy(u):
    r"""Unnormalised :math:`W` energy of :math:`X(u) = \{u, -u\}` against :math:`Y = \{(0,-1),(0,1)\}`.

    Parameters
    ----------
    u : ndarray of shape (..., 2)

    Returns
    -------
    E : ndarray of shape (...)
        :math:`E^W(u) = \min_\sigma\sum_i\|X_i - Y_{\sigma(i)}\|^2 = 2\big(x^2 + (|y|-1)^2\big)`,
        twice the probability-normalised :math:`W_2^2`.

    References
    ----------
    Bonneel, Rabin, Peyré, Pfister, JMIV 2015, section "A case study: SW distance for pairs of Diracs".

    >>> float(two_dirac_wasserstein_energy([0.0, 1.0]))
    0.0
    """
    u = as_float_array(u, "u")
    if u.ndim < 1 or u.shape[-1] != 2:
        raise ValueError(f"u must have shape (..., 2) (points of the plane), got {u.shape}")
    x, y = u[..., 0], u[..., 1]
    return 2.0 * (x**2 + (np.abs(y) - 1.0) ** 2)


def two_dirac_sliced_energy(u):
    r"""Unnormalised sliced energy of the two-Dirac case study (see :func:`two_dirac_wasserstein_energy`).

    Returns
    -------
    E : ndarray of shape (...)
        .. math:: E^S(u) = \int_{\mathbb S^1}\min_\sigma\sum_i (\langle X_i - Y_{\sigma(i)},\theta\rangle)^2 d\theta
                  = x^2 + y^2 + 1 - \frac4\pi\big(|x| + y\arctan(y/|x|)\big)

        for the uniform probability :math:`d\theta` (the formula is even in :math:`u`; at
        :math:`x = 0` the limit :math:`y\arctan(y/|x|) \to \frac\pi2|y|` is used). It is twice
        ``sliced_energy`` of the two clouds (which divides by ``N = 2``). Minima at :math:`(0,\pm1)`,
        saddles at :math:`(\pm2/\pi, 0)`, a non-differentiable local maximum at 0 where the two
        points of ``X`` coincide.

    >>> float(two_dirac_sliced_energy([0.0, 1.0]))
    0.0
    """
    u = as_float_array(u, "u")
    if u.ndim < 1 or u.shape[-1] != 2:
        raise ValueError(f"u must have shape (..., 2) (points of the plane), got {u.shape}")
    x, y = u[..., 0], u[..., 1]
    ax = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        atan_term = np.where(ax > 0, y * np.arctan(y / np.where(ax > 0, ax, 1.0)), 0.5 * np.pi * np.abs(y))
    return x**2 + y**2 + 1.0 - 4.0 / np.pi * (ax + atan_term)
