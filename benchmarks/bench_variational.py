"""Timing cases of ottools.variational, run by ``python benchmarks/run.py --only variational``.

Targets (issue 16): the variational model with the sliced data term in under 5 s on a 256 x 256
colour image (2 cores); the 1-D closed form at 512 x 512 in under 0.1 s; TV + W denoising of a
256 x 256 grey image in under 5 s. Peers: the plain sliced projection (``sliced.sliced_transport``,
the limit lambda -> infinity, same iterations), POT's exact solver (``ot.emd``) for the exact-W_2
solution, and ROF alone (``tv_denoise``, the same Chambolle iterations) for TV + W.
"""

import numpy as np
import ot

from ottools import data, sliced
from ottools import variational as var

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def _degrade(u):
    """A faded, sepia-toned copy of an RGB image (the degradation of tour 15)."""
    sepia = np.array([[0.39, 0.77, 0.19], [0.35, 0.69, 0.17], [0.27, 0.53, 0.13]])
    return np.clip(0.35 + 0.6 * (0.6 * u @ sepia.T + 0.4 * u) ** 1.3, 0, 1)


def cases():
    out = []
    img = data.load_image("astronaut", size=256)
    f0 = _degrade(img).reshape(-1, 3)
    Y = img.reshape(-1, 3)
    fixed = sliced.random_directions(64, 3, rng=1)
    e0 = sliced.sliced_energy(f0, Y, fixed)

    def restored(f, peer):
        text = (f"SW^2 / start {sliced.sliced_energy(f, Y, fixed) / e0:.1e}, "
                f"RMSE to clean {np.sqrt(np.mean((f - Y) ** 2)):.3f}")
        if peer is not None:
            text += (f" (projection: {sliced.sliced_energy(peer, Y, fixed) / e0:.1e}, "
                     f"{np.sqrt(np.mean((peer - Y) ** 2)):.3f})")
        return text

    out.append(Case(
        "sliced_data_fit, lambda = 3, 30 Newton steps", "256x256x3 -> reference 256x256x3",
        lambda: var.sliced_data_fit(f0, Y, 3.0, n_iter=30, rng=0),
        peer=lambda: sliced.sliced_transport(f0, Y, n_iter=30, rng=0),
        peer_name="sliced.sliced_transport (lambda = inf)", quality=restored, target="< 5 s", repeat=3,
    ))
    lams = [0.0, 0.3, 1.0, 3.0, 10.0, 30.0, np.inf]

    def path():
        f = f0.copy()
        for lam in lams:
            f = var.sliced_data_fit(f0, Y, lam, n_iter=8, init=f, rng=0)
        return f

    out.append(Case(
        "lambda path (7 values, 8 warm-started Newton steps each)", "256x256x3",
        path, quality=lambda f, _: restored(f, None), target="< 5 s", repeat=3,
    ))
    out.append(Case(
        "sliced_data_fit, slide 14: 1 direction, decreasing step, 90 steps", "256x256x3",
        lambda: var.sliced_data_fit(f0, Y, 3.0, n_iter=90, method="gradient", n_directions=1, decay=10.0, rng=0),
        quality=lambda f, _: restored(f, None), target="< 5 s", repeat=3,
    ))

    grey = data.load_image("astronaut", mode="grey")
    ref = data.load_image("coffee", mode="grey")
    out.append(Case(
        "wasserstein_data_solution, 1-D closed form", "512x512 grey, reference 400x600",
        lambda: var.wasserstein_data_solution(grey.ravel(), ref.ravel(), 2.0),
        peer=lambda: (grey.ravel() + 2.0 * np.sort(ref.ravel())[
            (np.argsort(np.argsort(grey.ravel())) * ref.size) // grey.size]) / 3.0,
        peer_name="numpy nearest-rank quantiles (no interval means)",
        quality=lambda ours, peer: f"max |ours - peer| {np.abs(ours[:, 0] - peer).max():.1e}",
        target="< 0.1 s", repeat=5,
    ))

    rng = np.random.default_rng(0)
    X = rng.random((1500, 3))
    Z = rng.random((1500, 3)) ** 2

    def pot_exact():
        plan = ot.emd(np.full(1500, 1 / 1500), np.full(1500, 1 / 1500), ot.dist(X, Z))
        return (X + 2.0 * Z[plan.argmax(axis=1)]) / 3.0

    out.append(Case(
        "wasserstein_data_solution, exact W_2 (McCann)", "N = 1500, d = 3",
        lambda: var.wasserstein_data_solution(X, Z, 2.0), peer=pot_exact, peer_name="ot.emd + interpolant",
        quality=lambda ours, peer: f"max |ours - peer| {np.abs(ours - peer).max():.1e}", target="< 2 s", repeat=3,
    ))

    clean = data.load_image("astronaut", mode="grey", size=256)
    noisy = clean + 0.1 * np.random.default_rng(1).standard_normal(clean.shape)

    def histogram_fit(ours, peer):
        w = lambda u: np.mean((np.sort(u.ravel()) - np.sort(clean.ravel())) ** 2)  # noqa: E731
        psnr = lambda u: 10 * np.log10(1 / np.mean((u - clean) ** 2))  # noqa: E731
        return (f"W_2^2 to clean {w(ours):.1e}, PSNR {psnr(ours):.2f} dB "
                f"(ROF {w(peer):.1e}, {psnr(peer):.2f} dB)")

    out.append(Case(
        "tv_wasserstein_denoise, lambda = 2, rho = 0.08, 30 x 5 iterations", "256x256 grey, noise 0.1",
        lambda: var.tv_wasserstein_denoise(noisy, clean, 2.0, 0.08, n_iter=30, n_inner=5),
        peer=lambda: var.tv_denoise(noisy, 0.08, n_iter=150), peer_name="tv_denoise (ROF, 150 iterations)",
        quality=histogram_fit, target="< 5 s", repeat=3,
    ))
    return out
