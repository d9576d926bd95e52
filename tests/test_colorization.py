"""Tests of ottools.colorization: the luminance kept exactly, the relaxed transport programme
(marginals, capacities, nested relaxations, its two extremes against POT and the nearest neighbour),
the regulariser, the reuse of the clusters, the baselines."""

import numpy as np
import ot
import pytest

from ottools import color
from ottools import colorization as cz
from seeds import make_rng


def _scene(rng, h=40, w=36):
    """A colour image of a few smooth coloured blobs with texture (so that the features matter)."""
    y, x = np.mgrid[:h, :w] / max(h, w)
    img = np.empty((h, w, 3))
    centres = rng.random((4, 2))
    colours = 0.15 + 0.7 * rng.random((4, 3))
    d = np.stack([(y - cy) ** 2 + (x - cx) ** 2 for cy, cx in centres])
    img[:] = colours[np.argmin(d, axis=0)]
    img += 0.05 * rng.standard_normal((h, w, 1)) * (np.argmin(d, axis=0) % 2)[..., None]
    return np.clip(img, 0, 1)


@pytest.fixture
def pair():
    rng = make_rng(1)
    return _scene(rng), _scene(rng, 32, 30)


def test_to_grey_keeps_the_luminance(pair):
    truth = pair[0]
    g = cz.to_grey(truth)
    L = color.rgb_to_cielab(np.repeat(g[..., None], 3, 2))[..., 0]
    # exact inverse of the sRGB curve and of g: rounding of L* in [0, 100], measured 3e-14
    assert np.abs(L - color.rgb_to_cielab(truth)[..., 0]).max() < 1e-10


@pytest.mark.parametrize("method", cz.METHODS)
def test_colorize_keeps_the_target_luminance(pair, method):
    truth, exemplar = pair
    g = cz.to_grey(truth)
    out, report = cz.colorize(g, exemplar, method=method, n_clusters=(8, 10), n_samples=500, rng=0)
    assert out.shape == truth.shape and out.min() >= 0 and out.max() <= 1
    L_target = color.rgb_to_cielab(np.repeat(g[..., None], 3, 2))[..., 0]
    # the Lab result holds the target's L* itself (no arithmetic on it): equal to rounding
    assert np.abs(report.lab[..., 0] - L_target).max() < 1e-12
    # back to sRGB and to Lab before clipping: the round trip, 1e-12 on values up to 100
    back = color.rgb_to_cielab(color.cielab_to_rgb(report.lab))
    assert np.abs(back[..., 0] - L_target).max() < 1e-12
    assert 0 <= report.clipped <= 1


def _instance(rng, n=7, m=9, d=3):
    X, Y = rng.random((n, d)), rng.random((m, d))
    a, b = rng.random(n) + 0.2, rng.random(m) + 0.2
    return X, Y, a / a.sum(), b / b.sum()


def test_balanced_transport_agrees_with_pot(rng):
    X, Y, a, b = _instance(rng)
    plan, value = cz.relaxed_transport(X, Y, a=a, b=b, kappa=(1, 1))
    # HiGHS's feasibility tolerance 1e-7 on marginals of order 1/n; 1e-9 measured at 1e-16
    assert np.abs(plan.sum(1) - a).max() < 1e-9 and np.abs(plan.sum(0) - b).max() < 1e-9
    # the same linear programme solved by two exact solvers: equal values to rounding
    assert value == pytest.approx(ot.emd2(a, b, ot.dist(X, Y)), rel=1e-9)


def test_capacity_constraints_and_nested_relaxations(rng):
    X, Y, a, b = _instance(rng, 10, 12)
    values = []
    for kappa in [(1, 1), (0.5, 2), (0.2, 5), (0, np.inf)]:
        plan, value = cz.relaxed_transport(X, Y, a=a, b=b, kappa=kappa)
        assert plan.min() >= 0
        assert np.abs(plan.sum(1) - a).max() < 1e-9
        col = plan.sum(0)
        assert np.all(col >= kappa[0] * b - 1e-9) and np.all(col <= kappa[1] * b + 1e-9)
        values.append(value)
    # the feasible sets are nested: the optimal values cannot increase (up to solver rounding)
    assert all(v1 <= v0 + 1e-12 for v0, v1 in zip(values, values[1:]))


