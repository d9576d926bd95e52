"""Colour transfer between photographs by optimal transport, colour exchange and artefact removal.

Taught in ``tours/06_color_transfer.ipynb`` (slides 11 and 15-17).

An RGB image ``f`` of shape ``(H, W, 3)`` is read as the cloud of its ``N = H W`` pixel colours, the
probability measure :math:`\\mu_f = \\frac1N \\sum_x \\delta_{f(x)}` on :math:`[0, 1]^3`
(MATH.md section 0). Transferring the colours of ``target`` onto ``source`` means finding a map
:math:`T` with :math:`T\\sharp\\mu_{\\rm source} \\approx \\mu_{\\rm target}` and returning
:math:`T \\circ f_{\\rm source}`.

Methods of :func:`transfer`:

* ``"sliced"`` (default, fast on whole photographs): iterative distribution transfer (IDT, an
  orthonormal basis per step, step 1) learnt on a random sample of pixels with **smoothed** 1-D
  quantile maps, stored as a 3-D lookup table and applied to every pixel by trilinear interpolation.
  The output colour is a function of the input colour (same colour in, same colour out);
* ``"sorted"``: the same flow run on every pixel (:func:`ottools.sliced.sliced_transport`), a
  near-permutation of the target colours that splits identical colours (slide 17's speckle);
* ``"exact"``: the optimal assignment between downsampled images (ground truth, small images);
* ``"gaussian"``: the linear Monge-Kantorovich map :math:`T(x) = m_1 + A(x - m_0)` between the
  Gaussians with the images' colour means and covariances (slides 30-31, printed with a typo);
* ``"reinhard"``: means and standard deviations matched channel by channel in Ruderman's
  :math:`l\\alpha\\beta` space (Reinhard et al. 2001), with exact matrix inverses.

Distances: :func:`color_sliced_distance` returns :math:`SW_2` (not squared) between the colour clouds.
"""

from __future__ import annotations

import numbers
import time

import numpy as np
from ottools import data, discrete, gaussian, sliced
from ottools._validate import (
    as_float_array,
    check_image,
    check_points,
    check_positive_int,
    check_rng,
)

__all__ = [
    "METHODS",
    "RGB_TO_LMS",
    "rgb_to_lab",
    "lab_to_rgb",
    "gaussian_map",
    "quasi_random_bases",
    "fit_sliced_lut",
    "apply_lut",
    "transfer",
    "exchange",
    "regularize",
    "color_sliced_distance",
    "gradient_energy",
    "box_mean",
    "timed",
]

#: Names accepted by ``transfer(..., method=...)``.
METHODS = ("sliced", "sorted", "exact", "gaussian", "reinhard")

#: RGB -> LMS cone responses, as printed by Reinhard et al. (2001).
RGB_TO_LMS = np.array(
    [[0.3811, 0.5783, 0.0402],
     [0.1967, 0.7244, 0.0782],
     [0.0241, 0.1288, 0.8444]]
)
#: Its **exact** inverse; the paper's printed inverse is only accurate to about 1e-2 (MATH.md 3.5).
LMS_TO_RGB = np.linalg.inv(RGB_TO_LMS)
#: log-LMS -> l alpha beta (Ruderman et al. 1998): a scaled orthogonal decorrelating rotation.
LOGLMS_TO_LAB = np.diag([1 / np.sqrt(3), 1 / np.sqrt(6), 1 / np.sqrt(2)]) @ np.array(
    [[1.0, 1.0, 1.0], [1.0, 1.0, -2.0], [1.0, -1.0, 0.0]]
)
LAB_TO_LOGLMS = np.linalg.inv(LOGLMS_TO_LAB)
#: Smallest LMS value before the logarithm (one 8-bit grey level).
LMS_FLOOR = 1.0 / 255.0


# ----------------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------------


def _check_pair(source, target):
    """Two RGB images of the same dtype, as float64 arrays in [0, 1]."""
    for name, img in (("source", source), ("target", target)):
        arr = np.asarray(img)
        if arr.ndim == 3 and arr.shape[2] not in (2, 3, 4):
            raise ValueError(f"{name} must be an RGB image (H, W, 3), got shape {arr.shape}")
    src_dtype, tgt_dtype = np.asarray(source).dtype, np.asarray(target).dtype
    s = check_image(source, "source", allow_grey=False)
    t = check_image(target, "target", allow_grey=False)
    if src_dtype != tgt_dtype:
        raise ValueError(
            f"source and target must have the same dtype, got {src_dtype} and {tgt_dtype}; "
            f"convert both to floats in [0, 1] (uint8 / 255) so that their colours are comparable"
        )
    return s, t


