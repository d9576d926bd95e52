r"""Synthetic dynamic textures: stationary Gaussian space-time fields, coloured (waves, clouds, flames).

Used by ``tours/12_dynamic_textures.ipynb`` (slides 36-37 of the talk) as exemplars for the
space-time texture models of :mod:`ottools.textures` and :mod:`ottools.texture_mixing`: no real
video ships with the project. Each generator filters a white noise on the space-time torus by a
documented power spectrum, so every video loops without a seam.
"""

from __future__ import annotations

import numpy as np
from scipy import fft as sfft

from ottools._validate import (
    as_float_array,
    check_memory,
    check_option,
    check_real,
    check_rng,
    check_shape,
)

__all__ = ["wave_video", "cloud_video", "ar1_video", "DYNAMIC_TEXTURES", "PALETTES"]

def _video_grid(shape):
    r"""Frequencies of the rfft grid of a video ``(n1, n2, n3)`` in cycles per pixel / frame."""
    n1, n2, n3 = shape
    k1 = np.fft.fftfreq(n1)[:, None, None]
    k2 = np.fft.fftfreq(n2)[None, :, None]
    nu = np.fft.rfftfreq(n3)[None, None, :]
    return k1, k2, nu


#: Bytes per space-time sample of a generator: the noise, its FFT, the spectrum, the product,
#: the field, and the colourised video (3 channels) with its intermediates, about 10 float64.
_BYTES_PER_SAMPLE = 10 * 8

#: Documented ranges of the parameters (beyond them the spectrum underflows or overflows on any
#: grid): rates per frame, times in frames, spectral exponents.
MAX_RATE = 1e3
MIN_TIME, MAX_TIME = 1e-3, 1e6
MAX_EXPONENT = 10.0


def _video_setup(shape, rng, palette):
    r"""The arguments every generator shares, checked: the shape (three sizes >= 4, within the
    memory limit), the generator and the palette."""
    shape = check_shape(shape, "shape", ndim=3, minimum=4)
    check_memory(float(np.prod([float(n) for n in shape])) * _BYTES_PER_SAMPLE, f"a video of shape={shape}",
                 hint="generate a smaller video")
    rng = check_rng(rng)
    if palette is not None:
        palette = check_option(palette, "palette", tuple(PALETTES))
    return shape, rng, palette


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
    r"""Map a field with zero mean and unit variance through a piecewise-linear palette."""
    x = np.clip(0.5 + 0.2 * v, 0.0, 1.0)
    stops = PALETTES[palette]
    pos = np.array([s[0] for s in stops])
    rgb = np.array([s[1] for s in stops])
    return np.stack([np.interp(x, pos, rgb[:, c]) for c in range(3)], axis=-1)


def _video_from_power(power, shape, rng, palette, params):
    r"""Gaussian space-time field of power spectrum ``power`` (rfft grid), unit variance, coloured.

    ``params`` names the parameters of the spectrum, for the message when they leave no power on
    the grid (the video would be constant)."""
    power = np.broadcast_to(power, _rfft_shape(shape)).copy()
    power.flat[0] = 0.0  # zero mean
    if not np.all(np.isfinite(power)) or not power.max() > 0:
        raise ValueError(
            f"the parameters {params} leave no finite power on the grid of shape={shape} "
            f"(the video would be constant or NaN); choose values within their documented ranges"
        )
    W_hat = sfft.rfftn(rng.standard_normal(shape), axes=(0, 1, 2))
    v = sfft.irfftn(W_hat * np.sqrt(power / power.max()), s=shape, axes=(0, 1, 2))
    std = float(v.std())
    if not std > 0:  # only if the power sits on frequencies whose noise is 0: probability zero
        raise ValueError(f"the parameters {params} give a constant video on shape={shape}")
    v /= std
    return v if palette is None else _colourise(v, palette)


