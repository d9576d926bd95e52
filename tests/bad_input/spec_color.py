"""Bad-input cases of ottools.color."""

import numpy as np
from kinds import HUGE, Arg, array, callback, case, count, fixed, flag, image, option, points, real, rng, sequence, weights

from ottools import color, sliced

_G = np.random.default_rng(51)
_src, _tgt = _G.random((10, 12, 3)), _G.random((9, 8, 3)) ** 2
_lut = color.fit_sliced_lut(_src, _tgt, n_iter=2, n_samples=50, lut_size=5, rng=0)
_fast = dict(n_samples=fixed(60), lut_size=fixed(5))  # small tables keep every call well under 0.1 s


def _colours(n=30):
    return array(_G.random((n, 3)), extra_bad=[("2 channels", _G.random((n, 2))), ("scalar", 0.5)])


def _rgb(h=10, w=12, data=None):
    """An RGB image (a grey one is refused: colour transfer needs three channels)."""
    return image(h, w, grey_ok=False, data=data)


def _method(valid, methods):
    return option(valid, others=[m for m in methods if m != valid])


def _cloud_or_image(data):
    """Colours in [0, 1]: an image (H, W, 3) or a cloud (N, 3)."""
    return _rgb(data=data).but(drop=("1-D",), good=[("cloud", data.reshape(-1, 3))],
                               bad=[("cloud above 1", data.reshape(-1, 3) + 1.0), ("1-D", data.ravel())])


_regularize = Arg(None, [("pair", (2, 0.1)), ("list", [1, 0.05])],
                  [("scalar", 3.0), ("triple", (1, 0.1, 2)), ("negative radius", (-1, 0.1)), ("zero sigma", (2, 0.0)),
                   ("float radius", (1.5, 0.1)), ("string", "strong"), ("nan sigma", (2, float("nan")))])