def _check_scale(x, name, *, positive=False):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x) or x < 0 or (
        positive and x == 0
    ):
        want = "a positive" if positive else "a non-negative"
        raise ValueError(f"{name} must be {want} finite number, got {x!r}")
    return float(x)


# ----------------------------------------------------------------------------------------------
# Colour spaces and the two affine baselines
# ----------------------------------------------------------------------------------------------


def rgb_to_lab(rgb):
    """Ruderman's :math:`l\\alpha\\beta` colour space (not CIE L*a*b*) used by Reinhard et al.

    Parameters
    ----------
    rgb : ndarray of shape (..., 3)
        Colours (values in ``[0, 1]``; not checked, so that out-of-gamut maps can be inverted).

    Returns
    -------
    lab : ndarray of shape (..., 3)

    Notes
    -----
    :math:`\\mathrm{LMS} = M\\,\\mathrm{RGB}` (:data:`RGB_TO_LMS`), :math:`L = \\log_{10}\\max(\\mathrm{LMS},
    1/255)`, :math:`(l, \\alpha, \\beta) = \\mathrm{diag}(3^{-1/2}, 6^{-1/2}, 2^{-1/2})
    \\begin{pmatrix}1&1&1\\\\1&1&-2\\\\1&-1&0\\end{pmatrix} L`.

    References
    ----------
    D. L. Ruderman, T. W. Cronin, C.-C. Chiao, "Statistics of cone responses to natural images",
    JOSA A 15(8), 1998. E. Reinhard, M. Ashikhmin, B. Gooch, P. Shirley, "Color transfer between
    images", IEEE CG&A 21(5), 2001.

    Examples
    --------
    >>> c = np.array([0.2, 0.5, 0.7])
    >>> bool(np.allclose(lab_to_rgb(rgb_to_lab(c)), c))
    True
    """
    rgb = np.asarray(rgb, dtype=np.float64)
    lms = np.maximum(rgb @ RGB_TO_LMS.T, LMS_FLOOR)
    return np.log10(lms) @ LOGLMS_TO_LAB.T


def lab_to_rgb(lab):
    """Inverse of :func:`rgb_to_lab` (exact matrix inverses; no clipping).

    Parameters
    ----------
    lab : ndarray of shape (..., 3)

    Returns
    -------
    rgb : ndarray of shape (..., 3)
    """
    lab = np.asarray(lab, dtype=np.float64)
    return (10.0 ** (lab @ LAB_TO_LOGLMS.T)) @ LMS_TO_RGB.T


def gaussian_map(X, Y, eps=1e-8):
    """Linear Monge-Kantorovich map between the Gaussians fitted to two colour clouds.

    Parameters
    ----------
    X : ndarray of shape (N, 3)
        Source colours.
    Y : ndarray of shape (M, 3)
        Target colours.
    eps : float, default 1e-8
        Added to the diagonal of the source covariance (flat images have singular covariances).

    Returns
    -------
    A : ndarray of shape (3, 3)
        Symmetric positive semi-definite linear part.
    b : ndarray of shape (3,)
        Offset ``m1 - A m0``; apply with ``X @ A.T + b``.

    Notes
    -----
    :math:`T(x) = m_1 + A(x - m_0)` with
    :math:`A = \\Sigma_0^{-1/2}(\\Sigma_0^{1/2}\\Sigma_1\\Sigma_0^{1/2})^{1/2}\\Sigma_0^{-1/2}`, so that
    :math:`A\\Sigma_0A = \\Sigma_1`: the output has exactly the target's mean and covariance
    (slides 30-31 print :math:`Sx + m_1 - m_0`, a typo). The same map as POT's
    ``ot.gaussian.bures_wasserstein_mapping``; computed by :func:`ottools.gaussian.ot_map`.

    References
    ----------
    F. Pitié, A. Kokaram, "The linear Monge-Kantorovitch linear colour mapping for example-based
    colour transfer", IET CVMP 2007.
    """
    X = check_points(X, "X", d=3)
    Y = check_points(Y, "Y", d=3)
    eps = _check_scale(eps, "eps")
    m0, S0 = gaussian.estimate(X)
    m1, S1 = gaussian.estimate(Y)
    return gaussian.ot_map(m0, S0 + eps * np.eye(3), m1, S1, form="standard")


