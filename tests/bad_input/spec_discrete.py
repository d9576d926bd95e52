"""Bad-input cases of ottools.discrete."""

import numpy as np
from kinds import HUGE, Arg, array, case, count, flag, image, max_iter, option, points, real, rng, shape, weights

from ottools import discrete as dc

_G = np.random.default_rng(21)
_a, _b = _G.random(8) + 0.2, _G.random(6) + 0.2
_a, _b = _a / _a.sum(), _b / _b.sum()
_P = np.outer(_a[:4] / _a[:4].sum(), _b[:3] / _b[:3].sum())  # a coupling of (4, 3) atoms


def _exponent(minimum, strict):
    """``p`` of the cost ``||x - y||^p``: positive, and at least 1 where the distance needs it."""
    return real(2.0, minimum=minimum, strict=strict)


def _cost(n, m):
    return array(_G.random((n, m)), extra_bad=[("empty", np.zeros((0, m))), ("1-D", _G.random(n))])


CASES = [
    case(dc.image_to_cloud, img=image()),
    case(dc.cloud_to_image, X=points(20, 3).but(bad=[("wrong N", _G.random((19, 3)))]),
         shape=shape((4, 5, 3)).but(drop=("huge",),
                                    bad=[("huge", (10**7, 10**7, 3)), ("wrong channels", (4, 5, 2))])),
    # a 1-D array is a cloud of points on the line (valid), so the image kind's "1-D" is dropped
    case(dc.sample_pixels, img_or_cloud=image(8, 9).but(drop=("1-D",), good=[("cloud", _G.random((72, 2)))]),
         n=count(10, maximum=72), rng=rng(), return_index=flag(False)),
    case(dc.sample_shape, shape=option("ring", others=[s for s in dc.SHAPES if s != "ring"]), n=count(10), rng=rng()),
    # any dimension d is valid for a histogram of [0, 1]^d: "wrong d" dropped
    case(dc.color_histogram, X=points(12, 3).but(drop=("wrong d",), bad=[("above 1", _G.random((12, 3)) + 1.0)]),
         bins=count(4)),
    case(dc.color_histogram, _label="color_histogram(d=13)", X=points(5, 13).but(drop=("wrong d",)),
         bins=Arg(2, [("numpy int", np.int64(2))], [("4 bins: 4**13 cells", 4), ("huge", HUGE)])),
    case(dc.cost_matrix, X=points(8, 2), Y=points(6, 2), p=_exponent(0.0, True)),
    case(dc.wasserstein_1d, x=array(_G.normal(size=7), extra_bad=[("empty", np.zeros(0)), ("2 columns", _G.random((7, 2)))]),
         y=array(_G.normal(size=5), extra_bad=[("empty", np.zeros(0))]),
         a=weights(7), b=weights(5), p=_exponent(1.0, False)),
    case(dc.sort_match, x=array(_G.normal(size=7), extra_bad=[("wrong length", np.zeros(6))]),
         y=array(_G.exponential(size=7), extra_bad=[("wrong length", np.zeros(8))])),
    # any dimension d is valid for the canonical order: "wrong d" dropped
    case(dc.canonical_order, X=points(10, 3).but(drop=("wrong d",))),
    case(dc.assignment, X=points(8, 2), Y=points(8, 2).but(bad=[("wrong N", _G.random((7, 2)))]),
         p=_exponent(0.0, True)),
    case(dc.wasserstein_distance, X=points(8, 2), Y=points(6, 2), a=weights(8), b=weights(6), p=_exponent(1.0, False)),
    case(dc.wasserstein_distance, _label="wasserstein_distance(uniform, equal sizes)", X=points(6, 2), Y=points(6, 2),
         p=_exponent(1.0, False)),
    case(dc.auction, C=_cost(6, 6).but(bad=[("not square", _G.random((6, 5)))]),
         eps=real(1e-3, minimum=0.0, strict=True).but(good=[("None", None)], bad=[("below resolution", 1e-300)]),
         scaling=real(5.0, minimum=1.0, strict=True), max_rounds=max_iter(10000)),
    case(dc.kantorovich, C=_cost(5, 4), a=weights(5), b=weights(4)),
    case(dc.displacement_interpolation, X=points(4, 2), Y=points(3, 2),
         P=array(_P, ndim_bad=True, extra_bad=[("negative", -_P), ("unnormalised", 2 * _P), ("wrong shape", _P[:, :2] / _P[:, :2].sum())]),
         t=real(0.3, minimum=0.0, maximum=1.0).but(good=[("zero", 0.0), ("one", 1.0)])),
]
