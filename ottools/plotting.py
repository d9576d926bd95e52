"""Figure helpers shared by the tours.

Nothing here changes matplotlib's settings at import time: a tour calls :func:`use_style` once in
its setup cell. Every helper takes ``ax=None`` (a new figure is made when it is ``None``) and returns
the axes it drew on, so that figures can be composed and restyled by the reader.

Later parts of the course add their helpers at the end of this file.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    ArgumentTypeError,
    as_float_array,
    check_ax,
    check_bool,
    check_image,
    check_int,
    check_points,
    check_real,
    check_rng,
    check_sequence,
    check_weights,
)

__all__ = [
    "SOURCE_COLOR",
    "TARGET_COLOR",
    "PLAN_COLOR",
    "use_style",
    "show_images",
    "plot_points",
    "plot_color_cloud",
    "plot_coupling",
    "plot_plan",
    "plot_color_histogram",
    "plot_histogram_1d",
    "plot_directions",
    "plot_transport_polytope",
    "plot_log_spectrum",
    "plot_gaussian_ellipse",
    "show_on_triangle",
    "plot_distance_matrix",
    "plot_frame_means",
    "show_synthesis",
    "plot_gaussian_map",
    "plot_flow_frame",
    "plot_convergence",
    "plot_matching_1d",
    "show_strip",
    "plot_feature_matching",
]

#: Largest number of drawn elements (bins, level lines, polygon vertices, grid columns) a helper
#: accepts: far more than a figure can show, far less than would exhaust memory.
MAX_ELEMENTS = 100_000

# Colours of the course: source measures in blue, target measures in orange, plans in grey.
SOURCE_COLOR = "#1f77b4"
TARGET_COLOR = "#ff7f0e"
PLAN_COLOR = "0.35"

_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "image.interpolation": "nearest",
    "image.cmap": "viridis",
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "scatter.edgecolors": "none",
}


def use_style():
    """Apply the course's matplotlib style (explicitly, from a tour's setup cell).

    Returns the dictionary of settings that was applied.
    """
    import matplotlib as mpl

    mpl.rcParams.update(_STYLE)
    return dict(_STYLE)


def _positive(x, name):
    return check_real(x, name, minimum=0.0, strict=True)


def _opacity(x, name="alpha"):
    return check_real(x, name, minimum=0.0, maximum=1.0)


def _titles(titles, n, name="titles"):
    if titles is None:
        return None
    titles = check_sequence(titles, name, min_len=0)
    if len(titles) != n:
        raise ValueError(f"{name} must have one entry per image ({n}), got {len(titles)}")
    return [str(t) for t in titles]


def _images(images, name="images"):
    """A list of checked images; one array (H, W) or (H, W, 3) is one image, not a list of rows."""
    if isinstance(images, np.ndarray):
        images = [images]
    images = check_sequence(images, name)
    return [check_image(im, f"{name}[{k}]") for k, im in enumerate(images)]


def _new_axes(ax, projection=None, figsize=None):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    fig = plt.figure(figsize=figsize)
    return fig.add_subplot(projection=projection)


def show_images(images, titles=None, ncols=None, axes=None, size=3.0, cmap="gray", suptitle=None):
    """A grid of images with titles.

    Parameters
    ----------
    images : sequence of ndarray of shape (H, W) or (H, W, 3), or one such array
        Values in ``[0, 1]`` (``uint8`` accepted). Grey images are drawn with ``cmap`` and the fixed
        range ``[0, 1]``, so that grey levels are comparable between panels.
    titles : sequence of str, optional
    ncols : int, optional
        Number of columns (default: all images on one row, at most 4).
    axes : sequence of Axes, optional
        Axes to draw into (one per image); a new figure is made when ``None``.
    size : float
        Height in inches of one row.
    suptitle : str, optional

    Returns
    -------
    axes : ndarray of Axes, one per image
    """
    import matplotlib.pyplot as plt

    imgs = _images(images)
    n = len(imgs)
    titles = _titles(titles, n)
    size = _positive(size, "size")
    if ncols is not None:
        ncols = check_int(ncols, "ncols", minimum=1, maximum=MAX_ELEMENTS)
    if axes is None:
        ncols = min(n, 4) if ncols is None else ncols
        nrows = -(-n // ncols)
        aspect = np.mean([im.shape[1] / im.shape[0] for im in imgs])
        fig, grid = plt.subplots(
            nrows, ncols, figsize=(size * aspect * ncols + 0.2, size * nrows + 0.3), squeeze=False
        )
        axes = grid.ravel()
        for extra in axes[n:]:
            extra.set_axis_off()
        if suptitle:
            fig.suptitle(suptitle)
    else:
        axes = np.asarray(axes, dtype=object).ravel()
        for k, one in enumerate(axes[:n]):
            check_ax(one, f"axes[{k}]")
        if axes.size < n:
            raise ValueError(f"axes must hold at least {n} axes, got {axes.size}")
    for k, (ax, im) in enumerate(zip(axes, imgs)):
        if im.ndim == 2:
            ax.imshow(im, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="antialiased")
        else:
            ax.imshow(im, interpolation="antialiased")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        if titles is not None:
            ax.set_title(titles[k])
    return axes[:n]


def _dot_sizes(a, n, base):
    # area proportional to mass, a uniform measure drawing dots of area `base`
    return base * n * a


def plot_points(X, a=None, ax=None, color=SOURCE_COLOR, size=30.0, label=None, alpha=0.85, **kwargs):
    """A 2-D point cloud, the mass of each point drawn as the area of its dot.

    Parameters
    ----------
    X : ndarray of shape (N, 2)
    a : ndarray of shape (N,), optional
        Probability weights (default uniform). A dot's area is ``size * N * a_i``, so a uniform
        measure has dots of area ``size`` whatever ``N``, and a point twice as heavy is twice as big.
    ax : Axes, optional
    color, label, alpha : passed to ``scatter``.
    size : float
        Area (points^2) of the dot of an atom of mass ``1 / N``.

    Returns
    -------
    ax : Axes
    """
    X = check_points(X, "X", d=2)
    a = check_weights(a, X.shape[0], "a")
    check_ax(ax)
    size, alpha = _positive(size, "size"), _opacity(alpha)
    ax = _new_axes(ax)
    ax.scatter(X[:, 0], X[:, 1], s=_dot_sizes(a, X.shape[0], size), c=color, alpha=alpha,
               label=label, linewidths=0, **kwargs)
    ax.set_aspect("equal", adjustable="datalim")
    return ax


def _rgb_cube(ax, elev, azim, title):
    """Axes of the unit RGB cube: limits, labels, ticks, view and a cubic box."""
    ax.set(xlim=(0, 1), ylim=(0, 1), zlim=(0, 1), xlabel="R", ylabel="G", zlabel="B")
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])
    ax.set_zticks([0, 0.5, 1])
    ax.view_init(elev=elev, azim=azim)
    ax.set_box_aspect((1, 1, 1))
    if title:
        ax.set_title(title)
    return ax


def plot_color_cloud(X, ax=None, n_max=4000, rng=0, size=4.0, alpha=0.8, title=None, elev=20, azim=-60):
    """A cloud of colours in the RGB cube, each point drawn in its own colour.

    Parameters
    ----------
    X : ndarray of shape (N, 3) or an image of shape (H, W, 3)
        Colours in ``[0, 1]``. An image is read as its ``H * W`` pixel colours.
    ax : 3-D Axes, optional
        Made with ``projection="3d"`` when ``None``.
    n_max : int
        At most this many points are drawn, sampled without replacement with ``rng`` (drawing more
        only hides the structure and slows the figure).
    rng : None, int or numpy.random.Generator
    size, alpha : marker area and opacity.
    elev, azim : view angles in degrees.

    Returns
    -------
    ax : Axes3D
    """
    arr = X if isinstance(X, np.ndarray) else as_float_array(X, "X")
    if arr.ndim == 3:
        arr = check_image(arr, "X", allow_grey=False).reshape(-1, 3)
    else:
        arr = check_points(arr, "X", d=3)
        if arr.min() < 0 or arr.max() > 1:
            raise ValueError("X must hold colours with values in [0, 1]")
    rng = check_rng(rng)
    check_ax(ax, projection="3d")
    n_max = check_int(n_max, "n_max", minimum=1)
    size, alpha = _positive(size, "size"), _opacity(alpha)
    elev, azim = check_real(elev, "elev"), check_real(azim, "azim")
    if arr.shape[0] > n_max:
        arr = arr[rng.choice(arr.shape[0], size=n_max, replace=False)]
    ax = _new_axes(ax, projection="3d", figsize=(4.6, 4.2))
    ax.scatter(arr[:, 0], arr[:, 1], arr[:, 2], c=arr, s=size, alpha=alpha, depthshade=False,
               linewidths=0)
    return _rgb_cube(ax, elev, azim, title)


def _marginal(a, n, name):
    a = as_float_array(a, name, ndim=1)
    if a.shape[0] != n:
        raise ValueError(f"{name} must have {n} entries (one per atom), got {a.shape[0]}")
    if np.any(a < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {a.min():.3g}")
    return a


def plot_coupling(P, ax=None, a=None, b=None, marginals=True, cmap="magma_r", title=None, colorbar=True):
    """A coupling matrix as an image, with its two marginals drawn along its sides.

    Parameters
    ----------
    P : ndarray of shape (N, M)
        Non-negative; entry ``P[i, j]`` is the mass sent from source atom ``i`` (rows) to target
        atom ``j`` (columns).
    a, b : ndarray of shape (N,) and (M,), optional
        Marginals to draw; default the row and column sums of ``P``.
    marginals : bool
        Draw ``a`` as bars on the left and ``b`` as bars on top.
    cmap : colormap
        Entries exactly zero are drawn white whatever the colormap, so the support of ``P`` shows.
    colorbar : bool

    Returns
    -------
    ax : Axes (the matrix)
    """
    P = as_float_array(P, "P", ndim=2)
    if P.size == 0:
        raise ValueError(f"P must not be empty, got shape {P.shape}")
    if np.any(P < 0):
        raise ValueError(f"P must be non-negative, got minimum {P.min():.3g}")
    N, M = P.shape
    a = P.sum(axis=1) if a is None else _marginal(a, N, "a")
    b = P.sum(axis=0) if b is None else _marginal(b, M, "b")
    marginals, colorbar = check_bool(marginals, "marginals"), check_bool(colorbar, "colorbar")
    check_ax(ax)
    import matplotlib as mpl

    ax = _new_axes(ax, figsize=(4.8, 4.4))
    cm = (mpl.colormaps[cmap] if isinstance(cmap, str) else cmap).with_extremes(bad="white")
    im = ax.imshow(np.ma.masked_equal(P, 0.0), cmap=cm, vmin=0.0, vmax=float(P.max()) if P.max() > 0 else 1.0,
                   aspect="auto", interpolation="nearest",
                   extent=(-0.5, M - 0.5, N - 0.5, -0.5))
    ax.set_xlabel("target atom j")
    ax.set_ylabel("source atom i")
    if title:
        ax.set_title(title, pad=42 if marginals else 6)
    if marginals:
        left = ax.inset_axes([-0.2, 0.0, 0.14, 1.0], sharey=ax)
        left.barh(np.arange(N), a, height=0.9, color=SOURCE_COLOR)
        left.invert_xaxis()
        left.set_xticks([])
        left.tick_params(labelleft=False, left=False)
        left.set_title("a", fontsize=9)
        for s in ("top", "bottom", "left"):
            left.spines[s].set_visible(False)
        top = ax.inset_axes([0.0, 1.03, 1.0, 0.14], sharex=ax)
        top.bar(np.arange(M), b, width=0.9, color=TARGET_COLOR)
        top.set_yticks([])
        top.tick_params(labelbottom=False, bottom=False)
        top.text(1.01, 0.5, "b", transform=top.transAxes, fontsize=9, va="center")
        for s in ("top", "right", "left"):
            top.spines[s].set_visible(False)
        ax.yaxis.set_label_coords(-0.23, 0.5)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02, label="mass $P_{ij}$")
    return ax


def plot_plan(X, Y, P, ax=None, a=None, b=None, threshold=1e-9, max_width=3.0, color=PLAN_COLOR,
              points=True, size=30.0):
    """A transport plan (or an assignment) drawn as segments between two 2-D clouds.

    Parameters
    ----------
    X : ndarray of shape (N, 2)
    Y : ndarray of shape (M, 2)
    P : ndarray of shape (N, M), or an integer array ``sigma`` of shape (N,)
        A coupling: segment ``X_i -- Y_j`` has a width proportional to ``P[i, j]`` (the largest entry
        gets ``max_width``). A permutation ``sigma`` draws ``X_i -- Y_sigma[i]`` with equal widths.
    a, b : ndarray, optional
        Weights of the dots (default: the marginals of ``P``).
    threshold : float
        Entries of ``P`` at most ``threshold * P.max()`` are not drawn.
    points : bool
        Also draw the two clouds (source blue, target orange, dot areas proportional to mass).

    Returns
    -------
    ax : Axes
    """
    from matplotlib.collections import LineCollection

    X = check_points(X, "X", d=2)
    Y = check_points(Y, "Y", d=2)
    N, M = X.shape[0], Y.shape[0]
    check_ax(ax)
    threshold = check_real(threshold, "threshold", minimum=0.0)
    max_width, size = _positive(max_width, "max_width"), _positive(size, "size")
    points = check_bool(points, "points")
    a = None if a is None else check_weights(a, N, "a")
    b = None if b is None else check_weights(b, M, "b")
    P_arr = P if isinstance(P, np.ndarray) else as_float_array(P, "P")
    if P_arr.ndim == 1:
        if not np.issubdtype(P_arr.dtype, np.integer) or P_arr.shape[0] != N:
            raise ValueError(f"P given as a permutation must be {N} integers, got {P_arr.shape} {P_arr.dtype}")
        if P_arr.min(initial=0) < 0 or P_arr.max(initial=0) >= M:
            raise ValueError(f"P given as a permutation must index Y (0..{M - 1})")
        P_arr = np.zeros((N, M))
        P_arr[np.arange(N), np.asarray(P)] = 1.0 / N
    P_arr = as_float_array(P_arr, "P", ndim=2)
    if P_arr.shape != (N, M):
        raise ValueError(f"P must have shape ({N}, {M}) to match X and Y, got {P_arr.shape}")
    if np.any(P_arr < 0):
        raise ValueError(f"P must be non-negative, got minimum {P_arr.min():.3g}")
    ax = _new_axes(ax)
    pmax = float(P_arr.max()) if P_arr.size else 0.0
    if pmax > 0:
        i, j = np.nonzero(P_arr > threshold * pmax)
        segments = np.stack([X[i], Y[j]], axis=1)
        widths = max_width * P_arr[i, j] / pmax
        ax.add_collection(LineCollection(segments, linewidths=widths, colors=color, alpha=0.8,
                                         capstyle="round", zorder=1))
    if points:
        a_w = P_arr.sum(axis=1) if a is None else a
        b_w = P_arr.sum(axis=0) if b is None else b
        a_w = a_w / a_w.sum() if np.sum(a_w) > 0 else None
        b_w = b_w / b_w.sum() if np.sum(b_w) > 0 else None
        plot_points(X, a_w, ax=ax, color=SOURCE_COLOR, size=size, label="source $X$", zorder=2)
        plot_points(Y, b_w, ax=ax, color=TARGET_COLOR, size=size, label="target $Y$", zorder=2)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    return ax


# --------------------------------------------------------------------------------------------
# Histograms: colour histograms in the RGB cube (tour 01), 1-D histograms (tour 04)
# --------------------------------------------------------------------------------------------


def plot_color_histogram(centres, weights, ax=None, max_size=400.0, alpha=0.9, title=None, elev=20,
                         azim=-60, edgecolor="0.35"):
    """A colour histogram in the RGB cube: one dot per non-empty cell, its area proportional to the
    cell's weight, drawn in the colour of the cell's centre.

    Parameters
    ----------
    centres : ndarray of shape (K, 3)
        Cell centres in ``[0, 1]^3`` (e.g. from ``ottools.discrete.color_histogram``).
    weights : ndarray of shape (K,)
        Probability weights of the cells; empty cells (weight 0) are not drawn.
    ax : 3-D Axes, optional
        Made with ``projection="3d"`` when ``None``.
    max_size : float
        Area (points^2) of the dot of the heaviest cell: a cell of weight ``w`` gets the area
        ``max_size * w / max(weights)``.
    alpha, title, elev, azim : opacity, title, view angles in degrees (as :func:`plot_color_cloud`).
    edgecolor : colour of the thin outline that keeps white and light cells visible.

    Returns
    -------
    ax : Axes3D

    Notes
    -----
    The Eulerian view of a colour distribution (slides 3-4, tour 01): fixed positions (the grid),
    variable weights. :func:`plot_color_cloud` draws the Lagrangian view of the same measure.
    """
    C = check_points(centres, "centres", d=3)
    if weights is None:
        raise ArgumentTypeError("weights must be an array of the cells' weights, got None")
    w = check_weights(weights, C.shape[0], "weights")
    check_ax(ax, projection="3d")
    max_size, alpha = _positive(max_size, "max_size"), _opacity(alpha)
    elev, azim = check_real(elev, "elev"), check_real(azim, "azim")
    if C.min() < 0 or C.max() > 1:
        raise ValueError("centres must be colours with values in [0, 1]")
    keep = np.flatnonzero(w > 0)
    keep = keep[np.argsort(w[keep], kind="stable")[::-1]]  # heavy cells first, light ones on top
    C, w = C[keep], w[keep]
    ax = _new_axes(ax, projection="3d", figsize=(4.6, 4.2))
    ax.scatter(C[:, 0], C[:, 1], C[:, 2], c=C, s=max_size * w / w.max(), alpha=alpha,
               depthshade=False, edgecolors=edgecolor, linewidths=0.3)
    return _rgb_cube(ax, elev, azim, title)


def plot_histogram_1d(values, ax=None, bins=64, value_range=(0.0, 1.0), color=SOURCE_COLOR, label=None,
                      cdf=True, alpha=0.45):
    """The histogram of 1-D values (grey levels, one colour channel) and its cumulative distribution.

    Parameters
    ----------
    values : ndarray of any shape
        The values (an image is read as its pixels).
    ax : Axes, optional
    bins : int
        Number of bins of equal width on ``value_range``.
    value_range : (float, float)
    color, label, alpha : of the filled histogram, drawn as a density (its area is 1).
    cdf : bool
        Also draw the cumulative distribution function ``F(t) = #{values <= t} / N`` as a step
        line on a second y-axis (right, from 0 to 1). Calling again with the same ``ax`` draws
        on the same second axis (stored as ``ax.cdf_ax``), so that two measures can be overlaid.

    Returns
    -------
    ax : Axes (the histogram)

    Notes
    -----
    In 1-D, optimal transport is the monotone rearrangement ``F_1^{-1} o F_0`` (tour 04):
    the cumulative curves are what histogram equalisation and specification match.
    """
    v = as_float_array(values, "values").ravel()
    if v.size == 0:
        raise ValueError("values must not be empty")
    bins = check_int(bins, "bins", minimum=1, maximum=MAX_ELEMENTS)
    if isinstance(value_range, (str, bytes)) or value_range is None or np.ndim(value_range) != 1 or len(value_range) != 2:
        raise ArgumentTypeError(f"value_range must be a pair (low, high), got {value_range!r}")
    lo, hi = (check_real(v, "value_range") for v in value_range)
    cdf, alpha = check_bool(cdf, "cdf"), _opacity(alpha)
    check_ax(ax)
    if not lo < hi:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range!r}")
    ax = _new_axes(ax)
    ax.hist(v, bins=bins, range=(lo, hi), density=True, color=color, alpha=alpha, label=label)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("value")
    ax.set_ylabel("density")
    if cdf:
        cax = getattr(ax, "cdf_ax", None)
        if cax is None:
            cax = ax.twinx()
            cax.set_ylim(0, 1.02)
            cax.set_ylabel("cumulative $F(t)$")
            cax.spines["right"].set_visible(True)
            ax.cdf_ax = cax
        s = np.sort(v)
        F = np.arange(1, s.size + 1) / s.size
        cax.step(np.concatenate([[lo], s, [hi]]), np.concatenate([[0.0], F, [1.0]]), where="post",
                 color=color, lw=1.4)
    return ax


# --------------------------------------------------------------------------------------------
# Sliced transport (tour 05)
# --------------------------------------------------------------------------------------------


def plot_directions(directions, ax=None, centre=(0.0, 0.0), length=1.0, color="0.15", label=None,
                    alpha=0.8, lw=1.2):
    """Directions of the plane drawn as lines through ``centre`` (the axes of a projection).

    Parameters
    ----------
    directions : ndarray of shape (K, 2) or (2,)
        Unit vectors :math:`\\theta_k` (a direction and its opposite give the same line).
    ax : Axes, optional
    centre : (float, float)
        Point the lines go through (for instance the mean of the moving cloud).
    length : float
        Half-length of each line.
    color, label, alpha, lw : passed to ``plot`` (the label goes to the first line only).

    Returns
    -------
    ax : Axes

    Notes
    -----
    Tour 05 draws with it the directions of each step of the sliced transport flow.
    """
    theta = as_float_array(directions, "directions", ndim=(1, 2))
    theta = theta.reshape(-1, 2) if theta.ndim == 1 else theta
    if theta.shape[1] != 2:
        raise ValueError(f"directions must have shape (K, 2), got {theta.shape}")
    c = as_float_array(centre, "centre", ndim=1)
    if c.shape != (2,):
        raise ValueError(f"centre must be a point of the plane, got shape {c.shape}")
    if theta.shape[0] > MAX_ELEMENTS:
        raise ValueError(f"directions: at most {MAX_ELEMENTS} lines are drawn, got {theta.shape[0]}")
    length, alpha, lw = _positive(length, "length"), _opacity(alpha), _positive(lw, "lw")
    check_ax(ax)
    ax = _new_axes(ax)
    for k, t in enumerate(theta):
        seg = np.stack([c - length * t, c + length * t])
        ax.plot(seg[:, 0], seg[:, 1], color=color, alpha=alpha, lw=lw, ls="--",
                label=label if k == 0 else None, zorder=3)
    return ax


def plot_transport_polytope(a, b, C, P=None, ax=None, levels=12, cmap="viridis"):
    """The transport polytope of a 2 x 3 problem with the level lines of the cost (slide 8).

    A coupling of ``a`` (2 atoms) and ``b`` (3 atoms) is fixed by ``u = P[0, 0]`` and
    ``v = P[0, 1]`` (the marginals give the other four entries), so ``Pi(a, b)`` is a polygon of the
    plane ``(u, v)``, of dimension ``(2 - 1)(3 - 1) = 2``. The cost ``<P, C>`` is affine in
    ``(u, v)``: its level lines are parallel, and its minimum is reached at a vertex.

    Parameters
    ----------
    a : ndarray of shape (2,)
    b : ndarray of shape (3,)
    C : ndarray of shape (2, 3)
    P : ndarray of shape (2, 3), optional
        A coupling to mark with a star (e.g. the optimum of ``discrete.kantorovich``).
    ax : Axes, optional
    levels : int
        Number of level lines.

    Returns
    -------
    ax : Axes
    """
    a = check_weights(a, 2, "a")
    b = check_weights(b, 3, "b")
    C = as_float_array(C, "C", ndim=2)
    if C.shape != (2, 3):
        raise ValueError(f"C must have shape (2, 3), got {C.shape}")
    if P is not None:
        P = as_float_array(P, "P", ndim=2)
        if P.shape != (2, 3):
            raise ValueError(f"P must have shape (2, 3), got {P.shape}")
    levels = check_int(levels, "levels", minimum=1, maximum=1000)
    check_ax(ax)
    # each entry of P is affine in (u, v): entry = const + coef . (u, v)
    const = np.array([0.0, 0.0, a[0], b[0], b[1], b[2] - a[0]])
    coef = np.array([[1, 0], [0, 1], [-1, -1], [-1, 0], [0, -1], [1, 1]], dtype=float)
    verts = []
    for k in range(6):
        for m in range(k + 1, 6):
            A = coef[[k, m]]
            if abs(np.linalg.det(A)) > 1e-12:
                uv = np.linalg.solve(A, -const[[k, m]])
                if np.all(const + coef @ uv >= -1e-12):
                    verts.append(uv)
    verts = np.unique(np.round(np.array(verts), 12), axis=0)
    centre = verts.mean(axis=0)
    verts = verts[np.argsort(np.arctan2(*(verts - centre).T[::-1]))]
    ax = _new_axes(ax, figsize=(5.0, 4.4))
    lo, hi = verts.min(axis=0), verts.max(axis=0)
    pad = 0.08 * max(float((hi - lo).max()), 1e-3)
    U, V = np.meshgrid(np.linspace(lo[0] - pad, hi[0] + pad, 300), np.linspace(lo[1] - pad, hi[1] + pad, 300))
    E = const[:, None, None] + coef[:, 0, None, None] * U + coef[:, 1, None, None] * V
    cost = np.tensordot(C.ravel(), E, axes=1)  # entries of E are in the row-major order of C
    inside = np.all(E >= -1e-12, axis=0)
    from matplotlib.patches import Polygon

    ax.contour(U, V, cost, levels=levels, colors="0.8", linewidths=0.8)
    cs = ax.contourf(U, V, np.where(inside, cost, np.nan), levels=levels, cmap=cmap)
    ax.add_patch(Polygon(verts, closed=True, fill=False, edgecolor="k", lw=1.5))
    ax.plot(verts[:, 0], verts[:, 1], "ko", ms=5, label="vertices")
    if P is not None:
        ax.plot(P[0, 0], P[0, 1], "*", color="C3", ms=16, label="optimal $P^\\star$")
    ax.figure.colorbar(cs, ax=ax, label=r"cost $\langle P, C\rangle$")
    ax.set(xlabel=r"$u = P_{11}$", ylabel=r"$v = P_{12}$")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return ax


def plot_log_spectrum(u, ax=None, title=None, colorbar=True, cmap="magma", vmin=None, vmax=None, spatial_dims=2):
    """Centred log-modulus spectrum ``log(1 + |u_hat|)`` of an image (channels averaged, mean removed).

    Parameters
    ----------
    u : ndarray of shape (H, W) or (H, W, d)
        Any real image (values need not lie in ``[0, 1]``).
    ax : Axes, optional
    title : str, optional
    colorbar : bool, default True
    cmap : str, default "magma"
    vmin, vmax : float, optional
        Colour range (give the same to panels that are compared).
    spatial_dims : int, default 2

    Returns
    -------
    ax : Axes
        Frequencies in cycles per image, zero at the centre (tour 09, the spectral cross).
    """
    from ottools.textures import log_spectrum

    check_ax(ax)
    colorbar = check_bool(colorbar, "colorbar")
    vmin = None if vmin is None else check_real(vmin, "vmin")
    vmax = None if vmax is None else check_real(vmax, "vmax")
    u = as_float_array(u, "u", ndim=(2, 3))
    if min(u.shape[:2]) < 1:
        raise ValueError(f"u must not be empty, got shape {u.shape}")
    spec = log_spectrum(u, spatial_dims=spatial_dims)
    if spec.ndim != 2:
        raise ValueError(f"u must be an image (2 spatial axes) to be drawn, got spectrum of shape {spec.shape}")
    ax = _new_axes(ax, figsize=(4.0, 3.6))
    h, w = spec.shape
    extent = (-(w // 2) - 0.5, (w - 1) // 2 + 0.5, (h - 1) // 2 + 0.5, -(h // 2) - 0.5)
    im = ax.imshow(spec, cmap=cmap, extent=extent, interpolation="antialiased", vmin=vmin, vmax=vmax)
    ax.set(xlabel=r"$\omega_2$ (cycles / image)", ylabel=r"$\omega_1$ (cycles / image)")
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.85, label=r"$\log(1 + |\hat u|)$")
    return ax


def plot_gaussian_ellipse(m, S, ax=None, radius=1.0, color=SOURCE_COLOR, fill=True, alpha=0.35, lw=1.5,
                          label=None, n_points=100, **kwargs):
    """Ellipses ``{x : (x - m)^T S^+ (x - m) <= radius^2}`` of 2-D Gaussians ``N(m, S)`` (tour 10).

    Parameters
    ----------
    m : ndarray of shape (2,) or (K, 2)
        Centres (the means, or display positions).
    S : ndarray of shape (2, 2) or (K, 2, 2)
        Symmetric PSD covariances; a rank-one covariance is drawn as a segment.
    ax : Axes, optional
    radius : float, default 1.0
        In standard deviations (``radius = 2`` holds about 86 % of the mass in 2-D).
    color : colour or sequence of K colours
    fill : bool, default True
        Fill with ``alpha`` (the outline stays opaque).
    alpha, lw, label, n_points, **kwargs
        Passed to the ``PolyCollection``.

    Returns
    -------
    ax : Axes
        With equal aspect.

    Notes
    -----
    The boundary is ``m + radius S^{1/2} (cos a, sin a)``, computed with the eigh-based square root
    of :func:`ottools.gaussian.sqrtm` for all ellipses at once (one collection: fast in a slider).
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_rgba_array

    from .gaussian import sqrtm

    from ._validate import check_psd

    m = as_float_array(m, "m", ndim=(1, 2))
    S = check_psd(as_float_array(S, "S", ndim=(2, 3)), "S")
    if m.ndim == 1:
        m = m[None]
    if S.ndim == 2:
        S = S[None]
    if m.shape[-1] != 2:
        raise ValueError(f"m must hold 2-D centres, shape (2,) or (K, 2), got {m.shape}")
    if S.shape[-2:] != (2, 2):
        raise ValueError(f"S must hold 2 x 2 covariances, shape (2, 2) or (K, 2, 2), got {S.shape}")
    if m.shape[0] != S.shape[0] and 1 not in (m.shape[0], S.shape[0]):
        raise ValueError(f"m and S must hold as many Gaussians, got {m.shape[0]} and {S.shape[0]}")
    check_ax(ax)
    radius, lw, alpha = _positive(radius, "radius"), check_real(lw, "lw", minimum=0.0), _opacity(alpha)
    fill = check_bool(fill, "fill")
    n_points = check_int(n_points, "n_points", minimum=3, maximum=MAX_ELEMENTS)
    m, S = np.broadcast_arrays(m[:, None, :], S)
    m = m[:, 0]
    a = np.linspace(0, 2 * np.pi, n_points)
    circle = np.stack([np.cos(a), np.sin(a)])
    verts = m[:, None, :] + radius * np.swapaxes(sqrtm(S) @ circle, -1, -2)
    edge = to_rgba_array(color)
    face = edge.copy()
    face[:, 3] = alpha if fill else 0.0
    ax = _new_axes(ax, figsize=(4.5, 4.5))
    coll = PolyCollection(verts, facecolors=face, edgecolors=edge, linewidths=lw, label=label, **kwargs)
    ax.add_collection(coll)
    ax.update_datalim(verts.reshape(-1, 2))
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    return ax


