r"""Two-region image segmentation with region terms on distributions: Wasserstein, bin-to-bin, Chan-Vese.

A region ``Omega`` of an image ``f`` is described by the *distribution* of the values inside it,
``mu_Omega = (1/|Omega|) sum_{x in Omega} delta_(f(x))``, compared with a reference law ``alpha``
(and the outside with ``beta``) by an optimal transport distance. In 1-D (grey values) the distance
``W_1`` is the ``L^1`` distance of the cumulative histograms, its Kantorovich potential is a
cumulative sum of signs, and both are linear-time. In colour, the sliced distance averages the 1-D
distances of the projections on a few directions. The region's boundary is regularised by its
length (total variation). Tour 14 teaches it.

Conventions
-----------
* An image is grey ``(H, W)`` or colour ``(H, W, 3)``, values in ``[0, 1]``; ``N = H W`` pixels;
  ``c`` channels. A *relaxed region* is ``u in [0, 1]^(H x W)`` (1 inside), a *mask* a boolean
  ``(H, W)`` array; the segmentation is ``u > 1/2``.
* Reference laws are given by samples: a boolean mask of the image's shape (a box, scribbles: the
  pixels under it), or an array of values ``(M,)`` (grey) or ``(M, c)``.
* Values are binned on ``K`` (``n_bins``) bins of width ``Delta`` covering the image **and** the
  reference samples (per direction in colour). ``H u`` is the histogram of the pixels weighted by
  ``u``, ``m = 1^T u`` its mass, ``h(u) = H u / m``; ``C`` takes cumulative sums and drops the last
  entry (0 for equal masses), so that ``W_1(p, q) = Delta ||C (p - q)||_1`` for probabilities.
  ``W_1`` is probability-normalised (the mean displacement), as everywhere in :mod:`ottools`.
* Colour: ``L`` (``n_directions``) unit directions ``theta_l``, drawn uniformly on the sphere with
  ``rng``; ``SW_1 = (1/L) sum_l W_1(theta_l # mu, theta_l # alpha)``, bins per direction.

The convex model (what :func:`segment` minimises)
-------------------------------------------------
.. math::

    \min_{u \in [0,1]^N} \lambda\,TV(u) + D_\alpha(u) + D_\beta(\mathbb 1 - u),

``TV(u) = sum_x |nabla u(x)|`` (isotropic, forward differences, Neumann boundary), and the data
term is one of

* ``"wasserstein"``: ``D_alpha(u) = (1/L) sum_l Delta_l ||C H_l u - A_l (1^T u)||_1
  = m SW_1(h(u), alpha)`` (``A = C a``, the model's cumulative histogram); the model is scaled by
  the region's mass, which makes the term convex and positively 1-homogeneous (Papadakis & Rabin);
* ``"bin_to_bin"``: ``D_alpha(u) = (1/L) sum_l (1/2) ||H_l u - a_l (1^T u)||_1 = m TV(h(u), alpha)``,
  the total-variation distance of the histograms, bin by bin (no ground distance: a histogram
  shifted by more than its width is as far as a disjoint one);
* ``"chan_vese"``: ``D_alpha(u) = sum_x u_x |f(x) - c_alpha|^2`` with ``c_alpha`` the mean of the
  samples (Chan & Vese 2001 in the convex form of Chan, Esedoglu & Nikolova 2006).

With ``n_outer > 1`` the references are re-estimated from the current segmentation (inside:
``u > 1/2``, outside: the rest) after each solve, alternately with the region, like Chan-Vese's
means; the model is then no longer convex in the pair.

Solver: the primal-dual algorithm of Chambolle & Pock (2011) with the diagonal preconditioning of
Pock & Chambolle (2011, ``alpha = 1``): every term is a norm of a linear map of ``u`` (dual
variables in unit balls), the step of pixel ``x`` is the inverse of its column sum in the stacked
operator, the step of each dual entry the inverse of its row sum. The primal-dual gap is exact
because ``u`` lives in a box: ``D(q, y) = sum_x min(0, (K^T y)_x) + <c, y>``.

The normalised energy of Wasserstein active contours
----------------------------------------------------
:func:`region_energy` is ``E(u) = SW_1(h(u), alpha) + SW_1(h(1 - u), beta)`` (Peyre, Fadili &
Rabin 2012; Chan, Esedoglu & Ni 2007 in grey), and :func:`region_gradient` its derivative from the
Kantorovich potentials (:func:`w1_potential`):

.. math::

    \frac{\partial E}{\partial u_x} = \frac{\varphi_\alpha(b(x)) - \langle \varphi_\alpha, h(u)\rangle}{\mathbb 1^\top u}
    - \frac{\varphi_\beta(b(x)) - \langle \varphi_\beta, h(\mathbb 1 - u)\rangle}{\mathbb 1^\top (\mathbb 1 - u)},

averaged over the directions, ``b(x)`` the bin of pixel ``x``: the shape derivative of the region
term, the speed of an active contour.

Memory
------
Every public function counts its large arrays before allocating (the image, its projections and
bin indices, the primal and dual variables and their buffers: ``(8 c + 24 L + 128) N`` bytes counted for a segmentation)
and refuses more than :data:`ottools._validate.MAX_DENSE_BYTES`.

References
----------
T. F. Chan, L. A. Vese, "Active contours without edges", IEEE Trans. Image Process. 10(2):266-277, 2001.
T. F. Chan, S. Esedoglu, M. Nikolova, "Algorithms for finding global minimizers of image
segmentation and denoising models", SIAM J. Appl. Math. 66(5):1632-1648, 2006.
T. F. Chan, S. Esedoglu, K. Ni, "Histogram based segmentation using Wasserstein distances",
SSVM 2007, LNCS 4485, pp. 697-708.
G. Peyre, J. Fadili, J. Rabin, "Wasserstein active contours", Proc. IEEE ICIP 2012, pp. 2541-2544.
J. Rabin, N. Papadakis, "Convex color image segmentation with optimal transport distances",
SSVM 2015, LNCS 9087, pp. 256-269.
A. Chambolle, T. Pock, "A first-order primal-dual algorithm for convex problems with applications
to imaging", J. Math. Imaging Vis. 40(1):120-145, 2011.
T. Pock, A. Chambolle, "Diagonal preconditioning for first order primal-dual algorithms in convex
optimization", Proc. ICCV 2011, pp. 1762-1769.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

from ottools._validate import (
    ArgumentTypeError,
    as_float_array,
    check_callable,
    check_image,
    check_int,
    check_mask,
    check_max_iter,
    check_memory,
    check_option,
    check_positive_int,
    check_real,
    check_rng,
    check_shape,
)

__all__ = [
    "SegmentationReport",
    "box_mask",
    "scribble_mask",
    "w1_potential",
    "region_energy",
    "region_gradient",
    "segment",
    "iou",
    "dice",
]

DATA_TERMS = ("wasserstein", "bin_to_bin", "chan_vese")
MAX_BINS = 4096
MAX_DIRECTIONS = 256


@dataclass
class SegmentationReport:
    r"""What :func:`segment` did.

    Attributes
    ----------
    u : ndarray of shape (H, W)
        The relaxed region at the end, in ``[0, 1]`` (the mask is ``u > 1/2``).
    iterations : list of int
        The iterations (counted over all outer rounds) at which ``energies`` and ``gaps`` were recorded.
    energies : list of float
        The convex energy ``P(u)`` of the current round's model at those iterations.
    gaps : list of float
        The primal-dual gap ``P(u) - D(q, y) >= 0`` at those iterations.
    seconds : float
        Wall time of the call.
    data : str
        The data term.
    lam : float
        The weight of the total variation.
    n_outer : int
        Rounds actually run (fewer than asked when a re-estimated region became empty).
    directions : ndarray of shape (L, c)
        The projection directions (``[[1.]]`` for a grey image).
    """

    u: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    iterations: list = field(default_factory=list)
    energies: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    seconds: float = 0.0
    data: str = "wasserstein"
    lam: float = 0.0
    n_outer: int = 0
    directions: np.ndarray = field(default_factory=lambda: np.ones((1, 1)))


# ----------------------------------------------------------------------------- masks


def box_mask(shape, box):
    r"""The mask of a rectangle of pixels.

    Parameters
    ----------
    shape : tuple (H, W)
        The image's size.
    box : tuple of 4 ints (top, bottom, left, right)
        Rows ``top <= i < bottom`` and columns ``left <= j < right`` (half-open, as numpy slices),
        inside the image and non-empty.

    Returns
    -------
    mask : ndarray of bool, shape (H, W)

    Examples
    --------
    >>> int(box_mask((4, 5), (1, 3, 0, 2)).sum())
    4
    """
    H, W = check_shape(shape, "shape", ndim=2, max_elements=_MAX_PIXELS)
    if not isinstance(box, (tuple, list)) or len(box) != 4:
        raise ArgumentTypeError(f"box must be a tuple (top, bottom, left, right), got {box!r}")
    t, b, l, r = (check_int(v, f"box[{k}]", minimum=0) for k, v in enumerate(box))
    if not (t < b <= H and l < r <= W):
        raise ValueError(f"box = {tuple(box)} must satisfy 0 <= top < bottom <= {H} and 0 <= left < right <= {W} "
                         f"(a non-empty rectangle inside the image)")
    mask = np.zeros((H, W), dtype=bool)
    mask[t:b, l:r] = True
    return mask


def scribble_mask(shape, points, *, radius=2.0):
    r"""The mask of a scribble: a polyline through pixel coordinates, drawn with a round brush.

    Parameters
    ----------
    shape : tuple (H, W)
        The image's size.
    points : array of shape (n, 2)
        The vertices ``(row, column)`` of the polyline, inside the image (floats allowed); consecutive
        vertices are joined by segments; one vertex is a dot.
    radius : float, keyword-only
        The brush radius in pixels, in ``[0, 50]``: a pixel is in the mask when its centre is within
        ``radius`` of the polyline (``0`` keeps the pixels the polyline crosses).

    Returns
    -------
    mask : ndarray of bool, shape (H, W)

    Examples
    --------
    >>> int(scribble_mask((5, 9), [[2, 1], [2, 7]], radius=0).sum())
    7
    """
    H, W = check_shape(shape, "shape", ndim=2, max_elements=_MAX_PIXELS)
    P = as_float_array(points, "points", ndim=2)
    if P.shape[0] < 1 or P.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2) with n >= 1 (rows and columns), got {P.shape}")
    if P.shape[0] > 10**5:
        raise ValueError(f"points must hold at most 100000 vertices, got {P.shape[0]}")
    if P[:, 0].min() < 0 or P[:, 0].max() > H - 1 or P[:, 1].min() < 0 or P[:, 1].max() > W - 1:
        raise ValueError(f"points must lie inside the image: rows in [0, {H - 1}], columns in [0, {W - 1}]")
    radius = check_real(radius, "radius", minimum=0.0, maximum=50.0)
    # points every half pixel along each segment, rounded to pixels, then a disk of the brush
    lengths = np.ceil(2 * np.hypot(*np.diff(P, axis=0).T)).astype(int) + 1 if len(P) > 1 else np.ones(0, int)
    check_memory(16.0 * (lengths.sum() + 1) + H * W, "scribble_mask(points)", hint="use fewer or shorter segments")
    if len(P) > 1:
        seg = np.repeat(np.arange(len(P) - 1), lengths)
        t = (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)) / np.repeat(np.maximum(lengths - 1, 1), lengths)
        S = P[seg] + t[:, None] * (P[seg + 1] - P[seg])
    else:
        S = P
    mask = np.zeros((H, W), dtype=bool)
    mask[np.rint(S[:, 0]).astype(int), np.rint(S[:, 1]).astype(int)] = True
    r = int(np.floor(radius))
    if r >= 1:
        yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
        mask = ndimage.binary_dilation(mask, structure=yy**2 + xx**2 <= radius**2)
    return mask


# ----------------------------------------------------------------------------- 1-D potentials


def w1_potential(h, a, *, delta=1.0):
    r"""The Kantorovich potential of ``W_1`` between two histograms on a uniform 1-D grid.

    Parameters
    ----------
    h, a : array of shape (K,)
        Probability histograms on the same ``K`` bins (non-negative, each summing to 1 within 1e-8).
    delta : float, keyword-only
        The bins' width (positive).

    Returns
    -------
    phi : ndarray of shape (K,)
        ``phi_m = Delta sum_{k=m}^{K-2} sign(H_k - A_k)``, ``H, A`` the cumulative sums of ``h, a``;
        ``phi_(K-1) = 0``.
    w1 : float
        ``W_1(h, a) = Delta sum_k |H_k - A_k| = <phi, h - a>``.

    Notes
    -----
    The dual of ``W_1`` (tour 03 with the cost ``|x - y|``) is ``max <phi, h - a>`` over the
    1-Lipschitz ``phi``: here ``|phi_m - phi_(m+1)| = Delta``, and summation by parts gives
    ``<phi, h - a> = Delta sum_k sign(H_k - A_k)(H_k - A_k)``, the primal value, so ``phi`` is optimal.
    It is the derivative of ``W_1(., a)`` at ``h`` along zero-mass perturbations wherever no
    ``H_k = A_k`` (elsewhere ``sign(0) = 0`` picks one subgradient).

    Examples
    --------
    >>> phi, w = w1_potential([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], delta=0.5)
    >>> phi.tolist(), w
    ([1.0, 0.5, 0.0], 1.0)
    """
    h = as_float_array(h, "h", ndim=1)
    a = as_float_array(a, "a", ndim=1)
    for name, p in (("h", h), ("a", a)):
        if p.size < 1:
            raise ValueError(f"{name} must hold at least one bin, got an empty array")
        if p.min() < 0:
            raise ValueError(f"{name} must be non-negative, got a minimum of {p.min():.3g}")
        if abs(p.sum() - 1.0) > 1e-8:
            raise ValueError(f"{name} must sum to 1 (a probability histogram), got {p.sum():.6g}")
    if h.shape != a.shape:
        raise ValueError(f"h and a must have the same number of bins, got {h.shape} and {a.shape}")
    delta = check_real(delta, "delta", minimum=0.0, strict=True)
    H, A = np.cumsum(h)[:-1], np.cumsum(a)[:-1]
    phi = _potential(H - A, delta)
    return phi, float(delta * np.abs(H - A).sum())


def _potential(diff, delta):
    """phi_m = delta sum_{k >= m} sign(diff_k) for the K - 1 cumulative differences, padded to K bins."""
    s = np.sign(diff)
    return delta * np.concatenate([np.cumsum(s[..., ::-1], axis=-1)[..., ::-1], np.zeros(s.shape[:-1] + (1,))], axis=-1)


# ----------------------------------------------------------------------------- features and bins

_MAX_PIXELS = 10**8


def _samples(ref, name, img, c):
    """Reference samples (M, c) from a mask of the image's shape or an array of values."""
    arr = np.asarray(ref) if ref is not None and not isinstance(ref, (str, bytes)) else None
    if arr is not None and arr.dtype == np.bool_:
        mask = check_mask(ref, name, shape=img.shape[:2])
        return img[mask].reshape(-1, c)
    X = as_float_array(ref, name, ndim=(1, 2))
    if X.ndim == 1:
        X = X[:, None]
    if X.shape[1] != c:
        raise ValueError(f"{name} must hold samples of {c} channel(s) like the image (shape (M,) or (M, {c})) "
                         f"or be a boolean mask of shape {img.shape[:2]}, got shape {np.shape(ref)}")
    if X.shape[0] < 1:
        raise ValueError(f"{name} is empty: it must hold at least one sample")
    return X


