"""Optimal transport between Gaussian measures (the Bures-Wasserstein geometry).

Taught in ``tours/10_gaussian_transport.ipynb`` (slides 30-31 and 33-34 of the talk); the batched
matrix functions also serve the per-frequency computations of ``ottools.textures``.

Conventions (MATH.md section 0 and 6): ``mu_i = N(m_i, S_i)`` on ``R^d``;
``bures_wasserstein_distance`` returns ``W2`` itself, never its square; covariances are symmetric
positive semi-definite (or complex Hermitian PSD for the per-frequency texture covariances, where
every transpose is a conjugate transpose).

Contents
--------
Matrix functions of Hermitian matrices through one ``eigh`` (batched over leading axes ``(..., d, d)``):
:func:`sqrtm`, :func:`inv_sqrtm`, :func:`pinv`, :func:`logm`, :func:`expm`.

Covariance level (batched, real or complex Hermitian): :func:`bures_distance`, :func:`bures_map`,
:func:`bures_geodesic`, :func:`bures_barycenter`, :func:`euclidean_barycenter`, :func:`rao_barycenter`.

Gaussian level (means and covariances): :func:`bures_wasserstein_distance`, :func:`ot_map`,
:func:`geodesic`, :func:`ot_barycenter`, :func:`estimate`.

A word on the slides: slides 30-31 print the map as ``T(x) = S x + m1 - m0``; the correct map is
``T(x) = m1 + S (x - m0)`` (the printed one sends ``m0`` to ``S m0 + m1 - m0``); the geodesic of slide
31 uses the *linear part* ``S``. The "Rao" barycenter of slide 34 is the affine-invariant (Fisher-Rao)
Karcher mean of the covariances.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, check_points, check_psd, check_simplex, check_weights

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

#: Relative tolerance of the symmetry (Hermitian) and positivity checks of the matrix functions.
HERM_TOL = 1e-10

#: Default relative threshold under which an eigenvalue counts as zero in pseudo-inverses.
RCOND = 1e-12


# ----------------------------------------------------------------------------------------------
# Matrix functions of Hermitian matrices
# ----------------------------------------------------------------------------------------------


def _ct(A):
    """Conjugate transpose of the last two axes (a plain transpose for real arrays)."""
    A = np.swapaxes(A, -1, -2)
    return A.conj() if np.iscomplexobj(A) else A


def _herm(A):
    """Hermitian part ``(A + A^*) / 2``."""
    return 0.5 * (A + _ct(A))


def _from_eig(w, V):
    """``V diag(w) V^*`` for stacks of eigen-decompositions."""
    return (V * w[..., None, :]) @ _ct(V)


def _as_hermitian(S, name):
    """A finite (stack of) square Hermitian matrix, real or complex, without eigen-decomposition."""
    arr = np.asarray(S)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"{name} must be a square matrix (..., d, d), got shape {arr.shape}")
    arr = arr.astype(np.complex128 if np.iscomplexobj(arr) else np.float64, copy=False)
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if arr.size:
        scale = np.abs(arr).max(axis=(-2, -1))
        asym = np.abs(arr - _ct(arr)).max(axis=(-2, -1))
        bad = asym > HERM_TOL * scale
        if np.any(bad):
            worst = float((asym / np.where(scale > 0, scale, 1.0)).max())
            raise ValueError(
                f"{name} must be symmetric (Hermitian), got relative max |S - S^*| = {worst:.3g}"
            )
    return _herm(arr)


def _eigh_psd(S, name, *, check=True):
    """Eigen-decomposition of a (stack of) Hermitian PSD matrix, eigenvalues clipped at 0.

    The smallest eigenvalue of each matrix must be at least ``-HERM_TOL`` times its largest
    absolute eigenvalue (rounding errors), otherwise a ``ValueError`` is raised.
    """
    w, V = np.linalg.eigh(S)
    if check and w.size:
        hi = np.abs(w).max(axis=-1)
        lo = w[..., 0]
        if np.any(lo < -HERM_TOL * hi):
            worst = float((lo / np.where(hi > 0, hi, 1.0)).min())
            raise ValueError(
                f"{name} must be positive semi-definite, got a relative smallest eigenvalue {worst:.3g}"
            )
    return np.maximum(w, 0.0), V


def _sqrtm(S):
    w, V = np.linalg.eigh(S)
    return _from_eig(np.sqrt(np.maximum(w, 0.0)), V)


def _inv_sqrtm(S, rcond=RCOND):
    w, V = np.linalg.eigh(S)
    return _from_eig(_pinv_values(w, rcond, 0.5), V)


def _pinv_values(w, rcond, power):
    """``w ** -power`` where ``w`` exceeds ``rcond`` times the largest ``|w|``, 0 elsewhere."""
    cut = rcond * np.abs(w).max(axis=-1, keepdims=True)
    keep = w > np.maximum(cut, np.finfo(np.float64).tiny)
    return np.where(keep, np.where(keep, w, 1.0) ** (-power), 0.0)


def sqrtm(S):
    """Square root of symmetric (Hermitian) positive semi-definite matrices, batched.

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
    One ``eigh`` per matrix, ``S = V diag(w) V^*``, ``R = V diag(sqrt(max(w, 0))) V^*``: the
    eigenvalues are clipped at 0 so that rounding errors on singular matrices do not give NaN.
    The square root of a rank-deficient matrix is accurate only to about ``sqrt(eps) ~ 1e-8``
    (an eigenvalue ``1e-16`` of rounding noise becomes ``1e-8``).
    Unlike ``scipy.linalg.sqrtm`` (Schur method, one matrix at a time) it is batched over leading
    axes and never returns complex noise for real input.

    Examples
    --------
    >>> sqrtm(np.diag([4.0, 9.0]))
    array([[2., 0.],
           [0., 3.]])
    """
    w, V = _eigh_psd(_as_hermitian(S, "S"), "S")
    return _from_eig(np.sqrt(w), V)


def inv_sqrtm(S, rcond=RCOND):
    """Pseudo-inverse square root ``(S^+)^{1/2}`` of Hermitian PSD matrices, batched.

    Parameters
    ----------
    S : ndarray of shape (..., d, d)
    rcond : float
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
    w, V = _eigh_psd(_as_hermitian(S, "S"), "S")
    return _from_eig(_pinv_values(w, rcond, 0.5), V)