def _reinhard(src, tgt):
    """l alpha beta means and deviations of ``tgt`` given to ``src`` (pixel arrays (N, 3))."""
    ls, lt = rgb_to_lab(src), rgb_to_lab(tgt)
    ms, ss = ls.mean(axis=0), ls.std(axis=0)
    mt, st = lt.mean(axis=0), lt.std(axis=0)
    scale = st / np.where(ss > 0, ss, 1.0)
    return lab_to_rgb((ls - ms) * scale + mt)


# ----------------------------------------------------------------------------------------------
# Sliced transfer as a 3-D lookup table
# ----------------------------------------------------------------------------------------------


def _grid(lut_size, dtype=np.float32):
    axis = np.linspace(0.0, 1.0, lut_size, dtype=dtype)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)


def quasi_random_bases(n, rng=None):
    """``n`` well-spread rotations of :math:`\\mathbb R^3` (randomised quasi-Monte Carlo on SO(3)).

    Parameters
    ----------
    n : int
    rng : None, int or numpy.random.Generator
        Random shift of the sequence.

    Returns
    -------
    bases : ndarray of shape (n, 3, 3)
        Orthogonal matrices whose **rows** are the basis vectors (as
        :func:`ottools.sliced.random_orthonormal_bases`).

    Notes
    -----
    Shoemake's map sends a uniform point :math:`(u_1, u_2, u_3)` of the unit cube to a Haar-uniform
    unit quaternion :math:`(\\sqrt{1-u_1}\\sin 2\\pi u_2, \\sqrt{1-u_1}\\cos 2\\pi u_2,
    \\sqrt{u_1}\\sin 2\\pi u_3, \\sqrt{u_1}\\cos 2\\pi u_3)`, hence to a Haar-uniform rotation.
    Feeding it the low-discrepancy sequence :math:`u_\\ell = \\{s + \\ell\\,\\alpha\\}`,
    :math:`\\alpha = (\\varphi^{-1}, \\varphi^{-2}, \\varphi^{-3})` with :math:`\\varphi^4 = \\varphi + 1`
    (Roberts' generalised golden ratio), and a random shift :math:`s`, gives rotations that are
    each Haar-distributed but cover SO(3) more evenly than independent draws: consecutive IDT
    steps then look along new directions, and the flow converges faster on average, with a smaller
    spread between seeds.

    References
    ----------
    K. Shoemake, "Uniform random rotations", Graphics Gems III, 1992. M. Roberts, "The unreasonable
    effectiveness of quasirandom sequences", 2018.
    """
    n = check_positive_int(n, "n", minimum=0)
    rng = check_rng(rng)
    phi = 1.2207440846057596  # root of x**4 = x + 1
    u = (rng.random(3) + np.arange(n)[:, None] * phi ** -np.arange(1.0, 4.0)) % 1.0
    s1, s2 = np.sqrt(1.0 - u[:, 0]), np.sqrt(u[:, 0])
    x, y = s1 * np.sin(2 * np.pi * u[:, 1]), s1 * np.cos(2 * np.pi * u[:, 1])
    z, w = s2 * np.sin(2 * np.pi * u[:, 2]), s2 * np.cos(2 * np.pi * u[:, 2])
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)], -1),
        np.stack([2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)], -1),
        np.stack([2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)], -1),
    ], axis=1)