def _directions(c, n_directions, rng):
    if c == 1:
        return np.ones((1, 1))
    g = rng.standard_normal((n_directions, c))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def _bins(values, refs, n_bins):
    """Bin indices of the projected image (L, N) and of each projected reference (L, M); widths (L,)."""
    lo = np.minimum(values.min(axis=1), np.min([r.min(axis=1) for r in refs], axis=0))
    hi = np.maximum(values.max(axis=1), np.max([r.max(axis=1) for r in refs], axis=0))
    width = np.maximum(hi - lo, 1e-12) / n_bins  # a constant image: one bin holds everything
    idx = lambda v: np.clip(((v - lo[:, None]) / width[:, None]).astype(np.int64), 0, n_bins - 1)
    return idx(values), [idx(r) for r in refs], width


def _histograms(bins, n_bins, weights=None):
    """Histograms (L, K) of the rows of ``bins`` (L, N), weighted by ``weights`` (N,) if given."""
    L, N = bins.shape
    flat = (bins + n_bins * np.arange(L)[:, None]).ravel()
    w = None if weights is None else np.broadcast_to(weights.ravel(), (L, N)).ravel()
    return np.bincount(flat, weights=w, minlength=L * n_bins).reshape(L, n_bins)


# ----------------------------------------------------------------------------- the problem


