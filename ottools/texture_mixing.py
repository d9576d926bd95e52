r"""Texture mixing: optimal transport geodesics, distances and barycenters of stationary Gaussian
texture models (spot noises), frequency by frequency.

Taught in ``tours/11_texture_mixing.ipynb`` (slides 32 and 35 of the talk) and, for space-time
models, ``tours/12_dynamic_textures.ipynb`` (slides 36-37). The models themselves (estimation,
synthesis) are in :mod:`ottools.textures`, the Bures-Wasserstein geometry of one frequency in
:mod:`ottools.gaussian`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import fft as sfft

from ottools._validate import (
    ArgumentTypeError,
    as_complex_array,
    check_bool,
    check_dtype,
    check_hermitian,
    check_max_iter,
    check_option,
    check_real,
    check_rng,
    check_sequence,
    check_simplex,
    check_tol,
)
from ottools.gaussian import BarycenterReport, _bures2, _bures_barycenter, _sqrtm
from ottools.textures import (
    GaussianTextureModel,
    _axes,
    _estimate_model,
    _GridModel,
    _model_grid,
    _out,
    _rfft_grid,
    _spatial_dims,
    _synthesize,
    _vanishes_at_zero,
    _white_noise_hat,
)

__all__ = [
    "StationaryGaussianModel",
    "spot_noise_geodesic",
    "spot_noise_distance",
    "spot_noise_barycenter",
    "synthesize",
    "rank_map",
]

_BARYCENTER_METHODS = ("multimarginal", "fixed_point", "alvarez_esteban")


def _as_spot_model(f, name, spatial_dims, periodic):
    r"""A GaussianTextureModel from a model or an exemplar (``spatial_dims``, ``periodic`` checked)."""
    if isinstance(f, GaussianTextureModel):
        return f
    if isinstance(f, StationaryGaussianModel):
        raise ValueError(
            f"{name} must be a spot noise (an exemplar or a GaussianTextureModel); a "
            f"StationaryGaussianModel (e.g. a barycenter) is not a spot noise in general"
        )
    return _estimate_model(f, name, periodic, spatial_dims)


def _same_domain(models, names):
    r"""Mixing needs one domain: same spatial shape and the same number of channels."""
    ref = models[0]
    for m, n in zip(models[1:], names[1:]):
        if m.shape != ref.shape or m.n_channels != ref.n_channels:
            raise ValueError(
                f"{names[0]} and {n} must have the same spatial shape and number of channels to be "
                f"mixed, got {ref.shape} with {ref.n_channels} channel(s) and {m.shape} with "
                f"{m.n_channels} channel(s): crop them, or enlarge the smaller models with "
                f"enlarge_model (zero-padded spots), or resize them (data.load_image(name, "
                f"size=(h, w), mode='rgb')): the models must live on one Fourier grid"
            )


def _rfft_multiplicity(shape):
    r"""How many frequencies of the full DFT grid each rfft frequency stands for (1 or 2), shape
    broadcastable to the rfft grid ``(n1, ..., n_D // 2 + 1)``."""
    n = shape[-1]
    mult = np.full(n // 2 + 1, 2.0)
    mult[0] = 1.0
    if n % 2 == 0:
        mult[-1] = 1.0
    return mult.reshape((1,) * (len(shape) - 1) + (-1,))


def _alignment_phase(t0_hat, t1_hat, rtol=1e-12):
    r"""Unit phase ``t1_hat^* t0_hat / |t1_hat^* t0_hat|`` per frequency, 1 where the inner product
    vanishes (below ``rtol`` times ``|t0_hat| |t1_hat|``, e.g. at the zero frequency)."""
    ip = np.sum(np.conj(t1_hat) * t0_hat, axis=-1)
    mod = np.abs(ip)
    scale = np.linalg.norm(t0_hat, axis=-1) * np.linalg.norm(t1_hat, axis=-1)
    ok = mod > np.maximum(rtol * scale, np.finfo(np.float64).tiny)
    return np.where(ok, ip / np.where(ok, mod, 1.0), 1.0)


def spot_noise_geodesic(f0, f1, t, *, periodic=True, spatial_dims=2, rtol=1e-12):
    r"""Point at time ``t`` of the optimal transport geodesic between two spot noise models.

    Parameters
    ----------
    f0, f1 : ndarray of shape (n1, n2[, n3][, d]) or GaussianTextureModel
        Exemplars (their models are estimated, on the periodic component if ``periodic``) or
        models, on the same spatial domain with the same channels (otherwise a ``ValueError``
        says so: crop or resize the exemplars first).
    t : float in [0, 1]
    periodic : bool, default True
    spatial_dims : int, default 2 (3 for videos: space-time)
    rtol : float, default 1e-12
        Where ``|t1_hat^* t0_hat| <= rtol |t0_hat| |t1_hat|`` (including the zero frequency) the
        phase factor is set to 1: the theorem needs a non-zero inner product there.

    Returns
    -------
    GaussianTextureModel
        The spot noise ``mu_t = SN(f_t)`` with mean ``(1 - t) m0 + t m1``; synthesise it with
        :func:`spot_noise` or :func:`synthesize` and a **fixed** seed so that only the model
        changes along ``t``.

    Notes
    -----
    Per frequency ``w`` the two covariances are rank one, ``c_i(w) = u_i u_i^*`` with
    ``u_i = t_i_hat(w)`` (``t_i`` the normalised spots). The OT map between them is
    ``pi = u1 u1^* / |u1^* u0|`` and ``f_t_hat = ((1 - t) Id + t pi) u0 = (1 - t) u0 + t g1`` with

        ``g1_hat(w) = u1 (u1^* u0) / |u1^* u0|``

    (Xia et al. 2014, theorem of the section "SN model geodesics"; slide 32): the second spot is
    phase-aligned on the first one, frequency by frequency, then the spots are averaged. For grey
    images ``|f_t_hat| = (1 - t) |f0_hat| + t |f1_hat|``. The plain average ``(1 - t) t0 + t t1``
    of the spots (no alignment) is **not** the geodesic.

    References
    ----------
    G.-S. Xia, S. Ferradans, G. Peyre, J.-F. Aujol, "Synthesizing and mixing stationary Gaussian
    texture models", SIAM J. Imaging Sci. 7(1):476-508, 2014.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.random((8, 8, 3)), rng.random((8, 8, 3))
    >>> mid = spot_noise_geodesic(a, b, 0.5)
    >>> d0, d1 = spot_noise_distance(a, mid), spot_noise_distance(a, b)
    >>> round(d0 / d1, 10)
    0.5
    """
    t = check_real(t, "t", minimum=0.0, maximum=1.0)
    periodic = check_bool(periodic, "periodic")
    spatial_dims = _spatial_dims(spatial_dims)
    rtol = check_tol(rtol, "rtol")
    m0 = _as_spot_model(f0, "f0", spatial_dims, periodic)
    m1 = _as_spot_model(f1, "f1", m0.spatial_dims, periodic)
    _same_domain([m0, m1], ["f0", "f1"])
    phase = _alignment_phase(m0.spot_hat, m1.spot_hat, rtol)
    spot_hat = (1.0 - t) * m0.spot_hat + t * (m1.spot_hat * phase[..., None])
    mean = (1.0 - t) * m0.mean + t * m1.mean
    return GaussianTextureModel._trusted(mean, spot_hat, m0.shape, m0.grey and m1.grey)


def spot_noise_distance(f0, f1, *, periodic=True, spatial_dims=2):
    r"""Wasserstein distance ``W2`` between two stationary Gaussian texture models (closed form).

    Parameters
    ----------
    f0, f1 : ndarray, GaussianTextureModel or StationaryGaussianModel
        Exemplars (modelled as spot noises), spot noise models, or general stationary Gaussian
        models (e.g. barycenters), on the same domain with the same channels.
    periodic : bool, default True
    spatial_dims : int, default 2 (3 for videos)

    Returns
    -------
    float
        ``W2`` between the two laws of whole fields (Gaussian vectors of ``R^{N d}``), not squared.
        Divide by ``sqrt(N)`` for a per-pixel value.

    Notes
    -----
    For spot noises with normalised spots ``t_i`` (``t_i_hat = g_i_hat / sqrt(N)``), summing over
    the full DFT grid,

        ``W2^2 = N ||m0 - m1||^2 + sum_w ( |t0_hat|^2 + |t1_hat|^2 - 2 |t1_hat^* t0_hat| )``,

    the Bures distance of rank-one covariances frequency by frequency (Xia et al. 2014; the DFT
    with ``1/sqrt(N)`` is unitary). For general models the per-frequency squared Bures distances
    ``B(c0_hat(w), c1_hat(w))^2`` are summed instead (``c_hat`` Hermitian ``d x d``).

    References
    ----------
    Xia, Ferradans, Peyre, Aujol, SIAM J. Imaging Sci. 2014 (see :func:`spot_noise_geodesic`).
    """
    periodic = check_bool(periodic, "periodic")
    spatial_dims = _spatial_dims(spatial_dims)
    models = []
    for f, name in ((f0, "f0"), (f1, "f1")):
        if isinstance(f, (GaussianTextureModel, StationaryGaussianModel)):
            models.append(f)
        else:
            models.append(_as_spot_model(f, name, spatial_dims, periodic))
    m0, m1 = models
    _same_domain([m0, m1], ["f0", "f1"])
    N = m0.n_pixels
    mult = _rfft_multiplicity(m0.shape)
    mean_term = N * float(np.sum((m0.mean - m1.mean) ** 2))
    if isinstance(m0, GaussianTextureModel) and isinstance(m1, GaussianTextureModel):
        u0, u1 = m0.spot_hat, m1.spot_hat
        per = (np.sum(np.abs(u0) ** 2, -1) + np.sum(np.abs(u1) ** 2, -1)
               - 2.0 * np.abs(np.sum(np.conj(u1) * u0, -1)))
        per = np.maximum(per, 0.0)
    else:
        per = _bures2(m0.cov_hat, m1.cov_hat)
    return float(np.sqrt(mean_term + np.sum(mult * per)))


@dataclass(frozen=True, eq=False)
class StationaryGaussianModel(_GridModel):
    r"""Stationary Gaussian texture model with a general per-frequency covariance.

    A spot noise has rank-one ``c_hat(w)``; a barycenter of spot noises does not in general
    (:func:`spot_noise_barycenter`), so it is stored by the canonical texton, the Hermitian PSD
    square root ``K_hat(w) = c_hat(w)^{1/2}`` of each ``d x d`` block. A sample is
    ``f_hat(w) = K_hat(w) W_hat(w)`` for a **d-channel** white noise ``W`` (``w != 0``) and
    ``f_hat(0) = N m`` (:func:`synthesize`).

    Attributes
    ----------
    mean : ndarray of shape (d,)
    root_hat : complex ndarray of shape (*rfft_grid, d, d)
        ``K_hat(w)`` on the rfft grid ``(n1, n2 // 2 + 1)`` (``(n1, n2, n3 // 2 + 1)`` for videos),
        zero at ``w = 0``. Convention of :class:`GaussianTextureModel`: ``c_hat = K_hat K_hat``
        equals ``t_hat t_hat^*`` for a spot noise of normalised spot ``t``.
    shape : tuple of int
        Spatial shape ``(n1, n2[, n3])``.
    grey : bool

    The constructor checks its fields: finite values, matching shapes, ``K_hat(w)`` Hermitian
    positive semi-definite at every frequency (relative to its own scale) and zero at ``w = 0``.
    """

    mean: np.ndarray
    root_hat: np.ndarray
    shape: tuple
    grey: bool = False

    def __post_init__(self):
        shape, mean, grey = _model_grid(self.shape, self.mean, self.grey)
        d = mean.shape[0]
        want = _rfft_grid(shape) + (d, d)
        root = as_complex_array(self.root_hat, "root_hat")
        if root.shape != want:
            raise ValueError(
                f"root_hat must have shape {want} (the rfft grid of shape={shape}, then d x d with "
                f"the d = {d} channels of mean), got {root.shape}"
            )
        root = check_hermitian(root, "root_hat", rtol=1e-10)
        if not _vanishes_at_zero(root, len(shape)):
            raise ValueError("root_hat must vanish at the zero frequency (the mean colour is mean)")
        for key, value in (("shape", shape), ("mean", mean), ("root_hat", root), ("grey", grey)):
            object.__setattr__(self, key, value)

    @classmethod
    def _trusted(cls, mean, root_hat, shape, grey=False):
        r"""A model from fields that are right by construction (no checks)."""
        obj = object.__new__(cls)
        for key, value in (("mean", mean), ("root_hat", root_hat), ("shape", tuple(shape)), ("grey", bool(grey))):
            object.__setattr__(obj, key, value)
        return obj

    @classmethod
    def from_spot_model(cls, model):
        r"""The same law as a spot noise model, ``K_hat = t_hat t_hat^* / |t_hat|``."""
        if not isinstance(model, GaussianTextureModel):
            raise ArgumentTypeError(f"model must be a GaussianTextureModel, got {type(model).__name__}")
        return cls._from_spot_model(model)

    @classmethod
    def _from_spot_model(cls, model):
        u = model.spot_hat
        nrm = np.linalg.norm(u, axis=-1, keepdims=True)
        unit = np.where(nrm > 0, u / np.where(nrm > 0, nrm, 1.0), 0.0)  # t_hat / |t_hat| (0 where t_hat = 0)
        root = u[..., :, None] * np.conj(unit[..., None, :])
        return cls._trusted(model.mean.copy(), root, model.shape, model.grey)

    @property
    def cov_hat(self):
        r"""``c_hat(w) = K_hat(w)^2``, shape ``(*rfft_grid, d, d)``."""
        return self.root_hat @ self.root_hat

    def ranks(self, rtol=1e-6):
        r"""Rank of ``c_hat(w)`` on the rfft grid: eigenvalues above ``rtol`` (in (0, 1]) times the
        largest one of the same frequency (0 where ``c_hat(w) = 0``, e.g. ``w = 0``). A spot noise
        has rank <= 1 everywhere."""
        return self._ranks(check_tol(rtol, "rtol"))

    def _ranks(self, rtol):
        w = np.linalg.eigvalsh(self.root_hat) ** 2  # eigenvalues of c_hat = K_hat^2
        top = w[..., -1:]
        return np.sum(w > np.maximum(rtol * top, np.finfo(np.float64).tiny), axis=-1)


def rank_map(model, *, rtol=1e-6):
    r"""Per-frequency rank of a 2-D model on the full, centred frequency grid (for display).

    Parameters
    ----------
    model : StationaryGaussianModel or GaussianTextureModel (2 spatial axes)
    rtol : float in (0, 1], default 1e-6, keyword-only
        Relative threshold of :meth:`StationaryGaussianModel.ranks`.

    Returns
    -------
    ndarray of int, shape (n1, n2)
        ``fftshift``-ed: the zero frequency at the centre, as :func:`log_spectrum`.
    """
    rtol = check_tol(rtol, "rtol")
    if isinstance(model, GaussianTextureModel):
        model = StationaryGaussianModel._from_spot_model(model)
    if not isinstance(model, StationaryGaussianModel):
        raise ArgumentTypeError(
            f"model must be a StationaryGaussianModel or a GaussianTextureModel, got {type(model).__name__}"
        )
    if model.spatial_dims != 2:
        raise ValueError(f"model must have 2 spatial axes (an image model), got shape {model.shape}")
    half = model._ranks(rtol)
    n1, n2 = model.shape
    k1 = np.arange(n1)[:, None]
    k2 = np.arange(n2)[None, :]
    # rank(-w) = rank(w): the right half of the grid is read at (-k1, -k2)
    use_half = k2 <= n2 // 2
    r1 = np.where(use_half, k1, (-k1) % n1)
    r2 = np.where(use_half, k2, (-k2) % n2)
    return np.fft.fftshift(half[r1, r2])


def _multimarginal_rank_one(U, w, tol, max_iter):
    r"""Bures barycenter of rank-one covariances ``u_i u_i^*`` at many frequencies at once.

    ``U`` has shape ``(K, F, d)``. Returns ``A`` of shape ``(F, d, K)`` with barycenter
    ``A A^*``, and the report. See :func:`spot_noise_barycenter`, Notes.
    """
    K, F, d = U.shape
    G = np.einsum("ifa,jfa->fij", np.conj(U), U)  # Gram matrices G_ij = u_i^* u_j, (F, K, K)
    M = w[None, :, None] * G * w[None, None, :]
    diagM = np.einsum("fii->fi", M).real
    V = np.broadcast_to(np.eye(K, dtype=np.complex128), (F, K, K)).copy()  # independent coupling
    report = BarycenterReport(method="multimarginal")
    active = np.arange(F)
    eye = np.eye(K)
    tiny = np.finfo(np.float64).tiny
    # a coordinate update is skipped where its direction is rounding noise: |s_i| at most eps times
    # sum_j |M_ij| (e.g. every other input vanishes at that frequency)
    row_cut = np.maximum(np.finfo(np.float64).eps * np.abs(M).sum(axis=-1), tiny)  # (F, K)
    check_every = 3
    for it in range(max_iter):
        Va, Ma, cut = V[active], M[active], row_cut[active]
        for i in range(K):  # a loop over the K inputs (block coordinate ascent)
            s = np.einsum("fj,fjr->fr", Ma[:, i, :], Va) - Ma[:, i, i, None] * Va[:, i]
            n = np.linalg.norm(s, axis=-1, keepdims=True)
            ok = n > cut[:, i, None]
            Va[:, i] = np.where(ok, s / np.where(ok, n, 1.0), Va[:, i])
        V[active] = Va
        report.iterations = it + 1
        if (it + 1) % check_every and it + 1 < max_iter:
            continue
        # duality gap of max <M, R> over correlation matrices R = V V^*:
        # any y with Diag(y) - M >= 0 bounds it by sum(y)
        da = diagM[active]
        s = np.einsum("fij,fjr->fir", Ma, Va) - da[:, :, None] * Va
        y = np.linalg.norm(s, axis=-1) + da
        lmin = np.linalg.eigvalsh(y[:, :, None] * eye - Ma)[:, 0]
        upper = y.sum(-1) - K * np.minimum(lmin, 0.0)
        obj = np.einsum("fij,fji->f", Va @ np.conj(np.swapaxes(Va, -1, -2)), Ma).real
        gap = (upper - obj) / np.maximum(upper, tiny)
        report.residuals.append(float(gap.max(initial=0.0)))
        active = active[gap > tol]
        if active.size == 0:
            report.converged = True
            break
    A = np.einsum("i,ifa,fir->far", w, U, V)
    return A, report


def spot_noise_barycenter(exemplars, weights=None, *, tol=1e-10, max_iter=3000,
                          method="multimarginal", periodic=True, spatial_dims=2):
    r"""Optimal transport (Wasserstein) barycenter of spot noise texture models (slide 35).

    Parameters
    ----------
    exemplars : sequence of K arrays of shape (n1, n2[, n3][, d]) or GaussianTextureModel
        On one domain with the same channels (otherwise a ``ValueError`` says so).
    weights : ndarray of shape (K,), optional
        Barycentric weights ``lambda_i`` on the simplex (uniform by default).
    tol : float in (0, 1], default 1e-10, keyword-only
        Stopping tolerance, frequency by frequency: the certified relative gap of the barycenter
        energy (``"multimarginal"``) or the fixed-point residual (the other methods).
    max_iter : int, default 3000, keyword-only
        A few hard frequencies may need many iterations; only those are iterated.
    method : {"multimarginal", "fixed_point", "alvarez_esteban"}, keyword-only
        ``"multimarginal"`` (default, fast, exact for rank-one inputs); the other two run
        :func:`ottools.gaussian.bures_barycenter` on all the ``d x d`` covariances, from the
        Euclidean mean (slow: for checks on small images).
    periodic : bool, default True
    spatial_dims : int, default 2 (3 for videos)

    Returns
    -------
    model : StationaryGaussianModel
        Mean ``sum_i lambda_i m_i`` and, per frequency, the square root of the barycenter covariance;
        sample it with :func:`synthesize` (a ``d``-channel white noise). It is not a spot noise
        in general (see Notes): :meth:`StationaryGaussianModel.ranks` gives the rank per frequency.
    report : ottools.gaussian.BarycenterReport
        Iterations, residual history (largest over the frequencies still running), convergence.

    Notes
    -----
    The barycenter of stationary Gaussian models is stationary and decouples over frequencies:
    ``c(w)`` minimises ``sum_i lambda_i B(c, c_i(w))^2`` (Bures), i.e. solves the fixed point
    ``c = sum_i lambda_i (c^{1/2} c_i c^{1/2})^{1/2}`` (Agueh-Carlier 2011; Xia et al. 2014). The zero
    frequency is skipped (all covariances vanish there). Started from a rank-one ``c_i`` this
    fixed point stays rank-one and converges to a wrong point: the fixed-point methods start from
    the Euclidean mean ``sum_i lambda_i c_i(w)`` (a singular start is refused by
    :func:`ottools.gaussian.bures_barycenter` for this reason). They converge slowly here: with
    rank-one inputs the barycenter is often rank-deficient.

    The default method uses that the inputs are rank one, ``c_i = u_i u_i^*``. The barycenter is
    the law of ``sum_i lambda_i X_i`` for the optimal multi-marginal coupling of the ``X_i ~ N(0, c_i)``
    (Agueh-Carlier, Prop. 4.2); writing ``X_i = u_i z_i`` with standard scalar ``z_i`` and
    ``R = E[z z^*]`` (a ``K x K`` correlation matrix), it solves the small semidefinite program

        ``max <M, R>`` over ``R >= 0`` with ``R_ii = 1``, ``M_ij = lambda_i lambda_j u_i^* u_j``,

    and ``c = U L R L U^*`` (``U = [u_1 ... u_K]``, ``L = diag(lambda)``); ``tr c`` is the energy
    to maximise. It is solved for all frequencies at once by block coordinate ascent on
    ``R = V V^*`` (``v_i <- sum_{j != i} M_ij v_j / |...|``), started from the independent
    coupling ``R = Id``. Each frequency stops when the duality gap (a bound from the dual
    ``min sum_i y_i`` s.t. ``Diag(y) >= M``) is below ``tol`` relative to the energy.
    For two inputs one step gives the geodesic point of :func:`spot_noise_geodesic`.

    Rank: ``c(w)`` has the rank of the optimal ``R``. The extreme points of the set of complex
    ``K x K`` correlation matrices have rank ``r`` with ``r^2 <= K`` (real ones
    ``r (r + 1) / 2 <= K``; Li and Tam 1994), and a linear objective reaches its maximum at one:
    for ``K <= 3`` inputs the barycenter is (generically) rank one at every complex frequency, a
    spot noise again; rank two needs ``K >= 4`` or real data (the self-conjugate frequencies, or
    inputs with real Gram matrices such as three rank-one inputs along directions at 0, 60 and
    120 degrees, whose barycenter is ``Id / 4``). On natural colour textures rank > 1 stays rare (tour 11 maps it).

    References
    ----------
    M. Agueh, G. Carlier, "Barycenters in the Wasserstein space", SIAM J. Math. Anal. 43(2), 2011.
    G.-S. Xia, S. Ferradans, G. Peyre, J.-F. Aujol, "Synthesizing and mixing stationary Gaussian
    texture models", SIAM J. Imaging Sci. 7(1):476-508, 2014.
    P. C. Alvarez-Esteban, E. del Barrio, J. A. Cuesta-Albertos, C. Matran, "A fixed-point
    approach to barycenters in Wasserstein space", J. Math. Anal. Appl. 441(2), 2016.
    P.-W. Wang, W.-C. Chang, J. Z. Kolter, "The mixing method: low-rank coordinate descent for
    semidefinite programming with diagonal constraints", arXiv:1706.00476, 2017.
    C.-K. Li, B.-S. Tam, "A note on extreme correlation matrices", SIAM J. Matrix Anal. Appl.
    15(3):903-908, 1994.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> textures = [rng.random((8, 8, 3)) for _ in range(3)]
    >>> bary, report = spot_noise_barycenter(textures, [0.2, 0.3, 0.5])
    >>> bary.root_hat.shape, report.converged
    ((8, 5, 3, 3), True)
    """
    exemplars = check_sequence(exemplars, "exemplars")
    tol = check_tol(tol, "tol")
    max_iter = check_max_iter(max_iter, "max_iter")
    method = check_option(method, "method", _BARYCENTER_METHODS)
    periodic = check_bool(periodic, "periodic")
    spatial_dims = _spatial_dims(spatial_dims)
    names = [f"exemplars[{i}]" for i in range(len(exemplars))]
    models = []
    for f, name in zip(exemplars, names):
        models.append(_as_spot_model(f, name, models[0].spatial_dims if models else spatial_dims, periodic))
    _same_domain(models, names)
    K = len(models)
    w = check_simplex(weights, K, "weights")
    ref = models[0]
    grid, d = ref.spot_hat.shape[:-1], ref.n_channels
    U = np.stack([m.spot_hat.reshape(-1, d) for m in models])[:, 1:]  # skip w = 0 (flat index 0)
    if method == "multimarginal":
        A, report = _multimarginal_rank_one(U, w, tol, max_iter)
        C = A @ np.conj(np.swapaxes(A, -1, -2))
    else:
        covs = U[..., :, None] * np.conj(U[..., None, :])
        # frequencies where every input vanishes stay 0 (residual 0 there)
        C, report = _bures_barycenter(covs, w, tol, max_iter, method, warn=None)
    root = np.zeros((U.shape[1] + 1, d, d), dtype=np.complex128)
    root[1:] = _sqrtm(0.5 * (C + np.conj(np.swapaxes(C, -1, -2))))
    if not report.converged:
        warnings.warn(
            f"spot_noise_barycenter did not reach tol={tol:g} in {max_iter} iterations at every "
            f"frequency (largest residual {report.residuals[-1]:.3g})",
            RuntimeWarning, stacklevel=2,
        )
    mean = np.tensordot(w, np.stack([m.mean for m in models]), axes=(0, 0))
    grey = all(m.grey for m in models)
    return StationaryGaussianModel._trusted(mean, root.reshape(grid + (d, d)), ref.shape, grey), report


def synthesize(model, rng=None, *, dtype=np.float64):
    r"""A sample of a stationary Gaussian texture model, on the model's domain.

    Parameters
    ----------
    model : GaussianTextureModel or StationaryGaussianModel
    rng : None, int or numpy.random.Generator
        Fix it to compare models: with the same seed, only the model changes (a geodesic, a
        barycenter slider).
    dtype : float32 or float64, default float64
        Output dtype (and precision of the noise and of the FFTs).

    Returns
    -------
    f : ndarray of shape (n1, n2[, n3], d), or (n1, n2[, n3]) for a grey model

    Notes
    -----
    Spot noise: ``f = m + t * W`` with one white noise ``W`` shared by the channels
    (:func:`spot_noise`). General model: ``f_hat(w) = K_hat(w) W_hat(w)`` with ``W`` a
    ``d``-channel white noise and ``K_hat = c_hat^{1/2}`` (Xia et al. 2014), ``f_hat(0) = N m``.
    For a rank-one ``c_hat`` both give the same law.
    """
    rng = check_rng(rng)
    dtype = check_dtype(dtype, "dtype")
    if isinstance(model, GaussianTextureModel):
        return _synthesize(model, model.shape, rng, shared_noise=True, random_phase=False, dtype=dtype)
    if not isinstance(model, StationaryGaussianModel):
        raise ArgumentTypeError(
            f"model must be a GaussianTextureModel or a StationaryGaussianModel, got {type(model).__name__}"
        )
    cdtype = np.complex64 if dtype == np.float32 else np.complex128
    W_hat = _white_noise_hat(model.shape, rng, model.n_channels, dtype)
    f_hat = np.einsum("...ij,...j->...i", model.root_hat.astype(cdtype, copy=False), W_hat)
    f = sfft.irfftn(f_hat, s=model.shape, axes=_axes(model.spatial_dims))
    f += model.mean.astype(dtype)
    return _out(f, model.grey)