def pinv(S, rcond=RCOND):
    """Moore-Penrose pseudo-inverse of Hermitian PSD matrices, batched (the "+" of slide 30).

    Parameters
    ----------
    S : ndarray of shape (..., d, d)
    rcond : float
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
    w, V = _eigh_psd(_as_hermitian(S, "S"), "S")
    return _from_eig(_pinv_values(w, rcond, 1.0), V)


def logm(S):
    """Logarithm of Hermitian positive *definite* matrices, batched.

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
    w, V = _eigh_psd(_as_hermitian(S, "S"), "S")
    if w.size and np.any(w[..., 0] <= 0):
        raise ValueError("S must be positive definite to have a logarithm, got a singular matrix")
    return _from_eig(np.log(w), V)


def expm(S):
    """Exponential of Hermitian matrices (any sign), batched.

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
    w, V = np.linalg.eigh(_as_hermitian(S, "S"))
    return _from_eig(np.exp(w), V)


# ----------------------------------------------------------------------------------------------
# Input checks of covariances and means
# ----------------------------------------------------------------------------------------------


def _check_cov(S, name):
    """A (stack of) covariance matrix: real symmetric PSD, or complex Hermitian PSD."""
    if np.iscomplexobj(np.asarray(S)):
        arr = _as_hermitian(S, name)
        _eigh_psd(arr, name)
        return arr
    arr = check_psd(S, name, tol=HERM_TOL)
    # check_psd measures the eigenvalues against max(1, ...): also reject small indefinite matrices
    _eigh_psd(arr, name)
    return arr


def _check_pair(S0, S1):
    S0 = _check_cov(S0, "S0")
    S1 = _check_cov(S1, "S1")
    if S0.shape[-1] != S1.shape[-1]:
        raise ValueError(
            f"S0 and S1 must have the same dimension d, got shapes {S0.shape} and {S1.shape}"
        )
    try:
        np.broadcast_shapes(S0.shape, S1.shape)
    except ValueError:
        raise ValueError(
            f"S0 and S1 have incompatible batch shapes {S0.shape} and {S1.shape}"
        ) from None
    return S0, S1


def _check_mean(m, name, d):
    m = as_float_array(m, name)
    if m.ndim < 1 or m.shape[-1] != d:
        raise ValueError(f"{name} must have shape (..., {d}) to match its covariance, got {m.shape}")
    return m


# ----------------------------------------------------------------------------------------------
# Covariance level
# ----------------------------------------------------------------------------------------------


def _cross_trace(S0, S1):
    """``tr (S0^{1/2} S1 S0^{1/2})^{1/2} = sum_k sqrt(lambda_k(S0 S1))``, batched."""
    R0 = _sqrtm(S0)
    w = np.linalg.eigvalsh(_herm(R0 @ S1 @ R0))
    return np.sqrt(np.maximum(w, 0.0)).sum(axis=-1)


def _bures2(S0, S1):
    tr = np.real(np.trace(S0, axis1=-2, axis2=-1) + np.trace(S1, axis1=-2, axis2=-1))
    return np.maximum(tr - 2.0 * _cross_trace(S0, S1), 0.0)


def bures_distance(S0, S1):
    """Bures distance between covariances, the ``W2`` between ``N(0, S0)`` and ``N(0, S1)``.

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
    square root (rounding can give ``-1e-13``).

    References
    ----------
    D. C. Dowson, B. V. Landau, "The Frechet distance between multivariate normal distributions",
    J. Multivariate Anal. 12, 1982. I. Olkin, F. Pukelsheim, Linear Algebra Appl. 48, 1982.

    Examples
    --------
    >>> float(bures_distance(np.eye(2), 4 * np.eye(2)))  # commuting: ||sqrt(S0) - sqrt(S1)||_F
    1.4142135623730951
    """
    S0, S1 = _check_pair(S0, S1)
    out = np.sqrt(_bures2(S0, S1))
    return float(out) if out.ndim == 0 else out


def _bures_map(S0, S1, rcond=RCOND):
    R1 = _sqrtm(S1)
    return _herm(R1 @ _inv_sqrtm(_herm(R1 @ S0 @ R1), rcond) @ R1)


def bures_map(S0, S1, rcond=RCOND, *, form="slide", check=True):
    """Linear part ``S`` of the OT map between ``N(m0, S0)`` and ``N(m1, S1)``, batched.

    Parameters
    ----------
    S0, S1 : ndarray of shape (..., d, d)
        Symmetric (or Hermitian) PSD matrices; leading axes broadcast.
    rcond : float
        Relative threshold of the pseudo-inverses.
    form : {"slide", "standard"}
        ``"slide"``: ``S = S1^{1/2} (S1^{1/2} S0 S1^{1/2})^{+1/2} S1^{1/2}`` (slide 30, also valid
        for singular covariances under the conditions below); ``"standard"``:
        ``S = S0^{-1/2} (S0^{1/2} S1 S0^{1/2})^{1/2} S0^{-1/2}`` (Knott-Smith, needs ``S0``
        positive definite; pseudo-inverse otherwise, which is then not a transport map).
    check : bool
        Verify ``S S0 S = S1`` to a relative ``1e-6`` and raise ``ValueError`` if it fails (no
        linear map pushes ``N(0, S0)`` to ``N(0, S1)``, e.g. when ``S0`` has a lower rank).

    Returns
    -------
    A : ndarray of shape (..., d, d)
        Symmetric PSD with ``A S0 A = S1``.

    Notes
    -----
    ``S`` is the unique symmetric PSD solution of ``S S0 S = S1`` when ``S0`` is positive definite.
    The slide's pseudo-inverse ``(S1^{1/2} S0 S1^{1/2})^{+1/2}`` is computed by thresholding the
    eigenvalues of ``S1^{1/2} S0 S1^{1/2}`` before the square root, which is far more accurate
    than the pseudo-inverse of a square root (whose zero eigenvalues are ``1e-8``, not 0).
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
    S0, S1 = _check_pair(S0, S1)
    if form == "slide":
        A = _bures_map(S0, S1, rcond)
    elif form == "standard":
        Q = _inv_sqrtm(S0, rcond)
        R0 = _sqrtm(S0)
        A = _herm(Q @ _sqrtm(_herm(R0 @ S1 @ R0)) @ Q)
    else:
        raise ValueError(f'form must be "slide" or "standard", got {form!r}')
    if check:
        err = np.abs(A @ S0 @ A - S1).max(axis=(-2, -1))
        scale = np.maximum(np.abs(S1).max(axis=(-2, -1)), np.abs(S0).max(axis=(-2, -1)))
        if np.any(err > 1e-6 * np.maximum(scale, np.finfo(np.float64).tiny)):
            raise ValueError(
                "no linear map A with A S0 A = S1 was found (S0 singular where S1 is not, or the "
                "kernel conditions of Xia et al. 2014 fail); swap the two measures or pass check=False"
            )
    return A


