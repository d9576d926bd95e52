r"""The undecimated steerable pyramid, computed in the Fourier domain (Simoncelli & Freeman 1995).

The multiscale, oriented domain of pyramid-based texture synthesis: Heeger & Bergen (1995) match
the histogram of every band of this pyramid; Rabin, Peyre, Delon & Bernot (2011) replace these 1-D
matchings by sliced optimal transport of the colour clouds of the bands (:func:`band_clouds`).
Tour 13 teaches it (the pyramid of an exemplar, its tight-frame identities asserted).

Conventions
-----------
* An image is a real array of shape ``(H, W)`` (grey) or ``(H, W, c)`` (``c`` channels, last),
  with any real values (the pyramid is linear: it is applied to noise and to periodic components
  as well as to images in ``[0, 1]``). Each channel is transformed independently, all of them in
  one vectorised FFT.
* The domain is the discrete torus (periodic boundary), the DFT is numpy's, unnormalised. On an
  ``H x W`` grid the frequencies are ``omega = (omega_1, omega_2)`` with
  ``omega_1 = 2 pi fftfreq(H)`` along the rows (downwards) and ``omega_2 = 2 pi fftfreq(W)`` along
  the columns, both in ``[-pi, pi)``; ``r = |omega| / pi`` (1 at the Nyquist frequency of an axis)
  and ``theta = atan2(omega_1, omega_2)``.
* With ``J`` scales and ``K`` orientations the pyramid has ``2 + J K`` bands, in this order: the
  high-pass residual, the oriented bands ``(j, k)`` for ``j = 0..J-1`` (fine to coarse) and
  ``k = 0..K-1`` (band ``1 + j K + k``), the low-pass residual. Each band is an image of the same
  size as the input (undecimated), so the coefficients form one array of shape
  ``(2 + J K, H, W[, c])``. Band ``(j, k)`` responds to oscillations of wave vector
  ``omega`` at angle ``theta`` near ``pi k / K`` (``k = 0``: variations along the columns, i.e.
  vertical stripes) and radius ``r`` between ``2^-(j+2)`` and ``2^-j`` (peak at ``2^-(j+1)``).

Formulas
--------
With ``L(r) = 1`` for ``r <= 1/2``, ``cos(pi/2 log2(2 r))`` for ``1/2 < r < 1``, ``0`` for
``r >= 1``, ``Hr(r) = sqrt(1 - L(r)^2)``, ``n = K - 1`` and
``alpha_K^2 = 4^n (n!)^2 / (K (2n)!)``, the frequency responses (masks) of the bands are::

    high:        Hr(r)
    band (j, k): (-i)^n alpha_K cos(theta - pi k / K)^n L(2^j r) Hr(2^(j+1) r)
    low:         L(2^J r)

and band ``b`` of an image ``f`` is ``c_b = IFFT(psi_b FFT(f))``. Since ``L(2^j r) L(2^(j+1) r) =
L(2^(j+1) r)`` the radial parts telescope, and ``sum_k alpha_K^2 cos(theta - pi k / K)^(2n) = 1``,
so ``sum_b |psi_b(omega)|^2 = 1`` at every frequency: the bands form a *Parseval (tight) frame*,
``sum_b ||c_b||^2 = ||f||^2``, and the adjoint ``f = sum_b IFFT(conj(psi_b) FFT(c_b))`` is the
inverse (:func:`synthesis`). Every mask is Hermitian, ``psi_b(-omega) = conj(psi_b(omega))``, and
the oriented masks vanish for ``r >= 1`` (the Nyquist lines of even sizes and the corners belong to
the high-pass band, which is real and even), so every band of a real image is real, for even and
odd sizes alike. ``K = 1`` (``n = 0``) gives an isotropic, Laplacian-like pyramid.

These are the radial and angular functions of the frequency-domain steerable pyramid of pyrtools
(``SteerablePyramidFreq``, transition width one octave), without its decimation: that pyramid
halves the spectrum after each low-pass and is not exactly invertible for odd sizes; this one keeps
every band at full size and is exactly invertible for every size. Its largest height,
``floor(log2(min(H, W))) - 2`` scales, is kept (:func:`max_scales`): beyond it the low-pass band
would hold only a couple of frequencies.

Implementation: the bands of a real image are real, so only half of the spectrum is computed
(``scipy.fft.rfft2`` / ``irfft2``), about twice as fast as complex FFTs followed by ``np.real``.
An inverse real FFT silently symmetrises its input, which would hide a wrong (non-Hermitian) mask
as surely as ``np.real``; so the masks are built with an exactly odd angular factor
(``cos(theta - phi) = (omega_2 cos phi + omega_1 sin phi) / |omega|``), and every set of
half-plane masks is checked for the Hermitian symmetry that the inverse real FFT assumes (on the
columns ``omega_2 = 0`` and ``omega_2 = -pi``) before it is used.

References
----------
E. P. Simoncelli, W. T. Freeman, "The steerable pyramid: a flexible architecture for multi-scale
derivative computation", Proc. IEEE Int. Conf. on Image Processing (ICIP), vol. 3, pp. 444-447, 1995.
D. J. Heeger, J. R. Bergen, "Pyramid-based texture analysis/synthesis", Proc. SIGGRAPH 1995,
pp. 229-238.
J. Portilla, E. P. Simoncelli, "A parametric texture model based on joint statistics of complex
wavelet coefficients", Int. J. Comput. Vis. 40(1):49-70, 2000.
T. Briand, J. Vacher, B. Galerne, J. Rabin, "The Heeger & Bergen pyramid based texture synthesis
algorithm", Image Processing On Line 4:276-299, 2014, doi:10.5201/ipol.2014.79.
J. Rabin, G. Peyre, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
mixing", SSVM 2011, LNCS 6667, pp. 435-446, 2012.
pyrtools, ``SteerablePyramidFreq`` (Laboratory for Computational Vision, NYU).
"""

