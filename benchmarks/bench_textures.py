"""Timing cases of ottools.textures (targets from issue 6), run by ``python benchmarks/run.py``.

Peer: the plain numpy recipe (``numpy.fft.fft2`` of the centred exemplar times ``fft2`` of one
white noise, complex ``ifft2``, no periodic component), the baseline anyone would write first.
Quality: largest deviation of the output's per-channel spatial mean from the model's mean (ours is
exact by construction) and the ratio of the pixel standard deviations of the two samples (close to
1: same law up to the periodic component).
"""

import warnings

import numpy as np

from ottools import data, gaussian, textures

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
    out.extend(_mixing_cases())
    return out


def _barycenter_quality(ours, peer):
    """Duality gap and iterations of ours; with a peer, the relative excess of its energy."""
    model, report = ours
    text = f"{report.iterations} it., gap {report.residuals[-1]:.0e}"
    if peer is not None:
        covs, w, S_peer = peer
        C = model.cov_hat.reshape(-1, *model.cov_hat.shape[-2:])[1:]

        def energy(S):
            return sum(wi * gaussian.bures_distance(S, Ci) ** 2 for wi, Ci in zip(w, covs)).sum()

        text += f"; peer energy / ours - 1 = {energy(S_peer) / energy(C) - 1:.0e}"
    return text


def _mixing_cases():
    """Targets of issue 7: barycenter of 3 colour textures of 256 x 256 under 1 s, a mixed colour
    video of 128 x 128 x 64 under 2 s."""
    out = []
    names = ("gimp_wood1", "gimp_walnut", "gimp_rain")
    ex256 = [data.load_image(k, size=(256, 256), mode="rgb") for k in names]
    w = np.array([0.2, 0.3, 0.5])

    def barycenter256():
        model, report = textures.spot_noise_barycenter(ex256, w)
        textures.synthesize(model, rng=1)
        return model, report

    out.append(Case(
        "spot_noise_barycenter of 3 exemplars (models, barycenter, one synthesis)", "3 x 256x256x3",
        barycenter256, quality=_barycenter_quality, target="< 1 s", repeat=3,
    ))
    # peer on a smaller grid: the Bures fixed point (Alvarez-Esteban) from the Euclidean mean on
    # every per-frequency 3 x 3 covariance, ottools.gaussian.bures_barycenter, 100 iterations
    ex64 = [data.load_image(k, size=(64, 64), mode="rgb") for k in names]
    models64 = [textures.estimate_model(e) for e in ex64]
    covs64 = np.stack([textures._cov_hat(m).reshape(-1, 3, 3)[1:] for m in models64])

    def peer64():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            S, _ = gaussian.bures_barycenter(covs64, w, tol=1e-10, max_iter=100, method="alvarez_esteban")
        return covs64, w, S

    out.append(Case(
        "spot_noise_barycenter (multi-marginal) vs the Bures fixed point per frequency", "3 x 64x64x3",
        lambda: textures.spot_noise_barycenter(models64, w), peer=peer64,
        peer_name="gaussian.bures_barycenter, Alvarez-Esteban from the Euclidean mean, 100 it.",
        quality=_barycenter_quality, target="faster, lower energy", repeat=3,
    ))
    # videos: two synthetic colour videos, models of both, geodesic at t = 0.4, one synthesis
    shape = (128, 128, 64)
    v0 = textures.wave_video(shape, rng=0)
    v1 = textures.ar1_video(shape, rng=1)

    def mixed_video():
        m0 = textures.estimate_model(v0, spatial_dims=3)
        m1 = textures.estimate_model(v1, spatial_dims=3)
        return textures.synthesize(textures.spot_noise_geodesic(m0, m1, 0.4), rng=2, dtype=np.float32)

    out.append(Case(
        "mixed colour video: 2 space-time models, geodesic, synthesis (float32)", "128x128x64x3",
        mixed_video, target="< 2 s", repeat=3,
    ))
    return out
