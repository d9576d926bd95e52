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