from __future__ import annotations

from math import factorial
from typing import NamedTuple, Optional

import numpy as np
from scipy import fft as sfft

from ottools._validate import as_float_array, check_int, check_memory, check_shape

__all__ = [
    "MAX_PYRAMID_BYTES",
    "MAX_ORIENTATIONS",
    "max_scales",
    "steerable_masks",
    "analysis",
    "synthesis",
    "band_clouds",
    "clouds_to_coefficients",
]

#: Largest amount of memory (bytes) one call allocates, 2 GiB, counting the coefficients
#: ``(2 + J K) H W c`` float64 numbers, the half-plane masks (about ``(2 + J K) H W / 2`` complex
#: numbers) and the FFT buffers: about ``8 (2 + J K) H W (c + 1)`` bytes. For instance
#: ``512 x 512 x 3`` with ``J = 5, K = 4`` needs 0.22 GiB, and ``J = K = 4`` fits up to about
#: ``1650 x 1650`` in colour (``2300 x 2300`` grey). Larger requests are refused before allocating.
MAX_PYRAMID_BYTES = 2 * 1024**3

#: Largest number of orientations (``K``); ``K = 1`` is the isotropic pyramid.
MAX_ORIENTATIONS = 8

# The FFTs run over groups of bands whose complex buffers hold at most this many bytes: one group
# for small images, one band at a time for large ones (measured in benchmarks/bench_pyramid.py:
# the same speed as all the bands at once, and far less memory).
_CHUNK_BYTES = 4 * 1024**2

# Largest defect of Hermitian symmetry allowed in the masks (their values are at most 1); the
# masks are Hermitian exactly by construction, so any defect is a bug, not rounding.
_HERMITIAN_ATOL = 1e-12

_HINT = "use fewer scales or orientations, a smaller image, or fewer channels at a time"


