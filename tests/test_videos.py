"""Tests of ottools.videos: the synthetic dynamic textures of tour 12."""

import numpy as np
import pytest

from ottools import videos as vd


@pytest.mark.parametrize("gen", sorted(vd.DYNAMIC_TEXTURES))
def test_dynamic_texture_generators(gen):
    make = vd.DYNAMIC_TEXTURES[gen]
    v = make((16, 12, 8), rng=0)
    assert v.shape == (16, 12, 8, 3) and v.min() >= 0 and v.max() <= 1
    assert np.array_equal(v, make((16, 12, 8), rng=0))
    grey = make((16, 12, 8), rng=1, palette=None)
    assert abs(grey.mean()) < 1e-12 and abs(grey.std() - 1) < 1e-12



def test_bad_video_parameters():
    with pytest.raises(ValueError, match="shape"):
        vd.wave_video((8, 8), rng=0)
    with pytest.raises(ValueError, match="rho"):
        vd.ar1_video((8, 8, 8), rng=0, rho=1.0)


@pytest.mark.parametrize("gen, kwargs, name", [
    (vd.wave_video, {"scale": 0.0}, "scale"), (vd.wave_video, {"speed": np.inf}, "speed"),
    (vd.wave_video, {"damping": 0.0}, "damping"), (vd.wave_video, {"scale": 1e6}, "scale"),
    (vd.cloud_video, {"lifetime": -1.0}, "lifetime"), (vd.cloud_video, {"lifetime": 0.0}, "lifetime"),
    (vd.cloud_video, {"velocity": (np.nan, 1.0)}, "velocity"), (vd.ar1_video, {"rho": 0.0}, "rho"),
    (vd.ar1_video, {"palette": "lava"}, "palette"), (vd.cloud_video, {"palette": 3}, "palette"),
])
def test_video_parameters_out_of_range_are_refused(gen, kwargs, name):
    """Before: constant or NaN videos, ZeroDivisionError or KeyError."""
    with pytest.raises((ValueError, TypeError), match=name):
        gen((8, 8, 6), rng=0, **kwargs)


def test_video_sizes_are_checked_before_allocating():
    with pytest.raises(ValueError, match="memory"):
        vd.wave_video((10**5, 10**5, 10**3), rng=0)
    with pytest.raises(ValueError, match="at least 4"):
        vd.cloud_video((3, 8, 8), rng=0)
