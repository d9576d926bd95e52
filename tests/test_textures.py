"""Tests of ottools.textures (the texture model and its synthesis): Fourier diagonalisation, spot noise,
random phase noise, Moisan's periodic component, and the bad inputs.

Tolerances: identities computed by a few FFTs of size N <= 4096 in float64 carry a rounding error
of a few 1e-16 times the data scale times log N, so 1e-12 (relative to the scale) leaves a wide
margin while still catching any wrong constant (1/N, sqrt(N)) or index (x - y versus y - x).
"""

import numpy as np
import pytest

from ottools import textures as tx
from seeds import make_rng



def _brute_force_covariance(f0):
    """Dense covariance of the stationary model from its spatial definition,
    with plain loops over the shifts: Sigma[(x, i), (y, j)] = (1/N) sum_u g_i(u) g_j(u + y - x)."""
    shape, d = f0.shape[:-1], f0.shape[-1]
    N = int(np.prod(shape))
    g = f0 - f0.mean(axis=tuple(range(len(shape))))
    axes = tuple(range(len(shape)))
    c = {}
    for p in np.ndindex(*shape):
        g_shift = np.roll(g, shift=tuple(-q for q in p), axis=axes)  # g_shift(u) = g(u + p)
        c[p] = g.reshape(N, d).T @ g_shift.reshape(N, d) / N
    S = np.zeros(shape + (d,) + shape + (d,))
    for x in np.ndindex(*shape):
        for y in np.ndindex(*shape):
            p = tuple((b - a) % n for a, b, n in zip(x, y, shape))
            S[x + (slice(None),) + y + (slice(None),)] = c[p]
    return S.reshape(N * d, N * d)


# --------------------------------------------------------------------------------------------
# T13: Fourier diagonalisation of the stationary covariance
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(5, 4, 3), (6, 5, 1), (3, 4, 2, 3)])
def test_fourier_covariance_matches_brute_force(shape, rng):
    f0 = rng.random(shape)
    spatial_dims = len(shape) - 1
    model = tx.estimate_model(f0, periodic=False, spatial_dims=spatial_dims)
    S = _brute_force_covariance(f0)
    v = rng.standard_normal(shape)
    scale = np.abs(S).max() * np.abs(v).sum()
    # Sigma v by FFT = brute-force matrix-vector product (rounding of a few FFTs: 2.7e-15 measured)
    assert np.abs(tx.apply_covariance(model, v).ravel() - S @ v.ravel()).max() <= 1e-12 * scale
    # the module's dense matrix (built from the spatial formula, no FFT) is the same matrix
    assert np.abs(tx.covariance_matrix(model) - S).max() <= 1e-12 * np.abs(S).max()


def test_fourier_covariance_has_the_1_over_N_factor(rng):
    """Slide 28 prints c_hat = f0_hat f0_hat^* (no 1/N): the correct one is (1/N) g_hat g_hat^*."""
    f0 = rng.random((6, 5, 3))
    model = tx.estimate_model(f0, periodic=False)
    g_hat = np.fft.fft2(f0 - f0.mean(axis=(0, 1)), axes=(0, 1))
    v = rng.standard_normal(f0.shape)
    v_hat = np.fft.fft2(v, axes=(0, 1))
    c_hat = np.einsum("abi,abj->abij", g_hat, g_hat.conj()) / f0[..., 0].size
    expected = np.fft.ifft2(np.einsum("abij,abj->abi", c_hat, v_hat), axes=(0, 1))
    assert np.abs(expected.imag).max() < 1e-12
    assert np.allclose(tx.apply_covariance(model, v), expected.real, rtol=0, atol=1e-12)


def test_covariance_rank_is_number_of_nonzero_frequencies(rng):
    """Spot noise: c_hat(w) has rank one at every w != 0 where g_hat(w) != 0, zero at w = 0, so
    the Nd x Nd matrix has rank N - 1 (not Nd) for a generic exemplar: it is singular."""
    f0 = rng.random((4, 5, 3))
    S = tx.covariance_matrix(tx.estimate_model(f0, periodic=False))
    eig = np.linalg.eigvalsh(S)
    # eigenvalues are |g_hat(w)|^2 / N, of order 1e-2 here; rounding is below 1e-14
    assert np.sum(eig > 1e-10) == f0[..., 0].size - 1
    assert eig.min() > -1e-12