class Band(NamedTuple):
    r"""Description of one band: ``kind`` is ``"high"``, ``"band"`` or ``"low"``; ``scale`` is ``j``
    (``None`` for the high-pass, ``J`` for the low-pass); ``orientation`` is ``k`` (``None`` for the
    residuals), the band's angle being ``pi k / K``."""

    kind: str
    scale: Optional[int]
    orientation: Optional[int]


# --------------------------------------------------------------------------------------------
# sizes and checks (the checkers themselves are those of ottools._validate)
# --------------------------------------------------------------------------------------------
def _max_scales(H, W):
    r"""``floor(log2(min(H, W))) - 2``, at least 0 (exact integer arithmetic)."""
    return max(int(min(H, W)).bit_length() - 3, 0)


def _n_bands(J, K):
    return 2 + J * K


def _bands(J, K):
    r"""The :class:`Band` descriptions, in the order of the coefficient array."""
    return (
        (Band("high", None, None),)
        + tuple(Band("band", j, k) for j in range(J) for k in range(K))
        + (Band("low", J, None),)
    )


def _mask_bytes(H, Wc, J, K):
    r"""Complex masks ``(2 + J K, H, Wc)`` and the real temporaries of their construction."""
    return float(H) * Wc * (16.0 * _n_bands(J, K) + 8.0 * (J + K + 6))