class _Problem:
    """The stacked linear operators of one model: apply, adjoint, steps, energy and gap."""

    def __init__(self, img, bins, width, alpha, beta, data, lam, n_bins):
        self.shape, self.N = img.shape[:2], img.shape[0] * img.shape[1]
        self.data, self.lam, self.K = data, lam, n_bins
        self.bins, self.L = bins, bins.shape[0]
        self.flat = (bins + n_bins * np.arange(self.L)[:, None]).ravel()
        self.r, self.const = None, 0.0
        if data == "chan_vese":
            f = img.reshape(self.N, -1)
            d1 = ((f - alpha) ** 2).sum(axis=1)
            d2 = ((f - beta) ** 2).sum(axis=1)
            self.r, self.const = (d1 - d2).reshape(self.shape), float(d2.sum())
            self.tau = np.full(self.shape, 1.0 / (4 * lam))
            return
        counts = _histograms(bins, n_bins)  # (L, K) pixels per bin
        if data == "wasserstein":
            self.A, self.B = np.cumsum(alpha, axis=1)[:, :-1], np.cumsum(beta, axis=1)[:, :-1]
            self.w = width / self.L  # (L,)
            n_le = np.cumsum(counts, axis=1)[:, :-1]
            rows = lambda A: n_le * (1 - A) + (self.N - n_le) * A
            # column sums: S(b) = sum_{k < b} A_k + sum_{b <= k <= K-2} (1 - A_k), per bin b
            cols = lambda A: (np.concatenate([np.zeros((self.L, 1)), np.cumsum(A, axis=1)], axis=1)
                              + np.concatenate([np.cumsum((1 - A)[:, ::-1], axis=1)[:, ::-1], np.zeros((self.L, 1))], axis=1))
        else:  # bin_to_bin
            self.A, self.B = alpha, beta
            self.w = np.full(self.L, 0.5 / self.L)
            rows = lambda A: counts * (1 - A) + (self.N - counts) * A
            cols = lambda A: 2 * (1 - A)
        self.sig_a = 1.0 / np.maximum(self.w[:, None] * rows(self.A), 1e-12)
        self.sig_b = 1.0 / np.maximum(self.w[:, None] * rows(self.B), 1e-12)
        col = np.take_along_axis(self.w[:, None] * (cols(self.A) + cols(self.B)), bins, axis=1).sum(axis=0)
        self.tau = 1.0 / (4 * lam + col.reshape(self.shape))
        self.M1 = self._M(np.ones(self.N))

    def _M(self, u):
        """The unweighted histogram operator: C H u (Wasserstein) or H u (bin-to-bin), (L, K-1) or (L, K)."""
        h = np.stack([np.bincount(b, weights=u, minlength=self.K) for b in self.bins])  # no (L, N) copy of u
        return np.cumsum(h, axis=1)[:, :-1] if self.data == "wasserstein" else h

    def _Mt(self, z):
        """Adjoint of _M: (L, K-1) or (L, K) -> (N,)."""
        if self.data == "wasserstein":
            z = np.concatenate([np.cumsum(z[:, ::-1], axis=1)[:, ::-1], np.zeros((self.L, 1))], axis=1)
        g = z.ravel()[self.flat]
        return g if self.L == 1 else g.reshape(self.L, self.N).sum(axis=0)

    def residuals(self, u):
        """(K_a u, K_b (1 - u)) unweighted: C H u - A m and C H (1 - u) - B (N - m)."""
        Mu, m = self._M(u.ravel()), float(u.sum())
        return Mu - self.A * m, (self.M1 - Mu) - self.B * (self.N - m)

    def apply_adjoint(self, ya, yb):
        """sum_t w_t K_t^T y_t as an image: the data part of K^T y."""
        za, zb = self.w[:, None] * ya, self.w[:, None] * yb
        g = self._Mt(za - zb) - (self.A * za).sum() + (self.B * zb).sum()
        return g.reshape(self.shape)

    def energy(self, u):
        e = self.lam * _tv(u)
        if self.r is not None:
            return e + float((self.r * u).sum()) + self.const
        ra, rb = self.residuals(u)
        return e + float((self.w[:, None] * (np.abs(ra) + np.abs(rb))).sum())

    def dual(self, q, ya, yb):
        g = -self.lam * _div(q)
        if self.r is not None:
            return float(np.minimum(0, g + self.r).sum()) + self.const
        g = g + self.apply_adjoint(ya, yb)
        # constants: K_b (1 - u) = (M1 - B N) - (M u - B m): its constant part pairs with y_b
        cb = self.M1 - self.B * self.N
        return float(np.minimum(0, g).sum() + (self.w[:, None] * cb * yb).sum())


