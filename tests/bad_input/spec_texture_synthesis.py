"""Bad-input cases of ottools.texture_synthesis."""

import numpy as np
from kinds import array, callback, case, count, flag, image, max_iter, option, rng, sequence, shape, weights

from ottools import texture_synthesis as ts

_GEN = np.random.default_rng(17)
_IMG = _GEN.random((16, 24, 3))  # max_scales = floor(log2(16)) - 2 = 2
_OTHER = _GEN.random((16, 20, 3)) ** 2
_F = _GEN.random((16, 24, 3))


def _exemplar(img=_IMG):
    return image(data=img).but(bad=[("too small", img[:7]), ("two channels", img[..., :2])])


def _out_shape():
    # the output may be larger or smaller than the exemplar, but holds one scale at least
    return shape((16, 20)).but(good=[("None", None), ("smaller", (16, 16))],
                               bad=[("too small", (7, 20)), ("3 entries", (16, 20, 3))])


def _n_scales():
    return count(2, maximum=2).but(good=[("None", None)])  # None: min(4, max_scales)


def _n_orientations():
    return count(4, maximum=8)


def _real_image(img, *, other_channels=True):
    """A texture compared by a metric: any real values (a spot noise sample leaves [0, 1])."""
    bad = [("empty", img[:0]), ("too small", img[:7])]
    if other_channels:
        bad.append(("other channels", img[..., :2]))
    return array(img, extra_bad=bad).but(good=[("negative values", img - 0.5), ("float32", img.astype(np.float32))])


def _synthesis_args(**extra):
    return dict(exemplar=_exemplar(), shape=_out_shape(), n_scales=_n_scales(), n_orientations=_n_orientations(),
                n_outer=max_iter(2), rng=rng(), callback=callback(), **extra)


CASES = [
    case(ts.SynthesisReport),
    case(ts.sliced_synthesis, **_synthesis_args(n_inner=max_iter(1), spectrum=flag(False),
                                                clouds=option("band", others=("scale",)))),
    case(ts.sliced_synthesis, _label="sliced_synthesis(spectrum=True)",
         **_synthesis_args(n_inner=max_iter(2), spectrum=flag(True), clouds=option("scale"))),
    case(ts.heeger_bergen, **_synthesis_args(color=option("pca", others=("rgb",)))),
    case(ts.sliced_mixing, exemplars=sequence([_IMG, _OTHER]).but(bad=[
             ("grey and colour", [_IMG, _OTHER[..., 0]]), ("item too small", [_IMG, _OTHER[:7]]),
             ("item above 1", [_IMG, _OTHER + 1.0]), ("array", np.stack([_IMG, _IMG]))]),
         weights=weights(2), shape=_out_shape(), n_scales=_n_scales(), n_orientations=_n_orientations(),
         n_outer=max_iter(1), n_inner=max_iter(1), n_bary_iter=max_iter(2),
         clouds=option("band", others=("scale",)), rng=rng(), callback=callback()),
    case(ts.spectrum_projection, f=array(_F, extra_bad=[("empty", _F[:0]), ("other shape", _F[:, :-1])]).but(
             good=[("negative values", _F - 0.5)]),
         reference=array(_IMG, extra_bad=[("other shape", _IMG[..., :2]), ("grey", _IMG[..., 0])])),
    case(ts.spectrum_projection, _label="spectrum_projection(grey)",
         f=array(_F[..., 0], extra_bad=[("colour", _F)]), reference=array(_IMG[..., 0])),
    case(ts.band_distance, f=_real_image(_F), exemplar=_real_image(_OTHER), n_scales=_n_scales(),
         n_orientations=_n_orientations(), n_directions=count(8), rng=rng()),
    case(ts.pixel_distance, f=_real_image(_F).but(drop=("too small",)),  # any number of pixels
         exemplar=_real_image(_OTHER).but(drop=("too small",)), n_directions=count(8), rng=rng()),
    case(ts.spectrum_distance, f=_real_image(_F).but(bad=[("other size", _F[:, :-1])]),
         exemplar=_real_image(_IMG).but(bad=[("other size", _IMG[:-1])])),
    case(ts.band_kurtosis, img=_real_image(_F, other_channels=False).but(
             good=[("grey", _F[..., 0])], bad=[("constant", np.full((16, 16), 0.5))]),
         n_scales=_n_scales(), n_orientations=_n_orientations(), periodic=flag(False)),
    case(ts.kurtosis_error, f=_real_image(_F), exemplar=_real_image(_OTHER), n_scales=_n_scales(),
         n_orientations=_n_orientations()),
]
