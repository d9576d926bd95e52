"""Tests of ottools.gaussian: closed forms, identities and invariances of the Bures-Wasserstein geometry.

Tolerances: products of a few well-conditioned 3 x 3 matrices in float64 carry errors of about
1e-14 relative, so identities between positive definite matrices are checked to 1e-10. Identities
through the map or the geodesic of rank-deficient covariances involve the pseudo-inverse of a
matrix whose zero eigenvalues are rounding noise: they are checked to 1e-6 relative.
Every draw comes from the seeded ``rng`` fixture (tests/conftest.py) or ``make_rng``: the suite
passes for every OTTOOLS_TEST_SEED.
"""

import numpy as np
import ot
import pytest
from scipy.optimize import linear_sum_assignment

from ottools import gaussian as g
from seeds import make_rng


def rand_spd(rng, k, d, floor=0.1):
    B = rng.standard_normal((k, d, d))
    return B @ np.swapaxes(B, -1, -2) / d + floor * np.eye(d)


def rot(theta):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def rotated(theta, a):
    return rot(theta) @ np.diag([1.0, a**2]) @ rot(theta).T


# ---------------------------------------------------------------- matrix functions


@pytest.mark.parametrize("complex_", [False, True])
def test_matrix_functions_batched(rng, complex_):
    B = rng.standard_normal((50, 4, 4)) + (1j * rng.standard_normal((50, 4, 4)) if complex_ else 0)
    S = B @ np.conj(np.swapaxes(B, -1, -2)) + 0.1 * np.eye(4)
    R = g.sqrtm(S)
    assert np.allclose(R @ R, S, atol=1e-12 * np.abs(S).max())
    assert np.allclose(R, np.conj(np.swapaxes(R, -1, -2)), atol=1e-13)
    assert np.linalg.eigvalsh(R).min() > 0
    Q = g.inv_sqrtm(S)
    assert np.allclose(Q @ S @ Q, np.eye(4), atol=1e-10)
    assert np.allclose(g.pinv(S) @ S, np.eye(4), atol=1e-10)
    assert np.allclose(g.expm(g.logm(S)), S, atol=1e-10 * np.abs(S).max())
    # every matrix of the batch equals the one computed alone
    assert np.allclose(g.sqrtm(S[7]), R[7], atol=1e-13)


def test_matrix_functions_singular(rng):
    u = rng.standard_normal((3, 1))
    S = u @ u.T  # rank one: the square root is u u^T / |u|
    # the rounding eigenvalues (~1e-16 |S|) count as 0, so the root is exact to rounding, not sqrt(eps)
    R = g.sqrtm(S)
    assert np.abs(R - S / np.linalg.norm(u)).max() <= 1e-13 * np.linalg.norm(u)
    P = g.pinv(S)
    assert np.allclose(P, np.linalg.pinv(S), atol=1e-10)
    assert np.allclose(g.inv_sqrtm(S) @ S @ g.inv_sqrtm(S), S / np.trace(S), atol=1e-10)
    with pytest.raises(ValueError, match="positive definite"):
        g.logm(S)


@pytest.mark.parametrize("scale", [1e-30, 1.0, 1e30])
def test_singularity_is_decided_relative_to_the_scale(rng, scale):
    """logm refuses every rank-deficient matrix whatever the sign of its rounding noise (an absolute
    test after clipping accepted about half of random rank-one matrices), at any scale; a well
    conditioned matrix at the same scale is accepted."""
    U = rng.standard_normal((200, 3, 2))
    S = scale * U @ np.swapaxes(U, -1, -2)  # 200 rank-two 3 x 3 matrices
    for k in range(S.shape[0]):
        with pytest.raises(ValueError, match="positive definite"):
            g.logm(S[k])
    with pytest.raises(ValueError, match="positive definite"):
        g.rao_barycenter(np.stack([scale * np.eye(3), S[0]]))
    L = g.logm(scale * np.diag([1.0, 2.0, 4.0]))
    assert np.allclose(np.diag(L), np.log(scale) + np.log([1.0, 2.0, 4.0]), rtol=1e-12)
    # the square root of a singular matrix is singular (exactly: no sqrt(eps) noise eigenvalue)
    R = g.sqrtm(S[:5])
    assert np.all(np.abs(np.linalg.eigvalsh(R)[:, 0]) <= 1e-13 * np.linalg.eigvalsh(R)[:, -1])


