"""Unit tests of ottools.discrete: agreement with POT and scipy, Birkhoff, sparsity of vertices,
the 1-D closed form, metric properties.

Tolerances: all solvers are exact up to float64 rounding; a cost is a sum of at most a few thousand
terms of size O(1), so independent exact solvers agree to ~1e-13 relative; we use rtol 1e-9 as in
(margin for the LP solver's feasibility tolerance on marginals, 1e-9 absolute).
"""

import numpy as np
import ot
import pytest
from scipy.optimize import linear_sum_assignment, linprog

from ottools import discrete
from ottools._validate import MAX_DENSE_BYTES
from seeds import make_rng

RTOL = 1e-9


def random_simplex(rng, n):
    w = rng.random(n) + 0.05
    return w / w.sum()


# ------------------------------------------------------------------ images, clouds, histograms


def test_image_cloud_round_trip_colour_and_grey():
    rng = make_rng(0)
    img = rng.random((5, 7, 3))
    X = discrete.image_to_cloud(img)
    assert X.shape == (35, 3)
    assert np.array_equal(X[7 * 2 + 3], img[2, 3])  # row-major pixel order
    assert np.array_equal(discrete.cloud_to_image(X, img.shape), img)
    grey = rng.random((4, 6))
    Xg = discrete.image_to_cloud(grey)
    assert Xg.shape == (24, 1)
    assert np.array_equal(discrete.cloud_to_image(Xg, grey.shape), grey)


def test_sample_pixels_without_replacement_and_reproducible():
    img = make_rng(1).random((10, 10, 3))
    S, idx = discrete.sample_pixels(img, 60, make_rng(3), return_index=True)
    assert S.shape == (60, 3) and len(np.unique(idx)) == 60  # distinct pixels
    assert np.array_equal(S, discrete.image_to_cloud(img)[idx])
    S2 = discrete.sample_pixels(img, 60, make_rng(3))
    assert np.array_equal(S, S2)
    # all pixels: a permutation of the cloud
    full = discrete.sample_pixels(img, 100, make_rng(4))
    assert np.array_equal(np.sort(full, axis=0), np.sort(discrete.image_to_cloud(img), axis=0))


def test_color_histogram_counts_and_centres():
    rng = make_rng(2)
    X = rng.random((1000, 3))
    X[0] = 1.0  # the value 1 belongs to the last cell
    centres, w = discrete.color_histogram(X, bins=4)
    assert centres.shape == (64, 3) and w.shape == (64,)
    assert np.isclose(w.sum(), 1.0, rtol=1e-15)
    # same counts as numpy's histogramdd on the same regular grid
    H, _ = np.histogramdd(X, bins=4, range=[(0, 1)] * 3)
    assert np.allclose(w, H.ravel() / 1000, atol=1e-15)
    # each point lies in the cell of its centre: |x - centre| <= half a bin per axis
    cells = np.minimum((X * 4).astype(int), 3)
    k = np.ravel_multi_index(tuple(cells.T), (4, 4, 4))
    assert np.all(np.abs(X - centres[k]) <= 0.125 + 1e-15)
    # the histogram's mean is the cloud's mean up to half a bin
    assert np.all(np.abs(w @ centres - X.mean(axis=0)) <= 0.125)


# ------------------------------------------------------------------ cost matrix


@pytest.mark.parametrize("p", [0.5, 1, 2, 3])
def test_cost_matrix_matches_pot(p):
    rng = make_rng(3)
    X, Y = rng.normal(size=(13, 3)), rng.normal(size=(9, 3))
    C = discrete.cost_matrix(X, Y, p)
    ref = ot.dist(X, Y, metric="euclidean") ** p
    assert C.shape == (13, 9)
    assert np.allclose(C, ref, rtol=1e-12, atol=1e-12)
    assert np.all(np.diag(discrete.cost_matrix(X, X, p)) == 0.0)  # exact zeros on the diagonal


# ------------------------------------------------------------------ 1-D


