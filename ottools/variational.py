r"""The sliced (or, in 1-D, the exact) Wasserstein distance as a data term of a variational model.

Taught in ``tours/15_*.ipynb`` (section "SW as a data term in variational imaging", slides 12-14):
instead of *projecting* the colours of an image onto the distribution of a reference (the sliced
transport of :mod:`ottools.sliced`, tour 05), look for an image ``f`` close to the degraded image
``f0`` whose colour distribution is close to the reference's,

.. math:: E_\lambda(f) = \frac1{2N}\|f - f_0\|^2 + \frac\lambda2\,SW_2^2(\mu_f, \mu_Y),

and, with a spatial prior, :math:`E_\lambda(f) + \frac\rho N\,TV(f)` (histogram-constrained
denoising).

Conventions (those of :mod:`ottools.sliced`, recalled once):

* an image of ``N`` pixels with ``d`` channels is the cloud ``f`` of shape ``(N, d)`` of its
  colours and :math:`\mu_f = \frac1N\sum_i\delta_{f_i}` its colour distribution; the reference
  :math:`\mu_Y` is a cloud ``Y`` of shape ``(M, d)`` (the colours of another image, any ``M``);
* :math:`W_2^2` and :math:`SW_2^2` are probability-normalised, the directions uniform on the sphere;
  with a finite set :math:`\Theta` of ``K`` directions :math:`SW_2^2` is replaced by the sliced
  energy :math:`E_\Theta = \frac1K\sum_{\theta\in\Theta}W_2^2(P_\theta\sharp\mu_f, P_\theta\sharp\mu_Y)`
  of :func:`ottools.sliced.sliced_energy`;
* :math:`\lambda` is scale-free: both terms are means over pixels, so the same :math:`\lambda` does
  the same thing at every image size. The slide's unnormalised
  :math:`\frac12\|f - f_0\|^2 + \lambda' SW_2^2` is this model with :math:`\lambda = 2\lambda'/N`;
* gradients are Euclidean (they carry :math:`1/N`); the *per-pixel* gradient ``N`` times it,
  :math:`g_i = (f_i - f_{0,i}) + \frac\lambda K\sum_\theta r_{\theta,i}\,\theta`, with the residuals
  :math:`r_{\theta,i} = \langle f_i,\theta\rangle - T_\theta(f_i)` of the 1-D matchings, is
  independent of ``N``.

Facts the tour checks (derived in the docstrings below): in 1-D and for the exact :math:`W_2`, the
minimiser is a convex combination of ``f0`` and its projection onto :math:`\mu_Y` (McCann's
interpolant at time :math:`\lambda/(1+\lambda)`), :math:`\lambda = 0` returns ``f0``,
:math:`\lambda\to\infty` the projection; for fixed directions the Newton (majorise-minimise) step
never increases the energy.

References
----------
J. Rabin, G. Peyré, "Wasserstein regularization of imaging problems", IEEE ICIP 2011.
J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
mixing", SSVM 2011, LNCS 6667. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon
Wasserstein barycenters of measures", JMIV 51(1), 2015. N. Papadakis, E. Provenzi, V. Caselles,
"A variational model for histogram transfer of color images", IEEE TIP 20(6), 2011. F. Pierre,
J.-F. Aujol, A. Bugeau, N. Papadakis, V.-T. Ta, "Luminance-chrominance model for image
colorization", SIAM J. Imaging Sci. 8(1), 2015 (variational colour models with a TV prior).
A. Chambolle, "An algorithm for total variation minimization and applications", JMIV 20, 2004
(the TV proximal operator).
"""

from __future__ import annotations

import numpy as np

from ottools import discrete, sliced
from ottools._validate import (
    as_float_array,
    check_callable,
    check_directions,
    check_max_iter,
    check_memory,
    check_option,
    check_point_pair,
    check_points,
    check_positive_int,
    check_real,
    check_rng,
)

__all__ = [
    "sliced_data_energy",
    "sliced_data_gradient",
    "wasserstein_data_solution",
    "sliced_data_fit",
    "tv_denoise",
    "tv_wasserstein_denoise",
]

