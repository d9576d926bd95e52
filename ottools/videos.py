r"""Synthetic dynamic textures: stationary Gaussian space-time fields, coloured (waves, clouds, flames).

Used by ``tours/12_dynamic_textures.ipynb`` (slides 36-37 of the talk) as exemplars for the
space-time texture models of :mod:`ottools.textures` and :mod:`ottools.texture_mixing`: no real
video ships with the project. Each generator filters a white noise on the space-time torus by a
documented power spectrum, so every video loops without a seam.
"""

from __future__ import annotations

import numpy as np
from scipy import fft as sfft

from ottools._validate import check_rng

__all__ = ["wave_video", "cloud_video", "ar1_video", "DYNAMIC_TEXTURES", "PALETTES"]

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
