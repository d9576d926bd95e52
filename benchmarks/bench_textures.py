"""Timing cases of ottools.textures (targets from issue 6), run by ``python benchmarks/run.py``.

Peer: the plain numpy recipe (``numpy.fft.fft2`` of the centred exemplar times ``fft2`` of one
white noise, complex ``ifft2``, no periodic component), the baseline anyone would write first.
Quality: largest deviation of the output's per-channel spatial mean from the model's mean (ours is
exact by construction) and the ratio of the pixel standard deviations of the two samples (close to
1: same law up to the periodic component).
"""

import numpy as np

from ottools import textures

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def _numpy_spot_noise(f0, rng):
    """The textbook numpy recipe: complex FFTs, the centred exemplar itself as spot."""
    n = f0.shape[0] * f0.shape[1]
    m = f0.mean(axis=(0, 1))
    W = rng.standard_normal(f0.shape[:2])
    f_hat = np.fft.fft2(f0 - m, axes=(0, 1)) * np.fft.fft2(W)[..., None]
    return m + np.fft.ifft2(f_hat, axes=(0, 1)).real / np.sqrt(n)


def _quality(mean):
    def quality(ours, peer):
        dev = np.abs(ours.mean(axis=(0, 1)) - mean).max()
        ratio = ours.std(axis=(0, 1)).mean() / peer.std(axis=(0, 1)).mean()
        return f"|mean - m| {dev:.0e}, std ratio {ratio:.2f}"

    return quality


def cases():
    rng = np.random.default_rng(0)
    out = []
    for n, target, repeat in ((512, "< 50 ms", 5), (2048, "< 1 s", 3)):
        # a smooth random colour field with correlated channels stands in for a photograph
        base = rng.standard_normal((n, n))
        f0 = np.clip(0.5 + 0.15 * np.stack([base, 0.8 * base, np.roll(base, 3, axis=0)], -1), 0, 1)
        model = textures.estimate_model(f0)
        quality = _quality(model.mean)
        size = f"{n}x{n}x3"
        peer = (lambda f0=f0: _numpy_spot_noise(f0, np.random.default_rng(1)))
        out.append(Case(
            "spot_noise from the exemplar (periodic component + synthesis)", size,
            lambda f0=f0: textures.spot_noise(f0, rng=np.random.default_rng(1)),
            peer=peer, peer_name="numpy fft2 recipe (no periodic component)", quality=quality,
            target=target, repeat=repeat,
        ))
        out.append(Case(
            "spot_noise from the exemplar, float32", size,
            lambda f0=f0: textures.spot_noise(f0, rng=np.random.default_rng(1), dtype=np.float32),
            peer=peer, peer_name="numpy fft2 recipe (no periodic component)", quality=quality,
            target=target, repeat=repeat,
        ))
        out.append(Case(
            "spot_noise from a fitted model, float32", size,
            lambda model=model: textures.spot_noise(model, rng=np.random.default_rng(1), dtype=np.float32),
            peer=peer, peer_name="numpy fft2 recipe (no periodic component)", quality=quality,
            target=target, repeat=repeat,
        ))
    # enlarged synthesis: a 512 x 512 exemplar, its spot zero-padded to 2048 x 2048
    f0 = np.clip(0.5 + 0.15 * rng.standard_normal((512, 512, 3)), 0, 1)
    out.append(Case(
        "spot_noise enlarged 16x (spot zero-padded), float32", "512x512x3 -> 2048x2048x3",
        lambda: textures.spot_noise(f0, shape=(2048, 2048), rng=np.random.default_rng(1), dtype=np.float32),
        target="< 1 s", repeat=3,
    ))
    out.append(Case(
        "periodic_component", "512x512x3",
        lambda: textures.periodic_component(f0), target="< 50 ms", repeat=5,
    ))
    return out
