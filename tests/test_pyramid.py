"""Tests of ottools.pyramid (the undecimated steerable pyramid in the Fourier domain).

Tolerances: the masks are products of a few cosines, sines and a logarithm (each correct to about
1 ulp), and the bands come from FFTs of size N <= 4096 in float64, whose rounding error is a few
1e-16 times the data scale times log N. So 1e-14 on sums of squared masks (measured up to 3.6e-15) and
1e-12 on FFT identities, relative to the scale of the data (measured a few 1e-15), leave a margin
(about 3 for the masks at K = 8, deterministic; 100 or more for the FFT identities) while still catching any wrong constant (alpha_K, a missing square root, a factor 2 in
a radius) or index (an orientation off by one, a sign of theta).
"""

import math

import numpy as np
import pytest

from ottools import pyramid as pyr
from seeds import make_rng

SHAPES = [(32, 32), (33, 31), (32, 27), (17, 40), (8, 9)]  # even, odd and mixed sizes


def _neg_index(M):
    """``M(-omega)`` on numpy's FFT grid: index ``-k mod n`` along the last two axes."""
    H, W = M.shape[-2:]
    return M[..., (-np.arange(H)) % H, :][..., (-np.arange(W)) % W]


def _L(s):
    """L(s) written independently of the module: scalar math, one branch per case."""
    if s <= 0.5:
        return 1.0
    if s >= 1.0:
        return 0.0
    return math.cos(math.pi / 2 * math.log2(2 * s))


def _mask_value(w1, w2, J, K, b):
    """|psi_b| and psi_b at one frequency (w1, w2) in [-pi, pi)^2 from the published formulas,
    with atan2 and math.cos (not the module's dot-product form of cos(theta - phi))."""
    r = math.hypot(w1, w2) / math.pi
    theta = math.atan2(w1, w2)
    n = K - 1
    if b == 0:
        return math.sqrt(1 - _L(r) ** 2)
    if b == 1 + J * K:
        return _L(2**J * r)
    j, k = divmod(b - 1, K)
    alpha = math.sqrt(4**n * math.factorial(n) ** 2 / (K * math.factorial(2 * n)))
    radial = _L(2**j * r) * math.sqrt(1 - _L(2 ** (j + 1) * r) ** 2)
    return (-1j) ** n * alpha * math.cos(theta - math.pi * k / K) ** n * radial


def _reference_masks(shape, J, K):
    """Every mask by a scalar loop over the frequencies (small grids only)."""
    H, W = shape
    f1, f2 = np.fft.fftfreq(H), np.fft.fftfreq(W)
    out = np.zeros((2 + J * K, H, W), dtype=complex)
    for b in range(2 + J * K):
        for p in range(H):
            for q in range(W):
                out[b, p, q] = _mask_value(2 * math.pi * f1[p], 2 * math.pi * f2[q], J, K, b)
    return out


def _grating(shape, m1, m2, phase=0.3):
    """cos(2 pi (m1 x1 / H + m2 x2 / W) + phase): one pair of frequencies +-omega of the grid."""
    H, W = shape
    x1, x2 = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")
    return np.cos(2 * np.pi * (m1 * x1 / H + m2 * x2 / W) + phase)


