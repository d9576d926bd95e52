"""Timing cases of ottools.discrete (targets from issue 3), run by ``python benchmarks/run.py``."""

import numpy as np
import ot
from scipy.optimize import linear_sum_assignment

from ottools import discrete

from harness import Case, relative_difference  # run.py puts benchmarks/ on sys.path


def cases():
    rng = np.random.default_rng(0)
    out = []

    # 1-D, 10^6 + 10^6 weighted points; POT's ot.wasserstein_1d returns W_p^p
    n = 10**6
    x, y = rng.normal(size=n), rng.normal(0.5, 2.0, size=n)
    a, b = rng.random(n), rng.random(n)
    a, b = a / a.sum(), b / b.sum()
    out.append(
        Case(
            "wasserstein_1d weighted",
            "1e6 + 1e6",
            lambda: discrete.wasserstein_1d(x, y, a=a, b=b, p=2),
            peer=lambda: float(ot.wasserstein_1d(x, y, a, b, p=2)) ** 0.5,
            peer_name="ot.wasserstein_1d",
            quality=relative_difference,
            target="< 0.5 s",
        )
    )

    # assignment N = 2000 (cost matrix included in both)
    N = 2000
    X, Y = rng.random((N, 2)), rng.random((N, 2))
    u = np.full(N, 1.0 / N)

    def lsa():
        C = discrete.cost_matrix(X, Y)
        r, c = linear_sum_assignment(C)
        return C[r, c].mean()

    def ours_assign():
        sigma = discrete.assignment(X, Y)
        return np.mean(np.sum((X - Y[sigma]) ** 2, axis=1))

    out.append(
        Case("assignment", f"N={N}", ours_assign, peer=lsa,
             peer_name="scipy linear_sum_assignment", quality=relative_difference, target="<= 1.2x scipy")
    )
    out.append(
        Case("assignment", f"N={N}", ours_assign,
             peer=lambda: ot.emd2(u, u, ot.dist(X, Y)), peer_name="ot.emd2",
             quality=relative_difference, target="side by side", repeat=3)
    )

    # Kantorovich LP 200 x 300, random weights: a vertex
    N1, N2 = 200, 300
    Xk, Yk = rng.random((N1, 2)), rng.random((N2, 2))
    ak, bk = rng.random(N1), rng.random(N2)
    ak, bk = ak / ak.sum(), bk / bk.sum()
    Ck = discrete.cost_matrix(Xk, Yk)

    def quality_lp(ours, peer):
        P, cost = ours[0], ours[1]
        nnz = np.count_nonzero(P)
        return f"nnz {nnz} <= {N1 + N2 - 1}: {nnz <= N1 + N2 - 1}; {relative_difference(cost, peer)}"

    out.append(
        Case("kantorovich (highs-ds)", f"{N1}x{N2}", lambda: discrete.kantorovich(Ck, a=ak, b=bk),
             peer=lambda: ot.emd2(ak, bk, Ck), peer_name="ot.emd2", quality=quality_lp,
             target="< 2 s, vertex", repeat=3)
    )

    # auction N = 1000 against scipy (same cost matrix)
    Na = 1000
    Ca = discrete.cost_matrix(rng.random((Na, 2)), rng.random((Na, 2)))
    eps = 1e-6 / Na

    def quality_auction(ours, peer):
        gap = Ca[np.arange(Na), ours[0]].sum() - Ca[np.arange(Na), peer].sum()
        return f"gap {gap:.1e} <= N eps = {Na * eps:.0e}"

    out.append(
        Case("auction (eps-scaling)", f"N={Na}", lambda: discrete.auction(Ca, eps=eps),
             peer=lambda: linear_sum_assignment(Ca)[1], peer_name="scipy linear_sum_assignment",
             quality=quality_auction, target="< 10x scipy", repeat=3)
    )
    return out
