"""Timing cases of ottools.colorization, run by ``python benchmarks/run.py --only colorization``.

Peers: Welsh, Ashikhmin and Mueller's nearest neighbour among 200 exemplar pixels (``method="welsh"``
of the same module: no peer library colours a grey image) for the whole colorization, and POT's exact
network simplex (``ot.emd2``) for the balanced transport programme. Quality: the chroma error against
the truth (the photograph we turned grey), ours / the peer's / the grey image's; the relative gap of
the transport values. Targets (issue 16): a 256 x 256 colorization in under 10 s on 2 cores; one
transport programme of 60 x 120 clusters well under a second, so that a widget's frames can be
precomputed.
"""

import numpy as np
import ot

from ottools import colorization as cz
from ottools import data

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def _errors(truth, grey):
    base = cz.chroma_error(np.repeat(grey[..., None], 3, 2), truth)

    def quality(ours, peer):
        text = f"E_ab {cz.chroma_error(ours[0], truth):.2f}"
        if peer is not None:
            text += f" (Welsh {cz.chroma_error(peer[0], truth):.2f})"
        return text + f", grey {base:.2f}"

    return quality


def cases():
    tulips = data.load_image("tulips")  # 768 x 512
    exemplar, right = tulips[:, :384], tulips[:, 384:]
    out = []
    for truth, label, target in ((right[128:384, 64:320], "256x256 target, 512x384 exemplar", "< 10 s"),
                                 (right, "512x384 target, 512x384 exemplar", "< 10 s")):
        grey = cz.to_grey(truth)
        out.append(Case(
            "colorize, relaxed OT kappa = (0.2, 5), 60 x 120 clusters", label,
            lambda g=grey: cz.colorize(g, exemplar, rng=0),
            peer=lambda g=grey: cz.colorize(g, exemplar, method="welsh", rng=0), peer_name="Welsh et al. (ours)",
            quality=_errors(truth, grey), target=target, repeat=3,
        ))
    grey = cz.to_grey(right[128:384, 64:320])
    out.append(Case(
        "colorize, relaxed + graph TV rho = 10", "256x256 target, 512x384 exemplar",
        lambda: cz.colorize(grey, exemplar, rho=10.0, rng=0), target="< 10 s", repeat=3,
        quality=_errors(right[128:384, 64:320], grey),
    ))
    _, rep = cz.colorize(grey, exemplar, rng=0)
    X, Y = rep.target_centroids, rep.exemplar_centroids
    a, b = rep.target_masses, rep.exemplar_masses
    M = ot.dist(X, Y)
    out.append(Case(
        "relaxed_transport, balanced kappa = (1, 1)", f"{len(X)} x {len(Y)} clusters",
        lambda: cz.relaxed_transport(X, Y, a=a, b=b, kappa=(1, 1)),
        peer=lambda: ot.emd2(a, b, M), peer_name="POT emd2",
        quality=lambda ours, peer: f"value gap {abs(ours[1] - peer) / peer:.1e}", target="< 1 s", repeat=5,
    ))
    for kappa, rho in (((0.2, 5.0), 0.0), ((0.2, 5.0), 10.0)):
        out.append(Case(
            f"relaxed_transport, kappa = {kappa}, rho = {rho:g}", f"{len(X)} x {len(Y)} clusters",
            lambda k=kappa, r=rho: cz.relaxed_transport(X, Y, a=a, b=b, kappa=k, rho=r, values=rep.exemplar_chroma),
            quality=lambda ours, peer: f"value {ours[1]:.2f}", target="< 1 s", repeat=5,
        ))
    return out