def _grad(u, out=None):
    """Forward differences (Neumann): (2, H, W), the last row / column of each component 0."""
    g = np.zeros((2,) + u.shape) if out is None else out
    np.subtract(u[1:], u[:-1], out=g[0, :-1])
    np.subtract(u[:, 1:], u[:, :-1], out=g[1, :, :-1])
    return g


def _div(q, out=None):
    """Minus the adjoint of _grad, div q = -grad^T q, for q vanishing where _grad does (last row of
    q[0], last column of q[1]), as every q of the solver does."""
    d = np.empty(q.shape[1:]) if out is None else out
    np.copyto(d, q[0])
    d[1:] -= q[0, :-1]
    d += q[1]
    d[:, 1:] -= q[1, :, :-1]
    return d


def _tv(u):
    return float(np.sqrt((_grad(u) ** 2).sum(axis=0)).sum())


def _solve(prob, u, q, n_iter, record_every, it0, report, callback):
    lam, tau = prob.lam, prob.tau
    ubar = u.copy()
    ya = yb = None
    if prob.r is None:
        ya, yb = np.zeros_like(prob.A), np.zeros_like(prob.B)
    gbuf, dbuf, nbuf = np.zeros_like(q), np.zeros_like(u), np.zeros_like(u)
    if prob.r is None:
        sa, sb = prob.sig_a * prob.w[:, None], prob.sig_b * prob.w[:, None]
    u_new = np.empty_like(u)
    for k in range(1, n_iter + 1):
        # dual ascent on lam * grad (row sums 2 lam: sigma = 1 / (2 lam)), projection on unit disks
        _grad(ubar, gbuf)
        gbuf *= 0.5
        q += gbuf
        np.multiply(q[0], q[0], out=nbuf)
        nbuf += q[1] * q[1]
        np.sqrt(nbuf, out=nbuf)
        np.maximum(nbuf, 1.0, out=nbuf)
        q /= nbuf
        g = _div(q, dbuf)
        g *= -lam
        if prob.r is None:
            ra, rb = prob.residuals(ubar)
            ya = np.clip(ya + sa * ra, -1.0, 1.0)
            yb = np.clip(yb + sb * rb, -1.0, 1.0)
            g += prob.apply_adjoint(ya, yb)
        else:
            g += prob.r
        # primal descent, projection on [0, 1], extrapolation
        g *= tau
        np.subtract(u, g, out=u_new)
        np.minimum(u_new, 1.0, out=u_new)
        np.maximum(u_new, 0.0, out=u_new)
        np.multiply(u_new, 2.0, out=ubar)
        ubar -= u
        u, u_new = u_new, u
        if k % record_every == 0 or k == n_iter:
            report.iterations.append(it0 + k)
            e = prob.energy(u)
            report.energies.append(e)
            report.gaps.append(e - prob.dual(q, ya, yb))
            if callback is not None:
                callback(it0 + k, u.copy())
    return u, q