#: Largest number of pixels of the exact (assignment) solution in dimension ``d >= 2``:
#: ``linear_sum_assignment`` on a dense ``N x N`` cost takes about a second at 2,000 points.
MAX_ASSIGNMENT_POINTS = 5000

#: Chambolle's dual step for the TV proximal operator (his convergence proof asks for ``1/8``;
#: ``1/4``, the bound of the norm of the discrete gradient squared, converges in practice and twice
#: as fast).
CHAMBOLLE_STEP = 0.25

#: Float64 arrays of the image's size held by the TV iterations (the dual field counts 2 per channel).
TV_ARRAYS = 10

METHODS = ("newton", "gradient")

_HINT = "use a smaller image or fewer directions"


# ----------------------------------------------------------------------------------------------
# Checks at the boundary (every check is in ottools._validate)
# ----------------------------------------------------------------------------------------------


def _problem(f0, Y, lam, *, infinite=False, names=("f0", "Y")):
    r"""The degraded cloud, the reference cloud and :math:`\lambda \ge 0`, checked."""
    f0, Y = check_point_pair(f0, Y, names)
    lam = check_real(lam, "lam", minimum=0.0, finite=not infinite)
    return f0, Y, lam


def _same_shape(f, f0, name):
    r"""A cloud of the shape of ``f0`` (the current image ``f`` or a starting image)."""
    f = check_points(f, name)
    if f.shape != f0.shape:
        raise ValueError(f"{name} must have the shape of f0 {f0.shape}, got {f.shape}")
    return f


# ----------------------------------------------------------------------------------------------
# Energy and gradient
# ----------------------------------------------------------------------------------------------


def sliced_data_energy(f, f0, Y, lam, directions):
    r"""The variational energy :math:`E_{\lambda,\Theta}(f)` of a finite set of directions.

    Parameters
    ----------
    f : ndarray of shape (N, d)
        The current image, as the cloud of its pixel colours.
    f0 : ndarray of shape (N, d)
        The degraded image (the fidelity term's datum).
    Y : ndarray of shape (M, d)
        The reference colours.
    lam : float
        Weight :math:`\lambda \ge 0` of the distribution term.
    directions : ndarray of shape (K, d)
        Unit directions :math:`\Theta` (in 1-D, ``[[1.0]]`` gives the exact :math:`W_2`).

    Returns
    -------
    energy : float
        .. math:: E_{\lambda,\Theta}(f) = \frac1{2N}\|f - f_0\|^2 + \frac\lambda2\,\frac1K
                  \sum_{\theta\in\Theta} W_2^2(P_\theta\sharp\mu_f, P_\theta\sharp\mu_Y).

    Notes
    -----
    Report energies with one *fixed* set of directions: two Monte-Carlo estimates with different
    directions differ by about :math:`K^{-1/2}`, far more than the differences between solvers.

    Examples
    --------
    >>> f0 = np.array([[0.0], [1.0]])
    >>> sliced_data_energy(f0, f0, [[1.0], [2.0]], 2.0, [[1.0]])
    1.0
    """
    f0, Y, lam = _problem(f0, Y, lam)
    f = _same_shape(f, f0, "f")
    theta = check_directions(directions, d=f0.shape[1], unit_tol=sliced.UNIT_TOL)
    check_memory(sliced._projection_bytes(theta.shape[0], f.shape[0], Y.shape[0], False), "directions", hint=_HINT)
    return _energy(f, f0, Y, lam, theta)


def _energy(f, f0, Y, lam, theta):
    fidelity = 0.5 * np.mean(np.sum((f - f0) ** 2, axis=1))
    if lam == 0:
        return float(fidelity)
    return float(fidelity + 0.5 * lam * np.mean(sliced._projected_costs(theta @ f.T, theta @ Y.T)))