# --------------------------------------------------------------------------------------------
# masks
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("K", range(1, 9))
def test_squared_masks_sum_to_one(shape, K):
    # Parseval frame: the radial parts telescope and sum_k alpha_K^2 cos^(2n) = 1. Deterministic;
    # measured 2.2e-16 (K = 1) growing with the power 2n = 2K - 2 of the rounded cosines to 3.6e-15
    # (K = 8): 1e-14 holds with a margin while any wrong alpha_K or radial factor gives >= 1e-3
    for J in sorted({1, pyr.max_scales(shape)}):
        masks, bands = pyr.steerable_masks(shape, J, K)
        assert masks.shape == (2 + J * K,) + shape and len(bands) == 2 + J * K
        assert np.abs((np.abs(masks) ** 2).sum(axis=0) - 1).max() <= 1e-14


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("K", [1, 2, 3, 4, 7, 8])
def test_masks_are_hermitian_and_vanish_beyond_nyquist(shape, K):
    J = pyr.max_scales(shape)
    masks, _ = pyr.steerable_masks(shape, J, K)
    # psi(-omega) = conj(psi(omega)): exact by construction (an odd angular factor); 1e-15 allows
    # one rounding of a libm
    assert np.abs(_neg_index(masks) - masks.conj()).max() <= 1e-15
    H, W = shape
    r = np.hypot(*np.meshgrid(2 * np.fft.fftfreq(H), 2 * np.fft.fftfreq(W), indexing="ij"))
    outside = r >= 1
    # the oriented bands and the low-pass vanish exactly for r >= 1 (Nyquist lines, corners) ...
    assert np.all(masks[1:, outside] == 0)
    # ... where the high-pass is exactly 1; and only the low-pass sees the zero frequency
    assert np.all(masks[0, outside] == 1)
    assert masks[-1, 0, 0] == 1 and np.all(masks[:-1, 0, 0] == 0)
    # real for odd K (n even), purely imaginary oriented masks for even K (n odd)
    if K % 2:
        assert np.all(masks.imag == 0)
    else:
        assert np.all(masks[1:-1].real == 0) and np.all(masks[[0, -1]].imag == 0)


@pytest.mark.parametrize("shape, J, K", [((12, 9), 1, 4), ((16, 16), 2, 3), ((9, 16), 1, 8), ((19, 24), 2, 1)])
def test_masks_match_the_formulas_computed_independently(shape, J, K):
    # scalar math with atan2 against the module's vectorised dot-product form: rounding only
    ref = _reference_masks(shape, J, K)
    masks, _ = pyr.steerable_masks(shape, J, K)
    assert np.abs(masks - ref).max() <= 1e-12


def test_band_descriptions():
    masks, bands = pyr.steerable_masks((32, 32), 2, 3)
    assert [b.kind for b in bands] == ["high"] + ["band"] * 6 + ["low"]
    assert bands[0] == pyr.Band("high", None, None) and bands[-1] == pyr.Band("low", 2, None)
    assert [(b.scale, b.orientation) for b in bands[1:-1]] == [(j, k) for j in range(2) for k in range(3)]
    coeffs, bands2 = pyr.analysis(np.zeros((32, 32)), 2, 3)
    assert bands2 == bands


def test_isotropic_pyramid_has_radial_masks():
    # K = 1: n = 0, alpha_1 = 1, no angular factor: masks depend on r only, hence are invariant
    # under the transposition (omega_1, omega_2) -> (omega_2, omega_1) of a square grid
    masks, _ = pyr.steerable_masks((32, 32), 3, 1)
    assert np.all(masks.imag == 0)
    assert np.abs(masks - np.swapaxes(masks, 1, 2)).max() <= 1e-15