# --------------------------------------------------------------------------------------------
# Cholesky path (slide 27) versus FFT path
# --------------------------------------------------------------------------------------------
def test_cholesky_and_fft_paths_agree_on_a_tiny_image(rng):
    f0 = rng.random((16, 16))
    model = tx.estimate_model(f0)
    f, A, eps = tx.cholesky_synthesis(model, rng=0, return_factor=True)
    N = f0.size
    # covariance of the FFT path, column by column: Sigma e_k = apply_covariance(model, e_k)
    S_fft = np.stack([tx.apply_covariance(model, e.reshape(16, 16)).ravel() for e in np.eye(N)], axis=1)
    # A A^T = Sigma + eps Id up to the Cholesky backward error (~ N u ||Sigma||), 1e-10 relative
    scale = np.abs(S_fft).max()
    assert np.abs(A @ A.T - eps * np.eye(N) - S_fft).max() <= 1e-10 * scale
    assert f.shape == f0.shape and np.all(np.isfinite(f))


def test_cholesky_needs_the_jitter(rng):
    """The spot-noise covariance is singular: a plain Cholesky factorisation fails on it."""
    model = tx.estimate_model(rng.random((8, 8, 3)))
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(tx.covariance_matrix(model))


# --------------------------------------------------------------------------------------------
# T14: spot noise (ADSN)
# --------------------------------------------------------------------------------------------
def _wedge(a, b):
    """max |a_i b_j - a_j b_i| over channel pairs, per frequency: 0 iff a and b are colinear."""
    return np.abs(a[..., :, None] * b[..., None, :] - a[..., None, :] * b[..., :, None]).max()


@pytest.mark.parametrize("shape", [None, (20, 17)])
def test_spot_noise_single_sample_colinear_with_exemplar(shape, rng):
    f0 = rng.random((12, 10, 3))
    model = tx.estimate_model(f0)
    out_shape = model.shape if shape is None else shape
    f = tx.spot_noise(model, shape=shape, rng=1)
    f_hat = np.fft.fft2(f - model.mean, axes=(0, 1))
    t_pad = np.zeros(out_shape + (3,))
    t_pad[:12, :10] = model.spot
    t_hat = np.fft.fft2(t_pad, axes=(0, 1))
    scale = np.abs(f_hat).max() * np.abs(t_hat).max()
    assert _wedge(f_hat, t_hat) <= 1e-10 * scale
    # with one noise per channel the output spectrum is NOT colinear: the test can fail
    g = tx.spot_noise(model, shape=shape, rng=1, shared_noise=False)
    g_hat = np.fft.fft2(g - model.mean, axes=(0, 1))
    assert _wedge(g_hat, t_hat) > 1e-3 * scale


@pytest.mark.parametrize("shape", [None, (25, 31)])
@pytest.mark.parametrize("random_phase", [False, True])
def test_synthesis_mean_is_exact(shape, random_phase, rng):
    f0 = rng.random((13, 11, 3))
    synth = tx.random_phase_noise if random_phase else tx.spot_noise
    f = synth(f0, shape=shape, rng=2)
    # the spot has zero mean, so f_hat(0) = N_out m for every sample (rounding only)
    assert np.abs(f.mean(axis=(0, 1)) - tx.periodic_component(f0).mean(axis=(0, 1))).max() < 1e-12
    assert np.abs(f.mean(axis=(0, 1)) - f0.mean(axis=(0, 1))).max() < 1e-12


def _relative_periodogram_error(f0, K, shared_noise):
    model = tx.estimate_model(f0, periodic=False)
    N = f0[..., 0].size
    g_hat = np.fft.fft2(f0 - f0.mean(axis=(0, 1)), axes=(0, 1))
    target = np.einsum("abi,abj->abij", g_hat, g_hat.conj())
    rng = make_rng(3)
    acc = np.zeros_like(target)
    for _ in range(K):
        f_hat = np.fft.fft2(tx.spot_noise(model, rng=rng, shared_noise=shared_noise) - model.mean, axes=(0, 1))
        acc += np.einsum("abi,abj->abij", f_hat, f_hat.conj())
    assert N > 1
    return np.linalg.norm(acc / K - target) / np.linalg.norm(target)