def sliced_data_gradient(f, f0, Y, lam, directions):
    r"""Euclidean gradient of :func:`sliced_data_energy` with respect to ``f``.

    Parameters
    ----------
    f, f0 : ndarray of shape (N, d)
    Y : ndarray of shape (M, d)
    lam : float
    directions : ndarray of shape (K, d)

    Returns
    -------
    grad : ndarray of shape (N, d)
        .. math:: \nabla_{f_i}E_{\lambda,\Theta}(f) = \frac1N\Big((f_i - f_{0,i})
                  + \frac\lambda K\sum_{\theta\in\Theta}\big(\langle f_i,\theta\rangle - T_\theta(f_i)\big)\theta\Big),

        :math:`T_\theta(f_i)` the same-rank projection of ``Y`` (for ``M != N`` the mean of the
        target quantiles over the quantile interval of :math:`f_i`), i.e. ``(f - f0) / N`` plus
        :math:`\frac\lambda2` times :func:`ottools.sliced.sliced_gradient`.

    Notes
    -----
    Valid wherever no two projections of ``f`` tie along a direction of :math:`\Theta`; ``N`` times
    it is the per-pixel gradient that the descents of :func:`sliced_data_fit` use.
    """
    f0, Y, lam = _problem(f0, Y, lam)
    f = _same_shape(f, f0, "f")
    theta = check_directions(directions, d=f0.shape[1], unit_tol=sliced.UNIT_TOL)
    check_memory(sliced._projection_bytes(theta.shape[0], f.shape[0], Y.shape[0], False), "directions", hint=_HINT)
    px = theta @ f.T
    targets, _ = sliced._projected_targets(px, theta @ Y.T)
    return ((f - f0) + (lam / theta.shape[0]) * ((px - targets).T @ theta)) / f.shape[0]


# ----------------------------------------------------------------------------------------------
# Exact solutions: 1-D, and the exact W_2 data term
# ----------------------------------------------------------------------------------------------


def wasserstein_data_solution(f0, Y, lam):
    r"""The exact minimiser of the :math:`W_2` data-term model: 1-D closed form or McCann's interpolant.

    .. math:: f^\star = \operatorname*{argmin}_f\ \frac1{2N}\|f - f_0\|^2 + \frac\lambda2\,W_2^2(\mu_f, \mu_Y)
              = \frac{f_0 + \lambda\,P(f_0)}{1 + \lambda}.

    Parameters
    ----------
    f0 : ndarray of shape (N, d)
        The degraded image as a cloud of colours (a 1-D array is ``N`` grey values).
    Y : ndarray of shape (M, d)
        The reference colours. In dimension ``d >= 2``, ``M = N`` (an assignment) and
        ``N <= MAX_ASSIGNMENT_POINTS``; in 1-D any ``M``.
    lam : float
        :math:`\lambda \ge 0`; ``numpy.inf`` returns the projection :math:`P(f_0)` itself.

    Returns
    -------
    f_star : ndarray of shape (N, d)

    Notes
    -----
    :math:`P(f_0)` is the projection of ``f0`` onto the clouds with the distribution of ``Y``: in 1-D
    the histogram specification :math:`P(f_0)_i = T(f_{0,i})`, the point of ``Y`` of the same rank
    (for ``M != N`` the mean of the quantiles of ``Y`` over the quantile interval of :math:`f_{0,i}`),
    found by sorting; in dimension ``d`` the optimal assignment :math:`Y_{\sigma^\star(i)}` of
    ``f0`` to ``Y`` (``scipy.optimize.linear_sum_assignment``, :math:`O(N^3)`).

    Proof (equal sizes). :math:`W_2^2(\mu_f,\mu_Y) = \min_\sigma\frac1N\|f - Y\circ\sigma\|^2`, so
    minimise jointly over :math:`f` and :math:`\sigma`: for a fixed :math:`\sigma` the best ``f`` is
    :math:`(f_0 + \lambda Y\circ\sigma)/(1+\lambda)`, with energy
    :math:`\frac{\lambda}{2(1+\lambda)}\frac1N\|f_0 - Y\circ\sigma\|^2`, smallest for the optimal
    assignment :math:`\sigma^\star` of ``f0``. Hence

    .. math:: E_\lambda(f^\star) = \frac{\lambda}{2(1+\lambda)}W_2^2(\mu_{f_0},\mu_Y),\qquad
              W_2^2(\mu_{f^\star},\mu_Y) = \frac{W_2^2(\mu_{f_0},\mu_Y)}{(1+\lambda)^2}:

    :math:`f^\star` is McCann's displacement interpolant between :math:`\mu_{f_0}` and
    :math:`\mu_Y` at time :math:`t = \lambda/(1+\lambda)`, a pointwise colour map of ``f0`` (in 1-D
    a monotone look-up table: no spatial smoothing). The energy is not convex in ``f``; descents
    should start from ``f0``. In 1-D with ``M != N`` the same argument gives the same formula (the
    formula for the energy then gains :math:`\frac\lambda2` times the variance of ``Y``'s quantiles
    inside the pixels' quantile intervals).

    References
    ----------
    R. J. McCann, "A convexity principle for interacting gases", Adv. Math. 128, 1997.

    Examples
    --------
    >>> wasserstein_data_solution([0.0, 1.0], [10.0, 20.0], 1.0).ravel()
    array([ 5. , 10.5])
    """
    f0, Y, lam = _problem(f0, Y, lam, infinite=True)
    n, d = f0.shape
    if d == 1:
        check_memory(sliced._projection_bytes(1, n, Y.shape[0], False), "wasserstein_data_solution(f0, Y)",
                     hint=_HINT)
        target = _quantile_means(f0[:, 0], Y[:, 0])[:, None]
    else:
        if Y.shape[0] != n:
            raise ValueError(f"f0 and Y must have the same number of points in dimension d >= 2 (an assignment), "
                             f"got {n} and {Y.shape[0]}")
        if n > MAX_ASSIGNMENT_POINTS:
            raise ValueError(f"f0 has {n} points, above MAX_ASSIGNMENT_POINTS = {MAX_ASSIGNMENT_POINTS} for the "
                             f"exact assignment; use sliced_data_fit")
        check_memory(discrete.ASSIGNMENT_ARRAYS * 8.0 * n * n, "wasserstein_data_solution(f0, Y)", hint=_HINT)
        target = Y[discrete._assignment(f0, Y, 2.0)]
    if np.isinf(lam):
        return target
    return (f0 + lam * target) / (1.0 + lam)


