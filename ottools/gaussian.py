r"""Optimal transport between Gaussian measures (the Bures-Wasserstein geometry).

Taught in ``tours/10_gaussian_transport.ipynb`` (slides 30-31 and 33-34 of the talk); the batched
matrix functions, the Bures distance and the barycenter fixed point are also the per-frequency
kernels of :mod:`ottools.texture_mixing`.

Conventions: ``mu_i = N(m_i, S_i)`` on ``R^d``; ``bures_wasserstein_distance`` returns ``W2``
itself, never its square; covariances are symmetric positive semi-definite (or complex Hermitian
PSD for the per-frequency texture covariances, where every transpose ``A^*`` is a conjugate
transpose); barycentric weights ``lambda_i`` lie on the simplex.

Contents
--------
Matrix functions of Hermitian matrices through one ``eigh`` (batched over leading axes ``(..., d, d)``):
:func:`sqrtm`, :func:`inv_sqrtm`, :func:`pinv`, :func:`logm`, :func:`expm`.

Covariance level (batched, real or complex Hermitian): :func:`bures_distance`, :func:`bures_map`,
:func:`bures_geodesic`, :func:`bures_barycenter`, :func:`euclidean_barycenter`, :func:`rao_barycenter`.

Gaussian level (means and covariances): :func:`bures_wasserstein_distance`, :func:`ot_map`,
:func:`geodesic`, :func:`ot_barycenter`, :func:`estimate`.

Numerical rank: ``eigh`` is backward stable, so an eigenvalue below ``d * 8 eps`` times the largest
absolute eigenvalue of its matrix (:data:`EIG_RTOL`) is indistinguishable from 0. Such eigenvalues
are set to 0 before square roots (the square root of a rank-one matrix is then exact, not
``sqrt(eps)``-accurate) and make a matrix singular for :func:`logm`, for the Rao barycenter and for
the start of a barycenter iteration. Every rank decision is relative to the matrix's own scale.

Slides 30-31 print the map as ``T(x) = S x + m1 - m0``; the correct map is ``T(x) = m1 + S (x - m0)``
(:func:`ot_map`). The "Rao" barycenter of slide 34 is the affine-invariant (Karcher) mean.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validate import (
    as_float_array,
    check_array_in_range,
    check_bool,
    check_hermitian,
    check_max_iter,
    check_option,
    check_points,
    check_simplex,
    check_tol,
    check_weights,
)

__all__ = [
    "sqrtm",
    "inv_sqrtm",
    "pinv",
    "logm",
    "expm",
    "bures_distance",
    "bures_map",
    "bures_geodesic",
    "bures_barycenter",
    "euclidean_barycenter",
    "rao_barycenter",
    "bures_wasserstein_distance",
    "ot_map",
    "geodesic",
    "ot_barycenter",
    "estimate",
    "BarycenterReport",
]

#: Relative tolerance of the symmetry (Hermitian) and positivity checks of the inputs.
HERM_TOL = 1e-10

#: Default relative threshold under which an eigenvalue counts as zero in pseudo-inverses.
RCOND = 1e-12

#: Eigenvalues below ``EIG_RTOL * d`` times the largest absolute eigenvalue of their matrix are
#: rounding noise of ``eigh`` (backward error a few ``eps`` times the norm): they count as 0.
EIG_RTOL = 8 * np.finfo(np.float64).eps

#: Relative accuracy of the check ``A S0 A = S1`` of a computed Bures map.
MAP_RTOL = 1e-6

_BARYCENTER_METHODS = ("fixed_point", "alvarez_esteban")
_MAP_FORMS = ("slide", "standard")


# ----------------------------------------------------------------------------------------------
# Kernels (no checks): every function of this module and of texture_mixing goes through these
# ----------------------------------------------------------------------------------------------


def _ct(A):
    r"""Conjugate transpose of the last two axes (a plain transpose for real arrays)."""
    A = np.swapaxes(A, -1, -2)
    return A.conj() if np.iscomplexobj(A) else A


def _herm(A):
    r"""Hermitian part ``(A + A^*) / 2``."""
    return 0.5 * (A + _ct(A))


def _from_eig(w, V):
    r"""``V diag(w) V^*`` for stacks of eigendecompositions."""
    return (V * w[..., None, :]) @ _ct(V)


def _rank_cut(w):
    r"""Per matrix, the level under which an eigenvalue is rounding noise, shape ``(..., 1)``."""
    return EIG_RTOL * w.shape[-1] * np.abs(w).max(axis=-1, keepdims=True)


def _clip(w):
    r"""Eigenvalues with the rounding noise around 0 (and below) set to 0."""
    return np.where(w > _rank_cut(w), w, 0.0)


def _singular(w):
    r"""Per matrix of a stack of ascending eigenvalues: is it numerically singular?"""
    return w[..., 0] <= _rank_cut(w)[..., 0]


def _sqrt_eig(w, V):
    return _from_eig(np.sqrt(_clip(w)), V)


def _sqrtm(S):
    r"""The PSD square root of (stacks of) Hermitian PSD matrices: the one kernel of the package."""
    return _sqrt_eig(*np.linalg.eigh(S))


def _pinv_values(w, rcond, power):
    r"""``w ** -power`` where ``w`` exceeds ``rcond`` times the largest ``|w|``, 0 elsewhere."""
    cut = rcond * np.abs(w).max(axis=-1, keepdims=True)
    keep = w > np.maximum(cut, np.finfo(np.float64).tiny)
    return np.where(keep, np.where(keep, w, 1.0) ** (-power), 0.0)


def _inv_sqrt_eig(w, V, rcond=RCOND):
    return _from_eig(_pinv_values(w, rcond, 0.5), V)


def _inv_sqrtm(S, rcond=RCOND):
    return _inv_sqrt_eig(*np.linalg.eigh(S), rcond)


def _cross_trace_eig(w0, V0, S1):
    r"""``tr (S0^{1/2} S1 S0^{1/2})^{1/2} = sum_k sqrt(lambda_k(S0 S1))`` from ``eigh(S0)``, batched."""
    R0 = _sqrt_eig(w0, V0)
    w = np.linalg.eigvalsh(_herm(R0 @ S1 @ R0))
    return np.sqrt(_clip(w)).sum(axis=-1)


def _bures2(S0, S1, eig0=None):
    r"""Squared Bures distance ``tr(S0 + S1 - 2 (S0^{1/2} S1 S0^{1/2})^{1/2})``, clipped at 0, batched.

    The one Bures kernel (also the per-frequency distance of the texture models); ``eig0`` is
    ``eigh(S0)`` when the caller already has it.
    """
    w0, V0 = np.linalg.eigh(S0) if eig0 is None else eig0
    tr = np.real(np.trace(S0, axis1=-2, axis2=-1) + np.trace(S1, axis1=-2, axis2=-1))
    return np.maximum(tr - 2.0 * _cross_trace_eig(w0, V0, S1), 0.0)


def _bures_map(S0, S1, rcond=RCOND):
    r"""``S1^{1/2} (S1^{1/2} S0 S1^{1/2})^{+1/2} S1^{1/2}`` (slide 30), batched."""
    R1 = _sqrtm(S1)
    return _herm(R1 @ _inv_sqrt_eig(*np.linalg.eigh(_herm(R1 @ S0 @ R1)), rcond) @ R1)


def _map_fails(A, S0, S1):
    r"""Per problem: does ``A S0 A`` miss ``S1`` by more than :data:`MAP_RTOL` of the scale?"""
    err = np.abs(A @ S0 @ A - S1).max(axis=(-2, -1))
    scale = np.maximum(np.abs(S1).max(axis=(-2, -1)), np.abs(S0).max(axis=(-2, -1)))
    return err > MAP_RTOL * np.maximum(scale, np.finfo(np.float64).tiny)


def _fro(A):
    return np.sqrt(np.sum(np.abs(A) ** 2, axis=(-2, -1)))


# ----------------------------------------------------------------------------------------------
# Matrix functions of Hermitian matrices
# ----------------------------------------------------------------------------------------------


def sqrtm(S):
    r"""Square root of symmetric (Hermitian) positive semi-definite matrices, batched.

    Parameters
    ----------
    S : ndarray of shape (..., d, d)
        Real symmetric or complex Hermitian PSD matrices.

    Returns
    -------
    R : ndarray of shape (..., d, d)
        The unique PSD matrices with ``R @ R = S``.

    Notes
    -----
    ``S = V diag(w) V^*``, ``R = V diag(sqrt(w)) V^*`` with the rounding-level eigenvalues set to 0
    (see the module's numerical rank). Unlike ``scipy.linalg.sqrtm`` (Schur method, one matrix at a
    time) it is batched and never returns complex noise for real input.

    Examples
    --------
    >>> sqrtm(np.diag([4.0, 9.0]))
    array([[2., 0.],
           [0., 3.]])
    """
    S, (w, V) = check_hermitian(S, "S", rtol=HERM_TOL, return_eig=True)
    return _sqrt_eig(w, V)


def inv_sqrtm(S, *, rcond=RCOND):
    r"""Pseudo-inverse square root ``(S^+)^{1/2}`` of Hermitian PSD matrices, batched.

    Parameters
    ----------
    S : ndarray of shape (..., d, d)
    rcond : float in (0, 1], keyword-only
        Eigenvalues at most ``rcond`` times the largest one (per matrix) count as zero.

    Returns
    -------
    ndarray of shape (..., d, d)
        Equal to ``S^{-1/2}`` when ``S`` is positive definite.

    Examples
    --------
    >>> inv_sqrtm(np.diag([4.0, 0.0]))
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    rcond = check_tol(rcond, "rcond")
    S, (w, V) = check_hermitian(S, "S", rtol=HERM_TOL, return_eig=True)
    return _inv_sqrt_eig(w, V, rcond)