def show_on_triangle(images, weights, ax=None, labels=None, image_size=0.2, title=None):
    """Images placed in a triangle at their barycentric weights (the layout of slides 34-35).

    Parameters
    ----------
    images : sequence of ndarray (H, W[, 3])
        Values in [0, 1] (clipped for display).
    weights : ndarray of shape (len(images), 3)
        Barycentric weights of each image on the simplex; the vertices ``(1, 0, 0)``, ``(0, 1, 0)``,
        ``(0, 0, 1)`` are the bottom left, the bottom right and the top corners.
    ax : matplotlib axes, optional
    labels : sequence of 3 str, optional
        Names written next to the three corners.
    image_size : float, default 0.2
        Side of each image, as a fraction of the triangle's side.
    title : str, optional

    Returns
    -------
    ax : matplotlib axes
    """
    images = _images(images)
    w = as_float_array(weights, "weights", ndim=2)
    if w.shape != (len(images), 3):
        raise ValueError(f"weights must have shape ({len(images)}, 3), got {w.shape}")
    if np.any(w < 0) or not np.allclose(w.sum(axis=1), 1.0, rtol=0, atol=1e-8):
        raise ValueError("weights must be barycentric: each row non-negative and summing to 1")
    if labels is not None:
        labels = check_sequence(labels, "labels")
        if len(labels) != 3:
            raise ValueError(f"labels must name the 3 corners, got {len(labels)}")
    image_size = check_real(image_size, "image_size", minimum=0.0, strict=True, maximum=1.0)
    check_ax(ax)
    ax = _new_axes(ax, figsize=(7.0, 6.4))
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    pos = w @ corners
    h = image_size / 2
    ax.set_xlim(-h - 0.02, 1 + h + 0.02)
    ax.set_ylim(-h - 0.08, corners[2, 1] + h + 0.02)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.plot(*np.vstack([corners, corners[:1]]).T, color="0.8", lw=1, zorder=0)
    for img, (x, y) in zip(images, pos):
        ax.imshow(np.clip(img, 0, 1), extent=(x - h, x + h, y - h, y + h), cmap="gray", vmin=0, vmax=1,
                  zorder=2)
    if labels is not None:
        offsets = [(0.0, -h - 0.04), (0.0, -h - 0.04), (0.0, h + 0.01)]
        for (x, y), (dx, dy), lab in zip(corners, offsets, labels):
            ax.text(x + dx, y + dy, lab, ha="center", va="top" if dy < 0 else "bottom", fontsize=10)
    if title:
        ax.set_title(title)
    return ax


