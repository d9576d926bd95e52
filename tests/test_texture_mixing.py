"""Tests of ottools.texture_mixing: geodesics, distances and barycenters of spot noises (T19-T22)."""

import numpy as np
import pytest

from ottools import gaussian as gs
from ottools import texture_mixing as mx
from ottools import textures as tx
from ottools import videos as vd
from seeds import make_rng



def _pair(shape, seed=0):
    rng = make_rng(seed)
    return rng.random(shape), rng.random(shape) ** 2


def _ct(A):
    return np.conj(np.swapaxes(A, -1, -2))


@pytest.mark.parametrize("t", [0.0, 0.3, 1.0])
def test_geodesic_per_frequency_identities(t):
    # T19. Explicit rational formulas (no square root). Their rounding error at a frequency grows
    # with the conditioning kappa = |u0| |u1| / |u1^* u0| of the phase alignment (the map
    # pi = u1 u1^* / |u1^* u0| divides by the inner product): a few eps * kappa^2 * scale; we allow
    # 32 eps kappa^2 (measured at most 2.2 over 300 seeds).
    f0, f1 = _pair((9, 8, 3))
    m0, m1 = tx.estimate_model(f0), tx.estimate_model(f1)
    mt = mx.spot_noise_geodesic(m0, m1, t)
    u0, u1 = m0.spot_hat.reshape(-1, 3)[1:], m1.spot_hat.reshape(-1, 3)[1:]  # w = 0 skipped
    ut = mt.spot_hat.reshape(-1, 3)[1:]
    C0, C1 = u0[:, :, None] * np.conj(u0[:, None, :]), u1[:, :, None] * np.conj(u1[:, None, :])
    ip = np.abs(np.sum(np.conj(u1) * u0, -1))
    kappa = np.linalg.norm(u0, axis=-1) * np.linalg.norm(u1, axis=-1) / ip
    bound = 32 * np.finfo(float).eps * kappa**2 * (np.abs(C0).max(axis=(1, 2)) + np.abs(C1).max(axis=(1, 2)))
    pi = C1 / ip[:, None, None]  # the OT map between rank-one covariances
    assert np.all(np.abs(pi @ C0 @ pi - C1).max(axis=(1, 2)) <= bound)  # pi pushes c0 to c1
    L = (1 - t) * np.eye(3) + t * pi
    Ct = L @ C0 @ L  # the Gaussian geodesic of slide 31 (linear part)
    assert np.all(np.abs(Ct - ut[:, :, None] * np.conj(ut[:, None, :])).max(axis=(1, 2)) <= bound)
    # g1 g1^* = u1 u1^*: a unit phase times u1, rounding only (no division by the inner product)
    g1 = mx.spot_noise_geodesic(m0, m1, 1.0).spot_hat.reshape(-1, 3)[1:]
    assert np.abs(g1[:, :, None] * np.conj(g1[:, None, :]) - C1).max() < 1e-12 * np.abs(C1).max()


def test_geodesic_grey_textons_interpolate_moduli():
    # d = 1: |f_t_hat| = (1 - t)|f0_hat| + t|f1_hat| (Xia et al. 2014), a few roundings: 1e-12.
    f0, f1 = _pair((10, 12))
    m0, m1 = tx.estimate_model(f0), tx.estimate_model(f1)
    mt = mx.spot_noise_geodesic(m0, m1, 0.35)
    expected = 0.65 * np.abs(m0.spot_hat) + 0.35 * np.abs(m1.spot_hat)
    assert np.abs(np.abs(mt.spot_hat) - expected).max() < 1e-12 * expected.max()
    assert mt.grey and mx.synthesize(mt, rng=0).shape == (10, 12)


@pytest.mark.parametrize("shape,D", [((12, 10, 3), 2), ((11, 9), 2), ((8, 6, 5, 3), 3)])
def test_geodesic_constant_speed(shape, D):
    # T20: W(mu0, mu_t) = t W(mu0, mu1) with the closed form; sums of N d terms, tol 1e-10.
    f0, f1 = _pair(shape, seed=3)
    d01 = mx.spot_noise_distance(f0, f1, spatial_dims=D)
    for t in (0.2, 0.5, 0.9):
        mt = mx.spot_noise_geodesic(f0, f1, t, spatial_dims=D)
        assert abs(mx.spot_noise_distance(f0, mt, spatial_dims=D) / d01 - t) < 1e-10
        assert abs(mx.spot_noise_distance(mt, f1, spatial_dims=D) / d01 - (1 - t)) < 1e-10


