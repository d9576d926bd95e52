r"""Stationary Gaussian texture models: periodic component, spot noise and random phase noise.

Taught in ``tours/09_gaussian_textures.ipynb`` (slides 26-29 of the talk). Mixing these models
(geodesics, distances and barycenters) is in :mod:`ottools.texture_mixing`, the synthetic videos of
tour 12 in :mod:`ottools.videos`.

Conventions
-----------
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

import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy import fft as sfft

from ottools._validate import (
    ArgumentTypeError,
    as_complex_array,
    as_float_array,
    check_bool,
    check_dense_size,
    check_dtype,
    check_int,
    check_memory,
    check_rng,
    check_shape,
    check_tol,
)

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
    "enlarge_model",
]

#: Largest dense covariance matrix (bytes) that :func:`covariance_matrix` builds: 80 MiB,
#: i.e. ``N d <= 3238`` (a 56 x 56 grey image, or 32 x 32 in colour).
MAX_COVARIANCE_BYTES = 80 * 1024**2


# --------------------------------------------------------------------------------------------
# fields and output shapes (the checks themselves are those of ottools._validate)
# --------------------------------------------------------------------------------------------
def _spatial_dims(spatial_dims):
    return check_int(spatial_dims, "spatial_dims", minimum=1, maximum=3)


def _as_field(u, name, spatial_dims):
    r"""Return ``(x, grey)``: ``x`` float64 of shape ``(n1, ..., nD, d)`` and whether ``u`` was grey.

    ``spatial_dims`` is already checked."""
    if isinstance(u, _GridModel):
        raise ArgumentTypeError(f"{name} must be an array here, got a {type(u).__name__}")
    arr = np.asarray(u) if isinstance(u, (np.ndarray, list, tuple)) or hasattr(u, "__array__") else None
    if arr is None:
        raise ArgumentTypeError(f"{name} must be a numeric array, got {type(u).__name__}")
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


def _synthesis_bytes(shape, d, itemsize):
    r"""Memory of one synthesis on ``shape``: the padded spot and its FFT, the noise and its FFT,
    the product and the output, about ``N_out (4 d + 2)`` numbers of ``itemsize`` bytes."""
    return float(np.prod([float(n) for n in shape])) * (4 * d + 2) * itemsize


def _output_shape(shape, exemplar_shape, d, itemsize=8):
    r"""Output spatial shape: ``None`` (the exemplar's) or integers at least the exemplar's on every
    axis, whose synthesis fits in :data:`ottools._validate.MAX_DENSE_BYTES`."""
    D = len(exemplar_shape)
    if shape is None:
        shape = tuple(exemplar_shape)
    else:
        if isinstance(shape, numbers.Integral) and not isinstance(shape, (bool, np.bool_)):
            shape = (shape,) * D
        shape = check_shape(shape, "shape", ndim=D)
        if any(s < e for s, e in zip(shape, exemplar_shape)):
            raise ValueError(
                f"shape={shape} is smaller than the exemplar {tuple(exemplar_shape)} on some axis; "
                f"the spot cannot be cropped without changing the model: crop the exemplar first "
                f"(the output must be at least as large as the exemplar on every axis)"
            )
    check_memory(_synthesis_bytes(shape, d, itemsize), f"a synthesis of shape={shape}",
                 hint="synthesise a smaller texture, or in float32")
    return shape


# --------------------------------------------------------------------------------------------
# Fourier helpers
# --------------------------------------------------------------------------------------------
def _axes(spatial_dims):
    return tuple(range(spatial_dims))


def _laplacian_symbol(shape):
    r"""Eigenvalues ``sum_k (2 - 2 cos(2 pi w_k / n_k))`` of the periodic Laplacian on the rfft grid."""
    D = len(shape)
    lam = 0.0
    for k, n in enumerate(shape):
        w = np.arange(n // 2 + 1) if k == D - 1 else np.arange(n)
        term = 2.0 - 2.0 * np.cos(2.0 * np.pi * w / n)
        lam = lam + term.reshape((-1,) + (1,) * (D - 1 - k))
    return lam


def _white_noise_hat(shape, rng, channels, dtype):
    r"""rfftn of real white noise ``N(0, Id)`` of spatial ``shape``, with ``channels`` channels
    (``None``: one noise, shape ``(*rfft_shape, 1)``, broadcast over the channels)."""
    c = 1 if channels is None else channels
    W = rng.standard_normal(tuple(shape) + (c,), dtype=dtype)
    return sfft.rfftn(W, axes=_axes(len(shape)))


def _boundary_image_hat(x, spatial_dims):
    r"""rfftn of Moisan's boundary image ``v = Lap_per x - Lap_int x`` in ``O(N d)`` plus FFTs of the
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
    r"""rfftn of Moisan's smooth component: ``s_hat = v_hat / lambda`` (``w != 0``), ``s_hat(0) = 0``."""
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
    r"""Moisan's periodic plus smooth decomposition ``u = p + s``, channel by channel.

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
    spatial_dims = _spatial_dims(spatial_dims)
    x, grey = _as_field(u, "u", spatial_dims)
    s = sfft.irfftn(_smooth_hat(x, spatial_dims), s=x.shape[:spatial_dims], axes=_axes(spatial_dims))
    return _out(x - s, grey), _out(s, grey)


def periodic_component(u, *, spatial_dims=2):
    r"""Periodic component ``p`` of Moisan's decomposition ``u = p + s`` (see
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
    spatial_dims = _spatial_dims(spatial_dims)
    x, grey = _as_field(u, "u", spatial_dims)
    s = sfft.irfftn(_smooth_hat(x, spatial_dims), s=x.shape[:spatial_dims], axes=_axes(spatial_dims))
    return _out(x - s, grey)


# --------------------------------------------------------------------------------------------
# the stationary Gaussian (spot noise) model
# --------------------------------------------------------------------------------------------
class _GridModel:
    r"""What the texture models share: a spatial grid ``shape`` and a mean colour ``mean`` of shape (d,)."""

    @property
    def spatial_dims(self):
        return len(self.shape)

    @property
    def n_pixels(self):
        r"""``N = n1 * n2 [* n3]``."""
        return int(np.prod(self.shape))

    @property
    def n_channels(self):
        return int(np.shape(self.mean)[-1])


def _rfft_grid(shape):
    r"""Shape of the rfftn of a real field of spatial ``shape`` (half of the last axis)."""
    return tuple(shape[:-1]) + (shape[-1] // 2 + 1,)


def _vanishes_at_zero(coef_hat, D):
    r"""Is the zero-frequency coefficient 0 up to rounding (relative to the largest coefficient)?"""
    zero = np.abs(coef_hat[(0,) * D]).max(initial=0.0)
    return zero <= 1e-12 * np.abs(coef_hat).max(initial=0.0)


def _model_grid(shape, mean, grey):
    r"""The fields both texture models share, checked: ``shape``, ``mean`` (finite, ``d >= 1``), ``grey``."""
    shape = check_shape(shape, "shape", ndim=(1, 2, 3))
    mean = as_float_array(mean, "mean", ndim=1)
    if mean.shape[0] < 1:
        raise ValueError("mean must hold one value per channel (d >= 1), got an empty array")
    grey = check_bool(grey, "grey")
    if grey and mean.shape[0] != 1:
        raise ValueError(f"grey=True needs one channel, got a mean of {mean.shape[0]} channels")
    return shape, mean, grey


@dataclass(frozen=True, eq=False)
class GaussianTextureModel(_GridModel):
    r"""Stationary Gaussian (spot noise) texture model, usually from :func:`estimate_model`.

    It is stored in Fourier, where the covariance is diagonal by blocks. The constructor checks
    its fields (finite values, matching shapes, a spot of zero mean).

    Attributes
    ----------
    mean : ndarray of shape (d,)
        Mean colour ``m``.
    spot_hat : complex ndarray of shape (n1, n2 // 2 + 1, d) (``(n1, n2, n3 // 2 + 1, d)`` for videos)
        ``scipy.fft.rfftn`` over the spatial axes of the normalised centred texton
        ``t = (f0 - m) / sqrt(N)``; ``spot_hat[0, 0] = 0``. The covariance is
        ``c_hat(w) = t_hat(w) t_hat(w)^*`` (rank one per frequency, :attr:`cov_hat`). As for any
        rfft, the spot in space is ``irfftn(spot_hat)``, which keeps the Hermitian part only.
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

    def __post_init__(self):
        shape, mean, grey = _model_grid(self.shape, self.mean, self.grey)
        spot_hat = as_complex_array(self.spot_hat, "spot_hat")
        want = _rfft_grid(shape) + (mean.shape[0],)
        if spot_hat.shape != want:
            raise ValueError(
                f"spot_hat must have shape {want} (the rfft grid of shape={shape}, then the "
                f"{mean.shape[0]} channel(s) of mean), got {spot_hat.shape}"
            )
        if not _vanishes_at_zero(spot_hat, len(shape)):
            raise ValueError("spot_hat must vanish at the zero frequency (the spot has zero mean; "
                             "the mean colour is mean)")
        for key, value in (("shape", shape), ("mean", mean), ("spot_hat", spot_hat), ("grey", grey)):
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_cache", {})

    @classmethod
    def _trusted(cls, mean, spot_hat, shape, grey=False):
        r"""A model from fields that are right by construction (no checks)."""
        obj = object.__new__(cls)
        for key, value in (("mean", mean), ("spot_hat", spot_hat), ("shape", tuple(shape)),
                           ("grey", bool(grey)), ("_cache", {})):
            object.__setattr__(obj, key, value)
        return obj

    @classmethod
    def from_spot(cls, mean, spot, *, grey=False):
        r"""Model with mean ``mean`` (``d,``) and spatial texton ``spot`` (``(n1, n2[, n3], d)``,
        its mean is removed) so that samples are ``mean + spot * W``."""
        mean = as_float_array(mean, "mean", ndim=1)
        spot = as_float_array(spot, "spot", ndim=(2, 3, 4))
        if spot.shape[-1] != mean.shape[0] or spot.size == 0:
            raise ValueError(
                f"spot must have shape (n1, n2[, n3], d) with d = len(mean) = {mean.shape[0]}, "
                f"got {spot.shape}"
            )
        shape, mean, grey = _model_grid(spot.shape[:-1], mean, grey)
        D = spot.ndim - 1
        spot_hat = sfft.rfftn(spot, axes=_axes(D))
        spot_hat[(0,) * D] = 0.0
        return cls._trusted(mean, spot_hat, shape, grey)

    @property
    def spot(self):
        r"""The texton ``t = (f0 - m) / sqrt(N)`` in space, shape ``(n1, n2[, n3], d)`` (cached)."""
        if "spot" not in self._cache:
            self._cache["spot"] = sfft.irfftn(self.spot_hat, s=self.shape, axes=_axes(self.spatial_dims))
        return self._cache["spot"]

    @property
    def cov_hat(self):
        r"""Per-frequency covariance ``c_hat(w) = t_hat(w) t_hat(w)^*`` on the rfft grid, shape
        ``(*rfft_grid, d, d)`` (rank one, 0 at ``w = 0``)."""
        u = self.spot_hat
        return u[..., :, None] * np.conj(u[..., None, :])

    def spot_hat_on(self, shape=None, dtype=np.float64):
        r"""rfftn of the spot zero-padded to the spatial ``shape`` (at least the exemplar's), in
        the complex precision matching ``dtype``; cached. Shape ``(*rfft_shape, d)``."""
        dtype = check_dtype(dtype, "dtype")
        shape = _output_shape(shape, self.shape, self.n_channels, dtype.itemsize)
        return self._spot_hat_on(shape, dtype)

    def _spot_hat_on(self, shape, dtype):
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
    r"""Estimate the stationary Gaussian (spot noise) model of one exemplar.

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
    periodic = check_bool(periodic, "periodic")
    spatial_dims = _spatial_dims(spatial_dims)
    return _estimate_model(f0, "f0", periodic, spatial_dims)


def _estimate_model(f0, name, periodic, spatial_dims):
    x, grey = _as_field(f0, name, spatial_dims)
    shape = x.shape[:spatial_dims]
    n = int(np.prod(shape))
    origin = (0,) * spatial_dims
    f_hat = sfft.rfftn(x, axes=_axes(spatial_dims))
    mean = f_hat[origin].real / n
    if periodic:  # p_hat = f_hat - s_hat, with s_hat(0) = 0: no inverse FFT needed
        f_hat -= _smooth_hat(x, spatial_dims)
    f_hat[origin] = 0.0  # remove the mean
    f_hat /= np.sqrt(n)
    return GaussianTextureModel._trusted(mean, f_hat, shape, grey)


def _as_model(f0, name, spatial_dims, periodic):
    r"""A model given, or estimated from an exemplar (``spatial_dims`` and ``periodic`` checked)."""
    if isinstance(f0, GaussianTextureModel):
        return f0
    return _estimate_model(f0, name, periodic, spatial_dims)


def apply_covariance(model, v):
    r"""Apply the model's covariance to a field: ``Sigma v`` in ``O(N d log N)`` by FFT.

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
    _texture_model(model)
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
    r"""The dense ``Nd x Nd`` covariance matrix of a (tiny) model, for teaching and testing only.

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
    _texture_model(model)
    return _covariance_matrix(model)


def _covariance_matrix(model):
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
    r"""Sample the model the textbook way, ``f = m + A w`` with ``Sigma + eps Id = A A^T`` (Cholesky).

    Only for tiny images (``O((Nd)^3)`` time, ``O((Nd)^2)`` memory); :func:`spot_noise` samples
    the same law in ``O(N d log N)``.

    Parameters
    ----------
    model : GaussianTextureModel
    rng : None, int or numpy.random.Generator
    jitter : float in (0, 1], default 1e-10
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
    _texture_model(model)
    rng = check_rng(rng)
    jitter = check_tol(jitter, "jitter")
    return_factor = check_bool(return_factor, "return_factor")
    S = covariance_matrix(model)
    eps = jitter * max(float(np.trace(S)) / S.shape[0], np.finfo(np.float64).tiny)
    try:
        A = np.linalg.cholesky(S + eps * np.eye(S.shape[0]))
    except np.linalg.LinAlgError:
        raise ValueError(
            f"jitter={jitter:g} is too small: Sigma + eps Id is not positive definite in floating "
            f"point (Sigma is singular); use a jitter of at least about 1e-12"
        ) from None
    w = rng.standard_normal(S.shape[0])
    f = (A @ w).reshape(model.shape + (model.n_channels,)) + model.mean
    f = _out(f, model.grey)
    return (f, A, eps) if return_factor else f


# --------------------------------------------------------------------------------------------
# synthesis
# --------------------------------------------------------------------------------------------
def _texture_model(model, name="model"):
    if not isinstance(model, GaussianTextureModel):
        raise ArgumentTypeError(
            f"{name} must be a GaussianTextureModel (from estimate_model), got {type(model).__name__}"
        )
    return model


def _sample(f0, shape, rng, periodic, shared_noise, spatial_dims, dtype, random_phase):
    r"""The boundary of :func:`spot_noise` and :func:`random_phase_noise`: every check, then the core."""
    periodic = check_bool(periodic, "periodic")
    shared_noise = check_bool(shared_noise, "shared_noise")
    spatial_dims = _spatial_dims(spatial_dims)
    dtype = check_dtype(dtype, "dtype")
    rng = check_rng(rng)
    model = _as_model(f0, "f0", spatial_dims, periodic)
    shape = _output_shape(shape, model.shape, model.n_channels, dtype.itemsize)
    return _synthesize(model, shape, rng, shared_noise=shared_noise, random_phase=random_phase, dtype=dtype)


def _synthesize(model, shape, rng, *, shared_noise, random_phase, dtype):
    r"""A sample of ``model`` on the checked spatial ``shape``: ``m + t * W`` (or its random phase)."""
    axes = _axes(len(shape))
    t_hat = model._spot_hat_on(shape, dtype)
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
    r"""Asymptotic discrete spot noise (ADSN): a sample of the exemplar's stationary Gaussian model.

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
        Output dtype, also the precision of the noise and of the FFTs (float32 is faster for
        large outputs).

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
    return _sample(f0, shape, rng, periodic, shared_noise, spatial_dims, dtype, random_phase=False)


def random_phase_noise(f0, shape=None, rng=None, *, periodic=True, shared_noise=True,
                       spatial_dims=2, dtype=np.float64):
    r"""Random phase noise (RPN): the exemplar's Fourier modulus with a random phase.

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
        Output dtype (and precision of the noise and of the FFTs).

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
    return _sample(f0, shape, rng, periodic, shared_noise, spatial_dims, dtype, random_phase=True)


def log_spectrum(u, *, spatial_dims=2):
    r"""Centred log-modulus spectrum ``log(1 + |u_hat|)``, averaged over channels, for display.

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
    spatial_dims = _spatial_dims(spatial_dims)
    x, _ = _as_field(u, "u", spatial_dims)
    axes = _axes(spatial_dims)
    x = x - x.mean(axis=axes)
    spec = np.abs(sfft.fftn(x, axes=axes)).mean(axis=-1)
    return sfft.fftshift(np.log1p(spec), axes=axes)



def enlarge_model(f, shape, *, periodic=True, spatial_dims=2):
    r"""The spot noise model of an exemplar on a larger domain (its spot zero-padded).

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
    periodic = check_bool(periodic, "periodic")
    spatial_dims = _spatial_dims(spatial_dims)
    model = _as_model(f, "f", spatial_dims, periodic)
    if shape is None:
        raise ArgumentTypeError("shape must be a tuple of integers (the larger spatial shape), got None")
    shape = _output_shape(shape, model.shape, model.n_channels)
    spot_hat = np.array(model._spot_hat_on(shape, np.dtype(np.float64)), dtype=np.complex128)
    spot_hat[(0,) * len(shape)] = 0.0
    return GaussianTextureModel._trusted(model.mean, spot_hat, shape, model.grey)
