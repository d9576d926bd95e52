"""The tours in a real browser: JupyterLab served locally, every tour run in Chromium, every control used.

For each tour: open it in JupyterLab, run all cells, assert that no cell shows an error; then, from the
keyboard, press every control of every figure widget once (an arrow key on a slider, Enter on
a toggle button) and assert that its picture changes: no control is dead or out of the keyboard's
reach (no Dropdown, whose arrow keys JupyterLab takes; no RadioButtons, for the same reason), and every
control has a visible label. Every Play button is clicked and must show new pictures, then stop when
paused. A screenshot of each tour goes to ``build/screens/``. (How fast the controls answer is a
benchmark, not a test: ``tests/browser/latency.py``.)

Needs Chromium (Debian's package ``chromium``) and the Python package ``playwright``; it is skipped,
with the reason, where either is missing. ``.ci/run`` installs both (never a browser download:
Playwright drives the system's Chromium). Only the server started here is stopped at the end, and it
serves a temporary copy of ``tours/`` so that nothing is written into the repository.
"""

from __future__ import annotations

import pytest

from browserlab import (CHROMIUM, CONTROLS, ERRORS, ROOT, TOURS, chromium, close_all, open_app, play, press,
                        run_in_app, serve, wait_drawn)

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
def app(lab):
    """One page of JupyterLab, loaded once, in which every tour is opened in turn."""
    base, token = lab
    with sync_playwright() as p, chromium(p) as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        open_app(page, base, token)
        yield page
        page.close()


def _use_every_control(page, name):
    """Press every control of every figure widget once; return the list of faults found."""
    faults = []
    for control in page.evaluate(CONTROLS):
        f, c, kind, label = control
        where = f"{name}: widget {f}, control {c} ({kind} {label!r})"
        if kind in ("dropdown", "radio", "other"):
            faults.append(f"{where}: JupyterLab takes the arrow keys of this control; use ToggleButtons or a SelectionSlider")
            continue
        if not label:
            faults.append(f"{where}: no visible label")
        if kind == "upload":
            continue  # a file dialog, not a key
        if kind == "play":
            result = play(page, control, seconds=1.0, settle=0.8)
            if result is None:  # a lazy player waits for its frames to be drawn
                wait_drawn(page)
                result = play(page, control, seconds=1.0, settle=0.8)
            if result is None or result[0] == 0:
                faults.append(f"{where}: the Play button shows no new picture")
            elif result[1] > 600:
                faults.append(f"{where}: the picture kept changing {result[1]:.0f} ms after the pause")
            continue
        if press(page, control, forward=True) is None and press(page, control, forward=False) is None:
            faults.append(f"{where}: a key press gives no new picture (a dead control)")
    return faults


@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_tour_runs_in_jupyterlab(app, path):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = app
    try:
        try:
            run_in_app(page, path)
        finally:
            page.screenshot(path=str(SCREENS / f"{path.stem}.png"))
        errors = page.evaluate(ERRORS)
        assert not errors, f"{path.name}: cells raised errors in JupyterLab: {errors}"
        faults = _use_every_control(page, path.name)
        page.screenshot(path=str(SCREENS / f"{path.stem}_widget.png"))
        assert not faults, "\n".join(faults)
    finally:
        # the kernel shut down (it would go on drawing lazy frames while the next tour runs), the
        # notebook closed unsaved: the next tour starts in an empty JupyterLab
        close_all(page)