def _quantile_means(x, y):
    r"""Where the 1-D optimal transport sends each value of ``x`` (N,) onto the uniform measure of ``y`` (M,).

    Equal sizes: the same-rank value of ``y``. Otherwise the mean of the quantile function
    :math:`G^{-1}` of ``y`` over the quantile interval :math:`[r/N, (r+1)/N]` of the value of rank
    :math:`r`: with the primitive :math:`C(t) = \int_0^t G^{-1}`, piecewise linear with knots
    :math:`C(j/M) = \frac1M\sum_{k<j}y_{(k)}`, it is :math:`N\,(C((r+1)/N) - C(r/N))` (one sort of
    each array and one ``numpy.interp``, the same values as :func:`ottools.sliced.sliced_gradient`'s
    merged grid up to rounding).
    """
    n, m = x.size, y.size
    order = np.argsort(x, kind="stable")
    sy = np.sort(y)
    out = np.empty(n)
    if n == m:
        out[order] = sy
        return out
    centre = sy.mean()  # centred, the primitive stays small and its differences lose fewer digits
    knots = np.concatenate([[0.0], np.cumsum(sy - centre) / m])
    C = np.interp(np.arange(n + 1) / n, np.arange(m + 1) / m, knots)
    out[order] = centre + n * np.diff(C)
    return out


# ----------------------------------------------------------------------------------------------
# Descents on the sliced data term
# ----------------------------------------------------------------------------------------------