def _models(ref_bins, n_bins):
    """Model histograms (L, K) from the binned reference samples."""
    return [_histograms(rb, n_bins) / rb.shape[1] for rb in ref_bins]


def _check_common(image, inside, outside, n_bins, n_directions, rng, extra_arrays=0):
    img = check_image(image, "image")
    c = 1 if img.ndim == 2 else 3
    n_bins = check_positive_int(n_bins, "n_bins", minimum=2, maximum=MAX_BINS)
    n_directions = check_positive_int(n_directions, "n_directions", maximum=MAX_DIRECTIONS)
    L = 1 if c == 1 else n_directions
    N = img.shape[0] * img.shape[1]
    check_memory(8.0 * N * (c + 3 * L + 10 + extra_arrays), "segmentation of image",
                 hint="segment a smaller image or use fewer n_directions")
    X_in = _samples(inside, "inside", img, c)
    X_out = _samples(outside, "outside", img, c)
    check_memory(8.0 * (X_in.shape[0] + X_out.shape[0]) * (c + 2 * L), "reference samples inside/outside",
                 hint="pass fewer samples")
    return img, c, n_bins, L, X_in, X_out, check_rng(rng)


def _project(img, X_in, X_out, c, L, rng):
    theta = _directions(c, L, rng)
    f = img.reshape(-1, c)
    return theta, f @ theta.T, X_in @ theta.T, X_out @ theta.T


