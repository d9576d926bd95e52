"""Timing cases of ottools.barycenters (targets from issue 5), run by ``python benchmarks/run.py``;
the colour harmonisation built on the barycenter is timed in bench_color.py."""

import numpy as np
import ot

from ottools import barycenters, data, discrete, sliced

from harness import Case  # run.py puts benchmarks/ on sys.path

PHOTOS = ["kodim23", "monarch", "sail", "tulips", "coffee"]


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

    def energy_spread(_result, _peer):
        e = np.array([barycenters.barycenter_energy(barycenters.sliced_barycenter(clouds, rng=s)[0], clouds,
                                                    directions=fixed) for s in range(10)])
        return (f"energy {start:.2e} -> over rng 0-9: min {e.min():.4e}, median {np.median(e):.4e}, "
                f"max {e.max():.4e} (spread {(e.max() - e.min()) / np.median(e):.1%})")

    out.append(Case("sliced_barycenter, spread over 10 seeds", "5 clouds x 65,536, d=3, 20 its",
                    lambda: barycenters.sliced_barycenter(clouds, rng=0), quality=energy_spread,
                    target="seed-independent", repeat=1))

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

    return out