def sliced_data_fit(f0, Y, lam, *, n_iter=30, method="newton", n_directions=None, directions=None, step=1.0,
                    decay=None, init=None, rng=None, callback=None):
    r"""Minimise :math:`E_\lambda(f) = \frac1{2N}\|f - f_0\|^2 + \frac\lambda2 SW_2^2(\mu_f, \mu_Y)` by sliced steps.

    At each iteration :math:`\ell` a set :math:`\Theta_\ell` of directions is drawn (a Haar-random
    orthonormal basis by default), every pixel is matched in 1-D along each direction, and ``f``
    moves by a Newton (majorise-minimise) step or by a gradient step on
    :math:`E_{\lambda,\Theta_\ell}` (slide 14's stochastic descent).

    Parameters
    ----------
    f0 : ndarray of shape (N, d)
        The degraded image as a cloud of colours (not modified).
    Y : ndarray of shape (M, d)
        The reference colours.
    lam : float
        :math:`\lambda \ge 0`. ``0`` returns ``f0`` (every step is then the identity);
        ``numpy.inf`` is the plain sliced projection: with ``method="newton"`` and the default
        directions it is :func:`ottools.sliced.sliced_transport`, iterate for iterate with the same ``rng``.
    n_iter : int, default 30
        Number of iterations (0 returns a copy of ``init``).
    method : {"newton", "gradient"}
        ``"newton"``: the minimiser :math:`f^+` of the quadratic majorant (see Notes), relaxed by
        the step :math:`\rho_\ell`; ``"gradient"``: a step :math:`\tau_\ell = \rho_\ell\,\alpha/(\alpha + \lambda)`
        along the per-pixel gradient. Both coincide for orthonormal directions.
    n_directions : None or int
        ``None`` (default): a Haar-random orthonormal basis per iteration (``d`` directions); an
        integer ``K``: ``K`` independent uniform directions per iteration (1 on slide 14).
    directions : ndarray of shape (K, d), optional
        Fixed unit directions used at every iteration instead of random ones (then ``n_directions``
        must be ``None``): the energy :math:`E_{\lambda,\Theta}` is then one fixed function, which
        the Newton steps never increase.
    step : float, default 1.0
        First relaxation :math:`\rho_1`, ``0 < step < 2`` (1: the full Newton step).
    decay : None or float
        ``None``: constant step. :math:`\ell_0 > 0`: :math:`\rho_\ell = \rho_1/(1 + (\ell - 1)/\ell_0)`
        (Robbins and Monro's conditions :math:`\sum\rho_\ell = \infty`, :math:`\sum\rho_\ell^2 < \infty`).
    init : ndarray of shape (N, d), optional
        Starting image (default ``f0``; a warm start along a path of :math:`\lambda`). Never start
        from noise: the energy is not convex.
    rng : None, int or numpy.random.Generator
        Source of the directions.
    callback : callable, optional
        ``callback(iteration, f_current, directions)`` after each iteration (``f_current`` is
        overwritten by the next one: copy it to keep it).

    Returns
    -------
    f : ndarray of shape (N, d)

    Notes
    -----
    Along :math:`\Theta` (``K`` rows, :math:`H = \frac1K\sum_\theta\theta\theta^\top`), freezing the
    1-D matchings of the current ``f`` gives a quadratic that lies above :math:`E_{\lambda,\Theta}`
    (a minimum over matchings is below its value at the current one) and touches it at ``f``. Its
    minimiser, one :math:`d\times d` solve,

    .. math:: f_i^+ = (\mathrm{Id} + \lambda H)^{-1}\Big(f_{0,i} + \frac\lambda K\sum_{\theta}T_\theta(f_i)\,\theta\Big),

    is the Newton step. For an orthonormal basis (:math:`H = \frac1d\mathrm{Id}`) it is a relaxed
    iterative distribution transfer,
    :math:`f^+ = \big(f_0 + \frac\lambda d\,T_\Theta(f)\big)/\big(1 + \frac\lambda d\big)` with
    :math:`T_\Theta(f)_i = \sum_k T_{\theta_k}(f_i)\theta_k`: note :math:`\lambda/d`, not
    :math:`\lambda`. So for fixed directions :math:`E_{\lambda,\Theta}(f^+) \le E_{\lambda,\Theta}(f)`,
    and after one step :math:`\mathrm{mean}(f^+) = (\mathrm{mean}(f_0) + \frac\lambda d\,\mathrm{mean}(Y))/(1 + \frac\lambda d)`.
    At :math:`\lambda = \infty` the step is the scalar Newton step of :func:`ottools.sliced.sliced_transport`.

    The gradient step uses the per-pixel gradient
    :math:`g_i = (f_i - f_{0,i}) + \frac\lambda K\sum_\theta r_{\theta,i}\theta` and the step
    :math:`\tau_\ell = \rho_\ell\,\alpha/(\alpha + \lambda)`, :math:`\alpha = \operatorname{tr}H/\operatorname{tr}H^2`
    (:math:`\alpha = d` for a basis, 1 for one direction): the inverse of the curvature
    :math:`1 + \lambda/\alpha` of :math:`E_{\lambda,\Theta}` on the span of :math:`\Theta`.

    Constant steps with fresh directions do not converge: at a minimiser of :math:`E_\lambda` only
    the average over all directions balances :math:`f - f_0`, the gradient of each
    :math:`E_{\lambda,\Theta_\ell}` does not vanish, and the iterates hover at a noise floor (unlike
    the projection :math:`\lambda = \infty`, where every 1-D term vanishes at the solution). A
    decreasing step (``decay``) averages the directions out and ends lower. Cost per iteration
    :math:`O(K N (d + \log N))`.

    References
    ----------
    J. Rabin, G. Peyré, ICIP 2011; J. Rabin, G. Peyré, J. Delon, M. Bernot, SSVM 2011;
    N. Bonneel, J. Rabin, G. Peyré, H. Pfister, JMIV 51(1), 2015; H. Robbins, S. Monro,
    Ann. Math. Stat. 22(3), 1951.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f0, Y = rng.random((500, 3)), rng.random((400, 3)) ** 2
    >>> f = sliced_data_fit(f0, Y, 3.0, n_iter=20, rng=1)
    >>> theta = sliced.random_directions(64, 3, rng=2)
    >>> bool(sliced_data_energy(f, f0, Y, 3.0, theta) < sliced_data_energy(f0, f0, Y, 3.0, theta))
    True
    """
    f0, Y, lam = _problem(f0, Y, lam, infinite=True)
    n, d = f0.shape
    n_iter = check_max_iter(n_iter, "n_iter", minimum=0)
    method = check_option(method, "method", METHODS)
    if directions is not None:
        if n_directions is not None:
            raise ValueError("give either directions (fixed) or n_directions (random), not both")
        theta = check_directions(directions, d=d, unit_tol=sliced.UNIT_TOL)
        k = theta.shape[0]
    else:
        theta = None
        k = d if n_directions is None else check_positive_int(n_directions, "n_directions")
    step = sliced._step_size(step)
    if decay is not None:
        decay = check_real(decay, "decay", minimum=0.0, strict=True)
    f = f0.copy() if init is None else _same_shape(init, f0, "init").copy()
    rng = check_rng(rng)
    callback = check_callable(callback, "callback")
    check_memory(sliced._projection_bytes(k, n, Y.shape[0], False) + 8.0 * (k * d + 4 * n * d),
                 "n_directions" if n_directions is not None else "sliced_data_fit(f0, Y)", hint=_HINT)
    return _fit(f, f0, Y, lam, n_iter, method, n_directions, theta, step, decay, rng, callback)