def _chunk(H, W, c, nb):
    r"""Number of bands per FFT group: complex buffers of at most ``_CHUNK_BYTES``."""
    per_band = 16.0 * H * (W // 2 + 1) * c
    return int(max(1, min(nb, _CHUNK_BYTES // per_band)))


def _pyramid_bytes(H, W, c, J, K):
    r"""Memory of one analysis or synthesis: the coefficients ``8 nb H W c``, the half-plane masks,
    the image and its spectrum, and the FFT buffers of one group of bands (three of them: the
    product, the inverse FFT's intermediate and its output)."""
    nb = _n_bands(J, K)
    Wh = W // 2 + 1
    ch = _chunk(H, W, c, nb)
    return (8.0 * nb * H * W * c + _mask_bytes(H, Wh, J, K) + 8.0 * H * W * c + 16.0 * H * Wh * c
            + ch * (32.0 * H * Wh * c + 8.0 * H * W * c))


def _scales_and_orientations(n_scales, n_orientations, H, W, what, name):
    r"""``n_scales`` in ``1..max_scales`` for a grid ``H x W`` (``what``: how the grid was given,
    ``name``: the argument it came from) and ``n_orientations`` in ``1..MAX_ORIENTATIONS``."""
    K = check_int(n_orientations, "n_orientations", minimum=1, maximum=MAX_ORIENTATIONS)
    J = check_int(n_scales, "n_scales", minimum=1)
    top = _max_scales(H, W)
    if top < 1:
        raise ValueError(
            f"{name} is too small for a steerable pyramid: {what} has min(H, W) = {min(H, W)}, "
            f"and one scale (n_scales = 1) needs at least 8 pixels on each axis"
        )
    if J > top:
        raise ValueError(
            f"n_scales must be at most floor(log2(min(H, W))) - 2 = {top} for {what}, got {J}"
        )
    return J, K


def _as_image(img, name):
    r"""``(x, grey)``: ``x`` float64 of shape ``(H, W, c)``, and whether ``img`` was grey ``(H, W)``."""
    x = as_float_array(img, name, ndim=(2, 3))
    grey = x.ndim == 2
    if grey:
        x = x[..., None]
    if x.size == 0:
        raise ValueError(f"{name} is empty, shape {x.shape[:2] if grey else x.shape}")
    return x, grey


# --------------------------------------------------------------------------------------------
# masks
# --------------------------------------------------------------------------------------------
def _masks(H, W, J, K, half):
    r"""The masks ``psi_b`` on the full grid ``(2 + J K, H, W)``, or on the half grid of ``rfft2``
    (``half=True``: the columns ``omega_2 = 2 pi fftfreq(W)[:W // 2 + 1]``, the last one being
    ``-pi`` for even ``W``, so the half masks are exactly the first columns of the full ones)."""
    f2 = np.fft.fftfreq(W)
    if half:
        f2 = f2[: W // 2 + 1]
    w1 = (2.0 * np.pi) * np.fft.fftfreq(H)[:, None]
    w2 = (2.0 * np.pi) * f2[None, :]
    norm = np.hypot(w1, w2)
    with np.errstate(divide="ignore"):
        rho = np.log2(norm / np.pi)  # log2 r
    rho[0, 0] = -(J + 3.0)  # r = 0: below every transition (the masks are 0 or 1 there)
    Wc = w2.shape[1]
    # Each transition of L(2^j r) and Hr(2^j r) lies in one octave of r: with rho = o + t
    # (o = floor(rho), 0 <= t < 1), L(2^j r) = cos(pi t / 2) and Hr(2^j r) = sin(pi t / 2) on the
    # octave o = -j - 1, and they are 1 / 0 (below) or 0 / 1 (above). One cosine and one sine of
    # the grid serve every scale.
    o = np.floor(rho)
    t = (0.5 * np.pi) * (rho - o)
    C, S = np.cos(t), np.sin(t)

    def lo(j):  # L(2^j r)
        return np.where(o < -j - 1, 1.0, np.where(o == -j - 1, C, 0.0))

    def band(j):  # L(2^j r) Hr(2^(j+1) r): Hr's transition on octave -j - 2, then L's on -j - 1
        return np.where(o == -j - 2, S, np.where(o == -j - 1, C, 0.0))

    nb = _n_bands(J, K)
    out = np.zeros((nb, H, Wc), dtype=np.complex128)
    out.real[0] = np.where(o < -1, 0.0, np.where(o == -1, S, 1.0))  # Hr(r)
    out.real[-1] = lo(J)
    n = K - 1
    alpha = np.sqrt(4.0**n * factorial(n) ** 2 / (K * factorial(2 * n)))
    # cos(theta - phi_k) = <omega, (sin phi_k, cos phi_k)> / |omega|: exactly odd in omega, so the
    # masks are exactly Hermitian (an atan2 followed by a cosine is odd only up to rounding)
    phi = np.pi * np.arange(K) / K
    ang = w2[None] * np.cos(phi)[:, None, None] + w1[None] * np.sin(phi)[:, None, None]
    ang /= np.where(norm > 0.0, norm, 1.0)
    cos_n = np.ones_like(ang)  # cos^n by n <= 7 products (np.power is ten times slower); 1 for n = 0
    for _ in range(n):
        cos_n *= ang
    ang = cos_n  # (K, H, Wc); 1 at omega = 0 for n = 0, where the radial part vanishes
    # (-i)^n alpha = 1, -i, -1, i (times alpha) for n = 0, 1, 2, 3 mod 4: a real or an imaginary part
    ang *= (1.0, -1.0, -1.0, 1.0)[n % 4] * alpha
    part = out.real if n % 2 == 0 else out.imag
    rad = np.stack([band(j) for j in range(J)])  # (J, H, Wc): a loop over the J scales
    target = part[1:-1]
    target.shape = (J, K, H, Wc)  # a view of the output (setting .shape never copies)
    np.multiply(rad[:, None], ang[None], out=target)
    return out


def _hermitian_defect(half, W):
    r"""Largest ``|psi(-omega) - conj(psi(omega))|`` on the self-conjugate columns of the half
    masks (``omega_2 = 0``, and ``omega_2 = -pi`` for even ``W``): the only symmetry that an inverse
    real FFT assumes instead of computing (every other half-plane value fixes its mirror image)."""
    cols = [0] + ([W // 2] if W % 2 == 0 else [])
    sub = half[:, :, cols]
    mirror = np.roll(sub[:, ::-1], 1, axis=1)  # row index -k1 mod H
    return float(np.abs(mirror - sub.conj()).max(initial=0.0))


def _half_masks(H, W, J, K):
    r"""The masks on the ``rfft2`` half grid, checked Hermitian where ``irfft2`` would not notice."""
    half = _masks(H, W, J, K, half=True)
    defect = _hermitian_defect(half, W)
    if not defect <= _HERMITIAN_ATOL:
        raise RuntimeError(
            f"internal error: the steerable masks are not Hermitian (defect {defect:.3g} on a "
            f"{H} x {W} grid, n_scales={J}, n_orientations={K}); the bands would not be real"
        )
    return half


# --------------------------------------------------------------------------------------------
# unchecked cores: x of shape (H, W, c), coefficients of shape (nb, H, W, c)
# --------------------------------------------------------------------------------------------
def _analysis(x, J, K, masks=None):
    H, W, c = x.shape
    if masks is None:
        masks = _half_masks(H, W, J, K)
    nb = masks.shape[0]
    F = sfft.rfft2(x, axes=(0, 1))
    out = np.empty((nb, H, W, c))
    step = _chunk(H, W, c, nb)
    for s in range(0, nb, step):  # a loop over groups of bands (see _CHUNK_BYTES)
        prod = masks[s:s + step, :, :, None] * F[None]
        out[s:s + step] = sfft.irfft2(prod, s=(H, W), axes=(1, 2), overwrite_x=True)
    return out


def _synthesis(coeffs, J, K, masks=None):
    nb, H, W, c = coeffs.shape
    if masks is None:
        masks = _half_masks(H, W, J, K)
    acc = np.zeros((H, W // 2 + 1, c), dtype=np.complex128)
    step = _chunk(H, W, c, nb)
    for s in range(0, nb, step):  # a loop over groups of bands (see _CHUNK_BYTES)
        C = sfft.rfft2(coeffs[s:s + step], axes=(1, 2), overwrite_x=False)
        C *= masks[s:s + step, :, :, None].conj()
        acc += C.sum(axis=0)
    return sfft.irfft2(acc, s=(H, W), axes=(0, 1), overwrite_x=True)


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------
def max_scales(shape):
    r"""Largest number of scales of a steerable pyramid on an image of this shape.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W)`` or an image shape ``(H, W, c)`` (only ``H`` and ``W`` count).

    Returns
    -------
    J_max : int
        ``floor(log2(min(H, W))) - 2``, or 0 when ``min(H, W) < 8`` (too small for one scale).

    Notes
    -----
    The bound of pyrtools' steerable pyramids: the low-pass band of ``J`` scales keeps the
    frequencies ``r < 2^-J``, at least about 2 frequency samples on each axis at ``J = J_max``.

    Examples
    --------
    >>> max_scales((256, 256)), max_scales((100, 130, 3)), max_scales((7, 7))
    (6, 4, 0)
    """
    H, W = check_shape(shape, "shape", ndim=(2, 3))[:2]
    return _max_scales(H, W)


def steerable_masks(shape, n_scales, n_orientations):
    r"""The frequency responses of the ``2 + J K`` bands of the steerable pyramid on an ``H x W`` grid.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W)``, at least 8 on each axis.
    n_scales : int
        ``J``, from 1 to :func:`max_scales` ``(shape)``.
    n_orientations : int
        ``K``, from 1 (isotropic) to :data:`MAX_ORIENTATIONS` (8).

    Returns
    -------
    masks : ndarray of complex128, shape (2 + J K, H, W)
        ``masks[b]`` is ``psi_b`` on numpy's FFT grid (zero frequency at ``[0, 0]``; use
        ``np.fft.fftshift(masks, axes=(1, 2))`` to centre it): band ``b`` of an image ``f`` is
        ``np.fft.ifft2(masks[b] * np.fft.fft2(f))``, real up to rounding. Real for odd ``K``,
        purely imaginary oriented bands for even ``K``.
    bands : tuple of Band
        One ``Band(kind, scale, orientation)`` per mask: ``("high", None, None)``, then
        ``("band", j, k)`` for ``j < J``, ``k < K`` (index ``1 + j K + k``), then ``("low", J, None)``.

    Notes
    -----
    With ``r = |omega| / pi``, ``theta = atan2(omega_1, omega_2)``, ``n = K - 1`` and
    ``alpha_K^2 = 4^n (n!)^2 / (K (2n)!)``::

        L(r) = 1 (r <= 1/2),  cos(pi/2 log2(2 r)) (1/2 < r < 1),  0 (r >= 1);  Hr = sqrt(1 - L^2)
        psi_high = Hr(r)
        psi_(j,k) = (-i)^n alpha_K cos(theta - pi k / K)^n L(2^j r) Hr(2^(j+1) r)
        psi_low  = L(2^J r)

    ``sum_b |psi_b|^2 = 1`` at every frequency (a Parseval frame), every mask is Hermitian and
    the oriented masks vanish for ``r >= 1``. The cost is ``O((2 + J K) H W)``; memory
    ``16 (2 + J K) H W`` bytes, at most :data:`MAX_PYRAMID_BYTES`.

    References
    ----------
    E. P. Simoncelli, W. T. Freeman, "The steerable pyramid: a flexible architecture for
    multi-scale derivative computation", ICIP 1995.

    Examples
    --------
    >>> masks, bands = steerable_masks((32, 31), 2, 4)
    >>> masks.shape, bands[5]
    ((10, 32, 31), Band(kind='band', scale=1, orientation=0))
    >>> float(np.abs((np.abs(masks) ** 2).sum(axis=0) - 1).max()) < 1e-14
    True
    """
    H, W = check_shape(shape, "shape", ndim=2)
    J, K = _scales_and_orientations(n_scales, n_orientations, H, W, f"shape = {(H, W)}", "shape")
    check_memory(_mask_bytes(H, W, J, K), f"steerable_masks(shape={(H, W)}, n_scales={J}, "
                 f"n_orientations={K})", hint=_HINT, limit=MAX_PYRAMID_BYTES)
    return _masks(H, W, J, K, half=False), _bands(J, K)


def analysis(img, n_scales, n_orientations):
    r"""Steerable pyramid of an image: its ``2 + J K`` real, full-size bands.

    Parameters
    ----------
    img : ndarray of shape (H, W) or (H, W, c)
        A real image (any real values), grey or with ``c`` channels (last axis), at least 8
        pixels on each axis. Each channel is transformed independently.
    n_scales : int
        ``J``, from 1 to ``max_scales(img.shape)`` = ``floor(log2(min(H, W))) - 2``.
    n_orientations : int
        ``K``, from 1 (isotropic pyramid) to :data:`MAX_ORIENTATIONS` (8).

    Returns
    -------
    coeffs : ndarray of shape (2 + J K, H, W) or (2 + J K, H, W, c)
        ``coeffs[b] = IFFT(psi_b FFT(img))`` (per channel): the high-pass band, the oriented bands
        ``(j, k)`` at index ``1 + j K + k``, the low-pass band. Grey in, grey bands out.
    bands : tuple of Band
        The description of each band, ``Band(kind, scale, orientation)`` (see
        :func:`steerable_masks`).

    Notes
    -----
    The masks ``psi_b`` are those of :func:`steerable_masks`: with ``r = |omega| / pi``,
    ``theta = atan2(omega_1, omega_2)`` and ``n = K - 1``, ``psi_high = Hr(r)``,
    ``psi_(j,k) = (-i)^n alpha_K cos(theta - pi k / K)^n L(2^j r) Hr(2^(j+1) r)`` and
    ``psi_low = L(2^J r)``, where ``L`` is a raised cosine in ``log2 r`` falling from 1 at
    ``r = 1/2`` to 0 at ``r = 1`` and ``Hr = sqrt(1 - L^2)``. They form a Parseval frame:
    ``sum_b ||coeffs[b]||^2 = ||img||^2`` and :func:`synthesis` (the adjoint) inverts this
    function exactly. Band ``(j, k)`` holds the oscillations of radius ``r`` in
    ``[2^-(j+2), 2^-j]`` (``r = 1`` at the Nyquist frequency) and angle ``theta`` near ``pi k / K``
    (``theta = atan2(omega_rows, omega_columns)``: ``k = 0`` responds to vertical stripes). Cost:
    ``O((2 + J K) c H W log(H W))``, real FFTs of the half spectrum; memory about
    ``8 (2 + J K) H W (c + 1)`` bytes, at most :data:`MAX_PYRAMID_BYTES`.

    References
    ----------
    E. P. Simoncelli, W. T. Freeman, ICIP 1995; D. J. Heeger, J. R. Bergen, SIGGRAPH 1995;
    T. Briand, J. Vacher, B. Galerne, J. Rabin, IPOL 4:276-299, 2014 (see the module docstring).

    Examples
    --------
    >>> img = np.random.default_rng(0).random((32, 32, 3))
    >>> coeffs, bands = analysis(img, 2, 4)
    >>> coeffs.shape, bands[0].kind, bands[-1]
    ((10, 32, 32, 3), 'high', Band(kind='low', scale=2, orientation=None))
    >>> round(float((coeffs ** 2).sum() / (img ** 2).sum()), 12)
    1.0
    """
    x, grey = _as_image(img, "img")
    H, W, c = x.shape
    J, K = _scales_and_orientations(n_scales, n_orientations, H, W, f"an image of shape {np.shape(img)}",
                                    "img")
    check_memory(_pyramid_bytes(H, W, c, J, K),
                 f"the steerable pyramid of img (shape {np.shape(img)}, n_scales={J}, n_orientations={K})",
                 hint=_HINT, limit=MAX_PYRAMID_BYTES)
    out = _analysis(x, J, K)
    return (out[..., 0] if grey else out), _bands(J, K)


def synthesis(coeffs, n_scales, n_orientations):
    r"""The image whose steerable pyramid is ``coeffs``: the adjoint of :func:`analysis`, its inverse.

    Parameters
    ----------
    coeffs : ndarray of shape (2 + J K, H, W) or (2 + J K, H, W, c)
        Real band coefficients, in the order of :func:`analysis` (high-pass, oriented bands
        ``(j, k)`` at ``1 + j K + k``, low-pass); any real values (for instance bands whose
        histograms were modified).
    n_scales : int
        ``J``, from 1 to ``floor(log2(min(H, W))) - 2``.
    n_orientations : int
        ``K``, from 1 to :data:`MAX_ORIENTATIONS` (8).

    Returns
    -------
    img : ndarray of shape (H, W) or (H, W, c)
        ``sum_b IFFT(conj(psi_b) FFT(coeffs[b]))``, per channel.

    Notes
    -----
    Since ``sum_b |psi_b|^2 = 1``, ``synthesis(analysis(f)) = f`` exactly (up to rounding), and
    ``<analysis(f), C> = <f, synthesis(C)>`` for every ``C``. For coefficients that are not the
    pyramid of an image, ``analysis(synthesis(C))`` is the orthogonal projection of ``C`` onto
    the pyramids of images (the closest one in the sum of squares). Cost and memory as
    :func:`analysis`.

    References
    ----------
    E. P. Simoncelli, W. T. Freeman, ICIP 1995 (see the module docstring).

    Examples
    --------
    >>> img = np.random.default_rng(0).random((24, 20))
    >>> coeffs, _ = analysis(img, 2, 3)
    >>> float(np.abs(synthesis(coeffs, 2, 3) - img).max()) < 1e-13
    True
    """
    arr = as_float_array(coeffs, "coeffs", ndim=(3, 4))
    if arr.size == 0:
        raise ValueError(f"coeffs is empty, shape {arr.shape}")
    grey = arr.ndim == 3
    if grey:
        arr = arr[..., None]
    nb, H, W, c = arr.shape
    J, K = _scales_and_orientations(n_scales, n_orientations, H, W, f"bands of shape {(H, W)}", "coeffs")
    if nb != _n_bands(J, K):
        raise ValueError(
            f"coeffs must hold 2 + n_scales * n_orientations = {_n_bands(J, K)} bands on its first "
            f"axis (n_scales={J}, n_orientations={K}), got {nb}"
        )
    check_memory(_pyramid_bytes(H, W, c, J, K),
                 f"synthesis from coeffs (shape {np.shape(coeffs)}, n_scales={J}, n_orientations={K})",
                 hint=_HINT, limit=MAX_PYRAMID_BYTES)
    out = _synthesis(arr, J, K)
    return out[..., 0] if grey else out


def band_clouds(coeffs):
    r"""The coefficients of each band as a point cloud: one point of ``R^c`` per pixel.

    Parameters
    ----------
    coeffs : ndarray of shape (n_bands, H, W) or (n_bands, H, W, c)
        Band coefficients, as returned by :func:`analysis`.

    Returns
    -------
    clouds : ndarray of shape (n_bands, H W, c)
        ``clouds[b]`` is the ``N x c`` cloud ``{coeffs[b](x)}_x`` (``N = H W``, pixels in row-major
        order; ``c = 1`` for grey bands): the empirical measure of the band that Heeger-Bergen
        (``c = 1``) and sliced optimal transport (``c = 3``) match to the exemplar's. A view of
        ``coeffs`` when it is a float64 C-contiguous array (no copy).

    Notes
    -----
    :func:`clouds_to_coefficients` puts the clouds back into the shape of the coefficients.

    References
    ----------
    J. Rabin, G. Peyre, J. Delon, M. Bernot, SSVM 2011 (see the module docstring).

    Examples
    --------
    >>> coeffs, _ = analysis(np.random.default_rng(0).random((16, 16, 3)), 1, 4)
    >>> band_clouds(coeffs).shape
    (6, 256, 3)
    """
    arr = as_float_array(coeffs, "coeffs", ndim=(3, 4))
    if arr.size == 0:
        raise ValueError(f"coeffs is empty, shape {arr.shape}")
    nb, H, W = arr.shape[:3]
    c = arr.shape[3] if arr.ndim == 4 else 1
    return arr.reshape(nb, H * W, c)


def clouds_to_coefficients(clouds, shape):
    r"""Band clouds back to band coefficients: the inverse of :func:`band_clouds`.

    Parameters
    ----------
    clouds : ndarray of shape (n_bands, N, c)
        One ``N x c`` cloud per band, pixels in row-major order.
    shape : tuple of int
        The image shape ``(H, W)`` (grey bands, ``c = 1``) or ``(H, W, c)``, with ``H W = N``.

    Returns
    -------
    coeffs : ndarray of shape (n_bands, H, W) or (n_bands, H, W, c)
        A view of ``clouds`` when it is a float64 C-contiguous array.

    Examples
    --------
    >>> coeffs, _ = analysis(np.random.default_rng(0).random((16, 12)), 1, 2)
    >>> bool(np.array_equal(clouds_to_coefficients(band_clouds(coeffs), (16, 12)), coeffs))
    True
    """
    arr = as_float_array(clouds, "clouds", ndim=3)
    if arr.size == 0:
        raise ValueError(f"clouds is empty, shape {arr.shape}")
    shape = check_shape(shape, "shape", ndim=(2, 3))
    nb, N, c = arr.shape
    want_c = shape[2] if len(shape) == 3 else 1
    if shape[0] * shape[1] != N or want_c != c:
        raise ValueError(
            f"shape = {shape} does not match clouds of shape {arr.shape}: it needs H W = N = {N} "
            f"and {c} channel(s) ({'(H, W)' if c == 1 else f'(H, W, {c})'})"
        )
    return arr.reshape((nb,) + shape)