def plot_distance_matrix(D, labels, ax=None, title=None, vmax=None, colorbar=True, fmt="{:.3f}"):
    """A matrix of pairwise distances, each entry written in its cell (tour 08).

    Parameters
    ----------
    D : ndarray of shape (L, L)
        Non-negative distances.
    labels : sequence of L str
        Names of the rows and columns.
    ax : matplotlib axes, optional
    title : str, optional
    vmax : float, optional
        Top of the colour scale (default ``D.max()``): pass the same to compare several matrices.
    colorbar : bool, default True
    fmt : str, default "{:.3f}"
        Format of the numbers written in the cells.

    Returns
    -------
    ax : matplotlib axes
    """
    D = as_float_array(D, "D", ndim=2)
    if D.shape[0] != D.shape[1] or D.shape[0] == 0:
        raise ValueError(f"D must be a non-empty square matrix, got shape {D.shape}")
    if D.shape[0] > 100:
        raise ValueError(f"D has {D.shape[0]} rows: too many to write in the cells (at most 100)")
    if np.any(D < 0):
        raise ValueError("D must hold non-negative distances")
    labels = check_sequence(labels, "labels")
    if len(labels) != D.shape[0] or not all(isinstance(lab, str) for lab in labels):
        raise ValueError(f"labels must be {D.shape[0]} strings, one per row of D")
    vmax = float(D.max()) if vmax is None else check_real(vmax, "vmax", minimum=0.0, strict=True)
    vmax = vmax if vmax > 0 else 1.0
    colorbar = check_bool(colorbar, "colorbar")
    if not isinstance(fmt, str):
        raise ArgumentTypeError(f"fmt must be a format string such as '{{:.3f}}', got {type(fmt).__name__}")
    check_ax(ax)
    ax = _new_axes(ax, figsize=(4.8, 4.0))
    im = ax.imshow(D, cmap="magma_r", vmin=0.0, vmax=vmax)
    for (i, j), v in np.ndenumerate(D):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7, color="w" if v > 0.6 * vmax else "k")
    ax.set_xticks(range(len(labels)))
    ax.set_yticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right")
    ax.set_yticklabels(labels)
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax


def plot_frame_means(frames, ax=None, label=None, linestyle="-", title=None):
    """The mean red, green and blue of each frame of a sequence, against the frame index (tour 08).

    Parameters
    ----------
    frames : sequence of ndarray of shape (H, W, 3)
        Colour frames with values in ``[0, 1]``; sizes may differ.
    ax : matplotlib axes, optional
    label : str, optional
        Legend entry of the three curves (written once).
    linestyle : str, default "-"
        Matplotlib line style, to tell two sequences apart on the same axes.
    title : str, optional

    Returns
    -------
    ax : matplotlib axes
    """
    frames = check_sequence(frames, "frames")
    means = np.array([check_image(f, f"frames[{k}]", allow_grey=False).mean(axis=(0, 1))
                      for k, f in enumerate(frames)])
    if not isinstance(linestyle, str):
        raise ArgumentTypeError(f"linestyle must be a str such as '-' or '--', got {type(linestyle).__name__}")
    check_ax(ax)
    ax = _new_axes(ax, figsize=(6.0, 3.2))
    for c, colour in enumerate(("tab:red", "tab:green", "tab:blue")):
        ax.plot(np.arange(len(means)), means[:, c], linestyle, color=colour, marker="o", ms=3,
                label=label if c == 0 else None)
    ax.set_xlabel("frame")
    ax.set_ylabel("mean R, G, B")
    if label is not None:
        ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def show_synthesis(exemplar, synthesis, titles=None, size=2.4):
    """An exemplar and a synthesis side by side, drawn to the same pixel scale (tour 09).

    Parameters
    ----------
    exemplar : ndarray of shape (h, w) or (h, w, 3)
        Values in ``[0, 1]``.
    synthesis : ndarray of shape (H, W) or (H, W, 3)
        Values in ``[0, 1]`` (clip a synthesis before drawing it); usually larger than the exemplar.
    titles : sequence of two str, optional
    size : float, default 2.4
        Height in inches of the exemplar; the synthesis gets ``size * H / h``, so that a pixel has
        the same size in both panels.

    Returns
    -------
    axes : ndarray of two Axes
    """
    import matplotlib.pyplot as plt

    exemplar = check_image(exemplar, "exemplar")
    synthesis = check_image(synthesis, "synthesis")
    titles = _titles(titles, 2)
    size = _positive(size, "size")
    h, w = exemplar.shape[:2]
    H, W = synthesis.shape[:2]
    if H * w > MAX_ELEMENTS * h or W * h > MAX_ELEMENTS * w:
        raise ValueError(f"synthesis of shape {synthesis.shape} is too large next to an exemplar of shape {exemplar.shape}")
    scale = size / h  # inches per pixel
    fig, axes = plt.subplots(1, 2, figsize=(scale * (w + W) + 0.4, scale * max(h, H) + 0.6),
                             gridspec_kw={"width_ratios": [w, W]})
    show_images([exemplar, synthesis], titles, axes=axes)
    axes[0].set_anchor("N")
    axes[1].set_anchor("N")
    return axes


