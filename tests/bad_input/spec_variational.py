"""Bad-input cases of ottools.variational."""

import numpy as np
from kinds import HUGE, array, callback, case, count, option, points, real, rng

from ottools import sliced as sl
from ottools import variational as var

_G = np.random.default_rng(41)
_F0 = _G.random((12, 3))
_F = _F0 + 0.05 * _G.standard_normal((12, 3))
_Y = _G.random((9, 3))
_IMG = _G.random((10, 12))


def _lam(inf_ok=False):
    # lambda >= 0; infinity is the projection where the function says so
    arg = real(2.0, minimum=0.0, inf_ok=inf_ok).but(good=[("zero", 0.0)])
    return arg.but(good=[("inf", np.inf)]) if inf_ok else arg


def _directions(d=3, k=5):
    theta = sl.random_directions(k, d, _G)
    return array(theta, extra_bad=[("not unit", 2 * theta), ("wrong d", sl.random_directions(k, d + 1, _G)),
                                   ("empty", np.zeros((0, d))), ("zero row", np.zeros((k, d)))])


def _same(x, name_bad=True):
    return points(data=x).but(bad=[("other N", x[:-1]), ("other d", x[:, :2])])


def _step():
    return real(1.0, minimum=0.0, strict=True).but(good=[("half", 0.5)], bad=[("two", 2.0), ("above", 3.0)])


def _grey(img):
    return array(img, extra_bad=[("too small", img[:1]), ("empty", img[:0])]).but(
        good=[("negative values", img - 0.5), ("float32", img.astype(np.float32))])


CASES = [
    case(var.sliced_data_energy, f=_same(_F), f0=points(data=_F0), Y=points(data=_Y), lam=_lam(),
         directions=_directions()),
    case(var.sliced_data_gradient, f=_same(_F), f0=points(data=_F0), Y=points(data=_Y), lam=_lam(),
         directions=_directions()),
    case(var.wasserstein_data_solution, f0=points(data=_F0[:, :1]), Y=points(data=_Y[:, :1]), lam=_lam(True)),
    case(var.wasserstein_data_solution, _label="wasserstein_data_solution(d=3)", f0=points(data=_F0),
         Y=points(data=_G.random((12, 3))).but(bad=[("other N", _Y)]), lam=_lam(True)),
    case(var.sliced_data_fit, f0=points(data=_F0), Y=points(data=_Y), lam=_lam(True),
         n_iter=count(3, minimum=0, huge=False).but(bad=[("huge", HUGE)]),
         method=option("newton", others=("gradient",)),
         n_directions=count(2).but(good=[("None", None)]), step=_step(),
         decay=real(5.0, minimum=0.0, strict=True).but(good=[("None", None)]),
         init=_same(_F).but(good=[("None", None)]), rng=rng(), callback=callback()),
    case(var.sliced_data_fit, _label="sliced_data_fit(directions)", f0=points(data=_F0), Y=points(data=_Y),
         lam=_lam(True), n_iter=count(3, minimum=0, huge=False), directions=_directions().but(
             drop=("None",), good=[("None", None)]), rng=rng()),
    case(var.tv_denoise, img=_grey(_IMG).but(good=[("colour", _G.random((10, 12, 3)))]),
         weight=real(0.1, minimum=0.0).but(good=[("zero", 0.0)]), n_iter=count(5, huge=False).but(
             bad=[("zero", 0), ("huge", HUGE)], drop=("below minimum",))),
    case(var.tv_wasserstein_denoise, f0=_grey(_IMG).but(bad=[("colour", _G.random((10, 12, 3)))]),
         Y=array(_G.random(30), ndim_bad=False, extra_bad=[("empty", np.zeros(0))]).but(
             good=[("image", _IMG)]),
         lam=_lam().but(bad=[("inf", np.inf)]), weight=real(0.1, minimum=0.0).but(good=[("zero", 0.0)]),
         n_iter=count(3, huge=False).but(bad=[("zero", 0), ("huge", HUGE)], drop=("below minimum",)),
         n_inner=count(2, huge=False).but(bad=[("zero", 0), ("huge", HUGE)], drop=("below minimum",))),
]