def test_plain_texton_average_is_not_the_geodesic():
    f0, f1 = _pair((12, 10, 3), seed=4)
    m0, m1 = tx.estimate_model(f0), tx.estimate_model(f1)
    avg = tx.GaussianTextureModel(mean=0.5 * (m0.mean + m1.mean), spot_hat=0.5 * (m0.spot_hat + m1.spot_hat),
                                  shape=m0.shape)
    ratio = mx.spot_noise_distance(m0, avg) / mx.spot_noise_distance(m0, m1)
    assert abs(ratio - 0.5) > 0.05  # far from constant speed: the phases were not aligned


def test_distance_closed_form_matches_per_frequency_bures():
    # Bures of rank-one blocks: square roots of singular matrices, exact to rounding since the
    # eigenvalues at rounding level count as 0 (measured 2e-16 and 1.4e-14 over 100 seeds): 1e-11.
    f0, f1 = _pair((8, 7, 3), seed=5)
    m0, m1 = tx.estimate_model(f0), tx.estimate_model(f1)
    g0 = mx.StationaryGaussianModel.from_spot_model(m0)
    g1 = mx.StationaryGaussianModel.from_spot_model(m1)
    assert np.abs(g0.cov_hat - m0.cov_hat).max() < 1e-12 * np.abs(g0.cov_hat).max()
    d_closed, d_bures = mx.spot_noise_distance(m0, m1), mx.spot_noise_distance(g0, g1)
    assert abs(d_closed - d_bures) < 1e-11 * d_closed
    # and against the dense W2 between the two Gaussian vectors of R^{Nd} (tiny grey image)
    h0, h1 = _pair((4, 3), seed=6)
    n0, n1 = tx.estimate_model(h0), tx.estimate_model(h1)
    S0, S1 = tx.covariance_matrix(n0), tx.covariance_matrix(n1)
    mean0, mean1 = np.full(12, n0.mean[0]), np.full(12, n1.mean[0])
    dense = gs.bures_wasserstein_distance(mean0, S0, mean1, S1)
    assert abs(mx.spot_noise_distance(n0, n1) - dense) < 1e-11 * dense


def test_geodesic_spots_are_real_fields():
    # Hermitian symmetry kept: rfft -> irfft round trip exact (irfftn drops any non-Hermitian
    # part), and the spot's imaginary part is zero at self-conjugate frequencies; 1e-12.
    f0, f1 = _pair((8, 6, 3), seed=7)
    mt = mx.spot_noise_geodesic(f0, f1, 0.6)
    back = np.fft.rfftn(mt.spot, axes=(0, 1))
    assert np.abs(back - mt.spot_hat).max() < 1e-12 * np.abs(mt.spot_hat).max()
    sample = mx.synthesize(mt, rng=1)
    assert np.isrealobj(sample) and abs(sample.mean(axis=(0, 1)) - mt.mean).max() < 1e-12


def test_geodesic_endpoints():
    f0, f1 = _pair((7, 9, 3), seed=8)
    m0, m1 = tx.estimate_model(f0), tx.estimate_model(f1)
    assert np.abs(mx.spot_noise_geodesic(m0, m1, 0.0).spot_hat - m0.spot_hat).max() == 0.0
    end = mx.spot_noise_geodesic(m0, m1, 1.0)
    assert mx.spot_noise_distance(end, m1) < 1e-6 * mx.spot_noise_distance(m0, m1)


def _phi_residual(C, covs, w):
    """||Phi(C) - C|| / ||C|| per frequency, Phi(C) = sum_i w_i (C^1/2 C_i C^1/2)^1/2."""
    R = gs.sqrtm(C)
    P = sum(wi * gs.sqrtm(R @ Ci @ R) for wi, Ci in zip(w, covs))
    return np.linalg.norm(P - C, axis=(-2, -1)) / np.linalg.norm(C, axis=(-2, -1))


