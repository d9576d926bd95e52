"""Stationary Gaussian texture models: periodic component, spot noise and random phase noise.

Taught in ``tours/09_gaussian_textures.ipynb`` (slides 26-29 of the talk); the mixing part
(geodesics, distances and barycenters of spot noises, synthetic dynamic textures) in
``tours/11_texture_mixing.ipynb`` (slides 32, 35) and ``tours/12_dynamic_textures.ipynb``
(slides 36-37).

Conventions (``../shared/reference/MATH.md`` sections 0 and 5)
-------------------------------------------------------------
* A *field* is a real array of shape ``(n1, n2, d)`` (an image with ``d`` channels), ``(n1, n2)``
  (a grey image), or, with ``spatial_dims=3``, ``(n1, n2, n3, d)`` / ``(n1, n2, n3)`` (a video).
  The channel axis is always the **last** one and is optional; the first ``spatial_dims`` axes are
  the spatial (and temporal) axes, on which the domain is a discrete torus (periodic boundary).
  Real inputs give real outputs of the same layout (a grey input gives a grey output).
* ``N = n1 * n2 [* n3]`` is the number of pixels. The DFT is numpy's, unnormalised:
  ``f_hat(w) = sum_x f(x) exp(-2i pi <x, w>)`` with ``<x, w> = sum_k x_k w_k / n_k``.
* From one exemplar ``f0`` (in practice its periodic component), the stationary Gaussian model
  ``N(m, Sigma)`` has the mean ``m = (1/N) sum_x f0(x)`` (in ``R^d``) and the covariance
  ``Sigma_{x, y} = c(x - y)`` (``d x d`` blocks), ``c(p) = (1/N) sum_u g(u + p) g(u)^T`` with
  ``g = f0 - m``, so that ``Sigma v = c * v`` (circular convolution); in Fourier
  ``(Sigma v)_hat(w) = c_hat(w) v_hat(w)`` with the ``d x d`` matrix
  ``c_hat(w) = (1/N) g_hat(w) g_hat(w)^*``, of rank one: a *spot noise* model.
  (Slide 28 prints ``f0_hat f0_hat^*`` without the ``1/N`` and without removing the mean.)
* The model stores the *spot* (texton) ``t = (f0 - m) / sqrt(N)``; a sample is
  ``f = m + t * W`` (circular convolution of every channel with the **same** white noise
  ``W ~ N(0, Id_N)``). Convolving each channel with its own noise (``shared_noise=False``) keeps
  each channel's statistics but destroys the correlations between channels: it is the classic
  mistake, kept here only to show it.
* Synthesis on a larger domain zero-pads the spot (never tiles the exemplar): the pixel covariance
  ``sum_u t(u) t(u)^T`` is unchanged.

All FFTs are real-to-complex (``scipy.fft.rfftn`` over the spatial axes); nothing loops over
pixels or frequencies.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import fft as sfft

from ottools._validate import as_float_array, check_dense_size, check_rng, check_simplex
from ottools.gaussian import BarycenterReport

__all__ = [
    "GaussianTextureModel",
    "periodic_smooth_decomposition",
    "periodic_component",
    "estimate_model",
    "apply_covariance",
    "covariance_matrix",
    "cholesky_synthesis",
    "spot_noise",
    "random_phase_noise",
    "log_spectrum",
    "spot_noise_geodesic",
    "spot_noise_distance",
    "spot_noise_barycenter",
    "StationaryGaussianModel",
    "synthesize",
    "rank_map",
    "enlarge_model",
    "wave_video",
    "cloud_video",
    "ar1_video",
    "DYNAMIC_TEXTURES",
]

#: Largest dense covariance matrix (bytes) that :func:`covariance_matrix` builds: 80 MiB,
#: i.e. ``N d <= 3238`` (a 56 x 56 grey image, or 32 x 32 in colour).
MAX_COVARIANCE_BYTES = 80 * 1024**2


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------
def _check_spatial_dims(spatial_dims):
    if isinstance(spatial_dims, bool) or spatial_dims not in (1, 2, 3):
        raise ValueError(
            f"spatial_dims must be 2 (images) or 3 (videos) (1 for signals), got {spatial_dims!r}"
        )
    return int(spatial_dims)


def _as_field(u, name, spatial_dims):
    """Return ``(x, grey)``: ``x`` float64 of shape ``(n1, ..., nD, d)`` and whether ``u`` was grey."""
    spatial_dims = _check_spatial_dims(spatial_dims)
    arr = np.asarray(u) if not isinstance(u, GaussianTextureModel) else None
    if arr is None:
        raise ValueError(f"{name} must be an array here, got a GaussianTextureModel")
    if arr.ndim not in (spatial_dims, spatial_dims + 1):
        kind = {1: "a signal", 2: "an image", 3: "a video"}[spatial_dims]
        shape_txt = ", ".join(f"n{k + 1}" for k in range(spatial_dims))
        hint = " (for a video pass spatial_dims=3)" if arr.ndim == spatial_dims + 2 else ""
        raise ValueError(
            f"{name} must be {kind} of shape ({shape_txt}) or ({shape_txt}, d) with the channels "
            f"last, got an array of shape {arr.shape}{hint}"
        )
    x = as_float_array(arr, name)
    if x.size == 0:
        raise ValueError(f"{name} is empty, shape {x.shape}")
    grey = x.ndim == spatial_dims
    if grey:
        x = x[..., None]
    return x, grey


def _out(x, grey):
    return x[..., 0] if grey else x


def _check_shape(shape, exemplar_shape, name="shape"):
    """Output spatial shape: ``None`` (the exemplar's) or a tuple at least as large on every axis."""
    if shape is None:
        return tuple(exemplar_shape)
    if np.isscalar(shape):
        shape = (shape,) * len(exemplar_shape)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ValueError(f"{name} must be a tuple of {len(exemplar_shape)} integers, got {shape!r}") from None
    if len(shape) != len(exemplar_shape) or not all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in shape
    ):
        raise ValueError(
            f"{name} must be a tuple of {len(exemplar_shape)} integers (the spatial size of the "
            f"output, without the channel axis), got {shape!r}"
        )
    shape = tuple(int(s) for s in shape)
    if any(s < e for s, e in zip(shape, exemplar_shape)):
        raise ValueError(
            f"{name}={shape} is smaller than the exemplar {tuple(exemplar_shape)} on some axis; "
            f"the spot cannot be cropped without changing the model: crop the exemplar first "
            f"(the output must be at least as large as the exemplar on every axis)"
        )
    return shape


# --------------------------------------------------------------------------------------------
# Fourier helpers
# --------------------------------------------------------------------------------------------
def _axes(spatial_dims):
    return tuple(range(spatial_dims))