def test_spot_noise_monte_carlo_covariance(rng):
    """E[f_hat f_hat^*] = g_hat g_hat^*: the averaged periodogram of K samples is within 3/sqrt(K)
    (relative Frobenius; measured 0.0495 at K = 400; per frequency |W_hat|^2 / N is
    exponential(1), so the relative error of an average of K is ~1/sqrt(K))."""
    f0 = rng.random((8, 8, 3))
    K = 400
    assert _relative_periodogram_error(f0, K, shared_noise=True) <= 3 / np.sqrt(K)
    # independent noises kill the cross-channel terms: the same check fails clearly
    assert _relative_periodogram_error(f0, K, shared_noise=False) > 3 / np.sqrt(K)


def test_enlarged_spot_noise_keeps_the_pixel_covariance(rng):
    """Zero-padding the spot keeps Cov(f(x)) = sum_u t(u) t(u)^T = (1/N) sum (f0 - m)(f0 - m)^T;
    averaged over K samples and all pixels, within 3/sqrt(K) relative."""
    f0 = rng.random((8, 8, 3))
    model = tx.estimate_model(f0)
    target = np.einsum("abi,abj->ij", model.spot, model.spot)
    K = 100
    rng = make_rng(4)
    samples = np.stack([tx.spot_noise(model, shape=(24, 24), rng=rng) for _ in range(K)]) - model.mean
    emp = np.einsum("kabi,kabj->ij", samples, samples) / samples[..., 0].size
    assert np.linalg.norm(emp - target) / np.linalg.norm(target) <= 3 / np.sqrt(K)


def test_spot_noise_is_colour_equivariant(rng):
    """With one shared noise, synthesising a linear recolouring A f0 + b is recolouring the
    synthesis (same seed): the model respects the correlations between channels."""
    f0 = rng.random((9, 14, 3))
    A = rng.standard_normal((3, 3))
    b = rng.standard_normal(3)
    f = tx.spot_noise(f0, rng=5)
    g = tx.spot_noise(f0 @ A.T + b, rng=5)
    assert np.allclose(g, f @ A.T + b, rtol=0, atol=1e-12)
    wrong = tx.spot_noise(f0 @ A.T + b, rng=5, shared_noise=False)
    assert not np.allclose(wrong, f @ A.T + b, rtol=0, atol=1e-3)


def test_float32_and_float64_agree(rng):
    f0 = rng.random((32, 32, 3))
    f64 = tx.spot_noise(f0, shape=(64, 48), rng=6)
    f32 = tx.spot_noise(f0, shape=(64, 48), rng=6, dtype=np.float32)
    # same seed: float32 noise is a different stream, so compare statistics, not pixels
    assert f32.dtype == np.float32 and f32.shape == f64.shape
    assert np.abs(f32.mean(axis=(0, 1)) - f64.mean(axis=(0, 1))).max() < 1e-5
    assert np.allclose(f32.std(axis=(0, 1)), f64.std(axis=(0, 1)), rtol=0.2)


def test_seeds_are_reproducible_and_grey_layout_kept(rng):
    f0 = rng.random((10, 12))
    a = tx.spot_noise(f0, shape=(20, 20), rng=7)
    b = tx.spot_noise(f0, shape=(20, 20), rng=np.random.default_rng(7))  # an int seed is default_rng(seed)
    assert a.shape == (20, 20) and np.array_equal(a, b)
    # a grey image and the same image with one channel axis give the same numbers
    c = tx.spot_noise(f0[..., None], shape=(20, 20), rng=7)
    assert c.shape == (20, 20, 1) and np.allclose(c[..., 0], a, rtol=0, atol=1e-14)


# --------------------------------------------------------------------------------------------
# T15: random phase noise
# --------------------------------------------------------------------------------------------
def test_random_phase_noise_modulus_and_phase_differences(rng):
    f0 = rng.random((15, 12, 3))
    p = tx.periodic_component(f0)
    f = tx.random_phase_noise(f0, rng=8)
    assert f.dtype == np.float64 and f.shape == f0.shape  # real in, real out
    p_hat = np.fft.fft2(p, axes=(0, 1))
    f_hat = np.fft.fft2(f, axes=(0, 1))
    scale = np.abs(p_hat).max()
    # |RPN_hat| = |p_hat| deterministically (irfftn would silently drop a non-Hermitian part,
    # which would break this equality: it also checks the odd symmetry of the phase)
    assert np.abs(np.abs(f_hat) - np.abs(p_hat)).max() <= 1e-10 * scale
    # inter-channel phase differences kept: cross-spectra f_i f_j^* equal p_i p_j^*
    cross = lambda a_hat: a_hat[..., :, None] * a_hat[..., None, :].conj()
    assert np.abs(cross(f_hat) - cross(p_hat)).max() <= 1e-10 * scale**2
    # one phase per channel breaks them (the test can fail); compared at w != 0 only
    g_hat = np.fft.fft2(tx.random_phase_noise(f0, rng=8, shared_noise=False), axes=(0, 1))
    ac_scale = np.abs(p_hat[1:]).max()
    assert np.abs(cross(g_hat) - cross(p_hat)).max() > 0.1 * ac_scale**2


