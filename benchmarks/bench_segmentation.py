"""Timing cases of ottools.segmentation, run by ``python benchmarks/run.py --only segmentation``.

Peer: Chan-Vese in the same solver (``data="chan_vese"``: the same total variation and
Chambolle-Pock iterations, a linear data term), the baseline the Wasserstein term replaces; no
scikit-image in the environment. Quality: IoU against the known mask, ours / the peer's. The image
is the one of tour 14 at 256 x 256: inside a disk and a rectangle the values are bimodal, outside
Gaussian, with equal means and variances. Target: a 256 x 256 segmentation (1000 iterations) in
under 3 s on 2 cores.
"""

import numpy as np

from ottools import segmentation as sg

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def _synthetic(n, seed=0, s=0.15, noise=0.0225):
    gen = np.random.default_rng(seed)
    yy, xx = np.mgrid[:n, :n] * (128 / n)
    truth = ((yy - 64) ** 2 + (xx - 60) ** 2 < 35**2) | ((yy > 20) & (yy < 50) & (xx > 80) & (xx < 115))
    draw_in = lambda size: 0.5 + s * gen.choice([-1.0, 1.0], size) + noise * gen.standard_normal(size)
    draw_out = lambda size: 0.5 + np.hypot(s, noise) * gen.standard_normal(size)
    img = np.clip(np.where(truth, draw_in((n, n)), draw_out((n, n))), 0, 1)
    return img, truth, np.clip(draw_in(20000), 0, 1), np.clip(draw_out(20000), 0, 1)


def cases():
    out = []
    for n in (256, 128):
        img, truth, a, b = _synthetic(n)
        lam = 2 * (img.max() - img.min()) / 64
        score = lambda r, truth=truth: max(sg.iou(r[0], truth), sg.iou(~r[0], truth))
        for data, peer_name in (("wasserstein", "chan_vese, same solver"), ("bin_to_bin", "chan_vese, same solver")):
            out.append(Case(
                f"segment, {data} (1000 Chambolle-Pock iterations)", f"{n}x{n} grey",
                lambda img=img, a=a, b=b, lam=lam, data=data: sg.segment(
                    img, a, b, lam=lam if data == "wasserstein" else 0.5, data=data, n_iter=1000, record_every=1000),
                peer=lambda img=img, a=a, b=b: sg.segment(img, a, b, lam=0.02, data="chan_vese", n_iter=1000,
                                                          record_every=1000),
                peer_name=peer_name,
                quality=lambda ours, peer, score=score: f"IoU {score(ours):.3f} (peer {score(peer):.3f})",
                target="< 3 s" if n == 256 else "< 1 s", repeat=3,
            ))
    gen = np.random.default_rng(1)
    img, truth, _, _ = _synthetic(256)
    v = np.array([0.587, -0.299, 0.0]) / np.hypot(0.587, 0.299)  # iso-luminant: the luma cannot tell
    signs = np.where(truth, gen.choice([-1.0, 1.0], truth.shape), 0.0)
    colour = np.clip(0.5 + 0.25 * signs[..., None] * v + 0.02 * gen.standard_normal(truth.shape + (3,)), 0, 1)
    box_in, box_out = sg.box_mask(truth.shape, (100, 160, 80, 160)), sg.box_mask(truth.shape, (220, 256, 0, 256))
    out.append(Case(
        "segment, sliced wasserstein (8 directions, 1000 iterations)", "256x256x3",
        lambda: sg.segment(colour, box_in, box_out, lam=0.02, n_iter=1000, record_every=1000, rng=0),
        peer=lambda: sg.segment(colour @ np.array([0.299, 0.587, 0.114]), box_in, box_out, lam=0.02,
                                n_iter=1000, record_every=1000),
        peer_name="1-D wasserstein on the luma",
        quality=lambda ours, peer: f"IoU {sg.iou(ours[0], truth):.3f} (luma {sg.iou(peer[0], truth):.3f})",
        target="< 8 s", repeat=3,
    ))
    u = 0.2 + 0.6 * np.random.default_rng(2).random((256, 256))
    img, truth, a, b = _synthetic(256)
    out.append(Case(
        "region_gradient (Kantorovich potentials)", "256x256 grey", lambda: sg.region_gradient(u, img, a, b),
        target="< 0.1 s", repeat=5,
    ))
    return out