def bures_geodesic(S0, S1, t, rcond=RCOND):
    """Covariance ``S_t`` of the OT geodesic between ``N(., S0)`` and ``N(., S1)`` (slide 31).

    Parameters
    ----------
    S0, S1 : ndarray of shape (..., d, d)
    t : float or ndarray in [0, 1]
        Time; an array broadcasts against the leading axes of ``S0, S1``.
    rcond : float

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
    S0, S1 = _check_pair(S0, S1)
    t = _check_time(t)
    return _geodesic_cov(S0, S1, t, rcond)


def _check_time(t):
    t = as_float_array(t, "t")
    if t.size and (t.min() < 0.0 or t.max() > 1.0):
        raise ValueError(f"t must lie in [0, 1], got range [{t.min():.3g}, {t.max():.3g}]")
    return t


def _geodesic_cov(S0, S1, t, rcond=RCOND):
    d = S0.shape[-1]
    tt = t[..., None, None]
    A = _bures_map(S0, S1, rcond)
    M = (1.0 - tt) * np.eye(d) + tt * A
    St = _herm(M @ S0 @ _ct(M))
    err = np.abs(A @ S0 @ A - S1).max(axis=(-2, -1))
    scale = np.maximum(np.abs(S1).max(axis=(-2, -1)), np.abs(S0).max(axis=(-2, -1)))
    bad = err > 1e-6 * np.maximum(scale, np.finfo(np.float64).tiny)
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
    """What a barycenter iteration did.

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