def test_barycenter_is_a_fixed_point_and_beats_the_euclidean_mean():
    # T21. Rank-deficient square roots are accurate to ~1e-8: residual tol 1e-6.
    rng = make_rng(9)
    ex = [rng.random((10, 8, 3)) ** (k + 1) for k in range(4)]
    w = np.array([0.1, 0.2, 0.3, 0.4])
    bary, report = mx.spot_noise_barycenter(ex, w)
    assert report.converged and report.residuals[-1] <= 1e-10
    C = bary.cov_hat.reshape(-1, 3, 3)[1:]
    covs = [tx.estimate_model(e).cov_hat.reshape(-1, 3, 3)[1:] for e in ex]
    assert _phi_residual(C, covs, w).max() < 1e-6
    assert np.allclose(bary.mean, sum(wi * e.mean(axis=(0, 1)) for wi, e in zip(w, ex)), atol=1e-14)

    def energy(S):
        return sum(wi * gs.bures_distance(S, Ci) ** 2 for wi, Ci in zip(w, covs))

    eucl = sum(wi * Ci for wi, Ci in zip(w, covs))
    assert np.all(energy(C) <= energy(eucl) + 1e-8 * energy(eucl))


def test_barycenter_of_two_is_the_geodesic_point():
    # T21: exact in one coordinate step; covariances compared to 1e-10 relative.
    f0, f1 = _pair((9, 7, 3), seed=10)
    bary, report = mx.spot_noise_barycenter([f0, f1], [0.7, 0.3])
    geo = mx.spot_noise_geodesic(f0, f1, 0.3)
    C, Cg = bary.cov_hat, geo.cov_hat
    assert np.abs(C - Cg).max() < 1e-10 * np.abs(Cg).max()
    assert np.allclose(bary.mean, geo.mean, atol=1e-14)


def _rank_one_triple(shape=(8, 6)):
    """Two-channel spot noises whose spots are g(x) (cos a_i, sin a_i), a_i = 0, 60, 120 degrees:
    at every frequency rank-one covariances |g_hat|^2 e_i e_i^T with a barycenter |g_hat|^2 Id / 4."""
    g = make_rng(11).random(shape)
    angles = np.deg2rad([0.0, 60.0, 120.0])
    return [0.5 + np.stack([np.cos(a) * g, np.sin(a) * g], -1) for a in angles], g


@pytest.mark.parametrize("method", ["multimarginal", "fixed_point", "alvarez_esteban"])
def test_rank_one_triple_gives_a_quarter_of_the_identity(method):
    # T22: three rank-one inputs at 0, 60, 120 degrees; the barycenter is |g_hat|^2 Id / 4 (rank two).
    ex, g = _rank_one_triple()
    # fixed point: here Phi contracts by q = 1/2 per step (measured), so a last residual r < tol
    # leaves an error of about r q / (1 - q) <= tol; Alvarez-Esteban lands on Id / 4 in two steps
    # (the square roots of the rank-one blocks are exact); the multi-marginal solver certifies a
    # relative energy gap, exact here after a few sweeps. Errors measured over 12 seeds:
    # 8e-11, 4e-15, 4e-14; bounds 10 times the tolerance (100 times for the energy gap).
    tol, err_tol = {"multimarginal": (1e-12, 1e-10), "alvarez_esteban": (1e-10, 1e-9),
                    "fixed_point": (1e-10, 1e-9)}[method]
    bary, report = mx.spot_noise_barycenter(ex, method=method, tol=tol)
    assert report.converged
    gm = tx.estimate_model(g)
    expected = np.abs(gm.spot_hat[..., 0])[..., None, None] ** 2 * np.eye(2) / 4
    assert np.abs(bary.cov_hat - expected).max() < err_tol * expected.max()
    assert np.all(bary.ranks().ravel()[1:] == 2)  # not a spot noise


def test_rank_one_initialisation_is_refused_and_would_converge_to_a_wrong_point():
    ex, g = _rank_one_triple()
    C = np.stack([tx.estimate_model(e).cov_hat.reshape(-1, 2, 2)[1:] for e in ex])
    with pytest.raises(ValueError, match="init must be positive definite"):
        gs.bures_barycenter(C, init=C[0])
    # the fixed point by hand from C[0]: Phi(S) lies in the range of S, so it stays rank one
    S = C[0]
    for _ in range(50):
        R = gs.sqrtm(S)
        S = np.mean([gs.sqrtm(R @ Ci @ R) for Ci in C], axis=0)
    good = np.abs(tx.estimate_model(g).spot_hat[..., 0]).reshape(-1)[1:, None, None] ** 2 * np.eye(2) / 4
    assert np.abs(S - good).max() > 0.1 * np.abs(good).max()  # stuck on a rank-one point
    assert np.all(np.linalg.matrix_rank(S, tol=1e-8 * np.abs(S).max()) <= 1)


