"""Bad-input cases of ottools.barycenters."""

import numpy as np
from kinds import HUGE, Arg, array, callback, case, count, dtype, points, real, rng, sequence, tol, weights

from ottools import barycenters as bc
from ottools import sliced

_G = np.random.default_rng(41)
_clouds = [_G.random((10, 2)), _G.random((7, 2)) + 1.0, _G.random((10, 2)) * 2.0]
_theta = sliced.circle_directions(6)


def _clouds_kind():
    return sequence(_clouds, min_len=1).but(bad=[("wrong d", [_clouds[0], _G.random((7, 3))]),
                                                 ("single array", _clouds[0]), ("item empty", [np.zeros((0, 2))])])


def _measures():
    x, a = _G.normal(size=5), _G.random(5) + 0.1
    items = [_G.normal(size=6), (x, a / a.sum()), _G.normal(size=4) + 2.0]
    return sequence(items).but(bad=[("item 2 columns", [_G.random((6, 2))] + items[1:]),
                                    ("item unnormalised pair", [(x, a)] + items[1:]),
                                    ("item triple", [(x, a / a.sum(), 1.0)] + items[1:]),
                                    ("single array", _G.normal(size=6))])


def _measures_2d():
    x, a = _G.random((3, 2)), _G.random(3) + 0.1
    items = [_G.random((4, 2)), (x, a / a.sum()), _G.random((3, 2)) + 1.0]
    return sequence(items).but(bad=[("item wrong d", [_G.random((4, 3))] + items[1:]),
                                    ("item unnormalised pair", [items[0], (x, a)] + items[2:]),
                                    ("item triple", [items[0], (x, a / a.sum(), 1.0)] + items[2:]),
                                    ("item empty", [np.zeros((0, 2))] + items[1:]),
                                    ("single array", _G.random((4, 2)))])


def _directions():
    return array(_theta, extra_bad=[("not unit", 2 * _theta), ("wrong d", np.eye(3)), ("empty", np.zeros((0, 2)))]
                 ).but(drop=("None",), good=[("None", None)])  # None: random directions


CASES = [
    case(bc.quantile_barycenter_1d, measures=_measures(), weights=weights(3)),
    case(bc.exact_barycenter, measures=_measures_2d(), weights=weights(3)),
    case(bc.barycenter_energy, X=points(8, 2), clouds=_clouds_kind(), weights=weights(3), directions=_directions(),
         rng=rng()),
    case(bc.barycenter_energy, _label="barycenter_energy(n_directions)", X=points(8, 2), clouds=_clouds_kind(),
         n_directions=count(30), rng=rng()),
    case(bc.sliced_barycenter, clouds=_clouds_kind(), weights=weights(3),
         n_iter=count(3, minimum=0, huge=False).but(bad=[("huge", HUGE)]),
         tol=tol(1e-6).but(good=[("None", None)]),
         step=real(1.0, minimum=0.0, strict=True).but(bad=[("two", 2.0)]),  # 0 < step < 2
         n_directions=count(4).but(good=[("None", None)]), rng=rng(),
         init=points(9, 2).but(good=[("None", None)]), callback=callback(), precision=dtype(np.float32, others=(np.float64,))),
    case(bc.sliced_barycenter, _label="sliced_barycenter(directions)", clouds=_clouds_kind(),
         n_iter=count(3, minimum=0, huge=False), directions=_directions(), precision=dtype(np.float64, others=(np.float32,))),
]
