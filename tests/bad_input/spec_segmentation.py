"""Bad-input cases of ottools.segmentation."""

import numpy as np
from kinds import Arg, array, callback, case, count, image, max_iter, option, real, rng, shape, weights

from ottools import segmentation as sg

_GEN = np.random.default_rng(23)
_H, _W = 12, 14
_GREY = _GEN.random((_H, _W))
_COLOUR = _GEN.random((_H, _W, 3))
_IN = sg.box_mask((_H, _W), (2, 6, 3, 8))
_OUT = sg.box_mask((_H, _W), (8, 12, 0, 14))
_U = 0.1 + 0.8 * _GEN.random((_H, _W))
_A = _GEN.random(20) * 0.5


def _mask(valid, *, empty_ok=False):
    """A boolean mask of the image's shape: numbers, wrong shapes and (unless empty_ok) no pixel refused."""
    bad = [("None", None), ("string", "mask"), ("floats", valid.astype(float)), ("ints", valid.astype(int)),
           ("1-D", valid.ravel()), ("3-D", valid[..., None]), ("wrong shape", valid[:-1]),
           ("transposed", valid.T)]
    good = [("list", valid.tolist())]
    if empty_ok:
        good.append(("empty", np.zeros_like(valid)))
    else:
        bad.append(("empty", np.zeros_like(valid)))
    return Arg(valid, good, bad)


def _reference(valid, channels=1):
    """Reference samples: a mask of the image's shape, or an array of values (M,) or (M, c)."""
    samples = _GEN.random((15, channels)) if channels > 1 else _GEN.random(15)
    nan = samples.copy()
    nan.flat[0] = np.nan
    bad = [("None", None), ("string", "box"), ("wrong-shape mask", valid[:-1]), ("empty mask", np.zeros_like(valid)),
           ("1-D mask", valid.ravel()), ("nan samples", nan), ("inf samples", nan * np.inf),
           ("empty samples", np.zeros((0, channels))), ("complex samples", samples + 1j),
           ("samples of other channels", _GEN.random((15, channels + 1))), ("3-D samples", samples[None, None])]
    good = [("samples", samples), ("sample list", samples.tolist())]
    return Arg(valid, good, bad)


def _u():
    return array(_U, extra_bad=[("empty", _U[:0]), ("wrong shape", _U[:-1]), ("above 1", _U + 1.0),
                                ("negative", _U - 1.0), ("empty region", np.zeros_like(_U)),
                                ("empty complement", np.ones_like(_U))])


def _common(img, channels):
    return dict(image=image(data=img, colour=channels == 3), inside=_reference(_IN, channels), outside=_reference(_OUT, channels),
                n_bins=count(16, minimum=2, maximum=4096), n_directions=count(3, maximum=256), rng=rng())


CASES = [
    case(sg.SegmentationReport),
    case(sg.box_mask, shape=shape((_H, _W)).but(bad=[("3 entries", (_H, _W, 3))]),
         box=Arg((2, 5, 3, 9), [("list", [2, 5, 3, 9]), ("numpy ints", tuple(np.int64(v) for v in (2, 5, 3, 9)))],
                 [("None", None), ("string", "box"), ("too short", (2, 5, 3)), ("outside", (2, 50, 3, 9)),
                  ("empty", (5, 5, 3, 9)), ("reversed", (5, 2, 3, 9)), ("float", (2.5, 5, 3, 9)),
                  ("bool", (True, 5, 3, 9)), ("negative", (-1, 5, 3, 9))])),
    case(sg.scribble_mask, shape=shape((_H, _W)).but(bad=[("3 entries", (_H, _W, 3))]),
         points=array([[1.0, 1.0], [5.5, 9.0], [10.0, 2.0]], extra_bad=[
             ("empty", np.zeros((0, 2))), ("three columns", np.ones((3, 3))), ("outside", [[1.0, 1.0], [20.0, 3.0]]),
             ("negative", [[-1.0, 1.0]])]).but(good=[("one point", [[3.0, 4.0]])]),
         radius=real(1.5, minimum=0.0, maximum=50.0).but(good=[("zero", 0.0)])),
    case(sg.w1_potential, h=weights(10, allow_none=False), a=weights(10, allow_none=False),
         delta=real(0.5, minimum=0.0, strict=True)),
    case(sg.region_energy, u=_u(), **_common(_GREY, 1), distance=option("wasserstein", others=("bin_to_bin",))),
    case(sg.region_energy, _label="region_energy(colour)", u=_u(), **_common(_COLOUR, 3)),
    case(sg.region_gradient, u=_u(), **_common(_GREY, 1)),
    case(sg.region_gradient, _label="region_gradient(colour)", u=_u(), **_common(_COLOUR, 3)),
    case(sg.segment, **_common(_GREY, 1), lam=real(0.05, minimum=0.0, strict=True),
         data=option("wasserstein", others=("bin_to_bin", "chan_vese")), n_iter=max_iter(5),
         n_outer=count(2, maximum=1000), record_every=count(2, maximum=10**7), callback=callback()),
    case(sg.segment, _label="segment(colour)", **_common(_COLOUR, 3), lam=real(0.05, minimum=0.0, strict=True),
         data=option("chan_vese", others=("bin_to_bin", "wasserstein")), n_iter=max_iter(5)),
    case(sg.iou, mask=_mask(_IN, empty_ok=True), truth=_mask(_OUT)),
    case(sg.dice, mask=_mask(_IN, empty_ok=True), truth=_mask(_OUT)),
]