def _fit(f, f0, Y, lam, n_iter, method, n_directions, fixed, step, decay, rng, callback=None):
    r"""The descent on checked inputs, from ``f`` (overwritten); see :func:`sliced_data_fit`."""
    d = f.shape[1]
    if lam == 0:  # every step is the identity: f0 exactly, without rounding
        for it in range(1, n_iter + 1):
            theta = fixed if fixed is not None else sliced._step_directions(d, n_directions, rng)
            f[...] = f0
            if callback is not None:
                callback(it, f, theta)
        return f
    for it in range(1, n_iter + 1):
        theta = fixed if fixed is not None else sliced._step_directions(d, n_directions, rng)
        rho = step if decay is None else step / (1.0 + (it - 1) / decay)
        k = theta.shape[0]
        px = theta @ f.T
        targets, _ = sliced._projected_targets(px, theta @ Y.T)
        if np.isinf(lam):  # the scalar Newton step of the projection (sliced_transport)
            f -= (rho * sliced._newton_scale(theta)) * ((px - targets).T @ theta)
        elif method == "newton":
            if fixed is None and n_directions is None:  # an orthonormal basis: H = Id / d
                f_plus = (f0 + (lam / d) * (targets.T @ theta)) / (1.0 + lam / d)
            else:
                H = theta.T @ theta / k
                rhs = f0 + (lam / k) * (targets.T @ theta)
                f_plus = np.linalg.solve(np.eye(d) + lam * H, rhs.T).T  # H symmetric: row form
            if rho == 1.0:
                f[...] = f_plus
            else:
                f += rho * (f_plus - f)
        else:
            alpha = k * sliced._newton_scale(theta)  # tr H / tr H^2
            g = (f - f0) + (lam / k) * ((px - targets).T @ theta)
            f -= (rho * alpha / (alpha + lam)) * g
        if callback is not None:
            callback(it, f, theta)
    return f