# ----------------------------------------------------------------------------- segmentation


def segment(image, inside, outside, *, lam, data="wasserstein", n_iter=1000, n_outer=1, n_bins=64,
            n_directions=8, record_every=50, rng=None, callback=None):
    r"""Two-region segmentation: total variation plus a region term on the distributions of values.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3)
        Values in ``[0, 1]`` (``uint8`` divided by 255).
    inside, outside : boolean ndarray of shape (H, W), or ndarray of shape (M,) or (M, c)
        Samples of the reference laws ``alpha`` (inside) and ``beta`` (outside): a mask of pixels
        (a box, scribbles: see :func:`box_mask`, :func:`scribble_mask`) or the values themselves
        (e.g. another crop of the texture), non-empty.
    lam : float, keyword-only
        Weight ``lambda > 0`` of the total variation (the perimeter); in the units of the data term
        (value differences for ``"wasserstein"``, probabilities for ``"bin_to_bin"``, squared
        values for ``"chan_vese"``).
    data : {"wasserstein", "bin_to_bin", "chan_vese"}, keyword-only
        The region term (see the module's notes).
    n_iter : int, keyword-only
        Primal-dual iterations per round.
    n_outer : int, keyword-only
        Rounds; after each but the last the references are re-estimated from the segmentation
        (``u > 1/2`` and its complement), alternately with the region. 1: the references stay given.
    n_bins : int, keyword-only
        Bins ``K`` (2 to 4096) per direction, over the range of the image and the samples (unused by
        ``"chan_vese"``, which compares with the samples' mean).
    n_directions : int, keyword-only
        Directions ``L`` of the sliced distance for a colour image (ignored in grey, exact 1-D, and by
        ``"chan_vese"``, which uses the colour vectors).
    record_every : int, keyword-only
        The energy and the primal-dual gap are recorded every ``record_every`` iterations (and at the
        last), when ``callback(iteration, u)`` is also called with a copy of ``u``.
    rng : None, int or numpy.random.Generator, keyword-only
        Draws the directions (colour only).
    callback : callable or None, keyword-only

    Returns
    -------
    mask : ndarray of bool, shape (H, W)
        ``u > 1/2``.
    report : SegmentationReport
        The relaxed ``u``, energies, gaps, time.

    Notes
    -----
    Minimises ``lambda TV(u) + D_alpha(u) + D_beta(1 - u)`` over ``u in [0, 1]^N`` (module notes)
    by diagonally preconditioned Chambolle-Pock from ``u = 1/2``. Per iteration ``O(L (N + K))``:
    one weighted histogram (``bincount``) per direction and its adjoint (a reversed cumulative sum
    read at each pixel's bin). Thresholding is exact for Chan-Vese with anisotropic TV (Chan,
    Esedoglu & Nikolova 2006), approximate here (isotropic TV; the histogram terms are not linear).

    References
    ----------
    Papadakis & Rabin (convex OT region terms), Chan & Vese 2001, Chambolle & Pock 2011 (module).

    Examples
    --------
    >>> img = np.full((20, 20), 0.2); img[5:15, 5:15] = 0.8
    >>> mask, report = segment(img, box_mask((20, 20), (8, 12, 8, 12)), box_mask((20, 20), (0, 3, 0, 20)),
    ...                        lam=0.05, n_iter=300)
    >>> int(mask.sum())
    100
    """
    data = check_option(data, "data", DATA_TERMS)
    lam = check_real(lam, "lam", minimum=0.0, strict=True)
    n_iter = check_max_iter(n_iter, "n_iter")
    n_outer = check_positive_int(n_outer, "n_outer", maximum=1000)
    record_every = check_positive_int(record_every, "record_every", maximum=10**7)
    callback = check_callable(callback, "callback")
    img, c, n_bins, L, X_in, X_out, rng = _check_common(image, inside, outside, n_bins, n_directions, rng,
                                                        extra_arrays=6)
    t0 = time.perf_counter()
    if data == "chan_vese":
        L, theta = 1, np.eye(c)
        bins, width, refs = np.zeros((1, img.shape[0] * img.shape[1]), np.int64), np.ones(1), [X_in, X_out]
    else:
        theta, f, p_in, p_out = _project(img, X_in, X_out, c, L, rng)
        bins, ref_bins, width = _bins(f.T, [p_in.T, p_out.T], n_bins)
    report = SegmentationReport(data=data, lam=lam, directions=theta)
    u = np.full(img.shape[:2], 0.5)
    q = np.zeros((2,) + img.shape[:2])
    it = 0
    for rnd in range(n_outer):
        if data == "chan_vese":
            alpha, beta = refs[0].mean(axis=0), refs[1].mean(axis=0)
        else:
            alpha, beta = _models(ref_bins, n_bins)
        prob = _Problem(img, bins, width, alpha, beta, data, lam, n_bins)
        u, q = _solve(prob, u, q, n_iter, record_every, it, report, callback)
        it += n_iter
        report.n_outer = rnd + 1
        if rnd + 1 < n_outer:  # re-estimate the references from the segmentation
            m = u > 0.5
            if m.all() or not m.any():
                break
            if data == "chan_vese":
                refs = [img[m].reshape(-1, c), img[~m].reshape(-1, c)]
            else:
                ref_bins = [bins[:, m.ravel()], bins[:, ~m.ravel()]]
    report.u = u
    report.seconds = time.perf_counter() - t0
    return u > 0.5, report


