"""Bad-input cases of ottools.textures."""

import numpy as np
from kinds import Arg, array, case, count, dtype, flag, rng, shape, tol

from ottools import textures as tx

_GEN = np.random.default_rng(11)
_F0 = _GEN.random((6, 5, 3))
_MODEL = tx.estimate_model(_F0)
_TINY = tx.estimate_model(_GEN.random((4, 3, 2)))
_NOT_MODELS = [("array", _F0), ("None", None), ("string", "model"), ("int", 3)]


def _field(data=_F0):
    """A real field (any real values: not an image in [0, 1]) with its channels last."""
    return array(data, extra_bad=[("empty", np.zeros((0,) + data.shape[1:]))])


def _exemplar():
    return _field().but(good=[("model", _MODEL)])


def _spatial_dims():
    return count(2, maximum=3, huge=False)


def _out_shape():
    return shape((8, 8)).but(good=[("None", None), ("int", 8)], bad=[("smaller", (4, 4)), ("one axis smaller", (8, 4))])


def _model():
    return Arg(_MODEL, [], _NOT_MODELS)


def _complex(valid, extra_bad=()):
    """A complex array argument (spot_hat): complex values are valid, the rest of array() is not."""
    nan = valid.copy()
    nan.flat[1] = np.nan
    inf = valid.copy()
    inf.flat[-1] = np.inf
    bad = [("None", None), ("string", "abc"), ("dict", {"a": 1}), ("nan", nan), ("inf", inf),
           ("bool", np.abs(valid) > 0.1), ("ndim+1", valid[..., None, None])] + list(extra_bad)
    return Arg(valid, [("list", valid.tolist())], bad)


CASES = [
    case(tx.GaussianTextureModel, mean=array(_MODEL.mean), shape=shape((6, 5)), grey=flag(False),
         spot_hat=_complex(_MODEL.spot_hat, [("wrong shape", _MODEL.spot_hat[:-1]),
                                             ("non-zero mean", _MODEL.spot_hat + 1.0)])),
    case(tx.GaussianTextureModel.from_spot, _target=tx.GaussianTextureModel, _label="GaussianTextureModel.from_spot",
         mean=array(_MODEL.mean), spot=array(_MODEL.spot, extra_bad=[("wrong d", _MODEL.spot[..., :2])]),
         grey=flag(False).but(bad=[("grey with 3 channels", True)])),
    case(_MODEL.spot_hat_on, _target=tx.GaussianTextureModel, _label="GaussianTextureModel.spot_hat_on",
         shape=_out_shape(), dtype=dtype()),
    case(tx.periodic_smooth_decomposition, u=_field(), spatial_dims=_spatial_dims()),
    case(tx.periodic_component, u=_field(), spatial_dims=_spatial_dims()),
    case(tx.estimate_model, f0=_field(), periodic=flag(True), spatial_dims=_spatial_dims()),
    case(tx.apply_covariance, model=_model(), v=_field(_GEN.standard_normal((6, 5, 3))).but(
        bad=[("wrong shape", np.zeros((6, 4, 3))), ("wrong channels", np.zeros((6, 5)))])),
    case(tx.covariance_matrix, model=Arg(_TINY, [], _NOT_MODELS + [("too large", _MODEL.__class__(
        mean=np.zeros(3), spot_hat=np.zeros((64, 33, 3), complex), shape=(64, 64)))])),
    case(tx.cholesky_synthesis, model=Arg(_TINY, [], _NOT_MODELS), rng=rng(), jitter=tol(1e-10),
         return_factor=flag(False)),
    case(tx.spot_noise, f0=_exemplar(), shape=_out_shape(), rng=rng(), periodic=flag(True),
         shared_noise=flag(True), spatial_dims=_spatial_dims(), dtype=dtype()),
    case(tx.random_phase_noise, f0=_exemplar(), shape=_out_shape(), rng=rng(), periodic=flag(True),
         shared_noise=flag(True), spatial_dims=_spatial_dims(), dtype=dtype()),
    case(tx.log_spectrum, u=_field(), spatial_dims=_spatial_dims()),
    case(tx.enlarge_model, f=_exemplar(), shape=_out_shape().but(drop=("None", "int"), good=[("int", 8)],
                                                                  bad=[("None", None)]),
         periodic=flag(True), spatial_dims=_spatial_dims()),
]
