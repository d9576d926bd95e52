r"""Texture synthesis and mixing by sliced optimal transport in the steerable pyramid domain.

A texture is described by the distributions of the responses of a multiscale, oriented filter bank
(the bands of :mod:`ottools.pyramid`) and by the distribution of its pixel colours (Rabin, Peyre,
Delon & Bernot 2011). A synthesis starts from noise and alternates projections onto these
distributions: every band of the current image is moved so that its cloud of coefficients matches the
exemplar's (sliced transport, exact sorting in 1-D), the image is rebuilt from its bands, and its
pixel colours are matched to the exemplar's. In grey this is exactly Heeger & Bergen's algorithm
(1995); in colour the joint 3-D sliced projection keeps the colour correlations that per-channel
matching loses. Mixing replaces each target cloud by a sliced barycenter of the exemplars' clouds.
Tour 13 teaches it.

Conventions
-----------
* Images are grey ``(H, W)`` or RGB ``(H, W, 3)`` arrays in ``[0, 1]`` (``uint8`` is divided by
  255); ``c`` is the number of channels (1 or 3), ``N = H W`` the number of pixels of the output
  and ``N0 = H0 W0`` that of an exemplar. A point cloud is an ``(N, d)`` array for the uniform
  probability measure ``mu = (1/N) sum_i delta_(X_i)``; ``W_2^2`` and ``SW_2^2`` are
  probability-normalised, the directions of ``SW_2`` uniform on the sphere (as in
  :mod:`ottools.sliced`).
* The pyramid has ``J`` scales (``n_scales``) and ``K`` orientations (``n_orientations``), hence
  ``2 + J K`` bands ``c_b = psi_b * f`` (a Parseval frame: the synthesis, its adjoint, inverts the
  analysis). The statistics of an exemplar ``u0`` are taken on its periodic component ``p0``
  (Moisan's decomposition, the improvement of Briand et al. 2014: otherwise the bands see the cross
  of the border discontinuities), the pixel colours on ``u0`` itself.
* *Band clouds* (``clouds="band"``): one cloud ``Y_b = {c_b(p0)(x)}_x`` of ``R^c`` per band.
  *Scale clouds* (``clouds="scale"``): per scale ``j`` one cloud of ``R^(c K)`` joining the ``K``
  orientations at each pixel; the high- and low-pass residuals stay band clouds.

Sliced projection
-----------------
For an orthonormal basis ``Theta = (theta_1, ..., theta_d)`` (rows) and a target cloud ``Y``, one
step (iterative distribution transfer, the stochastic Newton step of :func:`ottools.sliced.sliced_transport`)
is ``T_Theta(X; Y)_i = sum_k <Y_(tau_k(i)), theta_k> theta_k``, ``tau_k(i)`` the point of ``Y`` of the
same rank as ``X_i`` along ``theta_k``. The sliced projection ``Pi_n(X; Y)`` is ``n`` such steps
with fresh Haar-random bases. When ``Y`` has ``M != N`` points, the sorted projections of ``Y`` are
read at the *nearest ranks* ``floor((i + 1/2) M / N)``, ``i = 0..N-1``: no interpolation, which
would create values inside the gaps of a histogram (Tartavel et al. 2015). In 1-D one step is exact
histogram specification (sorting).

Memory
------
Every public function adds up its large arrays before allocating and refuses a computation above
:data:`MAX_SYNTHESIS_BYTES` (2 GiB): the exemplars' and the output's pyramids with their masks and
FFT buffers, the target clouds ``8 (2 + J K) c N0`` bytes, and one sliced step (the clouds, their
projections, targets and displacements) ``40 (2 + J K) c N``. A ``256 x 256`` RGB synthesis from a
``128 x 128`` exemplar with ``J = K = 4`` is counted 0.22 GiB (its measured peak is 0.15 GiB); the
limit is reached near ``850 x 850`` in colour.

References
----------
J. Rabin, G. Peyre, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
mixing", SSVM 2011, LNCS 6667, pp. 435-446, 2012.
D. J. Heeger, J. R. Bergen, "Pyramid-based texture analysis/synthesis", Proc. SIGGRAPH 1995,
pp. 229-238.
T. Briand, J. Vacher, B. Galerne, J. Rabin, "The Heeger & Bergen pyramid based texture synthesis
algorithm", Image Processing On Line 4:276-299, 2014, doi:10.5201/ipol.2014.79.
G. Tartavel, Y. Gousseau, G. Peyre, "Variational texture synthesis with sparsity and spectrum
constraints", J. Math. Imaging Vis. 52(1):124-144, 2015.
J. Portilla, E. P. Simoncelli, "A parametric texture model based on joint statistics of complex
wavelet coefficients", Int. J. Comput. Vis. 40(1):49-70, 2000 (context: joint statistics beyond
the marginals).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import fft as sfft
from scipy import ndimage

from ottools import pyramid, sliced, textures
from ottools._validate import (
    as_float_array,
    check_bool,
    check_callable,
    check_image,
    check_int,
    check_max_iter,
    check_memory,
    check_option,
    check_rng,
    check_sequence,
    check_shape,
    check_simplex,
)

__all__ = [
    "MAX_SYNTHESIS_BYTES",
    "CLOUDS",
    "SynthesisReport",
    "sliced_synthesis",
    "heeger_bergen",
    "sliced_mixing",
    "spectrum_projection",
    "band_distance",
    "pixel_distance",
    "spectrum_distance",
    "band_kurtosis",
    "kurtosis_error",
]

#: Largest amount of memory (bytes) one call allocates, 2 GiB (see the module docstring).
MAX_SYNTHESIS_BYTES = 2 * 1024**3

#: The groupings of the pyramid coefficients into target clouds: ``"band"`` (one cloud of
#: ``R^c`` per band) and ``"scale"`` (one cloud of ``R^(c K)`` per scale, joint across orientations).
CLOUDS = ("band", "scale")

#: Default number of scales: 4, or fewer when the images are too small (``max_scales``).
DEFAULT_SCALES = 4

#: Luma weights (ITU-R BT.601) of the luminance whose spectrum :func:`spectrum_distance` compares.
LUMA = np.array([0.299, 0.587, 0.114])

_HINT = "synthesise a smaller texture, or use fewer scales or orientations"


@dataclass
class SynthesisReport:
    r"""What a synthesis did.

    Attributes
    ----------
    iterations : int
        Outer iterations run (``n_outer``).
    band_residuals : list of float
        For each outer iteration, how far the bands were from their targets before being projected:
        the mean over the target clouds of ``||X - Pi(X)||^2 / (N d v)``, ``Pi(X)`` the projected
        cloud and ``v`` the mean per-coordinate variance of the target. In 1-D it is the normalised
        ``W_2^2`` to the target (the matching is optimal), in higher dimension an estimate of it
        from above; free, since the projection is computed anyway.
    pixel_residuals : list of float
        The same for the pixel colours, before the pixel projection of each iteration.
    seconds : float
        Wall time of the call.
    method : str
        ``"sliced"``, ``"sliced+spectrum"``, ``"heeger_bergen"`` or ``"sliced_mixing"``.
    n_scales, n_orientations : int
        The pyramid used (``J``, ``K``).
    """

    iterations: int = 0
    band_residuals: list = field(default_factory=list)
    pixel_residuals: list = field(default_factory=list)
    seconds: float = 0.0
    method: str = ""
    n_scales: int = 0
    n_orientations: int = 0


# --------------------------------------------------------------------------------------------
# checks at the boundary (the checkers themselves are those of ottools._validate)
# --------------------------------------------------------------------------------------------
def _as_exemplar(img, name):
    r"""``(x, grey)``: ``x`` float64 ``(H, W, c)`` in ``[0, 1]`` and whether ``img`` was grey."""
    x = check_image(img, name)
    grey = x.ndim == 2
    return (x[..., None] if grey else x), grey


def _output_shape(shape, exemplar_shape):
    if shape is None:
        return tuple(exemplar_shape)
    return check_shape(shape, "shape", ndim=2)


def _pyramid_size(n_scales, n_orientations, grids, what, name):
    r"""``(J, K)`` checked for every ``(H, W)`` of ``grids``: ``J`` at most ``max_scales`` of the
    smallest; ``n_scales=None`` is ``min(DEFAULT_SCALES, max_scales)``. ``what`` describes the
    grids, ``name`` is the argument blamed when they are too small for one scale."""
    H = min(g[0] for g in grids)
    W = min(g[1] for g in grids)
    if n_scales is None:
        n_scales = min(DEFAULT_SCALES, max(pyramid._max_scales(H, W), 1))
    return pyramid._scales_and_orientations(n_scales, n_orientations, H, W, what, name)


def _synthesis_bytes(H, W, c, J, K, grids, extra_pixels=0):
    r"""Memory of a synthesis on ``H x W`` from exemplars on the ``grids`` ``(H_i, W_i)`` (their
    pyramids are computed one at a time), with ``extra_pixels`` more pixels of target clouds."""
    nb = 2 + J * K
    N = float(H) * W
    sizes = [float(h) * w for h, w in grids]
    N0 = sum(sizes) + extra_pixels
    largest = max(sizes)
    ex = max(pyramid._pyramid_bytes(h, w, c, J, K) for h, w in grids)
    out = pyramid._pyramid_bytes(H, W, c, J, K)
    # target clouds of every exemplar; one sliced step: values, order, sorted targets, residual
    # (N each) and the target's projections and sort (largest exemplar, twice)
    return ex + out + 8.0 * nb * c * (N0 + 2 * largest + 5 * N)


# --------------------------------------------------------------------------------------------
# the sliced projection, batched over clouds of the same dimension
# --------------------------------------------------------------------------------------------
# Clouds are stored coordinate-major, (G, d, N): G clouds of N points of R^d, each coordinate a
# contiguous row. The products with the bases (d <= 3 K <= 24) go through einsum's own loops, not
# BLAS: a threaded BLAS takes 15 times longer on such skinny batched products (measured with
# OpenBLAS on 2 cores), and its result would depend on the thread count.
_N_THREADS = sliced._N_THREADS
_POOL = None
_SIGN64 = np.uint64(1 << 63)


def _rotate(theta, Z, transpose=False):
    r"""``theta_g Z_g`` (or ``theta_g^T Z_g``) for bases ``theta`` (G, d, d) and ``Z`` (G, d, N)."""
    return np.einsum("gjk,gjn->gkn" if transpose else "gkj,gjn->gkn", theta, Z)


def _argsort(x, index, bits):
    r"""``np.argsort(x)`` of a contiguous 1-D float64 array from one sort of 64-bit integer keys:
    the float's bits mapped to unsigned integers of the same order, their low ``bits`` bits
    replaced by the index (``index``: ``arange`` as uint64, below ``2^bits``). 1.7 times faster than
    ``np.argsort``; values that agree on all but their last ``bits`` bits (relative ``2^(bits - 52)``,
    ``1.5e-11`` for ``65536`` points) are ordered by index, which moves their targets by as little."""
    b = np.ascontiguousarray(x, dtype=np.float64).view(np.uint64)
    # order-preserving map: a negative float has all its bits flipped, a positive one its sign bit set
    key = b ^ ((-(b >> np.uint64(63)).astype(np.int64)).view(np.uint64) | _SIGN64)
    key &= ~np.uint64((1 << bits) - 1)
    key |= index
    key.sort()
    key &= np.uint64((1 << bits) - 1)
    return key.astype(np.intp)


def _nearest_ranks(n, m):
    r"""Indices ``floor((i + 1/2) m / n)``, ``i < n``, into ``m`` sorted values (exact integers)."""
    i = np.arange(n, dtype=np.int64)
    return ((2 * i + 1) * m) // (2 * n)


def _match_rows(px, pys, lams, out):
    r"""1-D matching of every row: ``out[r, i] = sum_l lams[l] q_l[r, i]``, ``q_l[r, i]`` the value of
    ``pys[l][r]`` of the rank of ``px[r, i]`` (nearest rank when the sizes differ): for one target
    the 1-D optimal map, for several the 1-D barycenter (averaged quantiles). Rows are handled one
    at a time (each fits in cache: twice as fast as one batched scatter), split between threads
    (numpy sorts and indexes without the GIL)."""
    n = px.shape[1]
    index = np.arange(n, dtype=np.uint64)
    bits = max(1, (n - 1).bit_length())
    ranks = [None if py.shape[1] == n else _nearest_ranks(n, py.shape[1]) for py in pys]

    def work(lo, hi):
        for r in range(lo, hi):  # a loop over the G d projections, then over the L targets
            q = None
            for lam, py, rk in zip(lams, pys, ranks):
                sy = np.sort(py[r])
                sy = sy if rk is None else sy[rk]
                q = (sy if lam == 1.0 else lam * sy) if q is None else q + lam * sy
            out[r, _argsort(px[r], index, bits)] = q

    k = px.shape[0]
    if _N_THREADS == 1 or k < 2 or px.size < sliced.PARALLEL_SORT_SIZE:
        work(0, k)
        return out
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(_N_THREADS, thread_name_prefix="ottools-texture")
    bounds = np.linspace(0, k, min(k, _N_THREADS) + 1).astype(int)
    list(_POOL.map(lambda lo_hi: work(*lo_hi), zip(bounds[:-1], bounds[1:])))
    return out


def _newton(X, Ys, lams, n_steps, rng):
    r"""``n_steps`` sliced Newton steps ``X <- sum_l lams[l] T_Theta(X; Ys[l])`` on every cloud of a
    batch, in place: ``X`` (G, d, N), ``Ys`` a list of ``(G, d, M_l)`` arrays, coordinate-major,
    each step with ``G`` fresh Haar-random bases (rows of ``theta``, drawn as
    :func:`ottools.sliced.sliced_transport` draws them). One target (``lams = [1]``): the sliced
    projection, i.e. the flow of :func:`ottools.sliced.sliced_transport`; several: the Newton
    step of the sliced barycenter energy (:func:`ottools.barycenters.sliced_barycenter`). For
    ``d = 1`` one step is exact (sorting) and is the only one taken."""
    G, d, N = X.shape
    if d == 1:
        _match_rows(X[:, 0], [Y[:, 0] for Y in Ys], lams, X[:, 0])
        return
    target = np.empty((G * d, N))
    for _ in range(n_steps):
        theta = sliced._haar_bases(G, d, rng)  # (G, d, d)
        px = _rotate(theta, X).reshape(G * d, N)
        _match_rows(px, [_rotate(theta, Y).reshape(G * d, -1) for Y in Ys], lams, target)
        # X + theta^T (target - theta X) = theta^T target: the step depends on X only through the
        # ranks of its projections (theta is orthogonal, theta^T theta = Id to rounding)
        X[...] = _rotate(theta, target.reshape(G, d, N), transpose=True)


def _project(X, Y, n_steps, rng, residual=True):
    r"""The sliced projection ``Pi_n(X_g; Y_g)`` of every cloud of a batch, in place (``X``
    (G, d, N), ``Y`` (G, d, M); see :func:`_newton`). Returns, when ``residual``, the mean over the
    clouds of ``||X - Pi(X)||^2 / (N d v_g)`` (``v_g`` the mean variance of a coordinate of ``Y_g``).
    """
    G, d, N = X.shape
    start = X.copy() if residual else None
    _newton(X, [Y], [1.0], n_steps, rng)
    if not residual:
        return None
    var = Y.var(axis=2).mean(axis=1)  # (G,)
    var = np.where(var > 0, var, 1.0)
    start -= X
    moved = np.einsum("gdn,gdn->g", start, start) / (d * N)
    return float(np.mean(moved / var))


# --------------------------------------------------------------------------------------------
# target clouds
# --------------------------------------------------------------------------------------------
def _group(coeffs, J, K, clouds):
    r"""Clouds of a pyramid ``coeffs`` (nb, H, W, c), coordinate-major and grouped by dimension: a
    list of ``(G, d, N)`` arrays. ``"band"``: one group ``(nb, c, N)``; ``"scale"``: the residuals
    ``(2, c, N)`` and the scales ``(J, K c, N)`` (coordinate ``k c + channel``); ``"channel"``
    (Heeger-Bergen): one group ``(nb c, 1, N)``."""
    nb, H, W, c = coeffs.shape
    N = H * W
    flat = coeffs.reshape(nb, N, c).transpose(0, 2, 1)  # (nb, c, N) view
    if clouds == "band":
        return [np.ascontiguousarray(flat)]
    if clouds == "channel":
        return [np.ascontiguousarray(flat).reshape(nb * c, 1, N)]
    residuals = np.ascontiguousarray(flat[[0, nb - 1]])
    oriented = np.ascontiguousarray(flat[1:nb - 1]).reshape(J, K * c, N)
    return [residuals, oriented]


def _ungroup(groups, J, K, clouds, H, W, c):
    r"""The inverse of :func:`_group`: coefficients (nb, H, W, c)."""
    nb = 2 + J * K
    if clouds == "scale":
        residuals, oriented = groups
        flat = np.empty((nb, c, H * W))
        flat[0], flat[-1] = residuals[0], residuals[1]
        flat[1:-1] = oriented.reshape(J * K, c, H * W)
    else:
        flat = groups[0].reshape(nb, c, H * W)
    return np.ascontiguousarray(flat.transpose(0, 2, 1)).reshape(nb, H, W, c)


def _pixel_cloud(f, clouds):
    r"""The colours of ``f`` (H, W, c) as one cloud ``(1, c, N)``, or ``c`` 1-D clouds ``(c, 1, N)``
    (``"channel"``)."""
    H, W, c = f.shape
    flat = np.ascontiguousarray(f.reshape(H * W, c).T)
    return flat.reshape(c, 1, H * W) if clouds == "channel" else flat.reshape(1, c, H * W)


def _targets(x, J, K, clouds):
    r"""``(groups, pixels, p0)`` of an exemplar ``x`` (H, W, c): the clouds of the pyramid of its
    periodic component ``p0`` (:func:`_group`), its colours (:func:`_pixel_cloud`), and ``p0``."""
    p0 = x - _smooth(x)
    coeffs = pyramid._analysis(p0, J, K)
    return _group(coeffs, J, K, clouds), _pixel_cloud(x, clouds), p0


def _smooth(x):
    r"""Moisan's smooth component of ``x`` (H, W, c) (the periodic component is ``x - s``)."""
    return sfft.irfftn(textures._smooth_hat(x, 2), s=x.shape[:2], axes=(0, 1))