def _fro(A):
    return np.sqrt(np.sum(np.abs(A) ** 2, axis=(-2, -1)))


def _check_family(covs, weights, name="covs"):
    covs = _check_cov(covs, name)
    if covs.ndim < 3:
        raise ValueError(f"{name} must be a stack (K, ..., d, d) of K covariances, got shape {covs.shape}")
    w = check_simplex(weights, covs.shape[0], "weights")
    return covs, w


def bures_barycenter(covs, weights=None, tol=1e-10, max_iter=500, method="fixed_point", init=None, *,
                     _stacklevel=2):
    """OT (Bures-Wasserstein) barycenter of centred Gaussians by a fixed point, batched.

    Parameters
    ----------
    covs : ndarray of shape (K, ..., d, d)
        ``K`` covariances (real symmetric or complex Hermitian PSD); the axes between the first
        and the last two are a batch of independent problems (e.g. frequencies).
    weights : ndarray of shape (K,), optional
        Barycentric weights on the simplex (uniform by default).
    tol : float
        Stop when the residual falls below ``tol`` (for every problem of the batch).
    max_iter : int
    method : {"fixed_point", "alvarez_esteban"}
        ``"fixed_point"``: ``S <- Phi(S)`` (Knott-Smith, Agueh-Carlier, Xia et al.);
        ``"alvarez_esteban"``: ``S <- S^{-1/2} Phi(S)^2 S^{-1/2}`` (proved to converge, faster).
    init : ndarray of shape (..., d, d), optional
        Starting covariance; by default the weighted arithmetic mean ``sum_i w_i S_i``.
        Do not start from a rank-one covariance: ``Phi(u u^*)`` is proportional to ``u u^*``, so the
        iteration stays rank-one and converges to a wrong point (MATH.md 7.3).

    Returns
    -------
    S : ndarray of shape (..., d, d)
    report : BarycenterReport
        Iterations and residual history ``||Phi(S_k) - S_k||_F / ||S_k||_F``, measured at the
        iterate ``S_k`` before the update (so the last residual certifies the returned point up to
        one more step).

    Notes
    -----
    The barycenter ``argmin_S sum_i w_i B(S, S_i)^2`` is the fixed point
    ``S = Phi(S) = sum_i w_i (S^{1/2} S_i S^{1/2})^{1/2}`` (Agueh-Carlier 2011, Thm 6.1); it is
    unique when one ``S_i`` is positive definite. A warning is issued if ``max_iter`` is reached.

    References
    ----------
    M. Agueh, G. Carlier, "Barycenters in the Wasserstein space", SIAM J. Math. Anal. 43(2), 2011.
    P. C. Alvarez-Esteban, E. del Barrio, J. A. Cuesta-Albertos, C. Matran, "A fixed-point approach
    to barycenters in Wasserstein space", J. Math. Anal. Appl. 441(2), 2016.

    Examples
    --------
    >>> S, rep = bures_barycenter(np.stack([np.eye(2), 9 * np.eye(2)]))
    >>> S.round(12), rep.converged
    (array([[4., 0.],
           [0., 4.]]), True)
    """
    covs, w = _check_family(covs, weights)
    if method not in ("fixed_point", "alvarez_esteban"):
        raise ValueError(f'method must be "fixed_point" or "alvarez_esteban", got {method!r}')
    if init is None:
        S = np.tensordot(w, covs, axes=(0, 0))
    else:
        S = np.broadcast_to(_check_cov(init, "init"), covs.shape[1:]).copy()
    batch, d = covs.shape[1:-2], covs.shape[-1]
    # flatten the batch, and iterate only on the problems that have not converged yet
    C = covs.reshape((covs.shape[0], -1, d, d))
    S = S.reshape((-1, d, d)).copy()
    active = np.arange(S.shape[0])
    report = BarycenterReport(method=method)
    tiny = np.finfo(np.float64).tiny
    n_all = S.shape[0]
    for _ in range(int(max_iter)):
        everyone = active.size == n_all  # no copies while every problem is still running
        Sa = S if everyone else S[active]
        ws, Vs = np.linalg.eigh(Sa)
        ws = np.maximum(ws, 0.0)
        R = _from_eig(np.sqrt(ws), Vs)
        roots = _sqrtm(_herm(R @ (C if everyone else C[:, active]) @ R))
        P = np.tensordot(w, roots, axes=(0, 0))
        res = _fro(P - Sa) / np.maximum(_fro(Sa), tiny)
        report.residuals.append(float(res.max(initial=0.0)))
        report.iterations += 1
        if method == "fixed_point":
            new = _herm(P)
        else:
            Q = _from_eig(_pinv_values(ws, RCOND, 0.5), Vs)
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
    if not report.converged:
        warnings.warn(
            f"the Bures barycenter did not reach tol={tol:g} in {max_iter} iterations "
            f"(residual {report.residuals[-1]:.3g})",
            RuntimeWarning,
            stacklevel=_stacklevel,
        )
    return S, report