def fit_sliced_lut(source, target, n_iter=10, *, n_samples=20000, n_quantiles=64, lut_size=33,
                   bases="quasi", rng=None, callback=None):
    """Learn the sliced (IDT) colour map from ``source`` to ``target`` as a 3-D lookup table.

    Parameters
    ----------
    source, target : ndarray of shape (H, W, 3) or (N, 3)
        Images (or colour clouds) with values in ``[0, 1]``.
    n_iter : int, default 10
        IDT steps (a Haar-random orthonormal basis each, step 1). ``0`` gives the identity table.
    n_samples : int, default 20000
        Pixels drawn (without replacement) from each image to learn the map.
    n_quantiles : int, default 64
        Knots of each 1-D map: the map along a direction interpolates linearly between the
        ``n_quantiles`` quantiles of the source projections and those of the target.
    lut_size : int, default 33
        Grid points per axis of the table on ``[0, 1]^3``.
    bases : {"quasi", "random"}, default "quasi"
        Rotations of the IDT steps: :func:`quasi_random_bases` or independent Haar draws
        (:func:`ottools.sliced.random_orthonormal_bases`).
    rng : None, int or numpy.random.Generator
        Source of the samples and of the bases.
    callback : callable, optional
        ``callback(iteration, lut)`` after each step (``lut`` a fresh array), e.g. to record
        intermediate tables for a slider.

    Returns
    -------
    lut : ndarray of shape (lut_size, lut_size, lut_size, 3), float32
        ``lut[i, j, k]`` is the image of the colour ``(i, j, k) / (lut_size - 1)``; apply it with
        :func:`apply_lut`.

    Notes
    -----
    One IDT step with the orthonormal basis :math:`\\theta_1, \\theta_2, \\theta_3` is
    :math:`c \\mapsto c + \\sum_k (f_k(\\langle c,\\theta_k\\rangle) - \\langle c,\\theta_k\\rangle)\\theta_k`,
    where :math:`f_k = Q_{\\rm target} \\circ F_{\\rm source}` is the 1-D monotone (optimal) map along
    :math:`\\theta_k`. Here :math:`f_k` is the piecewise-linear interpolation through the pairs of
    quantiles of orders :math:`(j + 1/2)/n_q` of the two samples' projections, extended by
    translations. Three choices make the table fast **and** accurate:

    * the map is a continuous function of the colour, evaluated on the grid only, so applying it to
      a photograph costs one trilinear interpolation per pixel, and identical colours stay
      identical (no speckle);
    * learning on a sample of ``n_samples`` pixels costs :math:`O(n_{\\rm iter}\\, n \\log n)`
      whatever the image size;
    * smoothing each 1-D map by a few dozen quantiles matters: the exact sorted matching of two
      samples has random slopes (ratios of spacings of sorted samples) that, composed over the
      iterations, make the map rough between the samples, and the pixels of the full image, which
      lie between the samples, are then sent further from the target as iterations go on.

    References
    ----------
    F. Pitié, A. Kokaram, R. Dahyot, "Automated colour grading using colour distribution transfer",
    CVIU 107(1-2), 2007. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein
    barycenters of measures", JMIV 51(1), 2015.
    """
    X = _colours(source, "source")
    Y = _colours(target, "target")
    n_iter = check_positive_int(n_iter, "n_iter", minimum=0)
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    n_quantiles = check_positive_int(n_quantiles, "n_quantiles", minimum=2)
    lut_size = check_positive_int(lut_size, "lut_size", minimum=2)
    if bases not in ("quasi", "random"):
        raise ValueError(f"bases must be 'quasi' or 'random', got {bases!r}")
    rng = check_rng(rng)
    X = _sample(X, n_samples, rng)
    Y = _sample(Y, n_samples, rng)
    Z = _grid(lut_size)
    levels = (np.arange(n_quantiles) + 0.5) / n_quantiles
    ix = np.minimum((levels * X.shape[0]).astype(np.intp), X.shape[0] - 1)
    iy = np.minimum((levels * Y.shape[0]).astype(np.intp), Y.shape[0] - 1)
    draw = quasi_random_bases if bases == "quasi" else sliced.random_orthonormal_bases
    rotations = draw(n_iter, rng) if bases == "quasi" else (draw(n_iter, 3, rng) if n_iter else [])
    for it, basis in enumerate(rotations):
        R = basis.T.astype(np.float32)  # columns theta_k
        PX, PZ = X @ R, Z @ R
        knots_x = np.sort(PX, axis=0)[ix]
        knots_y = np.sort(Y @ R, axis=0)[iy]
        for k in range(3):  # the three axes of the basis
            shift = knots_y[:, k] - knots_x[:, k]
            PX[:, k] += np.interp(PX[:, k], knots_x[:, k], shift).astype(np.float32)
            PZ[:, k] += np.interp(PZ[:, k], knots_x[:, k], shift).astype(np.float32)
        X, Z = PX @ R.T, PZ @ R.T
        if callback is not None:
            callback(it + 1, Z.reshape(lut_size, lut_size, lut_size, 3).copy())
    return Z.reshape(lut_size, lut_size, lut_size, 3)