CASES = [
    case(color.rgb_to_lab, rgb=_colours()),
    case(color.rgb_to_cielab, rgb=_colours()),
    case(color.cielab_to_rgb, lab=array(color.rgb_to_cielab(_G.random((30, 3))),
                                        extra_bad=[("2 channels", _G.random((30, 2))), ("huge", np.full((2, 3), 1e6))])),
    case(color.lab_to_rgb, lab=array(color.rgb_to_lab(_G.random((30, 3))),
                                     extra_bad=[("2 channels", _G.random((30, 2))), ("overflow", np.full((2, 3), 1e3))])),
    case(color.gaussian_map, X=points(40, 3), Y=points(30, 3), eps=real(1e-8, minimum=0.0)),
    case(color.quasi_random_bases, n=count(4, minimum=0), rng=rng()),
    case(color.fit_sliced_lut, source=_cloud_or_image(_src), target=_cloud_or_image(_tgt),
         n_iter=count(2, minimum=0, huge=False).but(bad=[("huge", HUGE)]),
         n_samples=count(60, minimum=2), n_quantiles=count(8, minimum=2), lut_size=count(5, minimum=2),
         bases=option("quasi", others=("random",)), rng=rng(), callback=callback()),
    case(color.apply_lut, img=_rgb(), lut=array(_lut, ndim_bad=True, extra_bad=[
        ("not a cube", _lut[:, :, :4]), ("2 channels", _lut[..., :2]), ("g = 1", _lut[:1, :1, :1])]),
        clip=flag(True)),
    case(color.transfer, source=_rgb(data=_src), target=_rgb(data=_tgt), method=fixed("sliced"),
         n_iter=count(3, minimum=0, huge=False).but(good=[("None", None)], bad=[("huge", HUGE)]), rng=rng(),
         clip=flag(True), n_quantiles=count(8, minimum=2).but(good=[("None", None)]),
         bases=option("quasi", others=("random",)).but(good=[("None", None)]), **_fast),
    case(color.transfer, _label="transfer(methods)", source=_rgb(data=_src), target=_rgb(data=_tgt),
         method=_method("gaussian", color.METHODS).but(drop=("option sliced", "option sorted", "option exact"))),
    case(color.transfer, _label="transfer(exact)", source=_rgb(data=_src), target=_rgb(data=_tgt),
         method=fixed("exact"), max_pixels=count(40)),
    case(color.transfer, _label="transfer(sorted)", source=_rgb(data=_src), target=_rgb(data=_tgt),
         method=fixed("sorted"), n_iter=count(3, minimum=0, huge=False).but(good=[("None", None)]), rng=rng()),
    # options of another method are refused rather than ignored
    case(color.transfer, _label="transfer(reinhard, options)", source=fixed(_src), target=fixed(_tgt),
         method=fixed("reinhard"), n_iter=Arg(None, [], [("given", 3)]), lut_size=Arg(None, [], [("given", 9)])),
    case(color.exchange, image0=_rgb(data=_src), image1=_rgb(data=_tgt), method=fixed("sliced"),
         n_iter=count(2, minimum=0, huge=False).but(good=[("None", None)]), rng=rng(), clip=flag(True), **_fast),
    case(color.exchange, _label="exchange(methods)", image0=fixed(_src), image1=fixed(_tgt),
         method=_method("reinhard", color.METHODS).but(drop=("option sliced", "option sorted")), max_pixels=count(40)),
    case(color.harmonize, images=sequence([_src, _tgt]).but(bad=[("item grey", [_src[..., 0], _tgt]),
                                                                 ("item above 1", [_src + 1.0, _tgt]),
                                                                 ("single image", _src)]),
         weights=weights(2), method=fixed("sliced"),
         n_points=count(40), barycenter_iter=count(3, minimum=0, huge=False).but(bad=[("huge", HUGE)]),
         n_iter=count(2, minimum=0, huge=False).but(good=[("None", None)]), regularize=_regularize, rng=rng(), **_fast),
    case(color.harmonize, _label="harmonize(methods)", images=fixed([_src, _tgt]), n_points=fixed(40),
         barycenter_iter=fixed(2), method=_method("gaussian", color.HARMONIZE_METHODS).but(drop=("option sliced",))),
    case(color.regularize, source=_rgb(data=_src), transferred=_rgb(data=_src ** 2).but(
        bad=[("other shape", _tgt)]), radius=count(2, minimum=0).but(drop=("huge",), good=[("huge", 10**9)]),
        sigma=real(0.1, minimum=0.0, strict=True)),
    case(color.yaroslavsky_regularize, source=_rgb(data=_src), transferred=_rgb(data=_src ** 2).but(
        bad=[("other shape", _tgt)]), radius=count(2, minimum=0, maximum=color.YAROSLAVSKY_MAX_RADIUS),
        sigma=real(0.1, minimum=0.0, strict=True), n_iter=count(1, maximum=color.YAROSLAVSKY_MAX_ITER)),
    case(color.color_sliced_distance, image0=_cloud_or_image(_src), image1=_cloud_or_image(_tgt), n_directions=count(16),
         rng=rng(), chunk=count(4)),
    case(color.color_sliced_distance, _label="color_sliced_distance(directions)", image0=fixed(_src), image1=fixed(_tgt),
         directions=array(sliced.random_directions(6, 3, _G), extra_bad=[("not unit", np.ones((2, 3))),
                                                                         ("wrong d", np.eye(2))]).but(
             drop=("None",), good=[("None", None)])),  # None: random directions
    case(color.gradient_energy, img=image()),
    # box_mean averages any real array of at least two dimensions; a radius beyond the image is the
    # whole image (no allocation depends on it), so a huge radius is valid
    case(color.box_mean, img=array(_G.normal(size=(7, 9, 2)), extra_bad=[("1-D", np.zeros(5)), ("empty", np.zeros((0, 4)))]).but(
        drop=("ndim+1",)), radius=count(2, minimum=0).but(drop=("huge",), good=[("huge", 10**9)])),
]
