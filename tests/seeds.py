"""Seeds of the unit tests, set from the environment so that no test depends on one lucky seed.

Every random draw of the tests comes from :func:`make_rng`, whose stream depends on a *base seed*
(the environment variable ``OTTOOLS_TEST_SEED``, 0 when unset) and on a per-test key. The suite is
run under several base seeds before a release::

    for s in 0 1 2 3 4 5 6 7 8 9; do OTTOOLS_TEST_SEED=$s python -m pytest tests -q; done

A tolerance in a test must therefore hold for every seed: it is derived from the method, or measured
over many seeds with a wide margin, never read off one run.
"""

from __future__ import annotations

import os

import numpy as np


def base_seed() -> int:
    """The base seed of this run: ``$OTTOOLS_TEST_SEED`` (a non-negative integer), 0 by default."""
    raw = os.environ.get("OTTOOLS_TEST_SEED", "0").strip() or "0"
    try:
        seed = int(raw)
    except ValueError:
        raise ValueError(f"OTTOOLS_TEST_SEED must be a non-negative integer, got {raw!r}") from None
    if seed < 0:
        raise ValueError(f"OTTOOLS_TEST_SEED must be a non-negative integer, got {seed}")
    return seed


def make_rng(key: int = 0) -> np.random.Generator:
    """A generator for one test: independent streams for different ``key``, all moved by the base seed."""
    return np.random.default_rng([base_seed(), int(key)])