@pytest.mark.parametrize("p", [1, 2, 3])
@pytest.mark.parametrize("sizes", [(1, 1), (5, 5), (7, 11), (40, 3)])
def test_wasserstein_1d_weighted_matches_pot_and_lp(p, sizes):
    """T3: the weighted quantile formula equals the LP and POT's 1-D solver."""
    rng = make_rng(sum(sizes) + p)
    N, M = sizes
    x, y = rng.normal(size=N), rng.normal(1.0, 2.0, size=M)
    a, b = random_simplex(rng, N), random_simplex(rng, M)
    w = discrete.wasserstein_1d(x, y, a=a, b=b, p=p)
    w_pot = ot.wasserstein_1d(x, y, a, b, p=p) ** (1 / p)  # POT returns W_p^p
    lp = ot.emd2(a, b, np.abs(x[:, None] - y[None, :]) ** p)
    assert np.isclose(w, w_pot, rtol=RTOL)
    assert np.isclose(w**p, lp, rtol=RTOL)


@pytest.mark.parametrize("p", [1, 2, 3])
def test_wasserstein_1d_uniform_is_sorting_and_equals_assignment(p):
    """T3 (uniform): sorting both lists is the optimal assignment."""
    rng = make_rng(p)
    x, y = rng.random(50), rng.random(50) ** 2
    w = discrete.wasserstein_1d(x, y, p=p)
    C = np.abs(x[:, None] - y[None, :]) ** p
    r, c = linear_sum_assignment(C)
    assert np.isclose(w**p, C[r, c].mean(), rtol=RTOL)
    # ties (8-bit grey levels) do not change the value
    xi, yi = rng.integers(0, 4, 30) / 3.0, rng.integers(0, 4, 30) / 3.0
    Ci = np.abs(xi[:, None] - yi[None, :]) ** p
    r, c = linear_sum_assignment(Ci)
    assert np.isclose(discrete.wasserstein_1d(xi, yi, p=p) ** p, Ci[r, c].mean(), rtol=RTOL, atol=1e-15)


def test_concave_cost_sorting_not_optimal():
    """T4: for p = 1/2 the sorted matching costs strictly more than the LP optimum."""
    x = np.array([0.0, 1.0])
    y = np.array([1.0, 2.0])  # sorted: 1 + 1 = 2; optimal: send 0 -> 2 and keep 1 -> 1: sqrt(2)
    C = discrete.cost_matrix(x, y, 0.5)
    sorted_cost = np.mean(np.abs(np.sort(x) - np.sort(y)) ** 0.5)
    P, lp, f, g = discrete.kantorovich(C)
    assert sorted_cost > lp + 0.1
    assert np.isclose(lp, np.sqrt(2) / 2, rtol=RTOL)
    rng = make_rng(4)
    x, y = rng.random(30), rng.random(30)
    C = discrete.cost_matrix(x, y, 0.5)
    sorted_cost = np.mean(np.abs(np.sort(x) - np.sort(y)) ** 0.5)
    assert sorted_cost > discrete.kantorovich(C)[1]


# ------------------------------------------------------------------ assignment and LP


@pytest.mark.parametrize("p", [1, 2, 3])
@pytest.mark.parametrize("N", [1, 8, 60])
def test_assignment_lp_and_pot_agree(p, N):
    """T1: LP value = assignment value for uniform weights; Birkhoff."""
    rng = make_rng(10 * N + p)
    X, Y = rng.normal(size=(N, 2)), rng.random((N, 2))
    C = discrete.cost_matrix(X, Y, p)
    sigma = discrete.assignment(X, Y, p)
    assert np.array_equal(np.sort(sigma), np.arange(N))  # a permutation
    assign = C[np.arange(N), sigma].mean()
    P, lp, f, g = discrete.kantorovich(C)
    assert np.isclose(assign, lp, rtol=RTOL)
    assert np.isclose(lp, ot.emd2(np.full(N, 1 / N), np.full(N, 1 / N), C), rtol=RTOL)
    # Birkhoff: the vertex returned is (1/N) times a permutation matrix
    NP = N * P
    assert np.allclose(NP, np.round(NP), atol=1e-9)
    assert np.allclose(NP.sum(0), 1, atol=1e-9) and np.allclose(NP.sum(1), 1, atol=1e-9)
    assert np.isclose(discrete.wasserstein_distance(X, Y, p=p), assign ** (1 / p), rtol=RTOL)