# ----------------------------------------------------------------------------------------------
# A spatial prior: total variation (grey images, exact W_2 by sorting)
# ----------------------------------------------------------------------------------------------


def _image(img, name):
    r"""A real image ``(H, W)`` or ``(H, W, C)`` (any values: a noisy image leaves [0, 1]), at least 2 x 2."""
    u = as_float_array(img, name, ndim=(2, 3))
    if u.shape[0] < 2 or u.shape[1] < 2 or (u.ndim == 3 and u.shape[2] < 1):
        raise ValueError(f"{name} must be at least 2 x 2 pixels, got shape {u.shape}")
    return u


def _grad(u):
    r"""Forward differences (zero on the last row / column), shape (2, H, W, ...)."""
    g = np.zeros((2,) + u.shape)
    g[0, :-1] = u[1:] - u[:-1]
    g[1, :, :-1] = u[:, 1:] - u[:, :-1]
    return g


def _div(p):
    r"""Minus the adjoint of :func:`_grad`."""
    px, py = p[0], p[1]
    out = np.zeros(px.shape)
    out[:-1] += px[:-1]
    out[1:] -= px[:-1]
    out[:, :-1] += py[:, :-1]
    out[:, 1:] -= py[:, :-1]
    return out


def _tv_prox(g, t, p, n_iter):
    r"""``argmin_u 1/2 ||u - g||^2 + t TV(u)`` by Chambolle's dual iterations from the dual field ``p``
    (updated in place, for warm starts); returns ``u``."""
    if t == 0:
        return g.copy()
    for _ in range(n_iter):
        v = _grad(_div(p) - g / t)
        norm = np.sqrt(v[0] ** 2 + v[1] ** 2)
        p += CHAMBOLLE_STEP * v
        p /= 1.0 + CHAMBOLLE_STEP * norm
    return g - t * _div(p)


def tv_denoise(img, weight, *, n_iter=50):
    r"""Rudin-Osher-Fatemi denoising: the proximal operator of the total variation.

    Parameters
    ----------
    img : ndarray of shape (H, W) or (H, W, C)
        The noisy image (any real values); a colour image is denoised channel by channel.
    weight : float
        :math:`\rho \ge 0` (0 returns a copy).
    n_iter : int, default 50
        Iterations of Chambolle's algorithm.

    Returns
    -------
    u : ndarray of the shape of ``img``
        .. math:: u = \operatorname*{argmin}_u \frac12\|u - f_0\|^2 + \rho\,TV(u),\qquad
                  TV(u) = \sum_x \|\nabla u(x)\|_2

        with forward differences (Neumann boundary).

    Notes
    -----
    Chambolle's dual projection: :math:`u = f_0 - \rho\,\mathrm{div}\,p`, where the dual field
    :math:`|p(x)| \le 1` is the fixed point of
    :math:`p \leftarrow (p + \delta\nabla(\mathrm{div}\,p - f_0/\rho))/(1 + \delta|\nabla(\mathrm{div}\,p - f_0/\rho)|)`,
    :math:`\delta` = :data:`CHAMBOLLE_STEP`. The mean of ``u`` is the mean of ``f0``. TV smooths
    and also lowers the contrast: the histogram of ``u`` is narrower than the clean image's, which
    :func:`tv_wasserstein_denoise` corrects.

    References
    ----------
    L. Rudin, S. Osher, E. Fatemi, Physica D 60, 1992. A. Chambolle, JMIV 20, 2004.

    Examples
    --------
    >>> u = tv_denoise(np.eye(4), 0.1)
    >>> bool(np.isclose(u.mean(), 0.25))
    True
    """
    u = _image(img, "img")
    weight = check_real(weight, "weight", minimum=0.0)
    n_iter = check_max_iter(n_iter, "n_iter")
    check_memory(TV_ARRAYS * 8.0 * u.size, "img", hint="use a smaller image")
    return _tv_prox(u, weight, np.zeros((2,) + u.shape), n_iter)