def _colours(img, name):
    arr = np.asarray(img)
    if arr.ndim == 3:
        return check_image(arr, name, allow_grey=False).reshape(-1, 3).astype(np.float32)
    X = check_points(arr, name, d=3)
    if X.min() < 0 or X.max() > 1:
        raise ValueError(f"{name} colours must lie in [0, 1], got range [{X.min():.3g}, {X.max():.3g}]")
    return X.astype(np.float32)


def _sample(X, n, rng):
    if X.shape[0] <= n:
        return X.copy()
    return X[rng.choice(X.shape[0], n, replace=False)]


def apply_lut(img, lut, clip=True):
    """Recolour an image with a 3-D lookup table (trilinear interpolation, float32).

    Parameters
    ----------
    img : ndarray of shape (H, W, 3), values in [0, 1]
    lut : ndarray of shape (g, g, g, 3)
        As returned by :func:`fit_sliced_lut`.
    clip : bool, default True
        Clip the output to ``[0, 1]``.

    Returns
    -------
    out : ndarray of shape (H, W, 3), float64

    Notes
    -----
    The colour :math:`c` falls in the grid cell of lower corner :math:`i = \\lfloor (g-1)c \\rfloor`
    with fractional position :math:`t = (g-1)c - i`; the output interpolates the 8 corners, one axis
    after the other (7 linear interpolations). It is a continuous function of the colour, exact
    for affine maps.

    Examples
    --------
    >>> identity = _grid(5).reshape(5, 5, 5, 3)
    >>> img = np.random.default_rng(0).random((4, 4, 3))
    >>> bool(np.allclose(apply_lut(img, identity), img, atol=1e-6))
    True
    """
    img = check_image(img, "img", allow_grey=False)
    lut = as_float_array(lut, "lut", ndim=4, dtype=np.float32)
    g = lut.shape[0]
    if lut.shape != (g, g, g, 3) or g < 2:
        raise ValueError(f"lut must have shape (g, g, g, 3) with g >= 2, got {lut.shape}")
    x = img.reshape(-1, 3).astype(np.float32) * np.float32(g - 1)
    i0 = np.minimum(x.astype(np.int32), g - 2)
    t = x - i0
    tr, tg, tb = t[:, 0:1], t[:, 1:2], t[:, 2:3]
    flat = lut.reshape(-1, 3)
    base = (i0[:, 0] * g + i0[:, 1]) * g + i0[:, 2]

    def along_b(offset):
        lo = flat[base + offset]
        return lo + tb * (flat[base + offset + 1] - lo)

    c0 = along_b(0)
    c0 += tg * (along_b(g) - c0)
    c1 = along_b(g * g)
    c1 += tg * (along_b(g * g + g) - c1)
    c0 += tr * (c1 - c0)
    out = c0.astype(np.float64).reshape(img.shape)
    return np.clip(out, 0.0, 1.0, out=out) if clip else out


# ----------------------------------------------------------------------------------------------
# Exact transfers (small images) and the per-pixel sorted flow
# ----------------------------------------------------------------------------------------------


def _exact(src, tgt, max_pixels):
    """Optimal assignment between the downsampled images; returns the downsampled result."""
    h, w = src.shape[:2]
    scale = min(1.0, np.sqrt(max_pixels / (h * w)))
    shape = (max(1, round(h * scale)), max(1, round(w * scale)))
    small = data.resize(src, shape)
    # The target is resampled to the same number of pixels (its aspect ratio does not matter for
    # its colour distribution).
    tsmall = data.resize(tgt, shape)
    X, Y = small.reshape(-1, 3), tsmall.reshape(-1, 3)
    sigma = discrete.assignment(X, Y, p=2)  # scipy's linear_sum_assignment on ||X_i - Y_j||^2
    return Y[sigma].reshape(small.shape)