@pytest.mark.parametrize("p", [1, 2, 3])
@pytest.mark.parametrize("sizes", [(1, 6), (10, 17), (33, 12)])
def test_kantorovich_matches_pot_vertex_marginals_duals(p, sizes):
    """T2, marginals and complementary slackness."""
    rng = make_rng(sizes[0] * 100 + sizes[1] + p)
    N, M = sizes
    X, Y = rng.normal(size=(N, 3)), rng.normal(size=(M, 3))
    a, b = random_simplex(rng, N), random_simplex(rng, M)
    C = discrete.cost_matrix(X, Y, p)
    P, cost, f, g = discrete.kantorovich(C, a=a, b=b)
    assert np.isclose(cost, ot.emd2(a, b, C), rtol=RTOL)
    assert np.isclose(cost, np.sum(P * C), rtol=1e-14)
    assert np.count_nonzero(P) <= N + M - 1  # T2: a vertex (exact)
    assert np.all(P >= 0)
    assert np.abs(P.sum(1) - a).max() <= 1e-9 and np.abs(P.sum(0) - b).max() <= 1e-9
    # duals: feasible, tight on the support, and strong duality (tolerances: 1e-7 * scale of C)
    scale = C.max()
    slack = C - f[:, None] - g[None, :]
    assert slack.min() >= -1e-7 * scale
    assert np.abs(slack[P > 0]).max() <= 1e-7 * scale
    assert np.isclose(f @ a + g @ b, cost, rtol=1e-9, atol=1e-12 * scale)
    assert np.isclose(discrete.wasserstein_distance(X, Y, a=a, b=b, p=p), cost ** (1 / p), rtol=RTOL)


