"""Bad-input cases of ottools.sliced."""

import numpy as np
from kinds import HUGE, Arg, array, callback, case, count, dtype, points, real, rng, weights

from ottools import sliced as sl

_G = np.random.default_rng(31)
_theta = sl.random_directions(5, 2, _G)


def _directions(d=2, k=5):
    theta = sl.random_directions(k, d, _G)
    return array(theta, ndim_bad=True, extra_bad=[("not unit", 2 * theta), ("wrong d", sl.random_directions(k, d + 1, _G)),
                                                  ("empty", np.zeros((0, d))), ("zero row", np.zeros((k, d)))])


def _step():
    # 0 < step < 2: at 2 a Newton step reflects each point about its target, beyond it diverges
    return real(1.0, minimum=0.0, strict=True).but(good=[("half", 0.5), ("1.5", 1.5)], bad=[("two", 2.0), ("above", 3.0)])


def _n_directions():
    return count(5).but(good=[("None", None)])


CASES = [
    case(sl.random_directions, n=count(5), d=count(3), rng=rng()),
    case(sl.random_orthonormal_bases, n=count(4), d=count(3), rng=rng()),
    case(sl.random_orthonormal_basis, d=count(3), rng=rng()),
    case(sl.circle_directions, n=count(6)),
    case(sl.projected_costs, X=points(12, 2), Y=points(9, 2), directions=_directions(), a=weights(12), b=weights(9)),
    case(sl.sliced_wasserstein_distance, X=points(12, 2), Y=points(9, 2), a=weights(12), b=weights(9),
         n_directions=count(20), rng=rng(), precision=dtype()),
    # directions=None is valid there (random directions): the array kind's "None" is dropped
    case(sl.sliced_wasserstein_distance, _label="sliced_wasserstein_distance(directions)", X=points(12, 2),
         Y=points(12, 2), directions=_directions().but(drop=("None",), good=[("None", None)]), rng=rng()),
    case(sl.sliced_energy, X=points(12, 2), Y=points(12, 2), directions=_directions(), a=weights(12), b=weights(12)),
    case(sl.sliced_gradient, X=points(12, 3), Y=points(7, 3), directions=_directions(3, 4), a=weights(12), b=weights(7)),
    case(sl.sliced_transport, X=points(12, 2), Y=points(9, 2), a=weights(12), b=weights(9),
         n_iter=count(3, minimum=0, huge=False).but(bad=[("huge", HUGE)]), step=_step(),
         n_directions=_n_directions(), rng=rng(), callback=callback()),
    case(sl.sliced_sgd, X=points(12, 2), Y=points(9, 2), n_iter=count(3, minimum=0, huge=False).but(bad=[("huge", HUGE)]),
         batch_size=count(5).but(good=[("None", None), ("above N", 50), ("huge", HUGE)]), n_directions=count(2), step=_step(),
         decay=real(10.0, minimum=0.0, strict=True).but(good=[("None", None)]), rng=rng(), callback=callback()),
    case(sl.two_dirac_wasserstein_energy, u=array(_G.normal(size=(4, 2)), extra_bad=[("3 columns", np.zeros((4, 3))),
                                                                                        ("scalar", 1.0)])),
    case(sl.two_dirac_sliced_energy, u=array(_G.normal(size=(4, 2)), extra_bad=[("3 columns", np.zeros((4, 3))),
                                                                                  ("scalar", 1.0)])),
]