def transfer(source, target, method="sliced", *, rng=None, n_iter=None, clip=True, max_pixels=4096,
             **options):
    """Give ``source`` the colours of ``target``.

    Parameters
    ----------
    source, target : ndarray of shape (H, W, 3) and (H', W', 3)
        RGB images of the same dtype (floats in ``[0, 1]``, or ``uint8``); sizes may differ.
    method : {"sliced", "sorted", "exact", "gaussian", "reinhard"}, default "sliced"
        See the module docstring.
    rng : None, int or numpy.random.Generator
        Randomness of ``"sliced"`` and ``"sorted"``.
    n_iter : int, optional
        IDT steps of ``"sliced"`` (default 10) and ``"sorted"`` (default 20).
    clip : bool, default True
        Clip the result to ``[0, 1]``. ``clip=False`` keeps the exact moments of ``"gaussian"`` and
        ``"reinhard"`` (values may leave the cube).
    max_pixels : int, default 4096
        ``"exact"`` only: both images are downsampled (:func:`ottools.data.resize`) to at most this many pixels,
        and the result has the downsampled source's shape. The assignment costs :math:`O(N^3)`.
    **options
        Passed to :func:`fit_sliced_lut` (``n_samples``, ``n_quantiles``, ``lut_size``).

    Returns
    -------
    out : ndarray of shape (H, W, 3), float64
        The recoloured source (for ``"exact"``, at the downsampled size).

    Notes
    -----
    * ``"sliced"``: :func:`fit_sliced_lut` then :func:`apply_lut`, about 0.3 s for a
      1024 x 1024 photograph; a function of the colour.
    * ``"sorted"``: :func:`ottools.sliced.sliced_transport` on all pixels (quantile matching when
      the sizes differ); identical colours may be split, which is slide 17's speckle.
    * ``"exact"``: :math:`\\tilde f_0 = f_1 \\circ \\sigma^\\star` with the optimal assignment
      :math:`\\sigma^\\star` of the squared Euclidean cost (:func:`ottools.discrete.assignment`).
    * ``"gaussian"``: :func:`gaussian_map`; ``"reinhard"``: per-channel affine maps in
      :func:`rgb_to_lab` space, :math:`c' = \\frac{\\sigma_c^{t}}{\\sigma_c^{s}}(c - \\bar c^{s}) + \\bar c^{t}`.

    References
    ----------
    E. Reinhard et al., "Color transfer between images", IEEE CG&A 21(5), 2001. F. Pitié,
    A. Kokaram, R. Dahyot, CVIU 107, 2007. J. Rabin, G. Peyré, J. Delon, M. Bernot, SSVM 2011.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.random((8, 8, 3)), rng.random((6, 5, 3)) ** 2
    >>> transfer(a, b, "gaussian").shape
    (8, 8, 3)
    """
    src, tgt = _check_pair(source, target)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if options and method != "sliced":
        raise ValueError(f"options {sorted(options)} apply to method='sliced' only")
    X, Y = src.reshape(-1, 3), tgt.reshape(-1, 3)
    if method == "sliced":
        lut = fit_sliced_lut(src, tgt, 10 if n_iter is None else n_iter, rng=rng, **options)
        return apply_lut(src, lut, clip=clip)
    if method == "sorted":
        n_iter = 20 if n_iter is None else check_positive_int(n_iter, "n_iter", minimum=0)
        out = sliced.sliced_transport(X, Y, n_iter, rng=rng).reshape(src.shape)
    elif method == "exact":
        max_pixels = check_positive_int(max_pixels, "max_pixels")
        out = _exact(src, tgt, max_pixels)
    elif method == "gaussian":
        A, b = gaussian_map(X, Y)
        out = (X @ A.T + b).reshape(src.shape)
    else:
        out = _reinhard(X, Y).reshape(src.shape)
    return np.clip(out, 0.0, 1.0) if clip else out


def exchange(a, b, method="sliced", **kwargs):
    """Colour exchange (slide 16): ``a`` with the colours of ``b`` and ``b`` with those of ``a``.

    Parameters
    ----------
    a, b : ndarray of shape (H, W, 3) and (H', W', 3)
    method : str, default "sliced"
        Any method of :func:`transfer`.
    **kwargs
        Passed to :func:`transfer` (e.g. ``rng``).

    Returns
    -------
    a_like_b, b_like_a : ndarray
        ``transfer(a, b)`` and ``transfer(b, a)``.
    """
    return transfer(a, b, method, **kwargs), transfer(b, a, method, **kwargs)