def _rfft_shape(shape):
    return tuple(shape[:-1]) + (shape[-1] // 2 + 1,)


def _wrap(nu):
    r"""Temporal frequency wrapped to [-1/2, 1/2) (aliasing on the frame grid)."""
    return (nu + 0.5) % 1.0 - 0.5


def wave_video(shape=(64, 64, 32), rng=None, *, speed=1.5, damping=0.1, scale=4.0, palette="water"):
    r"""Synthetic dynamic texture: waves of a damped wave equation driven by random forcing.

    Parameters
    ----------
    shape : (n1, n2, n3)
        Rows, columns, frames, each at least 4; refused above the memory limit
        (:data:`ottools._validate.MAX_DENSE_BYTES` for about 10 float64 numbers per sample).
    rng : None, int or numpy.random.Generator
    speed : float in (0, max(n1, n2)], default 1.5
        Wave speed ``c`` in pixels per frame.
    damping : float in (0, MAX_RATE], default 0.1
        Damping rate ``gamma`` per frame (0 would leave undamped resonances: infinite power).
    scale : float in (0, max(n1, n2)], default 4.0
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
    shape, rng, palette = _video_setup(shape, rng, palette)
    n = max(shape[:2])
    speed = check_real(speed, "speed", minimum=0.0, strict=True, maximum=n)
    damping = check_real(damping, "damping", minimum=0.0, strict=True, maximum=MAX_RATE)
    scale = check_real(scale, "scale", minimum=0.0, strict=True, maximum=n)
    k1, k2, nu = _video_grid(shape)
    xi2 = (2 * np.pi) ** 2 * (k1**2 + k2**2)
    om = 2 * np.pi * nu
    forcing = (xi2 * scale**2) ** 2 * np.exp(-xi2 * scale**2)
    denom = (speed**2 * xi2 - om**2) ** 2 + (damping * om) ** 2
    power = forcing / np.where(denom > 0, denom, 1.0)  # 0 / 0 only at the zero frequency
    return _video_from_power(power, shape, rng, palette, "speed, damping, scale")


def cloud_video(shape=(64, 64, 32), rng=None, *, velocity=(0.5, 1.0), lifetime=8.0, beta=3.0,
                palette="sky"):
    r"""Synthetic dynamic texture: fractal clouds drifting with the wind and slowly reshaping.

    Parameters
    ----------
    shape : (n1, n2, n3)
    rng : None, int or numpy.random.Generator
    velocity : (float, float), default (0.5, 1.0)
        Drift in pixels per frame along rows and columns, each at most ``max(n1, n2)`` in
        absolute value.
    lifetime : float in [MIN_TIME, MAX_TIME], default 8.0
        Correlation time in frames of the structures once the drift is removed.
    beta : float in [0, MAX_EXPONENT], default 3.0
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
    shape, rng, palette = _video_setup(shape, rng, palette)
    n = max(shape[:2])
    velocity = as_float_array(velocity, "velocity", ndim=1)
    if velocity.shape != (2,) or np.abs(velocity).max() > n:
        raise ValueError(
            f"velocity must be two numbers (rows, columns) of at most {n} pixels per frame in absolute "
            f"value, got {velocity.tolist()}"
        )
    lifetime = check_real(lifetime, "lifetime", minimum=MIN_TIME, maximum=MAX_TIME)
    beta = check_real(beta, "beta", minimum=0.0, maximum=MAX_EXPONENT)
    k1, k2, nu = _video_grid(shape)
    k0 = 2.0 / n
    spatial = (k1**2 + k2**2 + k0**2) ** (-beta / 2)
    a = 1.0 / lifetime
    dnu = _wrap(nu + k1 * velocity[0] + k2 * velocity[1])
    power = spatial * 2 * a / (a**2 + (2 * np.pi * dnu) ** 2)
    return _video_from_power(power, shape, rng, palette, "velocity, lifetime, beta")


def ar1_video(shape=(64, 64, 32), rng=None, *, rho=0.95, smoothing=1.0, rise=1.5, palette="fire"):
    r"""Synthetic dynamic texture: an auto-regressive AR(1) field, frequency by frequency (flames).

    Parameters
    ----------
    shape : (n1, n2, n3)
    rng : None, int or numpy.random.Generator
    rho : float in (0, 1), default 0.95
        Memory of the coarsest scales from one frame to the next.
    smoothing : float in [0, max(n1, n2)], default 1.0
        Fine scales forget faster: ``|a(k)| = rho exp(-(2 pi smoothing |k|)^2 / 2)``.
    rise : float in [-max(n1, n2), max(n1, n2)], default 1.5
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
    shape, rng, palette = _video_setup(shape, rng, palette)
    n = max(shape[:2])
    rho = check_real(rho, "rho", minimum=0.0, strict=True, maximum=1.0)
    if rho == 1.0:
        raise ValueError("rho must lie in (0, 1) (a stable AR(1)), got 1")
    smoothing = check_real(smoothing, "smoothing", minimum=0.0, maximum=n)
    rise = check_real(rise, "rise", minimum=-n, maximum=n)
    k1, k2, nu = _video_grid(shape)
    k = np.sqrt(k1**2 + k2**2)
    a = rho * np.exp(-0.5 * (2 * np.pi * smoothing * k) ** 2) * np.exp(2j * np.pi * k1 * rise)
    k0 = 2.0 / max(shape[:2])
    b2 = (k2**2 + (0.5 * k1) ** 2 + k0**2) ** -1.6
    power = b2 / np.abs(1.0 - a * np.exp(-2j * np.pi * nu)) ** 2
    return _video_from_power(power, shape, rng, palette, "rho, smoothing, rise")


#: The synthetic dynamic textures by name (tour 12).
DYNAMIC_TEXTURES = {"waves": wave_video, "clouds": cloud_video, "flames": ar1_video}
