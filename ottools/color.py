r"""Colour transfer between photographs by optimal transport, colour exchange, artefact removal and
colour harmonisation.

Taught in ``tours/06_color_transfer.ipynb`` (slides 11 and 15-17) and
``tours/08_color_harmonization.ipynb`` (slides 22-25).

An RGB image ``f`` of shape ``(H, W, 3)`` is read as the cloud of its ``N = H W`` pixel colours, the
probability measure :math:`\mu_f = \frac1N \sum_x \delta_{f(x)}` on :math:`[0, 1]^3`. Transferring the
colours of ``target`` onto ``source`` means finding a map :math:`T` with
:math:`T\sharp\mu_{\rm source} \approx \mu_{\rm target}` and returning :math:`T \circ f_{\rm source}`.

Methods of :func:`transfer` (all but ``"exact"`` map the colours of an image onto a *cloud* of
colours, so :func:`harmonize` uses them too, through the same private step):

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
  :math:`l\alpha\beta` space (Reinhard et al. 2001), with exact matrix inverses.

Artefact removal (slide 17): :func:`yaroslavsky_regularize`, the transport-map regularisation of
Rabin, Delon and Gousseau (a Yaroslavsky filter of the colour change guided by the image), and
:func:`regularize`, a guided filter in the same spirit whose cost does not depend on the radius.

Distances: :func:`color_sliced_distance` returns :math:`SW_2` (not squared) between the colour clouds.

References
----------
E. Reinhard, M. Ashikhmin, B. Gooch, P. Shirley, "Color transfer between images", IEEE CG&A 21(5),
2001. F. Pitié, A. Kokaram, R. Dahyot, "Automated colour grading using colour distribution transfer",
CVIU 107(1-2), 2007. J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its
application to texture mixing", SSVM 2011. J. Rabin, J. Delon, Y. Gousseau, "Removing artefacts from
color and contrast modifications", IEEE TIP 20(11), 2011.
"""

from __future__ import annotations

import numpy as np

from ottools import _onedim, barycenters, data, discrete, gaussian, sliced
from ottools._validate import (
    as_float_array,
    check_bool,
    check_callable,
    check_colours,
    check_directions,
    check_image,
    check_int,
    check_max_iter,
    check_memory,
    check_option,
    check_points,
    check_positive_int,
    check_real,
    check_rng,
    check_sequence,
    check_simplex,
)

__all__ = [
    "METHODS",
    "HARMONIZE_METHODS",
    "RGB_TO_LMS",
    "rgb_to_lab",
    "lab_to_rgb",
    "gaussian_map",
    "quasi_random_bases",
    "fit_sliced_lut",
    "apply_lut",
    "transfer",
    "exchange",
    "harmonize",
    "regularize",
    "yaroslavsky_regularize",
    "color_sliced_distance",
    "gradient_energy",
    "box_mean",
    "rgb_to_cielab",
    "cielab_to_rgb",
]

#: Names accepted by ``transfer(..., method=...)``.
METHODS = ("sliced", "sorted", "exact", "gaussian", "reinhard")
#: Names accepted by ``harmonize(..., method=...)``: the methods that map an image onto a colour cloud.
HARMONIZE_METHODS = ("sliced", "sorted", "gaussian", "reinhard")
#: Defaults of :func:`fit_sliced_lut` (also those of ``transfer(method="sliced")`` and
#: :func:`harmonize`); chosen so that the transfer of ``benchmarks/bench_color.py`` leaves, for every
#: seed, less squared sliced distance than iterative distribution transfer (IDT).
LUT_DEFAULTS = {"n_iter": 16, "n_samples": 60000, "n_quantiles": 32, "lut_size": 33, "bases": "quasi"}
#: Iterations of the iterative methods when ``n_iter`` is not given.
DEFAULT_N_ITER = {"sliced": LUT_DEFAULTS["n_iter"], "sorted": 20}
#: Rotations of the IDT steps of :func:`fit_sliced_lut`.
BASES = ("quasi", "random")

#: RGB -> LMS cone responses, as printed by Reinhard et al. (2001).
RGB_TO_LMS = np.array(
    [[0.3811, 0.5783, 0.0402],
     [0.1967, 0.7244, 0.0782],
     [0.0241, 0.1288, 0.8444]]
)
#: Its **exact** inverse. The inverse printed by Reinhard et al. is rounded (its entry (3, 1) reads
#: 0.0497 for 0.0585): an RGB -> LMS -> RGB round trip through it errs by up to 7e-3.
LMS_TO_RGB = np.linalg.inv(RGB_TO_LMS)
#: log-LMS -> l alpha beta (Ruderman et al. 1998): a scaled orthogonal decorrelating rotation.
LOGLMS_TO_LAB = np.diag([1 / np.sqrt(3), 1 / np.sqrt(6), 1 / np.sqrt(2)]) @ np.array(
    [[1.0, 1.0, 1.0], [1.0, 1.0, -2.0], [1.0, -1.0, 0.0]]
)
LAB_TO_LOGLMS = np.linalg.inv(LOGLMS_TO_LAB)
#: Smallest LMS value before the logarithm (one 8-bit grey level).
LMS_FLOOR = 1.0 / 255.0
#: Largest log10 LMS value that :func:`lab_to_rgb` exponentiates (10**300 is still finite).
LOG_LMS_MAX = 300.0

#: Bytes per pixel held by :func:`regularize` at its peak (the 3 x 3 window moments and their
#: summed-area tables, in float64), counted before allocating.
REGULARIZE_BYTES_PER_PIXEL = 8 * 120
#: Bytes per grid point of a lookup table while it is fitted (the grid, its rotated copy and the
#: interpolated shifts, float32, three channels each).
LUT_BYTES_PER_POINT = 4 * 3 * 6


# ----------------------------------------------------------------------------------------------
# Colour spaces and the two affine baselines
# ----------------------------------------------------------------------------------------------


def _colour_array(x, name):
    r"""A finite float array of colours ``(..., 3)`` (any real values)."""
    arr = as_float_array(x, name)
    if arr.ndim < 1 or arr.shape[-1] != 3:
        raise ValueError(f"{name} must have shape (..., 3) (three colour channels), got {arr.shape}")
    return arr


