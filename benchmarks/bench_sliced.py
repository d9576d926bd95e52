"""Timing cases of ottools.sliced (targets from issue 4), run by ``python benchmarks/run.py``."""

import numpy as np
import ot

from ottools import sliced

from harness import Case, relative_difference  # run.py puts benchmarks/ on sys.path


def cases():
    rng = np.random.default_rng(0)
    out = []

    # SW_2 between two colour-like clouds, 65,536 points in R^3, the same 50 directions for both.
    n, K = 65536, 50
    X = rng.random((n, 3))
    Y = rng.random((n, 3)) ** 2
    theta = sliced.random_directions(K, 3, rng)
    theta_cols = np.ascontiguousarray(theta.T)  # POT takes the directions as columns

    def pot():
        return float(ot.sliced_wasserstein_distance(X, Y, projections=theta_cols))

    out.append(
        Case("sliced_wasserstein_distance", f"N={n}, d=3, K={K}",
             lambda: sliced.sliced_wasserstein_distance(X, Y, directions=theta),
             peer=pot, peer_name="ot.sliced_wasserstein_distance", quality=relative_difference,
             target=">= 10x faster than POT")
    )
    out.append(
        Case("sliced_wasserstein_distance float32", f"N={n}, d=3, K={K}",
             lambda: sliced.sliced_wasserstein_distance(X, Y, directions=theta, precision=np.float32),
             peer=pot, peer_name="ot.sliced_wasserstein_distance", quality=relative_difference,
             target=">= 10x faster than POT")
    )

    # IDT flow (orthonormal basis, step 1) on the same clouds; no peer in POT. Quality: squared
    # SW (256 fixed directions) left after the flow, relative to the start.
    fixed = sliced.random_directions(256, 3, np.random.default_rng(1))
    start = sliced.sliced_energy(X, Y, fixed)
    n_iter = 20

    def flow():
        return sliced.sliced_transport(X, Y, n_iter=n_iter, rng=np.random.default_rng(2))

    def remaining(Z, _peer):
        return f"SW^2 {start:.1e} -> {sliced.sliced_energy(Z, Y, fixed):.1e}"

    out.append(
        Case("sliced_transport (IDT)", f"N={n}, d=3, {n_iter} its", flow, quality=remaining,
             target="20 IDT iterations < 1 s (no peer)", repeat=3)
    )
    return out