def test_enlarged_random_phase_noise_modulus(rng):
    """On a larger domain, |f_hat| = sqrt(N_out) |t_hat| with t the zero-padded spot (w != 0)."""
    f0 = rng.random((10, 9, 3))
    model = tx.estimate_model(f0)
    f = tx.random_phase_noise(model, shape=(16, 21), rng=9)
    t_pad = np.zeros((16, 21, 3))
    t_pad[:10, :9] = model.spot
    expected = np.sqrt(16 * 21) * np.abs(np.fft.fft2(t_pad, axes=(0, 1)))
    got = np.abs(np.fft.fft2(f - model.mean, axes=(0, 1)))
    assert np.abs(got - expected).max() <= 1e-10 * expected.max()


# --------------------------------------------------------------------------------------------
# T16: Moisan's periodic + smooth decomposition
# --------------------------------------------------------------------------------------------
def _lap_per(u, D):
    return sum(2 * u - np.roll(u, 1, axis=k) - np.roll(u, -1, axis=k) for k in range(D))


def _lap_int(u, D):
    out = np.zeros_like(u)
    for k in range(D):
        diff = np.diff(u, axis=k)  # u(x + e_k) - u(x), for pairs inside the domain
        lo = [slice(None)] * u.ndim
        hi = [slice(None)] * u.ndim
        lo[k] = slice(0, -1)
        hi[k] = slice(1, None)
        out[tuple(lo)] -= diff
        out[tuple(hi)] += diff
    return out


@pytest.mark.parametrize("shape,D", [((17, 12, 3), 2), ((9, 10), 2), ((6, 7, 5, 3), 3), ((1, 8, 2), 2)])
def test_moisan_identities(shape, D, rng):
    u = rng.random(shape) + np.linspace(0, 3, shape[0]).reshape((-1,) + (1,) * (len(shape) - 1))
    p, s = tx.periodic_smooth_decomposition(u, spatial_dims=D)
    assert p.shape == u.shape and s.shape == u.shape
    assert np.abs(p + s - u).max() <= 1e-12 * np.abs(u).max()  # u = p + s
    assert np.abs(_lap_per(p, D) - _lap_int(u, D)).max() <= 1e-12 * np.abs(u).max()
    assert np.abs(s.mean(axis=tuple(range(D)))).max() <= 1e-12  # mean(s) = 0
    # Lap_per s = v vanishes off the border: s is (discrete) harmonic inside
    inner = tuple(slice(1, -1) if n > 2 else slice(None) for n in u.shape[:D])
    if all(n > 2 for n in u.shape[:D]):
        assert np.abs(_lap_per(s, D)[inner]).max() <= 1e-12 * np.abs(u).max()
    # border jumps are reduced
    jumps = lambda a: sum(np.sum((np.take(a, 0, axis=k) - np.take(a, -1, axis=k)) ** 2) for k in range(D))
    if max(u.shape[:D]) > 2:
        assert jumps(p) < jumps(u)


def test_moisan_on_signals(rng):
    u = rng.random((9, 2)) + np.arange(9)[:, None]
    p, s = tx.periodic_smooth_decomposition(u, spatial_dims=1)
    assert np.abs(_lap_per(p, 1) - _lap_int(u, 1)).max() <= 1e-12 * np.abs(u).max()
    assert np.abs(s.mean(axis=0)).max() <= 1e-12


@pytest.mark.parametrize("shape,D", [((12, 9, 3), 2), ((7, 8), 2), ((5, 6, 4, 2), 3)])
def test_model_spot_is_the_centred_normalised_periodic_component(shape, D, rng):
    """estimate_model works in Fourier (no inverse FFT); it must agree with the spatial definition."""
    f0 = rng.random(shape)
    model = tx.estimate_model(f0, spatial_dims=D)
    p = tx.periodic_component(f0, spatial_dims=D)
    axes = tuple(range(D))
    mean = p.mean(axis=axes)
    t = (p - mean) / np.sqrt(np.prod(shape[:D]))
    assert np.allclose(model.mean, np.atleast_1d(mean), rtol=0, atol=1e-14)
    assert np.allclose(model.spot, t if len(shape) > D else t[..., None], rtol=0, atol=1e-14)
    same = tx.GaussianTextureModel.from_spot(model.mean, model.spot)
    assert np.allclose(same.spot_hat, model.spot_hat, rtol=0, atol=1e-13)