def _laplacian_symbol(shape):
    """Eigenvalues ``sum_k (2 - 2 cos(2 pi w_k / n_k))`` of the periodic Laplacian on the rfft grid."""
    D = len(shape)
    lam = 0.0
    for k, n in enumerate(shape):
        w = np.arange(n // 2 + 1) if k == D - 1 else np.arange(n)
        term = 2.0 - 2.0 * np.cos(2.0 * np.pi * w / n)
        lam = lam + term.reshape((-1,) + (1,) * (D - 1 - k))
    return lam


def _white_noise_hat(shape, rng, channels, dtype):
    """rfftn of real white noise ``N(0, Id)`` of spatial ``shape``, with ``channels`` channels
    (``None``: one noise, shape ``(*rfft_shape, 1)``, broadcast over the channels)."""
    c = 1 if channels is None else channels
    W = rng.standard_normal(tuple(shape) + (c,), dtype=dtype)
    return sfft.rfftn(W, axes=_axes(len(shape)))


def _boundary_image_hat(x, spatial_dims):
    """rfftn of Moisan's boundary image ``v = Lap_per x - Lap_int x`` in ``O(N d)`` plus FFTs of the
    borders only: along axis ``k``, ``v = -J`` on the first slice and ``+J`` on the last one, with
    ``J = x(last) - x(first)``, so ``v_hat(w) = (exp(2i pi w_k / n_k) - 1) J_hat(w without w_k)``."""
    shape = x.shape[:spatial_dims]
    D = spatial_dims
    out = None
    for k in range(D):  # a loop over the D axes
        jump = np.take(x, -1, axis=k) - np.take(x, 0, axis=k)  # spatial axes other than k, then d
        others = tuple(range(D - 1))
        if not others:
            jump_hat = jump.astype(np.complex128)
        elif k == D - 1:  # the half (rfft) axis is k itself: full FFTs on the others
            jump_hat = sfft.fftn(jump, axes=others)
        else:  # the last spatial axis is still among the others: it takes the rfft
            jump_hat = sfft.rfftn(jump, axes=others)
        n = shape[k]
        w = np.arange(n // 2 + 1) if k == D - 1 else np.arange(n)
        factor = np.exp(2j * np.pi * w / n) - 1.0
        term = np.expand_dims(jump_hat, k) * factor.reshape((-1,) + (1,) * (D - k))
        if out is None:
            out = term
        else:
            out += term  # in place: these arrays are as large as the image
    return out


def _smooth_hat(x, spatial_dims):
    """rfftn of Moisan's smooth component: ``s_hat = v_hat / lambda`` (``w != 0``), ``s_hat(0) = 0``."""
    lam = _laplacian_symbol(x.shape[:spatial_dims])
    lam.flat[0] = 1.0  # the zero frequency is set apart: s has zero mean
    s_hat = _boundary_image_hat(x, spatial_dims)
    s_hat /= lam[..., None]
    s_hat[(0,) * spatial_dims] = 0.0
    return s_hat


# --------------------------------------------------------------------------------------------
# periodic + smooth decomposition
# --------------------------------------------------------------------------------------------
def periodic_smooth_decomposition(u, *, spatial_dims=2):
    """Moisan's periodic plus smooth decomposition ``u = p + s``, channel by channel.

    Parameters
    ----------
    u : ndarray of shape (n1, n2[, n3][, d])
        Real field; the channel axis (last) is optional. Any number of spatial axes
        (``spatial_dims``): 2 for images, 3 for videos.
    spatial_dims : int, default 2

    Returns
    -------
    p : ndarray, same shape as ``u``
        Periodic component: no jump across the borders of the torus, same mean as ``u``.
    s : ndarray, same shape as ``u``
        Smooth component, zero mean; it holds the border discontinuities.

    Notes
    -----
    ``p`` solves ``Lap_per p = Lap_int u`` with ``mean(p) = mean(u)``, where
    ``Lap_per u(x) = 2D u(x) - sum of the 2D periodic neighbours`` and ``Lap_int`` counts only the
    neighbours inside the domain (``D`` = ``spatial_dims``). Equivalently ``Lap_per s = v`` with the
    boundary image ``v = Lap_per u - Lap_int u`` (``v(0, .) = u(0, .) - u(n1-1, .)``,
    ``v(n1-1, .) = -v(0, .)``, and so on for each axis) and ``s_hat(0) = 0``, solved in Fourier:
    ``s_hat(w) = v_hat(w) / sum_k (2 - 2 cos(2 pi w_k / n_k))``. The transform of ``v``, which
    vanishes off the border, is computed from FFTs of the borders only; the cost is one inverse FFT,
    ``O(N d log N)``.
    ``s = 0`` exactly when opposite borders of ``u`` are equal.

    References
    ----------
    L. Moisan, "Periodic plus smooth image decomposition", J. Math. Imaging Vis. 39(2):161-179, 2011.

    Examples
    --------
    >>> u = np.arange(12.0).reshape(3, 4)
    >>> p, s = periodic_smooth_decomposition(u)
    >>> bool(np.allclose(p + s, u)), round(float(s.mean()), 12)
    (True, 0.0)
    """
    x, grey = _as_field(u, "u", spatial_dims)
    s = sfft.irfftn(_smooth_hat(x, spatial_dims), s=x.shape[:spatial_dims], axes=_axes(spatial_dims))
    return _out(x - s, grey), _out(s, grey)


def periodic_component(u, *, spatial_dims=2):
    """Periodic component ``p`` of Moisan's decomposition ``u = p + s`` (see
    :func:`periodic_smooth_decomposition`, which also returns the smooth part ``s``).

    Parameters
    ----------
    u : ndarray of shape (n1, n2[, n3][, d])
    spatial_dims : int, default 2 (3 for videos)

    Returns
    -------
    p : ndarray, same shape as ``u``

    Examples
    --------
    >>> u = np.add.outer(np.arange(4.0), np.arange(5.0))  # a ramp: big jumps across the borders
    >>> p = periodic_component(u)
    >>> bool(abs(p[0] - p[-1]).sum() < abs(u[0] - u[-1]).sum())
    True
    """
    return periodic_smooth_decomposition(u, spatial_dims=spatial_dims)[0]


# --------------------------------------------------------------------------------------------
# the stationary Gaussian (spot noise) model
# --------------------------------------------------------------------------------------------
class _GridModel:
    """What the texture models share: a spatial grid ``shape`` and a mean colour ``mean`` of shape (d,)."""

    @property
    def spatial_dims(self):
        return len(self.shape)

    @property
    def n_pixels(self):
        """``N = n1 * n2 [* n3]``."""
        return int(np.prod(self.shape))

    @property
    def n_channels(self):
        return int(np.shape(self.mean)[-1])


@dataclass(frozen=True, eq=False)
class GaussianTextureModel(_GridModel):
    """Stationary Gaussian (spot noise) texture model, usually from :func:`estimate_model`.

    It is stored in Fourier, where the covariance is diagonal by blocks.

    Attributes
    ----------
    mean : ndarray of shape (d,)
        Mean colour ``m``.
    spot_hat : complex ndarray of shape (n1, n2 // 2 + 1, d) (``(n1, n2, n3 // 2 + 1, d)`` for videos)
        ``scipy.fft.rfftn`` over the spatial axes of the normalised centred texton
        ``t = (f0 - m) / sqrt(N)``; ``spot_hat[0, 0] = 0``. The covariance is
        ``c_hat(w) = t_hat(w) t_hat(w)^*`` (rank one per frequency).
    shape : tuple of int
        Spatial shape ``(n1, n2[, n3])`` of the exemplar.
    grey : bool
        Whether the exemplar had no channel axis (outputs are then grey too).

    A model with another texton (for instance one built by a geodesic between two models) is made
    with :meth:`from_spot`.
    """

    mean: np.ndarray
    spot_hat: np.ndarray
    shape: tuple
    grey: bool = False
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_spot(cls, mean, spot, *, grey=False):
        """Model with mean ``mean`` (``d,``) and spatial texton ``spot`` (``(n1, n2[, n3], d)``,
        its mean is removed) so that samples are ``mean + spot * W``."""
        spot = as_float_array(spot, "spot")
        mean = as_float_array(mean, "mean", ndim=1)
        if spot.ndim < 2 or spot.shape[-1] != mean.shape[0]:
            raise ValueError(
                f"spot must have shape (n1, n2[, n3], d) with d = len(mean) = {mean.shape[0]}, "
                f"got {spot.shape}"
            )
        D = spot.ndim - 1
        _check_spatial_dims(D)
        spot_hat = sfft.rfftn(spot, axes=_axes(D))
        spot_hat[(0,) * D] = 0.0
        return cls(mean=mean, spot_hat=spot_hat, shape=tuple(spot.shape[:-1]), grey=bool(grey))

    @property
    def spot(self):
        """The texton ``t = (f0 - m) / sqrt(N)`` in space, shape ``(n1, n2[, n3], d)`` (cached)."""
        if "spot" not in self._cache:
            self._cache["spot"] = sfft.irfftn(self.spot_hat, s=self.shape, axes=_axes(self.spatial_dims))
        return self._cache["spot"]

    def spot_hat_on(self, shape=None, dtype=np.float64):
        """rfftn of the spot zero-padded to the spatial ``shape`` (at least the exemplar's), in
        the complex precision matching ``dtype``; cached. Shape ``(*rfft_shape, d)``."""
        shape = _check_shape(shape, self.shape)
        dtype = np.dtype(dtype)
        key = (shape, dtype.str)
        if key not in self._cache:
            if shape == self.shape:
                t_hat = self.spot_hat
            else:
                t = np.zeros(shape + (self.n_channels,))
                t[tuple(slice(0, n) for n in self.shape)] = self.spot
                t_hat = sfft.rfftn(t, axes=_axes(len(shape)))
            cdtype = np.complex64 if dtype == np.float32 else np.complex128
            self._cache[key] = t_hat.astype(cdtype)
        return self._cache[key]


def estimate_model(f0, *, periodic=True, spatial_dims=2):
    """Estimate the stationary Gaussian (spot noise) model of one exemplar.

    Parameters
    ----------
    f0 : ndarray of shape (n1, n2[, n3][, d])
        Exemplar, channels last (optional). Finite real values; a constant exemplar gives the zero
        covariance (every sample is then the constant).
    periodic : bool, default True
        Use Moisan's periodic component of ``f0`` (removes the cross-shaped spectral artefact of
        the border discontinuities). With ``False`` the exemplar is read as periodic as it is.
    spatial_dims : int, default 2 (3 for videos)

    Returns
    -------
    GaussianTextureModel
        ``mean`` (``d,``) and ``spot`` ``t = (f0 - m) / sqrt(N)``.

    Notes
    -----
    ``m = (1/N) sum_x f0(x)`` is the maximum-likelihood mean of any stationary model (the constant
    vector is an eigenvector of every stationary covariance). The covariance is the empirical
    (periodogram) estimate ``c(p) = (1/N) sum_x (f0(x + p) - m)(f0(x) - m)^T``, whose Fourier
    transform ``c_hat(w) = (1/N) g_hat(w) g_hat(w)^* = t_hat(w) t_hat(w)^*`` has rank one at every
    frequency (rank zero at ``w = 0``): this is the spot noise model.

    References
    ----------
    B. Galerne, Y. Gousseau, J.-M. Morel, "Random phase textures: theory and synthesis",
    IEEE Trans. Image Process. 20(1):257-267, 2011.
    G.-S. Xia, S. Ferradans, G. Peyre, J.-F. Aujol, "Synthesizing and mixing stationary Gaussian
    texture models", SIAM J. Imaging Sci. 7(1):476-508, 2014.

    Examples
    --------
    >>> model = estimate_model(np.full((4, 5, 3), 0.5))
    >>> model.mean, model.shape, float(abs(model.spot).max())
    (array([0.5, 0.5, 0.5]), (4, 5), 0.0)
    """
    x, grey = _as_field(f0, "f0", spatial_dims)
    shape = x.shape[:spatial_dims]
    n = int(np.prod(shape))
    origin = (0,) * spatial_dims
    f_hat = sfft.rfftn(x, axes=_axes(spatial_dims))
    mean = f_hat[origin].real / n
    if periodic:  # p_hat = f_hat - s_hat, with s_hat(0) = 0: no inverse FFT needed
        f_hat -= _smooth_hat(x, spatial_dims)
    f_hat[origin] = 0.0  # remove the mean
    f_hat /= np.sqrt(n)
    return GaussianTextureModel(mean=mean, spot_hat=f_hat, shape=tuple(shape), grey=grey)


def _as_model(f0, spatial_dims, periodic):
    if isinstance(f0, GaussianTextureModel):
        return f0
    return estimate_model(f0, periodic=periodic, spatial_dims=spatial_dims)


def apply_covariance(model, v):
    """Apply the model's covariance to a field: ``Sigma v`` in ``O(N d log N)`` by FFT.

    Parameters
    ----------
    model : GaussianTextureModel
    v : ndarray of the exemplar's shape, (n1, n2[, n3][, d])

    Returns
    -------
    ndarray, same shape as ``v``
        ``(Sigma v)(x) = sum_y c(x - y) v(y)`` (a circular convolution), with
        ``c(p) = (1/N) sum_u (f0(u + p) - m)(f0(u) - m)^T``.

    Notes
    -----
    Stationarity makes ``Sigma`` block-circulant, diagonalised by the DFT with ``d x d`` blocks:
    ``(Sigma v)_hat(w) = c_hat(w) v_hat(w)`` and, for the spot noise model,
    ``c_hat(w) v_hat(w) = t_hat(w) (t_hat(w)^* v_hat(w))`` (one inner product in ``C^d`` per
    frequency).

    Examples
    --------
    >>> model = estimate_model(np.arange(6.0).reshape(2, 3), periodic=False)
    >>> delta = np.zeros((2, 3)); delta[0, 0] = 1.0
    >>> round(float(apply_covariance(model, delta)[0, 0]), 6)  # the pixel variance
    2.916667
    """
    if not isinstance(model, GaussianTextureModel):
        raise ValueError(f"model must be a GaussianTextureModel (from estimate_model), got {type(model).__name__}")
    x, grey = _as_field(v, "v", model.spatial_dims)
    if x.shape[:-1] != model.shape or x.shape[-1] != model.n_channels:
        want = model.shape if model.grey else model.shape + (model.n_channels,)
        raise ValueError(f"v must have the exemplar's shape {want}, got {np.shape(v)}")
    axes = _axes(model.spatial_dims)
    t_hat = model.spot_hat
    v_hat = sfft.rfftn(x, axes=axes)
    inner = np.sum(np.conj(t_hat) * v_hat, axis=-1, keepdims=True)
    return _out(sfft.irfftn(t_hat * inner, s=model.shape, axes=axes), grey)


def covariance_matrix(model):
    """The dense ``Nd x Nd`` covariance matrix of a (tiny) model, for teaching and testing only.

    Rows and columns are indexed by ``(x, i)`` in C order (pixel, then channel), i.e. the order of
    ``f.ravel()`` for a field of shape ``(n1, n2[, n3], d)``. Refused above
    :data:`MAX_COVARIANCE_BYTES` (``N d <= 3238``): use :func:`apply_covariance` instead.

    Parameters
    ----------
    model : GaussianTextureModel

    Returns
    -------
    Sigma : ndarray of shape (N d, N d)
        ``Sigma[(x, i), (y, j)] = sum_u t_i(u) t_j(u + y - x) = c(x - y)_{ij}`` (periodic indices), built directly
        from this spatial formula (no FFT), symmetric positive semi-definite of rank ``<= N - 1``.
    """
    if not isinstance(model, GaussianTextureModel):
        raise ValueError(f"model must be a GaussianTextureModel, got {type(model).__name__}")
    N, d = model.n_pixels, model.n_channels
    check_dense_size(
        (N * d, N * d), "covariance_matrix", itemsize=8, limit=MAX_COVARIANCE_BYTES,
        hint="apply the covariance by FFT with apply_covariance(model, v)",
    )
    shape = model.shape
    coords = np.unravel_index(np.arange(N), shape)  # D arrays of length N
    t = model.spot.reshape(N, d)

    def flat_index(sign):
        # C-order index of (u + sign * p) mod shape for every pair: array [p, u] of shape (N, N)
        idx = np.zeros((N, N), dtype=np.intp)
        for c_k, n_k in zip(coords, shape):  # a loop over the D axes
            idx = idx * n_k + (c_k[None, :] + sign * c_k[:, None]) % n_k
        return idx

    # r[p] = sum_u t(u) t(u + p)^T = c(-p) for every shift p (C-order index): shape (N, d, d)
    r = np.einsum("ui,pud->pid", t, t[flat_index(+1)])
    # Sigma[(x, i), (y, j)] = r[y - x]_{ij}; flat_index(-1)[x, y] is the index of y - x
    return r[flat_index(-1)].transpose(0, 2, 1, 3).reshape(N * d, N * d)


def cholesky_synthesis(model, rng=None, *, jitter=1e-10, return_factor=False):
    """Sample the model the textbook way, ``f = m + A w`` with ``Sigma + eps Id = A A^T`` (Cholesky).

    Only for tiny images (``O((Nd)^3)`` time, ``O((Nd)^2)`` memory); :func:`spot_noise` samples
    the same law in ``O(N d log N)``.

    Parameters
    ----------
    model : GaussianTextureModel
    rng : None, int or numpy.random.Generator
    jitter : float, default 1e-10
        ``eps = jitter * mean(diag(Sigma))`` is added to the diagonal: a spot-noise covariance is
        singular (rank ``<= N - 1`` in ``R^{Nd}``) and a Cholesky factorisation needs ``Sigma > 0``.
    return_factor : bool, default False
        Also return the lower-triangular ``A`` and ``eps``.

    Returns
    -------
    f : ndarray, the exemplar's shape
    A : ndarray of shape (N d, N d), only if ``return_factor``
    eps : float, only if ``return_factor``
    """
    rng = check_rng(rng)
    if not np.isfinite(jitter) or jitter <= 0:
        raise ValueError(f"jitter must be a positive number, got {jitter!r}")
    S = covariance_matrix(model)
    eps = jitter * max(float(np.trace(S)) / S.shape[0], 1.0e-300)
    A = np.linalg.cholesky(S + eps * np.eye(S.shape[0]))
    w = rng.standard_normal(S.shape[0])
    f = (A @ w).reshape(model.shape + (model.n_channels,)) + model.mean
    f = _out(f, model.grey)
    return (f, A, eps) if return_factor else f


# --------------------------------------------------------------------------------------------
# synthesis
# --------------------------------------------------------------------------------------------
def _synthesize(model, shape, rng, *, shared_noise, random_phase, dtype):
    shape = _check_shape(shape, model.shape)
    rng = check_rng(rng)
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    axes = _axes(len(shape))
    t_hat = model.spot_hat_on(shape, dtype)
    W_hat = _white_noise_hat(shape, rng, None if shared_noise else model.n_channels, dtype)
    if random_phase:
        # e^{i theta} with theta = arg W_hat: odd phase (theta(-w) = -theta(w)), uniform, and
        # 0 or pi at the self-conjugate frequencies; modulus sqrt(N_out) = E|W_hat|^2 ^ (1/2)
        modulus = np.abs(W_hat)
        modulus[modulus == 0] = 1.0  # probability zero, but never divide by zero
        W_hat = W_hat * (np.sqrt(np.prod(shape, dtype=np.float64)).astype(dtype) / modulus)
    f = sfft.irfftn(t_hat * W_hat, s=shape, axes=axes)
    f += model.mean.astype(dtype)
    return _out(f, model.grey)


def spot_noise(f0, shape=None, rng=None, *, periodic=True, shared_noise=True, spatial_dims=2,
               dtype=np.float64):
    """Asymptotic discrete spot noise (ADSN): a sample of the exemplar's stationary Gaussian model.

    Parameters
    ----------
    f0 : ndarray of shape (n1, n2[, n3][, d]) or GaussianTextureModel
        Exemplar (channels last, optional), or a model from :func:`estimate_model` (faster when
        sampling many times: the spot's FFT is cached).
    shape : tuple of int or int, optional
        Spatial shape of the output (an int means a square, or a cube for videos), at least the
        exemplar's on every axis (default: the exemplar's). A larger output zero-pads the spot;
        the exemplar is never tiled.
    rng : None, int or numpy.random.Generator
    periodic : bool, default True
        Estimate the model on the periodic component of ``f0`` (ignored for a model).
    shared_noise : bool, default True
        Convolve every channel with the **same** white noise (the correct model). ``False``
        convolves each channel with its own independent noise: each channel alone is right, but
        the correlations between channels are lost (colours go grey or rainbow). Shown in the
        tour as the classic mistake.
    spatial_dims : int, default 2 (3 for videos)
    dtype : float32 or float64, default float64
        Precision of the noise and of the FFTs (float32 is faster for large outputs).

    Returns
    -------
    f : ndarray of shape (*shape, d), or ``shape`` for a grey exemplar
        Real. Its spatial mean is exactly ``m`` (the spot has zero mean).

    Notes
    -----
    ``f = m + t * W`` with ``t = (f0 - m) / sqrt(N)`` (zero-padded to the output domain) and
    ``W ~ N(0, Id)`` one real white noise on the output domain: ``f_hat(w) = t_hat(w) W_hat(w)``
    for ``w != 0`` and ``f_hat(0) = N_out m``. Then ``E f = m`` and
    ``Cov(f(x), f(y)) = sum_u t(u + x - y) t(u)^T``: on the exemplar's domain this is the
    empirical covariance ``c(x - y)``, and in Fourier
    ``E[f_hat(w) f_hat(w)^*] = g_hat(w) g_hat(w)^*``. Slide 29 writes
    ``w ~ N(1/N, N^{-1/2} Id)`` for the noise convolved with the *uncentred* exemplar (mean 1/N,
    standard deviation ``N^{-1/2}``): the same law once the mean is handled exactly as here.

    References
    ----------
    J. J. van Wijk, "Spot noise texture synthesis for data visualization", SIGGRAPH 1991.
    B. Galerne, Y. Gousseau, J.-M. Morel, "Random phase textures: theory and synthesis",
    IEEE Trans. Image Process. 20(1):257-267, 2011.

    Examples
    --------
    >>> f0 = np.random.default_rng(0).random((8, 8, 3))
    >>> f = spot_noise(f0, shape=(16, 12), rng=1)
    >>> f.shape, bool(np.allclose(f.mean(axis=(0, 1)), f0.mean(axis=(0, 1))))
    ((16, 12, 3), True)
    """
    model = _as_model(f0, spatial_dims, periodic)
    return _synthesize(model, shape, rng, shared_noise=shared_noise, random_phase=False, dtype=dtype)


def random_phase_noise(f0, shape=None, rng=None, *, periodic=True, shared_noise=True,
                       spatial_dims=2, dtype=np.float64):
    """Random phase noise (RPN): the exemplar's Fourier modulus with a random phase.

    Parameters
    ----------
    f0 : ndarray of shape (n1, n2[, n3][, d]) or GaussianTextureModel
    shape : tuple of int, optional
        Output spatial shape (an int means a square), at least the exemplar's (a larger one
        zero-pads the spot).
    rng : None, int or numpy.random.Generator
    periodic : bool, default True
        Use the periodic component of ``f0`` (ignored for a model).
    shared_noise : bool, default True
        Add the **same** random phase to every channel (keeps the phase differences between
        channels, hence the colours); ``False`` draws one phase per channel (the mistake).
    spatial_dims : int, default 2
    dtype : float32 or float64, default float64

    Returns
    -------
    f : ndarray of shape (*shape, d), or ``shape`` for a grey exemplar

    Notes
    -----
    ``f_hat(w) = sqrt(N_out) t_hat(w) e^{i theta(w)}`` (``w != 0``), ``f_hat(0) = N_out m``, with
    ``theta = arg W_hat`` for a real white noise ``W``: ``theta`` is odd, uniform and independent
    on a half domain, ``0`` or ``pi`` at self-conjugate frequencies, so ``f`` is real. On the
    exemplar's domain ``|f_hat| = |p_hat|`` (``p`` the periodic component) exactly, for every
    sample. RPN has the mean and covariance of the spot noise but is not Gaussian.

    References
    ----------
    B. Galerne, Y. Gousseau, J.-M. Morel, "Micro-texture synthesis by phase randomization",
    Image Processing On Line 1, 2011, doi:10.5201/ipol.2011.ggm_rpn.

    Examples
    --------
    >>> f0 = np.random.default_rng(0).random((6, 7))
    >>> f = random_phase_noise(f0, rng=2, periodic=False)
    >>> bool(np.allclose(abs(np.fft.fft2(f)), abs(np.fft.fft2(f0))))
    True
    """
    model = _as_model(f0, spatial_dims, periodic)
    return _synthesize(model, shape, rng, shared_noise=shared_noise, random_phase=True, dtype=dtype)


def log_spectrum(u, *, spatial_dims=2):
    """Centred log-modulus spectrum ``log(1 + |u_hat|)``, averaged over channels, for display.

    Parameters
    ----------
    u : ndarray of shape (n1, n2[, n3][, d])
    spatial_dims : int, default 2

    Returns
    -------
    ndarray of shape (n1, n2[, n3])
        Zero frequency at the centre (``fftshift``); the mean is removed first so that the
        zero frequency does not dominate the colour scale.
    """
    x, _ = _as_field(u, "u", spatial_dims)
    axes = _axes(spatial_dims)
    x = x - x.mean(axis=axes)
    spec = np.abs(sfft.fftn(x, axes=axes)).mean(axis=-1)
    return sfft.fftshift(np.log1p(spec), axes=axes)


# ============================================================================================
# Mixing: geodesics, distances and barycenters of spot noises (slides 32 and 35), videos (slide 36)
# ============================================================================================
# Taught in tours/11_texture_mixing.ipynb and tours/12_dynamic_textures.ipynb. MATH.md sections 7-8.


def _as_spot_model(f, name, spatial_dims, periodic):
    """A GaussianTextureModel from a model or an exemplar (estimated with its periodic component)."""
    if isinstance(f, GaussianTextureModel):
        return f
    if isinstance(f, StationaryGaussianModel):
        raise ValueError(
            f"{name} must be a spot noise (an exemplar or a GaussianTextureModel); a "
            f"StationaryGaussianModel (e.g. a barycenter) is not a spot noise in general"
        )
    x, _ = _as_field(f, name, spatial_dims)  # checks the layout with a clear message
    return estimate_model(f, periodic=periodic, spatial_dims=spatial_dims)


def _check_same_domain(models, names):
    """Mixing needs one domain: same spatial shape and the same number of channels."""
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


def enlarge_model(f, shape, *, periodic=True, spatial_dims=2):
    """The spot noise model of an exemplar on a larger domain (its spot zero-padded).

    Mixing needs models on one Fourier grid; resizing the exemplars would change the scale of the
    texture, zero-padding the spot does not (the pixel covariance ``sum_u t(u) t(u)^T`` is kept).

    Parameters
    ----------
    f : ndarray of shape (n1, n2[, n3][, d]) or GaussianTextureModel
    shape : tuple of int
        Spatial shape, at least the exemplar's on every axis (crop a larger exemplar instead).
    periodic : bool, default True
    spatial_dims : int, default 2

    Returns
    -------
    GaussianTextureModel
        On ``shape``: its samples are those of ``spot_noise(f, shape=shape)``.

    References
    ----------
    B. Galerne, Y. Gousseau, J.-M. Morel, IEEE TIP 2011; Xia et al., SIAM J. Imaging Sci. 2014
    (model resizing).
    """
    model = _as_spot_model(f, "f", spatial_dims, periodic)
    shape = _check_shape(shape, model.shape)
    spot_hat = np.array(model.spot_hat_on(shape, np.float64), dtype=np.complex128)
    spot_hat[(0,) * len(shape)] = 0.0
    return GaussianTextureModel(mean=model.mean, spot_hat=spot_hat, shape=shape, grey=model.grey)


def _rfft_multiplicity(shape):
    """How many frequencies of the full DFT grid each rfft frequency stands for (1 or 2), shape
    broadcastable to the rfft grid ``(n1, ..., n_D // 2 + 1)``."""
    n = shape[-1]
    mult = np.full(n // 2 + 1, 2.0)
    mult[0] = 1.0
    if n % 2 == 0:
        mult[-1] = 1.0
    return mult.reshape((1,) * (len(shape) - 1) + (-1,))


def _alignment_phase(t0_hat, t1_hat, rtol=1e-12):
    """Unit phase ``t1_hat^* t0_hat / |t1_hat^* t0_hat|`` per frequency, 1 where the inner product
    vanishes (below ``rtol`` times ``|t0_hat| |t1_hat|``, e.g. at the zero frequency)."""
    ip = np.sum(np.conj(t1_hat) * t0_hat, axis=-1)
    mod = np.abs(ip)
    scale = np.linalg.norm(t0_hat, axis=-1) * np.linalg.norm(t1_hat, axis=-1)
    ok = mod > np.maximum(rtol * scale, np.finfo(np.float64).tiny)
    return np.where(ok, ip / np.where(ok, mod, 1.0), 1.0)


def _check_time_scalar(t):
    if isinstance(t, bool) or not np.isscalar(t) or not np.isreal(t) or not np.isfinite(t):
        raise ValueError(f"t must be a real number in [0, 1], got {t!r}")
    t = float(t)
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"t must lie in [0, 1] (0 gives the first texture, 1 the second), got {t}")
    return t


def spot_noise_geodesic(f0, f1, t, *, periodic=True, spatial_dims=2, rtol=1e-12):
    """Point at time ``t`` of the optimal transport geodesic between two spot noise models.

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
    t = _check_time_scalar(t)
    m0 = _as_spot_model(f0, "f0", spatial_dims, periodic)
    m1 = _as_spot_model(f1, "f1", m0.spatial_dims, periodic)
    _check_same_domain([m0, m1], ["f0", "f1"])
    phase = _alignment_phase(m0.spot_hat, m1.spot_hat, rtol)
    spot_hat = (1.0 - t) * m0.spot_hat + t * (m1.spot_hat * phase[..., None])
    mean = (1.0 - t) * m0.mean + t * m1.mean
    return GaussianTextureModel(mean=mean, spot_hat=spot_hat, shape=m0.shape, grey=m0.grey and m1.grey)


def _bures2_per_frequency(C0, C1):
    """Squared Bures distance between stacks of Hermitian PSD matrices (no checks), clipped at 0."""
    R0 = _psd_sqrt(C0)
    w = np.linalg.eigvalsh(R0 @ C1 @ R0)
    tr = np.real(np.trace(C0, axis1=-2, axis2=-1) + np.trace(C1, axis1=-2, axis2=-1))
    return np.maximum(tr - 2.0 * np.sqrt(np.maximum(w, 0.0)).sum(-1), 0.0)


def spot_noise_distance(f0, f1, *, periodic=True, spatial_dims=2):
    """Wasserstein distance ``W2`` between two stationary Gaussian texture models (closed form).

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

    the Bures distance of rank-one covariances frequency by frequency (MATH.md 7.2; the DFT with
    ``1/sqrt(N)`` is unitary). For general models the per-frequency squared Bures distances
    ``B(c0_hat(w), c1_hat(w))^2`` are summed instead (``c_hat`` Hermitian ``d x d``).

    References
    ----------
    Xia, Ferradans, Peyre, Aujol, SIAM J. Imaging Sci. 2014 (see :func:`spot_noise_geodesic`).
    """
    models = []
    for f, name in ((f0, "f0"), (f1, "f1")):
        if isinstance(f, (GaussianTextureModel, StationaryGaussianModel)):
            models.append(f)
        else:
            models.append(_as_spot_model(f, name, spatial_dims, periodic))
    m0, m1 = models
    _check_same_domain([m0, m1], ["f0", "f1"])
    N = m0.n_pixels
    mult = _rfft_multiplicity(m0.shape)
    mean_term = N * float(np.sum((m0.mean - m1.mean) ** 2))
    if isinstance(m0, GaussianTextureModel) and isinstance(m1, GaussianTextureModel):
        u0, u1 = m0.spot_hat, m1.spot_hat
        per = (np.sum(np.abs(u0) ** 2, -1) + np.sum(np.abs(u1) ** 2, -1)
               - 2.0 * np.abs(np.sum(np.conj(u1) * u0, -1)))
        per = np.maximum(per, 0.0)
    else:
        per = _bures2_per_frequency(_cov_hat(m0), _cov_hat(m1))
    return float(np.sqrt(mean_term + np.sum(mult * per)))


def _psd_sqrt(C):
    """PSD square root of a stack of Hermitian matrices (eigenvalues clipped at 0), no checks."""
    w, V = np.linalg.eigh(C)
    return (V * np.sqrt(np.maximum(w, 0.0))[..., None, :]) @ np.conj(np.swapaxes(V, -1, -2))


def _cov_hat(model):
    """Per-frequency covariance ``c_hat(w)`` on the rfft grid, shape ``(*grid, d, d)``."""
    if isinstance(model, StationaryGaussianModel):
        return model.cov_hat
    u = model.spot_hat
    return u[..., :, None] * np.conj(u[..., None, :])


@dataclass(frozen=True, eq=False)
class StationaryGaussianModel(_GridModel):
    """Stationary Gaussian texture model with a general per-frequency covariance.

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
    """

    mean: np.ndarray
    root_hat: np.ndarray
    shape: tuple
    grey: bool = False

    @classmethod
    def from_spot_model(cls, model):
        """The same law as a spot noise model, ``K_hat = t_hat t_hat^* / |t_hat|``."""
        if not isinstance(model, GaussianTextureModel):
            raise ValueError(f"model must be a GaussianTextureModel, got {type(model).__name__}")
        u = model.spot_hat
        nrm = np.linalg.norm(u, axis=-1)
        scale = np.where(nrm > 0, 1.0 / np.where(nrm > 0, nrm, 1.0), 0.0)
        root = u[..., :, None] * np.conj(u[..., None, :]) * scale[..., None, None]
        return cls(mean=model.mean.copy(), root_hat=root, shape=model.shape, grey=model.grey)

    @property
    def cov_hat(self):
        """``c_hat(w) = K_hat(w)^2``, shape ``(*rfft_grid, d, d)``."""
        return self.root_hat @ self.root_hat

    def ranks(self, rtol=1e-6):
        """Rank of ``c_hat(w)`` on the rfft grid: eigenvalues above ``rtol`` times the largest
        one of the same frequency (0 where ``c_hat(w) = 0``, e.g. ``w = 0``). A spot noise has
        rank <= 1 everywhere."""
        w = np.linalg.eigvalsh(self.root_hat) ** 2  # eigenvalues of c_hat = K_hat^2
        top = w[..., -1:]
        return np.sum(w > np.maximum(rtol * top, np.finfo(np.float64).tiny), axis=-1)


def rank_map(model, rtol=1e-6):
    """Per-frequency rank of a 2-D model on the full, centred frequency grid (for display).

    Parameters
    ----------
    model : StationaryGaussianModel or GaussianTextureModel (2 spatial axes)
    rtol : float, default 1e-6

    Returns
    -------
    ndarray of int, shape (n1, n2)
        ``fftshift``-ed: the zero frequency at the centre, as :func:`log_spectrum`.
    """
    if isinstance(model, GaussianTextureModel):
        model = StationaryGaussianModel.from_spot_model(model)
    if not isinstance(model, StationaryGaussianModel) or model.spatial_dims != 2:
        raise ValueError("model must be a 2-D StationaryGaussianModel or GaussianTextureModel")
    half = model.ranks(rtol)
    n1, n2 = model.shape
    k1 = np.arange(n1)[:, None]
    k2 = np.arange(n2)[None, :]
    # rank(-w) = rank(w): the right half of the grid is read at (-k1, -k2)
    use_half = k2 <= n2 // 2
    r1 = np.where(use_half, k1, (-k1) % n1)
    r2 = np.where(use_half, k2, (-k2) % n2)
    return np.fft.fftshift(half[r1, r2])


def _multimarginal_rank_one(U, w, tol, max_iter):
    """Bures barycenter of rank-one covariances ``u_i u_i^*`` at many frequencies at once.

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
    check_every = 3
    for it in range(int(max_iter)):
        Va, Ma = V[active], M[active]
        for i in range(K):  # a loop over the K inputs (block coordinate ascent)
            s = np.einsum("fj,fjr->fr", Ma[:, i, :], Va) - Ma[:, i, i, None] * Va[:, i]
            n = np.linalg.norm(s, axis=-1, keepdims=True)
            Va[:, i] = np.where(n > tiny, s / np.where(n > tiny, n, 1.0), Va[:, i])
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
    """Optimal transport (Wasserstein) barycenter of spot noise texture models (slide 35).

    Parameters
    ----------
    exemplars : sequence of K arrays of shape (n1, n2[, n3][, d]) or GaussianTextureModel
        On one domain with the same channels (otherwise a ``ValueError`` says so).
    weights : ndarray of shape (K,), optional
        Barycentric weights on the simplex (uniform by default).
    tol : float, default 1e-10
        Stopping tolerance, frequency by frequency: the certified relative gap of the barycenter
        energy (``"multimarginal"``) or the fixed-point residual (the other methods).
    max_iter : int, default 3000
        A few hard frequencies may need many iterations; only those are iterated.
    method : {"multimarginal", "fixed_point", "alvarez_esteban"}
        ``"multimarginal"`` (default, fast, exact for rank-one inputs); the other two run
        :func:`ottools.gaussian.bures_barycenter` on all the ``d x d`` covariances, from the
        Euclidean mean (slow: for checks on small images).
    periodic : bool, default True
    spatial_dims : int, default 2 (3 for videos)

    Returns
    -------
    model : StationaryGaussianModel
        Mean ``sum_i w_i m_i`` and, per frequency, the square root of the barycenter covariance;
        sample it with :func:`synthesize` (a ``d``-channel white noise). It is not a spot noise
        in general (see Notes): :meth:`StationaryGaussianModel.ranks` gives the rank per frequency.
    report : ottools.gaussian.BarycenterReport
        Iterations, residual history (largest over the frequencies still running), convergence.

    Notes
    -----
    The barycenter of stationary Gaussian models is stationary and decouples over frequencies:
    ``c(w)`` minimises ``sum_i w_i B(c, c_i(w))^2`` (Bures), i.e. solves the fixed point
    ``c = sum_i w_i (c^{1/2} c_i c^{1/2})^{1/2}`` (Agueh-Carlier 2011; Xia et al. 2014). The zero
    frequency is skipped (all covariances vanish there). Started from a rank-one ``c_i`` this
    fixed point stays rank-one and converges to a wrong point: the fixed-point methods start from
    the Euclidean mean ``sum_i w_i c_i(w)`` (MATH.md 7.3). They converge slowly here: with
    rank-one inputs the barycenter is often rank-deficient.

    The default method uses that the inputs are rank one, ``c_i = u_i u_i^*``. The barycenter is
    the law of ``sum_i w_i X_i`` for the optimal multi-marginal coupling of the ``X_i ~ N(0, c_i)``
    (Agueh-Carlier, Prop. 4.2); writing ``X_i = u_i z_i`` with standard scalar ``z_i`` and
    ``R = E[z z^*]`` (a ``K x K`` correlation matrix), it solves the small semidefinite program

        ``max <M, R>`` over ``R >= 0`` with ``R_ii = 1``, ``M_ij = w_i w_j u_i^* u_j``,

    and ``c = U W R W U^*`` (``U = [u_1 ... u_K]``, ``W = diag(w)``); ``tr c`` is the energy
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
    inputs with real Gram matrices such as the rotated triple of MATH.md 7.3, whose barycenter is
    ``Id / 4``). On natural colour textures rank > 1 stays rare (tour 11 maps it).

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
    if isinstance(exemplars, (np.ndarray, GaussianTextureModel)) or not hasattr(exemplars, "__len__"):
        raise ValueError("exemplars must be a list of K exemplars or models")
    if len(exemplars) < 1:
        raise ValueError("exemplars must hold at least one exemplar")
    if method not in ("multimarginal", "fixed_point", "alvarez_esteban"):
        raise ValueError(f'method must be "multimarginal", "fixed_point" or "alvarez_esteban", got {method!r}')
    if not np.isfinite(tol) or tol <= 0:
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    names = [f"exemplars[{i}]" for i in range(len(exemplars))]
    models = []
    for f, name in zip(exemplars, names):
        models.append(_as_spot_model(f, name, models[0].spatial_dims if models else spatial_dims, periodic))
    _check_same_domain(models, names)
    K = len(models)
    w = check_simplex(weights, K, "weights")
    ref = models[0]
    grid, d = ref.spot_hat.shape[:-1], ref.n_channels
    U = np.stack([m.spot_hat.reshape(-1, d) for m in models])[:, 1:]  # skip w = 0 (flat index 0)
    if method == "multimarginal":
        A, report = _multimarginal_rank_one(U, w, tol, max_iter)
        C = A @ np.conj(np.swapaxes(A, -1, -2))
    else:
        from ottools.gaussian import bures_barycenter  # noqa: PLC0415 (heavy path, checks only)

        covs = U[..., :, None] * np.conj(U[..., None, :])
        # frequencies where every input vanishes stay 0 (residual 0 there)
        C, report = bures_barycenter(covs, w, tol=tol, max_iter=max_iter, method=method)
    root = np.zeros((U.shape[1] + 1, d, d), dtype=np.complex128)
    root[1:] = _psd_sqrt(0.5 * (C + np.conj(np.swapaxes(C, -1, -2))))
    if not report.converged:
        warnings.warn(
            f"spot_noise_barycenter did not reach tol={tol:g} in {max_iter} iterations at every "
            f"frequency (largest residual {report.residuals[-1]:.3g})",
            RuntimeWarning, stacklevel=2,
        )
    mean = np.tensordot(w, np.stack([m.mean for m in models]), axes=(0, 0))
    grey = all(m.grey for m in models)
    return StationaryGaussianModel(mean=mean, root_hat=root.reshape(grid + (d, d)), shape=ref.shape,
                                   grey=grey), report


def synthesize(model, rng=None, *, dtype=np.float64):
    """A sample of a stationary Gaussian texture model, on the model's domain.

    Parameters
    ----------
    model : GaussianTextureModel or StationaryGaussianModel
    rng : None, int or numpy.random.Generator
        Fix it to compare models: with the same seed, only the model changes (a geodesic, a
        barycenter slider).
    dtype : float32 or float64, default float64

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
    if isinstance(model, GaussianTextureModel):
        return _synthesize(model, None, rng, shared_noise=True, random_phase=False, dtype=dtype)
    if not isinstance(model, StationaryGaussianModel):
        raise ValueError(
            f"model must be a GaussianTextureModel or a StationaryGaussianModel, got {type(model).__name__}"
        )
    rng = check_rng(rng)
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    cdtype = np.complex64 if dtype == np.float32 else np.complex128
    W_hat = _white_noise_hat(model.shape, rng, model.n_channels, dtype)
    f_hat = np.einsum("...ij,...j->...i", model.root_hat.astype(cdtype, copy=False), W_hat)
    f = sfft.irfftn(f_hat, s=model.shape, axes=_axes(model.spatial_dims))
    f += model.mean.astype(dtype)
    return _out(f, model.grey)


# --------------------------------------------------------------------------------------------
# synthetic dynamic textures (slide 36): stationary Gaussian space-time fields, coloured
# --------------------------------------------------------------------------------------------
def _video_grid(shape):
    """Frequencies of the rfft grid of a video ``(n1, n2, n3)`` in cycles per pixel / frame."""
    n1, n2, n3 = shape
    k1 = np.fft.fftfreq(n1)[:, None, None]
    k2 = np.fft.fftfreq(n2)[None, :, None]
    nu = np.fft.rfftfreq(n3)[None, None, :]
    return k1, k2, nu


def _check_video_shape(shape):
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise ValueError(f"shape must be (n1, n2, n3), got {shape!r}") from None
    if len(shape) != 3 or min(shape) < 4:
        raise ValueError(f"shape must be (n1, n2, n3) with every size >= 4, got {shape!r}")
    return shape


#: Colour maps of the synthetic videos: stops (value, RGB) of a piecewise-linear palette.
PALETTES = {
    "water": ((0.0, (0.02, 0.10, 0.25)), (0.45, (0.05, 0.35, 0.55)), (0.75, (0.35, 0.70, 0.80)),
              (1.0, (0.92, 0.97, 1.0))),
    "sky": ((0.0, (0.20, 0.40, 0.75)), (0.5, (0.55, 0.70, 0.90)), (0.8, (0.92, 0.93, 0.96)),
            (1.0, (1.0, 1.0, 1.0))),
    "fire": ((0.0, (0.05, 0.0, 0.0)), (0.35, (0.55, 0.05, 0.0)), (0.65, (0.95, 0.45, 0.02)),
             (0.9, (1.0, 0.85, 0.3)), (1.0, (1.0, 1.0, 0.85))),
}


def _colourise(v, palette):
    """Map a field with zero mean and unit variance through a piecewise-linear palette."""
    x = np.clip(0.5 + 0.2 * v, 0.0, 1.0)
    stops = PALETTES[palette]
    pos = np.array([s[0] for s in stops])
    rgb = np.array([s[1] for s in stops])
    return np.stack([np.interp(x, pos, rgb[:, c]) for c in range(3)], axis=-1)


def _video_from_power(power, shape, rng, palette):
    """Gaussian space-time field of power spectrum ``power`` (rfft grid), unit variance, coloured."""
    W_hat = sfft.rfftn(rng.standard_normal(shape), axes=(0, 1, 2))
    power = np.broadcast_to(power, W_hat.shape).copy()
    power.flat[0] = 0.0  # zero mean
    v = sfft.irfftn(W_hat * np.sqrt(power), s=shape, axes=(0, 1, 2))
    v /= max(float(v.std()), np.finfo(np.float64).tiny)
    return v if palette is None else _colourise(v, palette)


def _wrap(nu):
    """Temporal frequency wrapped to [-1/2, 1/2) (aliasing on the frame grid)."""
    return (nu + 0.5) % 1.0 - 0.5


def wave_video(shape=(64, 64, 32), rng=None, *, speed=1.5, damping=0.1, scale=4.0, palette="water"):
    """Synthetic dynamic texture: waves of a damped wave equation driven by random forcing.

    Parameters
    ----------
    shape : (n1, n2, n3)
        Rows, columns, frames.
    rng : None, int or numpy.random.Generator
    speed : float, default 1.5
        Wave speed ``c`` in pixels per frame.
    damping : float, default 0.1
        Damping rate ``gamma`` per frame.
    scale : float, default 4.0
        Length scale of the forcing in pixels (typical wavelength ``~ 2 pi scale``).
    palette : {"water", "sky", "fire"} or None
        ``None`` returns the grey field (zero mean, unit variance).

    Returns
    -------
    video : ndarray of shape (n1, n2, n3, 3) in [0, 1] (or (n1, n2, n3))

    Notes
    -----
    The stationary solution of ``u_tt + gamma u_t - c^2 Lap u = eta``, with ``eta`` white in
    time and band-limited in space (spectrum ``(s |xi|)^4 exp(-(s |xi|)^2)``, ``s = scale``:
    no forcing of the constant mode, whose response would be unbounded), has the space-time power
    spectrum ``|eta_hat(xi)|^2 / ((c^2 |xi|^2 - w^2)^2 + gamma^2 w^2)`` (``xi`` and ``w`` in
    radians per pixel and per frame). It is sampled by filtering a white noise on the space-time
    torus, so the video loops without a seam. Synthetic: no real video ships with the project.
    """
    shape = _check_video_shape(shape)
    rng = check_rng(rng)
    k1, k2, nu = _video_grid(shape)
    xi2 = (2 * np.pi) ** 2 * (k1**2 + k2**2)
    om = 2 * np.pi * nu
    forcing = (xi2 * scale**2) ** 2 * np.exp(-xi2 * scale**2)
    denom = (speed**2 * xi2 - om**2) ** 2 + (damping * om) ** 2
    power = forcing / np.where(denom > 0, denom, 1.0)  # 0 / 0 only at the zero frequency
    return _video_from_power(power, shape, rng, palette)


def cloud_video(shape=(64, 64, 32), rng=None, *, velocity=(0.5, 1.0), lifetime=8.0, beta=3.0,
                palette="sky"):
    """Synthetic dynamic texture: fractal clouds drifting with the wind and slowly reshaping.

    Parameters
    ----------
    shape : (n1, n2, n3)
    rng : None, int or numpy.random.Generator
    velocity : (float, float), default (0.5, 1.0)
        Drift in pixels per frame along rows and columns.
    lifetime : float, default 8.0
        Correlation time in frames of the structures once the drift is removed.
    beta : float, default 3.0
        Spatial spectrum ``|k|^-beta`` (with a low cut): larger is smoother.
    palette : {"sky", "water", "fire"} or None

    Returns
    -------
    video : ndarray of shape (n1, n2, n3, 3) in [0, 1] (or (n1, n2, n3))

    Notes
    -----
    A field advected at velocity ``v`` whose shapes decorrelate like ``exp(-|s| / lifetime)``:
    the power spectrum is ``P(k) L(nu + <k, v>)`` with ``P(k) = (|k|^2 + k0^2)^{-beta/2}`` and the
    Lorentzian ``L(nu) = 2 a / (a^2 + (2 pi nu)^2)``, ``a = 1 / lifetime`` (``k`` in cycles per
    pixel, ``nu`` in cycles per frame, wrapped to the frame grid). Sampled on the space-time torus.
    Synthetic: no real video ships with the project.
    """
    shape = _check_video_shape(shape)
    rng = check_rng(rng)
    k1, k2, nu = _video_grid(shape)
    k0 = 2.0 / max(shape[:2])
    spatial = (k1**2 + k2**2 + k0**2) ** (-beta / 2)
    a = 1.0 / lifetime
    dnu = _wrap(nu + k1 * velocity[0] + k2 * velocity[1])
    power = spatial * 2 * a / (a**2 + (2 * np.pi * dnu) ** 2)
    return _video_from_power(power, shape, rng, palette)


def ar1_video(shape=(64, 64, 32), rng=None, *, rho=0.95, smoothing=1.0, rise=1.5, palette="fire"):
    """Synthetic dynamic texture: an auto-regressive AR(1) field, frequency by frequency (flames).

    Parameters
    ----------
    shape : (n1, n2, n3)
    rng : None, int or numpy.random.Generator
    rho : float in (0, 1), default 0.95
        Memory of the coarsest scales from one frame to the next.
    smoothing : float, default 1.0
        Fine scales forget faster: ``|a(k)| = rho exp(-(2 pi smoothing |k|)^2 / 2)``.
    rise : float, default 1.5
        Upward drift in pixels per frame (the phase of ``a(k)``).
    palette : {"fire", "sky", "water"} or None

    Returns
    -------
    video : ndarray of shape (n1, n2, n3, 3) in [0, 1] (or (n1, n2, n3))

    Notes
    -----
    Per spatial frequency ``k``: ``X_{s+1}(k) = a(k) X_s(k) + b(k) W_s(k)`` with
    ``a(k) = |a(k)| exp(2 i pi k1 rise)`` (a shift of ``rise`` pixels upwards per frame) and
    ``|b(k)|^2 = (k2^2 + (k1 / 2)^2 + k0^2)^{-1.6}`` (tongues twice as tall as wide); this is the AR(1) dynamic texture of Doretto et al. 2003,
    stationary and diagonal in Fourier as in Xia et al. 2014. Its temporal spectrum
    ``|b|^2 / |1 - a e^{-2 i pi nu}|^2`` is sampled on the periodic frame grid, so the video loops
    without a seam (the circular version of the recursion). Synthetic: no real video ships with
    the project.
    """
    shape = _check_video_shape(shape)
    rng = check_rng(rng)
    if not 0.0 < rho < 1.0:
        raise ValueError(f"rho must lie in (0, 1) (a stable AR(1)), got {rho!r}")
    k1, k2, nu = _video_grid(shape)
    k = np.sqrt(k1**2 + k2**2)
    a = rho * np.exp(-0.5 * (2 * np.pi * smoothing * k) ** 2) * np.exp(2j * np.pi * k1 * rise)
    k0 = 2.0 / max(shape[:2])
    b2 = (k2**2 + (0.5 * k1) ** 2 + k0**2) ** -1.6
    power = b2 / np.abs(1.0 - a * np.exp(-2j * np.pi * nu)) ** 2
    return _video_from_power(power, shape, rng, palette)


#: The synthetic dynamic textures by name (tour 12).
DYNAMIC_TEXTURES = {"waves": wave_video, "clouds": cloud_video, "flames": ar1_video}
