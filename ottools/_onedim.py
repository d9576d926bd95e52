r"""The 1-D monotone coupling on merged cumulative weights: one kernel for every module.

On the line, for every convex cost :math:`h(x - y)`, the optimal coupling of two probability
measures is the monotone one (Santambrogio 2015, ch. 2):
:math:`W_h(\mu, \nu) = \int_0^1 h\big(F_\mu^{-1}(s) - F_\nu^{-1}(s)\big)\,ds`. For discrete measures
both quantile functions are piecewise constant, with jumps at the cumulative weights of the sorted
atoms. Merging the jumps of all the measures, :math:`0 = t_0 < t_1 \le \dots \le t_P = 1`, gives
pieces :math:`(t_{k-1}, t_k]` on each of which every quantile function takes one value: the
``k``-th piece couples the sorted atoms ``idx[0][k], idx[1][k], ...`` with mass
:math:`t_k - t_{k-1}` (pieces of length zero carry no mass and are harmless). This is used by

* :func:`ottools.discrete.wasserstein_1d` (two measures, :math:`W_p`),
* :mod:`ottools.sliced` (two measures along each of ``K`` directions: the rows of ``(K, N)`` arrays),
* :func:`ottools.barycenters.quantile_barycenter_1d` (``L`` measures: the barycenter's atoms are the
  weighted means of the quantiles on each piece) and the sliced barycenter.

Private: the callers validate their inputs; these functions assume sorted atoms, non-negative
weights and cumulative weights ending at 1.

References
----------
F. Santambrogio, *Optimal Transport for Applied Mathematicians*, Birkhauser 2015, ch. 2.
G. Peyre, M. Cuturi, *Computational Optimal Transport*, FnT ML 11(5-6), 2019, sec. 2.6.
"""

from __future__ import annotations

import numpy as np


def cumulative_weights(w):
    r"""Cumulative sums of sorted weights along the last axis, clamped to ``[0, 1]``, last one exactly 1.

    ``w`` holds the weights of the sorted atoms, shape ``(..., N)``; both measures of a coupling
    then have exactly unit mass, whatever the round-off of the sums.
    """
    cw = np.cumsum(w, axis=-1)
    np.minimum(cw, 1.0, out=cw)
    cw[..., -1] = 1.0
    return cw


def merged_pieces(cws):
    r"""The monotone coupling of several measures, row by row.

    Parameters
    ----------
    cws : list of L ndarrays of shape (K, N_l)
        Cumulative weights of the sorted atoms of each measure (non-decreasing rows ending at 1),
        ``K`` independent problems (one per direction) stacked as rows.

    Returns
    -------
    lengths : ndarray of shape (K, P), ``P = sum_l N_l``
        Lengths :math:`t_k - t_{k-1}` of the pieces of the merged grid (some may be zero).
    idx : list of L int ndarrays of shape (K, P)
        ``idx[l][r, k]``: the sorted atom of measure ``l`` that its quantile function takes on piece
        ``k`` of row ``r``.

    Notes
    -----
    The merged grid is one stable sort of the concatenated cumulative weights (linear on the
    sorted runs). On the ``k``-th piece the quantile function of measure ``l`` takes its atom number
    ``#{jumps of l before position k}``: a jump of another measure at the same value sorts after
    (stable order) and leaves a piece of length zero, so the count is exact on every piece of
    positive length. Linear time after the sort: one cumulative count per measure.
    """
    allcw = np.concatenate(cws, axis=1)
    order = np.argsort(allcw, axis=1, kind="stable")
    t = np.take_along_axis(allcw, order, axis=1)
    lengths = np.diff(t, axis=1, prepend=0.0)
    idx, lo = [], 0
    for cw in cws:  # loop over the L measures only
        n = cw.shape[1]
        mine = (order >= lo) & (order < lo + n)
        count = np.cumsum(mine, axis=1)
        count -= mine  # jumps of this measure strictly before the piece
        np.minimum(count, n - 1, out=count)
        idx.append(count)
        lo += n
    return lengths, idx


def uniform_pieces(n, m):
    r"""The monotone coupling of the uniform measures on ``n`` and ``m`` sorted atoms.

    Returns ``(ix, iy, lengths)`` of shape ``(P,)``: on the ``k``-th piece of the merged grid
    ``{i/n} U {j/m}`` (length ``lengths[k]``) the quantile functions take the sorted atoms ``ix[k]``
    and ``iy[k]``. Exact integer arithmetic on the grid of step ``1/(n m)``; no piece has length 0
    and ``P <= n + m - 1``.
    """
    cx = np.arange(1, n + 1, dtype=np.int64) * m
    cy = np.arange(1, m + 1, dtype=np.int64) * n
    t = np.union1d(cx, cy)
    lengths = np.diff(t, prepend=0) / (n * m)
    ix = np.searchsorted(cx, t, side="left")
    iy = np.searchsorted(cy, t, side="left")
    return ix, iy, lengths


def atom_means(values, ix, lengths, mass):
    r"""Mean over each atom's quantile interval of a function given on the pieces.

    Parameters
    ----------
    values : ndarray of shape (K, P)
        A value per piece (e.g. the target's quantile ``sy[iy]`` on it).
    ix : int ndarray of shape (K, P) or (P,)
        The sorted atom of the first measure on each piece (non-decreasing along each row).
    lengths : ndarray of shape (K, P) or (P,)
        The pieces' lengths.
    mass : ndarray of shape (K, n) or (n,)
        Masses of the sorted atoms (``sum`` of the lengths of their pieces).

    Returns
    -------
    means : ndarray of shape (K, n)
        :math:`\frac1{a_i}\int_{F(x_i^-)}^{F(x_i)} G^{-1}(s)\,ds` for each sorted atom ``i``: where the
        1-D optimal plan sends the atom on average (its barycentric projection). Atoms without mass
        get NaN; the caller decides (they do not move).
    """
    k, p = values.shape
    n = mass.shape[-1]
    if ix.ndim == 1:  # one grid for all rows: sum the consecutive pieces of each atom
        starts = np.flatnonzero(np.diff(ix, prepend=-1))
        sums = np.add.reduceat(values * lengths, starts, axis=1)
        if sums.shape[1] != n:  # pragma: no cover - uniform grids cover every atom
            raise AssertionError("every atom must own a piece of the grid")
    else:
        flat = (ix + n * np.arange(k)[:, None]).ravel()
        sums = np.bincount(flat, weights=(lengths * values).ravel(), minlength=k * n).reshape(k, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mass > 0, sums / np.where(mass > 0, mass, 1.0), np.nan)