def euclidean_barycenter(covs, weights=None):
    """Euclidean barycenter of covariances, ``sum_i w_i S_i`` (slide 34, middle).

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

    Examples
    --------
    >>> euclidean_barycenter(np.stack([np.eye(2), 3 * np.eye(2)]))
    array([[2., 0.],
           [0., 2.]])
    """
    covs, w = _check_family(covs, weights)
    return np.tensordot(w, covs, axes=(0, 0))


def rao_barycenter(covs, weights=None, tol=1e-10, max_iter=200, init=None):
    """Affine-invariant (Fisher-Rao) Karcher mean of positive definite covariances (slide 34, right).

    Parameters
    ----------
    covs : ndarray of shape (K, ..., d, d)
        Positive definite (a singular covariance is infinitely far away in this geometry).
    weights : ndarray of shape (K,), optional
    tol : float
        Stop when ``||sum_i w_i log(S^{-1/2} S_i S^{-1/2})||_F`` (the Riemannian gradient norm) is
        below ``tol``.
    max_iter : int
    init : ndarray of shape (..., d, d), optional
        By default the log-Euclidean mean ``exp(sum_i w_i log S_i)`` (exact for commuting inputs).

    Returns
    -------
    S : ndarray of shape (..., d, d)
    report : BarycenterReport

    Notes
    -----
    For Gaussians of a common mean the Fisher metric is ``tr((S^{-1} dS)^2) / 2``, whose Karcher
    mean minimises ``sum_i w_i ||log(S^{-1/2} S_i S^{-1/2})||_F^2``. Fixed point (Riemannian
    gradient descent with unit step):
    ``S <- S^{1/2} exp(sum_i w_i log(S^{-1/2} S_i S^{-1/2})) S^{1/2}``.
    The unit step overshoots when the inputs are far apart (anisotropy ``1 : 100``): the update
    is ``S <- S^{1/2} exp(eta G) S^{1/2}`` with the step ``eta = 2 / (1 + sum_i w_i h(r_i))`` built on the
    Hessian bound of Bini and Iannazzo, ``h(r) = (r / 2) coth(r / 2)``, ``r_i`` the spread of the log-eigenvalues of
    ``S^{-1/2} S_i S^{-1/2}`` (``eta = 1`` for close inputs), halved if the energy does not decrease
    enough (Armijo test). The residual is ``||G||_F`` at each iterate.
    Its determinant is the weighted geometric mean: ``det S = prod_i det(S_i)^{w_i}``.

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
    covs, w = _check_family(covs, weights)
    wc, Vc = np.linalg.eigh(covs)
    if np.any(wc[..., 0] <= 0):
        raise ValueError("covs must be positive definite for the Rao (affine-invariant) barycenter")
    if init is None:
        L = np.tensordot(w, _from_eig(np.log(wc), Vc), axes=(0, 0))
        S = _from_eig(*_exp_eig(L))
    else:
        S = np.broadcast_to(_check_cov(init, "init"), covs.shape[1:]).copy()
    report = BarycenterReport(method="rao_fixed_point")
    F, G, R, theta = _rao_energy(S, covs, w)
    step = np.ones(F.shape)
    for _ in range(int(max_iter)):
        res = float(_fro(G).max(initial=0.0))
        report.residuals.append(res)
        if res < tol:
            report.converged = True
            break
        report.iterations += 1
        eta = (step * theta)[..., None, None]
        cand = _herm(R @ _from_eig(*_exp_eig(eta * G)) @ R)
        F_c, G_c, R_c, th_c = _rao_energy(cand, covs, w)
        # Armijo test on F = sum_i w_i ||log(S^-1/2 S_i S^-1/2)||^2 / 2, whose Riemannian
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
    """Karcher energy ``F(S) = sum_i w_i ||log(S^-1/2 S_i S^-1/2)||_F^2 / 2``, the descent direction
    ``G = sum_i w_i log(S^-1/2 S_i S^-1/2)`` and ``S^{1/2}``."""
    ws, Vs = np.linalg.eigh(S)
    ws = np.maximum(ws, np.finfo(np.float64).tiny)
    R = _from_eig(np.sqrt(ws), Vs)
    Q = _from_eig(1.0 / np.sqrt(ws), Vs)
    wl, Vl = np.linalg.eigh(_herm(Q @ covs @ Q))
    logs = np.log(np.maximum(wl, np.finfo(np.float64).tiny))
    F = 0.5 * np.tensordot(w, np.sum(logs**2, axis=-1), axes=(0, 0))
    G = np.tensordot(w, _from_eig(logs, Vl), axes=(0, 0))
    # step 2 / (1 + sum_i w_i h(r_i)), h(r) = (r / 2) coth(r / 2) >= 1, r_i the spread of the
    # log-eigenvalues of S^-1/2 S_i S^-1/2: the Hessian of F lies between 1 and sum_i w_i h(r_i)
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


def _check_gaussians(m0, S0, m1, S1):
    S0, S1 = _check_pair(S0, S1)
    d = S0.shape[-1]
    return _check_mean(m0, "m0", d), S0, _check_mean(m1, "m1", d), S1


def bures_wasserstein_distance(m0, S0, m1, S1):
    """``W2`` between the Gaussians ``N(m0, S0)`` and ``N(m1, S1)`` (slide 30), batched.

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
    Dowson, Landau 1982; Olkin, Pukelsheim 1982; Givens, Shortt 1984.

    Examples
    --------
    >>> float(bures_wasserstein_distance([0.0], [[1.0]], [3.0], [[4.0]]))  # sqrt(3^2 + (1-2)^2)
    3.1622776601683795
    """
    m0, S0, m1, S1 = _check_gaussians(m0, S0, m1, S1)
    out = np.sqrt(np.sum((m0 - m1) ** 2, axis=-1) + _bures2(S0, S1))
    return float(out) if out.ndim == 0 else out


def ot_map(m0, S0, m1, S1, rcond=RCOND, *, form="slide"):
    """Affine OT map ``T(x) = A x + b`` from ``N(m0, S0)`` to ``N(m1, S1)`` (slide 30).

    Parameters
    ----------
    m0, m1 : ndarray of shape (..., d)
    S0, S1 : ndarray of shape (..., d, d)
    rcond : float
        Relative threshold of the pseudo-inverse.
    form : {"slide", "standard"}
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
    m0, S0, m1, S1 = _check_gaussians(m0, S0, m1, S1)
    A = bures_map(S0, S1, rcond, form=form)
    b = m1 - np.einsum("...ij,...j->...i", A, m0)
    return A, b


