r"""Exemplar-based colorization of a grey image by relaxed and regularised optimal transport.

A grey target (only its luminance is known) borrows the chroma of a colour exemplar. Both images
are described pixel by pixel by features of their luminance (the luminance, its local mean, its local
deviation, a coarser local mean); the cloud of the target's features is matched to the exemplar's by
optimal transport, and each target pixel takes the chroma of the exemplar pixels it is matched to. The
work is done in CIE L*a*b* (:func:`ottools.color.rgb_to_cielab`): the target keeps its luminance
:math:`L^*` **exactly**, only :math:`(a^*, b^*)` are transferred. Tour 15 teaches it.

Ferradans, Papadakis, Peyré and Aujol (2014) call "colorization" the transfer of the palette of one
*colour* image to another; this module adapts their relaxed and regularised transport to the
grey-to-colour problem of Welsh, Ashikhmin and Mueller (2002):

* **relaxed** (capacity constraints): each target cluster sends all its mass, each exemplar cluster
  receives between :math:`\kappa_{\rm lo}` and :math:`\kappa_{\rm hi}` times its mass, so the target
  need not use the exemplar colours in the exemplar's proportions (:math:`\kappa = (1, 1)` is
  balanced transport, :math:`\kappa = (0, \infty)` the nearest neighbour);
* **regularised**: a graph total variation of the chroma given to neighbouring target clusters (the
  clusters of close features get close chromas).

Pipeline of :func:`colorize` (``method="ot"``)
------------------------------------------------
1. :math:`L^*` of both images; the exemplar's luminance remapped onto the target's histogram by 1-D
   optimal transport (sorting, nearest ranks);
2. features :math:`\phi = (L, G_2 \star L, 2\,\mathrm{sd}_2(L), 2\,\mathrm{sd}_6(L), G_8 \star L)` (:func:`luminance_features`);
3. K-means of both feature clouds on a random sample of pixels (``n_clusters = (n_g, n_e)``); masses
   :math:`p_i, q_j` = fractions of pixels, exemplar cluster chroma :math:`c_j` = mean :math:`(a^*, b^*)`;
4. the linear programme of :func:`relaxed_transport` on :math:`C_{ij} = \|\Phi^g_i - \Phi^e_j\|^2`;
5. target cluster chroma :math:`\hat c_i = \frac1{p_i}\sum_j \Sigma_{ij} c_j`, given to every pixel of
   the cluster (a look-up table: every pixel of any size is coloured by the learnt map), smoothed by a
   Gaussian of ``smooth`` pixels; :math:`(L^*_g, \hat a, \hat b)` back to sRGB, clipped to ``[0, 1]``.

Baselines: ``method="welsh"`` (Welsh et al.: affine luminance remapping, 200 random exemplar pixels,
nearest neighbour on luminance and 5 x 5 standard deviation weighted 1/2 each, chroma copied) and
``method="global"`` (the sliced colour transfer of tour 06, :func:`ottools.color.transfer`, applied
to the grey image, then its chroma put on the target's luminance).

References
----------
S. Ferradans, N. Papadakis, G. Peyré, J.-F. Aujol, "Regularized discrete optimal transport",
SIAM J. Imaging Sci. 7(3):1853-1882, 2014.
T. Welsh, M. Ashikhmin, K. Mueller, "Transferring color to greyscale images", ACM Trans. Graph.
21(3):277-280 (SIGGRAPH), 2002.
F. Pierre, J.-F. Aujol, A. Bugeau, N. Papadakis, V.-T. Ta, "Luminance-chrominance model for image
colorization", SIAM J. Imaging Sci. 8(1):536-563, 2015.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, optimize, sparse
from scipy.spatial import cKDTree

from ottools import color
from ottools._validate import (
    ArgumentTypeError,
    as_float_array,
    check_image,
    check_int,
    check_memory,
    check_option,
    check_points,
    check_positive_int,
    check_real,
    check_rng,
    check_weights,
)

__all__ = [
    "METHODS",
    "ColorizationReport",
    "to_grey",
    "luminance_features",
    "relaxed_transport",
    "colorize",
    "chroma_error_map",
    "chroma_error",
]

#: Names accepted by ``colorize(..., method=...)``.
METHODS = ("ot", "welsh", "global")
#: Largest number of variables of the transport linear programme (``n_g n_e``).
MAX_LP_VARIABLES = 200_000
#: Largest number of clusters on either side.
MAX_CLUSTERS = 2000
#: Smallest image side (the features use Gaussians of 8 pixels).
MIN_SIDE = 8
#: Bytes per pixel held at the peak of :func:`colorize` (Lab, features, assignment chunks), float64.
BYTES_PER_PIXEL = 8 * 40
#: Chroma below which an exemplar is called grey (CIE a*b* units).
GREY_CHROMA = 1.0
#: Scales (pixels) of the Gaussian filters of :func:`luminance_features`.
FEATURE_SCALES = (2.0, 6.0, 8.0)
#: Pixels sampled to fit the lookup table of ``method="global"``.
GLOBAL_SAMPLES = 20000
#: Lloyd iterations of the K-means.
KMEANS_ITER = 10
#: Number of exemplar pixels of Welsh et al.'s baseline.
WELSH_SAMPLES = 200


@dataclass
class ColorizationReport:
    r"""What :func:`colorize` computed besides the image.

    Attributes
    ----------
    lab : ndarray of shape (H, W, 3)
        The result in CIE L*a*b* before clipping (its :math:`L^*` is the target's).
    plan : ndarray of shape (n_g, n_e) or None
        The transport plan :math:`\Sigma` between the clusters (``method="ot"``).
    value : float or None
        The value of the linear programme.
    target_centroids, exemplar_centroids : ndarray of shape (n_g, 5), (n_e, 5) or None
        Feature centroids :math:`\Phi^g_i, \Phi^e_j`.
    target_masses, exemplar_masses : ndarray of shape (n_g,), (n_e,) or None
        Pixel fractions :math:`p, q` of the clusters.
    exemplar_chroma : ndarray of shape (n_e, 2) or None
        Mean :math:`(a^*, b^*)` of each exemplar cluster, :math:`c_j`.
    cluster_chroma : ndarray of shape (n_g, 2) or None
        Chroma :math:`\hat c_i` given to each target cluster.
    labels : ndarray of shape (H, W) or None
        The target cluster of every pixel.
    clipped : float
        Fraction of pixels whose sRGB colour was clipped to ``[0, 1]``.
    seconds : float
        Wall time of the call.
    exemplar_shape : tuple
        Shape of the exemplar (to check a reuse through ``colorize(..., clusters=report)``).
    """

    lab: np.ndarray
    plan: np.ndarray | None = None
    value: float | None = None
    target_centroids: np.ndarray | None = None
    exemplar_centroids: np.ndarray | None = None
    target_masses: np.ndarray | None = None
    exemplar_masses: np.ndarray | None = None
    exemplar_chroma: np.ndarray | None = None
    cluster_chroma: np.ndarray | None = None
    labels: np.ndarray | None = None
    clipped: float = 0.0
    seconds: float = 0.0
    exemplar_shape: tuple = ()


# ----------------------------------------------------------------------------------------------
# Checks of the images
# ----------------------------------------------------------------------------------------------


def _grey(img, name):
    f = check_image(img, name)
    if f.ndim == 3:
        raise ValueError(f"{name} must be a grey image (H, W), got a colour image of shape {f.shape}; "
                         f"use colorization.to_grey(image) to make one")
    if min(f.shape) < MIN_SIDE:
        raise ValueError(f"{name} must be at least {MIN_SIDE} x {MIN_SIDE} pixels, got {f.shape}")
    check_memory(BYTES_PER_PIXEL * f.size, name, hint="use a smaller image")
    return f


def _colour(img, name):
    f = check_image(img, name, allow_grey=False)
    if min(f.shape[:2]) < MIN_SIDE:
        raise ValueError(f"{name} must be at least {MIN_SIDE} x {MIN_SIDE} pixels, got {f.shape[:2]}")
    check_memory(BYTES_PER_PIXEL * f.shape[0] * f.shape[1], name, hint="use a smaller image")
    return f


def _kappa(kappa, name="kappa"):
    if isinstance(kappa, (str, bytes)) or not hasattr(kappa, "__len__"):
        raise ArgumentTypeError(f"{name} must be a pair (kappa_lo, kappa_hi), got {kappa!r}")
    if len(kappa) != 2:
        raise ValueError(f"{name} must be a pair (kappa_lo, kappa_hi), got {len(kappa)} values")
    lo = check_real(kappa[0], f"{name}[0]", minimum=0.0, maximum=1.0)
    hi = check_real(kappa[1], f"{name}[1]", minimum=1.0, finite=False)
    return lo, hi


# ----------------------------------------------------------------------------------------------
# Grey images, features
# ----------------------------------------------------------------------------------------------


def to_grey(rgb):
    r"""The grey image with the same CIE luminance :math:`L^*` as a colour image.

    Parameters
    ----------
    rgb : ndarray of shape (H, W, 3)
        An sRGB image in ``[0, 1]``.

    Returns
    -------
    grey : ndarray of shape (H, W)
        The sRGB grey level :math:`g` with :math:`L^*(g, g, g) = L^*(\mathrm{rgb})` (to 1e-12): the
        chroma is removed, the luminance kept, so the colour image is the truth of a colorization.

    Notes
    -----
    :math:`Y = g^{-1}((L^* + 16)/116)` (the relative luminance), :math:`g = \gamma(Y)` with the sRGB
    transfer curve :math:`\gamma` (the rows of the sRGB matrix for :math:`Y` sum to 1).
    """
    f = check_image(rgb, "rgb", allow_grey=False)
    return _to_grey(f)


def _to_grey(f):
    L = color._rgb_to_cielab(f)[..., 0]
    grey = _grey_of_luminance(L)
    return np.clip(grey, 0.0, 1.0)


def _grey_of_luminance(L):
    # the grey RGB whose L* is L (Y row of the matrix sums to 1 up to 1e-7: invert it exactly)
    y = color._lab_f_inv((L + 16.0) / 116.0) / color.SRGB_TO_XYZ[1].sum()
    return color._linear_to_srgb(y)


def _luminance(grey):
    """L* of the grey colours (g, g, g): Y = lin(g) times the sum of the Y row of the sRGB matrix."""
    y = color._srgb_to_linear(grey) * color.SRGB_TO_XYZ[1].sum()
    return 116.0 * color._lab_f(y) - 16.0


def luminance_features(L):
    r"""Per-pixel features of a luminance image: value, local mean, local deviation, coarse mean.

    Parameters
    ----------
    L : ndarray of shape (H, W)
        A luminance image (e.g. CIE :math:`L^*`, in ``[0, 100]``), finite, at least 8 x 8.

    Returns
    -------
    phi : ndarray of shape (H, W, 5)
        :math:`\phi(x) = \big(L,\ G_2 \star L,\ 2\,\mathrm{sd}_2(L),\ 2\,\mathrm{sd}_6(L),\ G_8 \star L\big)(x)` with
        :math:`G_s` the Gaussian of standard deviation :math:`s` pixels (reflected borders) and
        :math:`\mathrm{sd}_s = \sqrt{G_s \star L^2 - (G_s \star L)^2}`; all five in the units of ``L``.

    Notes
    -----
    The luminance alone is ambiguous (a leaf and a petal of the same :math:`L^*`); the local
    deviations at two scales (texture) and the coarse mean (context) separate them. The second
    deviation (scale 6) lowered the chroma error of the tulips halves of tour 15 from 0.82 to 0.78
    times the grey image's (mean over 8 seeds). Tour 15.
    """
    L = as_float_array(L, "L", ndim=2)
    if min(L.shape) < MIN_SIDE:
        raise ValueError(f"L must be at least {MIN_SIDE} x {MIN_SIDE} pixels, got {L.shape}")
    check_memory(8 * 8 * L.size, "L", hint="use a smaller image")
    return _features(L)


def _features(L):
    s1, s2, s3 = FEATURE_SCALES
    m1 = ndimage.gaussian_filter(L, s1, mode="reflect")
    sd1 = np.sqrt(np.maximum(ndimage.gaussian_filter(L * L, s1, mode="reflect") - m1 * m1, 0.0))
    m2 = ndimage.gaussian_filter(L, s2, mode="reflect")
    sd2 = np.sqrt(np.maximum(ndimage.gaussian_filter(L * L, s2, mode="reflect") - m2 * m2, 0.0))
    m3 = ndimage.gaussian_filter(L, s3, mode="reflect")
    return np.stack([L, m1, 2.0 * sd1, 2.0 * sd2, m3], axis=-1)


def _remap_sorted(x, y):
    """x's values replaced by y's at the same rank (nearest ranks if sizes differ): 1-D OT."""
    ys = np.sort(y.ravel())
    n, m = x.size, ys.size
    out = np.empty(n)
    out[np.argsort(x.ravel(), kind="stable")] = ys[(2 * np.arange(n) + 1) * m // (2 * n)]
    return out.reshape(x.shape)


# ----------------------------------------------------------------------------------------------
# The relaxed, regularised transport linear programme
# ----------------------------------------------------------------------------------------------


def relaxed_transport(X, Y, *, a=None, b=None, kappa=(1.0, 1.0), rho=0.0, values=None, n_neighbors=4):
    r"""Relaxed (capacity-constrained) and regularised optimal transport between two point clouds.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Source points (the target image's feature centroids).
    Y : ndarray of shape (m, d)
        Destination points (the exemplar's feature centroids).
    a, b : ndarray of shape (n,), (m,) or None
        Probability weights (uniform if None).
    kappa : pair of floats
        :math:`(\kappa_{\rm lo}, \kappa_{\rm hi})` with :math:`0 \le \kappa_{\rm lo} \le 1 \le
        \kappa_{\rm hi} \le \infty`: the mass received by :math:`Y_j` lies in
        :math:`[\kappa_{\rm lo} b_j, \kappa_{\rm hi} b_j]`.
    rho : float
        Weight :math:`\rho \ge 0` of the graph total variation of the transported values.
    values : ndarray of shape (m, k) or None
        Values :math:`c_j` carried by the destination points (the chroma); needed when ``rho > 0``.
    n_neighbors : int
        Neighbours of each source point in the graph of the regulariser (``1 <= n_neighbors < n``).

    Returns
    -------
    plan : ndarray of shape (n, m)
        The optimal :math:`\Sigma`.
    value : float
        The optimal value of the programme below.

    Notes
    -----
    With :math:`C_{ij} = \|X_i - Y_j\|^2` and :math:`\hat c_i = \frac1{a_i}\sum_j \Sigma_{ij} c_j`,

    .. math::
        \min_{\Sigma \ge 0}\ \langle C, \Sigma\rangle + \rho \sum_{(i, i') \in E} w_{ii'}
        \|\hat c_i - \hat c_{i'}\|_1 \quad\text{s.t.}\quad \Sigma\mathbb 1 = a,\quad
        \kappa_{\rm lo}\, b \le \Sigma^\top \mathbb 1 \le \kappa_{\rm hi}\, b,

    feasible since :math:`\kappa_{\rm lo} \le 1 \le \kappa_{\rm hi}`. :math:`E` joins each
    :math:`X_i` to its ``n_neighbors`` nearest :math:`X_{i'}`, :math:`w_{ii'} \propto \|X_i -
    X_{i'}\|^{-1}` normalised to sum 1. :math:`\hat c` is linear in :math:`\Sigma` (its row sums are
    fixed), so this is a linear programme (one auxiliary variable per edge and value channel for the
    absolute values), solved by HiGHS (``scipy.optimize.linprog``). :math:`\kappa = (1, 1),\ \rho = 0`
    is the Kantorovich problem; :math:`\kappa = (0, \infty),\ \rho = 0` sends each :math:`X_i` to its
    nearest :math:`Y_j`. Enlarging :math:`[\kappa_{\rm lo}, \kappa_{\rm hi}]` enlarges the feasible set,
    so the value cannot increase.

    References
    ----------
    S. Ferradans, N. Papadakis, G. Peyré, J.-F. Aujol, "Regularized discrete optimal transport",
    SIAM J. Imaging Sci. 7(3):1853-1882, 2014 (capacity constraints and the regularised map, there
    between two colour palettes).
    """
    X = check_points(X, "X")
    Y = check_points(Y, "Y")
    if Y.shape[1] != X.shape[1]:
        raise ValueError(f"X and Y must have the same dimension, got X {X.shape} and Y {Y.shape}")
    n, m = X.shape[0], Y.shape[0]
    if n * m > MAX_LP_VARIABLES:
        raise ValueError(f"X and Y give {n} x {m} = {n * m} transport variables, more than "
                         f"{MAX_LP_VARIABLES}; use fewer points (clusters)")
    a = check_weights(a, n, "a")
    b = check_weights(b, m, "b")
    kappa = _kappa(kappa)
    rho = check_real(rho, "rho", minimum=0.0)
    if values is not None:
        values = check_points(values, "values", min_points=m)
        if values.shape[0] != m:
            raise ValueError(f"values must have one row per point of Y ({m}), got {values.shape[0]}")
    if rho > 0 and values is None:
        raise ValueError("rho > 0 needs values (the values carried by Y, e.g. their chroma)")
    k_nb = check_positive_int(n_neighbors, "n_neighbors", maximum=max(n - 1, 1))
    C = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)
    edges, w = _knn_graph(X, k_nb) if rho > 0 and n > 1 else (np.zeros((0, 2), int), np.zeros(0))
    return _relaxed_transport(C, a, b, kappa, rho, values, edges, w)


def _knn_graph(X, k):
    """Undirected k-nearest-neighbour graph: edges (i < i'), weights 1/distance normalised to sum 1."""
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(D, np.inf)
    nb = np.argsort(D, axis=1)[:, :k]
    i = np.repeat(np.arange(len(X)), k)
    pairs = np.unique(np.sort(np.stack([i, nb.ravel()], axis=1), axis=1), axis=0)
    d = D[pairs[:, 0], pairs[:, 1]]
    w = 1.0 / np.maximum(d, 1e-12 * max(D[np.isfinite(D)].max(), 1e-300))
    return pairs, w / w.sum()


def _relaxed_transport(C, a, b, kappa, rho, values, edges, w):
    n, m = C.shape
    lo, hi = kappa
    nv = n * m
    cols = sparse.kron(np.ones((1, n)), sparse.eye(m), format="csr")  # Sigma^T 1
    ub, ub_rhs = [], []
    if np.isfinite(hi):
        ub.append(cols)
        ub_rhs.append(hi * b)
    if lo > 0:
        ub.append(-cols)
        ub_rhs.append(-lo * b)
    eq = [sparse.kron(sparse.eye(n), np.ones((1, m)), format="csr")]  # Sigma 1 = a
    eq_rhs = [a]
    cost = [C.ravel()]
    bounds = [(0, None)] * nv
    if rho > 0 and len(edges) > 0:
        # explicit variables c_hat (n, k), tied to Sigma by a_i c_hat_i = sum_j Sigma_ij c_j, and one
        # t >= |c_hat_i - c_hat_i'| per edge and channel: every row stays short (sparse programme)
        k, E = values.shape[1], len(edges)
        n_hat, n_aux = n * k, E * k
        tie = sparse.hstack([-sparse.kron(sparse.eye(n), values.T),  # rows (i, ch): -sum_j Sigma_ij c_j,ch
                             sparse.diags(np.repeat(a, k)), sparse.csr_matrix((n_hat, n_aux))])
        eq = [sparse.hstack([eq[0], sparse.csr_matrix((n, n_hat + n_aux))]), tie]
        eq_rhs.append(np.zeros(n_hat))
        r = np.arange(n_aux)
        e_idx, ch = r // k, r % k
        diff = sparse.csr_matrix((np.r_[np.ones(n_aux), -np.ones(n_aux)],
                                  (np.r_[r, r], np.r_[edges[e_idx, 0] * k + ch, edges[e_idx, 1] * k + ch])),
                                 shape=(n_aux, n_hat))
        minus_t = -sparse.eye(n_aux, format="csr")
        zeros = sparse.csr_matrix((n_aux, nv))
        tv = sparse.vstack([sparse.hstack([zeros, diff, minus_t]), sparse.hstack([zeros, -diff, minus_t])])
        ub = [sparse.hstack([B, sparse.csr_matrix((B.shape[0], n_hat + n_aux))]) for B in ub] + [tv]
        ub_rhs.append(np.zeros(2 * n_aux))
        cost += [np.zeros(n_hat), rho * np.repeat(w, k)]
        bounds += [(None, None)] * n_hat + [(0, None)] * n_aux
    A_ub = sparse.vstack(ub, format="csr") if ub else None
    b_ub = np.concatenate(ub_rhs) if ub else None
    res = optimize.linprog(np.concatenate(cost), A_ub=A_ub, b_ub=b_ub, A_eq=sparse.vstack(eq, format="csr"),
                           b_eq=np.concatenate(eq_rhs), bounds=bounds, method="highs")
    if res.status != 0:  # the programme is feasible and bounded: only a solver failure lands here
        raise RuntimeError(f"the transport linear programme failed: {res.message}")
    plan = np.maximum(res.x[:nv].reshape(n, m), 0.0)
    return plan, float(res.fun)


# ----------------------------------------------------------------------------------------------
# Colorization
# ----------------------------------------------------------------------------------------------


def colorize(target, exemplar, *, method="ot", kappa=(0.2, 5.0), rho=0.0, n_clusters=(60, 120),
             n_samples=5000, smooth=1.5, rng=None, clusters=None):
    r"""Colour a grey image with the chroma of a colour exemplar.

    Parameters
    ----------
    target : ndarray of shape (H, W)
        The grey image, sRGB grey levels in ``[0, 1]`` (e.g. :func:`to_grey` of a photograph), at
        least 8 x 8.
    exemplar : ndarray of shape (H0, W0, 3)
        A colour image in ``[0, 1]`` (any size, at least 8 x 8), not grey.
    method : {"ot", "welsh", "global"}
        ``"ot"``: the relaxed, regularised transport of feature clusters (module docstring);
        ``"welsh"``: Welsh et al.'s nearest neighbour among 200 exemplar pixels; ``"global"``: the
        sliced colour transfer of :func:`ottools.color.transfer` applied to the grey image.
    kappa : pair of floats
        Capacity bounds :math:`(\kappa_{\rm lo}, \kappa_{\rm hi})` of :func:`relaxed_transport`;
        ``(1, 1)`` is balanced transport, ``(0, inf)`` nearest neighbour (``method="ot"``).
    rho : float
        Weight of the graph total variation of the chroma (``method="ot"``), ``>= 0``.
    n_clusters : pair of ints
        Numbers of K-means clusters ``(n_g, n_e)`` of the target and exemplar features, each in
        ``[2, 2000]``, at most the number of sampled pixels, ``n_g n_e <= 200000``.
    n_samples : int
        Pixels sampled from each image to fit the K-means (at least ``max(n_clusters)``, at most
        10**6); every pixel is then assigned to its nearest centroid.
    smooth : float
        Standard deviation (pixels) of the Gaussian smoothing of the chroma map, ``0 <= smooth <= 50``
        (``method="ot"``).
    rng : None, int or numpy Generator
        Seeds the sampling and the K-means (and the sliced transfer of ``method="global"``, the
        samples of ``method="welsh"``).
    clusters : ColorizationReport or None
        The report of an earlier ``method="ot"`` call on the same two images: its features and
        K-means are reused (``n_clusters``, ``n_samples`` and ``rng`` are then unused) and only the
        transport is solved again, e.g. for other ``kappa``, ``rho`` or ``smooth``.

    Returns
    -------
    rgb : ndarray of shape (H, W, 3)
        The coloured image, clipped to ``[0, 1]``.
    report : ColorizationReport
        The Lab result before clipping (whose :math:`L^*` is the target's to rounding), the plan,
        the clusters, the clipped fraction.

    Notes
    -----
    See the module docstring for the pipeline; costs are :math:`O(N n_g)` for the assignment of
    the pixels and one linear programme of :math:`n_g n_e` variables. Tour 15.

    References
    ----------
    S. Ferradans, N. Papadakis, G. Peyré, J.-F. Aujol, "Regularized discrete optimal transport",
    SIAM J. Imaging Sci. 7(3), 2014. T. Welsh, M. Ashikhmin, K. Mueller, "Transferring color to
    greyscale images", ACM Trans. Graph. 21(3), 2002.
    """
    start = time.perf_counter()
    g = _grey(target, "target")
    e = _colour(exemplar, "exemplar")
    method = check_option(method, "method", METHODS)
    kappa = _kappa(kappa)
    rho = check_real(rho, "rho", minimum=0.0)
    if isinstance(n_clusters, (str, bytes)) or not hasattr(n_clusters, "__len__"):
        raise ArgumentTypeError(f"n_clusters must be a pair (n_g, n_e), got {n_clusters!r}")
    if len(n_clusters) != 2:
        raise ValueError(f"n_clusters must be a pair (n_g, n_e), got {len(n_clusters)} values")
    ng = check_int(n_clusters[0], "n_clusters[0]", minimum=2, maximum=MAX_CLUSTERS)
    ne = check_int(n_clusters[1], "n_clusters[1]", minimum=2, maximum=MAX_CLUSTERS)
    if ng * ne > MAX_LP_VARIABLES:
        raise ValueError(f"n_clusters gives {ng} x {ne} = {ng * ne} transport variables, more than {MAX_LP_VARIABLES}")
    if ng > g.size or ne > e.shape[0] * e.shape[1]:
        raise ValueError(f"n_clusters {(ng, ne)} exceeds the number of pixels of target ({g.size}) "
                         f"or exemplar ({e.shape[0] * e.shape[1]})")
    n_samples = check_int(n_samples, "n_samples", minimum=max(ng, ne), maximum=10**6)
    smooth = check_real(smooth, "smooth", minimum=0.0, maximum=50.0)
    gen = check_rng(rng)
    lab_e = color._rgb_to_cielab(e)
    if np.hypot(lab_e[..., 1], lab_e[..., 2]).max() < GREY_CHROMA:
        raise ValueError(f"exemplar is grey (all its chromas are below {GREY_CHROMA} in CIE a*b*): "
                         f"it has no colour to give")
    if clusters is not None:
        if method != "ot":
            raise ValueError(f"clusters applies to method='ot' only, got method={method!r}")
        if not isinstance(clusters, ColorizationReport):
            raise ArgumentTypeError(f"clusters must be the ColorizationReport of an earlier colorize call, "
                                    f"got {type(clusters).__name__}")
        if clusters.labels is None or clusters.labels.shape != g.shape or clusters.exemplar_shape != e.shape:
            raise ValueError("clusters must come from colorize(method='ot') on a target and an exemplar of "
                             f"the same shapes as these, {g.shape} and {e.shape}")
    L = _luminance(g)
    if method == "ot":
        if clusters is None:
            found = _clusters(L, lab_e, ng, ne, n_samples, gen)
        else:
            found = {k: getattr(clusters, k) for k in ("target_centroids", "exemplar_centroids", "target_masses",
                                                       "exemplar_masses", "exemplar_chroma", "labels")}
        ab, extra = _colorize_ot(found, kappa, rho, smooth)
    elif method == "welsh":
        ab, extra = _colorize_welsh(L, lab_e, gen), {}
    else:
        ab, extra = _colorize_global(g, e, gen), {}
    lab = np.concatenate([L[..., None], ab], axis=-1)
    rgb = color._cielab_to_rgb(lab)
    outside = np.any((rgb < 0) | (rgb > 1), axis=-1)
    report = ColorizationReport(lab=lab, clipped=float(outside.mean()), exemplar_shape=e.shape, **extra)
    report.seconds = time.perf_counter() - start
    return np.clip(rgb, 0.0, 1.0), report


def _nearest(F, centroids):
    """Index of the nearest centroid of every row of F (a k-d tree of the centroids: O(N log n))."""
    return cKDTree(centroids).query(F, k=1)[1]


def _kmeans(F, k, n_samples, gen, n_iter=KMEANS_ITER):
    """Lloyd's K-means on a random sample of the rows of F, then every row to its nearest centroid.

    Returns the centroids (empty clusters dropped), their masses (fractions of all rows) and the
    label of every row.
    """
    S = F[gen.choice(len(F), size=min(n_samples, len(F)), replace=False)]
    centroids = S[gen.choice(len(S), size=k, replace=False)]
    for _ in range(n_iter):  # loop over iterations only
        lab = _nearest(S, centroids)
        counts = np.bincount(lab, minlength=k)
        sums = np.stack([np.bincount(lab, S[:, c], minlength=k) for c in range(S.shape[1])], 1)
        filled = counts > 0
        centroids = np.where(filled[:, None], sums / np.maximum(counts, 1)[:, None], centroids)
    labels = _nearest(F, centroids)
    masses = np.bincount(labels, minlength=k).astype(float)
    keep = masses > 0  # a cluster no pixel is nearest to carries no mass: drop it
    remap = np.cumsum(keep) - 1
    return centroids[keep], masses[keep] / masses.sum(), remap[labels]


def _clusters(L, lab_e, ng, ne, n_samples, gen):
    """Features of both images, their K-means, the masses and the exemplar cluster chromas."""
    Le = _remap_sorted(lab_e[..., 0], L)
    Fg, Fe = _features(L), _features(Le)
    Fg, Fe = Fg.reshape(-1, Fg.shape[-1]), Fe.reshape(-1, Fe.shape[-1])
    cg, p, lg = _kmeans(Fg, ng, n_samples, gen)
    ce, q, le = _kmeans(Fe, ne, n_samples, gen)
    ab_e = lab_e[..., 1:].reshape(-1, 2)
    counts = np.bincount(le, minlength=len(ce))
    chroma_e = np.stack([np.bincount(le, ab_e[:, k], minlength=len(ce)) for k in range(2)], 1) / counts[:, None]
    return dict(target_centroids=cg, exemplar_centroids=ce, target_masses=p, exemplar_masses=q,
                exemplar_chroma=chroma_e, labels=lg.reshape(L.shape))


def _colorize_ot(clusters, kappa, rho, smooth):
    cg, ce = clusters["target_centroids"], clusters["exemplar_centroids"]
    p, q, chroma_e = clusters["target_masses"], clusters["exemplar_masses"], clusters["exemplar_chroma"]
    C = ((cg[:, None, :] - ce[None, :, :]) ** 2).sum(-1)
    edges, w = _knn_graph(cg, min(4, len(cg) - 1)) if rho > 0 else (np.zeros((0, 2), int), np.zeros(0))
    plan, value = _relaxed_transport(C, p, q, kappa, rho, chroma_e, edges, w)
    chroma_g = plan @ chroma_e / p[:, None]
    ab = chroma_g[clusters["labels"]]
    if smooth > 0:
        ab = ndimage.gaussian_filter(ab, (smooth, smooth, 0), mode="reflect")
    return ab, dict(clusters, plan=plan, value=value, cluster_chroma=chroma_g)


def _local_sd(L, r=2):
    size = 2 * r + 1
    m = ndimage.uniform_filter(L, size, mode="reflect")
    return np.sqrt(np.maximum(ndimage.uniform_filter(L * L, size, mode="reflect") - m * m, 0.0))


def _colorize_welsh(L, lab_e, gen):
    Le = lab_e[..., 0]
    Le = (Le - Le.mean()) * (L.std() / max(Le.std(), 1e-12)) + L.mean()  # affine remapping
    idx = gen.choice(Le.size, size=min(WELSH_SAMPLES, Le.size), replace=False)
    Fe = np.stack([Le.ravel(), _local_sd(Le).ravel()], 1)[idx]
    Fg = np.stack([L.ravel(), _local_sd(L).ravel()], 1)
    nearest = _nearest(Fg, Fe)  # equal weights 1/2 on luminance and deviation
    return lab_e[..., 1:].reshape(-1, 2)[idx][nearest].reshape(L.shape + (2,))


def _colorize_global(g, e, gen):
    grey_rgb = np.repeat(g[..., None], 3, axis=2)
    # the grey pixels lie on a curve of the colour cube: 20000 samples fit its table (60000 by default)
    opts = color._mapping_options("sliced", color.METHODS, n_iter=None, max_pixels=4096, n_samples=GLOBAL_SAMPLES,
                                  n_quantiles=None, lut_size=None, bases=None)
    out = color._transfer(grey_rgb, e, opts, gen, True)
    return color._rgb_to_cielab(out)[..., 1:]


# ----------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------


def _pair(image, truth):
    f = check_image(image, "image", allow_grey=False)
    t = check_image(truth, "truth", allow_grey=False)
    if f.shape != t.shape:
        raise ValueError(f"image and truth must have the same shape, got {f.shape} and {t.shape}")
    return f, t


def chroma_error_map(image, truth):
    r"""Chroma error at each pixel, :math:`\|(a^*, b^*)(x) - (a^*, b^*)_{\rm true}(x)\|_2`.

    Parameters
    ----------
    image, truth : ndarray of shape (H, W, 3)
        Two RGB images in ``[0, 1]`` of the same shape.

    Returns
    -------
    err : ndarray of shape (H, W)
        In CIE a*b* units; it is :math:`\Delta E^*_{ab}` where the two luminances are equal.
    """
    f, t = _pair(image, truth)
    return _error_map(f, t)


def _error_map(f, t):
    d = color._rgb_to_cielab(f)[..., 1:] - color._rgb_to_cielab(t)[..., 1:]
    return np.sqrt((d**2).sum(-1))


def chroma_error(image, truth):
    r"""Mean chroma error :math:`E_{ab} = \mathrm{mean}_x \|(a^*, b^*)(x) - (a^*, b^*)_{\rm true}(x)\|_2`.

    Parameters
    ----------
    image, truth : ndarray of shape (H, W, 3)
        Two RGB images in ``[0, 1]`` of the same shape (a grey image may be passed as
        ``np.repeat(grey[..., None], 3, 2)``: its error is the truth's mean chroma).

    Returns
    -------
    float
    """
    f, t = _pair(image, truth)
    return float(_error_map(f, t).mean())
