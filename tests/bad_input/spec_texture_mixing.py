"""Bad-input cases of ottools.texture_mixing."""

import numpy as np
from kinds import Arg, array, case, count, dtype, flag, max_iter, option, real, rng, sequence, shape, tol, weights

from ottools import texture_mixing as mx
from ottools import textures as tx

_GEN = np.random.default_rng(13)
_EX = [_GEN.random((6, 5, 3)) ** (k + 1) for k in range(3)]
_MODELS = [tx.estimate_model(e) for e in _EX]
_BARY, _ = mx.spot_noise_barycenter(_MODELS)
_NOT_MODELS = [("array", _EX[0]), ("None", None), ("string", "model"), ("int", 3)]


def _exemplar(k):
    """An exemplar to mix: an array (any real values, channels last) or a spot noise model."""
    return array(_EX[k], extra_bad=[
        ("empty", np.zeros((0, 5, 3))), ("other size", _EX[k][:4]), ("other channels", _EX[k][..., :2]),
        ("barycenter model", _BARY),
    ]).but(good=[("model", _MODELS[k])])


def _spatial_dims():
    return count(2, maximum=3, huge=False)


def _root_hat():
    R = _BARY.root_hat
    nan = R.copy()
    nan[1, 1, 0, 0] = np.nan
    asym = R.copy()
    asym[1, 1, 0, 1] += 1.0
    return Arg(R, [("list", R.tolist())],
               [("None", None), ("string", "abc"), ("nan", nan), ("bool", np.abs(R) > 0.1),
                ("wrong shape", R[:-1]), ("not Hermitian", asym), ("negative", -R - 1e-3 * np.eye(3)),
                ("non-zero at w = 0", R + np.eye(3))])


_rtol = tol(1e-6)

CASES = [
    case(mx.StationaryGaussianModel, mean=array(_BARY.mean), root_hat=_root_hat(),
         shape=shape((6, 5)), grey=flag(False)),
    case(mx.StationaryGaussianModel.from_spot_model, _target=mx.StationaryGaussianModel,
         _label="StationaryGaussianModel.from_spot_model", model=Arg(_MODELS[0], [], _NOT_MODELS + [("barycenter", _BARY)])),
    case(_BARY.ranks, _target=mx.StationaryGaussianModel, _label="StationaryGaussianModel.ranks", rtol=_rtol),
    case(mx.spot_noise_geodesic, f0=_exemplar(0), f1=_exemplar(1), t=real(0.3, minimum=0.0, maximum=1.0),
         periodic=flag(True), spatial_dims=_spatial_dims(), rtol=tol(1e-12)),
    case(mx.spot_noise_distance, f0=_exemplar(0).but(drop=("barycenter model",), good=[("barycenter", _BARY)]),
         f1=_exemplar(1).but(drop=("barycenter model",), good=[("barycenter", _BARY)]),
         periodic=flag(True), spatial_dims=_spatial_dims()),
    case(mx.spot_noise_barycenter, exemplars=sequence(_EX).but(
        good=[("models", list(_MODELS))],
        bad=[("array", np.stack(_EX)), ("other sizes", [_EX[0], _EX[1][:4], _EX[2]]), ("barycenter", [_BARY] * 2)]),
         weights=weights(3), tol=tol(1e-8), max_iter=max_iter(3000),
         method=option("multimarginal", others=("fixed_point", "alvarez_esteban")),
         periodic=flag(True), spatial_dims=_spatial_dims()),
    case(mx.synthesize, model=Arg(_BARY, [("spot noise", _MODELS[0])], _NOT_MODELS), rng=rng(), dtype=dtype()),
    case(mx.rank_map, model=Arg(_BARY, [("spot noise", _MODELS[0])], _NOT_MODELS + [
        ("video model", tx.estimate_model(_GEN.random((4, 4, 4)), spatial_dims=3))]), rtol=_rtol),
]