# ----------------------------------------------------------------------------- normalised energy


def _region_setup(u, image, inside, outside, n_bins, n_directions, rng):
    img, c, n_bins, L, X_in, X_out, rng = _check_common(image, inside, outside, n_bins, n_directions, rng)
    u = as_float_array(u, "u", ndim=2)
    if u.shape != img.shape[:2]:
        raise ValueError(f"u must have the image's shape {img.shape[:2]}, got {u.shape}")
    if u.min() < 0 or u.max() > 1:
        raise ValueError(f"u must have values in [0, 1], got range [{u.min():.3g}, {u.max():.3g}]")
    m = u.sum()
    if m <= 0 or m >= u.size:
        raise ValueError("u must select a non-empty region and a non-empty complement "
                         f"(0 < sum(u) < {u.size}), got sum(u) = {m:.6g}")
    theta, f, p_in, p_out = _project(img, X_in, X_out, c, L, rng)
    bins, (b_in, b_out), width = _bins(f.T, [p_in.T, p_out.T], n_bins)
    alpha = _histograms(b_in, n_bins) / X_in.shape[0]
    beta = _histograms(b_out, n_bins) / X_out.shape[0]
    return u, bins, width, alpha, beta, n_bins


def _region_terms(u, bins, width, alpha, beta, n_bins, distance="wasserstein"):
    m = u.sum()
    N = u.size
    h_in = _histograms(bins, n_bins, u.ravel()) / m
    h_out = _histograms(bins, n_bins, 1.0 - u.ravel()) / (N - m)
    L = bins.shape[0]
    if distance == "bin_to_bin":
        d_in, d_out = h_in - alpha, h_out - beta
        return float(0.5 * (np.abs(d_in) + np.abs(d_out)).sum() / L), h_in, h_out, d_in, d_out, m, N
    d_in = np.cumsum(h_in - alpha, axis=1)[:, :-1]
    d_out = np.cumsum(h_out - beta, axis=1)[:, :-1]
    e = float((width[:, None] * (np.abs(d_in) + np.abs(d_out))).sum() / L)
    return e, h_in, h_out, d_in, d_out, m, N