def plot_gaussian_map(m0, S0, m1, S1, X, TX, ax=None, radius=2.0, n_arrows=25,
                      labels=(r"$\mu_0$", r"$\mu_1 = T_\sharp\mu_0$")):
    """A map between two 2-D Gaussians: both ellipses, samples ``x`` and arrows to ``T(x)`` (tour 10).

    Parameters
    ----------
    m0, m1 : ndarray of shape (2,)
        Means of the source and target Gaussians (marked ``+``).
    S0, S1 : ndarray of shape (2, 2)
        Their covariances (symmetric PSD).
    X, TX : ndarray of shape (N, 2)
        Samples of the source and their images by the map.
    ax : Axes, optional
    radius : float, default 2.0
        Radius of the ellipses, in standard deviations.
    n_arrows : int, default 25
        Number of samples drawn with their arrows (the first ones of ``X``).
    labels : pair of str
        Legend entries of the two ellipses.

    Returns
    -------
    ax : Axes
        With equal aspect.
    """
    m0 = as_float_array(m0, "m0", ndim=1)
    m1 = as_float_array(m1, "m1", ndim=1)
    for m, name in ((m0, "m0"), (m1, "m1")):
        if m.shape != (2,):
            raise ValueError(f"{name} must be a 2-D mean, shape (2,), got {m.shape}")
    from ._validate import check_psd

    S0 = check_psd(as_float_array(S0, "S0", ndim=2), "S0")
    S1 = check_psd(as_float_array(S1, "S1", ndim=2), "S1")
    for S, name in ((S0, "S0"), (S1, "S1")):
        if S.shape != (2, 2):
            raise ValueError(f"{name} must be a 2 x 2 covariance, got shape {S.shape}")
    X = check_points(X, "X", d=2)
    TX = check_points(TX, "TX", d=2)
    if TX.shape != X.shape:
        raise ValueError(f"TX must hold the images of the points of X, shape {X.shape}, got {TX.shape}")
    n_arrows = check_int(n_arrows, "n_arrows", minimum=1, maximum=MAX_ELEMENTS)
    labels = check_sequence(labels, "labels", min_len=2, max_len=2)
    if not all(isinstance(s, str) for s in labels):
        raise ArgumentTypeError("labels must be a pair of str")
    check_ax(ax)
    ax = _new_axes(ax, figsize=(6.5, 4.2))
    plot_gaussian_ellipse(m0, S0, ax=ax, radius=radius, color=SOURCE_COLOR, label=labels[0])
    plot_gaussian_ellipse(m1, S1, ax=ax, radius=radius, color=TARGET_COLOR, label=labels[1])
    Xs, TXs = X[:n_arrows], TX[:n_arrows]
    ax.quiver(Xs[:, 0], Xs[:, 1], *(TXs - Xs).T, angles="xy", scale_units="xy", scale=1, width=0.003,
              color=PLAN_COLOR)
    ax.plot(*Xs.T, ".", color=SOURCE_COLOR, ms=5)
    ax.plot(*np.stack([m0, m1]).T, "k+", ms=10, ls="none")
    return ax