def test_kantorovich_support_is_a_forest():
    """A vertex's support graph (bipartite, N + M nodes) has no cycle: edges = nodes - components."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rng = make_rng(5)
    N, M = 15, 22
    C = rng.random((N, M))
    P = discrete.kantorovich(C, a=random_simplex(rng, N), b=random_simplex(rng, M))[0]
    I, J = np.nonzero(P)
    adj = coo_matrix((np.ones(I.size), (I, N + J)), shape=(N + M, N + M))
    n_comp = connected_components(adj, directed=False)[0]
    assert I.size == N + M - n_comp


def test_lp_with_scipy_interior_point_is_not_needed_for_value():
    """Our LP and an independent scipy formulation (all N + M equalities, default HiGHS) agree."""
    rng = make_rng(6)
    N, M = 9, 7
    C = rng.random((N, M))
    a, b = random_simplex(rng, N), random_simplex(rng, M)
    A = np.vstack([np.kron(np.eye(N), np.ones(M)), np.kron(np.ones(N), np.eye(M))])
    ref = linprog(C.ravel(), A_eq=A, b_eq=np.r_[a, b], bounds=(0, None)).fun
    assert np.isclose(discrete.kantorovich(C, a=a, b=b)[1], ref, rtol=1e-8)


# ------------------------------------------------------------------ metric properties


def test_translation_identity_and_mean_decomposition():
    rng = make_rng(7)
    X = rng.normal(size=(30, 2))
    v = np.array([0.7, -1.9])
    assert np.isclose(discrete.wasserstein_distance(X, X + v), np.linalg.norm(v), rtol=RTOL)
    Y = rng.normal(size=(20, 2)) * [2.0, 0.5] + 3.0
    a, b = random_simplex(rng, 30), random_simplex(rng, 20)
    ma, mb = a @ X, b @ Y
    w2 = discrete.wasserstein_distance(X, Y, a=a, b=b) ** 2
    w2c = discrete.wasserstein_distance(X - ma, Y - mb, a=a, b=b) ** 2
    assert np.isclose(w2, np.sum((ma - mb) ** 2) + w2c, rtol=RTOL)


@pytest.mark.parametrize("p", [1, 2, 3])
def test_metric_axioms(p):
    rng = make_rng(8 + p)
    sizes = (12, 9, 15)
    clouds = [rng.normal(k, 1.0, size=(n, 2)) for k, n in enumerate(sizes)]
    ws = [random_simplex(rng, n) for n in sizes]

    def W(i, j):
        return discrete.wasserstein_distance(clouds[i], clouds[j], a=ws[i], b=ws[j], p=p)

    assert W(0, 0) <= 1e-9  # identity of indiscernibles (up to LP rounding)
    assert np.isclose(W(0, 1), W(1, 0), rtol=RTOL)
    for i, j, k in [(0, 1, 2), (1, 2, 0), (2, 0, 1)]:
        assert W(i, k) <= W(i, j) + W(j, k) + 1e-9


def test_monotone_in_p():
    rng = make_rng(9)
    X, Y = rng.normal(size=(25, 2)), rng.random((18, 2))
    a, b = random_simplex(rng, 25), random_simplex(rng, 18)
    w = [discrete.wasserstein_distance(X, Y, a=a, b=b, p=p) for p in (1, 2, 3)]
    assert w[0] <= w[1] + 1e-12 and w[1] <= w[2] + 1e-12
    x, y = X[:, 0], Y[:, 0]
    w = [discrete.wasserstein_1d(x, y, a=a, b=b, p=p) for p in (1, 2, 3)]
    assert w[0] <= w[1] + 1e-12 and w[1] <= w[2] + 1e-12


def test_projection_on_statistical_constraint():
    """Y[sigma] for p = 2 is the closest point of {Z : mu_Z = mu_Y} to X (slide 5): no
    permutation of Y, in particular no 2-swap of sigma, is closer."""
    rng = make_rng(10)
    X, Y = rng.normal(size=(12, 2)), rng.random((12, 2))
    sigma = discrete.assignment(X, Y, 2)
    best = np.sum((X - Y[sigma]) ** 2)
    for _ in range(200):
        perm = rng.permutation(12)
        assert np.sum((X - Y[perm]) ** 2) >= best - 1e-12
    for i in range(12):
        for j in range(i + 1, 12):
            s = sigma.copy()
            s[[i, j]] = s[[j, i]]
            assert np.sum((X - Y[s]) ** 2) >= best - 1e-12


# ------------------------------------------------------------------ auction


@pytest.mark.parametrize("N", [2, 30, 150])
def test_auction_within_n_eps(N):
    rng = make_rng(N)
    C = discrete.cost_matrix(rng.random((N, 2)), rng.random((N, 2)))
    r, c = linear_sum_assignment(C)
    opt = C[r, c].sum()
    for eps in (1e-1, 1e-3, 1e-6):
        sigma, prices = discrete.auction(C, eps=eps)
        assert np.array_equal(np.sort(sigma), np.arange(N))
        total = C[np.arange(N), sigma].sum()
        assert opt - 1e-12 <= total <= opt + N * eps
        # eps-complementary slackness: each person within eps of its best object at final prices
        best = (C + prices).min(axis=1)
        assert np.all(C[np.arange(N), sigma] + prices[sigma] <= best + eps + 1e-9)


def test_auction_constant_shift_and_degenerate_costs():
    """A large constant added to C does not spoil the N * eps guarantee (the bids are not absorbed
    by rounding); equal costs: any permutation is optimal."""
    rng = make_rng(14)
    C = rng.random((25, 25))
    r, c = linear_sum_assignment(C)
    sigma, _ = discrete.auction(C + 1e6, eps=1e-7)
    assert C[np.arange(25), sigma].sum() <= C[r, c].sum() + 25 * 1e-7 + 1e-8  # + rounding of 1e6 + C
    sigma, _ = discrete.auction(np.full((5, 5), 3.0))
    assert np.array_equal(np.sort(sigma), np.arange(5))


def test_auction_exact_on_integer_costs():
    rng = make_rng(11)
    N = 40
    C = rng.integers(0, 100, size=(N, N)).astype(float)
    sigma, _ = discrete.auction(C, eps=0.9 / N)  # N * eps < 1: the integer optimum exactly
    r, c = linear_sum_assignment(C)
    assert C[np.arange(N), sigma].sum() == C[r, c].sum()


# ------------------------------------------------------------------ displacement interpolation


def test_displacement_interpolation_geodesic():
    """T11: marginals at t = 0, 1; constant speed; barycentric identity; <= N + M - 1 atoms."""
    rng = make_rng(12)
    N, M = 14, 9
    X, Y = rng.normal(size=(N, 2)), rng.normal(size=(M, 2)) + [3.0, 0.0]
    a, b = random_simplex(rng, N), random_simplex(rng, M)
    P, w2, _, _ = discrete.kantorovich(discrete.cost_matrix(X, Y), a=a, b=b)
    Z0, m0 = discrete.displacement_interpolation(X, Y, P, 0.0)
    Z1, m1 = discrete.displacement_interpolation(X, Y, P, 1.0)
    I, J = np.nonzero(P)
    assert np.allclose(np.bincount(I, m0, N), a, atol=1e-9) and np.allclose(Z0, X[I])
    assert np.allclose(np.bincount(J, m1, M), b, atol=1e-9) and np.allclose(Z1, Y[J])
    t = 0.3
    Zt, mt = discrete.displacement_interpolation(X, Y, P, t)
    assert len(mt) <= N + M - 1 and np.isclose(mt.sum(), 1.0, rtol=1e-12)
    d0 = discrete.wasserstein_distance(X, Zt, a=a, b=mt / mt.sum()) ** 2
    d1 = discrete.wasserstein_distance(Zt, Y, a=mt / mt.sum(), b=b) ** 2
    assert np.isclose(d0, t**2 * w2, rtol=1e-7)
    assert np.isclose(d1, (1 - t) ** 2 * w2, rtol=1e-7)
    assert np.isclose((1 - t) * d0 + t * d1, t * (1 - t) * w2, rtol=1e-7)


# ------------------------------------------------------------------ bad input, one per kind


def test_bad_shapes():
    with pytest.raises(ValueError, match="Y"):
        discrete.cost_matrix(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="same number of points"):
        discrete.assignment(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="x"):
        discrete.wasserstein_1d(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="square"):
        discrete.auction(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="P"):
        discrete.displacement_interpolation(np.zeros((2, 1)), np.zeros((3, 1)), np.eye(2) / 2, 0.5)
    with pytest.raises(ValueError, match="X must have shape"):
        discrete.cloud_to_image(np.zeros((5, 3)), (2, 3, 3))
    with pytest.raises(ValueError, match="img"):
        discrete.image_to_cloud(np.zeros((4, 4, 4)))  # alpha channel


def test_nan_and_inf_refused():
    X = np.zeros((3, 2))
    X[1, 0] = np.nan
    with pytest.raises(ValueError, match="X contains"):
        discrete.wasserstein_distance(X, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="C contains"):
        discrete.kantorovich(np.array([[0.0, np.inf], [1.0, 0.0]]))
    with pytest.raises(ValueError, match="y contains"):
        discrete.wasserstein_1d([0.0], [np.inf])


def test_negative_weights_refused():
    with pytest.raises(ValueError, match="a must be non-negative"):
        discrete.wasserstein_1d([0.0, 1.0], [0.0], a=[1.5, -0.5])
    with pytest.raises(ValueError, match="b must be non-negative"):
        discrete.kantorovich(np.zeros((2, 2)), b=[1.5, -0.5])


def test_unnormalised_weights_refused():
    with pytest.raises(ValueError, match="a must sum to 1"):
        discrete.kantorovich(np.zeros((2, 2)), a=[1.0, 1.0])
    with pytest.raises(ValueError, match="b must sum to 1"):
        discrete.wasserstein_distance(np.zeros((2, 2)), np.zeros((2, 2)), b=[0.5, 0.5 + 1e-6])
    # within the 1e-8 relative tolerance: accepted and renormalised
    assert discrete.wasserstein_1d([0.0, 1.0], [0.0, 1.0], a=[0.5, 0.5 + 1e-10]) < 1e-4


def test_concave_p_refused_where_sorting_is_used():
    with pytest.raises(ValueError, match="p must be at least 1"):
        discrete.wasserstein_1d([0.0, 1.0], [1.0, 2.0], p=0.5)
    with pytest.raises(ValueError, match="p must be at least 1"):
        discrete.wasserstein_distance(np.zeros((2, 2)), np.ones((2, 2)), p=0.5)
    with pytest.raises(ValueError, match="p must be > 0"):
        discrete.cost_matrix(np.zeros((2, 2)), np.ones((2, 2)), p=0)


def test_too_large_dense_cost_refused_with_pointer_to_sliced():
    n = int(np.sqrt(MAX_DENSE_BYTES / 8)) + 10  # just above the limit; nothing is allocated
    X = np.broadcast_to(np.zeros(1), (n, 1))
    with pytest.raises(ValueError, match="sliced"):
        discrete.cost_matrix(X, X)
    with pytest.raises(ValueError, match="sliced"):
        discrete.kantorovich(np.zeros((1, 1)).repeat(1400, 0).repeat(1400, 1))


def test_bad_parameters_refused():
    with pytest.raises(ValueError, match="n must be at most"):
        discrete.sample_pixels(np.zeros((3, 3, 3)), 10, 0)
    with pytest.raises(ValueError, match="rng"):
        discrete.sample_pixels(np.zeros((3, 3, 3)), 2, "seed")
    with pytest.raises(ValueError, match="eps"):
        discrete.auction(np.eye(3), eps=0.0)
    with pytest.raises(ValueError, match="floating-point resolution"):
        discrete.auction(np.eye(3), eps=1e-20)  # the bids would be absorbed by rounding
    with pytest.raises(ValueError, match="t must be"):
        discrete.displacement_interpolation([[0.0]], [[1.0]], [[1.0]], 1.5)
    with pytest.raises(ValueError, match="colours in"):
        discrete.color_histogram(np.full((2, 3), 1.5))
    with pytest.raises(ValueError, match="bins"):
        discrete.color_histogram(np.zeros((2, 3)), bins=0)


def test_sample_shape():
    for name in discrete.SHAPES:
        X = discrete.sample_shape(name, 500, make_rng(0))
        assert X.shape == (500, 2) and np.all(np.isfinite(X))
        assert np.array_equal(X, discrete.sample_shape(name, 500, make_rng(0)))  # reproducible
        assert np.array_equal(discrete.sample_shape(name, 50, 7), discrete.sample_shape(name, 50, 7))  # int seeds too
    r = np.linalg.norm(discrete.sample_shape("disc", 2000, make_rng(1)), axis=1)
    # uniform disc: E r^2 = 1/2, Var r^2 = 1/12: the mean of 2000 has sd 0.0065, 0.03 is 4.6 sd
    assert r.max() <= 1.0 and abs(np.mean(r**2) - 0.5) < 0.03
    assert np.all(np.abs(discrete.sample_shape("square", 100, make_rng(2))) <= 1.0)
    with pytest.raises(ValueError, match="shape must be one of"):
        discrete.sample_shape("star", 10)


@pytest.mark.parametrize("p", [1, 2])
def test_wasserstein_1d_zero_weights_and_repeated_positions(p):
    """Atoms of zero mass are ignored and repeated positions merge: same value as POT's LP."""
    rng = make_rng(13)
    x = np.round(rng.normal(size=20), 1)  # many repeats
    y = np.round(rng.normal(size=15), 1)
    a, b = random_simplex(rng, 20), random_simplex(rng, 15)
    a[[0, 5, 19]] = 0.0
    b[[3, 14]] = 0.0
    a, b = a / a.sum(), b / b.sum()
    lp = ot.emd2(a, b, np.abs(x[:, None] - y[None, :]) ** p)
    assert np.isclose(discrete.wasserstein_1d(x, y, a=a, b=b, p=p) ** p, lp, rtol=RTOL)
    keep_a, keep_b = a > 0, b > 0
    assert np.isclose(discrete.wasserstein_1d(x, y, a=a, b=b, p=p),
                      discrete.wasserstein_1d(x[keep_a], y[keep_b], a=a[keep_a], b=b[keep_b], p=p), rtol=1e-12)


