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

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOURS = sorted((ROOT / "tours").glob("[0-9][0-9]_*.ipynb"))
SCREENS = ROOT / "build" / "screens"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    pytest.skip("Chromium is not installed (Debian package `chromium`): no real-browser test", allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    pytest.skip("the Python package playwright is not installed: no real-browser test", allow_module_level=True)

RUN_TIMEOUT = 180.0  # seconds for one tour to run all its cells in the browser


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of tours/, stopped at the end."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "tours", work / "tours")
    settings = work / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # render every cell (no virtual scrolling), so that all outputs are in the page
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = work / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(work / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"), MPLBACKEND="module://matplotlib_inline.backend_inline")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work / 'tours'}", "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(work / "server.log", "w")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError("JupyterLab did not start:\n" + (work / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    args = ["--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as p:
        # a launch (not a persistent context) starts from a fresh, empty profile folder
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield b
        b.close()


_KERNEL_IDLE = """(name) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext || !w.content || !w.context || w.context.path !== name) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.content.widgets.length > 0;
}"""

# Done when the kernel is idle and either every code cell has run, or one shows an error (JupyterLab
# stops "run all" at the first error; the remaining cells then never run).
_ALL_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const failed = cells.some(c => { const o = c.model.outputs;
    for (let i = 0; i < o.length; i++) { if (o.get(i).type === 'error') return true; } return false; });
  return failed || cells.every(c => c.model.sharedModel.getSource().trim() === '' || c.model.executionCount !== null);
}"""

_ERRORS = """() => {
  const errs = [];
  window.jupyterapp.shell.currentWidget.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const outs = c.model.outputs;
    for (let k = 0; k < outs.length; k++) {
      const o = outs.get(k).toJSON();
      if (o.output_type === 'error') errs.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
    }
  });
  return errs;
}"""

# ottools.widgets draws each figure as an ipywidgets Image (img.widget-image, a new blob URL per frame)
_WIDGET_IMAGES = """() => Array.from(document.querySelectorAll('.jp-Notebook img.widget-image, .jp-Notebook .widget-output img, .jp-Notebook .jupyter-widgets-output-area img'))
                      .map(im => im.getAttribute('src') || '')"""


def _wait(page, script, timeout, what, arg=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


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
            before = page.evaluate(_WIDGET_IMAGES)
            handle.focus()
            for _ in range(presses):
                page.keyboard.press(key)
            deadline = time.time() + 10
            while time.time() < deadline:
                page.wait_for_timeout(300)
                after = page.evaluate(_WIDGET_IMAGES)
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
        url = f"{base}/lab/workspaces/{path.stem}/tree/{path.name}?reset&token={token}"
        page.goto(url, wait_until="domcontentloaded", timeout=90_000)
        _wait(page, _KERNEL_IDLE, 90, "the notebook and its kernel", path.name)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(1000)
        try:
            _wait(page, _ALL_RUN, RUN_TIMEOUT, "all cells to run")
        finally:
            page.screenshot(path=str(SCREENS / f"{path.stem}.png"))
        errors = page.evaluate(_ERRORS)
        assert not errors, f"{path.name}: cells raised errors in JupyterLab: {errors}"
        moved = _move_a_slider(page)
        if moved is not None:
            page.screenshot(path=str(SCREENS / f"{path.stem}_widget.png"))
            assert moved, f"{path.name}: moving a slider did not change the figure it drives"
    finally:
        page.close()