def region_energy(u, image, inside, outside, *, distance="wasserstein", n_bins=64, n_directions=8, rng=None):
    r"""The normalised region energy ``E(u) = SW_1(h(u), alpha) + SW_1(h(1 - u), beta)`` (or bin-to-bin).

    Parameters
    ----------
    u : ndarray of shape (H, W)
        A relaxed region in ``[0, 1]`` (a mask as floats), with ``0 < sum(u) < N``.
    image, inside, outside : as in :func:`segment`
    distance : {"wasserstein", "bin_to_bin"}, keyword-only
        ``W_1``, or the total-variation distance of the histograms ``(1/2) ||h - a||_1`` (bin by bin).
    n_bins, n_directions, rng : keyword-only, as in :func:`segment` (the same ``rng`` gives the same directions)

    Returns
    -------
    energy : float
        ``(1/L) sum_l [W_1(h_l(u), alpha_l) + W_1(h_l(1 - u), beta_l)]`` on the binned values (or the
        same with the bin-to-bin distance); no perimeter.

    Notes
    -----
    ``h(u) = H u / 1^T u`` is the histogram of the values weighted by ``u`` (Chan, Esedoglu & Ni 2007;
    Peyre, Fadili & Rabin 2012). Not convex in ``u``; its convex, mass-scaled cousin is what
    :func:`segment` minimises.
    """
    distance = check_option(distance, "distance", DATA_TERMS[:2])
    u, bins, width, alpha, beta, K = _region_setup(u, image, inside, outside, n_bins, n_directions, rng)
    return _region_terms(u, bins, width, alpha, beta, K, distance)[0]


def region_gradient(u, image, inside, outside, *, n_bins=64, n_directions=8, rng=None):
    r"""The derivative of :func:`region_energy` in ``u``, from the Kantorovich potentials.

    Parameters
    ----------
    u, image, inside, outside, n_bins, n_directions, rng : as in :func:`region_energy`

    Returns
    -------
    gradient : ndarray of shape (H, W)
        ``dE/du_x``; ``-gradient`` is the speed of the region's boundary (positive where the region
        should grow).
    phi_in, phi_out : ndarray of shape (L, K)
        The potentials of ``(h(u), alpha)`` and ``(h(1 - u), beta)`` on the bins of each direction.

    Notes
    -----
    With ``m = 1^T u`` and ``h(u) = H u / m``, ``d h / d u_x = (e_(b(x)) - h) / m`` (a zero-mass
    perturbation), and ``W_1(., alpha)`` has derivative ``phi_alpha`` (:func:`w1_potential`) along
    zero-mass perturbations, so

    .. math::

        \frac{\partial E}{\partial u_x} = \frac1L\sum_l \frac{\varphi_{\alpha,l}(b_l(x)) - \langle\varphi_{\alpha,l}, h_l(u)\rangle}{m}
        - \frac{\varphi_{\beta,l}(b_l(x)) - \langle\varphi_{\beta,l}, h_l(\mathbb 1 - u)\rangle}{N - m},

    exact wherever no cumulative difference vanishes (the energy is then smooth near ``u``).
    """
    u, bins, width, alpha, beta, K = _region_setup(u, image, inside, outside, n_bins, n_directions, rng)
    _, h_in, h_out, d_in, d_out, m, N = _region_terms(u, bins, width, alpha, beta, K)
    phi_in, phi_out = _potential(d_in, width[:, None]), _potential(d_out, width[:, None])
    s_in = phi_in - (phi_in * h_in).sum(axis=1, keepdims=True)
    s_out = phi_out - (phi_out * h_out).sum(axis=1, keepdims=True)
    g = (np.take_along_axis(s_in, bins, axis=1) / m - np.take_along_axis(s_out, bins, axis=1) / (N - m)).mean(axis=0)
    return g.reshape(u.shape), phi_in, phi_out


# ----------------------------------------------------------------------------- scores


def _pair_masks(mask, truth):
    truth = check_mask(truth, "truth")
    mask = check_mask(mask, "mask", nonempty=False)
    if mask.shape != truth.shape:
        raise ValueError(f"mask and truth must have the same shape, got mask {mask.shape} and truth {truth.shape}")
    return mask, truth


def iou(mask, truth):
    r"""Intersection over union ``|M cap G| / |M cup G|`` of a mask and the known region.

    Parameters
    ----------
    mask : boolean ndarray of shape (H, W)
        The segmentation (may be empty).
    truth : boolean ndarray of shape (H, W)
        The known region, non-empty.

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> iou(np.array([[True, True], [False, False]]), np.array([[True, False], [False, False]]))
    0.5
    """
    M, G = _pair_masks(mask, truth)
    return float((M & G).sum() / (M | G).sum())


def dice(mask, truth):
    r"""The Dice coefficient ``2 |M cap G| / (|M| + |G|)`` (equals ``2 IoU / (1 + IoU)``).

    Parameters
    ----------
    mask, truth : boolean ndarray of shape (H, W)
        As in :func:`iou`.

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> round(dice(np.array([[True, True], [False, False]]), np.array([[True, False], [False, False]])), 4)
    0.6667
    """
    M, G = _pair_masks(mask, truth)
    return float(2 * (M & G).sum() / (M.sum() + G.sum()))