def rgb_to_lab(rgb):
    r"""Ruderman's :math:`l\alpha\beta` colour space (not CIE L*a*b*) used by Reinhard et al.

    Parameters
    ----------
    rgb : ndarray of shape (..., 3)
        Colours, finite (values outside ``[0, 1]`` are allowed, so that out-of-gamut maps can be
        inverted; LMS values below :data:`LMS_FLOOR` are raised to it before the logarithm).

    Returns
    -------
    lab : ndarray of shape (..., 3)

    Notes
    -----
    :math:`\mathrm{LMS} = M\,\mathrm{RGB}` (:data:`RGB_TO_LMS`), :math:`L = \log_{10}\max(\mathrm{LMS},
    1/255)`, :math:`(l, \alpha, \beta) = \mathrm{diag}(3^{-1/2}, 6^{-1/2}, 2^{-1/2})
    \begin{pmatrix}1&1&1\\1&1&-2\\1&-1&0\end{pmatrix} L`.

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
    return _rgb_to_lab(_colour_array(rgb, "rgb"))


def _rgb_to_lab(rgb):
    lms = np.maximum(rgb @ RGB_TO_LMS.T, LMS_FLOOR)
    return np.log10(lms) @ LOGLMS_TO_LAB.T


def lab_to_rgb(lab):
    r"""Inverse of :func:`rgb_to_lab` (exact matrix inverses; no clipping).

    Parameters
    ----------
    lab : ndarray of shape (..., 3)
        Finite values whose log-LMS coordinates stay below :data:`LOG_LMS_MAX` (larger ones would
        overflow the exponential).

    Returns
    -------
    rgb : ndarray of shape (..., 3)
    """
    return _lab_to_rgb(_colour_array(lab, "lab"), "lab")


def _lab_to_rgb(lab, name="lab"):
    log_lms = lab @ LAB_TO_LOGLMS.T
    if log_lms.size and log_lms.max() > LOG_LMS_MAX:
        raise ValueError(f"{name} is too large: its log10 LMS values reach {log_lms.max():.3g}, above "
                         f"{LOG_LMS_MAX:g} (10**x would overflow)")
    return (10.0 ** log_lms) @ LMS_TO_RGB.T


def gaussian_map(X, Y, *, eps=1e-8):
    r"""Linear Monge-Kantorovich map between the Gaussians fitted to two colour clouds.

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
    :math:`A = \Sigma_0^{-1/2}(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2}\Sigma_0^{-1/2}`, so that
    :math:`A\Sigma_0A = \Sigma_1`: the output has exactly the target's mean and covariance
    (slides 30-31 print :math:`Sx + m_1 - m_0`, a typo). The same map as POT's
    ``ot.gaussian.bures_wasserstein_mapping``; computed by :func:`ottools.gaussian.ot_map`.

    References
    ----------
    F. Pitié, A. Kokaram, "The linear Monge-Kantorovitch linear colour mapping for example-based
    colour transfer", IET CVMP 2007.
    """
    X = check_points(X, "X", d=3)
    Y = check_points(Y, "Y", d=3)
    eps = check_real(eps, "eps", minimum=0.0)
    return _gaussian_map(X, Y, eps)


def _gaussian_map(X, Y, eps):
    m0, m1 = X.mean(axis=0), Y.mean(axis=0)
    S0 = (X - m0).T @ (X - m0) / X.shape[0]
    S1 = (Y - m1).T @ (Y - m1) / Y.shape[0]
    return gaussian.ot_map(m0, S0 + eps * np.eye(3), m1, S1, form="standard")


def _reinhard(src, tgt):
    r"""l alpha beta means and deviations of ``tgt`` given to ``src`` (pixel arrays (N, 3))."""
    ls, lt = _rgb_to_lab(src), _rgb_to_lab(tgt)
    ms, ss = ls.mean(axis=0), ls.std(axis=0)
    mt, st = lt.mean(axis=0), lt.std(axis=0)
    scale = st / np.where(ss > 0, ss, 1.0)
    return _lab_to_rgb((ls - ms) * scale + mt, "the transferred colours")


# ----------------------------------------------------------------------------------------------
# Sliced transfer as a 3-D lookup table
# ----------------------------------------------------------------------------------------------


def _grid(lut_size, dtype=np.float32):
    axis = np.linspace(0.0, 1.0, lut_size, dtype=dtype)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)


def quasi_random_bases(n, rng=None):
    r"""``n`` well-spread rotations of :math:`\mathbb R^3` (randomised quasi-Monte Carlo on SO(3)).

    Parameters
    ----------
    n : int, >= 0
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
    unit quaternion :math:`(\sqrt{1-u_1}\sin 2\pi u_2, \sqrt{1-u_1}\cos 2\pi u_2,
    \sqrt{u_1}\sin 2\pi u_3, \sqrt{u_1}\cos 2\pi u_3)`, hence to a Haar-uniform rotation.
    Feeding it the low-discrepancy sequence :math:`u_\ell = \{s + \ell\,\alpha\}`,
    :math:`\alpha = (\varphi^{-1}, \varphi^{-2}, \varphi^{-3})` with :math:`\varphi^4 = \varphi + 1`
    (Roberts' generalised golden ratio), and a random shift :math:`s`, gives rotations that are
    each Haar-distributed but cover SO(3) more evenly than independent draws: consecutive IDT
    steps then look along new directions, and the flow converges faster on average, with a smaller
    spread between seeds.

    References
    ----------
    K. Shoemake, "Uniform random rotations", Graphics Gems III, 1992. M. Roberts, "The unreasonable
    effectiveness of quasirandom sequences", 2018.

    Examples
    --------
    >>> B = quasi_random_bases(4, rng=0)
    >>> bool(np.allclose(B @ B.transpose(0, 2, 1), np.eye(3)))
    True
    """
    n = check_int(n, "n", minimum=0)
    check_memory(16 * 9 * 8.0 * n, "n", hint="draw fewer rotations")  # u, quaternions, the 3 x 3 entries
    return _quasi_random_bases(n, check_rng(rng))


def _quasi_random_bases(n, rng):
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


def _lut_options(*, n_samples, n_quantiles, lut_size, bases):
    r"""The options of the lookup table, validated, sizes checked against the memory limit."""
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    # the two samples, their projections, sorted copies and the pieces of the knots (8 bytes)
    check_memory(2 * 12 * 3 * 8.0 * n_samples, "n_samples", hint="use fewer samples")
    n_quantiles = check_positive_int(n_quantiles, "n_quantiles", minimum=2)
    check_memory(2 * 8 * 3 * 8.0 * n_quantiles, "n_quantiles", hint="use fewer quantiles")
    lut_size = check_positive_int(lut_size, "lut_size", minimum=2)
    check_memory(LUT_BYTES_PER_POINT * float(lut_size) ** 3, "lut_size", hint="use a smaller table")
    bases = check_option(bases, "bases", BASES)
    return {"n_samples": n_samples, "n_quantiles": n_quantiles, "lut_size": lut_size, "bases": bases}


def fit_sliced_lut(source, target, *, n_iter=LUT_DEFAULTS["n_iter"], n_samples=LUT_DEFAULTS["n_samples"],
                   n_quantiles=LUT_DEFAULTS["n_quantiles"], lut_size=LUT_DEFAULTS["lut_size"],
                   bases=LUT_DEFAULTS["bases"], rng=None, callback=None):
    r"""Learn the sliced (IDT) colour map from ``source`` to ``target`` as a 3-D lookup table.

    Parameters
    ----------
    source, target : ndarray of shape (H, W, 3) or (N, 3)
        Images (or colour clouds) with values in ``[0, 1]``.
    n_iter : int, default 16
        IDT steps (an orthonormal basis each, step 1). ``0`` gives the identity table.
    n_samples : int, default 60000
        Pixels drawn (without replacement) from each image to learn the map (all of them if there
        are fewer).
    n_quantiles : int, default 32
        Knots of each 1-D map (see Notes).
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
    One IDT step with the orthonormal basis :math:`\theta_1, \theta_2, \theta_3` is
    :math:`c \mapsto c + \sum_k (f_k(\langle c,\theta_k\rangle) - \langle c,\theta_k\rangle)\theta_k`,
    where :math:`f_k` is the 1-D monotone (optimal) map along :math:`\theta_k`. Here :math:`f_k` is
    the piecewise-linear interpolation through ``n_quantiles`` pairs of knots, extended by
    translations: the knots of a projected sample are the means of its ``n_quantiles`` equal-mass
    quantile bins (its best ``W_2`` approximation by ``n_quantiles`` equal atoms; the barycentric
    projection of :mod:`ottools._onedim`), and the knots of the two samples are matched in order.
    Three choices make the table fast **and** accurate:

    * the map is a continuous function of the colour, evaluated on the grid only, so applying it to
      a photograph costs one trilinear interpolation per pixel, and identical colours stay
      identical (no speckle);
    * learning on a sample of ``n_samples`` pixels costs :math:`O(n_{\rm iter}\, n \log n)`
      whatever the image size;
    * smoothing each 1-D map by a few dozen knots matters: the exact sorted matching of two
      samples has random slopes (ratios of spacings of sorted samples) that, composed over the
      iterations, make the map rough between the samples, and the pixels of the full image, which
      lie between the samples, are then sent further from the target as iterations go on. A bin
      mean averages ``n_samples / n_quantiles`` order statistics, so the knots (and the result)
      vary much less from one sample to another than single quantiles would.

    The defaults were chosen on the benchmark pair (astronaut onto coffee, 1024 x 1024, squared
    sliced distance left, ``benchmarks/bench_color.py``): 16 knots oversmooth (more is left, for
    every seed), 64 let the noise of the samples through (a wide spread between seeds), 32 sit
    between; with 60,000 samples and 16 steps 0.9e-4 to 1.5e-4 is left over 30 seeds, against
    2.6e-4 for IDT on every pixel, and 1.6e-4 to 2.8e-4 with the former 20,000 samples, 64 single
    quantiles and 10 steps.

    References
    ----------
    F. Pitié, A. Kokaram, R. Dahyot, "Automated colour grading using colour distribution transfer",
    CVIU 107(1-2), 2007. N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein
    barycenters of measures", JMIV 51(1), 2015.
    """
    X = check_colours(source, "source")
    Y = check_colours(target, "target")
    n_iter = check_max_iter(n_iter, "n_iter", minimum=0)
    opts = _lut_options(n_samples=n_samples, n_quantiles=n_quantiles, lut_size=lut_size, bases=bases)
    callback = check_callable(callback, "callback")
    return _fit_sliced_lut(X, Y, n_iter, opts["n_samples"],
                           opts["n_quantiles"], opts["lut_size"], opts["bases"], check_rng(rng), callback)


def _sample(X, n, rng):
    r"""``n`` distinct rows of ``X`` (all of them if there are fewer), as a (3, n) float32 array."""
    if X.shape[0] > n:
        X = X[rng.choice(X.shape[0], n, replace=False)]
    return np.ascontiguousarray(X.T, dtype=np.float32)


def _rotate(R, X):
    r"""``R @ X`` for a (3, 3) matrix and a (3, n) array, without BLAS (whose threads only slow down
    products this thin)."""
    return R[:, 0:1] * X[0] + R[:, 1:2] * X[1] + R[:, 2:3] * X[2]


def _knot_means(n_quantiles, n):
    r"""A function: sorted projections (3, n) -> the means of their ``n_quantiles`` equal-mass bins (3, nq)."""
    ix, iy, lengths = _onedim.uniform_pieces(n_quantiles, n)
    mass = np.full(n_quantiles, 1.0 / n_quantiles)
    return lambda s: _onedim.atom_means(s[:, iy].astype(np.float64), ix, lengths, mass).astype(np.float32)


def _fit_sliced_lut(X, Y, n_iter, n_samples, n_quantiles, lut_size, bases, rng, callback=None):
    r"""The table on checked colour clouds (N, 3) and (M, 3) (see :func:`fit_sliced_lut`)."""
    X = _sample(X, n_samples, rng)  # (3, n): one row per coordinate, the projections are rows too
    Y = _sample(Y, n_samples, rng)
    Z = np.ascontiguousarray(_grid(lut_size).T)  # (3, g^3)
    knots_of_x, knots_of_y = _knot_means(n_quantiles, X.shape[1]), _knot_means(n_quantiles, Y.shape[1])
    if bases == "quasi":
        rotations = _quasi_random_bases(n_iter, rng)
    else:
        rotations = sliced._haar_bases(n_iter, 3, rng) if n_iter else np.zeros((0, 3, 3))
    for it, basis in enumerate(rotations.astype(np.float32)):  # rows theta_k
        PX, PZ = _rotate(basis, X), _rotate(basis, Z)
        knots_x = knots_of_x(np.sort(PX, axis=1))
        knots_y = knots_of_y(np.sort(_rotate(basis, Y), axis=1))
        for k in range(3):  # the three axes of the basis
            shift = knots_y[k] - knots_x[k]
            PX[k] += np.interp(PX[k], knots_x[k], shift).astype(np.float32)
            PZ[k] += np.interp(PZ[k], knots_x[k], shift).astype(np.float32)
        X, Z = _rotate(basis.T, PX), _rotate(basis.T, PZ)
        if callback is not None:
            callback(it + 1, Z.T.reshape(lut_size, lut_size, lut_size, 3).copy())
    return np.ascontiguousarray(Z.T).reshape(lut_size, lut_size, lut_size, 3)


def apply_lut(img, lut, *, clip=True):
    r"""Recolour an image with a 3-D lookup table (trilinear interpolation, float32).

    Parameters
    ----------
    img : ndarray of shape (H, W, 3), values in [0, 1]
    lut : ndarray of shape (g, g, g, 3)
        As returned by :func:`fit_sliced_lut`, ``g >= 2``.
    clip : bool, default True
        Clip the output to ``[0, 1]``.

    Returns
    -------
    out : ndarray of shape (H, W, 3), float64

    Notes
    -----
    The colour :math:`c` falls in the grid cell of lower corner :math:`i = \lfloor (g-1)c \rfloor`
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
    clip = check_bool(clip, "clip")
    out = _apply_lut(img, lut)
    return np.clip(out, 0.0, 1.0, out=out) if clip else out


def _apply_lut(img, lut):
    r"""Trilinear interpolation of the table ``lut`` (g, g, g, 3) at the colours of ``img`` (..., 3)."""
    g = lut.shape[0]
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
    return c0.astype(np.float64).reshape(img.shape)


# ----------------------------------------------------------------------------------------------
# Transfer, exchange and harmonisation: one step maps the colours of an image onto a cloud
# ----------------------------------------------------------------------------------------------


def _exact(src, tgt, max_pixels):
    r"""Optimal assignment between the downsampled images; returns the downsampled result."""
    h, w = src.shape[:2]
    scale = min(1.0, np.sqrt(max_pixels / (h * w)))
    shape = (max(1, round(h * scale)), max(1, round(w * scale)))
    small = data.resize(src, shape)
    # The target is resampled to the same number of pixels (its aspect ratio does not matter for
    # its colour distribution).
    tsmall = data.resize(tgt, shape)
    X, Y = small.reshape(-1, 3), tsmall.reshape(-1, 3)
    sigma = discrete._assignment(X, Y, 2.0)  # scipy's linear_sum_assignment on ||X_i - Y_j||^2
    return Y[sigma].reshape(small.shape)


def _mapping_options(method, methods, *, n_iter, max_pixels, n_samples, n_quantiles, lut_size, bases):
    r"""The options of the colour mapping step, validated once for transfer, exchange and harmonize.

    ``None`` means the default of the method; an option given to a method that does not use it is
    an error (it would be silently ignored otherwise).
    """
    method = check_option(method, "method", methods)
    lut = {"n_samples": n_samples, "n_quantiles": n_quantiles, "lut_size": lut_size, "bases": bases}
    given = sorted(k for k, v in lut.items() if v is not None)
    if given and method != "sliced":
        raise ValueError(f"options {given} apply to method='sliced' only, got method={method!r}")
    if n_iter is not None and method not in DEFAULT_N_ITER:
        raise ValueError(f"n_iter applies to the iterative methods {tuple(DEFAULT_N_ITER)} only, "
                         f"got method={method!r}")
    opts = {"method": method}
    if method in DEFAULT_N_ITER:
        opts["n_iter"] = DEFAULT_N_ITER[method] if n_iter is None else check_max_iter(n_iter, "n_iter", minimum=0)
    if method == "sliced":
        opts.update(_lut_options(n_samples=LUT_DEFAULTS["n_samples"] if n_samples is None else n_samples,
                                 n_quantiles=LUT_DEFAULTS["n_quantiles"] if n_quantiles is None else n_quantiles,
                                 lut_size=LUT_DEFAULTS["lut_size"] if lut_size is None else lut_size,
                                 bases=LUT_DEFAULTS["bases"] if bases is None else bases))
    max_pixels = check_positive_int(max_pixels, "max_pixels")
    # the dense cost matrix of "exact" and scipy's working copy of it
    check_memory(discrete.ASSIGNMENT_ARRAYS * 8.0 * float(max_pixels) ** 2, "max_pixels",
                 hint="the exact assignment costs O(N^3) anyway: use a few thousand pixels")
    if method == "exact":
        opts["max_pixels"] = max_pixels
    return opts


def _map_onto(src, Y, opts, rng):
    r"""The colours of the image ``src`` (H, W, 3) sent onto the colour cloud ``Y`` (M, 3), unclipped.

    The one step shared by :func:`transfer` (``Y`` the target's pixels) and :func:`harmonize`
    (``Y`` the barycenter's colours), for the methods that map onto a cloud.
    """
    X = src.reshape(-1, 3)
    method = opts["method"]
    if method == "sliced":
        lut = _fit_sliced_lut(X, np.clip(Y, 0.0, 1.0), opts["n_iter"],
                              opts["n_samples"], opts["n_quantiles"], opts["lut_size"], opts["bases"], rng)
        return _apply_lut(src, lut)
    if method == "sorted":
        moved = sliced._sliced_transport(X, Y, None, None, opts["n_iter"], 1.0, None, rng)
        return moved.reshape(src.shape)
    if method == "gaussian":
        A, b = _gaussian_map(X, Y, 1e-8)
        return (X @ A.T + b).reshape(src.shape)
    return _reinhard(X, Y).reshape(src.shape)


def _rgb_pair(source, target, names=("source", "target")):
    r"""Two RGB images as float64 arrays in ``[0, 1]`` (``uint8`` and ``uint16`` are scaled by
    :func:`ottools._validate.check_image`, so images of different dtypes are comparable)."""
    return check_image(source, names[0], allow_grey=False), check_image(target, names[1], allow_grey=False)


def _transfer(src, tgt, opts, rng, clip):
    if opts["method"] == "exact":
        out = _exact(src, tgt, opts["max_pixels"])
    else:
        out = _map_onto(src, tgt.reshape(-1, 3), opts, rng)
    return np.clip(out, 0.0, 1.0, out=out) if clip else out


def transfer(source, target, *, method="sliced", n_iter=None, rng=None, clip=True, max_pixels=4096,
             n_samples=None, n_quantiles=None, lut_size=None, bases=None):
    r"""Give ``source`` the colours of ``target``.

    Parameters
    ----------
    source, target : ndarray of shape (H, W, 3) and (H', W', 3)
        RGB images (floats in ``[0, 1]``, ``uint8`` or ``uint16``, scaled to ``[0, 1]``); sizes may
        differ.
    method : {"sliced", "sorted", "exact", "gaussian", "reinhard"}, default "sliced"
        See the module docstring.
    n_iter : int, optional
        IDT steps of ``"sliced"`` (default 16) and ``"sorted"`` (default 20); iterative methods only.
    rng : None, int or numpy.random.Generator
        Randomness of ``"sliced"`` (samples and rotations) and ``"sorted"`` (bases).
    clip : bool, default True
        Clip the result to ``[0, 1]``. ``clip=False`` keeps the exact moments of ``"gaussian"`` and
        ``"reinhard"`` (values may leave the cube).
    max_pixels : int, default 4096
        ``"exact"`` only: both images are downsampled (:func:`ottools.data.resize`) to at most this
        many pixels, and the result has the downsampled source's shape. The assignment costs
        :math:`O(N^3)` and its dense cost matrix :math:`8 N^2` bytes (limit: 2 GiB with scipy's
        copy, ``N`` about 11,000).
    n_samples, n_quantiles, lut_size, bases : optional
        ``"sliced"`` only: the options of :func:`fit_sliced_lut` (its defaults when omitted).

    Returns
    -------
    out : ndarray of shape (H, W, 3), float64
        The recoloured source (for ``"exact"``, at the downsampled size).

    Notes
    -----
    * ``"sliced"``: :func:`fit_sliced_lut` then :func:`apply_lut`, about 0.5 s for a
      1024 x 1024 photograph; a function of the colour.
    * ``"sorted"``: :func:`ottools.sliced.sliced_transport` on all pixels (quantile matching when
      the sizes differ); identical colours may be split, which is slide 17's speckle.
    * ``"exact"``: :math:`\tilde f_0 = f_1 \circ \sigma^\star` with the optimal assignment
      :math:`\sigma^\star` of the squared Euclidean cost (:func:`ottools.discrete.assignment`).
    * ``"gaussian"``: :func:`gaussian_map`; ``"reinhard"``: per-channel affine maps in
      :func:`rgb_to_lab` space, :math:`c' = \frac{\sigma_c^{t}}{\sigma_c^{s}}(c - \bar c^{s}) + \bar c^{t}`.

    References
    ----------
    E. Reinhard et al., "Color transfer between images", IEEE CG&A 21(5), 2001. F. Pitié,
    A. Kokaram, R. Dahyot, CVIU 107, 2007. J. Rabin, G. Peyré, J. Delon, M. Bernot, SSVM 2011.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> source, target = rng.random((8, 8, 3)), rng.random((6, 5, 3)) ** 2
    >>> transfer(source, target, method="gaussian").shape
    (8, 8, 3)
    """
    src, tgt = _rgb_pair(source, target)
    opts = _mapping_options(method, METHODS, n_iter=n_iter, max_pixels=max_pixels, n_samples=n_samples,
                            n_quantiles=n_quantiles, lut_size=lut_size, bases=bases)
    clip = check_bool(clip, "clip")
    return _transfer(src, tgt, opts, check_rng(rng), clip)


def exchange(image0, image1, *, method="sliced", n_iter=None, rng=None, clip=True, max_pixels=4096,
             n_samples=None, n_quantiles=None, lut_size=None, bases=None):
    r"""Colour exchange (slide 16): ``image0`` with the colours of ``image1`` and ``image1`` with those of ``image0``.

    Parameters
    ----------
    image0, image1 : ndarray of shape (H, W, 3) and (H', W', 3)
        RGB images.
    method, n_iter, rng, clip, max_pixels, n_samples, n_quantiles, lut_size, bases
        As in :func:`transfer` (one generator ``rng`` serves both transfers).

    Returns
    -------
    image0_like_image1, image1_like_image0 : ndarray
        ``transfer(image0, image1)`` and ``transfer(image1, image0)``.
    """
    im0, im1 = _rgb_pair(image0, image1, ("image0", "image1"))
    opts = _mapping_options(method, METHODS, n_iter=n_iter, max_pixels=max_pixels, n_samples=n_samples,
                            n_quantiles=n_quantiles, lut_size=lut_size, bases=bases)
    clip = check_bool(clip, "clip")
    rng = check_rng(rng)
    return _transfer(im0, im1, opts, rng, clip), _transfer(im1, im0, opts, rng, clip)


def harmonize(images, weights=None, *, method="sliced", n_points=16384, barycenter_iter=20, n_iter=None,
              regularize=None, rng=None, n_samples=None, n_quantiles=None, lut_size=None, bases=None):
    r"""Harmonise the colours of several photographs through their sliced barycenter.

    Parameters
    ----------
    images : list of L ndarrays of shape (H_i, W_i, 3)
        Colour images, values in ``[0, 1]``; sizes may differ.
    weights : ndarray of shape (L,), optional
        Barycentric weights on the simplex (uniform if omitted): how much each image's palette
        counts in the common one.
    method : {"sliced", "sorted", "gaussian", "reinhard"}, default "sliced"
        Step 2, the transfer of each image onto the barycenter's colours, by the same step as
        :func:`transfer` (tour 06). ``"sliced"``: the IDT flow learnt on a sample and applied as a
        3-D lookup table, a regular function of the colour, fast on whole photographs.
        ``"sorted"``: the flow run on every pixel, closer to the barycenter but it splits
        identical colours (slide 17's speckle) and is slower. ``"gaussian"``, ``"reinhard"``: the
        affine maps onto the barycenter's moments.
    n_points : int, default 16384
        Colours sampled from each image for step 1; the barycenter has this many atoms (fewer if
        an image is smaller).
    barycenter_iter : int, default 20
        Iterations of :func:`ottools.barycenters.sliced_barycenter` in step 1.
    n_iter : int, optional
        Iterations of step 2 (``"sliced"``: 16, ``"sorted"``: 20 by default).
    regularize : None or (radius, sigma)
        If given, the colour change of each image is filtered by :func:`regularize`
        (transport-map regularisation guided by the image).
    rng : None, int or numpy.random.Generator
        One generator for the samples, the barycenter and the transfers.
    n_samples, n_quantiles, lut_size, bases : optional
        ``"sliced"`` only: the options of :func:`fit_sliced_lut`.

    Returns
    -------
    harmonized : list of L ndarrays of shape (H_i, W_i, 3)
        The recoloured images, clipped to ``[0, 1]``.
    barycenter : ndarray of shape (n, 3)
        The common colour cloud of step 1.

    Notes
    -----
    Slides 22-25 (from J. Rabin's slides). Step 1: the sliced barycenter :math:`X^\star` of the
    colour clouds, :math:`\min_X\sum_i\lambda_i SW_2^2(\mu_X, \mu_{X_i})`
    (:func:`ottools.barycenters.sliced_barycenter`, started from the sample of the image of largest
    weight). Step 2: the transport of each image's colours onto :math:`\mu_{X^\star}` (clipped to
    the colour cube). The pairwise sliced distances between the harmonised images are a small
    fraction of the original ones (tour 08 measures the ratio). Every image is validated once,
    here.

    References
    ----------
    J. Rabin, G. Peyré, J. Delon, M. Bernot, SSVM 2011. N. Bonneel, J. Rabin, G. Peyré, H. Pfister,
    JMIV 51(1), 2015.
    """
    if isinstance(images, np.ndarray) and images.ndim == 3:
        raise ValueError("images must be a list of images (H, W, 3), got a single image; wrap it in a list")
    images = check_sequence(images, "images")
    images = [check_image(im, f"images[{i}]", allow_grey=False) for i, im in enumerate(images)]
    lam = check_simplex(weights, len(images), "weights")
    opts = _mapping_options(method, HARMONIZE_METHODS, n_iter=n_iter, max_pixels=4096, n_samples=n_samples,
                            n_quantiles=n_quantiles, lut_size=lut_size, bases=bases)
    n_points = check_positive_int(n_points, "n_points")
    # the samples, the barycenter's projections and sorted copies (float32), per image, counted for
    # the requested number (a documented limit, whatever the sizes of the images)
    check_memory(len(images) * float(n_points) * (3 * 8.0 + 12 * 4.0), "n_points", hint="sample fewer colours")
    n = min([n_points] + [im.shape[0] * im.shape[1] for im in images])
    barycenter_iter = check_max_iter(barycenter_iter, "barycenter_iter", minimum=0)
    if regularize is not None:
        pair = check_sequence(regularize, "regularize", min_len=2, max_len=2)
        radius = check_int(pair[0], "regularize[0] (radius)", minimum=0)
        sigma = check_real(pair[1], "regularize[1] (sigma)", minimum=0.0, strict=True)
        for i, im in enumerate(images):
            check_memory(REGULARIZE_BYTES_PER_PIXEL * im.shape[0] * im.shape[1], f"images[{i}]",
                         hint="regularize a smaller image")
    rng = check_rng(rng)
    samples = [im.reshape(-1, 3)[rng.choice(im.shape[0] * im.shape[1], size=n, replace=False)] for im in images]
    bary, _ = barycenters._sliced_barycenter(samples, lam, barycenter_iter, None, 1.0, None, None, rng,
                                             samples[int(np.argmax(lam))], None, np.dtype(np.float32))
    target = np.clip(bary, 0.0, 1.0)
    out = []
    for im in images:
        moved = np.clip(_map_onto(im, target, opts, rng), 0.0, 1.0)
        if regularize is not None:
            moved = _regularize(im, moved, radius, sigma)
        out.append(moved)
    return out, bary


# ----------------------------------------------------------------------------------------------
# Regularisation of the transport map (slide 17's remedy)
# ----------------------------------------------------------------------------------------------


def box_mean(img, radius):
    r"""Mean over the ``(2r+1) x (2r+1)`` window around each pixel, truncated at the borders.

    Parameters
    ----------
    img : ndarray of shape (H, W, ...)
        Any finite real array with at least two dimensions (an image, or a stack of per-pixel
        matrices).
    radius : int, >= 0
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
    img = as_float_array(img, "img")
    if img.ndim < 2 or img.shape[0] < 1 or img.shape[1] < 1:
        raise ValueError(f"img must have at least two non-empty dimensions (H, W, ...), got shape {img.shape}")
    r = check_int(radius, "radius", minimum=0)
    # the summed-area table, the four corner gathers and the result
    check_memory(6 * 8.0 * img.size, "img", hint="average a smaller array")
    return _box_mean(img, r)


def _box_mean(img, r):
    if r == 0:
        return img.copy()
    h, w = img.shape[:2]
    r = min(r, max(h, w))  # a larger window is the whole image
    S = np.zeros((h + 1, w + 1) + img.shape[2:])
    S[1:, 1:] = img.cumsum(0).cumsum(1)
    i = np.arange(h)
    j = np.arange(w)
    i0, i1 = np.maximum(i - r, 0), np.minimum(i + r + 1, h)
    j0, j1 = np.maximum(j - r, 0), np.minimum(j + r + 1, w)
    total = S[i1][:, j1] - S[i0][:, j1] - S[i1][:, j0] + S[i0][:, j0]
    count = ((i1 - i0)[:, None] * (j1 - j0)[None, :]).reshape((h, w) + (1,) * (img.ndim - 2))
    return total / count


def regularize(source, transferred, *, radius=5, sigma=0.1):
    r"""Transport-map regularisation: filter the colour change ``T(u) - u`` guided by ``u``.

    Parameters
    ----------
    source : ndarray of shape (H, W, 3)
        The original image :math:`u`.
    transferred : ndarray of shape (H, W, 3)
        Its recoloured version :math:`T(u)` (any method).
    radius : int, default 5
        Window radius :math:`r` in pixels; ``0`` returns ``transferred`` unchanged.
    sigma : float, default 0.1
        Ridge :math:`\sigma > 0` of the local fits (penalty :math:`\sigma^2|a_k|^2`): where the
        colours of ``u`` vary by much less than ``sigma`` in a window, the fitted change is nearly
        the window's mean change (noise is ignored); where they vary by much more (edges), the change
        may follow them.

    Returns
    -------
    out : ndarray of shape (H, W, 3)
        :math:`\tilde u = u + q`, clipped to ``[0, 1]``.

    Notes
    -----
    Rabin, Delon and Gousseau filter the map :math:`M = T(u) - u` with a filter guided by
    :math:`u`, a Yaroslavsky filter (:func:`yaroslavsky_regularize`, :math:`O(N r^2)`). This is a
    faster filter in the same spirit, not theirs: the guided filter of He, Sun and Tang, in
    :math:`O(N)` whatever ``r``: in each window :math:`\omega_k`,
    :math:`M` is fitted by an affine function of the colour, :math:`M \approx a_k u + b_k` with
    :math:`a_k = (\Sigma_k + \sigma^2 I)^{-1}\mathrm{cov}_k(u, M)` and
    :math:`b_k = \bar M_k - a_k \bar u_k`, and
    :math:`q(x) = \overline{a}(x)\,u(x) + \overline{b}(x)` averages the fits of the windows that
    contain :math:`x`. Box means are summed-area tables (:func:`box_mean`). Limits (tested):
    :math:`r = 0` gives :math:`T(u)`; a constant change :math:`M = c` is kept exactly; as
    :math:`\sigma \to \infty` with :math:`r \ge \max(H, W)`, :math:`\tilde u = u + \mathrm{mean}(M)`.

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
    r = check_int(radius, "radius", minimum=0)
    sigma = check_real(sigma, "sigma", minimum=0.0, strict=True)
    check_memory(REGULARIZE_BYTES_PER_PIXEL * u.shape[0] * u.shape[1], "source", hint="regularize a smaller image")
    return _regularize(u, v, r, sigma)


def _regularize(u, v, r, sigma):
    if r == 0:
        return v.copy()
    M = v - u
    mu, mM = _box_mean(u, r), _box_mean(M, r)
    # Per-window covariance of the guide (3 x 3) and cross-covariance guide / map (3 x 3).
    uu = _box_mean(u[..., :, None] * u[..., None, :], r) - mu[..., :, None] * mu[..., None, :]
    uM = _box_mean(u[..., :, None] * M[..., None, :], r) - mu[..., :, None] * mM[..., None, :]
    a = np.linalg.solve(uu + sigma**2 * np.eye(3), uM)  # (H, W, 3, 3): M ~ a^T u + b
    b = mM - np.einsum("...ij,...i->...j", a, mu)
    q = np.einsum("...ij,...i->...j", _box_mean(a, r), u) + _box_mean(b, r)
    return np.clip(u + q, 0.0, 1.0)


#: Largest window radius of :func:`yaroslavsky_regularize` (its cost grows like ``(2r + 1)^2``).
YAROSLAVSKY_MAX_RADIUS = 25
#: Largest number of passes of :func:`yaroslavsky_regularize`.
YAROSLAVSKY_MAX_ITER = 20
#: Bytes per pixel held by :func:`yaroslavsky_regularize` (padded guide, map and mask, the running
#: sums and one shifted copy, float64).
YAROSLAVSKY_BYTES_PER_PIXEL = 8 * 24


def yaroslavsky_regularize(source, transferred, *, radius=5, sigma=0.1, n_iter=1):
    r"""Transport-map regularisation with the Yaroslavsky filter (Rabin, Delon and Gousseau's TMR).

    Parameters
    ----------
    source : ndarray of shape (H, W, 3)
        The original image :math:`u`, the guide.
    transferred : ndarray of shape (H, W, 3)
        Its recoloured version :math:`T(u)` (any method).
    radius : int, default 5
        Half-width :math:`r` of the square window, ``0 <= r <= 25``; ``0`` returns ``transferred``.
    sigma : float, default 0.1
        Colour scale :math:`\sigma > 0` of the weights.
    n_iter : int, default 1
        Passes of the filter, ``1 <= n_iter <= 20`` (the guide :math:`u` stays the same, the map is filtered again).

    Returns
    -------
    out : ndarray of shape (H, W, 3)
        :math:`u + \tilde M`, clipped to ``[0, 1]``.

    Notes
    -----
    The colour change :math:`M = T(u) - u` is replaced by its average over the pixels :math:`y` of
    the window :math:`\|y - x\|_\infty \le r` (cut at the borders) whose colour is close to that
    of :math:`x`:

    .. math::
        \tilde M(x) = \frac{\sum_y w(x, y) M(y)}{\sum_y w(x, y)}, \qquad
        w(x, y) = \exp\left(-\frac{|u(x) - u(y)|^2}{\sigma^2}\right).

    Pixels of nearly the same colour of :math:`u` (noise, compression blocks) thus receive nearly
    the same change, while an edge of :math:`u` (a colour difference of several :math:`\sigma`)
    separates the averages. The weights are normalised, so a constant change is kept exactly. Cost
    :math:`O(N (2r+1)^2)`: one vectorised pass over the image per offset of the window (compare
    :func:`regularize`, the guided filter, :math:`O(N)` whatever :math:`r`).

    References
    ----------
    J. Rabin, J. Delon, Y. Gousseau, "Removing artefacts from color and contrast modifications",
    IEEE TIP 20(11), 2011; L. P. Yaroslavsky, *Digital Picture Processing*, Springer, 1985.

    Examples
    --------
    >>> u = np.random.default_rng(0).random((6, 5, 3)) * 0.5
    >>> bool(np.allclose(yaroslavsky_regularize(u, u + 0.25, radius=2), u + 0.25))
    True
    """
    u = check_image(source, "source", allow_grey=False)
    v = check_image(transferred, "transferred", allow_grey=False)
    if u.shape != v.shape:
        raise ValueError(f"source and transferred must have the same shape, got {u.shape} and {v.shape}")
    r = check_int(radius, "radius", minimum=0)
    if r > YAROSLAVSKY_MAX_RADIUS:
        raise ValueError(f"radius must be at most {YAROSLAVSKY_MAX_RADIUS} (the cost grows like (2r+1)^2), got {r}")
    sigma = check_real(sigma, "sigma", minimum=0.0, strict=True)
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    if n_iter > YAROSLAVSKY_MAX_ITER:
        raise ValueError(f"n_iter must be at most {YAROSLAVSKY_MAX_ITER}, got {n_iter}")
    h, w = u.shape[:2]
    check_memory(YAROSLAVSKY_BYTES_PER_PIXEL * float(h + 2 * r) * (w + 2 * r), "source",
                 hint="regularize a smaller image")
    return _yaroslavsky(u, v, r, sigma, n_iter)


def _yaroslavsky(u, v, r, sigma, n_iter):
    if r == 0:
        return v.copy()
    h, w = u.shape[:2]
    pad = ((r, r), (r, r), (0, 0))
    U = np.pad(u, pad)
    inside = np.pad(np.ones((h, w)), pad[:2])  # 0 outside the image: the window is cut there
    M = v - u
    for _ in range(n_iter):
        P = np.pad(M, pad)
        num, den = np.zeros_like(M), np.zeros((h, w))
        for di in range(2 * r + 1):  # offsets of the window; every pixel at once
            for dj in range(2 * r + 1):
                Uy = U[di:di + h, dj:dj + w]
                weight = inside[di:di + h, dj:dj + w] * np.exp(-((Uy - u) ** 2).sum(-1) / sigma**2)
                num += weight[..., None] * P[di:di + h, dj:dj + w]
                den += weight
        M = num / den[..., None]  # den >= 1: the centre has weight 1
    return np.clip(u + M, 0.0, 1.0)




# ----------------------------------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------------------------------


def color_sliced_distance(image0, image1, *, n_directions=256, directions=None, rng=None, chunk=32):
    r"""Sliced Wasserstein distance :math:`SW_2` between the colour clouds of two images.

    Parameters
    ----------
    image0, image1 : ndarray of shape (H, W, 3) or (N, 3)
        Images or colour clouds in ``[0, 1]`` (sizes may differ: quantile matching).
    n_directions : int, default 256
        Random directions drawn with ``rng`` (ignored when ``directions`` is given).
    directions : ndarray of shape (K, 3), optional
        Fixed unit directions: pass the same ones (or the same seed) to compare methods.
    rng : None, int or numpy.random.Generator
        Source of the random directions.
    chunk : int, default 32
        Directions per batch (memory: arrays of ``chunk (N + M)`` projections).

    Returns
    -------
    sw : float
        :math:`SW_2` (square it for the "remaining squared sliced distance" of the benchmarks).

    Notes
    -----
    :math:`SW_2^2 = \frac1K \sum_k W_2^2(P_{\theta_k}\sharp\mu_0, P_{\theta_k}\sharp\mu_1)` is an
    average over directions, computed by chunks of directions with float32 projections (relative
    error about ``1e-6``).

    Examples
    --------
    >>> img = np.random.default_rng(0).random((8, 8, 3))
    >>> color_sliced_distance(img, img, rng=0)
    0.0
    """
    X = check_colours(image0, "image0")
    Y = check_colours(image1, "image1")
    chunk = check_positive_int(chunk, "chunk")
    # float32 projections: half the bytes of the float64 count
    check_memory(sliced._projection_bytes(chunk, X.shape[0], Y.shape[0], False) / 2, "chunk",
                 hint="use smaller chunks of directions")
    if directions is None:
        n_directions = check_positive_int(n_directions, "n_directions")
        check_memory(24.0 * n_directions, "n_directions", hint="use fewer directions")
        theta = sliced._random_directions(n_directions, 3, check_rng(rng))
    else:
        theta = check_directions(directions, d=3, unit_tol=sliced.UNIT_TOL)
        check_rng(rng)  # unused, but a wrong value is still an error
    centre = 0.5 * (X.mean(axis=0) + Y.mean(axis=0))
    Xc, Yc = (X - centre).astype(np.float32), (Y - centre).astype(np.float32)
    total = 0.0
    for start in range(0, theta.shape[0], chunk):  # loop over chunks of directions only
        part = theta[start:start + chunk].astype(np.float32)
        total += float(np.sum(sliced._projected_costs(part @ Xc.T, part @ Yc.T)))
    return float(np.sqrt(max(total, 0.0) / theta.shape[0]))


def gradient_energy(img):
    r"""Squared gradient norm of an image at each pixel (forward differences, summed over channels).

    Parameters
    ----------
    img : ndarray of shape (H, W, 3) or (H, W)

    Returns
    -------
    e : ndarray of shape (H, W)
        :math:`|\partial_1 f|^2 + |\partial_2 f|^2` (zero differences on the last row and column).

    Notes
    -----
    The ratio of the mean of :math:`e` after and before a transfer, in the flat regions of the
    source, measures how much a colour map amplifies noise and compression blocks (the artefacts
    that Rabin, Delon and Gousseau 2011 remove).
    """
    f = check_image(img, "img")
    if f.ndim == 2:
        f = f[..., None]
    e = np.zeros(f.shape[:2])
    e[:-1] += ((f[1:] - f[:-1]) ** 2).sum(-1)
    e[:, :-1] += ((f[:, 1:] - f[:, :-1]) ** 2).sum(-1)
    return e


# ----------------------------------------------------------------------------------------------
# CIE L*a*b* (D65): the luminance-chroma space of colorization (tour 15)
# ----------------------------------------------------------------------------------------------

#: Linear sRGB -> CIE XYZ (IEC 61966-2-1, D65 white).
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375],
     [0.2126729, 0.7151522, 0.0721750],
     [0.0193339, 0.1191920, 0.9503041]]
)
#: Its exact inverse.
XYZ_TO_SRGB = np.linalg.inv(SRGB_TO_XYZ)
#: The D65 reference white (X_n, Y_n, Z_n).
D65_WHITE = np.array([0.95047, 1.0, 1.08883])
_DELTA = 6.0 / 29.0


