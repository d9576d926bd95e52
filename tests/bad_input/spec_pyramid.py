"""Bad-input cases of ottools.pyramid."""

import numpy as np
from kinds import array, case, count, shape

from ottools import pyramid as pyr

_GEN = np.random.default_rng(13)
_IMG = _GEN.random((16, 20, 3))  # max_scales = floor(log2(16)) - 2 = 2
_COEFFS, _ = pyr.analysis(_IMG, 2, 4)  # (10, 16, 20, 3)
_CLOUDS = pyr.band_clouds(_COEFFS)  # (10, 320, 3)


def _n_scales():
    return count(2, maximum=2)  # the largest for 16 x 20; 3 is refused with the bound


def _n_orientations():
    return count(4, maximum=pyr.MAX_ORIENTATIONS)


def _img():
    return array(_IMG, extra_bad=[("empty", np.zeros((0, 20, 3))), ("too small", _IMG[:7])]).but(good=[
        ("grey", _IMG[..., 0]), ("one channel", _IMG[..., :1]), ("two channels", _IMG[..., :2]),
        ("uint8", (_IMG * 255).astype(np.uint8)), ("float32", _IMG.astype(np.float32)),
        ("negative values", _IMG - 0.5),  # a linear transform: any real image
    ])


def _coeffs():
    return array(_COEFFS, extra_bad=[("empty", _COEFFS[:, :0]), ("wrong band count", _COEFFS[:-1]),
                                     ("2-D", _COEFFS[:, :, 0, 0]), ("too small", _COEFFS[:, :7])]).but(
        good=[("grey", _COEFFS[..., 0]), ("float32", _COEFFS.astype(np.float32))])


CASES = [
    # a huge shape is harmless here (integer arithmetic, nothing allocated): it is a valid question
    case(pyr.max_scales, shape=shape((16, 20)).but(drop=("huge",), good=[("image shape", (16, 20, 3))])),
    case(pyr.steerable_masks, shape=shape((16, 20)).but(bad=[("too small", (7, 20)), ("3 entries", (16, 20, 3))]),
         n_scales=_n_scales(), n_orientations=_n_orientations()),
    case(pyr.analysis, img=_img(), n_scales=_n_scales(), n_orientations=_n_orientations()),
    case(pyr.synthesis, coeffs=_coeffs(), n_scales=_n_scales(), n_orientations=_n_orientations()),
    case(pyr.band_clouds, coeffs=array(_COEFFS, extra_bad=[("empty", _COEFFS[:0]), ("2-D", _COEFFS[:, :, 0, 0])]).but(
        good=[("grey", _COEFFS[..., 0])])),
    case(pyr.clouds_to_coefficients,
         clouds=array(_CLOUDS, extra_bad=[("empty", _CLOUDS[:, :0]), ("2-D", _CLOUDS[..., 0]),
                                          ("wrong N", _CLOUDS[:, :-1])]),
         shape=shape((16, 20, 3)).but(bad=[("wrong channels", (16, 20)), ("transposed N", (20, 15, 3))])),
]