def test_smooth_part_vanishes_iff_opposite_borders_agree(rng):
    u = rng.random((11, 13, 3))
    u[-1] = u[0]
    u[:, -1] = u[:, 0]
    p, s = tx.periodic_smooth_decomposition(u)
    assert np.abs(s).max() <= 1e-12 and np.array_equal(tx.periodic_component(u), p)
    # a sampled periodic cosine has u(0) != u(n-1): s != 0 even though its periodisation is smooth
    x = np.arange(16)
    cosine = np.cos(2 * np.pi * np.add.outer(x, x) / 16)
    assert np.abs(tx.periodic_smooth_decomposition(cosine)[1]).max() > 1e-3
    # a single changed border pixel makes s non-zero
    u[0, 5, 1] += 0.5
    assert np.abs(tx.periodic_smooth_decomposition(u)[1]).max() > 1e-3


def test_periodic_component_removes_the_spectral_cross(rng):
    """The border jumps of a non-periodic image put energy on the two frequency axes (the cross);
    the periodic component removes most of it."""
    x = np.linspace(0, 1, 64)
    u = np.add.outer(x, 2 * x) + 0.1 * rng.random((64, 64))  # a ramp: strong border jumps
    def axis_energy(a):
        a_hat = np.abs(np.fft.fft2(a - a.mean())) ** 2
        return (a_hat[0, 1:].sum() + a_hat[1:, 0].sum()) / a_hat.sum()
    assert axis_energy(tx.periodic_component(u)) < 0.2 * axis_energy(u)


# --------------------------------------------------------------------------------------------
# constant images and bad inputs
# --------------------------------------------------------------------------------------------
def test_constant_image_gives_the_constant(rng):
    f0 = np.full((9, 7, 3), [0.2, 0.5, 0.9])
    for synth in (tx.spot_noise, tx.random_phase_noise):
        f = synth(f0, shape=(12, 10), rng=0)  # RuntimeWarnings are errors in ottools (pyproject)
        assert np.allclose(f, [0.2, 0.5, 0.9], rtol=0, atol=1e-14)
    assert np.allclose(tx.periodic_component(f0), f0, rtol=0, atol=1e-14)
    model = tx.estimate_model(f0)
    assert np.abs(tx.apply_covariance(model, rng.random((9, 7, 3)))).max() < 1e-14


def test_bad_number_of_dimensions():
    with pytest.raises(ValueError, match="f0 must be an image of shape"):
        tx.spot_noise(np.zeros(5))
    with pytest.raises(ValueError, match="spatial_dims=3"):
        tx.spot_noise(np.zeros((4, 4, 4, 3)))
    with pytest.raises(ValueError, match="u must be"):
        tx.periodic_component(np.zeros((2, 2, 2, 2, 2)), spatial_dims=3)


def test_nan_is_refused(rng):
    f0 = rng.random((6, 6, 3))
    f0[2, 3, 1] = np.nan
    with pytest.raises(ValueError, match="f0 contains 1 NaN"):
        tx.random_phase_noise(f0)
    with pytest.raises(ValueError, match="u contains"):
        tx.periodic_component(f0)


def test_complex_input_is_refused():
    with pytest.raises(ValueError, match="f0 must be real"):
        tx.estimate_model(np.ones((4, 4), dtype=complex))


def test_output_smaller_than_exemplar_is_refused(rng):
    f0 = rng.random((10, 12, 3))
    with pytest.raises(ValueError, match="smaller than the exemplar"):
        tx.spot_noise(f0, shape=(20, 8))
    with pytest.raises(ValueError, match="shape must have 2 entries"):
        tx.spot_noise(f0, shape=(20, 20, 3))
    with pytest.raises(TypeError, match=r"shape\[0\] must be an integer"):
        tx.random_phase_noise(f0, shape=(20.5, 20))
    with pytest.raises(ValueError, match="memory"):
        tx.spot_noise(f0, shape=(10**6, 10**6))