def _srgb_to_linear(c):
    return np.where(c <= 0.04045, c / 12.92, ((np.maximum(c, 0.04045) + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(c):
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.maximum(c, 0.0031308) ** (1 / 2.4) - 0.055)


def _lab_f(t):
    return np.where(t > _DELTA**3, np.cbrt(t), t / (3 * _DELTA**2) + 4.0 / 29.0)


def _lab_f_inv(s):
    return np.where(s > _DELTA, s**3, 3 * _DELTA**2 * (s - 4.0 / 29.0))


def rgb_to_cielab(rgb):
    r"""CIE L*a*b* (D65) of sRGB colours.

    Parameters
    ----------
    rgb : ndarray of shape (..., 3)
        sRGB colours, finite (values outside ``[0, 1]`` are allowed: the transfer curve is
        extended linearly below 0.04045 and by its power law above 1, so the map stays invertible).

    Returns
    -------
    lab : ndarray of shape (..., 3)
        :math:`L^* \in [0, 100]` for colours of ``[0, 1]^3``, and the chroma :math:`(a^*, b^*)`.

    Notes
    -----
    :math:`c_{\rm lin} = c / 12.92` if :math:`c \le 0.04045`, else :math:`((c + 0.055)/1.055)^{2.4}`;
    :math:`(X, Y, Z) = M c_{\rm lin}` (:data:`SRGB_TO_XYZ`); with :math:`g(t) = t^{1/3}` for
    :math:`t > (6/29)^3` and :math:`t / (3 (6/29)^2) + 4/29` otherwise,
    :math:`L^* = 116 g(Y) - 16`, :math:`a^* = 500 (g(X/X_n) - g(Y))`, :math:`b^* = 200 (g(Y) - g(Z/Z_n))`.
    A grey colour :math:`R = G = B` has :math:`a^* = b^* = 0` up to the rounding of the printed
    matrix (below 1e-3). Not to be confused with :func:`rgb_to_lab` (Ruderman's :math:`l\alpha\beta`).
    Taught in ``tours/15_colorization_and_image_models.ipynb``.

    References
    ----------
    CIE 15:2004, *Colorimetry*, 3rd edition. IEC 61966-2-1:1999 (sRGB).

    Examples
    --------
    >>> c = np.array([0.2, 0.5, 0.7])
    >>> bool(np.allclose(cielab_to_rgb(rgb_to_cielab(c)), c, atol=1e-12))
    True
    """
    return _rgb_to_cielab(_colour_array(rgb, "rgb"))


def _rgb_to_cielab(rgb):
    xyz = _srgb_to_linear(rgb) @ SRGB_TO_XYZ.T / D65_WHITE
    f = _lab_f(xyz)
    return np.stack([116.0 * f[..., 1] - 16.0, 500.0 * (f[..., 0] - f[..., 1]), 200.0 * (f[..., 1] - f[..., 2])], axis=-1)


def cielab_to_rgb(lab):
    r"""Inverse of :func:`rgb_to_cielab` (no clipping: colours outside the sRGB gamut leave ``[0, 1]``).

    Parameters
    ----------
    lab : ndarray of shape (..., 3)
        Finite :math:`(L^*, a^*, b^*)` values, each of magnitude at most 1e4.

    Returns
    -------
    rgb : ndarray of shape (..., 3)
    """
    lab = _colour_array(lab, "lab")
    if lab.size and np.abs(lab).max() > 1e4:
        raise ValueError(f"lab must have values of magnitude at most 1e4, got {np.abs(lab).max():.3g}")
    return _cielab_to_rgb(lab)


def _cielab_to_rgb(lab):
    fy = (lab[..., 0] + 16.0) / 116.0
    f = np.stack([fy + lab[..., 1] / 500.0, fy, fy - lab[..., 2] / 200.0], axis=-1)
    return _linear_to_srgb((_lab_f_inv(f) * D65_WHITE) @ XYZ_TO_SRGB.T)
