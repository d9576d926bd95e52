"""The tours in a real browser: JupyterLab served locally, every tour run in Chromium, sliders moved.

For each tour: open it in JupyterLab, run all cells, assert that no cell shows an error; for every tour
with sliders, move one and assert that the figure it drives changes. A screenshot of each tour goes to
``build/screens/``.

Needs Chromium (Debian's package ``chromium``) and the Python package ``playwright``; it is skipped,
with the reason, where either is missing. ``.ci/run`` installs both (never a browser download:
Playwright drives the system's Chromium). Only the server started here is stopped at the end, and it
serves a temporary copy of ``tours/`` so that nothing is written into the repository.
"""

from __future__ import annotations

import time

import pytest

from browserlab import CHROMIUM, ERRORS, ROOT, TOURS, WIDGET_IMAGES, chromium, open_and_run, serve

SCREENS = ROOT / "build" / "screens"

if CHROMIUM is None:
    pytest.skip("Chromium is not installed (Debian package `chromium`): no real-browser test", allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    pytest.skip("the Python package playwright is not installed: no real-browser test", allow_module_level=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    with sync_playwright() as p, chromium(p) as b:
        yield b


def _move_a_slider(page):
    """Move each slider handle in turn (down, then up: a slider may start at either end of its range)
    until the figure of a widget changes.

    Returns None if the tour has no slider, else True/False: did some figure change?
    """
    handles = page.locator(".jp-Notebook .noUi-handle")
    if handles.count() == 0:
        return None
    for k in range(min(handles.count(), 10)):
        handle = handles.nth(k)
        if not handle.is_visible():
            continue
        handle.scroll_into_view_if_needed()
        for key, presses in (("ArrowLeft", 3), ("ArrowRight", 6)):
            before = page.evaluate(WIDGET_IMAGES)
            handle.focus()
            for _ in range(presses):
                page.keyboard.press(key)
            deadline = time.time() + 10
            while time.time() < deadline:
                page.wait_for_timeout(300)
                after = page.evaluate(WIDGET_IMAGES)
                if after and after != before:
                    return True
    return False


@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_tour_runs_in_jupyterlab(lab, browser, path):
    base, token = lab
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        # a workspace of its own, reset: JupyterLab must not restore the tabs of the previous tour
        try:
            open_and_run(page, base, token, path)
        finally:
            page.screenshot(path=str(SCREENS / f"{path.stem}.png"))
        errors = page.evaluate(ERRORS)
        assert not errors, f"{path.name}: cells raised errors in JupyterLab: {errors}"
        moved = _move_a_slider(page)
        if moved is not None:
            page.screenshot(path=str(SCREENS / f"{path.stem}_widget.png"))
            assert moved, f"{path.name}: moving a slider did not change the figure it drives"
    finally:
        page.close()