def test_grey_barycenter_averages_textons():
    # d = 1 (co-diagonal): sqrt(c) = sum_i w_i |t_i_hat|, tol 1e-10.
    rng = make_rng(12)
    ex = [rng.random((9, 10)) ** k for k in (1, 2, 3)]
    w = [0.5, 0.25, 0.25]
    bary, _ = mx.spot_noise_barycenter(ex, w)
    expected = sum(wi * np.abs(tx.estimate_model(e).spot_hat[..., 0]) for wi, e in zip(w, ex))
    assert np.abs(np.abs(bary.root_hat[..., 0, 0]) - expected).max() < 1e-10 * expected.max()
    assert bary.grey and mx.synthesize(bary, rng=0).shape == (9, 10)


def test_barycenter_synthesis_of_a_spot_noise_is_colinear():
    # K_hat W_hat = t_hat (t_hat^* W_hat / |t_hat|): every sample colinear with t_hat, 1e-10.
    f0 = make_rng(13).random((8, 10, 3))
    m = tx.estimate_model(f0)
    g = mx.StationaryGaussianModel.from_spot_model(m)
    f = mx.synthesize(g, rng=2)
    f_hat = np.fft.rfftn(f - f.mean(axis=(0, 1)), axes=(0, 1))
    t = m.spot_hat
    cross = np.linalg.norm(np.cross(f_hat, t), axis=-1)
    assert cross.max() < 1e-10 * np.abs(f_hat).max() * np.abs(t).max()
    assert abs(f.mean(axis=(0, 1)) - m.mean).max() < 1e-12


def test_single_texture_barycenter_and_rank_map():
    f0 = make_rng(14).random((8, 6, 3))
    bary, report = mx.spot_noise_barycenter([f0])
    assert np.abs(bary.cov_hat - tx.estimate_model(f0).cov_hat).max() < 1e-12
    rmap = mx.rank_map(bary)
    assert rmap.shape == (8, 6) and rmap[4, 3] == 0 and set(np.unique(rmap)) <= {0, 1}



def test_video_geodesic_and_barycenter():
    a = vd.wave_video((12, 10, 8), rng=0)
    b = vd.ar1_video((12, 10, 8), rng=1)
    c = vd.cloud_video((12, 10, 8), rng=2)
    d01 = mx.spot_noise_distance(a, b, spatial_dims=3)
    mt = mx.spot_noise_geodesic(a, b, 0.25, spatial_dims=3)
    assert abs(mx.spot_noise_distance(a, mt, spatial_dims=3) / d01 - 0.25) < 1e-10
    video = mx.synthesize(mt, rng=3)
    assert video.shape == (12, 10, 8, 3)
    bary, report = mx.spot_noise_barycenter([a, b, c], spatial_dims=3)
    assert report.converged and mx.synthesize(bary, rng=3).shape == (12, 10, 8, 3)



# ----------------------------------------------------------------------------------------------
# bad inputs
# ----------------------------------------------------------------------------------------------
def test_mixing_textures_of_different_sizes_is_refused():
    with pytest.raises(ValueError, match="same spatial shape"):
        mx.spot_noise_geodesic(np.zeros((8, 8, 3)), np.zeros((8, 9, 3)), 0.5)
    with pytest.raises(ValueError, match="resize"):
        mx.spot_noise_barycenter([np.zeros((8, 8, 3)), np.zeros((6, 8, 3))])


def test_mixing_textures_with_different_channels_is_refused():
    with pytest.raises(ValueError, match="number of channels"):
        mx.spot_noise_distance(np.zeros((8, 8, 3)), np.zeros((8, 8)))


def test_barycenter_weights_off_the_simplex_are_refused():
    ex = [make_rng(k).random((6, 6)) for k in range(3)]
    for w in ([0.5, 0.6, -0.1], [0.2, 0.2, 0.2], [0.5, 0.5]):
        with pytest.raises(ValueError, match="weights"):
            mx.spot_noise_barycenter(ex, w)


def test_bad_mixing_parameters():
    f0, f1 = _pair((6, 6))
    for t in (-0.1, 1.5, np.nan, "0.5"):
        with pytest.raises(ValueError, match="t must"):
            mx.spot_noise_geodesic(f0, f1, t)
    bary, _ = mx.spot_noise_barycenter([f0, f1])
    with pytest.raises(ValueError, match="not a spot noise"):
        mx.spot_noise_geodesic(bary, f1, 0.5)
    with pytest.raises(ValueError, match="method"):
        mx.spot_noise_barycenter([f0, f1], method="newton")
    with pytest.raises(ValueError, match="list"):
        mx.spot_noise_barycenter(f0)


