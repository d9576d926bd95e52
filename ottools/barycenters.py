r"""Wasserstein barycenters: exact in 1-D and for two measures, sliced for point clouds.

Taught in ``tours/07_wasserstein_barycenters.ipynb`` (slides 18-21); the colour harmonisation of
``tours/08_color_harmonization.ipynb`` (slides 22-25) builds on :func:`sliced_barycenter` in
:func:`ottools.color.harmonize`.

Conventions, recalled once for the whole module:

* measures are probability-normalised; a point cloud ``X`` of shape ``(N, d)`` stands for
  :math:`\mu_X = \frac1N\sum_i\delta_{X_i}`;
* barycentric weights :math:`\lambda = (\lambda_1, \dots, \lambda_L)` lie on the simplex
  (:math:`\lambda_i \ge 0`, :math:`\sum_i\lambda_i = 1`);
* a Wasserstein barycenter is a minimiser of :math:`\sum_i \lambda_i W_2^2(\mu_i, \mu)`
  (Agueh and Carlier 2011). It exists; it is **unique as soon as one** :math:`\mu_i` **gives no
  mass to small sets** (sets of Hausdorff dimension at most :math:`d - 1`; Agueh and Carlier 2011,
  Prop. 3.5), the condition that slide 19 prints inverted. Barycenters of discrete measures need
  not be unique (tour 07);
* the sliced energy follows :mod:`ottools.sliced`: :math:`SW_2^2` with the uniform probability on the
  sphere, no factor 1/2, and :math:`W_2^2` of 1-D measures carries the :math:`1/N`.

The exact barycenter of **two** discrete measures needs no function of its own: with an optimal
coupling ``P = discrete.kantorovich(discrete.cost_matrix(X, Y), a=a, b=b)[0]``,
``discrete.displacement_interpolation(X, Y, P, t)`` is a barycenter with weights ``(1 - t, t)``
(McCann's interpolant, slide 20), with at most ``N + M - 1`` atoms. For three or more small measures,
:func:`exact_barycenter` solves the multi-marginal linear program (the oracle of the sliced barycenter).

References
----------
M. Agueh, G. Carlier, "Barycenters in the Wasserstein space", SIAM J. Math. Anal. 43(2), 2011.
J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
mixing", SSVM 2011. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein
barycenters of measures", JMIV 51(1), 2015.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, sparse

from ottools import _onedim, discrete, sliced
from ottools._validate import (
    check_callable,
    check_clouds,
    check_directions,
    check_dtype,
    check_max_iter,
    check_measures,
    check_memory,
    check_points,
    check_positive_int,
    check_rng,
    check_simplex,
    check_tol,
)
from ottools.gaussian import BarycenterReport

__all__ = [
    "quantile_barycenter_1d",
    "exact_barycenter",
    "barycenter_energy",
    "sliced_barycenter",
]


# ----------------------------------------------------------------------------------------------
# One dimension: average the quantile functions
# ----------------------------------------------------------------------------------------------


def quantile_barycenter_1d(measures, weights=None):
    r"""Exact Wasserstein barycenter of measures on the line, by averaging quantile functions.

    Parameters
    ----------
    measures : list of L measures
        Each is either an array of samples of shape ``(N_i,)`` (uniform weights) or a pair
        ``(x, a)`` of positions ``(N_i,)`` and probability weights ``(N_i,)``. Sizes may differ.
    weights : ndarray of shape (L,), optional
        Barycentric weights :math:`\lambda` on the simplex (uniform if omitted).

    Returns
    -------
    z : ndarray of shape (K,)
        Non-decreasing atoms of the barycenter, ``K <= sum_i N_i - L + 1``.
    m : ndarray of shape (K,)
        Their masses (positive, summing to 1). For ``L`` uniform samples of the same size ``N``,
        ``K = N``, ``m = 1/N`` and ``z`` is the weighted mean of the sorted samples.

    Notes
    -----
    On the line :math:`W_2^2(\mu, \nu) = \int_0^1 (F_\mu^{-1}(s) - F_\nu^{-1}(s))^2 ds`: the
    quantile function embeds the measures isometrically into the convex cone of non-decreasing
    functions of :math:`L^2(0, 1)`. The barycenter is therefore the measure whose quantile function
    is the average :math:`F_{\mu^\star}^{-1} = \sum_i\lambda_iF_{\mu_i}^{-1}` (non-decreasing, so
    it is a quantile function), and it is unique. Every :math:`F_{\mu_i}^{-1}` is piecewise
    constant with jumps at the cumulative weights of its sorted atoms: on each interval of the merged
    grid of jumps the average is a constant, one atom of the barycenter whose mass is the interval's
    length. Cost :math:`O(\sum_i N_i \log \sum_i N_i)`.

    References
    ----------
    M. Agueh, G. Carlier, "Barycenters in the Wasserstein space", SIAM J. Math. Anal. 43(2), 2011.

    Examples
    --------
    >>> z, m = quantile_barycenter_1d([[0.0, 2.0], [4.0, 10.0]])
    >>> z, m
    (array([2., 6.]), array([0.5, 0.5]))
    """
    measures = check_measures(measures, "measures", d=1)
    lam = check_simplex(weights, len(measures), "weights")
    xs, cws = [], []
    for X, a in measures:
        x = X[:, 0]
        order = np.argsort(x, kind="stable")
        xs.append(x[order])
        cws.append(_onedim.cumulative_weights(a[order])[None, :])
    # The merged grid of the jumps of all quantile functions; pieces of zero length are dropped.
    lengths, idx = _onedim.merged_pieces(cws)
    keep = lengths[0] > 0
    z = np.zeros(int(keep.sum()))
    for lam_i, x, i in zip(lam, xs, idx):  # loop over the L measures only
        z += lam_i * x[i[0, keep]]
    return z, lengths[0, keep]


# ----------------------------------------------------------------------------------------------
# Exact barycenter of small discrete measures: the multi-marginal linear program
# ----------------------------------------------------------------------------------------------

def _bytes_per_tuple(L, d):
    r"""Memory of one tuple of the multi-marginal program for ``L`` measures in dimension ``d``.

    HiGHS' own :data:`ottools.discrete.HIGHS_BYTES_PER_VARIABLE`, plus the ``L`` indices of the
    tuple, the ``L`` entries of the constraint matrix (with their row and column indices while it is
    built), the barycentric mean, a work array of the same size and the cost.
    """
    return discrete.HIGHS_BYTES_PER_VARIABLE + 8.0 * (6 * L + 2 * d + 2)


def exact_barycenter(measures, weights=None):
    r"""Exact Wasserstein barycenter of a few small discrete measures, by the multi-marginal linear program.

    Taught in ``tours/07_wasserstein_barycenters.ipynb`` (the oracle against which the sliced
    barycenter is measured).

    Parameters
    ----------
    measures : list of L measures
        Each is either a point cloud of shape ``(N_i, d)`` (uniform weights ``1/N_i``) or a pair
        ``(X_i, a_i)`` of points ``(N_i, d)`` and probability weights ``(N_i,)``; a 1-D array is
        ``N_i`` points on the line. The sizes may differ; the dimension ``d`` is shared.
    weights : ndarray of shape (L,), optional
        Barycentric weights :math:`\lambda` on the simplex (uniform if omitted). Measures of weight
        0 play no part (they are left out of the program).

    Returns
    -------
    Z : ndarray of shape (K, d)
        Atoms of a barycenter :math:`\mu^\star = \sum_k m_k\delta_{Z_k}`, one per tuple of positive
        mass, in the row-major order of the tuples; ``K <= sum_i N_i - L + 1`` (a vertex).
    m : ndarray of shape (K,)
        Their masses (positive, summing to 1).
    energy : float
        The minimum :math:`\sum_i \lambda_i W_2^2(\mu_i, \mu^\star)`.

    Notes
    -----
    The barycenter problem equals a transport problem with ``L`` marginals (Gangbo and Święch 1998;
    Agueh and Carlier 2011): over the couplings :math:`\pi` of the weights
    :math:`a_1, \dots, a_L` on the tuples :math:`j = (j_1, \dots, j_L)`,

    .. math:: \min_{\pi \ge 0} \sum_j \pi_j\, c_j \quad\text{s.t.}\quad
              \sum_{j : j_i = k} \pi_j = a_i(k)\ \ \forall i, k, \qquad
              c_j = \sum_i \lambda_i \|X_{i, j_i} - \bar X_j\|^2, \quad
              \bar X_j = \sum_i \lambda_i X_{i, j_i},

    and :math:`\mu^\star = \sum_j \pi_j \delta_{\bar X_j}` is a barycenter (the point that minimises
    :math:`\sum_i\lambda_i\|X_{i,j_i} - z\|^2` is the Euclidean barycenter :math:`\bar X_j`).
    The ``sum_i N_i`` marginal equalities have rank ``sum_i N_i - L + 1`` (every marginal has mass
    1), so the vertex that the dual simplex of HiGHS returns (``scipy.optimize.linprog``,
    ``method="highs-ds"``, one redundant row per marginal after the first dropped) has at most that
    many atoms (Anderes, Borgwardt and Miller 2016). For ``L = 2`` with weights ``(1 - t, t)`` the cost
    is :math:`t(1-t)\|X_k - Y_l\|^2`: the program is Kantorovich's and the atoms are McCann's
    interpolant (:func:`ottools.discrete.displacement_interpolation`). For ``L >= 3`` uniform
    measures of one size ``N`` the program is not integral, unlike Birkhoff's theorem for ``L = 2``:
    the optimal vertex is often ``N`` tuples of mass ``1/N``, but for some clouds (about one in 300
    random triples of 4 points in the plane) it splits masses ``1/(2N)`` and costs strictly less
    than every choice of ``N`` tuples, so no barycenter has ``N`` atoms of mass ``1/N``.

    Size: ``prod_i N_i`` variables, at most :data:`ottools.discrete.MAX_LP_VARIABLES`, and their
    memory (HiGHS' and the tuples', :func:`_bytes_per_tuple`) is checked against
    ``ottools._validate.MAX_DENSE_BYTES`` before anything is allocated. The time grows faster than the
    memory: three clouds of 30 points in the plane (27,000 tuples) take about 0.3 s, of 50 points
    (125,000 tuples) about 3 s. For larger clouds use :func:`sliced_barycenter`, or POT's fixed point
    ``ot.lp.free_support_barycenter`` (on a chosen number of atoms it decreases the energy to a fixed
    point, not necessarily the minimum).

    References
    ----------
    W. Gangbo, A. Święch, "Optimal maps for the multidimensional Monge-Kantorovich problem",
    Comm. Pure Appl. Math. 51(1), 1998.
    M. Agueh, G. Carlier, "Barycenters in the Wasserstein space", SIAM J. Math. Anal. 43(2), 2011.
    E. Anderes, S. Borgwardt, J. Miller, "Discrete Wasserstein barycenters: optimal transport for
    discrete data", Math. Methods Oper. Res. 84(2), 2016.

    Examples
    --------
    >>> Z, m, energy = exact_barycenter([[[0.0, 0.0]], [[2.0, 4.0]]], [0.75, 0.25])
    >>> Z, m, energy
    (array([[0.5, 1. ]]), array([1.]), 3.75)
    """
    measures = check_measures(measures, "measures")
    lam = check_simplex(weights, len(measures), "weights")
    kept = [(l_i, X, a) for l_i, (X, a) in zip(lam, measures) if l_i > 0]
    n_tuples = math.prod(X.shape[0] for _, X, _ in kept)  # Python integers: no overflow
    if n_tuples > discrete.MAX_LP_VARIABLES:
        raise ValueError(
            f"measures: the multi-marginal program has prod N_i = {n_tuples} variables, above the limit "
            f"ottools.discrete.MAX_LP_VARIABLES = {discrete.MAX_LP_VARIABLES}; {_EXACT_HINT}"
        )
    check_memory(n_tuples * _bytes_per_tuple(len(kept), measures[0][0].shape[1]), "measures", hint=_EXACT_HINT)
    return _exact_barycenter(kept)


_EXACT_HINT = ("the exact barycenter is for a few small measures: use sliced_barycenter for larger clouds, "
               "or POT's ot.lp.free_support_barycenter")


def _exact_barycenter(kept):
    r"""The multi-marginal program on checked ``[(lambda_i, X_i, a_i)]`` (see :func:`exact_barycenter`)."""
    sizes = [X.shape[0] for _, X, _ in kept]
    # Centre at the weighted mean: the costs are unchanged and their rounding is relative to the spread.
    centre = sum(l_i * (a @ X) for l_i, X, a in kept)
    idx = np.indices(sizes).reshape(len(kept), -1)  # (L, P): the atom of each measure in each tuple
    mean = np.zeros((idx.shape[1], centre.size))
    for (l_i, X, _), i in zip(kept, idx):  # loops over the L measures only
        mean += l_i * (X[i] - centre)
    cost = np.zeros(idx.shape[1])
    for (l_i, X, _), i in zip(kept, idx):
        cost += l_i * np.sum((X[i] - centre - mean) ** 2, axis=1)
    offsets = np.cumsum([0] + sizes[:-1])
    A = sparse.csr_matrix((np.ones(idx.size), ((idx + offsets[:, None]).ravel(), np.tile(np.arange(idx.shape[1]), len(kept)))),
                          shape=(sum(sizes), idx.shape[1]))
    # every marginal has mass 1: the last equality of each marginal after the first is redundant
    keep = np.setdiff1d(np.arange(sum(sizes)), offsets[1:] + np.array(sizes[1:], dtype=int) - 1)
    res = optimize.linprog(cost, A_eq=A[keep].tocsc(), b_eq=np.concatenate([a for _, _, a in kept])[keep],
                           bounds=(0, None), method="highs-ds")
    if res.status != 0:  # pragma: no cover - the polytope of couplings is never empty
        raise RuntimeError(f"exact_barycenter: the LP solver failed: {res.message}")
    support = np.flatnonzero(res.x > 0)
    m = res.x[support] / res.x[support].sum()
    return mean[support] + centre, m, float(cost[support] @ m)


# ----------------------------------------------------------------------------------------------
# Sliced barycenter of point clouds
# ----------------------------------------------------------------------------------------------


def barycenter_energy(X, clouds, weights=None, *, directions=None, n_directions=200, rng=None):
    r"""The sliced barycenter energy :math:`\sum_i\lambda_i SW_2^2(\mu_X, \mu_{X_i})` (Monte Carlo).

    Parameters
    ----------
    X : ndarray of shape (N, d)
        Candidate barycenter.
    clouds : list of L ndarrays of shapes (N_i, d)
    weights : ndarray of shape (L,), optional
        Barycentric weights on the simplex (uniform if omitted).
    directions : ndarray of shape (K, d), optional
        Fixed unit directions (use the same ones to compare two candidates).
    n_directions : int, default 200
        Number of random directions when ``directions`` is not given.
    rng : None, int or numpy.random.Generator
        Source of the random directions.

    Returns
    -------
    energy : float
        :math:`\frac1K\sum_{\theta}\sum_i\lambda_iW_2^2(P_\theta\sharp\mu_X, P_\theta\sharp\mu_{X_i})`,
        the energy that :func:`sliced_barycenter` decreases (same constants as
        :func:`ottools.sliced.sliced_energy`: no factor 1/2).

    Examples
    --------
    >>> X = np.array([[0.0, 0.0]])
    >>> barycenter_energy(X, [X - 1.0, X + 1.0], directions=[[1.0, 0.0], [0.0, 1.0]])
    1.0
    """
    clouds = check_clouds(clouds, "clouds")
    d = clouds[0].shape[1]
    X = check_points(X, "X", d=d)
    lam = check_simplex(weights, len(clouds), "weights")
    n = X.shape[0]

    def needs(k):  # the projections of X, and the 1-D problems of the largest of the clouds
        return 8.0 * k * n + max(sliced._projection_bytes(k, n, C.shape[0], False) for C in clouds)

    if directions is None:
        k = check_positive_int(n_directions, "n_directions")
        check_memory(needs(k) + 24.0 * k * d, "n_directions", hint=sliced._MEMORY_HINT)
        theta = sliced._random_directions(k, d, check_rng(rng))
    else:
        theta = check_directions(directions, d=d, unit_tol=sliced.UNIT_TOL)
        check_memory(needs(theta.shape[0]), "directions", hint=sliced._MEMORY_HINT)
        check_rng(rng)  # unused, but a wrong value is still an error
    px = theta @ X.T
    return float(sum(l_i * np.mean(sliced._projected_costs(px, theta @ C.T)) for l_i, C in zip(lam, clouds)))


def _resampler(n, m):
    r"""A function mapping sorted quantiles ``(K, m)`` onto ``n`` atoms: mean over each ``1/n`` cell.

    The quantile function of ``m`` uniform atoms, averaged over the quantile interval
    ``((j - 1)/n, j/n]`` of the ``j``-th of ``n`` atoms, is where the 1-D optimal (barycentric) map
    sends that atom (:func:`ottools._onedim.atom_means` on :func:`ottools._onedim.uniform_pieces`).
    """
    if n == m:
        return lambda s: s
    ix, iy, lengths = _onedim.uniform_pieces(n, m)
    mass = np.full(n, 1.0 / n)
    return lambda s: _onedim.atom_means(s[:, iy], ix, lengths, mass)


def sliced_barycenter(clouds, weights=None, *, n_iter=20, tol=None, step=1.0, n_directions=None,
                      directions=None, rng=None, init=None, callback=None, precision=np.float32):
    r"""Sliced Wasserstein barycenter of point clouds by Lagrangian (stochastic Newton) descent.

    Parameters
    ----------
    clouds : list of L ndarrays of shapes (N_i, d)
        The input clouds, uniform weights :math:`1/N_i`; the sizes may differ (quantile matching).
    weights : ndarray of shape (L,), optional
        Barycentric weights :math:`\lambda` on the simplex (uniform if omitted).
    n_iter : int, default 20
        Number of iterations (0 returns the initial cloud); the largest number when ``tol`` is
        given. For five colour clouds of 65,536 points, 10 iterations bring the energy within 0.4 %
        of its value after 100, 20 within 0.1 %.
    tol : float, optional
        Stop as soon as the relative step (see ``report``) falls below ``tol``; ``report.converged``
        tells whether it did. ``None`` (default): run ``n_iter`` iterations, with ``converged``
        False (no test is made). With random directions the step keeps the size of the
        inconsistencies between the drawn directions (it does not go to zero); with fixed
        ``directions`` the descent reaches a local minimum and the step vanishes.
    step : float, default 1.0
        Step :math:`\tau` relative to the Newton step, ``0 < step < 2``; 1 matches, along each drawn
        basis vector, the 1-D barycenter of the projections exactly.
    n_directions : None or int
        ``None`` (default): one Haar-random orthonormal basis per iteration. An integer ``K``:
        ``K`` independent uniform directions per iteration. Ignored when ``directions`` is given.
    directions : ndarray of shape (K, d), optional
        A fixed set of unit directions used at **every** iteration instead of random ones: the
        descent is then deterministic, on the fixed energy :math:`\mathcal E_\Theta`, and stops at
        one of its local minima (tour 07 uses it to exhibit two of them).
    rng : None, int or numpy.random.Generator
        Source of the directions.
    init : ndarray of shape (N, d), optional
        Initial cloud; its size ``N`` is the number of atoms of the result. Default: a copy of the
        input cloud of largest weight (the first one in case of a tie). The problem is not convex:
        the result depends on it.
    callback : callable, optional
        ``callback(iteration, X_current, directions)`` after each iteration (``X_current`` of shape
        (N, d) the cloud after the step, ``directions`` of shape (K, d) the directions used): for a
        progress bar, or to record the iterates or the energy.
    precision : numpy.float32 (default) or numpy.float64
        Floating-point type of the projections that are sorted (the result is float64).
        ``float32`` sorts about twice as fast; the clouds are first centred at the weighted mean of
        their means, so the error stays near ``1e-7`` of their spread. Use ``float64`` for tests at
        ``1e-8``.

    Returns
    -------
    X : ndarray of shape (N, d)
        The barycenter's atoms (uniform weights ``1/N``), float64.
    report : ottools.gaussian.BarycenterReport
        ``iterations`` run, ``residuals`` (the relative step of each iteration: the root mean
        square displacement of the atoms divided by the root mean square spread of the inputs
        around their common mean), ``converged`` (see ``tol``) and ``method``
        (``"sliced_newton"``).

    Notes
    -----
    The energy is (slide 21, constants of :mod:`ottools.sliced`)

    .. math:: \mathcal E(X) = \sum_{i=1}^L \lambda_i\, SW_2^2(\mu_X, \mu_{X_i}),\qquad
              \mathcal E_\Theta(X) = \frac1K\sum_{\theta\in\Theta}\sum_i\lambda_i
              W_2^2(P_\theta\sharp\mu_X, P_\theta\sharp\mu_{X_i}),

    whose Euclidean gradient is :math:`\nabla_{X_j}\mathcal E_\Theta = \frac2{NK}\sum_\theta
    \big(\langle X_j,\theta\rangle - T_\theta(X_j)\big)\theta` with
    :math:`T_\theta(X_j) = \sum_i\lambda_iT^{(i)}_\theta(X_j)`, where :math:`T^{(i)}_\theta(X_j)` is
    the 1-D optimal image of :math:`\langle X_j,\theta\rangle` in the projection of :math:`X_i`
    (the same-rank point if :math:`N_i = N`; see :func:`ottools.sliced.sliced_gradient` for the
    factor 2 and the :math:`1/N` that slide 13 drops). An iteration draws :math:`\Theta_\ell` and
    takes the scalar Newton step of the piecewise-quadratic :math:`\mathcal E_{\Theta_\ell}` (Hessian
    :math:`\frac2N H_\Theta`, :math:`H_\Theta = \frac1K\sum_\theta\theta\theta^\top`), the **same
    step** as :func:`ottools.sliced.sliced_transport` (see its Notes), so that the barycenter of a
    single cloud, started at ``X``, is the sliced flow of ``X`` onto it:

    .. math:: X_j \leftarrow X_j - \tau\,\alpha\,\frac1K\sum_{\theta\in\Theta}
              \big(\langle X_j,\theta\rangle - T_\theta(X_j)\big)\theta ,\qquad
              \alpha = \operatorname{tr}H_\Theta / \operatorname{tr}H_\Theta^2 .

    For an orthonormal basis :math:`\alpha H_\Theta = \mathrm{Id}` and, with :math:`\tau = 1`, the
    coordinates of :math:`X` along the basis become the 1-D barycenters (averaged quantiles) of
    the projected inputs. Each iteration sorts the projections of all the clouds once, in float32
    and in parallel: cost :math:`O(K\sum_i N_i(d + \log N_i))`.

    Facts (Bonneel et al. 2015): the mean of the result is :math:`\sum_i\lambda_i\,\mathrm{mean}(X_i)`
    (exactly, after one step with an orthonormal basis and :math:`\tau = 1`); if
    :math:`X_i = s_iB + u_i` then :math:`\bar sB + \bar u` is a sliced barycenter
    (:math:`\bar s = \sum\lambda_is_i`, :math:`\bar u = \sum\lambda_iu_i`); Diracs (``N_i = 1``)
    give the Euclidean barycenter; in 1-D it is the exact barycenter of
    :func:`quantile_barycenter_1d`. The energy is **not convex** in :math:`X`, and the sliced
    barycenter is in general **not** the Wasserstein barycenter.

    Memory: the stacked clouds and, per iteration, their projections, sorted copies and weighted
    sums (about ``4 K sum_i N_i`` values), and ``6 K N`` for the barycenter's own projections, are
    counted before allocating against ``ottools._validate.MAX_DENSE_BYTES``.

    See Also
    --------
    quantile_barycenter_1d : the exact barycenter in dimension 1.
    exact_barycenter : the exact barycenter of a few small measures (multi-marginal linear program).
    ottools.discrete.displacement_interpolation : the exact barycenter of two discrete measures.
    ot.lp.free_support_barycenter : POT's fixed point for the Wasserstein (not sliced) barycenter on
        a chosen number of atoms (not necessarily the minimum), the production tool when dense cost matrices fit
        in memory.

    References
    ----------
    J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
    mixing", SSVM 2011. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein
    barycenters of measures", JMIV 51(1), 2015.

    Examples
    --------
    >>> B = np.random.default_rng(0).standard_normal((50, 2))
    >>> X, report = sliced_barycenter([B, 3 * B + [4.0, 0.0]], n_iter=1, precision=np.float64, rng=0)
    >>> bool(np.allclose(X, 2 * B + [2.0, 0.0])), report.iterations
    (True, 1)
    """
    clouds = check_clouds(clouds, "clouds")
    d = clouds[0].shape[1]
    lam = check_simplex(weights, len(clouds), "weights")
    n_iter = check_max_iter(n_iter, "n_iter", minimum=0)
    tol = None if tol is None else check_tol(tol, "tol")
    step = sliced._step_size(step)
    dtype = check_dtype(precision, "precision")
    callback = check_callable(callback, "callback")
    rng = check_rng(rng)
    if directions is not None:
        fixed = check_directions(directions, d=d, unit_tol=sliced.UNIT_TOL)
        k, k_name = fixed.shape[0], "directions"
    else:
        fixed = None
        k = d if n_directions is None else check_positive_int(n_directions, "n_directions")
        k_name = "n_directions" if n_directions is not None else "clouds"
    init = clouds[int(np.argmax(lam))] if init is None else check_points(init, "init", d=d)
    total = sum(C.shape[0] for l_i, C in zip(lam, clouds) if l_i > 0)
    # the stacked clouds (and their float64 centred copy while stacking), per iteration their
    # projections, sorted copies and weighted sums, and the barycenter's own projections, orders,
    # targets and residuals
    check_memory((8.0 + dtype.itemsize) * d * total + (3.0 * dtype.itemsize + 8.0) * k * total
                 + 8.0 * (6.0 * k + 2.0 * d) * init.shape[0] + 24.0 * k * d, k_name, hint=sliced._MEMORY_HINT)
    return _sliced_barycenter(clouds, lam, n_iter, tol, step, n_directions, fixed, rng, init, callback, dtype)


def _sliced_barycenter(clouds, lam, n_iter, tol, step, n_directions, fixed, rng, init, callback, dtype):
    r"""The descent on checked inputs (see :func:`sliced_barycenter`); returns ``(X, report)``."""
    d = init.shape[1]
    report = BarycenterReport(method="sliced_newton")
    # Centre everything at the weighted mean of the means: every 1-D problem is unchanged, and the
    # float32 projections stay small.
    centre = sum(l_i * C.mean(axis=0) for l_i, C in zip(lam, clouds))
    spread = np.sqrt(sum(l_i * np.mean(np.sum((C - centre) ** 2, axis=1)) for l_i, C in zip(lam, clouds)))
    scale = spread if spread > 0 else 1.0  # all inputs at one point: steps measured absolutely
    Z = init - centre  # a new float64 array
    n = Z.shape[0]
    # Clouds of the same size (with positive weight) are projected and sorted together, as one
    # (g K, m) array, then averaged with their weights and resampled onto the n atoms of Z.
    groups = {}
    for l_i, C in zip(lam, clouds):
        if l_i > 0:
            groups.setdefault(C.shape[0], []).append((l_i, C))
    stacks = []
    for m, members in groups.items():
        lam_g = np.array([l_i for l_i, _ in members])
        stacked = np.concatenate([C for _, C in members]) - centre  # (g m, d)
        stacks.append((m, lam_g, np.ascontiguousarray(stacked.T.astype(dtype)), _resampler(n, m)))

    rows = None
    for it in range(1, n_iter + 1):
        theta = fixed if fixed is not None else sliced._step_directions(d, n_directions, rng)
        k = theta.shape[0]
        theta_t = theta.astype(dtype)
        px = theta_t @ Z.T.astype(dtype)  # (K, n)
        order = sliced._sort_rows(px, argsort=True)
        quantiles = np.zeros((k, n), dtype=np.float64)  # averaged sorted targets
        for m, lam_g, stacked_t, resample in stacks:
            g = lam_g.size
            proj = (theta_t @ stacked_t).reshape(k, g, m).transpose(1, 0, 2).reshape(g * k, m)
            srt = sliced._sort_rows(proj)
            quantiles += resample((lam_g @ srt.reshape(g, k * m)).reshape(k, m))
        if rows is None or rows.shape[0] != k:
            rows = np.arange(k)[:, None]
        residual = np.empty((k, n), dtype=np.float64)
        residual[rows, order] = np.take_along_axis(px, order, axis=1) - quantiles
        move = (step * sliced._newton_scale(theta)) * (residual.T @ theta)
        Z -= move
        report.iterations = it
        report.residuals.append(float(np.sqrt(np.mean(np.sum(move**2, axis=1)))) / scale)
        if callback is not None:
            callback(it, Z + centre, theta)
        if tol is not None and report.residuals[-1] < tol:
            report.converged = True
            break
    return Z + centre, report
