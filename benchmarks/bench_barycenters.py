"""Timing cases of ottools.barycenters and of the colour harmonisation built on it (targets from issue 5),
run by ``python benchmarks/run.py``."""

import numpy as np
import ot

from ottools import barycenters, color, data, discrete, sliced

from harness import Case  # run.py puts benchmarks/ on sys.path

PHOTOS = ["kodim23", "monarch", "sail", "tulips", "coffee"]


def _mean_pairwise_sw(images, theta):
    clouds = [im.reshape(-1, 3)[::4] for im in images]  # every 4th pixel: 65,536 colours each
    return np.mean([sliced.sliced_wasserstein_distance(clouds[i], clouds[j], directions=theta)
                    for i in range(len(clouds)) for j in range(i + 1, len(clouds))])


def cases():
    rng = np.random.default_rng(0)
    images = [data.load_image(name, size=(512, 512)) for name in PHOTOS]
    out = []

    # Step 1 alone: sliced barycenter of 5 colour clouds of 65,536 points, default iterations.
    clouds = [discrete.sample_pixels(im, 65536, rng) for im in images]
    fixed = sliced.random_directions(200, 3, np.random.default_rng(1))
    start = barycenters.barycenter_energy(clouds[0], clouds, directions=fixed)

    def energy(result, _peer):
        X, _report = result
        return f"energy {start:.2e} -> {barycenters.barycenter_energy(X, clouds, directions=fixed):.2e}"

    out.append(Case("sliced_barycenter", "5 clouds x 65,536, d=3, 20 its",
                    lambda: barycenters.sliced_barycenter(clouds, rng=np.random.default_rng(2)),
                    quality=energy, target="< 3 s", repeat=3))

    # Against POT's exact-support fixed point on clouds small enough for it (dense costs).
    small = [C[:1000] for C in clouds]
    w = [np.full(1000, 1e-3)] * 5

    def w_energy(X):
        return np.mean([ot.emd2(np.full(len(X), 1 / len(X)), w[0], ot.dist(X, C)) for C in small])

    def compare(ours, peer):
        return f"W2 energy ours {w_energy(ours[0]):.2e}, POT {w_energy(peer):.2e}"

    out.append(Case("sliced_barycenter vs free_support", "5 clouds x 1000, d=3",
                    lambda: barycenters.sliced_barycenter(small, rng=np.random.default_rng(3)),
                    peer=lambda: ot.lp.free_support_barycenter(small, w, small[0].copy(), numItermax=10),
                    peer_name="ot.lp.free_support_barycenter (10 its)", quality=compare,
                    target="context", repeat=3))

    # The whole harmonisation of 5 photographs of 512 x 512 (slides 22-25).
    theta = sliced.random_directions(100, 3, np.random.default_rng(4))
    before = _mean_pairwise_sw(images, theta)

    def ratio(result, _peer):
        return f"mean pairwise SW / {before / _mean_pairwise_sw(result[0], theta):.1f}"

    out.append(Case("harmonize (sliced LUT)", "5 photos 512x512",
                    lambda: color.harmonize(images, rng=np.random.default_rng(5)),
                    quality=ratio, target="< 5 s", repeat=3))
    small_images = [data.resize(im, 128) for im in images]
    before_small = _mean_pairwise_sw(small_images, theta)

    def ratio_small(result, _peer):
        return f"mean pairwise SW / {before_small / _mean_pairwise_sw(result[0], theta):.1f}"

    out.append(Case("harmonize (sorted, per pixel)", "5 photos 128x128",
                    lambda: color.harmonize(small_images, method="sorted", rng=np.random.default_rng(6)),
                    quality=ratio_small, target="context", repeat=1))
    return out
