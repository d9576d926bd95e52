"""Bad-input cases of ottools.gaussian."""

import numpy as np
from kinds import Arg, array, case, flag, max_iter, option, points, psd, tol, weights

from ottools import gaussian as g

_GEN = np.random.default_rng(7)


def _vec(d=2):
    return array(_GEN.standard_normal(d))


def _time():
    return Arg(0.3, [("numpy float", np.float64(0.3)), ("zero", 0.0), ("one", 1.0), ("array", np.array([0.0, 0.5, 1.0]))],
               [("nan", float("nan")), ("inf", float("inf")), ("negative", -0.1), ("above 1", 1.5),
                ("string", "0.5"), ("None", None), ("bool", True), ("complex", 0.3 + 1j)])


def _init(d=2):
    u = np.array([1.0, 2.0])[:d]
    return Arg(None, [("identity", np.eye(d)), ("list", np.eye(d).tolist())],
               [("rank one", np.outer(u, u)), ("tiny rank one", 1e-20 * np.outer(u, u)), ("zero", np.zeros((d, d))),
                ("nan", np.full((d, d), np.nan)), ("not symmetric", np.eye(d) + np.triu(np.ones((d, d)), 1)),
                ("negative", -np.eye(d)), ("wrong d", np.eye(d + 1)), ("string", "eye"), ("bool", np.eye(d, dtype=bool))])


_covs = psd(2, batch=(3,))
_rcond = tol(1e-12)
_form = option("slide", others=("standard",))
_method = option("fixed_point", others=("alvarez_esteban",))

CASES = [
    case(g.sqrtm, S=psd(3)),
    case(g.inv_sqrtm, S=psd(3), rcond=_rcond),
    case(g.pinv, S=psd(3), rcond=_rcond),
    case(g.logm, S=psd(3).but(bad=[("singular", np.diag([1.0, 1.0, 0.0])), ("rank one", np.ones((3, 3)))])),
    # expm takes any Hermitian matrix: a negative definite one is valid (its exponential is PD)
    case(g.expm, S=psd(3).but(drop=("negative",), good=[("negative definite", -np.eye(3))],
                              bad=[("overflow", np.diag([1.0, 1e4, 1.0]))])),
    case(g.bures_distance, S0=psd(3), S1=psd(3).but(bad=[("wrong d", np.eye(2))])),
    case(g.bures_map, S0=psd(2), S1=psd(2), rcond=_rcond, form=_form, check=flag(True)),
    case(g.bures_geodesic, S0=psd(2), S1=psd(2), t=_time(), rcond=_rcond),
    case(g.bures_barycenter, covs=_covs, weights=weights(3), tol=tol(1e-10), max_iter=max_iter(500),
         method=_method, init=_init()),
    case(g.euclidean_barycenter, covs=_covs, weights=weights(3)),
    case(g.rao_barycenter, covs=_covs.but(bad=[("singular", np.stack([np.eye(2), np.eye(2), np.diag([1.0, 0.0])]))]),
         weights=weights(3), tol=tol(1e-10), max_iter=max_iter(200), init=_init()),
    case(g.bures_wasserstein_distance, m0=_vec(), S0=psd(2), m1=_vec(), S1=psd(2)),
    case(g.ot_map, m0=_vec(), S0=psd(2), m1=_vec(), S1=psd(2), rcond=_rcond, form=_form),
    case(g.geodesic, m0=_vec(), S0=psd(2), m1=_vec(), S1=psd(2), t=_time(), rcond=_rcond),
    case(g.ot_barycenter, means=array(_GEN.standard_normal((3, 2)), extra_bad=[("wrong K", np.zeros((2, 2)))]),
         covs=_covs, weights=weights(3), tol=tol(1e-10), max_iter=max_iter(500), method=_method, init=_init()),
    # estimate fits a Gaussian in any dimension: a point cloud of another d is valid
    case(g.estimate, X=points(12, 2).but(drop=("wrong d",)), a=weights(12)),
    case(g.BarycenterReport),
]