# ----------------------------------------------------------------------------------------------
# Regularisation of the transport map (slide 17's remedy)
# ----------------------------------------------------------------------------------------------


def box_mean(img, radius):
    """Mean over the ``(2r+1) x (2r+1)`` window around each pixel, truncated at the borders.

    Parameters
    ----------
    img : ndarray of shape (H, W, ...)
    radius : int
        ``0`` returns a copy; a radius of at least ``max(H, W)`` gives the global mean everywhere.

    Returns
    -------
    mean : ndarray of the same shape

    Notes
    -----
    Two cumulative sums (summed-area table), :math:`O(HW)` whatever the radius; near the border
    the window is cut and the sum divided by the number of pixels it holds.

    Examples
    --------
    >>> box_mean(np.arange(4.0).reshape(1, 4), 1)
    array([[0.5, 1. , 2. , 2.5]])
    """
    img = np.asarray(img, dtype=np.float64)
    r = check_positive_int(radius, "radius", minimum=0)
    if r == 0:
        return img.copy()
    h, w = img.shape[:2]
    S = np.zeros((h + 1, w + 1) + img.shape[2:])
    S[1:, 1:] = img.cumsum(0).cumsum(1)
    i = np.arange(h)
    j = np.arange(w)
    i0, i1 = np.maximum(i - r, 0), np.minimum(i + r + 1, h)
    j0, j1 = np.maximum(j - r, 0), np.minimum(j + r + 1, w)
    total = S[i1][:, j1] - S[i0][:, j1] - S[i1][:, j0] + S[i0][:, j0]
    count = ((i1 - i0)[:, None] * (j1 - j0)[None, :]).reshape((h, w) + (1,) * (img.ndim - 2))
    return total / count


def regularize(source, transferred, radius=5, sigma=0.1):
    """Transport-map regularisation: filter the colour change ``T(u) - u`` guided by ``u``.

    Parameters
    ----------
    source : ndarray of shape (H, W, 3)
        The original image :math:`u`.
    transferred : ndarray of shape (H, W, 3)
        Its recoloured version :math:`T(u)` (any method).
    radius : int, default 5
        Window radius :math:`r` in pixels; ``0`` returns ``transferred`` unchanged.
    sigma : float, default 0.1
        Colour scale :math:`\\sigma > 0`: colour variations of ``u`` much smaller than ``sigma`` in a
        window are treated as noise (the map is made constant there), larger ones as edges (the map
        may vary with them).

    Returns
    -------
    out : ndarray of shape (H, W, 3)
        :math:`\\tilde u = u + q`, clipped to ``[0, 1]``.

    Notes
    -----
    Rabin, Delon and Gousseau filter the map :math:`M = T(u) - u` with a filter guided by
    :math:`u` (they use a Yaroslavsky filter, :math:`O(N r^2)`). Here the guided filter of He, Sun
    and Tang plays that role in :math:`O(N)` whatever ``r``: in each window :math:`\\omega_k`,
    :math:`M` is fitted by an affine function of the colour, :math:`M \\approx a_k u + b_k` with
    :math:`a_k = (\\Sigma_k + \\sigma^2 I)^{-1}\\mathrm{cov}_k(u, M)` and
    :math:`b_k = \\bar M_k - a_k \\bar u_k`, and
    :math:`q(x) = \\overline{a}(x)\\,u(x) + \\overline{b}(x)` averages the fits of the windows that
    contain :math:`x`. Box means are summed-area tables (:func:`box_mean`). Limits (tested):
    :math:`r = 0` gives :math:`T(u)`; a constant change :math:`M = c` is kept exactly; as
    :math:`\\sigma \\to \\infty` with :math:`r \\ge \\max(H, W)`, :math:`\\tilde u = u + \\mathrm{mean}(M)`.

    References
    ----------
    J. Rabin, J. Delon, Y. Gousseau, "Regularization of transportation maps for color and contrast
    transfer", ICIP 2010; "Removing artefacts from color and contrast modifications", IEEE TIP
    20(11), 2011. K. He, J. Sun, X. Tang, "Guided image filtering", IEEE TPAMI 35(6), 2013.
    """
    u = check_image(source, "source", allow_grey=False)
    v = check_image(transferred, "transferred", allow_grey=False)
    if u.shape != v.shape:
        raise ValueError(f"source and transferred must have the same shape, got {u.shape} and {v.shape}")
    r = check_positive_int(radius, "radius", minimum=0)
    sigma = _check_scale(sigma, "sigma", positive=True)
    if r == 0:
        return v.copy()
    M = v - u
    mu, mM = box_mean(u, r), box_mean(M, r)
    # Per-window covariance of the guide (3 x 3) and cross-covariance guide / map (3 x 3).
    uu = box_mean(u[..., :, None] * u[..., None, :], r) - mu[..., :, None] * mu[..., None, :]
    uM = box_mean(u[..., :, None] * M[..., None, :], r) - mu[..., :, None] * mM[..., None, :]
    a = np.linalg.solve(uu + sigma**2 * np.eye(3), uM)  # (H, W, 3, 3): M ~ a^T u + b
    b = mM - np.einsum("...ij,...i->...j", a, mu)
    q = np.einsum("...ij,...i->...j", box_mean(a, r), u) + box_mean(b, r)
    return np.clip(u + q, 0.0, 1.0)