def plot_flow_frame(Z, Y, directions=None, ax=None, title=None, limits=None, size=14.0, length=1.5,
                    label="$X$"):
    """One iterate of a flow of 2-D point clouds: the moving cloud over its target, with the directions
    of its step drawn through the cloud's mean.

    Parameters
    ----------
    Z : ndarray of shape (N, 2)
        The moving cloud (in the source colour).
    Y : ndarray of shape (M, 2)
        The target cloud (in the target colour, half transparent, labelled ``$Y$``).
    directions : ndarray of shape (K, 2), optional
        The directions of the step that produced ``Z`` (see :func:`plot_directions`).
    ax : Axes, optional
    title, label : str, optional
        Title of the axes and legend label of ``Z``.
    limits : ((float, float), (float, float)), optional
        ``(xlim, ylim)``, to keep the frames of an animation aligned.
    size, length : float
        Dot area of an atom (see :func:`plot_points`) and half-length of the direction lines.

    Returns
    -------
    ax : Axes

    Notes
    -----
    Tour 05 draws with it the iterates of the sliced transport flow.
    """
    Z = check_points(Z, "Z", d=2)
    Y = check_points(Y, "Y", d=2)
    size, length = _positive(size, "size"), _positive(length, "length")
    if limits is not None:
        lims = check_sequence(limits, "limits", min_len=2, max_len=2)
        lims = [as_float_array(lim, f"limits[{k}]", ndim=1) for k, lim in enumerate(lims)]
        if any(lim.shape != (2,) or not lim[0] < lim[1] for lim in lims):
            raise ValueError("limits must be ((xmin, xmax), (ymin, ymax)) with min < max")
    check_ax(ax)
    ax = _new_axes(ax)
    plot_points(Y, ax=ax, color=TARGET_COLOR, size=size, alpha=0.5, label="$Y$")
    plot_points(Z, ax=ax, size=size, label=None if label is None else str(label))
    if directions is not None:
        plot_directions(directions, ax=ax, centre=Z.mean(axis=0), length=length, label="directions of the step")
    ax.set_aspect("equal", adjustable="box")
    if limits is not None:
        ax.set(xlim=tuple(lims[0]), ylim=tuple(lims[1]))
    if title is not None:
        ax.set_title(str(title))
    return ax