def tv_wasserstein_denoise(f0, Y, lam, weight, *, n_iter=50, n_inner=10):
    r"""Histogram-constrained denoising: TV plus a :math:`W_2` data term on the grey levels.

    Parameters
    ----------
    f0 : ndarray of shape (H, W)
        The noisy grey image (any real values).
    Y : ndarray of shape (M,) or any shape
        Grey levels of the reference histogram (flattened; e.g. a clean image of the same scene).
    lam : float
        :math:`\lambda \ge 0`; 0 is the Rudin-Osher-Fatemi model alone.
    weight : float
        :math:`\rho \ge 0`, the weight of the total variation.
    n_iter : int, default 50
        Forward-backward iterations.
    n_inner : int, default 10
        Chambolle iterations of each proximal step (warm-started from the previous dual field).

    Returns
    -------
    f : ndarray of shape (H, W)

    Notes
    -----
    The model, with :math:`N = HW`,

    .. math:: \min_f\ \frac1{2N}\|f - f_0\|^2 + \frac\lambda2\,W_2^2(\mu_f, \mu_Y) + \frac\rho N\,TV(f),

    is solved by forward-backward splitting with the step :math:`\tau = 1/(1+\lambda)` on the
    per-pixel gradient :math:`(f - f_0) + \lambda(f - P(f))`, :math:`P(f)` the histogram
    specification of ``f`` onto ``Y`` (sorting):

    .. math:: f \leftarrow \operatorname{prox}_{\tau\rho TV}\Big(\frac{f_0 + \lambda P(f)}{1+\lambda}\Big),

    the 1-D closed form of :func:`wasserstein_data_solution` at the current matching, followed by a
    TV denoising step. The smooth part is not convex: the iterates approach critical points. With
    :math:`\lambda = 0` the iterations are exactly those of :func:`tv_denoise` with
    ``n_iter * n_inner`` iterations. TV alone shrinks the contrast (the grey-level histogram gets
    narrower); the :math:`W_2` term pulls it back to the reference's.

    References
    ----------
    J. Rabin, G. Peyré, ICIP 2011; P. Swoboda, C. Schnörr, "Convex variational image restoration
    with histogram priors", SIAM J. Imaging Sci. 6(3), 2013; A. Chambolle, JMIV 20, 2004.
    """
    f0 = _image(f0, "f0")
    if f0.ndim != 2:
        raise ValueError(f"f0 must be a grey image (H, W), got shape {f0.shape}")
    Yv = as_float_array(Y, "Y").ravel()
    if Yv.size < 1:
        raise ValueError("Y must hold at least one grey level")
    lam = check_real(lam, "lam", minimum=0.0)
    weight = check_real(weight, "weight", minimum=0.0)
    n_iter = check_max_iter(n_iter, "n_iter")
    n_inner = check_max_iter(n_inner, "n_inner")
    check_memory(TV_ARRAYS * 8.0 * f0.size + sliced._projection_bytes(1, f0.size, Yv.size, False), "f0",
                 hint="use a smaller image")
    return _tv_wasserstein(f0, Yv, lam, weight, n_iter, n_inner)


def _tv_wasserstein(f0, Y, lam, weight, n_iter, n_inner):
    tau = 1.0 / (1.0 + lam)
    p = np.zeros((2,) + f0.shape)
    f = f0.copy()
    for _ in range(n_iter):
        if lam > 0:
            target = _quantile_means(f.ravel(), Y).reshape(f0.shape)
            z = (f0 + lam * target) * tau
        else:
            z = f0
        f = _tv_prox(z, tau * weight, p, n_inner)
    return f