# ----------------------------------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------------------------------


def color_sliced_distance(a, b, n_directions=256, rng=0, directions=None, chunk=32):
    """Sliced Wasserstein distance :math:`SW_2` between the colour clouds of two images.

    Parameters
    ----------
    a, b : ndarray of shape (H, W, 3) or (N, 3)
        Images or colour clouds (sizes may differ: quantile matching).
    n_directions : int, default 256
        Random directions drawn with ``rng`` (ignored when ``directions`` is given).
    rng : None, int or numpy.random.Generator, default 0
        Fixed by default, so that methods are compared on the same directions.
    directions : ndarray of shape (K, 3), optional
    chunk : int, default 32
        Directions per call of :func:`ottools.sliced.sliced_wasserstein_distance` (memory: a
        ``(chunk, N)`` array of projections).

    Returns
    -------
    sw : float
        :math:`SW_2` (square it for the "remaining squared sliced distance" of the benchmarks).

    Notes
    -----
    :math:`SW_2^2 = \\frac1K \\sum_k W_2^2(P_{\\theta_k}\\sharp\\mu_a, P_{\\theta_k}\\sharp\\mu_b)` is an
    average over directions, computed by chunks of directions in float32 (relative error about
    ``1e-6``).
    """
    X = _colours(a, "a")
    Y = _colours(b, "b")
    if directions is None:
        n_directions = check_positive_int(n_directions, "n_directions")
        directions = sliced.random_directions(n_directions, 3, rng)
    theta = as_float_array(directions, "directions", ndim=2)
    chunk = check_positive_int(chunk, "chunk")
    total = 0.0
    for start in range(0, theta.shape[0], chunk):  # loop over chunks of directions only
        part = theta[start:start + chunk]
        sw = sliced.sliced_wasserstein_distance(X, Y, directions=part, dtype=np.float32)
        total += part.shape[0] * sw**2
    return float(np.sqrt(total / theta.shape[0]))


def gradient_energy(img):
    """Squared gradient norm of an image at each pixel (forward differences, summed over channels).

    Parameters
    ----------
    img : ndarray of shape (H, W, 3) or (H, W)

    Returns
    -------
    e : ndarray of shape (H, W)
        :math:`|\\partial_1 f|^2 + |\\partial_2 f|^2` (zero differences on the last row and column).

    Notes
    -----
    The ratio of the mean of :math:`e` after and before a transfer, in the flat regions of the
    source, measures how much a colour map amplifies noise and compression blocks (MATH.md 3.8).
    """
    f = check_image(img, "img")
    if f.ndim == 2:
        f = f[..., None]
    e = np.zeros(f.shape[:2])
    e[:-1] += ((f[1:] - f[:-1]) ** 2).sum(-1)
    e[:, :-1] += ((f[:, 1:] - f[:, :-1]) ** 2).sum(-1)
    return e


def timed(fn, *args, **kwargs):
    """``(result, seconds)`` of one call (for the tour's comparison table)."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


# Colour harmonisation (slides 22-25) is a colour operation built on the sliced barycenter; it lives
# with the barycenters and is re-exported here, so that `color.harmonize` sits next to `color.transfer`.
from ottools.barycenters import harmonize  # noqa: E402  (barycenters imports color lazily: no cycle)

__all__.append("harmonize")