# --------------------------------------------------------------------------------------------
# the spectrum constraint
# --------------------------------------------------------------------------------------------
def _raised_cosine(n, alpha=0.1):
    r"""A 1-D window of length ``n``: 1 inside, raised-cosine borders of ``floor(alpha n)`` samples."""
    dn = int(np.floor(alpha * n))
    win = np.ones(n)
    if dn > 0:
        border = 0.5 - 0.5 * np.cos(np.pi * np.arange(1, dn + 1) / (dn + 1))
        win[:dn] = border
        win[n - dn:] = border[::-1]
    return win


def _reference(p0, shape):
    r"""The image whose Fourier modulus the spectrum constraint imposes on an output of ``shape``.

    Same size: ``p0``. Otherwise the exemplar is cropped (centred) on the axes where the output is
    smaller; if it is then at most the output on both axes and smaller on one, it is windowed by a
    raised cosine, scaled to keep its variance per pixel of the output, and zero-padded around its
    mean (the extension of Tartavel et al.'s code, never a tiling); if it was only cropped, its
    periodic component is used. The mean colour is exactly the exemplar's.
    """
    H0, W0, c = p0.shape
    H, W = shape
    if (H, W) == (H0, W0):
        return p0
    top, left = max(0, (H0 - H) // 2), max(0, (W0 - W) // 2)
    crop = p0[top:top + min(H, H0), left:left + min(W, W0)]
    mean = p0.mean(axis=(0, 1))
    if crop.shape[:2] == (H, W):
        ref = crop - _smooth(crop)
    else:
        wa, wb = _raised_cosine(crop.shape[0]), _raised_cosine(crop.shape[1])
        ratio = H * W / (np.sum(wa**2) * np.sum(wb**2))
        ref = np.broadcast_to(mean, (H, W, c)).copy()
        window = np.sqrt(ratio) * (wa[:, None] * wb[None, :])[..., None]
        ref[:crop.shape[0], :crop.shape[1]] += window * (crop - crop.mean(axis=(0, 1)))
    ref += mean - ref.mean(axis=(0, 1))
    return ref


def _spectrum_projection(f, ref_hat):
    r"""``P_spec(f)`` for ``f`` (H, W, c) and the half spectrum ``ref_hat`` (H, W//2+1, c)."""
    F = sfft.rfft2(f, axes=(0, 1))
    ip = np.einsum("hwc,hwc->hw", F, ref_hat.conj())
    mod = np.abs(ip)
    phase = np.ones_like(ip)
    ok = mod > 0  # where <f_hat, ref_hat> = 0 the phase is undefined: factor 1
    phase[ok] = ip[ok] / mod[ok]
    phase[0, 0] = 1.0  # the mean colour is the reference's, whatever the sign of <f_hat(0), ref_hat(0)>
    return sfft.irfft2(ref_hat * phase[..., None], s=f.shape[:2], axes=(0, 1))


def spectrum_projection(f, reference):
    r"""Projection onto the images with the Fourier modulus of ``reference`` (spectrum constraint).

    Parameters
    ----------
    f : ndarray of shape (H, W) or (H, W, c)
        Any real image.
    reference : ndarray of the same shape
        The image whose spectrum is imposed (in a synthesis, the exemplar's periodic component).

    Returns
    -------
    g : ndarray of the same shape
        ``g_hat(omega) = ref_hat(omega) phi(omega)``, with the unit complex number
        ``phi(omega) = <f_hat(omega), ref_hat(omega)> / |<f_hat(omega), ref_hat(omega)>|``,
        ``<a, b> = sum_c a_c conj(b_c)`` (a sum over the channels).

    Notes
    -----
    ``g`` is the closest image to ``f`` (Euclidean norm) among those whose spectrum is
    ``ref_hat(omega) e^(i phi(omega))`` with one phase per frequency shared by every channel, i.e.
    with the Fourier modulus of the reference and its phase differences between channels (its
    colours): for each ``omega``, ``|f_hat - ref_hat e^(i phi)|^2`` is smallest when ``e^(i phi)``
    is the phase of ``<f_hat, ref_hat>``. It is idempotent, ``|g_hat| = |ref_hat|``, and the phase
    is odd in ``omega``, so ``g`` is real. Two conventions fix the undefined cases: at
    ``omega = 0`` the factor is 1 (the formula would multiply the mean by the sign of
    ``<f_hat(0), ref_hat(0)>``, flipping the mean colour of a centred or negative ``f``), and where
    ``<f_hat, ref_hat> = 0`` it is 1 too (Tartavel et al.'s code divides by ``|.| + eps`` and so
    sets such a coefficient to 0, which breaks ``|g_hat| = |ref_hat|``). Cost: three real FFTs,
    ``O(c N log N)``.

    References
    ----------
    G. Tartavel, Y. Gousseau, G. Peyre, "Variational texture synthesis with sparsity and spectrum
    constraints", J. Math. Imaging Vis. 52(1):124-144, 2015 (the spectrum projection).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f, ref = rng.random((16, 12, 3)), rng.random((16, 12, 3))
    >>> g = spectrum_projection(f, ref)
    >>> bool(np.allclose(np.abs(np.fft.fft2(g, axes=(0, 1))), np.abs(np.fft.fft2(ref, axes=(0, 1)))))
    True
    >>> bool(np.allclose(spectrum_projection(g, ref), g))
    True
    """
    x = as_float_array(f, "f", ndim=(2, 3))
    r = as_float_array(reference, "reference", ndim=(2, 3))
    if x.size == 0:
        raise ValueError(f"f is empty, shape {x.shape}")
    if r.shape != x.shape:
        raise ValueError(f"reference must have the shape of f, {x.shape}, got {r.shape}")
    grey = x.ndim == 2
    if grey:
        x, r = x[..., None], r[..., None]
    H, W, c = x.shape
    check_memory(8.0 * H * W * c * 8, f"spectrum_projection of f (shape {np.shape(f)})", hint="use a smaller image")
    out = _spectrum_projection(x, sfft.rfft2(r, axes=(0, 1)))
    return out[..., 0] if grey else out


# --------------------------------------------------------------------------------------------
# the synthesis loop
# --------------------------------------------------------------------------------------------
def _initial_noise(pixels, shape, rng, n_inner):
    r"""White noise with the mean and standard deviation of each coordinate of the colour clouds
    ``pixels`` (G, d, M), matched to them by a sliced projection (exact in 1-D): ``(G, d, N)``."""
    H, W = shape
    G, d, _ = pixels.shape
    noise = pixels.mean(axis=2, keepdims=True) + pixels.std(axis=2, keepdims=True) * rng.standard_normal((G, d, H * W))
    _project(noise, pixels, n_inner, rng, residual=False)
    return noise


def _image(cloud, shape):
    r"""A colour cloud ``(1, c, N)`` or ``(c, 1, N)`` back to an image ``(H, W, c)``."""
    c = cloud.shape[0] * cloud.shape[1]
    return np.ascontiguousarray(cloud.reshape(c, -1).T).reshape(shape + (c,))


def _loop(groups, pixels, shape, J, K, clouds, n_outer, n_inner, ref, rng, callback, report, show=None):
    r"""Steps 3-4 of the synthesis (see :func:`sliced_synthesis`) on checked targets.

    ``groups``: the target clouds (as :func:`_group`), ``pixels`` the colour clouds (as
    :func:`_pixel_cloud`), ``shape`` (H, W), ``ref`` the spectrum reference (H, W, c) or ``None``;
    ``show`` maps the working image to the one returned and handed to ``callback`` (Heeger-Bergen
    works in a colour basis). Returns the last iterate, clipped to ``[0, 1]`` (H, W, c).
    """
    H, W = shape
    c = pixels.shape[0] * pixels.shape[1]
    inner = (lambda f: f) if show is None else show

    def show(f):  # clipped to the colour cube [0, 1]^c, which holds every target colour
        return np.clip(inner(f), 0.0, 1.0)

    masks = pyramid._half_masks(H, W, J, K)
    ref_hat = None if ref is None else sfft.rfft2(ref, axes=(0, 1))
    f = _image(_initial_noise(pixels, shape, rng, n_inner), shape)
    if callback is not None:
        callback(0, _out(show(f)))
    for it in range(1, n_outer + 1):
        current = _group(pyramid._analysis(f, J, K, masks), J, K, clouds)
        res = [_project(X, Y, n_inner, rng) for X, Y in zip(current, groups)]
        report.band_residuals.append(float(np.average(res, weights=[X.shape[0] for X in current])))
        f = pyramid._synthesis(_ungroup(current, J, K, clouds, H, W, c), J, K, masks)
        if ref_hat is not None:
            f = _spectrum_projection(f, ref_hat)
        cloud = _pixel_cloud(f, clouds)
        report.pixel_residuals.append(_project(cloud, pixels, n_inner, rng))
        f = _image(cloud, shape)
        report.iterations = it
        if callback is not None:
            callback(it, _out(show(f)))
    return show(f)


def _out(f):
    return f[..., 0] if f.shape[-1] == 1 else f


def _prepare(exemplar, shape, n_scales, n_orientations, n_outer, n_inner, clouds, rng, callback):
    x, grey = _as_exemplar(exemplar, "exemplar")
    H0, W0, c = x.shape
    out_shape = _output_shape(shape, (H0, W0))
    J, K = _pyramid_size(n_scales, n_orientations, [(H0, W0), out_shape],
                         f"the exemplar (shape {np.shape(exemplar)}) and the output shape {out_shape}",
                         "exemplar" if min(H0, W0) <= min(out_shape) else "shape")
    n_outer, n_inner = check_max_iter(n_outer, "n_outer"), check_max_iter(n_inner, "n_inner")
    clouds = check_option(clouds, "clouds", CLOUDS)
    rng = check_rng(rng)
    callback = check_callable(callback, "callback")
    check_memory(_synthesis_bytes(*out_shape, c, J, K, [(H0, W0)]),
                 f"a synthesis of shape={out_shape} from an exemplar of shape {np.shape(exemplar)} "
                 f"(n_scales={J}, n_orientations={K})", hint=_HINT, limit=MAX_SYNTHESIS_BYTES)
    return x, out_shape, J, K, n_outer, n_inner, clouds, rng, callback


def sliced_synthesis(exemplar, shape=None, *, n_scales=None, n_orientations=4, n_outer=5, n_inner=3,
                     spectrum=False, clouds="band", rng=None, callback=None):
    r"""Texture synthesis by sliced projections of the steerable pyramid's bands (Rabin et al. 2011).

    Parameters
    ----------
    exemplar : ndarray of shape (H0, W0) or (H0, W0, 3)
        The texture to imitate, values in ``[0, 1]`` (``uint8`` accepted), at least 8 pixels on each
        axis.
    shape : tuple (H, W), optional
        Output size (default: the exemplar's); larger or smaller than the exemplar, at least 8 on
        each axis.
    n_scales : int, optional
        ``J``, at most ``floor(log2(min(H, W, H0, W0))) - 2``; default ``min(4, that bound)``.
    n_orientations : int, default 4
        ``K``, from 1 (isotropic pyramid) to 8.
    n_outer : int, default 5
        Outer iterations (pyramid analysis, band projections, synthesis, pixel projection). The band
        distance keeps decreasing with more, slowly, while the spectrum plateaus after about 5
        (measured on granite1 for 1, 2, 3, 5, 8, 12: :func:`band_distance` 0.026, 0.008, 0.005,
        0.003, 0.002, 0.002 and :func:`spectrum_distance` 0.56, 0.27, 0.22, 0.20, 0.20, 0.20).
    n_inner : int, default 3
        Sliced steps (random orthonormal bases) of each projection; ignored in 1-D (grey band
        clouds, grey pixels), where one exact sorting is the projection.
    spectrum : bool, default False
        Add the spectrum projection :func:`spectrum_projection` onto the Fourier modulus of the
        exemplar's periodic component after each synthesis (Tartavel et al. 2015): long-range,
        strongly oriented structures (rain streaks) that the band marginals do not fix.
    clouds : {"band", "scale"}, default "band"
        Target clouds: one per band in ``R^c``, or one per scale in ``R^(c K)`` (joint across
        orientations). Measured on granite1, gravel, stone33 and crinklepaper: 1.1 to 2 times
        slower, and no better in :func:`band_distance` (which scores the per-band marginals that
        band clouds impose directly).
    rng : None, int or numpy.random.Generator
        Source of the initial noise and of the bases.
    callback : callable, optional
        ``callback(iteration, texture)`` with the initial noise (``iteration = 0``, after one
        projection onto the pixel colours) and after each outer iteration (1 to ``n_outer``),
        ``texture`` of the output's shape, clipped to ``[0, 1]`` (a new array each time): for a
        progress bar or to record the steps.

    Returns
    -------
    texture : ndarray of shape (H, W) or (H, W, 3)
        Grey for a grey exemplar. In grey its pixel values are exactly the exemplar's (sorted values
        equal) when the sizes agree; in colour its colour cloud is within a sliced distance of a
        few ``1e-4`` (normalised) of the exemplar's. Clipped to ``[0, 1]``: the sliced projection
        leaves a few colours slightly outside, and the projection onto the colour cube, which holds
        every colour of the exemplar, can only bring the colour distribution closer to it (it is
        1-Lipschitz and fixes the targets, so no coupling gets longer).
    report : SynthesisReport
        Iterations, the distances of the bands and pixels to their targets before each projection,
        the wall time.

    Notes
    -----
    With ``p0`` the periodic component of the exemplar ``u0``, ``Y_b`` the clouds of the bands of
    ``p0`` (see the module docstring) and ``Y_pix`` the colours of ``u0``::

        f = Pi_n(white noise with the mean and std of u0 ; Y_pix)
        repeat n_outer times:
            c = analysis(f)
            c_b = Pi_n(c_b ; Y_b)   for every target cloud b   (1-D: exact sorting)
            f = synthesis(c)        (the adjoint, which is the inverse: a Parseval frame)
            f = P_spec(f)           (if spectrum)
            f = Pi_n(f ; Y_pix)     (grey: exact pixel histogram)

    Each step projects onto one set ``C_b = {f : mu_(c_b(f)) = mu_(Y_b)}``: exactly, by the optimal
    assignment (``dist^2(X, C_b) = N W_2^2(mu_X, mu_Y)``), in 1-D; approximately, by ``n`` steps of
    iterative distribution transfer, in colour (Tartavel et al. 2015 alternate such projections for
    their energy ``sum_b alpha_b dist^2(c_b(f), C_b) / 2``). Alternated projections onto different
    sets have no convergence guarantee (they cycle between cluster points, one per set): few
    iterations are used, as Heeger and Bergen advise. In grey this is Heeger and Bergen's algorithm
    with the periodic component of Briand et al.; in colour the joint 3-D projections keep the
    colour correlations (:func:`heeger_bergen` does not).

    What it can and cannot do: the band marginals of sparse, high-contrast textures (stars, grains,
    crinkles) are heavy-tailed, and imposing them recreates sparse sharp elements that a Gaussian
    model (:func:`ottools.textures.spot_noise`) turns into fog; but marginals say nothing about
    long-range alignment (veins, outlines of stones or pebbles are lost) and do not fix the power
    spectrum (long oriented streaks: use ``spectrum=True``).

    Cost per outer iteration ``O((2 + J K) c N (log N) n_inner)`` (sorts) plus ``O((2 + J K) c N log N)``
    (FFTs); memory ``MAX_SYNTHESIS_BYTES`` at most (see the module docstring).

    References
    ----------
    J. Rabin, G. Peyre, J. Delon, M. Bernot, SSVM 2011; D. J. Heeger, J. R. Bergen, SIGGRAPH 1995;
    T. Briand, J. Vacher, B. Galerne, J. Rabin, IPOL 4:276-299, 2014; G. Tartavel, Y. Gousseau,
    G. Peyre, JMIV 52(1):124-144, 2015.

    Examples
    --------
    >>> u0 = np.random.default_rng(0).random((32, 32))
    >>> f, report = sliced_synthesis(u0, n_scales=2, n_outer=2, rng=1)
    >>> f.shape, report.iterations, bool(np.array_equal(np.sort(f, axis=None), np.sort(u0, axis=None)))
    ((32, 32), 2, True)
    """
    t0 = time.perf_counter()
    spectrum = check_bool(spectrum, "spectrum")
    x, out_shape, J, K, n_outer, n_inner, clouds, rng, callback = _prepare(
        exemplar, shape, n_scales, n_orientations, n_outer, n_inner, clouds, rng, callback)
    groups, pixels, p0 = _targets(x, J, K, clouds)
    ref = _reference(p0, out_shape) if spectrum else None
    report = SynthesisReport(method="sliced+spectrum" if spectrum else "sliced", n_scales=J, n_orientations=K)
    f = _loop(groups, pixels, out_shape, J, K, clouds, n_outer, n_inner, ref, rng, callback, report)
    report.seconds = time.perf_counter() - t0
    return _out(f), report


def heeger_bergen(exemplar, shape=None, *, n_scales=None, n_orientations=4, n_outer=5, color="pca",
                  rng=None, callback=None):
    r"""Heeger and Bergen's pyramid-based synthesis: 1-D histogram matching, channel by channel.

    Parameters
    ----------
    exemplar, shape, n_scales, n_orientations, n_outer, rng, callback
        As in :func:`sliced_synthesis`.
    color : {"pca", "rgb"}, default "pca"
        The colour channels matched independently: those of the principal axes of the exemplar's
        colours (the decorrelated colour basis Heeger and Bergen describe), or the RGB channels.
        Ignored in grey.

    Returns
    -------
    texture : ndarray of shape (H, W) or (H, W, 3)
    report : SynthesisReport

    Notes
    -----
    The algorithm of :func:`sliced_synthesis` where every cloud is 1-D: each band of each channel,
    and each channel of the pixels, is matched by exact histogram specification (sorting). In grey
    both functions compute the same thing. In colour, with the colours written in an orthonormal
    basis ``V`` (``z = (u - m) V``: the eigenvectors of the colour covariance for ``"pca"``, the
    identity for ``"rgb"``), the three coordinates are synthesised independently and brought back,
    ``f = z V^T + m``. Each marginal along ``V`` is then exact, but nothing constrains the joint
    distribution of the coordinates: decorrelated is not independent, and a texture whose colours
    form several clusters not aligned with the principal axes (several hues) gets false colours,
    which the joint 3-D projections of :func:`sliced_synthesis` avoid (on the crop
    ``[300:428, 300:428]`` of the Hubble deep field, white, blue and yellow stars on black:
    :func:`pixel_distance` about ``6e-3`` here against ``1.5e-4`` there). The output is clipped to
    ``[0, 1]``, after the change of basis.

    References
    ----------
    D. J. Heeger, J. R. Bergen, "Pyramid-based texture analysis/synthesis", SIGGRAPH 1995;
    T. Briand, J. Vacher, B. Galerne, J. Rabin, IPOL 4:276-299, 2014 (a careful re-implementation,
    with the periodic component used here).

    Examples
    --------
    >>> u0 = np.random.default_rng(0).random((32, 32, 3))
    >>> f, report = heeger_bergen(u0, n_scales=2, n_outer=2, rng=1)
    >>> f.shape, report.method
    ((32, 32, 3), 'heeger_bergen')
    """
    t0 = time.perf_counter()
    color = check_option(color, "color", ("pca", "rgb"))
    x, out_shape, J, K, n_outer, _, _, rng, callback = _prepare(
        exemplar, shape, n_scales, n_orientations, n_outer, 1, "band", rng, callback)
    H0, W0, c = x.shape
    mean = x.reshape(-1, c).mean(axis=0)
    if color == "pca" and c > 1:
        cov = np.cov(x.reshape(-1, c), rowvar=False, bias=True)
        _, basis = np.linalg.eigh(cov)
    else:
        basis = np.eye(c)
    z = np.einsum("hwc,ck->hwk", x - mean, basis)  # the coordinates, channel by channel
    groups, pixels, _ = _targets(z, J, K, "channel")
    report = SynthesisReport(method="heeger_bergen", n_scales=J, n_orientations=K)
    f = _loop(groups, pixels, out_shape, J, K, "channel", n_outer, 1, None, rng, callback, report,
              show=lambda f: np.einsum("hwk,ck->hwc", f, basis) + mean)
    report.seconds = time.perf_counter() - t0
    return _out(f), report


# --------------------------------------------------------------------------------------------
# mixing
# --------------------------------------------------------------------------------------------
def _resample(Y, n):
    r"""Clouds ``Y`` (G, d, M) (coordinate-major) brought to ``n`` points by nearest rank in the pixel
    order: each point repeated ``floor`` or ``ceil`` of ``n / M`` times, or a regular subsample; no
    value is invented."""
    M = Y.shape[2]
    return Y if M == n else np.ascontiguousarray(Y[:, :, _nearest_ranks(n, M)])


def _mixing_targets(xs, lam, J, K, clouds, n_bary_iter, rng):
    r"""The target clouds of a mixing (as :func:`_targets`): per cloud, the sliced barycenter of the
    exemplars' clouds brought to the size ``N*`` of the exemplar of largest weight, started there."""
    first = int(np.argmax(lam))
    n_star = xs[first].shape[0] * xs[first].shape[1]
    stats = [_targets(x, J, K, clouds)[:2] for x in xs]
    keep = [i for i in range(len(xs)) if lam[i] > 0]

    def bary(clouds_i):  # batched barycenters of the clouds (G, d, M_i), at N* points: (G, d, N*)
        clouds_i = [_resample(clouds_i[i], n_star) for i in keep]
        X = clouds_i[keep.index(first)].copy()
        _newton(X, clouds_i, [lam[i] for i in keep], n_bary_iter, rng)
        return X

    groups = [bary([st[0][g] for st in stats]) for g in range(len(stats[0][0]))]
    return groups, bary([st[1] for st in stats])


def sliced_mixing(exemplars, weights=None, shape=None, *, n_scales=None, n_orientations=4, n_outer=5,
                  n_inner=3, n_bary_iter=10, clouds="band", rng=None, callback=None):
    r"""Texture mixing: synthesis with the sliced barycenters of several exemplars' statistics.

    Parameters
    ----------
    exemplars : list of L ndarrays of shape (H_i, W_i) or (H_i, W_i, 3)
        The textures to mix, all grey or all RGB, values in ``[0, 1]``; sizes may differ.
    weights : ndarray of shape (L,), optional
        Barycentric weights ``lambda`` on the simplex (uniform if omitted).
    shape : tuple (H, W), optional
        Output size (default: that of the exemplar of largest weight).
    n_bary_iter : int, default 10
        Newton steps of each sliced barycenter (one per target cloud and for the pixels).
    n_scales, n_orientations, n_outer, n_inner, clouds, rng, callback
        As in :func:`sliced_synthesis` (``n_scales`` bounded by the smallest image).

    Returns
    -------
    texture : ndarray of shape (H, W) or (H, W, 3)
    report : SynthesisReport
        ``method = "sliced_mixing"``.

    Notes
    -----
    For every target cloud ``b`` (band or scale) the target is the sliced barycenter

    .. math:: X_b^\lambda \in \operatorname{argmin}_X \sum_i \lambda_i SW_2^2(\mu_X, \mu_{Y_b^{(i)}})

    of the exemplars' clouds, and likewise for the pixel colours; then the synthesis of
    :func:`sliced_synthesis` runs with these targets. The clouds are first brought to the size
    ``N*`` of the exemplar of largest weight by nearest rank (repeating or subsampling points, so
    no value is invented); the barycenter starts at that exemplar's cloud and takes ``n_bary_iter``
    Newton steps with random orthonormal bases, ``X <- sum_i lambda_i T_Theta(X; Y^(i))`` (the
    barycenter of :func:`ottools.barycenters.sliced_barycenter`). In 1-D (grey band clouds) one step
    gives the exact quantile average ``F_X^-1 = sum_i lambda_i F_(Y^(i))^-1``. At a vertex of the
    simplex (one weight 1) the targets are exactly that exemplar's (the barycenter starts there and
    stays), so the result is a plain synthesis of it. The energy is not convex: the starting point
    matters away from the vertices.

    References
    ----------
    J. Rabin, G. Peyre, J. Delon, M. Bernot, "Wasserstein barycenter and its application to texture
    mixing", SSVM 2011; N. Bonneel, J. Rabin, G. Peyre, H. Pfister, "Sliced and Radon Wasserstein
    barycenters of measures", JMIV 51(1), 2015.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> u, v = rng.random((32, 32)), rng.random((32, 32)) ** 2
    >>> f, report = sliced_mixing([u, v], [0.5, 0.5], n_scales=2, n_outer=2, rng=1)
    >>> q = 0.5 * (np.sort(u, axis=None) + np.sort(v, axis=None))  # grey: the quantile average
    >>> bool(np.allclose(np.sort(f, axis=None), q, atol=1e-12))
    True
    """
    t0 = time.perf_counter()
    exemplars = check_sequence(exemplars, "exemplars")
    xs = [_as_exemplar(e, f"exemplars[{i}]")[0] for i, e in enumerate(exemplars)]
    if len({x.shape[2] for x in xs}) > 1:
        raise ValueError("exemplars must be all grey or all RGB, got " +
                         ", ".join(str(np.shape(e)) for e in exemplars))
    lam = check_simplex(weights, len(xs), "weights")
    first = int(np.argmax(lam))
    out_shape = _output_shape(shape, xs[first].shape[:2])
    grids = [x.shape[:2] for x in xs]
    J, K = _pyramid_size(n_scales, n_orientations, grids + [out_shape],
                         f"the exemplars (shapes {grids}) and the output shape {out_shape}",
                         "exemplars" if min(min(g) for g in grids) <= min(out_shape) else "shape")
    n_outer, n_inner = check_max_iter(n_outer, "n_outer"), check_max_iter(n_inner, "n_inner")
    n_bary_iter = check_max_iter(n_bary_iter, "n_bary_iter")
    clouds = check_option(clouds, "clouds", CLOUDS)
    rng = check_rng(rng)
    callback = check_callable(callback, "callback")
    c = xs[0].shape[2]
    sizes = [x.shape[0] * x.shape[1] for x in xs]
    n_star = sizes[first]
    check_memory(_synthesis_bytes(*out_shape, c, J, K, grids, extra_pixels=2.0 * n_star * len(xs)),
                 f"a mixing of shape={out_shape} from exemplars of shapes {[x.shape[:2] for x in xs]} "
                 f"(n_scales={J}, n_orientations={K})", hint=_HINT, limit=MAX_SYNTHESIS_BYTES)

    groups, pixels = _mixing_targets(xs, lam, J, K, clouds, n_bary_iter, rng)
    report = SynthesisReport(method="sliced_mixing", n_scales=J, n_orientations=K)
    f = _loop(groups, pixels, out_shape, J, K, clouds, n_outer, n_inner, None, rng, callback, report)
    report.seconds = time.perf_counter() - t0
    return _out(f), report


# --------------------------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------------------------
def _as_real_image(img, name):
    r"""Any real image ``(H, W)`` or ``(H, W, c)`` as float64 ``(H, W, c)`` (a spot noise sample
    leaves ``[0, 1]``), not empty."""
    x = as_float_array(img, name, ndim=(2, 3))
    if x.size == 0:
        raise ValueError(f"{name} is empty, shape {x.shape}")
    return x[..., None] if x.ndim == 2 else x


def _metric_pair(f, exemplar):
    x = _as_real_image(f, "f")
    y = _as_real_image(exemplar, "exemplar")
    if x.shape[2] != y.shape[2]:
        raise ValueError(f"f and exemplar must have the same number of channels, got shapes {np.shape(f)} and "
                         f"{np.shape(exemplar)}")
    return x, y


def _sw2(X, Y, theta):
    r"""Mean over the clouds of ``SW_2^2(mu_X, mu_Y) / v`` for coordinate-major batches ``X``
    (G, d, N), ``Y`` (G, d, M) and directions ``theta`` (P, d) (``d = 1``: exact ``W_2^2``), ``v``
    the mean variance of a coordinate of ``Y``; one cloud at a time (a loop over the G clouds).
    With several directions the projections are sorted in float32 (twice as fast), after centring
    both clouds at the mean of their means: the relative error stays near ``1e-7`` of the spread."""
    dtype = np.float64 if theta.shape[0] == 1 else np.float32
    out = []
    for Xg, Yg in zip(X, Y):
        centre = 0.5 * (Xg.mean(axis=1) + Yg.mean(axis=1))[:, None]
        px = np.einsum("pd,dn->pn", theta, Xg - centre).astype(dtype, copy=False)  # no BLAS (see _rotate)
        py = np.einsum("pd,dn->pn", theta, Yg - centre).astype(dtype, copy=False)
        cost = float(np.mean(sliced._projected_costs(px, py)))
        var = float(Yg.var(axis=1).mean())
        out.append(cost / var if var > 0 else cost)
    return float(np.mean(out))


def _directions(d, n_directions, rng):
    if d == 1:
        return np.ones((1, 1))
    return sliced._random_directions(n_directions, d, rng)


def _metric_memory(x, y, J, K, n_directions, what):
    r"""Two pyramids and the projections of one band on ``n_directions`` directions."""
    c = x.shape[2]
    P = 1 if c == 1 else n_directions
    n = x.shape[0] * x.shape[1] + y.shape[0] * y.shape[1]
    check_memory(pyramid._pyramid_bytes(*x.shape, J, K) + pyramid._pyramid_bytes(*y.shape, J, K)
                 + sliced._projection_bytes(P, x.shape[0] * x.shape[1], y.shape[0] * y.shape[1], False)
                 + 8.0 * P * n, what, hint="use smaller images or fewer directions", limit=MAX_SYNTHESIS_BYTES)


def band_distance(f, exemplar, *, n_scales=None, n_orientations=4, n_directions=64, rng=0):
    r"""Mean normalised sliced distance between the band clouds of a texture and of an exemplar.

    Parameters
    ----------
    f : ndarray of shape (H, W) or (H, W, 3)
        A texture (a synthesis; taken as it is, periodic).
    exemplar : ndarray of shape (H0, W0) or (H0, W0, 3)
        The exemplar (its periodic component is used), grey if ``f`` is; sizes may differ.
    n_scales : int, optional
        ``J`` (default ``min(4, max_scales)`` of the smaller image).
    n_orientations : int, default 4
    n_directions : int, default 64
        Random directions of the sliced distance in colour (grey: exact ``W_2``).
    rng : None, int or numpy.random.Generator, default 0
        Source of the directions (a fixed seed by default, so that two textures are compared with
        the same directions).

    Returns
    -------
    D_band : float
        ``(1 / |B|) sum_b SW_2^2(mu_(c_b(f)), mu_(c_b(p0))) / v_b``, ``v_b`` the mean per-channel
        variance of the exemplar's band ``c_b(p0)``; 0 for equal band distributions.

    Notes
    -----
    The ``2 + J K`` bands of both images are compared as colour clouds (``SW_2^2`` estimated with
    ``n_directions`` directions; exactly ``W_2^2`` in grey, by sorting; clouds of different sizes
    by quantile matching). Dividing by ``v_b`` weighs the bands equally whatever their energy (a
    band against a point mass at its mean scores 1 in grey). A sample of the Gaussian model of the
    exemplar (spot noise) typically scores 0.02 to 0.2, a sliced synthesis 2e-3 to 1e-2. Cost: two
    pyramids and ``(2 + J K) n_directions`` sorts, under 0.5 s at ``128 x 128`` in colour.

    References
    ----------
    J. Rabin, G. Peyre, J. Delon, M. Bernot, SSVM 2011 (textures as distributions of band
    responses).
    """
    x, y = _metric_pair(f, exemplar)
    J, K = _pyramid_size(n_scales, n_orientations, [x.shape[:2], y.shape[:2]],
                         f"f (shape {np.shape(f)}) and the exemplar (shape {np.shape(exemplar)})",
                         "f" if min(x.shape[:2]) <= min(y.shape[:2]) else "exemplar")
    n_directions = check_int(n_directions, "n_directions", minimum=1)
    rng = check_rng(rng)
    _metric_memory(x, y, J, K, n_directions, "band_distance: n_directions")
    cx = _group(pyramid._analysis(x, J, K), J, K, "band")[0]
    cy = _group(pyramid._analysis(y - _smooth(y), J, K), J, K, "band")[0]
    return _sw2(cx, cy, _directions(x.shape[2], n_directions, rng))


def pixel_distance(f, exemplar, *, n_directions=64, rng=0):
    r"""Normalised sliced distance between the pixel colours of a texture and of an exemplar.

    Parameters
    ----------
    f : ndarray of shape (H, W) or (H, W, 3)
    exemplar : ndarray of shape (H0, W0) or (H0, W0, 3)
        Grey if ``f`` is; sizes may differ.
    n_directions : int, default 64
        Random directions in colour (grey: exact).
    rng : None, int or numpy.random.Generator, default 0

    Returns
    -------
    D_pix : float
        ``SW_2^2(mu_f, mu_u0) / v``, ``v`` the mean per-channel variance of the exemplar's pixels
        (``W_2^2 / v`` in grey: 0 for equal histograms). A measure of colour fidelity: per-channel
        matching scores high on textures of several hues (false colours).

    Examples
    --------
    >>> u0 = np.random.default_rng(0).random((16, 16, 3))
    >>> pixel_distance(u0[::-1], u0)
    0.0
    """
    x, y = _metric_pair(f, exemplar)
    n_directions = check_int(n_directions, "n_directions", minimum=1)
    rng = check_rng(rng)
    c = x.shape[2]
    P = 1 if c == 1 else n_directions
    check_memory(sliced._projection_bytes(P, x.size // c, y.size // c, False) + 8.0 * P * (x.size + y.size) / c,
                 "pixel_distance: n_directions", hint="use fewer directions", limit=MAX_SYNTHESIS_BYTES)
    return _sw2(_pixel_cloud(x, "band"), _pixel_cloud(y, "band"), _directions(c, n_directions, rng))


def _smoothed_periodogram(x):
    r"""The periodogram ``|FFT|^2 / N`` of the mean-removed luminance of ``x`` (H, W, c), smoothed
    by a 5 x 5 box (circular)."""
    lum = x @ LUMA if x.shape[2] == 3 else x.mean(axis=2)
    lum = lum - lum.mean()
    S = np.abs(sfft.fft2(lum)) ** 2 / lum.size
    S = ndimage.uniform_filter(S, size=5, mode="wrap")
    return S


def spectrum_distance(f, exemplar):
    r"""Mean squared difference of the smoothed log power spectra of a texture and an exemplar.

    Parameters
    ----------
    f : ndarray of shape (H, W) or (H, W, 3)
    exemplar : ndarray of the same spatial shape (H, W) or (H, W, 3)
        Its periodic component is used.

    Returns
    -------
    D_spec : float
        ``mean_(omega != 0) (log S_f(omega) - log S_p0(omega))^2``, where ``S`` is the periodogram
        ``|FFT|^2 / N`` of the mean-removed luminance (BT.601 luma ``0.299 R + 0.587 G + 0.114 B``;
        the image itself in grey) smoothed by a ``5 x 5`` box in frequency (circularly). 0 for equal
        spectra.

    Notes
    -----
    The smoothing averages out the fluctuation of one random sample's spectrum (the periodogram of
    a Gaussian field has an exponential law around its mean): even a spot noise sample, whose
    expected spectrum is the exemplar's, scores about 0.07 to 0.1. Spectra below ``1e-12`` times
    the mean of both are raised to it (a constant image has no spectrum to compare). Same sizes
    only: frequencies of different grids are not the same.

    References
    ----------
    G. Tartavel, Y. Gousseau, G. Peyre, JMIV 52(1):124-144, 2015 (the spectrum as a texture
    statistic).

    Examples
    --------
    >>> u0 = np.random.default_rng(0).random((16, 16))
    >>> p0 = textures.periodic_component(u0)  # what the exemplar is replaced by
    >>> spectrum_distance(np.roll(p0, 3, axis=0), u0) < 1e-20  # a shift keeps the spectrum
    True
    """
    x, y = _metric_pair(f, exemplar)
    if x.shape[:2] != y.shape[:2]:
        raise ValueError(f"f and exemplar must have the same size (frequencies of different grids differ), "
                         f"got {np.shape(f)} and {np.shape(exemplar)}")
    check_memory(8.0 * 10 * x.shape[0] * x.shape[1] + 8.0 * 4 * y.size, "spectrum_distance of f",
                 hint="use smaller images", limit=MAX_SYNTHESIS_BYTES)
    Sf = _smoothed_periodogram(x)
    Sy = _smoothed_periodogram(y - _smooth(y))
    floor = max(1e-12 * 0.5 * (Sf.mean() + Sy.mean()), np.finfo(np.float64).tiny)
    diff = np.log(np.maximum(Sf, floor)) - np.log(np.maximum(Sy, floor))
    diff[0, 0] = 0.0
    return float(np.sum(diff**2) / (diff.size - 1)) if diff.size > 1 else 0.0


def _band_kurtosis(x, J, K, name):
    r"""Kurtosis ``E (c - m)^4 / (E (c - m)^2)^2`` of every oriented band and channel: (J, K, c)."""
    z = pyramid._analysis(x, J, K)[1:-1]  # (J K, H, W, c)
    z -= z.mean(axis=(1, 2), keepdims=True)
    z *= z
    m2 = z.mean(axis=(1, 2))
    m4 = (z * z).mean(axis=(1, 2))
    scale = max(float(np.max(m2)), np.finfo(np.float64).tiny)
    if np.any(m2 <= 1e-24 * scale) or not np.max(m2) > 0:
        raise ValueError(f"{name} has an oriented band of zero variance (a constant or too smooth image): "
                         f"its kurtosis is undefined")
    return (m4 / m2**2).reshape(J, K, x.shape[2])


def band_kurtosis(img, *, n_scales=None, n_orientations=4, periodic=False):
    r"""Kurtosis of every oriented band of the steerable pyramid, per channel.

    Parameters
    ----------
    img : ndarray of shape (H, W) or (H, W, c)
        Any real image (a spot noise sample leaves ``[0, 1]``).
    n_scales : int, optional
        ``J`` (default ``min(4, max_scales)``).
    n_orientations : int, default 4
    periodic : bool, default False
        Use the periodic component of ``img`` (for an exemplar; a synthesis is periodic already).

    Returns
    -------
    kappa : ndarray of shape (J, K) or (J, K, 3)
        ``kappa_(j,k) = E[(c - m)^4] / E[(c - m)^2]^2`` of the coefficients of band ``(j, k)`` over
        the pixels (not the excess kurtosis: 3 for a Gaussian field).

    Notes
    -----
    Every linear filter of a stationary Gaussian field (spot noise) is Gaussian: kurtosis 3 up to
    sampling noise. Sparse, high-contrast textures (stars, grains, crinkles) have heavy-tailed bands,
    ``kappa`` from 4 to more than 10. Refused for an image with a constant band (undefined).

    Examples
    --------
    >>> kappa = band_kurtosis(np.random.default_rng(0).random((64, 64)), n_scales=2)
    >>> kappa.shape, bool(abs(np.median(kappa) - 3) < 0.3)
    ((2, 4), True)
    """
    x = _as_real_image(img, "img")
    grey = np.ndim(img) == 2
    periodic = check_bool(periodic, "periodic")
    J, K = _pyramid_size(n_scales, n_orientations, [x.shape[:2]], f"img (shape {np.shape(img)})", "img")
    check_memory(2 * pyramid._pyramid_bytes(*x.shape, J, K), f"band_kurtosis of img (shape {np.shape(img)})",
                 hint=_HINT, limit=MAX_SYNTHESIS_BYTES)
    if periodic:
        x = x - _smooth(x)
    kappa = _band_kurtosis(x, J, K, "img")
    return kappa[..., 0] if grey else kappa


def kurtosis_error(f, exemplar, *, n_scales=None, n_orientations=4):
    r"""Median log-ratio of the band kurtoses of a texture and of an exemplar.

    Parameters
    ----------
    f : ndarray of shape (H, W) or (H, W, 3)
        A texture (taken as it is).
    exemplar : ndarray of shape (H0, W0) or (H0, W0, 3)
        Its periodic component is used; grey if ``f`` is.
    n_scales : int, optional
    n_orientations : int, default 4

    Returns
    -------
    D_kappa : float
        ``median over the oriented bands b and channels of |log(kappa_b(f) / kappa_b(p0))|``
        (:func:`band_kurtosis`): 0 when the tails of the bands agree; a Gaussian texture against a
        heavy-tailed exemplar scores ``log(kappa / 3)``.
    """
    x, y = _metric_pair(f, exemplar)
    J, K = _pyramid_size(n_scales, n_orientations, [x.shape[:2], y.shape[:2]],
                         f"f (shape {np.shape(f)}) and the exemplar (shape {np.shape(exemplar)})",
                         "f" if min(x.shape[:2]) <= min(y.shape[:2]) else "exemplar")
    check_memory(2 * pyramid._pyramid_bytes(*x.shape, J, K) + 2 * pyramid._pyramid_bytes(*y.shape, J, K),
                 "kurtosis_error of f and exemplar", hint=_HINT, limit=MAX_SYNTHESIS_BYTES)
    kf = _band_kurtosis(x, J, K, "f")
    k0 = _band_kurtosis(y - _smooth(y), J, K, "exemplar")
    return float(np.median(np.abs(np.log(kf / k0))))
