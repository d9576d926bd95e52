"""ottools.plotting: the figures encode what they claim to encode, and bad input is refused."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from seeds import make_rng

from ottools import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_import_changes_no_matplotlib_setting():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); import ottools.plotting, ottools.data; "
        "assert dict(mpl.rcParams) == before; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_use_style_applies_its_settings():
    applied = plotting.use_style()
    for key, value in applied.items():
        got = matplotlib.rcParams[key]
        assert (list(got) == list(value)) if isinstance(value, tuple) else got == value, key


def test_points_area_is_proportional_to_mass():
    rng = make_rng(1)
    X = rng.normal(size=(7, 2))
    a = rng.random(7)
    a /= a.sum()
    ax = plotting.plot_points(X, a, size=20.0)
    sizes = ax.collections[0].get_sizes()
    np.testing.assert_allclose(sizes, 20.0 * 7 * a, rtol=1e-12)
    ax2 = plotting.plot_points(X)  # uniform: every dot has the reference area
    np.testing.assert_allclose(ax2.collections[0].get_sizes(), 30.0)


def test_color_cloud_points_have_their_own_colour():
    rng = make_rng(2)
    X = rng.random((50, 3))
    ax = plotting.plot_color_cloud(X, n_max=1000)
    assert ax.name == "3d"
    ax.figure.canvas.draw()  # 3-D collections resolve (and depth-sort) their colours at draw time
    coll = ax.collections[0]
    colors = coll.get_facecolors()[:, :3]
    positions = np.column_stack([np.asarray(v) for v in coll._offsets3d])
    # the same set of colours as of positions; each position is one of X
    np.testing.assert_allclose(np.sort(colors, axis=0), np.sort(X, axis=0), atol=1e-12)
    np.testing.assert_allclose(np.sort(positions, axis=0), np.sort(X, axis=0), atol=1e-12)


def test_color_cloud_subsamples_an_image():
    img = make_rng(3).random((40, 50, 3))
    ax = plotting.plot_color_cloud(img, n_max=300, rng=0)
    ax.figure.canvas.draw()
    assert len(ax.collections[0].get_facecolors()) == 300


def test_plan_draws_one_segment_per_nonzero_with_width_proportional_to_mass():
    X = np.array([[0.0, 0.0], [0.0, 1.0]])
    Y = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    P = np.array([[0.3, 0.2, 0.0], [0.0, 0.1, 0.4]])
    ax = plotting.plot_plan(X, Y, P, max_width=4.0)
    lines = [c for c in ax.collections if isinstance(c, LineCollection)][0]
    segs = lines.get_segments()
    assert len(segs) == 4
    np.testing.assert_allclose(sorted(lines.get_linewidths()), sorted(4.0 * np.array([0.3, 0.2, 0.1, 0.4]) / 0.4))
    ends = {(tuple(s[0]), tuple(s[1])) for s in segs}
    assert ((0.0, 0.0), (1.0, 0.0)) in ends and ((0.0, 1.0), (1.0, 2.0)) in ends


def test_plan_from_a_permutation():
    X = np.zeros((3, 2))
    Y = np.arange(6.0).reshape(3, 2)
    ax = plotting.plot_plan(X, Y, np.array([2, 0, 1]))
    segs = [c for c in ax.collections if isinstance(c, LineCollection)][0].get_segments()
    np.testing.assert_array_equal(sorted(tuple(s[1]) for s in segs), sorted(map(tuple, Y)))


def test_coupling_shows_zeros_as_empty_and_keeps_values():
    P = np.array([[0.5, 0.0], [0.0, 0.5]])
    ax = plotting.plot_coupling(P, colorbar=False)
    shown = ax.images[0].get_array()
    assert np.ma.is_masked(shown) and shown.mask.tolist() == [[False, True], [True, False]]
    np.testing.assert_array_equal(shown.data, P)


def test_show_images_grid_and_fixed_grey_range():
    grey = np.full((5, 5), 0.2)
    axes = plotting.show_images([grey, np.zeros((5, 5, 3))], titles=["g", "c"])
    assert len(axes) == 2 and axes[0].get_title() == "g"
    assert axes[0].images[0].get_clim() == (0.0, 1.0)  # a flat grey stays grey, not stretched


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: plotting.plot_points(np.zeros((3, 3))), "column"),
        (lambda: plotting.plot_points(np.zeros((3, 2)), a=[0.5, 0.5, 0.5]), "sum to 1"),
        (lambda: plotting.plot_points(np.full((3, 2), np.nan)), "NaN"),
        (lambda: plotting.plot_color_cloud(np.full((4, 3), 2.0)), r"\[0, 1\]"),
        (lambda: plotting.plot_color_cloud(np.zeros((4, 4, 4))), "alpha"),
        (lambda: plotting.plot_coupling(-np.ones((2, 2))), "non-negative"),
        (lambda: plotting.plot_plan(np.zeros((2, 2)), np.zeros((3, 2)), np.ones((3, 2))), "shape"),
        (lambda: plotting.plot_plan(np.zeros((2, 2)), np.zeros((2, 2)), np.array([0, 5])), "index"),
        (lambda: plotting.show_images([]), "at least 1"),
        (lambda: plotting.show_images([np.zeros((2, 2))], titles=["a", "b"]), "one entry per image"),
    ],
)
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_plot_distance_matrix_writes_every_entry():
    import matplotlib.pyplot as plt
    D = np.array([[0.0, 0.25, 1.0], [0.25, 0.0, 0.5], [1.0, 0.5, 0.0]])
    ax = plotting.plot_distance_matrix(D, ["a", "b", "c"], vmax=2.0)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(f"{v:.3f}" for v in D.ravel())  # the L^2 entries, in the given format
    assert ax.images[0].get_clim() == (0.0, 2.0)
    plt.close(ax.figure)


def test_plot_frame_means_plots_the_mean_of_each_channel():
    import matplotlib.pyplot as plt
    frames = [np.full((4, 5, 3), v) * np.array([1.0, 0.5, 0.25]) for v in (0.2, 0.4, 0.8)]
    ax = plotting.plot_frame_means(frames, label="x")
    red, green, blue = ax.lines
    assert np.allclose(red.get_ydata(), [0.2, 0.4, 0.8]) and np.allclose(blue.get_ydata(), [0.05, 0.1, 0.2])
    assert np.allclose(green.get_xdata(), [0, 1, 2])
    plt.close(ax.figure)


def test_show_synthesis_draws_both_images_at_one_pixel_scale():
    import matplotlib.pyplot as plt
    rng = make_rng(901)
    small, big = rng.random((8, 10, 3)), rng.random((24, 30, 3))
    axes = plotting.show_synthesis(small, big, titles=["exemplar", "synthesis"])
    plt.gcf().canvas.draw()
    (w0, h0), (w1, h1) = [ax.get_window_extent().size for ax in axes]
    # the same inches per pixel in both panels (up to the layout's rounding, a few display pixels)
    assert np.isclose(w1 / w0, 3.0, rtol=0.05) and np.isclose(h1 / h0, 3.0, rtol=0.05)
    assert np.array_equal(axes[1].images[0].get_array(), big)
    assert [ax.get_title() for ax in axes] == ["exemplar", "synthesis"]
    plt.close("all")


def test_plot_gaussian_map_draws_an_arrow_from_each_sample_to_its_image():
    import matplotlib.pyplot as plt
    rng = make_rng(1001)
    X = rng.standard_normal((40, 2))
    TX = X @ np.array([[2.0, 0.5], [0.5, 1.0]]) + [3.0, -1.0]
    ax = plotting.plot_gaussian_map(np.zeros(2), np.eye(2), np.array([3.0, -1.0]), np.diag([4.0, 1.0]),
                                    X, TX, n_arrows=7)
    (quiver,) = ax.collections[2:]
    assert np.allclose(quiver.get_offsets(), X[:7])                       # the arrows start at the samples
    assert np.allclose(np.c_[quiver.U, quiver.V], TX[:7] - X[:7])          # and end at their images
    assert len(ax.collections[:2]) == 2                                    # the two ellipses
    plt.close(ax.figure)


def test_flow_frame_draws_both_clouds_and_the_step_directions_through_the_mean():
    rng = make_rng(51)
    Z, Y = rng.random((9, 2)), rng.random((7, 2)) + 2.0
    theta = np.array([[1.0, 0.0], [0.0, 1.0]])
    ax = plotting.plot_flow_frame(Z, Y, directions=theta, limits=((-1, 4), (-1, 4)), title="t")
    offsets = [c.get_offsets() for c in ax.collections]
    np.testing.assert_array_equal(offsets[0], Y)  # target first, underneath
    np.testing.assert_array_equal(offsets[1], Z)
    for line, t in zip(ax.get_lines(), theta):
        seg = np.c_[line.get_xdata(), line.get_ydata()]
        np.testing.assert_allclose(seg.mean(axis=0), Z.mean(axis=0), atol=1e-12)  # through the mean
        d = seg[1] - seg[0]
        np.testing.assert_allclose(d[0] * t[1] - d[1] * t[0], 0.0, atol=1e-12)  # along theta
    assert ax.get_xlim() == (-1, 4) and ax.get_title() == "t"


def test_convergence_curves_keep_their_values_and_hide_zeros():
    y = np.array([1.0, 0.1, 0.0])
    ax = plotting.plot_convergence({"a": y, "b": (np.array([0.0, 2.0]), np.array([3.0, 0.3]))}, mark=1.5)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), [1.0, 0.1, np.nan])  # 0 below the log axis
    np.testing.assert_array_equal(lines[1].get_xdata(), [0.0, 2.0])
    assert lines[2].get_xdata()[0] == 1.5  # the vertical mark
    assert ax.get_xlim() == (0.0, 2.0)  # the whole abscissa, though "a" is 0 (not drawn) at x = 2
    assert ax.get_yscale() == "log" and [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_matching_1d_joins_equal_ranks():
    rng = make_rng(52)
    x, y = rng.standard_normal(8), rng.random(8)
    ax = plotting.plot_matching_1d(x, y)
    seg = ax.get_lines()[0]
    xs, ys = np.asarray(seg.get_xdata()).reshape(8, 3), np.asarray(seg.get_ydata()).reshape(8, 3)
    np.testing.assert_array_equal(xs[:, 0], np.sort(x))  # the k-th smallest of x, at height 0 ...
    np.testing.assert_array_equal(xs[:, 1], np.sort(y))  # ... joined to the k-th smallest of y, at height 1
    np.testing.assert_array_equal(ys[:, :2], np.tile([0.0, 1.0], (8, 1)))
    np.testing.assert_array_equal(ax.collections[0].get_offsets()[:, 0], np.sort(x))


def test_show_strip_places_the_pictures_side_by_side():
    rng = make_rng(60)
    a, b = rng.random((10, 6, 3)), rng.random((10, 4))
    ax = plotting.show_strip([a, b], ["a", "b"], gap=2)
    strip = ax.get_images()[0].get_array()
    assert strip.shape == (10, 12, 3)
    np.testing.assert_array_equal(strip[:, :6], a)  # the colour picture as it is ...
    np.testing.assert_array_equal(strip[:, 6:8], 1.0)  # ... a white gap ...
    np.testing.assert_array_equal(strip[:, 8:], np.repeat(b[..., None], 3, 2))  # ... the grey one in grey
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    ax = plotting.show_strip([a, 20 * b], cmap="magma", vmax=20.0, label="error")
    np.testing.assert_allclose(ax.get_images()[0].get_array()[:, 10:], plt.get_cmap("magma")(b)[..., :3])  # gap 4
    assert len(ax.figure.axes) == 2  # the picture and its colour bar
    assert len(plotting.show_strip([a, b], cmap="magma", colorbar=False).figure.axes) == 1


def test_feature_matching_draws_the_plan_in_the_carried_colours():
    rng = make_rng(61)
    X, Y = rng.random((4, 2)), rng.random((3, 2))
    P = np.array([[0.25, 0, 0], [0, 0.25, 0], [0, 0.25, 0], [0.25, 0, 0]])
    colours = rng.random((3, 3))
    ax = plotting.plot_feature_matching(X, Y, P, colours)
    lines = ax.collections[0]
    assert len(lines.get_segments()) == 4  # one segment per positive entry
    np.testing.assert_allclose(lines.get_colors()[:, :3], colours[[0, 1, 1, 0]])
    assert len(ax.collections) == 4  # segments, target dots, exemplar dots, a ring around the unused cluster 2