def geodesic(m0, S0, m1, S1, t, rcond=RCOND):
    """Point ``N(m_t, S_t)`` at time ``t`` of the OT geodesic between two Gaussians (slide 31).

    Parameters
    ----------
    m0, m1 : ndarray of shape (..., d)
    S0, S1 : ndarray of shape (..., d, d)
    t : float or ndarray in [0, 1]
        An array broadcasts against the leading axes.
    rcond : float

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
    m0, S0, m1, S1 = _check_gaussians(m0, S0, m1, S1)
    t = _check_time(t)
    mt = (1.0 - t[..., None]) * m0 + t[..., None] * m1
    return mt, _geodesic_cov(S0, S1, t, rcond)


def ot_barycenter(means, covs, weights=None, tol=1e-10, max_iter=500, method="fixed_point", init=None):
    """OT barycenter of Gaussians ``N(m_i, S_i)`` (slide 33-34, left), batched.

    Parameters
    ----------
    means : ndarray of shape (K, ..., d)
    covs : ndarray of shape (K, ..., d, d)
    weights : ndarray of shape (K,), optional
        On the simplex; uniform by default.
    tol, max_iter, method, init
        See :func:`bures_barycenter`; the default start is the weighted arithmetic mean of the
        covariances (never a rank-one covariance).

    Returns
    -------
    m : ndarray of shape (..., d)
        ``sum_i w_i m_i``.
    S : ndarray of shape (..., d, d)
        Fixed point of ``S = sum_i w_i (S^{1/2} S_i S^{1/2})^{1/2}``.
    report : BarycenterReport

    Notes
    -----
    The barycenter minimises ``sum_i w_i W2(mu, mu_i)^2`` over all measures; it is Gaussian,
    with the averaged mean and the Bures barycenter of the covariances (Agueh-Carlier 2011, §6).
    With two inputs it is the geodesic point at ``t = w_1``.

    Examples
    --------
    >>> m, S, rep = ot_barycenter([[0.0], [2.0]], [[[1.0]], [[9.0]]], [0.5, 0.5])
    >>> m, S.round(12)
    (array([1.]), array([[4.]]))
    """
    covs, w = _check_family(covs, weights)
    means = _check_mean(means, "means", covs.shape[-1])
    if means.shape[0] != covs.shape[0]:
        raise ValueError(
            f"means and covs must describe the same number of Gaussians, got {means.shape[0]} "
            f"and {covs.shape[0]}"
        )
    S, report = bures_barycenter(covs, w, tol=tol, max_iter=max_iter, method=method, init=init, _stacklevel=3)
    return np.tensordot(w, means, axes=(0, 0)), S, report


def estimate(X, a=None):
    """Mean and covariance of a (weighted) point cloud, the Gaussian fitted to samples.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    a : ndarray of shape (N,), optional
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