def plot_convergence(curves, ax=None, mark=None, ylim=None, xlabel="iteration", ylabel=None, title=None):
    """Curves of positive quantities (energies, distances) on a logarithmic axis, one per label.

    Parameters
    ----------
    curves : dict
        ``label -> y`` (``y`` of shape (n,), drawn against ``0, ..., n - 1``) or ``label -> (x, y)``.
        Values must be finite and non-negative; zeros (an exact limit reached) fall below the axis.
    ax : Axes, optional
    mark : float, optional
        Abscissa of a vertical line (the frame shown beside, for instance).
    ylim : (float, float), optional
    xlabel, ylabel, title : str, optional

    Returns
    -------
    ax : Axes

    Notes
    -----
    Tour 05 draws with it the distances of the sliced flow to its target, per iteration and per second.
    """
    if not isinstance(curves, dict) or not curves:
        raise ArgumentTypeError(f"curves must be a non-empty dict label -> values, got {type(curves).__name__}")
    if len(curves) > MAX_ELEMENTS:
        raise ValueError(f"curves: at most {MAX_ELEMENTS} curves are drawn, got {len(curves)}")
    series = []
    for label, values in curves.items():
        name = f"curves[{label!r}]"
        if isinstance(values, tuple):
            if len(values) != 2:
                raise ValueError(f"{name} must be y or a pair (x, y), got a tuple of {len(values)}")
            x = as_float_array(values[0], f"{name}[0]", ndim=1)
            y = as_float_array(values[1], f"{name}[1]", ndim=1)
        else:
            y = as_float_array(values, name, ndim=1)
            x = np.arange(y.size, dtype=float)
        if y.size == 0 or x.shape != y.shape:
            raise ValueError(f"{name}: x and y must be non-empty and of the same length, got {x.size} and {y.size}")
        if y.size > MAX_ELEMENTS:
            raise ValueError(f"{name}: at most {MAX_ELEMENTS} points are drawn, got {y.size}")
        if np.any(y < 0):
            raise ValueError(f"{name} must be non-negative (a logarithmic axis)")
        series.append((str(label), x, y))
    if mark is not None:
        mark = check_real(mark, "mark")
    if ylim is not None:
        ylim = as_float_array(ylim, "ylim", ndim=1)
        if ylim.shape != (2,) or not 0 < ylim[0] < ylim[1]:
            raise ValueError(f"ylim must be (low, high) with 0 < low < high, got {ylim}")
    check_ax(ax)
    ax = _new_axes(ax)
    for label, x, y in series:
        ax.semilogy(x, np.where(y > 0, y, np.nan), label=label)
    lo, hi = min(x.min() for _, x, _ in series), max(x.max() for _, x, _ in series)
    if hi > lo:  # the whole abscissa, also where a curve has reached 0 (not drawn on a log axis)
        ax.set_xlim(lo, hi)
    if mark is not None:
        ax.axvline(mark, color="0.4", lw=0.8)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(str(xlabel))
    if ylabel is not None:
        ax.set_ylabel(str(ylabel))
    if title is not None:
        ax.set_title(str(title))
    ax.legend(loc="upper right")
    return ax