def test_matrix_function_agrees_with_scipy(rng):
    from scipy.linalg import expm, logm, sqrtm

    S = rand_spd(rng, 1, 3)[0]
    assert np.allclose(g.sqrtm(S), sqrtm(S), atol=1e-12)
    assert np.allclose(g.logm(S), logm(S), atol=1e-10)
    H = S - 2 * np.eye(3)
    assert np.allclose(g.expm(H), expm(H), atol=1e-10)


# ---------------------------------------------------------------- distance and map (T17)


def test_map_pushes_S0_to_S1(rng):
    S0, S1 = rand_spd(rng, 2, 3)
    A = g.bures_map(S0, S1)
    assert np.allclose(A @ S0 @ A, S1, atol=1e-10)
    assert np.allclose(A, A.T, atol=1e-14)
    assert np.linalg.eigvalsh(A).min() >= 0


def test_equivalent_forms_of_the_map(rng):
    S0, S1 = rand_spd(rng, 2, 3)
    slide = g.bures_map(S0, S1, form="slide")
    standard = g.bures_map(S0, S1, form="standard")
    R0 = g.sqrtm(S0)
    by_hand = np.linalg.inv(R0) @ g.sqrtm(R0 @ S1 @ R0) @ np.linalg.inv(R0)
    assert np.allclose(slide, standard, atol=1e-10)
    assert np.allclose(slide, by_hand, atol=1e-10)
    # the other reading of slide 30, S1^{-1/2} S01 S1^{-1/2}, is wrong
    R1 = g.sqrtm(S1)
    wrong = np.linalg.inv(R1) @ g.sqrtm(R1 @ S0 @ R1) @ np.linalg.inv(R1)
    assert not np.allclose(wrong, slide, atol=1e-2)
    # two expressions of tr S01 (symmetric in 0 and 1), and the eigenvalues of S0 S1
    t01 = np.trace(g.sqrtm(R0 @ S1 @ R0))
    t10 = np.trace(g.sqrtm(R1 @ S0 @ R1))
    t_eig = np.sqrt(np.linalg.eigvals(S0 @ S1).real).sum()
    assert abs(t01 - t10) < 1e-10 and abs(t01 - t_eig) < 1e-10


def test_map_singular_target(rng):
    S0 = rand_spd(rng, 1, 3)[0]
    u = rng.standard_normal((3, 2))
    S1 = u @ u.T  # rank 2
    A = g.bures_map(S0, S1)
    assert np.allclose(A @ S0 @ A, S1, atol=1e-6)
    assert np.allclose(A, g.bures_map(S0, S1, form="standard"), atol=1e-6)


def test_rank_one_to_rank_one_map_xia_conditions(rng):
    u0, u1 = rng.standard_normal((2, 2, 1))
    S0, S1 = u0 @ u0.T, u1 @ u1.T  # kernel conditions hold unless u0 is orthogonal to u1
    A = g.bures_map(S0, S1)
    assert np.allclose(A @ S0 @ A, S1, atol=1e-6)


def test_no_map_to_a_higher_rank(rng):
    u = rng.standard_normal((3, 1))
    with pytest.raises(ValueError, match="no linear map"):
        g.bures_map(u @ u.T, np.eye(3))


def test_slide_printed_map_sends_mean_to_wrong_place(rng):
    m0, m1 = rng.standard_normal((2, 3))
    S0, S1 = rand_spd(rng, 2, 3)
    A, b = g.ot_map(m0, S0, m1, S1)
    assert np.allclose(A @ m0 + b, m1, atol=1e-12)
    printed = A @ m0 + m1 - m0  # T(x) = S x + m1 - m0 of slides 30-31
    assert np.linalg.norm(printed - m1) > 0.1
    assert np.allclose(printed - m1, A @ m0 - m0)  # wrong by exactly S m0 - m0


def test_pushforward_covariance_exact_and_monte_carlo_cost(rng):
    m0, m1 = rng.standard_normal((2, 3))
    S0, S1 = rand_spd(rng, 2, 3)
    A, b = g.ot_map(m0, S0, m1, S1)
    X = rng.multivariate_normal(m0, S0, size=400_000)
    Y = X @ A.T + b
    mX, SX = g.estimate(X)
    mY, SY = g.estimate(Y)
    assert np.allclose(SY, A @ SX @ A, atol=1e-12)  # exact: linear algebra, no sampling
    assert np.allclose(mY, A @ mX + b, atol=1e-12)
    # Monte Carlo cost: relative std of ||x - T x||^2 over 4e5 samples is about 2e-3
    cost = np.mean(np.sum((X - Y) ** 2, axis=1))
    w2 = g.bures_wasserstein_distance(m0, S0, m1, S1)
    assert cost == pytest.approx(w2**2, rel=1e-2)


