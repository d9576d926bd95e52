"""Timing cases of ottools.texture_mixing (targets from issue 7), run by ``python benchmarks/run.py``.

Barycenter of three colour textures (multi-marginal solver) against the Bures fixed point per
frequency of ``ottools.gaussian``, and the mixing of two synthetic colour videos.
"""

import warnings

import numpy as np

from ottools import data, gaussian, texture_mixing, textures, videos

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def cases():
    return _mixing_cases()


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
        model, report = texture_mixing.spot_noise_barycenter(ex256, w)
        texture_mixing.synthesize(model, rng=1)
        return model, report

    out.append(Case(
        "spot_noise_barycenter of 3 exemplars (models, barycenter, one synthesis)", "3 x 256x256x3",
        barycenter256, quality=_barycenter_quality, target="< 1 s", repeat=3,
    ))
    # peer on a smaller grid: the Bures fixed point (Alvarez-Esteban) from the Euclidean mean on
    # every per-frequency 3 x 3 covariance, ottools.gaussian.bures_barycenter, 100 iterations
    ex64 = [data.load_image(k, size=(64, 64), mode="rgb") for k in names]
    models64 = [textures.estimate_model(e) for e in ex64]
    covs64 = np.stack([m.cov_hat.reshape(-1, 3, 3)[1:] for m in models64])

    def peer64():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            S, _ = gaussian.bures_barycenter(covs64, w, tol=1e-10, max_iter=100, method="alvarez_esteban")
        return covs64, w, S

    out.append(Case(
        "spot_noise_barycenter (multi-marginal) vs the Bures fixed point per frequency", "3 x 64x64x3",
        lambda: texture_mixing.spot_noise_barycenter(models64, w), peer=peer64,
        peer_name="gaussian.bures_barycenter, Alvarez-Esteban from the Euclidean mean, 100 it.",
        quality=_barycenter_quality, target="faster, lower energy", repeat=3,
    ))
    # videos: two synthetic colour videos, models of both, geodesic at t = 0.4, one synthesis
    shape = (128, 128, 64)
    v0 = videos.wave_video(shape, rng=0)
    v1 = videos.ar1_video(shape, rng=1)

    def mixed_video():
        m0 = textures.estimate_model(v0, spatial_dims=3)
        m1 = textures.estimate_model(v1, spatial_dims=3)
        return texture_mixing.synthesize(texture_mixing.spot_noise_geodesic(m0, m1, 0.4), rng=2, dtype=np.float32)

    out.append(Case(
        "mixed colour video: 2 space-time models, geodesic, synthesis (float32)", "128x128x64x3",
        mixed_video, target="< 2 s", repeat=3,
    ))
    return out
