"""Shared fixtures of the unit tests."""

from __future__ import annotations

import zlib

import pytest

from seeds import base_seed, make_rng


def pytest_report_header(config):
    return f"ottools test seed: OTTOOLS_TEST_SEED={base_seed()}"


@pytest.fixture
def rng(request):
    """A generator seeded by the base seed and the test's name (stable across runs and machines)."""
    return make_rng(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture(scope="session")
def reading_edition(tmp_path_factory):
    """The reading edition of tours 00 and 05, built once for the session: ``(folder, written paths)``.

    Two tours with every kind of widget the player handles (toggle buttons, sliders, a Play, a lazy
    widget's thinned grid). Budget 0: each lazy widget draws its thinned grid only, which is what
    the test of a page needs (the full edition is ``python -m ottools.editions html``).
    """
    from ottools import editions

    out = tmp_path_factory.mktemp("reading_edition")
    written = editions.build_html(out, selection=["00", "05"], quiet=True, budget=0, seconds=0.0)
    return out, written