def test_distance_closed_forms(rng):
    # commuting: W2^2 = |m0 - m1|^2 + sum (sqrt l0 - sqrt l1)^2
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    l0, l1 = rng.uniform(0.1, 2, (2, 3))
    m0, m1 = rng.standard_normal((2, 3))
    S0, S1 = Q @ np.diag(l0) @ Q.T, Q @ np.diag(l1) @ Q.T
    expected = np.sqrt(np.sum((m0 - m1) ** 2) + np.sum((np.sqrt(l0) - np.sqrt(l1)) ** 2))
    assert g.bures_wasserstein_distance(m0, S0, m1, S1) == pytest.approx(expected, abs=1e-12)
    # 1-D: (m0 - m1)^2 + (s0 - s1)^2
    assert g.bures_wasserstein_distance([1.0], [[4.0]], [-2.0], [[0.25]]) == pytest.approx(
        np.hypot(3.0, 1.5), abs=1e-12
    )
    # equal covariances: distance of the means, map the identity
    assert g.bures_wasserstein_distance(m0, S0, m1, S0) == pytest.approx(np.linalg.norm(m0 - m1), abs=1e-12)
    assert np.allclose(g.bures_map(S0, S0), np.eye(3), atol=1e-12)
    # identical Gaussians, singular: 0 and no NaN from a -1e-13 square
    u = rng.standard_normal((3, 1))
    assert g.bures_wasserstein_distance(m0, u @ u.T, m0, u @ u.T) < 1e-7


def test_distance_batched_and_symmetric(rng):
    S0, S1 = rand_spd(rng, 5, 3), rand_spd(rng, 5, 3)
    m0, m1 = rng.standard_normal((2, 5, 3))
    D = g.bures_wasserstein_distance(m0, S0, m1, S1)
    assert D.shape == (5,)
    assert np.allclose(D, g.bures_wasserstein_distance(m1, S1, m0, S0), atol=1e-10)
    assert D[2] == pytest.approx(g.bures_wasserstein_distance(m0[2], S0[2], m1[2], S1[2]), abs=1e-14)


def test_agrees_with_pot(rng):
    # POT 0.9: bures_wasserstein_distance returns W2 (not squared), bures_wasserstein_mapping
    # returns (A, b) with b = mt - ms A, the same affine map
    S0, S1 = rand_spd(rng, 2, 4)
    m0, m1 = rng.standard_normal((2, 4))
    W = ot.gaussian.bures_wasserstein_distance(m0, m1, S0, S1)
    assert g.bures_wasserstein_distance(m0, S0, m1, S1) == pytest.approx(float(W), abs=1e-10)
    Ap, bp = ot.gaussian.bures_wasserstein_mapping(m0, m1, S0, S1)
    A, b = g.ot_map(m0, S0, m1, S1)
    assert np.allclose(A, Ap, atol=1e-10) and np.allclose(b, np.ravel(bp), atol=1e-10)
    covs, means = rand_spd(rng, 5, 4), rng.standard_normal((5, 4))
    w = rng.dirichlet(np.ones(5))
    mp, Sp = ot.gaussian.bures_wasserstein_barycenter(means, covs, w, eps=1e-13, num_iter=2000)
    (m, S), _ = g.ot_barycenter(means, covs, w, tol=1e-12)
    assert np.allclose(m, mp, atol=1e-12) and np.allclose(S, Sp, atol=1e-10)


def test_closed_form_against_exact_discrete_ot():
    """Exact OT between two samples of N points: (i) Gelbrich's bound, W2 between the empirical
    measures >= W2 between the Gaussians fitted to them, holds exactly for every sample;
    (ii) it approaches the closed form of the true Gaussians (loose: relative fluctuations of
    the empirical W2 are about 0.02-0.05 at N = 600 in d = 2, measured over seeds)."""
    rng = make_rng(1)
    m0, m1 = np.array([0.0, 0.0]), np.array([2.0, 1.0])
    S0, S1 = rotated(0.3, 0.5), 2 * rotated(1.2, 0.3)
    w2 = g.bures_wasserstein_distance(m0, S0, m1, S1)
    for n in (50, 200, 600):
        X = rng.multivariate_normal(m0, S0, n)
        Y = rng.multivariate_normal(m1, S1, n)
        C = np.sum((X[:, None] - Y[None]) ** 2, axis=-1)
        r, c = linear_sum_assignment(C)
        w_emp = np.sqrt(C[r, c].mean())
        assert w_emp >= g.bures_wasserstein_distance(*g.estimate(X), *g.estimate(Y)) - 1e-12
    assert abs(w_emp - w2) / w2 < 0.1


