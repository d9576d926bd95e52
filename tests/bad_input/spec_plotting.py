"""Bad-input cases of ottools.plotting."""

import numpy as np
from kinds import Arg, array, ax, case, count, flag, fixed, image, points, psd, real, rng, sequence, weights

from ottools import plotting

_G = np.random.default_rng(7)
_X, _Y = _G.random((6, 2)), _G.random((5, 2))
_P = np.full((6, 5), 1.0 / 30)
_colours = _G.random((40, 3))
_imgs = [_G.random((8, 8, 3)), _G.random((8, 8))]

CASES = [
    case(plotting.use_style),
    case(plotting.show_images, images=sequence(_imgs).but(
        bad=[("item alpha", [np.ones((8, 8, 4))]), ("item above 1", [np.full((8, 8), 2.0)])]),
        titles=Arg(["a", "b"], [("None", None)], [("wrong length", ["a"]), ("string", "ab"), ("int", 3)]),
        ncols=count(2, huge=False).but(good=[("None", None)], bad=[("huge", 10**7)]),
        size=real(2.0, minimum=0.0, strict=True)),
    case(plotting.show_images, images=image(8, 9).but(good=[("grey", _imgs[1])]), _label="show_images(one image)"),
    case(plotting.plot_points, X=points(6, 2), a=weights(6), ax=ax(), size=real(30.0, minimum=0.0, strict=True),
         alpha=real(0.8, minimum=0.0, maximum=1.0)),
    case(plotting.plot_color_cloud, X=points(40, 3, data=_colours).but(
        good=[("image", _G.random((6, 7, 3)))], bad=[("above 1", _colours + 1.0)]),
        ax=ax(projection="3d"), n_max=count(20, huge=False), rng=rng(),
        size=real(4.0, minimum=0.0, strict=True), alpha=real(0.8, minimum=0.0, maximum=1.0),
        elev=real(20.0), azim=real(-60.0)),
    case(plotting.plot_coupling, P=array(_P, extra_bad=[("negative", -_P), ("empty", np.zeros((0, 5)))]),
         a=weights(6).but(drop=("unnormalised",)), b=weights(5).but(drop=("unnormalised",)),  # bars: any mass
         marginals=flag(), colorbar=flag(), ax=ax()),
    case(plotting.plot_plan, X=points(6, 2, data=_X), Y=points(5, 2, data=_Y),
         P=array(_P, extra_bad=[("negative", -_P), ("wrong shape", _P[:, :4]),
                                ("bad permutation", np.array([0, 1, 2, 3, 9, 4]))]).but(
             good=[("permutation", np.array([0, 1, 2, 3, 4, 4]))]),
         a=weights(6), b=weights(5), ax=ax(), threshold=real(1e-9, minimum=0.0),
         max_width=real(3.0, minimum=0.0, strict=True), points=flag(), size=real(30.0, minimum=0.0, strict=True)),
    case(plotting.plot_color_histogram, centres=points(8, 3, data=_colours[:8]).but(bad=[("above 1", _colours[:8] + 2)]),
         weights=weights(8, allow_none=False), ax=ax(projection="3d"), max_size=real(400.0, minimum=0.0, strict=True)),
    case(plotting.plot_histogram_1d, values=array(_G.random(50), ndim_bad=False, extra_bad=[("empty", np.zeros(0))]),
         ax=ax(), bins=count(16, huge=False).but(bad=[("huge", 10**9)]),
         value_range=Arg((0.0, 1.0), [("list", [0.0, 1.0])],
                         [("reversed", (1.0, 0.0)), ("nan", (np.nan, 1.0)), ("string", "01"), ("triple", (0, 1, 2)),
                          ("None", None)]),
         cdf=flag()),
    case(plotting.plot_directions, directions=array(np.array([[1.0, 0.0], [0.0, 1.0]]),
                                                      extra_bad=[("3-D vectors", np.eye(3))]),
         ax=ax(), centre=array(np.array([0.0, 0.0]), ndim_bad=False, extra_bad=[("3 coordinates", np.zeros(3))]),
         length=real(1.0, minimum=0.0, strict=True)),
    case(plotting.plot_transport_polytope, a=weights(2), b=weights(3),
         C=array(_G.random((2, 3)), extra_bad=[("wrong shape", np.ones((3, 2)))]), ax=ax(),
         levels=count(8, huge=False).but(bad=[("huge", 10**7)])),
    case(plotting.plot_log_spectrum, u=array(_G.random((16, 16)), ndim_bad=False,
                                             extra_bad=[("1-D", np.ones(16)), ("empty", np.zeros((0, 16)))]),
         ax=ax(), colorbar=flag(), vmin=real(0.0).but(good=[("None", None)]), vmax=real(5.0).but(good=[("None", None)])),
    case(plotting.plot_gaussian_ellipse, m=array(np.zeros(2), ndim_bad=False, extra_bad=[("3-D", np.zeros(3))]),
         S=psd(2), ax=ax(), radius=real(1.0, minimum=0.0, strict=True), fill=flag(),
         alpha=real(0.35, minimum=0.0, maximum=1.0), n_points=count(50, minimum=3, huge=False).but(bad=[("huge", 10**9)])),
    case(plotting.show_on_triangle, images=sequence(_imgs).but(bad=[("item alpha", [np.ones((8, 8, 4))] * 2)]),
         weights=array(np.array([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]),
                       extra_bad=[("negative", np.array([[1.5, -0.5, 0.0], [0.2, 0.3, 0.5]])),
                                  ("unnormalised", np.array([[1.0, 1.0, 0.0], [0.2, 0.3, 0.5]])),
                                  ("wrong shape", np.ones((2, 2)) / 2)]),
         ax=ax(), labels=Arg(["A", "B", "C"], [("None", None)], [("two", ["A", "B"]), ("string", "ABC")]),
         image_size=real(0.2, minimum=0.0, strict=True, maximum=1.0)),
    case(plotting.plot_distance_matrix, D=array(np.array([[0.0, 1.0], [1.0, 0.0]]), extra_bad=[
        ("negative", -np.ones((2, 2))), ("not square", np.zeros((2, 3)))]),
        labels=Arg(["A", "B"], [("tuple", ("A", "B"))], [("one", ["A"]), ("string", "AB"), ("ints", [1, 2])]),
        ax=ax(), vmax=real(2.0, minimum=0.0, strict=True).but(good=[("None", None)]), colorbar=flag()),
    case(plotting.plot_frame_means, frames=sequence([_imgs[0], _G.random((5, 6, 3))]).but(
        bad=[("item grey", [_imgs[1]]), ("item above 1", [_imgs[0] + 1.0])]), ax=ax()),
    case(plotting.show_synthesis, exemplar=image(8, 9).but(good=[("grey", _imgs[1][:, :])]),
         synthesis=image(16, 18), titles=Arg(["a", "b"], [("None", None)], [("one", ["a"]), ("string", "ab")]),
         size=real(2.0, minimum=0.0, strict=True)),
    case(plotting.plot_gaussian_map, m0=array(np.zeros(2), ndim_bad=False, extra_bad=[("3-D", np.zeros(3))]),
         S0=psd(2), m1=array(np.ones(2), ndim_bad=False, extra_bad=[("3-D", np.zeros(3))]), S1=psd(2),
         X=points(6, 2, data=_X), TX=points(6, 2, data=_X + 1.0).but(bad=[("wrong length", _X[:5] + 1.0)]),
         ax=ax(), radius=real(2.0, minimum=0.0, strict=True),
         n_arrows=count(3, huge=False).but(bad=[("huge", 10**7)]),
         labels=Arg(("a", "b"), [("list", ["a", "b"])], [("one", ["a"]), ("string", "ab"), ("ints", [1, 2])])),
    case(plotting.plot_flow_frame, Z=points(6, 2, data=_X), Y=points(5, 2, data=_Y),
         directions=array(np.eye(2), extra_bad=[("3-D vectors", np.eye(3))]).but(good=[("None", None)]), ax=ax(),
         limits=Arg(((0.0, 1.0), (0.0, 1.0)), [("None", None), ("lists", [[0, 1], [0, 1]])],
                    [("reversed", ((1.0, 0.0), (0.0, 1.0))), ("one", ((0.0, 1.0),)), ("string", "01"),
                     ("nan", ((np.nan, 1.0), (0.0, 1.0)))]),
         size=real(14.0, minimum=0.0, strict=True), length=real(1.5, minimum=0.0, strict=True)),
    case(plotting.plot_convergence, curves=Arg({"a": np.array([1.0, 0.1, 0.0])},
                                                [("pair", {"b": (np.arange(2.0), np.array([1.0, 0.5]))})],
                                                [("None", None), ("empty", {}), ("list", [1.0, 0.1]),
                                                 ("negative", {"a": np.array([1.0, -0.1])}),
                                                 ("nan", {"a": np.array([1.0, np.nan])}),
                                                 ("ragged pair", {"a": (np.arange(3.0), np.ones(2))}),
                                                 ("empty curve", {"a": np.zeros(0)}), ("2-D", {"a": np.ones((2, 2))})],
                                                names=("curves",)),
         ax=ax(), mark=real(1.0).but(good=[("None", None)]),
         ylim=Arg((1e-3, 10.0), [("None", None), ("list", [1e-3, 10.0])],
                  [("zero", (0.0, 1.0)), ("reversed", (10.0, 1e-3)), ("string", "ab"), ("nan", (np.nan, 1.0))])),
    case(plotting.plot_matching_1d, x=array(_G.random(6), ndim_bad=False, extra_bad=[("2-D", _G.random((6, 2))), ("empty", np.zeros(0))]),
         y=array(_G.random(6), ndim_bad=False, extra_bad=[("wrong length", _G.random(5))]), ax=ax(),
         labels=Arg(("a", "b"), [("list", ["a", "b"])], [("one", ["a"]), ("string", "ab"), ("ints", [1, 2])]),
         size=real(12.0, minimum=0.0, strict=True)),
    case(plotting.show_strip, images=sequence([_G.random((8, 8, 3)), _G.random((8, 5))]).but(
        bad=[("item alpha", [np.ones((8, 8, 4))]), ("heights", [np.ones((8, 8, 3)), np.ones((7, 8, 3))])]),
        titles=Arg(["a", "b"], [("None", None)], [("wrong length", ["a"]), ("int", 3)]), ax=ax(),
        gap=count(4, minimum=0, huge=False), size=real(2.0, minimum=0.0, strict=True)),
    case(plotting.show_strip, _label="show_strip(maps)", images=sequence([_G.random((8, 8, 3)), 30 * _G.random((8, 5))]).but(
        bad=[("negative map", [-np.ones((8, 5))])]), cmap=Arg("magma", [], [("int", 3), ("unknown", "no-such-map")]),
        vmax=real(20.0, minimum=0.0, strict=True).but(good=[("None", None)]), label=fixed("error"), colorbar=flag(True)),
    case(plotting.plot_feature_matching, X=points(6, 2), Y=points(5, 2), P=array(_P, extra_bad=[
        ("negative", -_P), ("zero", np.zeros((6, 5))), ("wrong shape", _P[:, :4])]),
        colours=array(_G.random((5, 3)), extra_bad=[("above 1", _G.random((5, 3)) + 1), ("wrong rows", _G.random((4, 3)))]),
        ax=ax(), threshold=real(1e-3, minimum=0.0), max_width=real(3.0, minimum=0.0, strict=True),
        size=real(60.0, minimum=0.0, strict=True)),
]
