"""ottools.plotting, histogram helpers of tours 01 and 04: the figures encode what they claim to encode."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from seeds import make_rng

from ottools import discrete, plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_color_histogram_dots_sit_at_nonempty_centres_with_area_proportional_to_weight():
    X = make_rng(0).random((200, 3)) ** 3  # concentrated near black: many empty cells
    centres, weights = discrete.color_histogram(X, bins=4)
    ax = plotting.plot_color_histogram(centres, weights, max_size=100.0)
    ax.figure.canvas.draw()  # 3-D collections resolve their colours at draw time
    coll = ax.collections[0]
    full = weights > 0
    assert len(coll.get_sizes()) == full.sum() < weights.size
    # areas are max_size * w / max(w), exactly (a float product and quotient)
    np.testing.assert_allclose(np.sort(coll.get_sizes()), np.sort(100.0 * weights[full] / weights.max()), rtol=1e-12)
    positions = np.column_stack([np.asarray(v) for v in coll._offsets3d])
    colors = coll.get_facecolors()[:, :3]
    np.testing.assert_allclose(np.sort(positions, axis=0), np.sort(centres[full], axis=0), atol=1e-12)
    # each dot is drawn in the colour of its cell (RGBA stored in float, exact to rounding)
    np.testing.assert_allclose(np.sort(colors, axis=0), np.sort(centres[full], axis=0), atol=1e-12)


def test_histogram_1d_is_a_density_and_its_cdf_ends_at_one():
    v = make_rng(1).random(1000)
    ax = plotting.plot_histogram_1d(v, bins=10)
    heights = np.array([p.get_height() for p in ax.patches])
    np.testing.assert_allclose(np.sum(heights * 0.1), 1.0, rtol=1e-12)  # bins of width 1/10
    line = ax.cdf_ax.lines[0]
    y = line.get_ydata()
    assert y[0] == 0.0 and y[-1] == 1.0 and np.all(np.diff(y) >= 0)
    # the CDF at each sample is the fraction of samples at most this value
    x = line.get_xdata()[1:-1]
    np.testing.assert_array_equal(x, np.sort(v))
    # a second measure is drawn on the same cumulative axis
    plotting.plot_histogram_1d(v ** 2, ax=ax, color="C1")
    assert len(ax.cdf_ax.lines) == 2 and len(ax.figure.axes) == 2


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: plotting.plot_color_histogram(np.zeros((4, 2)), np.full(4, 0.25)), "column"),
        (lambda: plotting.plot_color_histogram(np.zeros((4, 3)), np.full(4, 0.3)), "sum to 1"),
        (lambda: plotting.plot_color_histogram(np.zeros((4, 3)), np.full(3, 1 / 3)), "one weight per point"),
        (lambda: plotting.plot_color_histogram(np.full((4, 3), 2.0), np.full(4, 0.25)), r"\[0, 1\]"),
        (lambda: plotting.plot_histogram_1d([]), "empty"),
        (lambda: plotting.plot_histogram_1d([0.5], value_range=(1.0, 0.0)), "low < high"),
        (lambda: plotting.plot_histogram_1d([np.nan]), "NaN"),
        (lambda: plotting.plot_histogram_1d([0.5], bins=0), "at least 1"),
    ],
)
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()