# ---------------------------------------------------------------- geodesic (T18)


def test_geodesic_constant_speed_and_endpoints(rng):
    S0, S1 = rand_spd(rng, 2, 3)
    m0, m1 = rng.standard_normal((2, 3))
    ts = np.linspace(0, 1, 7)
    mt, St = g.geodesic(m0, S0, m1, S1, ts)
    assert St.shape == (7, 3, 3) and mt.shape == (7, 3)
    assert np.allclose(St[0], S0, atol=1e-12) and np.allclose(St[-1], S1, atol=1e-10)
    W = g.bures_wasserstein_distance(m0, S0, m1, S1)
    d0 = g.bures_wasserstein_distance(m0, S0, mt, St)
    d1 = g.bures_wasserstein_distance(mt, St, m1, S1)
    # compared squared: W2 of two equal Gaussians is the square root of a 1e-16 rounding error
    assert np.allclose(d0**2, (ts * W) ** 2, atol=1e-10)
    assert np.allclose(d1**2, ((1 - ts) * W) ** 2, atol=1e-10)


def test_geodesic_commuting_closed_form(rng):
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    l0, l1 = rng.uniform(0.1, 2, (2, 3))
    S0, S1 = Q @ np.diag(l0) @ Q.T, Q @ np.diag(l1) @ Q.T
    t = 0.3
    expected = Q @ np.diag(((1 - t) * np.sqrt(l0) + t * np.sqrt(l1)) ** 2) @ Q.T
    assert np.allclose(g.bures_geodesic(S0, S1, t), expected, atol=1e-12)


def test_geodesic_uses_the_linear_part_not_the_affine_map(rng):
    S0, S1 = rand_spd(rng, 2, 2)
    m0, m1 = np.array([3.0, -1.0]), np.array([0.5, 2.0])
    _, St = g.geodesic(m0, S0, m1, S1, 0.5)
    A, b = g.ot_map(m0, S0, m1, S1)
    M = 0.5 * np.eye(2) + 0.5 * A
    assert np.allclose(St, M @ S0 @ M, atol=1e-12)
    X = rng.multivariate_normal(m0, S0, 2000)
    Xt = 0.5 * X + 0.5 * (X @ A.T + b)  # displacement interpolation of samples
    assert np.allclose(g.estimate(Xt)[1], M @ g.estimate(X)[1] @ M, atol=1e-12)


def test_geodesic_rank_deficient_both_directions(rng):
    S0 = rand_spd(rng, 1, 2)[0]
    u = rng.standard_normal((2, 1))
    S1 = u @ u.T
    for t in (0.25, 0.75):
        forward = g.bures_geodesic(S0, S1, t)
        backward = g.bures_geodesic(S1, S0, 1 - t)  # computed from the full-rank end internally
        assert np.allclose(forward, backward, atol=1e-6)
    assert np.allclose(g.bures_geodesic(S1, S0, 1.0), S0, atol=1e-6)


def test_geodesic_between_orthogonal_segments():
    # rank-one Gaussians on orthogonal lines: no linear map exists (kernel conditions fail), every
    # coupling is optimal; the geodesic through the optimal coupling still has constant speed
    S0, S1 = np.diag([1.0, 0.0]), np.diag([0.0, 4.0])
    ts = np.linspace(0, 1, 5)
    St = g.bures_geodesic(S0, S1, ts)
    assert np.allclose(St[2], np.diag([0.25, 1.0]), atol=1e-12)
    W = g.bures_distance(S0, S1)
    assert np.allclose(g.bures_distance(S0, St) ** 2, (ts * W) ** 2, atol=1e-10)


# ---------------------------------------------------------------- barycenters (T21-T23)


@pytest.mark.parametrize("method", ["fixed_point", "alvarez_esteban"])
def test_barycenter_fixed_point_residual(rng, method):
    covs = rand_spd(rng, 6, 3)
    w = rng.dirichlet(np.ones(6))
    S, rep = g.bures_barycenter(covs, w, method=method)
    phi = sum(wi * g.sqrtm(g.sqrtm(S) @ C @ g.sqrtm(S)) for wi, C in zip(w, covs))
    assert np.linalg.norm(phi - S) / np.linalg.norm(S) < 1e-10
    assert rep.converged and rep.iterations == len(rep.residuals)
    # the barycenter minimises the weighted sum of squared Bures distances
    def energy(M):
        return sum(wi * g.bures_distance(M, C) ** 2 for wi, C in zip(w, covs))

    E = energy(S)
    for _ in range(5):
        H = rng.standard_normal((3, 3))
        assert energy(S + 1e-3 * (H + H.T)) > E