def test_enlarged_models_mix_on_a_common_grid():
    rng = make_rng(15)
    small, big = rng.random((6, 7, 3)), rng.random((9, 9, 3))
    m = tx.enlarge_model(small, (9, 9))
    assert m.shape == (9, 9) and np.allclose(m.mean, small.mean(axis=(0, 1)), atol=1e-15)
    # same samples as the enlarged spot noise of tour 09, same pixel covariance as the exemplar
    assert np.abs(mx.synthesize(m, rng=4) - tx.spot_noise(small, shape=(9, 9), rng=4)).max() < 1e-12
    t_small = tx.estimate_model(small).spot.reshape(-1, 3)
    t_big = m.spot.reshape(-1, 3)
    assert np.abs(t_small.T @ t_small - t_big.T @ t_big).max() < 1e-12
    assert mx.spot_noise_geodesic(m, big, 0.5).shape == (9, 9)
    with pytest.raises(ValueError, match="smaller"):
        tx.enlarge_model(big, (6, 9))


def test_show_on_triangle_places_images_at_their_weights():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ottools import plotting

    imgs = [np.full((4, 4, 3), v) for v in (0.2, 0.5, 0.8)]
    w = np.array([[1, 0, 0], [0, 1, 0], [1 / 3, 1 / 3, 1 / 3]])
    ax = plotting.show_on_triangle(imgs, w, labels=["a", "b", "c"], image_size=0.2)
    centres = [((e[0] + e[1]) / 2, (e[2] + e[3]) / 2) for e in (im.get_extent() for im in ax.images)]
    expected = w @ np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    assert np.allclose(centres, expected, atol=1e-12)
    with pytest.raises(ValueError, match="weights"):
        plotting.show_on_triangle(imgs, w[:2])
    plt.close("all")


def test_barycenter_rank_follows_the_extreme_correlation_matrices():
    # K = 3: rank one at every complex frequency (r^2 <= K); rank 2 only at the real
    # (self-conjugate) ones (r (r + 1) / 2 <= K). K = 6 inputs: rank 2 appears at complex ones.
    rng = make_rng(16)
    ex = [rng.random((16, 16, 3)) ** (k + 1) for k in range(6)]
    real = np.zeros((16, 9), dtype=bool)
    real[np.ix_([0, 8], [0, 8])] = True
    b3, rep3 = mx.spot_noise_barycenter(ex[:3])
    assert rep3.converged and np.all(b3.ranks()[~real] <= 1)
    b6, rep6 = mx.spot_noise_barycenter(ex)
    assert rep6.converged and np.any(b6.ranks()[~real] == 2)


def test_barycenter_scalar_parameters_are_checked():
    ex = [make_rng(k).random((6, 6, 3)) for k in range(3)]
    for bad in (np.nan, np.inf, -1.0, 0.0):  # never a false "converged" after one iteration
        with pytest.raises(ValueError, match="tol"):
            mx.spot_noise_barycenter(ex, tol=bad)
    for bad in (0, -1):
        with pytest.raises(ValueError, match="max_iter"):
            mx.spot_noise_barycenter(ex, max_iter=bad)
    with pytest.raises(TypeError, match="max_iter"):
        mx.spot_noise_barycenter(ex, max_iter=2.5)
    with pytest.raises(ValueError, match="rtol"):
        mx.spot_noise_geodesic(ex[0], ex[1], 0.5, rtol=np.nan)


def test_stationary_model_fields_are_checked():
    bary, _ = mx.spot_noise_barycenter([make_rng(k).random((6, 5, 3)) for k in range(2)])
    with pytest.raises(ValueError, match="mean contains"):
        mx.StationaryGaussianModel(mean=np.array([np.nan, 0.0, 0.0]), root_hat=bary.root_hat, shape=bary.shape)
    with pytest.raises(ValueError, match="root_hat must have shape"):
        mx.StationaryGaussianModel(mean=bary.mean, root_hat=bary.root_hat[:-1], shape=bary.shape)
    with pytest.raises(ValueError, match="positive semi-definite"):
        mx.StationaryGaussianModel(mean=bary.mean, root_hat=-bary.root_hat, shape=bary.shape)
    same = mx.StationaryGaussianModel(mean=bary.mean, root_hat=bary.root_hat, shape=list(bary.shape))
    # the constructor keeps the Hermitian part of root_hat: equal up to rounding
    assert same.shape == bary.shape
    assert np.abs(same.cov_hat - bary.cov_hat).max() <= 1e-14 * np.abs(bary.cov_hat).max()