# --------------------------------------------------------------------------- sort_match, canonical_order


@pytest.mark.parametrize("n", [1, 7, 500])
def test_sort_match_is_the_optimal_1d_assignment(n):
    rng = make_rng(n)
    x, y = rng.normal(size=n), rng.exponential(size=n)
    out = discrete.sort_match(x, y)
    np.testing.assert_array_equal(np.sort(out), np.sort(y))  # exactly the values of y
    assert np.all(np.diff(out[np.argsort(x, kind="stable")]) >= 0)  # in the order of x
    # its cost is the optimal one, W_p^p for p = 1, 2, 3 (rounding only: rtol 1e-12)
    for p in (1, 2, 3):
        assert np.isclose(np.mean(np.abs(out - x) ** p), discrete.wasserstein_1d(x, y, p=p) ** p, rtol=1e-12)


def test_sort_match_refuses_different_sizes():
    with pytest.raises(ValueError, match="same length"):
        discrete.sort_match(np.zeros(3), np.zeros(4))


def test_canonical_order_identifies_clouds_up_to_permutation():
    rng = make_rng(3)
    X = rng.integers(0, 3, size=(40, 3)).astype(float)  # many ties, the hard case for a canonical form
    np.testing.assert_array_equal(discrete.canonical_order(X), discrete.canonical_order(X[rng.permutation(40)]))
    Z = X.copy()
    Z[0, 0] += 1.0
    assert not np.array_equal(discrete.canonical_order(X), discrete.canonical_order(Z))