def test_steerability():
    """The band at any angle phi is a fixed linear combination of the K bands of its scale
    (Freeman-Adelson steering: cos^n(theta - phi) lies in the span of cos^n(theta - pi k / K))."""
    rng = make_rng(1)
    shape, J, K = (48, 40), 2, 4
    n = K - 1
    H, W = shape
    w1, w2 = np.meshgrid(2 * np.pi * np.fft.fftfreq(H), 2 * np.pi * np.fft.fftfreq(W), indexing="ij")
    theta = np.arctan2(w1, w2)
    phi = rng.uniform(0, np.pi)
    # steering weights from the angular functions on K generic angles: solve A w = b
    t = np.linspace(0.1, np.pi, K, endpoint=False)
    A = np.cos(t[:, None] - np.pi * np.arange(K)[None] / K) ** n
    weights = np.linalg.solve(A, np.cos(t - phi) ** n)
    img = rng.standard_normal(shape)
    coeffs, _ = pyr.analysis(img, J, K)
    j = 1
    steered = np.tensordot(weights, coeffs[1 + j * K:1 + (j + 1) * K], axes=1)
    radial = pyr.steerable_masks(shape, J, 1)[0][1 + j].real  # K = 1: the radial part L(2^j r) Hr(2^(j+1) r)
    alpha = math.sqrt(4**n * math.factorial(n) ** 2 / (K * math.factorial(2 * n)))
    direct_mask = (-1j) ** n * alpha * np.cos(theta - phi) ** n * radial
    direct = np.fft.ifft2(direct_mask * np.fft.fft2(img))
    # the steered combination is the band at angle phi (FFT rounding; ill-conditioning of A is mild)
    assert np.abs(direct.imag).max() <= 1e-12 * np.abs(img).max()
    assert np.abs(steered - direct.real).max() <= 1e-12 * np.abs(img).max()  # measured 1e-16


# --------------------------------------------------------------------------------------------
# analysis and synthesis
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(32, 32), (33, 31), (32, 27), (17, 40, 3), (64, 48, 3), (45, 45, 2)])
@pytest.mark.parametrize("K", [1, 4, 8])
def test_perfect_reconstruction_and_parseval(shape, K, rng):
    img = 3.0 * rng.standard_normal(shape) + 1.0  # any real values, not only an image in [0, 1]
    scale = np.abs(img).max()
    for J in sorted({1, pyr.max_scales(shape)}):
        coeffs, _ = pyr.analysis(img, J, K)
        assert coeffs.shape == (2 + J * K,) + shape
        # measured at most 2.6e-15 and 4.4e-16 (sizes up to 256 x 256); 1e-12 relative to the image's scale
        assert np.abs(pyr.synthesis(coeffs, J, K) - img).max() <= 1e-12 * scale
        assert abs((coeffs**2).sum() / (img**2).sum() - 1) <= 1e-12


@pytest.mark.parametrize("shape", [(32, 27), (40, 40, 3)])
def test_synthesis_is_the_adjoint_and_analysis_synthesis_a_projection(shape, rng):
    J, K = 2, 4
    img = rng.standard_normal(shape)
    C = rng.standard_normal((2 + J * K,) + shape)  # not the pyramid of any image
    A_img, _ = pyr.analysis(img, J, K)
    S_C = pyr.synthesis(C, J, K)
    lhs, rhs = np.vdot(A_img, C), np.vdot(img, S_C)
    # <A f, C> = <f, S C>, rounding relative to ||A f|| ||C|| (Cauchy-Schwarz bound of each side)
    assert abs(lhs - rhs) <= 1e-12 * np.linalg.norm(A_img) * np.linalg.norm(C)
    P_C, _ = pyr.analysis(S_C, J, K)
    P2_C, _ = pyr.analysis(pyr.synthesis(P_C, J, K), J, K)
    # A S is the orthogonal projection onto the range of A: idempotent, and a contraction
    assert np.abs(P2_C - P_C).max() <= 1e-12 * np.abs(C).max()
    assert np.linalg.norm(P_C) <= np.linalg.norm(C)
    assert np.linalg.norm(P_C) < 0.9 * np.linalg.norm(C)  # the frame is redundant: C is not in the range


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("K", [2, 3, 4])
def test_bands_are_real_and_equal_the_complex_fft_definition(shape, K, rng):
    """Band b = ifft2(psi_b fft2(f)) with complex FFTs: imaginary part at rounding level, real part
    equal to the module's half-spectrum computation."""
    J = pyr.max_scales(shape)
    img = rng.random(shape)
    masks, _ = pyr.steerable_masks(shape, J, K)
    full = np.fft.ifft2(masks * np.fft.fft2(img)[None], axes=(1, 2))
    coeffs, _ = pyr.analysis(img, J, K)
    scale = np.abs(img).max()
    assert np.abs(full.imag).max() <= 1e-12 * scale  # measured at most 2.1e-16
    assert np.abs(full.real - coeffs).max() <= 1e-12 * scale


