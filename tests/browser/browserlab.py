"""JupyterLab in headless Chromium, shared by the browser test and the latency benchmark.

:func:`serve` starts JupyterLab on 127.0.0.1 (random port and token) on a temporary copy of the
tours, :func:`chromium` launches Debian's Chromium through Playwright (never a browser download), and
:func:`open_and_run` opens a tour and runs all its cells.
"""

from __future__ import annotations

import contextlib
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

ROOT = Path(__file__).resolve().parents[2]
TOURS = sorted((ROOT / "tours").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
RUN_TIMEOUT = 180.0  # seconds for one tour to run all its cells in the browser


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(work):
    """A JupyterLab server on 127.0.0.1 serving a copy of tours/ made in the folder ``work``; yields
    ``(base_url, token)`` and stops the server at the end."""
    work = Path(work)
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


@contextlib.contextmanager
def chromium(playwright):
    """Headless Chromium from a fresh, empty profile (a launch, not a persistent context)."""
    args = ["--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        yield b
    finally:
        b.close()


KERNEL_IDLE = """(name) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext || !w.content || !w.context || w.context.path !== name) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.content.widgets.length > 0;
}"""

# Done when the kernel is idle and either every code cell has run, or one shows an error (JupyterLab
# stops "run all" at the first error; the remaining cells then never run).
ALL_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const failed = cells.some(c => { const o = c.model.outputs;
    for (let i = 0; i < o.length; i++) { if (o.get(i).type === 'error') return true; } return false; });
  return failed || cells.every(c => c.model.sharedModel.getSource().trim() === '' || c.model.executionCount !== null);
}"""

ERRORS = """() => {
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
WIDGET_IMAGES = """() => Array.from(document.querySelectorAll('.jp-Notebook img.widget-image, .jp-Notebook .widget-output img, .jp-Notebook .jupyter-widgets-output-area img'))
                      .map(im => im.getAttribute('src') || '')"""


def wait(page, script, timeout, what, arg=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def open_and_run(page, base, token, path):
    """Open the tour ``path`` in its own, reset workspace, run all its cells, wait for the end."""
    url = f"{base}/lab/workspaces/{path.stem}/tree/{path.name}?reset&token={token}"
    page.goto(url, wait_until="domcontentloaded", timeout=90_000)
    wait(page, KERNEL_IDLE, 90, "the notebook and its kernel", path.name)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(1000)
    wait(page, ALL_RUN, RUN_TIMEOUT, "all cells to run")
