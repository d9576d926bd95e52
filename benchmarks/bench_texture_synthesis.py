"""Timing cases of ottools.texture_synthesis, run by ``python benchmarks/run.py --only texture_synthesis``.

Peer: the Heeger-Bergen baseline of the same module (``heeger_bergen``: 1-D histogram matching of
every band and channel in the principal colour axes, the same pyramid and iterations), the
algorithm that the sliced synthesis generalises to joint colour clouds. Quality: the band and pixel
distances of each output to the exemplar (``D_band``, ``D_pix``), ours / the peer's. Targets: a
256 x 256 colour synthesis and a mixed texture of that size in under 5 s on 2 cores; each metric
under 0.5 s at 128 x 128.
"""

import numpy as np

from ottools import data, textures
from ottools import texture_synthesis as ts

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def _fidelity(exemplar):
    """D_band and D_pix of ours and of the peer."""

    def quality(ours, peer):
        f = ours[0]
        text = f"D_band {ts.band_distance(f, exemplar):.4f}, D_pix {ts.pixel_distance(f, exemplar):.1e}"
        if peer is not None:
            g = peer[0]
            text += f" (peer {ts.band_distance(g, exemplar):.4f}, {ts.pixel_distance(g, exemplar):.1e})"
        return text

    return quality


def cases():
    crinkle = data.load_image("gimp_crinklepaper")  # 128 x 128 RGB
    granite = data.load_image("gimp_granite1")  # 100 x 100 grey
    walnut = data.load_image("gimp_walnut")  # 128 x 128 RGB
    hubble = data.load_image("hubble_deep_field")[300:428, 300:428]
    out = []
    for operation, exemplar, shape, target in (
        ("sliced_synthesis (J = K = 4, 5 x 3 iterations)", crinkle, (256, 256), "< 5 s"),
        ("sliced_synthesis (J = K = 4, 5 x 3 iterations)", crinkle, None, "< 2 s"),
        ("sliced_synthesis grey (= Heeger-Bergen)", granite, (256, 256), "< 1.5 s"),
    ):
        size = f"{exemplar.shape} -> {shape or exemplar.shape[:2]}"
        out.append(Case(
            operation, size, lambda e=exemplar, s=shape: ts.sliced_synthesis(e, s, rng=0),
            peer=lambda e=exemplar, s=shape: ts.heeger_bergen(e, s, rng=0),
            peer_name="heeger_bergen (ours, per channel)",
            quality=_fidelity(exemplar), target=target, repeat=3,
        ))
    out.append(Case(
        "sliced_synthesis, spectrum=True", f"{crinkle.shape} -> (256, 256)",
        lambda: ts.sliced_synthesis(crinkle, (256, 256), spectrum=True, rng=0),
        quality=lambda ours, peer: f"D_band {ts.band_distance(ours[0], crinkle):.4f}", target="< 5 s", repeat=3,
    ))
    out.append(Case(
        "sliced_mixing of two textures, weights (0.5, 0.5), 10 barycenter steps",
        f"{crinkle.shape} + {walnut.shape} -> (256, 256)",
        lambda: ts.sliced_mixing([crinkle, walnut], [0.5, 0.5], (256, 256), rng=0),
        peer=lambda: ts.heeger_bergen(crinkle, (256, 256), rng=0),
        peer_name="heeger_bergen of one exemplar (no mixing)",
        quality=lambda ours, peer: (f"D_band to each {ts.band_distance(ours[0], crinkle):.3f}, "
                                    f"{ts.band_distance(ours[0], walnut):.3f}"),
        target="< 5 s", repeat=3,
    ))
    f, _ = ts.sliced_synthesis(hubble, rng=0)
    g = textures.spot_noise(hubble, rng=0)
    for name, fn in (("band_distance", ts.band_distance), ("pixel_distance", ts.pixel_distance),
                     ("spectrum_distance", ts.spectrum_distance), ("kurtosis_error", ts.kurtosis_error)):
        out.append(Case(
            f"{name} (sliced synthesis vs exemplar)", "128x128x3, J = K = 4", lambda fn=fn: fn(f, hubble),
            quality=lambda ours, peer, fn=fn: f"sliced {ours:.3g}, spot noise {fn(g, hubble):.3g}",
            target="< 0.5 s", repeat=5,
        ))
    rng = np.random.default_rng(0)
    big, ref = rng.random((256, 256, 3)), rng.random((256, 256, 3))
    out.append(Case("spectrum_projection", "256x256x3", lambda: ts.spectrum_projection(big, ref),
                    target="< 50 ms", repeat=7))
    return out