def test_both_methods_same_limit(rng):
    covs = rand_spd(rng, 4, 3)
    S1, _ = g.bures_barycenter(covs, method="fixed_point")
    S2, r2 = g.bures_barycenter(covs, method="alvarez_esteban")
    assert np.allclose(S1, S2, atol=1e-9)


def test_two_inputs_give_the_geodesic_point(rng):
    S0, S1 = rand_spd(rng, 2, 3)
    m0, m1 = rng.standard_normal((2, 3))
    t = 0.3
    (m, S), _ = g.ot_barycenter(np.stack([m0, m1]), np.stack([S0, S1]), [1 - t, t])
    mt, St = g.geodesic(m0, S0, m1, S1, t)
    assert np.allclose(m, mt, atol=1e-14) and np.allclose(S, St, atol=1e-9)


def test_commuting_barycenter_closed_form(rng):
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    L = rng.uniform(0.1, 2, (4, 3))
    covs = Q @ (L[:, :, None] * np.eye(3)) @ Q.T
    w = rng.dirichlet(np.ones(4))
    expected = Q @ np.diag((w @ np.sqrt(L)) ** 2) @ Q.T
    S, _ = g.bures_barycenter(covs, w)
    assert np.allclose(S, expected, atol=1e-10)
    R, _ = g.rao_barycenter(covs, w)
    assert np.allclose(R, Q @ np.diag(np.exp(w @ np.log(L))) @ Q.T, atol=1e-10)


def test_rank_one_triple_gives_quarter_identity():
    """The rank-one start pitfall (Xia et al. 2014, released code): from a rank-one start the
    iteration stays rank one; from the Euclidean mean it reaches Id / 4."""
    covs = np.stack([rotated(th, 0.0) for th in (0, np.pi / 3, 2 * np.pi / 3)])
    for method in ("fixed_point", "alvarez_esteban"):
        S, rep = g.bures_barycenter(covs, method=method)
        assert np.allclose(S, np.eye(2) / 4, atol=1e-8), method
    # a singular init is refused, whatever its scale and its rounding noise
    for init in (covs[0], covs[1], 1e-20 * covs[2], np.diag([1.0, 1e-17])):
        with pytest.raises(ValueError, match="init must be positive definite"):
            g.bures_barycenter(covs, init=init)
    # by hand from diag(1, 0): Phi(S) stays proportional to it and converges to the wrong point
    S_bad = covs[0].copy()
    for _ in range(60):
        R = g.sqrtm(S_bad)
        S_bad = np.mean([g.sqrtm(R @ C @ R) for C in covs], axis=0)
    assert np.allclose(S_bad, np.diag([4 / 9, 0.0]), atol=1e-10)  # the wrong fixed point

    def energy(M):
        return np.mean([g.bures_distance(M, C) ** 2 for C in covs])

    assert energy(np.eye(2) / 4) == pytest.approx(0.5, abs=1e-8)
    assert energy(S_bad) == pytest.approx(5 / 9, abs=1e-8)


def test_batched_complex_barycenter(rng):
    # per-frequency use of ottools.textures: a batch of 8 problems of 3 Hermitian 2 x 2 covariances
    B = rng.standard_normal((3, 8, 2, 2)) + 1j * rng.standard_normal((3, 8, 2, 2))
    covs = B @ np.conj(np.swapaxes(B, -1, -2))
    w = np.array([0.2, 0.5, 0.3])
    S, rep = g.bures_barycenter(covs, w)
    assert S.shape == (8, 2, 2) and rep.converged
    S3, _ = g.bures_barycenter(covs[:, 3], w)
    assert np.allclose(S[3], S3, atol=1e-9)
    R = g.sqrtm(S3)
    phi = sum(wi * g.sqrtm(R @ C @ R) for wi, C in zip(w, covs[:, 3]))
    assert np.allclose(phi, S3, atol=1e-9 * np.abs(S3).max())