def pinv(S, *, rcond=RCOND):
    r"""Moore-Penrose pseudo-inverse of Hermitian PSD matrices, batched (the "+" of slide 30).

    Parameters
    ----------
    S : ndarray of shape (..., d, d)
    rcond : float in (0, 1], keyword-only
        Eigenvalues at most ``rcond`` times the largest one (per matrix) count as zero.

    Returns
    -------
    ndarray of shape (..., d, d)

    Examples
    --------
    >>> pinv(np.array([[1.0, 1.0], [1.0, 1.0]]))
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    rcond = check_tol(rcond, "rcond")
    S, (w, V) = check_hermitian(S, "S", rtol=HERM_TOL, return_eig=True)
    return _from_eig(_pinv_values(w, rcond, 1.0), V)


def logm(S):
    r"""Logarithm of Hermitian positive *definite* matrices, batched.

    Parameters
    ----------
    S : ndarray of shape (..., d, d)
        Positive definite; a singular matrix has no logarithm and raises ``ValueError``.

    Returns
    -------
    ndarray of shape (..., d, d)
        Hermitian, ``expm(logm(S)) = S``.

    Examples
    --------
    >>> logm(np.diag([1.0, np.e]))
    array([[0., 0.],
           [0., 1.]])
    """
    S, (w, V) = check_hermitian(S, "S", rtol=HERM_TOL, return_eig=True)
    if w.size and np.any(_singular(w)):
        raise ValueError(
            "S must be positive definite to have a logarithm, got a singular matrix (smallest "
            "eigenvalue at the rounding level of the largest)"
        )
    return _from_eig(np.log(w), V)


def expm(S):
    r"""Exponential of Hermitian matrices (any sign), batched.

    Parameters
    ----------
    S : ndarray of shape (..., d, d)

    Returns
    -------
    ndarray of shape (..., d, d)
        Hermitian positive definite.

    Examples
    --------
    >>> expm(np.zeros((2, 2)))
    array([[1., 0.],
           [0., 1.]])
    """
    S, (w, V) = check_hermitian(S, "S", rtol=HERM_TOL, psd=False, return_eig=True)
    if w.size and w.max() > np.log(np.finfo(np.float64).max):
        raise ValueError(f"S has an eigenvalue {w.max():.3g}: its exponential overflows float64")
    return _from_eig(np.exp(w), V)


# ----------------------------------------------------------------------------------------------
# Covariance level
# ----------------------------------------------------------------------------------------------


def _covariance_pair(S0, S1, *, eig0=False):
    r"""Both covariances checked (one eigendecomposition each), with ``eigh(S0)`` if ``eig0``."""
    if eig0:
        S0, e0 = check_hermitian(S0, "S0", rtol=HERM_TOL, return_eig=True)
    else:
        S0, e0 = check_hermitian(S0, "S0", rtol=HERM_TOL), None
    S1 = check_hermitian(S1, "S1", rtol=HERM_TOL)
    if S0.shape[-1] != S1.shape[-1]:
        raise ValueError(f"S0 and S1 must have the same dimension d, got shapes {S0.shape} and {S1.shape}")
    try:
        np.broadcast_shapes(S0.shape, S1.shape)
    except ValueError:
        raise ValueError(f"S0 and S1 have incompatible batch shapes {S0.shape} and {S1.shape}") from None
    return S0, S1, e0


def bures_distance(S0, S1):
    r"""Bures distance between covariances, the ``W2`` between ``N(0, S0)`` and ``N(0, S1)``.

    Parameters
    ----------
    S0, S1 : ndarray of shape (..., d, d)
        Symmetric (or Hermitian) PSD matrices; leading axes broadcast.

    Returns
    -------
    float or ndarray of shape (...)
        The distance itself (not squared).

    Notes
    -----
    ``B(S0, S1)^2 = tr(S0 + S1 - 2 (S0^{1/2} S1 S0^{1/2})^{1/2})``, clipped at 0 before the
    square root (rounding can give ``-1e-13``). One eigendecomposition of ``S0`` serves both its
    check and its square root.

    References
    ----------
    D. C. Dowson, B. V. Landau, "The Frechet distance between multivariate normal distributions",
    J. Multivariate Anal. 12, 1982. I. Olkin, F. Pukelsheim, Linear Algebra Appl. 48, 1982.

    Examples
    --------
    >>> float(bures_distance(np.eye(2), 4 * np.eye(2)))  # commuting: ||sqrt(S0) - sqrt(S1)||_F
    1.4142135623730951
    """
    S0, S1, e0 = _covariance_pair(S0, S1, eig0=True)
    if S0.shape != np.broadcast_shapes(S0.shape, S1.shape):
        e0 = None  # S0 broadcast against a larger batch: decompose the broadcast stack
        S0 = np.broadcast_to(S0, np.broadcast_shapes(S0.shape, S1.shape))
    out = np.sqrt(_bures2(S0, S1, e0))
    return float(out) if out.ndim == 0 else out


def bures_map(S0, S1, *, rcond=RCOND, form="slide", check=True):
    r"""Linear part ``S`` of the OT map between ``N(m0, S0)`` and ``N(m1, S1)``, batched.

    Parameters
    ----------
    S0, S1 : ndarray of shape (..., d, d)
        Symmetric (or Hermitian) PSD matrices; leading axes broadcast.
    rcond : float in (0, 1], keyword-only
        Relative threshold of the pseudo-inverses.
    form : {"slide", "standard"}, keyword-only
        ``"slide"``: ``S = S1^{1/2} (S1^{1/2} S0 S1^{1/2})^{+1/2} S1^{1/2}`` (slide 30, also valid
        for singular covariances under the conditions below); ``"standard"``:
        ``S = S0^{-1/2} (S0^{1/2} S1 S0^{1/2})^{1/2} S0^{-1/2}`` (Knott-Smith, needs ``S0``
        positive definite; pseudo-inverse otherwise, which is then not a transport map).
    check : bool, keyword-only
        Verify ``S S0 S = S1`` to a relative :data:`MAP_RTOL` and raise ``ValueError`` if it fails
        (no linear map pushes ``N(0, S0)`` to ``N(0, S1)``, e.g. when ``S0`` has a lower rank).

    Returns
    -------
    A : ndarray of shape (..., d, d)
        Symmetric PSD with ``A S0 A = S1``.

    Notes
    -----
    ``S`` is the unique symmetric PSD solution of ``S S0 S = S1`` when ``S0`` is positive definite.
    The slide's pseudo-inverse ``(S1^{1/2} S0 S1^{1/2})^{+1/2}`` is computed by thresholding the
    eigenvalues of ``S1^{1/2} S0 S1^{1/2}`` before the square root, which is far more accurate
    than the pseudo-inverse of a square root.
    For singular ``S0``, Xia et al. (2014) show that the slide's form gives the geodesic when
    ``ker S0 & (ker S1)^perp = {0}`` and ``ker S1 & (ker S0)^perp = {0}``.

    References
    ----------
    M. Knott, C. S. Smith, "On the optimal mapping of distributions", J. Optim. Theory Appl. 43, 1984.
    G.-S. Xia, S. Ferradans, G. Peyre, J.-F. Aujol, "Synthesizing and mixing stationary Gaussian
    texture models", SIAM J. Imaging Sci. 7(1), 2014.

    Examples
    --------
    >>> bures_map(np.eye(2), np.diag([4.0, 9.0]))
    array([[2., 0.],
           [0., 3.]])
    """
    rcond = check_tol(rcond, "rcond")
    form = check_option(form, "form", _MAP_FORMS)
    check = check_bool(check, "check")
    S0, S1, _ = _covariance_pair(S0, S1)
    return _bures_map_checked(S0, S1, rcond, form, check)


def _bures_map_checked(S0, S1, rcond, form, check):
    if form == "slide":
        A = _bures_map(S0, S1, rcond)
    else:
        Q = _inv_sqrtm(S0, rcond)
        R0 = _sqrtm(S0)
        A = _herm(Q @ _sqrtm(_herm(R0 @ S1 @ R0)) @ Q)
    if check and np.any(_map_fails(A, S0, S1)):
        raise ValueError(
            "no linear map A with A S0 A = S1 was found (S0 singular where S1 is not, or the "
            "kernel conditions of Xia et al. 2014 fail); swap the two measures or pass check=False"
        )
    return A


def bures_geodesic(S0, S1, t, *, rcond=RCOND):
    r"""Covariance ``S_t`` of the OT geodesic between ``N(., S0)`` and ``N(., S1)`` (slide 31).

    Parameters
    ----------
    S0, S1 : ndarray of shape (..., d, d)
    t : float or ndarray in [0, 1]
        Time; an array broadcasts against the leading axes of ``S0, S1``.
    rcond : float in (0, 1], keyword-only

    Returns
    -------
    S_t : ndarray of shape (..., d, d)

    Notes
    -----
    ``S_t = [(1 - t) Id + t S] S0 [(1 - t) Id + t S]`` with ``S`` the *linear part* of the map
    (slide 31 writes ``T``, the affine map). The geodesic has constant speed:
    ``B(S0, S_t) = t B(S0, S1)``. Where ``S0`` has a lower rank than ``S1`` the geodesic is
    computed from an optimal coupling instead of a map: ``S_t = (1-t)^2 S0 + t^2 S1 + t(1-t)(K + K^*)``
    with the optimal cross-covariance ``K = S0^{1/2} U S1^{1/2}``, ``U`` the polar factor that
    maximises ``tr K`` (this also covers two rank-one covariances with orthogonal ranges).

    References
    ----------
    A. Takatsu, "Wasserstein geometry of Gaussian measures", Osaka J. Math. 48(4), 2011.

    Examples
    --------
    >>> bures_geodesic(np.eye(2), 9 * np.eye(2), 0.5)  # sqrt interpolates linearly: 2^2
    array([[4., 0.],
           [0., 4.]])
    """
    rcond = check_tol(rcond, "rcond")
    S0, S1, _ = _covariance_pair(S0, S1)
    t = check_array_in_range(t, "t", minimum=0.0, maximum=1.0)
    return _geodesic_cov(S0, S1, t, rcond)


def _geodesic_cov(S0, S1, t, rcond=RCOND):
    d = S0.shape[-1]
    tt = t[..., None, None]
    A = _bures_map(S0, S1, rcond)
    M = (1.0 - tt) * np.eye(d) + tt * A
    St = _herm(M @ S0 @ _ct(M))
    bad = _map_fails(A, S0, S1)
    if np.any(bad):
        # no linear map (S0 of lower rank, or orthogonal kernels): interpolate an optimal coupling
        # instead, of cross-covariance K = S0^1/2 U S1^1/2 with U = Q P^* from the SVD
        # S1^1/2 S0^1/2 = P L Q^*; then S_t = (1-t)^2 S0 + t^2 S1 + t (1-t) (K + K^*)
        R0, R1 = _sqrtm(S0), _sqrtm(S1)
        P, _, Qh = np.linalg.svd(R1 @ R0)
        K = R0 @ _ct(Qh) @ _ct(P) @ R1
        Sc = _herm((1.0 - tt) ** 2 * S0 + tt**2 * S1 + tt * (1.0 - tt) * (K + _ct(K)))
        St = np.where(np.broadcast_to(bad[..., None, None], St.shape[:-2] + (1, 1)), Sc, St)
    return St


@dataclass
class BarycenterReport:
    r"""What a barycenter iteration did.

    Attributes
    ----------
    iterations : int
        Number of iterations run.
    residuals : list of float
        Residual at each iteration, the largest over the problems of a batch still running (a
        problem stops being updated once its own residual is below the tolerance).
    converged : bool
        Whether the last residual is below the tolerance.
    method : str
    """

    iterations: int = 0
    residuals: list = field(default_factory=list)
    converged: bool = False
    method: str = ""


def _covariance_family(covs, weights, name="covs"):
    covs = check_hermitian(covs, name, rtol=HERM_TOL)
    if covs.ndim < 3:
        raise ValueError(f"{name} must be a stack (K, ..., d, d) of K covariances, got shape {covs.shape}")
    return covs, check_simplex(weights, covs.shape[0], "weights")


def _positive_definite_init(init, batch_shape):
    r"""``init`` checked: Hermitian, positive *definite* (relative), broadcastable to the batch."""
    init, (w, _) = check_hermitian(init, "init", rtol=HERM_TOL, return_eig=True)
    if init.shape[-1] != batch_shape[-1]:
        raise ValueError(f"init must have the dimension d = {batch_shape[-1]} of covs, got shape {init.shape}")
    try:
        out = np.broadcast_to(init, batch_shape).copy()
    except ValueError:
        raise ValueError(f"init of shape {init.shape} does not broadcast to the covariances {batch_shape}") from None
    if np.any(_singular(w)):
        raise ValueError(
            "init must be positive definite: a singular start (e.g. rank one) keeps its range along "
            "the fixed point, Phi(S) = sum_i lambda_i (S^1/2 S_i S^1/2)^1/2 lives in the range of S, "
            "and converges to a wrong point; leave init=None (the Euclidean mean)"
        )
    return out


def _bures_barycenter(covs, w, tol, max_iter, method, init=None, *, warn="the Bures barycenter", stacklevel=3):
    r"""The barycenter fixed point on checked inputs (see :func:`bures_barycenter`)."""
    S = np.tensordot(w, covs, axes=(0, 0)) if init is None else init
    batch, d = covs.shape[1:-2], covs.shape[-1]
    # flatten the batch, and iterate only on the problems that have not converged yet
    C = covs.reshape((covs.shape[0], -1, d, d))
    S = S.reshape((-1, d, d)).copy()
    active = np.arange(S.shape[0])
    report = BarycenterReport(method=method)
    tiny = np.finfo(np.float64).tiny
    n_all = S.shape[0]
    for _ in range(max_iter):
        everyone = active.size == n_all  # no copies while every problem is still running
        Sa = S if everyone else S[active]
        ws, Vs = np.linalg.eigh(Sa)
        R = _sqrt_eig(ws, Vs)
        roots = _sqrtm(_herm(R @ (C if everyone else C[:, active]) @ R))
        P = np.tensordot(w, roots, axes=(0, 0))
        res = _fro(P - Sa) / np.maximum(_fro(Sa), tiny)
        report.residuals.append(float(res.max(initial=0.0)))
        report.iterations += 1
        if method == "fixed_point":
            new = _herm(P)
        else:
            Q = _inv_sqrt_eig(ws, Vs, RCOND)
            new = _herm(Q @ P @ P @ Q)
        if everyone:
            S = new
        else:
            S[active] = new
        active = active[res >= tol]
        if active.size == 0:
            report.converged = True
            break
    S = S.reshape(batch + (d, d))
    if not report.converged and warn:
        warnings.warn(
            f"{warn} did not reach tol={tol:g} in {max_iter} iterations "
            f"(residual {report.residuals[-1]:.3g})",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
    return S, report


def bures_barycenter(covs, weights=None, *, tol=1e-10, max_iter=500, method="fixed_point", init=None):
    r"""OT (Bures-Wasserstein) barycenter of centred Gaussians by a fixed point, batched.

    Parameters
    ----------
    covs : ndarray of shape (K, ..., d, d)
        ``K`` covariances (real symmetric or complex Hermitian PSD); the axes between the first
        and the last two are a batch of independent problems (e.g. frequencies).
    weights : ndarray of shape (K,), optional
        Barycentric weights ``lambda_i`` on the simplex (uniform by default).
    tol : float in (0, 1], keyword-only
        Stop when the residual falls below ``tol`` (for every problem of the batch).
    max_iter : int, keyword-only
    method : {"fixed_point", "alvarez_esteban"}, keyword-only
        ``"fixed_point"``: ``S <- Phi(S)`` (Knott-Smith, Agueh-Carlier, Xia et al.);
        ``"alvarez_esteban"``: ``S <- S^{-1/2} Phi(S)^2 S^{-1/2}`` (proved to converge, faster).
    init : ndarray of shape (..., d, d), optional, keyword-only
        Starting covariance, positive definite; by default the weighted arithmetic mean
        ``sum_i lambda_i S_i``. A singular start (rank one, say) is refused: ``Phi(S)`` lies in the
        range of ``S``, so the iteration stays in that range and converges to a wrong point
        (for three rank-one inputs at 0, 60 and 120 degrees, ``diag(4/9, 0)`` instead of
        ``Id / 4``).

    Returns
    -------
    S : ndarray of shape (..., d, d)
    report : BarycenterReport
        Iterations and residual history ``||Phi(S_k) - S_k||_F / ||S_k||_F``, measured at the
        iterate ``S_k`` before the update (so the last residual certifies the returned point up to
        one more step).

    Notes
    -----
    The barycenter ``argmin_S sum_i lambda_i B(S, S_i)^2`` is the fixed point
    ``S = Phi(S) = sum_i lambda_i (S^{1/2} S_i S^{1/2})^{1/2}`` (Agueh-Carlier 2011, Thm 6.1); it is
    unique when one ``S_i`` is positive definite. A warning is issued if ``max_iter`` is reached.

    References
    ----------
    M. Agueh, G. Carlier, "Barycenters in the Wasserstein space", SIAM J. Math. Anal. 43(2), 2011.
    P. C. Alvarez-Esteban, E. del Barrio, J. A. Cuesta-Albertos, C. Matran, "A fixed-point approach
    to barycenters in Wasserstein space", J. Math. Anal. Appl. 441(2), 2016.
    G.-S. Xia, S. Ferradans, G. Peyre, J.-F. Aujol, "Synthesizing and mixing stationary Gaussian
    texture models", SIAM J. Imaging Sci. 7(1), 2014 (the rank-one start, in its released code).

    Examples
    --------
    >>> S, rep = bures_barycenter(np.stack([np.eye(2), 9 * np.eye(2)]))
    >>> S.round(12), rep.converged
    (array([[4., 0.],
           [0., 4.]]), True)
    """
    tol = check_tol(tol, "tol")
    max_iter = check_max_iter(max_iter, "max_iter")
    method = check_option(method, "method", _BARYCENTER_METHODS)
    covs, w = _covariance_family(covs, weights)
    init = None if init is None else _positive_definite_init(init, covs.shape[1:])
    return _bures_barycenter(covs, w, tol, max_iter, method, init)


def euclidean_barycenter(covs, weights=None):
    r"""Euclidean barycenter of covariances, ``sum_i lambda_i S_i`` (slide 34, middle).

    Parameters
    ----------
    covs : ndarray of shape (K, ..., d, d)
    weights : ndarray of shape (K,), optional

    Returns
    -------
    ndarray of shape (..., d, d)

    Notes
    -----
    Linear averaging of the parameters (not of the measures, whose average is a mixture).
    In the Loewner order the OT barycenter is below it (Bhatia, Jain, Lim 2019).

    References
    ----------
    R. Bhatia, T. Jain, Y. Lim, "Inequalities for the Wasserstein mean of positive definite
    matrices", Linear Algebra Appl. 576, 2019.

    Examples
    --------
    >>> euclidean_barycenter(np.stack([np.eye(2), 3 * np.eye(2)]))
    array([[2., 0.],
           [0., 2.]])
    """
    covs, w = _covariance_family(covs, weights)
    return np.tensordot(w, covs, axes=(0, 0))


def rao_barycenter(covs, weights=None, *, tol=1e-10, max_iter=200, init=None):
    r"""Affine-invariant (Fisher-Rao) Karcher mean of positive definite covariances (slide 34, right).

    Parameters
    ----------
    covs : ndarray of shape (K, ..., d, d)
        Positive definite (a singular covariance is infinitely far away in this geometry).
    weights : ndarray of shape (K,), optional
    tol : float in (0, 1], keyword-only
        Stop when ``||sum_i lambda_i log(S^{-1/2} S_i S^{-1/2})||_F`` (the Riemannian gradient norm)
        is below ``tol``.
    max_iter : int, keyword-only
    init : ndarray of shape (..., d, d), optional, keyword-only
        Positive definite; by default the log-Euclidean mean ``exp(sum_i lambda_i log S_i)``
        (exact for commuting inputs).

    Returns
    -------
    S : ndarray of shape (..., d, d)
    report : BarycenterReport

    Notes
    -----
    For Gaussians of a common mean the Fisher metric is ``tr((S^{-1} dS)^2) / 2``, whose Karcher
    mean minimises ``sum_i lambda_i ||log(S^{-1/2} S_i S^{-1/2})||_F^2``. Fixed point (Riemannian
    gradient descent with unit step):
    ``S <- S^{1/2} exp(sum_i lambda_i log(S^{-1/2} S_i S^{-1/2})) S^{1/2}``.
    The unit step overshoots for far apart inputs: the update is ``S <- S^{1/2} exp(eta G) S^{1/2}``,
    ``eta = 2 / (1 + sum_i lambda_i h(r_i))`` from the Hessian bound ``h(r) = (r / 2) coth(r / 2)`` of
    Bini and Iannazzo (``r_i`` the spread of the log-eigenvalues of ``S^{-1/2} S_i S^{-1/2}``),
    halved when the energy does not decrease enough (Armijo). The residual is ``||G||_F``.
    ``det S = prod_i det(S_i)^{lambda_i}`` (the weighted geometric mean).

    References
    ----------
    D. A. Bini, B. Iannazzo, "Computing the Karcher mean of symmetric positive definite matrices",
    Linear Algebra Appl. 438(4), 2013.
    M. Moakher, "A differential geometric approach to the geometric mean of symmetric
    positive-definite matrices", SIAM J. Matrix Anal. Appl. 26(3), 2005.
    R. Bhatia, "Positive Definite Matrices", Princeton University Press, 2007.

    Examples
    --------
    >>> S, rep = rao_barycenter(np.stack([np.eye(2), 4 * np.eye(2)]))
    >>> S.round(12)
    array([[2., 0.],
           [0., 2.]])
    """
    tol = check_tol(tol, "tol")
    max_iter = check_max_iter(max_iter, "max_iter")
    covs, w = _covariance_family(covs, weights)
    wc, Vc = np.linalg.eigh(covs)
    if np.any(_singular(wc)):
        raise ValueError("covs must be positive definite for the Rao (affine-invariant) barycenter, got a singular one")
    if init is None:
        L = np.tensordot(w, _from_eig(np.log(wc), Vc), axes=(0, 0))
        S = _from_eig(*_exp_eig(L))
    else:
        S = _positive_definite_init(init, covs.shape[1:])
    report = BarycenterReport(method="rao_fixed_point")
    F, G, R, theta = _rao_energy(S, covs, w)
    step = np.ones(F.shape)
    for _ in range(max_iter):
        res = float(_fro(G).max(initial=0.0))
        report.residuals.append(res)
        if res < tol:
            report.converged = True
            break
        report.iterations += 1
        eta = (step * theta)[..., None, None]
        cand = _herm(R @ _from_eig(*_exp_eig(eta * G)) @ R)
        F_c, G_c, R_c, th_c = _rao_energy(cand, covs, w)
        # Armijo test on F = sum_i lambda_i ||log(S^-1/2 S_i S^-1/2)||^2 / 2, whose Riemannian
        # gradient has norm ||G||_F: accept, and try a longer step next time, or halve the step
        # (near the minimum F is flat to rounding: a step decreasing ||G|| is accepted as well)
        ok = (F_c <= F - 1e-4 * step * theta * _fro(G) ** 2) | (_fro(G_c) < _fro(G))
        sel = ok[..., None, None]
        S, G, R = np.where(sel, cand, S), np.where(sel, G_c, G), np.where(sel, R_c, R)
        F, theta = np.where(ok, F_c, F), np.where(ok, th_c, theta)
        step = np.where(ok, np.minimum(1.0, 2.0 * step), 0.5 * step)
    if not report.converged:
        warnings.warn(
            f"rao_barycenter did not reach tol={tol:g} in {max_iter} iterations "
            f"(residual {report.residuals[-1]:.3g})",
            RuntimeWarning,
            stacklevel=2,
        )
    return S, report


def _rao_energy(S, covs, w):
    r"""Karcher energy ``F(S) = sum_i lambda_i ||log(S^-1/2 S_i S^-1/2)||_F^2 / 2``, the descent
    direction ``G = sum_i lambda_i log(S^-1/2 S_i S^-1/2)`` and ``S^{1/2}``."""
    ws, Vs = np.linalg.eigh(S)
    ws = np.maximum(ws, np.finfo(np.float64).tiny)
    R = _from_eig(np.sqrt(ws), Vs)
    Q = _from_eig(1.0 / np.sqrt(ws), Vs)
    wl, Vl = np.linalg.eigh(_herm(Q @ covs @ Q))
    logs = np.log(np.maximum(wl, np.finfo(np.float64).tiny))
    F = 0.5 * np.tensordot(w, np.sum(logs**2, axis=-1), axes=(0, 0))
    G = np.tensordot(w, _from_eig(logs, Vl), axes=(0, 0))
    # step 2 / (1 + sum_i lambda_i h(r_i)), h(r) = (r / 2) coth(r / 2) >= 1, r_i the spread of the
    # log-eigenvalues of S^-1/2 S_i S^-1/2: the Hessian of F lies between 1 and sum_i lambda_i h(r_i)
    # (Bini-Iannazzo 2013), and 2 / (lower + upper) is the best fixed step for such a quadratic
    r = logs[..., -1] - logs[..., 0]
    h = np.where(r > 1e-8, 0.5 * r / np.tanh(0.5 * np.maximum(r, 1e-8)), 1.0)
    theta = 2.0 / (1.0 + np.tensordot(w, h, axes=(0, 0)))
    return F, G, R, theta


def _exp_eig(H):
    w, V = np.linalg.eigh(_herm(H))
    return np.exp(w), V


# ----------------------------------------------------------------------------------------------
# Gaussian level
# ----------------------------------------------------------------------------------------------


def _mean_vector(m, name, d):
    m = as_float_array(m, name)
    if m.ndim < 1 or m.shape[-1] != d:
        raise ValueError(f"{name} must have shape (..., {d}) to match its covariance, got {m.shape}")
    return m


def _gaussian_pair(m0, S0, m1, S1, *, eig0=False):
    S0, S1, e0 = _covariance_pair(S0, S1, eig0=eig0)
    if np.iscomplexobj(S0) or np.iscomplexobj(S1):
        raise ValueError("S0 and S1 must be real covariances for Gaussians of R^d, got complex ones")
    d = S0.shape[-1]
    return _mean_vector(m0, "m0", d), S0, _mean_vector(m1, "m1", d), S1, e0


def bures_wasserstein_distance(m0, S0, m1, S1):
    r"""``W2`` between the Gaussians ``N(m0, S0)`` and ``N(m1, S1)`` (slide 30), batched.

    Parameters
    ----------
    m0, m1 : ndarray of shape (..., d)
    S0, S1 : ndarray of shape (..., d, d)
        Symmetric PSD covariances (singular allowed).

    Returns
    -------
    float or ndarray of shape (...)
        ``W2`` itself, not its square (POT's ``ot.gaussian.bures_wasserstein_distance`` also
        returns ``W2``).

    Notes
    -----
    ``W2^2 = ||m0 - m1||^2 + tr(S0 + S1 - 2 (S0^{1/2} S1 S0^{1/2})^{1/2})``; the trace term is
    ``sum_k sqrt(lambda_k(S0 S1))``, symmetric in 0 and 1. Gelbrich's bound: for any measures
    with these means and covariances, ``W2`` is at least this value, with equality for Gaussians.

    References
    ----------
    D. C. Dowson, B. V. Landau, J. Multivariate Anal. 12, 1982; I. Olkin, F. Pukelsheim, Linear
    Algebra Appl. 48, 1982; C. R. Givens, R. M. Shortt, Michigan Math. J. 31(2), 1984.

    Examples
    --------
    >>> float(bures_wasserstein_distance([0.0], [[1.0]], [3.0], [[4.0]]))  # sqrt(3^2 + (1-2)^2)
    3.1622776601683795
    """
    m0, S0, m1, S1, e0 = _gaussian_pair(m0, S0, m1, S1, eig0=True)
    if S0.shape != np.broadcast_shapes(S0.shape, S1.shape):
        e0 = None
        S0 = np.broadcast_to(S0, np.broadcast_shapes(S0.shape, S1.shape))
    out = np.sqrt(np.sum((m0 - m1) ** 2, axis=-1) + _bures2(S0, S1, e0))
    return float(out) if out.ndim == 0 else out


def ot_map(m0, S0, m1, S1, *, rcond=RCOND, form="slide"):
    r"""Affine OT map ``T(x) = A x + b`` from ``N(m0, S0)`` to ``N(m1, S1)`` (slide 30).

    Parameters
    ----------
    m0, m1 : ndarray of shape (..., d)
    S0, S1 : ndarray of shape (..., d, d)
    rcond : float in (0, 1], keyword-only
        Relative threshold of the pseudo-inverse.
    form : {"slide", "standard"}, keyword-only
        Formula of the linear part, see :func:`bures_map`.

    Returns
    -------
    A : ndarray of shape (..., d, d)
        Symmetric PSD linear part, ``A S0 A = S1``.
    b : ndarray of shape (..., d)
        ``b = m1 - A m0``, so that ``T(x) = m1 + A (x - m0)``.

    Notes
    -----
    The slides print ``T(x) = S x + m1 - m0``: a typo, whose image of ``m0`` is
    ``S m0 + m1 - m0 != m1`` unless ``S m0 = m0``. Apply the map to points ``X`` of shape (N, d)
    with ``X @ A.T + b``.

    Examples
    --------
    >>> A, b = ot_map([1.0, 0.0], np.eye(2), [0.0, 0.0], np.diag([4.0, 1.0]))
    >>> A @ [1.0, 0.0] + b  # the mean goes to the mean
    array([0., 0.])
    """
    rcond = check_tol(rcond, "rcond")
    form = check_option(form, "form", _MAP_FORMS)
    m0, S0, m1, S1, _ = _gaussian_pair(m0, S0, m1, S1)
    A = _bures_map_checked(S0, S1, rcond, form, True)
    b = m1 - np.einsum("...ij,...j->...i", A, m0)
    return A, b


def geodesic(m0, S0, m1, S1, t, *, rcond=RCOND):
    r"""Point ``N(m_t, S_t)`` at time ``t`` of the OT geodesic between two Gaussians (slide 31).

    Parameters
    ----------
    m0, m1 : ndarray of shape (..., d)
    S0, S1 : ndarray of shape (..., d, d)
    t : float or ndarray in [0, 1]
        An array broadcasts against the leading axes.
    rcond : float in (0, 1], keyword-only

    Returns
    -------
    m_t : ndarray of shape (..., d)
        ``(1 - t) m0 + t m1``.
    S_t : ndarray of shape (..., d, d)
        ``[(1 - t) Id + t A] S0 [(1 - t) Id + t A]`` with ``A`` the linear part of the map.

    Notes
    -----
    Displacement interpolation ``((1 - t) Id + t T)_# mu_0`` of Gaussians stays Gaussian: the set
    of Gaussians is geodesically convex, and ``W2(mu_0, mu_t) = t W2(mu_0, mu_1)``.

    References
    ----------
    R. J. McCann, "A convexity principle for interacting gases", Adv. Math. 128, 1997.
    A. Takatsu, "Wasserstein geometry of Gaussian measures", Osaka J. Math. 48(4), 2011.

    Examples
    --------
    >>> mt, St = geodesic([0.0], [[1.0]], [2.0], [[9.0]], 0.5)
    >>> mt, St
    (array([1.]), array([[4.]]))
    """
    rcond = check_tol(rcond, "rcond")
    m0, S0, m1, S1, _ = _gaussian_pair(m0, S0, m1, S1)
    t = check_array_in_range(t, "t", minimum=0.0, maximum=1.0)
    mt = (1.0 - t[..., None]) * m0 + t[..., None] * m1
    return mt, _geodesic_cov(S0, S1, t, rcond)


def ot_barycenter(means, covs, weights=None, *, tol=1e-10, max_iter=500, method="fixed_point", init=None):
    r"""OT barycenter of Gaussians ``N(m_i, S_i)`` (slides 33-34, left), batched.

    Parameters
    ----------
    means : ndarray of shape (K, ..., d)
    covs : ndarray of shape (K, ..., d, d)
    weights : ndarray of shape (K,), optional
        On the simplex; uniform by default.
    tol, max_iter, method, init : keyword-only
        See :func:`bures_barycenter`; the default start is the weighted arithmetic mean of the
        covariances (a singular ``init`` is refused).

    Returns
    -------
    (m, S) : tuple
        ``m`` of shape (..., d) is ``sum_i lambda_i m_i``; ``S`` of shape (..., d, d) is the fixed
        point of ``S = sum_i lambda_i (S^{1/2} S_i S^{1/2})^{1/2}``.
    report : BarycenterReport

    Notes
    -----
    The barycenter minimises ``sum_i lambda_i W2(mu, mu_i)^2`` over all measures; it is Gaussian,
    with the averaged mean and the Bures barycenter of the covariances (Agueh-Carlier 2011, §6).
    With two inputs it is the geodesic point at ``t = lambda_1``.

    Examples
    --------
    >>> (m, S), rep = ot_barycenter([[0.0], [2.0]], [[[1.0]], [[9.0]]], [0.5, 0.5])
    >>> m, S.round(12)
    (array([1.]), array([[4.]]))
    """
    tol = check_tol(tol, "tol")
    max_iter = check_max_iter(max_iter, "max_iter")
    method = check_option(method, "method", _BARYCENTER_METHODS)
    covs, w = _covariance_family(covs, weights)
    if np.iscomplexobj(covs):
        raise ValueError("covs must be real covariances for Gaussians of R^d, got complex ones")
    means = _mean_vector(means, "means", covs.shape[-1])
    if means.shape[0] != covs.shape[0]:
        raise ValueError(
            f"means and covs must describe the same number of Gaussians, got {means.shape[0]} "
            f"and {covs.shape[0]}"
        )
    init = None if init is None else _positive_definite_init(init, covs.shape[1:])
    S, report = _bures_barycenter(covs, w, tol, max_iter, method, init)
    return (np.tensordot(w, means, axes=(0, 0)), S), report


def estimate(X, *, a=None):
    r"""Mean and covariance of a (weighted) point cloud, the Gaussian fitted to samples.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    a : ndarray of shape (N,), optional, keyword-only
        Probability weights (uniform by default).

    Returns
    -------
    m : ndarray of shape (d,)
    S : ndarray of shape (d, d)
        ``sum_i a_i (X_i - m)(X_i - m)^T`` (normalised by ``N``, not ``N - 1``: the covariance of
        the empirical measure, as in Gelbrich's bound).

    Examples
    --------
    >>> m, S = estimate([[0.0, 0.0], [2.0, 0.0]])
    >>> m, S
    (array([1., 0.]), array([[1., 0.],
           [0., 0.]]))
    """
    X = check_points(X, "X")
    a = check_weights(a, X.shape[0], "a")
    m = a @ X
    Y = X - m
    S = (Y * a[:, None]).T @ Y
    return m, 0.5 * (S + S.T)
