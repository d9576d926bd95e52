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
