"""Bad-input cases of ottools.colorization."""

import numpy as np
from kinds import HUGE, Arg, array, case, count, image, option, points, real, rng, weights

from ottools import colorization as cz

_G = np.random.default_rng(61)
_rgb = _G.random((16, 18, 3))
_target = cz.to_grey(_rgb)
_exemplar = _G.random((14, 12, 3))
_, _report = cz.colorize(_target, _exemplar, n_clusters=(4, 5), n_samples=100, rng=0)
_, _other = cz.colorize(_target[:12], _exemplar, n_clusters=(4, 5), n_samples=100, rng=0)

_NAN, _INF = float("nan"), float("inf")


def _kappa(valid=(0.2, 5.0)):
    return Arg(valid, [("list", list(valid)), ("extremes", (0, _INF)), ("balanced", (1, 1)),
                       ("array", np.array(valid))],
               [("scalar", 0.5), ("None", None), ("string", "relaxed"), ("triple", (0.2, 1.0, 5.0)),
                ("lo above 1", (1.5, 2.0)), ("hi below 1", (0.5, 0.8)), ("negative lo", (-0.1, 2.0)),
                ("nan", (_NAN, 2.0)), ("bool", (True, 2.0)), ("string entry", ("0", 2.0))])


def _target_arg():
    return image(data=_target, colour=False).but(bad=[("colour", _rgb), ("too small", _target[:7])])


def _exemplar_arg():
    grey_rgb = np.repeat(_exemplar.mean(2, keepdims=True), 3, axis=2)
    return image(data=_exemplar, grey_ok=False).but(bad=[("grey RGB", grey_rgb), ("too small", _exemplar[:7])])


def _n_clusters():
    return Arg((4, 5), [("list", [4, 5]), ("numpy", (np.int64(4), np.int64(6)))],
               [("scalar", 4), ("None", None), ("string", "4,5"), ("triple", (4, 5, 6)), ("one", (1, 5)),
                ("float", (4.5, 5)), ("bool", (True, 5)), ("huge", (HUGE, 5)), ("above the pixels", (4, 500)),
                ("too many variables", (2000, 2000))])


def _pair_args():
    return dict(image=image(data=_rgb, grey_ok=False).but(bad=[("other shape", _rgb[:-1])]),
                truth=image(data=_G.random((16, 18, 3)), grey_ok=False))


CASES = [
    case(cz.ColorizationReport, lab=np.zeros((2, 2, 3))),
    case(cz.to_grey, rgb=image(grey_ok=False)),
    case(cz.luminance_features, L=array(100 * _G.random((12, 10)), extra_bad=[("too small", np.zeros((5, 10)))])),
    case(cz.relaxed_transport, X=points(7, 3), Y=points(9, 3), a=weights(7), b=weights(9), kappa=_kappa(),
         rho=real(0.5, minimum=0.0),
         values=array(_G.standard_normal((9, 2)), extra_bad=[("wrong rows", np.zeros((8, 2)))]),
         n_neighbors=count(3, maximum=6)),
    case(cz.colorize, target=_target_arg(), exemplar=_exemplar_arg(),
         method=option("ot", others=("welsh", "global")), kappa=_kappa(), rho=real(0.5, minimum=0.0),
         n_clusters=_n_clusters(), n_samples=count(100, maximum=10**6), smooth=real(1.0, minimum=0.0, maximum=50.0),
         rng=rng()),
    case(cz.colorize, _label="colorize(clusters)", target=_target_arg(), exemplar=_exemplar,
         kappa=_kappa((1.0, 1.0)), clusters=Arg(_report, [("None", None)],
                                               [("string", "clusters"), ("dict", {}), ("other image", _other)])),
    case(cz.chroma_error_map, **_pair_args()),
    case(cz.chroma_error, **_pair_args()),
]