def test_rao_determinant_identity_and_loewner_order(rng):
    for a in (0.1, 0.5):
        covs = np.stack([rotated(th, a) for th in (0, np.pi / 3, 2 * np.pi / 3)])
        for _ in range(5):
            w = rng.dirichlet(np.ones(3))
            R, rep = g.rao_barycenter(covs, w)
            assert rep.converged
            assert np.linalg.det(R) == pytest.approx(np.prod(np.linalg.det(covs) ** w), rel=1e-10)
            (_, S), _ = g.ot_barycenter(np.zeros((3, 2)), covs, w)
            E = g.euclidean_barycenter(covs, w)
            assert np.linalg.eigvalsh(E - S).min() >= -1e-10  # OT <= Euclidean


def test_rao_is_affine_invariant(rng):
    covs = rand_spd(rng, 3, 3)
    w = rng.dirichlet(np.ones(3))
    G = rng.standard_normal((3, 3))
    R, _ = g.rao_barycenter(covs, w)
    RG, _ = g.rao_barycenter(G @ covs @ G.T, w)
    assert np.allclose(RG, G @ R @ G.T, atol=1e-9 * np.abs(RG).max())


def test_estimate_weighted(rng):
    X = rng.standard_normal((20, 3))
    m, S = g.estimate(X)
    assert np.allclose(m, X.mean(0)) and np.allclose(S, np.cov(X.T, bias=True))
    a = rng.dirichlet(np.ones(20))
    m, S = g.estimate(X, a=a)
    assert np.allclose(S, np.cov(X.T, aweights=a, bias=True))


# ---------------------------------------------------------------- bad inputs


def test_rejects_non_symmetric():
    with pytest.raises(ValueError, match="S0 must be symmetric"):
        g.bures_wasserstein_distance([0, 0], [[1.0, 0.5], [0.0, 1.0]], [0, 0], np.eye(2))
    with pytest.raises(ValueError, match="S must be symmetric"):
        g.sqrtm(np.array([[1.0, 2.0], [0.0, 1.0]]))


def test_rejects_indefinite():
    with pytest.raises(ValueError, match="S1 must be positive semi-definite"):
        g.ot_map([0, 0], np.eye(2), [0, 0], np.diag([1.0, -1e-3]))
    with pytest.raises(ValueError, match="positive semi-definite"):
        g.sqrtm(np.diag([1.0, -0.5]))
    with pytest.raises(ValueError, match="covs must be positive semi-definite"):
        g.bures_barycenter(np.stack([np.eye(2), -np.eye(2)]))


def test_rejects_mismatched_dimensions():
    with pytest.raises(ValueError, match="same dimension"):
        g.bures_distance(np.eye(2), np.eye(3))
    with pytest.raises(ValueError, match="m1 must have shape"):
        g.geodesic([0, 0], np.eye(2), [0, 0, 0], np.eye(2), 0.5)
    with pytest.raises(ValueError, match="same number of Gaussians"):
        g.ot_barycenter(np.zeros((2, 2)), np.stack([np.eye(2)] * 3))
    with pytest.raises(ValueError, match="square"):
        g.sqrtm(np.ones((2, 3)))


def test_rejects_weights_off_the_simplex():
    covs = np.stack([np.eye(2)] * 3)
    with pytest.raises(ValueError, match="weights must sum to 1"):
        g.bures_barycenter(covs, [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="weights must be non-negative"):
        g.rao_barycenter(covs, [1.5, -0.5, 0.0])
    with pytest.raises(ValueError, match="one weight per point"):
        g.euclidean_barycenter(covs, [0.5, 0.5])


def test_rejects_bad_time_and_method_and_nan():
    with pytest.raises(ValueError, match="t must be"):
        g.bures_geodesic(np.eye(2), np.eye(2), 1.5)
    with pytest.raises(ValueError, match="method"):
        g.bures_barycenter(np.stack([np.eye(2)] * 2), method="newton")
    with pytest.raises(ValueError, match="NaN"):
        g.sqrtm(np.array([[np.nan, 0.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="positive definite"):
        g.rao_barycenter(np.stack([np.eye(2), np.diag([1.0, 0.0])]))


def test_non_convergence_is_reported(rng):
    covs = rand_spd(rng, 3, 3)
    with pytest.warns(RuntimeWarning, match="did not reach"):
        _, rep = g.ot_barycenter(np.zeros((3, 3)), covs, max_iter=2)
    assert not rep.converged and rep.iterations == 2 and len(rep.residuals) == 2
    with pytest.warns(RuntimeWarning, match="did not reach"):
        _, rep = g.rao_barycenter(covs, max_iter=1, tol=1e-30)
    assert not rep.converged