@pytest.mark.parametrize("shape", [(64, 64), (63, 70)])
@pytest.mark.parametrize("K", [2, 4, 5])
def test_grating_energy_per_band_is_its_squared_mask(shape, K, rng):
    """A cosine grating of wave vector omega (on the grid) puts the fraction |psi_b(omega)|^2 of its
    energy in band b, with |psi_b| from the formulas (scalar math, independent of the module)."""
    J = 3
    H, W = shape
    for _ in range(4):
        m1, m2 = rng.integers(-H // 3, H // 3 + 1), rng.integers(-W // 3, W // 3 + 1)
        f = _grating(shape, m1, m2)
        coeffs, _ = pyr.analysis(f, J, K)
        energy = (coeffs**2).sum(axis=(1, 2)) / (f**2).sum()
        w1, w2 = 2 * np.pi * (((m1 + H // 2) % H) - H // 2) / H, 2 * np.pi * (((m2 + W // 2) % W) - W // 2) / W
        expected = np.array([abs(_mask_value(w1, w2, J, K, b)) ** 2 for b in range(2 + J * K)])
        assert abs(energy.sum() - 1) <= 1e-12
        assert np.abs(energy - expected).max() <= 1e-12


@pytest.mark.parametrize("K", [2, 4, 6, 8])
@pytest.mark.parametrize("j", [0, 1, 2])
def test_oriented_grating_lands_in_the_band_of_its_scale_and_orientation(K, j):
    """Stripes of radius r = 2^-(j+1) (where band j's radial part is exactly 1 and every other
    scale's is 0) at angle theta = 0 (vertical stripes) or pi/2 (horizontal stripes) put the
    fraction alpha_K^2 of their energy in band (j, 0) or (j, K/2), the largest of all bands;
    a diagonal grating (theta = pi/4 or 3 pi/4, square grid) peaks at orientation K/4 or 3K/4."""
    N = 64
    m = N // 2 ** (j + 2)  # r = 2 |m| / N = 2^-(j+1)
    n = K - 1
    alpha2 = 4**n * math.factorial(n) ** 2 / (K * math.factorial(2 * n))
    for (m1, m2), k in (((0, m), 0), ((m, 0), K // 2)):
        f = _grating((N, N), m1, m2)
        coeffs, bands = pyr.analysis(f, 3, K)
        energy = (coeffs**2).sum(axis=(1, 2)) / (f**2).sum()
        b = 1 + j * K + k
        assert int(np.argmax(energy)) == b and (bands[b].scale, bands[b].orientation) == (j, k)
        assert abs(energy[b] - alpha2) <= 1e-12
        # all the energy is in scale j
        assert abs(energy[1 + j * K:1 + (j + 1) * K].sum() - 1) <= 1e-12
    if K % 4 == 0:
        for (m1, m2), k in (((m, m), K // 4), ((m, -m), 3 * K // 4)):
            f = _grating((N, N), m1, m2)
            coeffs, _ = pyr.analysis(f, 3, K)
            energy = (coeffs[1:-1] ** 2).sum(axis=(1, 2)).reshape(3, K)
            assert np.unravel_index(np.argmax(energy), energy.shape)[1] == k


@pytest.mark.parametrize("K", [2, 4, 6])
def test_transposition_maps_orientation_k_to_K_over_2_minus_k(K, rng):
    """Transposing a square image swaps omega_1 and omega_2, theta -> pi/2 - theta: band (j, k) of
    f.T is band (j, K/2 - k mod K) of f transposed, with a sign (-1)^n when the index wraps."""
    J, N = 3, 48
    f = rng.standard_normal((N, N))
    c, _ = pyr.analysis(f, J, K)
    cT, _ = pyr.analysis(f.T, J, K)
    n = K - 1
    for j in range(J):
        for k in range(K):
            k2 = K // 2 - k
            sign = (-1) ** n if k2 < 0 else 1
            got = cT[1 + j * K + k]
            want = sign * c[1 + j * K + (k2 % K)].T
            assert np.abs(got - want).max() <= 1e-12 * np.abs(f).max()
    assert np.abs(cT[0] - c[0].T).max() <= 1e-12 * np.abs(f).max()
    assert np.abs(cT[-1] - c[-1].T).max() <= 1e-12 * np.abs(f).max()


def test_translation_equivariance(rng):
    # undecimated and periodic: the pyramid of a circularly shifted image is the shifted pyramid
    f = rng.random((40, 36, 3))
    c, _ = pyr.analysis(f, 3, 4)
    cs, _ = pyr.analysis(np.roll(f, (7, -5), axis=(0, 1)), 3, 4)
    assert np.abs(cs - np.roll(c, (7, -5), axis=(1, 2))).max() <= 1e-12


def test_colour_bands_are_the_grey_bands_of_each_channel(rng):
    img = rng.random((40, 33, 3))
    coeffs, _ = pyr.analysis(img, 3, 4)
    for ch in range(3):
        grey, _ = pyr.analysis(img[..., ch], 3, 4)
        assert grey.shape == (14, 40, 33)
        # same FFTs on differently strided data: rounding only
        assert np.abs(coeffs[..., ch] - grey).max() <= 1e-13
    rec = pyr.synthesis(coeffs, 3, 4)
    assert rec.shape == img.shape
    assert np.abs(pyr.synthesis(coeffs[..., 1], 3, 4) - rec[..., 1]).max() <= 1e-13
    one = pyr.analysis(img[..., :1], 3, 4)[0]  # (H, W, 1) keeps its channel axis
    assert one.shape == (14, 40, 33, 1)


@pytest.mark.parametrize("shape, J", [((24, 19), 2), ((16, 16), 2), ((21, 26), 1)])
def test_low_and_high_pass_agree_with_an_explicit_dft(shape, J, rng):
    """The low-pass (and high-pass) band computed without any FFT: dense DFT matrices and the mask
    from scalar math, F_H^-1 (L(2^J r) * (F_H f F_W)) F_W^-1."""
    H, W = shape
    img = rng.random(shape)
    FH = np.exp(-2j * np.pi * np.outer(np.arange(H), np.arange(H)) / H)
    FW = np.exp(-2j * np.pi * np.outer(np.arange(W), np.arange(W)) / W)
    f1, f2 = np.fft.fftfreq(H), np.fft.fftfreq(W)
    for b_ref, b in ((1 + J * 3, -1), (0, 0)):
        mask = np.array([[_mask_value(2 * np.pi * p, 2 * np.pi * q, J, 3, b_ref) for q in f2] for p in f1])
        band = (FH.conj() @ (mask * (FH @ img @ FW)) @ FW.conj()) / (H * W)
        coeffs, _ = pyr.analysis(img, J, 3)
        assert np.abs(band.imag).max() <= 1e-12
        assert np.abs(band.real - coeffs[b]).max() <= 1e-12


def test_only_the_low_pass_has_a_mean(rng):
    img = rng.random((30, 34, 3)) + 5.0
    coeffs, _ = pyr.analysis(img, 2, 4)
    # the zero frequency is in the low-pass mask only (L(0) = 1, every other mask 0 there)
    assert np.abs(coeffs[-1].mean(axis=(0, 1)) - img.mean(axis=(0, 1))).max() <= 1e-12 * 6
    assert np.abs(coeffs[:-1].mean(axis=(1, 2))).max() <= 1e-12 * 6


def test_the_hermitian_guard_catches_a_wrong_mask(monkeypatch):
    """An inverse real FFT would symmetrise a non-Hermitian mask silently (as np.real would hide
    its imaginary output): the module refuses such masks instead."""
    good = pyr._masks

    def broken(H, W, J, K, half):
        m = good(H, W, J, K, half)
        m[1, 3, 0] += 0.1j  # breaks psi(-omega) = conj(psi(omega)) on the column omega_2 = 0
        return m

    monkeypatch.setattr(pyr, "_masks", broken)
    with pytest.raises(RuntimeError, match="not Hermitian"):
        pyr.analysis(np.zeros((16, 16)), 1, 3)
    with pytest.raises(RuntimeError, match="not Hermitian"):
        pyr.synthesis(np.zeros((5, 16, 16)), 1, 3)


# --------------------------------------------------------------------------------------------
# band clouds
# --------------------------------------------------------------------------------------------
def test_band_clouds_round_trip(rng):
    img = rng.random((20, 16, 3))
    coeffs, _ = pyr.analysis(img, 2, 2)
    clouds = pyr.band_clouds(coeffs)
    assert clouds.shape == (6, 320, 3) and np.shares_memory(clouds, coeffs)
    assert np.array_equal(clouds[3, 5 * 16 + 7], coeffs[3, 5, 7])  # row-major pixels
    back = pyr.clouds_to_coefficients(clouds, img.shape)
    assert np.array_equal(back, coeffs) and np.shares_memory(back, coeffs)
    grey, _ = pyr.analysis(img[..., 0], 2, 2)
    assert pyr.band_clouds(grey).shape == (6, 320, 1)
    assert np.array_equal(pyr.clouds_to_coefficients(pyr.band_clouds(grey), (20, 16)), grey)


# --------------------------------------------------------------------------------------------
# bounds and bad input (the generic bad-input battery is tests/test_bad_input.py)
# --------------------------------------------------------------------------------------------
def test_max_scales():
    assert [pyr.max_scales((n, 1000)) for n in (7, 8, 15, 16, 31, 32, 255, 256)] == [0, 1, 1, 2, 2, 3, 5, 6]
    assert pyr.max_scales((100, 130, 3)) == 4


def test_too_many_scales_is_refused_with_the_bound():
    with pytest.raises(ValueError, match=r"n_scales must be at most .* = 3 .*got 4"):
        pyr.analysis(np.zeros((32, 40)), 4, 4)
    with pytest.raises(ValueError, match=r"n_scales must be at most .* = 3"):
        pyr.synthesis(np.zeros((18, 32, 40)), 4, 4)
    with pytest.raises(ValueError, match=r"n_scales must be at most .* = 1"):
        pyr.steerable_masks((8, 100), 2, 4)
    pyr.analysis(np.zeros((32, 40)), 3, 4)  # the bound itself is allowed


def test_orientations_and_small_images_are_refused():
    with pytest.raises(ValueError, match="n_orientations must be at most 8"):
        pyr.analysis(np.zeros((16, 16)), 1, 9)
    with pytest.raises(ValueError, match="n_orientations must be at least 1"):
        pyr.analysis(np.zeros((16, 16)), 1, 0)
    with pytest.raises(ValueError, match="img is too small"):
        pyr.analysis(np.zeros((7, 30)), 1, 4)
    with pytest.raises(ValueError, match="coeffs must hold 2 \\+ n_scales \\* n_orientations = 6 bands"):
        pyr.synthesis(np.zeros((5, 16, 16)), 1, 4)


def test_memory_limit_is_checked_before_allocating(monkeypatch):
    with pytest.raises(ValueError, match="shape.*GiB"):
        pyr.steerable_masks((10**6, 10**6), 1, 1)
    monkeypatch.setattr(pyr, "MAX_PYRAMID_BYTES", 1024**2)
    with pytest.raises(ValueError, match="img.*GiB"):
        pyr.analysis(np.zeros((64, 64, 3)), 3, 4)
    with pytest.raises(ValueError, match="coeffs.*GiB"):
        pyr.synthesis(np.zeros((14, 64, 64, 3)), 3, 4)