# --------------------------------------------------------------------------- the 1-D kernel


@pytest.mark.parametrize("sizes", [(1, 1), (6, 6), (7, 11), (30, 4)])
def test_onedim_kernel_is_the_monotone_plan_of_pot(sizes):
    """The one 1-D kernel (ottools._onedim) builds POT's monotone plan, and its marginals."""
    from ottools import _onedim

    rng = make_rng(sum(sizes))
    N, M = sizes
    x, y = rng.normal(size=N), rng.normal(size=M)
    a, b = random_simplex(rng, N), random_simplex(rng, M)
    ix, iy = np.argsort(x), np.argsort(y)
    cws = [_onedim.cumulative_weights(a[ix])[None], _onedim.cumulative_weights(b[iy])[None]]
    lengths, (qx, qy) = _onedim.merged_pieces(cws)
    P = np.zeros((N, M))
    np.add.at(P, (ix[qx[0]], iy[qy[0]]), lengths[0])
    # Distinct positions (continuous draws) and a strictly convex cost: the optimal plan is unique,
    # so both exact constructions agree to round-off on sums of at most N + M weights.
    np.testing.assert_allclose(P, ot.emd_1d(x, y, a, b), atol=1e-12)
    np.testing.assert_allclose(P.sum(1), a, atol=1e-12)
    np.testing.assert_allclose(P.sum(0), b, atol=1e-12)
    # uniform weights: the exact integer grid gives the same plan
    ux, uy, ul = _onedim.uniform_pieces(N, M)
    Pu = np.zeros((N, M))
    np.add.at(Pu, (ix[ux], iy[uy]), ul)
    np.testing.assert_allclose(Pu, ot.emd_1d(x, y), atol=1e-12)
