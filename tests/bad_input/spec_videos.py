"""Bad-input cases of ottools.videos."""

import numpy as np
from kinds import Arg, case, option, real, rng, shape

from ottools import videos as vd

N = 8  # the valid videos are 8 x 8 x 6: speeds, scales and drifts are bounded by max(n1, n2) = 8


def _shape():
    return shape((N, N, 6)).but(bad=[("too small", (3, N, 6)), ("2-D", (N, N))])


def _palette(valid):
    # None is a valid palette here (the grey field), so the option kind's "None" is a good variant
    return option(valid, others=tuple(p for p in vd.PALETTES if p != valid)).but(
        drop=("None",), good=[("None", None)])


_velocity = Arg((0.5, 1.0), [("array", np.array([0.5, 1.0])), ("list", [0.5, 1.0]), ("still", (0.0, 0.0))],
                [("nan", (np.nan, 1.0)), ("inf", (0.5, np.inf)), ("one number", 0.5), ("three", (0.5, 1.0, 1.0)),
                 ("None", None), ("string", "ab"), ("too fast", (100.0, 0.0)), ("bool", (True, False)),
                 ("complex", (0.5 + 1j, 1.0))])

CASES = [
    case(vd.wave_video, shape=_shape(), rng=rng(), speed=real(1.5, minimum=0.0, strict=True, maximum=N),
         damping=real(0.1, minimum=0.0, strict=True, maximum=vd.MAX_RATE),
         scale=real(2.0, minimum=0.0, strict=True, maximum=N), palette=_palette("water")),
    case(vd.cloud_video, shape=_shape(), rng=rng(), velocity=_velocity,
         lifetime=real(8.0, minimum=vd.MIN_TIME, maximum=vd.MAX_TIME),
         beta=real(3.0, minimum=0.0, maximum=vd.MAX_EXPONENT), palette=_palette("sky")),
    case(vd.ar1_video, shape=_shape(), rng=rng(),
         rho=real(0.95, minimum=0.0, strict=True, maximum=1.0).but(bad=[("one", 1.0)]),
         smoothing=real(1.0, minimum=0.0, maximum=N), rise=real(1.5, minimum=-N, maximum=N),
         palette=_palette("fire")),
]
