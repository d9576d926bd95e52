"""Timing cases of ottools.gaussian (targets from issue 7), run by ``python benchmarks/run.py``."""

import numpy as np
import ot
import scipy.linalg

from ottools import gaussian

from harness import Case  # run.py puts benchmarks/ on sys.path


def _spd(rng, shape, d):
    B = rng.standard_normal(shape + (d, d))
    return B @ np.swapaxes(B, -1, -2) / d + 0.1 * np.eye(d)


def _phi_residual(S, covs, w):
    R = gaussian.sqrtm(S)
    P = np.tensordot(w, gaussian.sqrtm(R @ covs @ R), axes=(0, 0))
    return np.linalg.norm(P - S) / np.linalg.norm(S)


def _bures_scipy_error(D, P0, P1, n=200):
    """Largest deviation from the textbook formula with scipy.linalg.sqrtm on the first n pairs."""
    err = 0.0
    for k in range(n):
        R = scipy.linalg.sqrtm(P0[k]).real
        b2 = np.trace(P0[k] + P1[k] - 2 * scipy.linalg.sqrtm(R @ P1[k] @ R).real)
        err = max(err, abs(D[k] - np.sqrt(max(b2, 0.0))))
    return err


def cases():
    rng = np.random.default_rng(0)
    out = []

    # OT barycenter of 10 random 3 x 3 Gaussians to a relative fixed-point residual of 1e-10.
    K, d = 10, 3
    covs = _spd(rng, (K,), d)
    means = rng.standard_normal((K, d))
    w = rng.dirichlet(np.ones(K))
    scale = np.linalg.norm(np.tensordot(w, covs, axes=(0, 0)))

    def pot():  # POT stops on the absolute change ||C_{k+1} - C_k||_F < eps
        return ot.gaussian.bures_wasserstein_barycenter(means, covs, w, eps=1e-10 * scale, num_iter=1000)

    def quality(ours, peer):
        (_, S), rep = ours
        text = f"{rep.iterations} it., residual {_phi_residual(S, covs, w):.0e}"
        if peer is not None:
            text += f", max diff POT {np.abs(S - peer[1]).max():.0e}"
        return text

    for method in ("fixed_point", "alvarez_esteban"):
        out.append(
            Case(f"ot_barycenter {method}", f"K={K} Gaussians, d={d}, tol 1e-10",
                 lambda method=method: gaussian.ot_barycenter(means, covs, w, tol=1e-10, method=method),
                 peer=pot, peer_name="ot.gaussian.bures_wasserstein_barycenter", quality=quality,
                 target="< 50 iterations, < 10 ms", repeat=20)
        )

    # Bures distance between 20,000 pairs of 3 x 3 SPD matrices (checks included: one
    # eigendecomposition per input, the one of S0 reused for its square root).
    n_pairs = 20_000
    P0, P1 = _spd(rng, (n_pairs,), 3), _spd(rng, (n_pairs,), 3)

    out.append(
        Case("bures_distance (batched, checked)", f"{n_pairs} pairs 3x3", lambda: gaussian.bures_distance(P0, P1),
             quality=lambda ours, peer: f"max |ours - scipy| {_bures_scipy_error(ours, P0, P1):.0e} (first 200)",
             target="< 150 ms", repeat=7)
    )

    # Batched square root of 65,536 3 x 3 SPD matrices (one per frequency of a 256 x 256 image).
    n = 65536
    S = _spd(rng, (n,), 3)

    def sqrt_quality(ours, peer):
        text = f"max |R R - S| {np.abs(ours @ ours - S).max():.0e}"
        if peer is not None:
            text += f" (scipy {np.abs(peer @ peer - S).max():.0e})"
        return text

    out.append(
        Case("sqrtm (eigh, batched)", f"{n} matrices 3x3", lambda: gaussian.sqrtm(S),
             peer=lambda: scipy.linalg.sqrtm(S), peer_name="scipy.linalg.sqrtm (batched, Schur)",
             quality=sqrt_quality, target="faster than scipy", repeat=5)
    )

    # Per-frequency barycenters as ottools.textures needs them: 3 colour spectra, one Hermitian
    # 3 x 3 covariance per frequency (half plane of 128 x 128: 8192 problems), full rank.
    F = 128 * 64
    B = rng.standard_normal((3, F, 3, 3)) + 1j * rng.standard_normal((3, F, 3, 3))
    spectra = B @ np.conj(np.swapaxes(B, -1, -2)) / 3 + 0.1 * np.eye(3)
    lam = np.array([0.5, 0.3, 0.2])

    def batch_quality(ours, peer):
        S, rep = ours
        return f"{rep.iterations} it., max residual {rep.residuals[-1]:.0e}"

    for method in ("fixed_point", "alvarez_esteban"):
        out.append(
            Case(f"bures_barycenter batched complex {method}", f"3 x {F} Hermitian 3x3, tol 1e-10",
                 lambda method=method: gaussian.bures_barycenter(spectra, lam, method=method),
                 quality=batch_quality, target="(per-frequency use by ottools.textures)", repeat=3)
        )
    return out