def test_bad_parameters(rng):
    f0 = rng.random((6, 6, 3))
    with pytest.raises(ValueError, match="spatial_dims"):
        tx.spot_noise(f0, spatial_dims=4)
    with pytest.raises(ValueError, match="rng"):
        tx.spot_noise(f0, rng="seed")
    with pytest.raises(ValueError, match="dtype"):
        tx.spot_noise(f0, dtype=np.int32)
    model = tx.estimate_model(f0)
    with pytest.raises(ValueError, match="v must have the exemplar's shape"):
        tx.apply_covariance(model, np.zeros((6, 5, 3)))
    with pytest.raises(ValueError, match="model must be a GaussianTextureModel"):
        tx.apply_covariance(f0, f0)
    with pytest.raises(ValueError, match="jitter"):
        tx.cholesky_synthesis(tx.estimate_model(rng.random((4, 4))), jitter=0.0)


def test_dense_covariance_is_refused_at_image_size():
    with pytest.raises(ValueError, match="apply_covariance"):
        tx.covariance_matrix(tx.estimate_model(np.zeros((64, 64, 3))))


def test_log_spectrum_and_its_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ottools import plotting

    u = np.cos(2 * np.pi * 3 * np.arange(16) / 16)[None, :] * np.ones((10, 1))  # 3 cycles along axis 1
    spec = tx.log_spectrum(u)
    assert spec.shape == (10, 16)
    peaks = np.argwhere(spec > 0.5 * spec.max())
    # fftshift puts frequency 0 at index (5, 8): the cosine's two peaks are at (5, 8 +- 3)
    assert sorted(map(tuple, peaks)) == [(5, 5), (5, 11)]
    ax = plotting.plot_log_spectrum(np.stack([u, u, u], -1), title="cosine")
    assert ax.get_title() == "cosine"
    plt.close(ax.figure)


def test_video_spot_noise_mean_and_colinearity(rng):
    """Videos (n1, n2, n3, d) use 3-D FFTs: same identities as for images."""
    f0 = rng.random((6, 7, 5, 3))
    model = tx.estimate_model(f0, spatial_dims=3)
    f = tx.spot_noise(model, shape=8, rng=11)  # an int: a cube
    assert f.shape == (8, 8, 8, 3)
    assert np.abs(f.mean(axis=(0, 1, 2)) - model.mean).max() < 1e-12
    f_hat = np.fft.fftn(f - model.mean, axes=(0, 1, 2))
    t_pad = np.zeros((8, 8, 8, 3))
    t_pad[:6, :7, :5] = model.spot
    t_hat = np.fft.fftn(t_pad, axes=(0, 1, 2))
    assert _wedge(f_hat, t_hat) <= 1e-10 * np.abs(f_hat).max() * np.abs(t_hat).max()


def test_from_spot_checks_its_inputs():
    with pytest.raises(ValueError, match="spot must have shape"):
        tx.GaussianTextureModel.from_spot(np.zeros(3), np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match="mean must be 1-D"):
        tx.GaussianTextureModel.from_spot(np.zeros((3, 1)), np.zeros((4, 4, 3)))


def test_model_fields_are_checked(rng):
    model = tx.estimate_model(rng.random((6, 5, 3)))
    with pytest.raises(ValueError, match="mean contains"):  # a NaN mean would give NaN textures
        tx.GaussianTextureModel(mean=np.array([np.nan, 0.5, 0.5]), spot_hat=model.spot_hat, shape=(6, 5))
    with pytest.raises(ValueError, match="spot_hat must have shape"):  # an IndexError later, before
        tx.GaussianTextureModel(mean=model.mean, spot_hat=model.spot_hat[:, :2], shape=(6, 5))
    with pytest.raises(ValueError, match="zero frequency"):
        tx.GaussianTextureModel(mean=model.mean, spot_hat=model.spot_hat + 1.0, shape=(6, 5))
    same = tx.GaussianTextureModel(mean=model.mean.tolist(), spot_hat=model.spot_hat, shape=[6, 5])
    assert same.shape == (6, 5) and np.array_equal(tx.spot_noise(same, rng=1), tx.spot_noise(model, rng=1))
    assert np.allclose(model.cov_hat, model.spot_hat[..., :, None] * np.conj(model.spot_hat[..., None, :]))
    with pytest.raises(ValueError, match="jitter"):
        tx.cholesky_synthesis(tx.estimate_model(rng.random((4, 4))), jitter=np.nan)