def test_extreme_relaxation_is_the_nearest_neighbour(rng):
    X, Y, a, b = _instance(rng, 15, 11)
    plan, value = cz.relaxed_transport(X, Y, a=a, b=b, kappa=(0, np.inf))
    C = ot.dist(X, Y)
    nn = np.zeros_like(C)
    nn[np.arange(len(X)), C.argmin(1)] = a  # random points: the argmins are unique
    assert value == pytest.approx((a * C.min(1)).sum(), rel=1e-9)
    assert np.abs(plan - nn).max() < 1e-9


def test_regularised_transport(rng):
    X, Y, a, b = _instance(rng, 12, 10)
    c = 20 * rng.standard_normal((10, 2))
    plan0, value0 = cz.relaxed_transport(X, Y, a=a, b=b, kappa=(0.5, 2))
    plan1, value1 = cz.relaxed_transport(X, Y, a=a, b=b, kappa=(0.5, 2), rho=1.0, values=c)
    # the regulariser is non-negative: the value can only grow; the constraints still hold
    assert value1 >= value0 - 1e-12
    assert np.abs(plan1.sum(1) - a).max() < 1e-9
    # value = transport cost + rho * graph TV of c_hat, recomputed from the plan (HiGHS tolerance 1e-7)
    edges, w = cz._knn_graph(X, 4)
    c_hat = plan1 @ c / a[:, None]
    tv = (w[:, None] * np.abs(c_hat[edges[:, 0]] - c_hat[edges[:, 1]])).sum()
    assert value1 == pytest.approx((plan1 * ot.dist(X, Y)).sum() + tv, rel=1e-6)
    # a huge weight: the constant chroma sum_j b_j c_j is feasible (product plan) with TV = 0, so
    # the optimum has TV 0: every neighbour gets the same chroma (to the solver's tolerance, scaled)
    plan2, _ = cz.relaxed_transport(X, Y, a=a, b=b, kappa=(0.5, 2), rho=1e6, values=c)
    c_hat2 = plan2 @ c / a[:, None]
    assert np.abs(c_hat2[edges[:, 0]] - c_hat2[edges[:, 1]]).max() < 1e-4


def test_clusters_reuse_gives_the_same_result(pair):
    truth, exemplar = pair
    g = cz.to_grey(truth)
    kw = dict(n_clusters=(8, 10), n_samples=600, rng=3)
    out0, rep0 = cz.colorize(g, exemplar, kappa=(1, 1), **kw)
    out1, rep1 = cz.colorize(g, exemplar, kappa=(0.2, 5), rho=0.5, **kw)
    out2, rep2 = cz.colorize(g, exemplar, kappa=(0.2, 5), rho=0.5, clusters=rep0)
    assert np.array_equal(rep1.labels, rep2.labels)
    assert np.allclose(out1, out2, atol=1e-9)  # the same programme: same solution up to HiGHS's rounding
    # the target's masses are the pixel fractions of its clusters
    assert np.allclose(np.bincount(rep0.labels.ravel()) / g.size, rep0.target_masses, atol=1e-15)
    # each target cluster gets the barycentre of the chromas it is sent to
    assert np.allclose(rep0.cluster_chroma, rep0.plan @ rep0.exemplar_chroma / rep0.target_masses[:, None], atol=1e-12)


def test_welsh_copies_exemplar_chromas(pair):
    truth, exemplar = pair
    g = cz.to_grey(truth)
    _, report = cz.colorize(g, exemplar, method="welsh", rng=0)
    ab = report.lab[..., 1:].reshape(-1, 2)
    exemplar_ab = color.rgb_to_cielab(exemplar)[..., 1:].reshape(-1, 2)
    # every pixel receives the chroma of one exemplar pixel, copied
    d = np.abs(ab[:, None, :] - exemplar_ab[None, :, :]).sum(-1).min(1)
    assert d.max() == 0


def test_chroma_error(pair):
    truth = pair[0]
    assert cz.chroma_error(truth, truth) == 0
    grey = np.repeat(cz.to_grey(truth)[..., None], 3, 2)
    lab = color.rgb_to_cielab(truth)
    # a grey image has chroma 0 (up to 1e-3, the rounding of the sRGB matrix): its error is the mean chroma
    assert cz.chroma_error(grey, truth) == pytest.approx(np.hypot(lab[..., 1], lab[..., 2]).mean(), abs=1e-3)
    assert cz.chroma_error_map(grey, truth).shape == truth.shape[:2]


def test_features_of_a_constant_image():
    phi = cz.luminance_features(np.full((12, 10), 40.0))
    # a constant luminance: means equal to it, deviations zero (to the rounding of the filters)
    assert np.allclose(phi[..., [0, 1, 4]], 40.0, atol=1e-12) and np.abs(phi[..., [2, 3]]).max() < 1e-5