def plot_matching_1d(x, y, ax=None, labels=(r"$X_\theta$", r"$Y_\theta$"), xlabel=r"$\langle x, \theta\rangle$",
                     size=12.0):
    """The optimal matching of two 1-D clouds of the same size: the k-th smallest of ``x`` joined to the
    k-th smallest of ``y``, the two clouds on two horizontal lines.

    Parameters
    ----------
    x, y : ndarray of shape (N,)
        The two clouds (for instance the projections of two point clouds on a direction).
    ax : Axes, optional
    labels : (str, str)
        Names of the two lines (``x`` at height 0, ``y`` at height 1).
    xlabel : str
    size : float
        Dot area of each point.

    Returns
    -------
    ax : Axes

    Notes
    -----
    Tour 05 draws with it the sorting that solves transport on a line (slide 12).
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.size == 0 or x.shape != y.shape:
        raise ValueError(f"x and y must be non-empty clouds of the same size, got {x.size} and {y.size} points")
    if x.size > MAX_ELEMENTS:
        raise ValueError(f"x: at most {MAX_ELEMENTS} segments are drawn, got {x.size}")
    labels = check_sequence(labels, "labels", min_len=2, max_len=2)
    if not all(isinstance(s, str) for s in labels):
        raise ArgumentTypeError("labels must be a pair of str")
    size = _positive(size, "size")
    check_ax(ax)
    ax = _new_axes(ax)
    sx, sy, n = np.sort(x), np.sort(y), x.size
    # one line object for all the segments (NaN breaks the line between them): fast to draw
    ax.plot(np.c_[sx, sy, np.full(n, np.nan)].ravel(), np.tile([0.0, 1.0, np.nan], n), color="0.7", lw=0.6)
    ax.scatter(sx, np.zeros(n), s=size, color=SOURCE_COLOR, zorder=3)
    ax.scatter(sy, np.ones(n), s=size, color=TARGET_COLOR, zorder=3)
    ax.set_yticks([0, 1], list(labels))
    ax.set_xlabel(str(xlabel))
    return ax


# --------------------------------------------------------------------------------------------
# Colorization (tour 15): a strip of pictures in one axes, the matching of feature clusters
# --------------------------------------------------------------------------------------------


def show_strip(images, titles=None, ax=None, gap=4, size=2.0, cmap=None, vmax=None, label=None, colorbar=True):
    """Pictures of one height side by side in **one** axes (one picture: fast to draw), titles above.

    Parameters
    ----------
    images : sequence of ndarray of shape (H, W_k) or (H, W_k, 3)
        Colour images in ``[0, 1]``; 2-D arrays are grey images in ``[0, 1]``, or, when ``cmap``
        is given, maps of non-negative values drawn with ``cmap`` over ``[0, vmax]``.
    titles : sequence of str, optional
    ax : Axes, optional
    gap : int
        White pixels between two pictures.
    size : float
        Height in inches (when a new figure is made).
    cmap : str, optional
        Colour map of the 2-D maps (then a colour bar labelled ``label`` is drawn).
    vmax : float, optional
        Top of the colour scale (default: the largest value of the maps).
    label : str, optional
    colorbar : bool
        Draw the colour bar of the maps (a colour bar triples the drawing time of a small figure).

    Returns
    -------
    ax : Axes
    """
    import matplotlib.pyplot as plt

    if isinstance(images, np.ndarray):
        images = [images]
    images = check_sequence(images, "images")
    if cmap is not None and not isinstance(cmap, str):
        raise ArgumentTypeError(f"cmap must be the name of a colour map, got {type(cmap).__name__}")
    imgs = []
    for k, im in enumerate(images):
        if cmap is not None and np.ndim(im) == 2:
            arr = as_float_array(im, f"images[{k}]", ndim=2)
            if arr.size == 0 or arr.min() < 0:
                raise ValueError(f"images[{k}] must be a non-empty map of non-negative values")
            imgs.append(arr)
        else:
            imgs.append(check_image(im, f"images[{k}]"))
    n = len(imgs)
    titles = _titles(titles, n)
    gap = check_int(gap, "gap", minimum=0, maximum=1000)
    size = _positive(size, "size")
    colorbar = check_bool(colorbar, "colorbar")
    if len({im.shape[0] for im in imgs}) != 1:
        raise ValueError(f"images must have one height, got {[im.shape[0] for im in imgs]}")
    maps = [im for im in imgs if im.ndim == 2] if cmap is not None else []
    top = max(float(m.max()) for m in maps) if maps else 1.0
    vmax = top if vmax is None else check_real(vmax, "vmax", minimum=0.0, strict=True)
    check_ax(ax)
    H = imgs[0].shape[0]
    if H * sum(im.shape[1] + gap for im in imgs) > 10 * MAX_ELEMENTS**1.5:
        raise ValueError("images: too many pixels to draw in one strip")
    try:
        colour_map = plt.get_cmap(cmap) if cmap is not None else None
    except ValueError:
        raise ValueError(f"cmap must be the name of a matplotlib colour map, got {cmap!r}") from None

    def rgb(im):
        if im.ndim == 3:
            return im
        if colour_map is not None:
            return colour_map(np.clip(im / vmax, 0, 1))[..., :3]
        return np.repeat(im[..., None], 3, axis=2)

    pad = np.ones((H, gap, 3))
    parts, centres, x = [], [], 0
    for k, im in enumerate(imgs):
        parts += [rgb(im)] + ([pad] if k < n - 1 else [])
        centres.append(x + im.shape[1] / 2)
        x += im.shape[1] + gap
    strip = np.concatenate(parts, axis=1)
    if ax is None:
        fig = plt.figure(figsize=(size * strip.shape[1] / H + (1.0 if maps and colorbar else 0.2), size + 0.35))
        ax = fig.add_subplot()
    ax.imshow(strip, interpolation="antialiased")
    ax.set_axis_off()
    if titles is not None:
        for c, t in zip(centres, titles):
            ax.text(c, -0.02 * H, t, ha="center", va="bottom", fontsize=9)
    if maps and colorbar:
        sm = plt.cm.ScalarMappable(norm=plt.Normalize(0.0, vmax), cmap=colour_map)
        ax.figure.colorbar(sm, ax=ax, label=label or "", fraction=0.025, pad=0.01)
    return ax


def plot_feature_matching(X, Y, P, colours, ax=None, threshold=1e-3, max_width=3.0, size=60.0, title=None,
                          xlabel=None, ylabel=None):
    """A transport plan between two clouds of feature clusters, each segment in the colour it carries.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
        Two coordinates of the target clusters (grey dots, areas proportional to their mass).
    Y : ndarray of shape (m, 2)
        The same coordinates of the exemplar clusters (dots in their own colour, areas proportional
        to their mass, an open ring around the clusters that receive nothing).
    P : ndarray of shape (n, m)
        The plan; segment ``X_i -- Y_j`` of width proportional to ``P[i, j]``, in colour ``colours[j]``.
    colours : ndarray of shape (m, 3)
        RGB colours in ``[0, 1]`` of the exemplar clusters.
    ax : Axes, optional
    threshold : float
        Entries below ``threshold * P.max()`` are not drawn.
    max_width, size : float
        Width of the heaviest segment, dot area of a cluster of average mass.
    title, xlabel, ylabel : str, optional

    Returns
    -------
    ax : Axes

    Notes
    -----
    Tour 15 draws with it the balanced and the relaxed transports of colorization: the relaxed plan
    leaves exemplar clusters unused and sends more mass to others.
    """
    from matplotlib.collections import LineCollection

    X = check_points(X, "X", d=2)
    Y = check_points(Y, "Y", d=2)
    n, m = len(X), len(Y)
    P = as_float_array(P, "P", ndim=2)
    if P.shape != (n, m):
        raise ValueError(f"P must have shape ({n}, {m}) to match X and Y, got {P.shape}")
    if P.min() < 0 or P.max() <= 0:
        raise ValueError("P must be non-negative with a positive entry")
    colours = check_points(colours, "colours", d=3)
    if len(colours) != m or colours.min() < 0 or colours.max() > 1:
        raise ValueError(f"colours must be {m} RGB colours in [0, 1], got shape {colours.shape}")
    threshold = check_real(threshold, "threshold", minimum=0.0)
    max_width, size = _positive(max_width, "max_width"), _positive(size, "size")
    check_ax(ax)
    ax = _new_axes(ax, figsize=(5, 4))
    i, j = np.nonzero(P > threshold * P.max())
    ax.add_collection(LineCollection(np.stack([X[i], Y[j]], axis=1), linewidths=max_width * P[i, j] / P.max(),
                                     colors=colours[j], alpha=0.8, zorder=1))
    a, b = P.sum(1), P.sum(0)
    ax.scatter(X[:, 0], X[:, 1], s=size * n * a / a.sum(), color="0.45", edgecolor="white", lw=0.4, zorder=2,
               label="target clusters")
    ax.scatter(Y[:, 0], Y[:, 1], s=size * m * b / b.sum(), color=colours, edgecolor="black", lw=0.4, zorder=3,
               label="exemplar clusters (mass received)")
    unused = b <= 1e-9 * b.max()
    if unused.any():
        ax.scatter(Y[unused, 0], Y[unused, 1], s=size / 3, facecolor="none", edgecolor=colours[unused], lw=1.0,
                   zorder=3)
    ax.autoscale_view()
    for setter, value in ((ax.set_title, title), (ax.set_xlabel, xlabel), (ax.set_ylabel, ylabel)):
        if value is not None:
            setter(str(value))
    return ax
