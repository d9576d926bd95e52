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


APP_READY = ("() => !!(window.jupyterapp && window.jupyterapp.shell"
             " && window.jupyterapp.commands.hasCommand('docmanager:open'))")


def open_app(page, base, token, workspace="browser-test"):
    """Load JupyterLab once in ``page``, in an empty, reset workspace of its own (no tab restored)."""
    page.goto(f"{base}/lab/workspaces/{workspace}?reset&token={token}", wait_until="domcontentloaded", timeout=90_000)
    wait(page, APP_READY, 90, "JupyterLab to start")
    page.evaluate("async () => { await window.jupyterapp.restored; }")  # the (empty) workspace restored


def run_in_app(page, path):
    """In a JupyterLab already loaded by :func:`open_app`, open the tour ``path``, run all its cells
    and wait for the end (loading JupyterLab again for each tour would cost ~5 s a tour)."""
    page.evaluate("(p) => { window.jupyterapp.commands.execute('docmanager:open', {path: p}); }", path.name)
    wait(page, KERNEL_IDLE, 90, "the notebook and its kernel", path.name)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(1000)
    wait(page, ALL_RUN, RUN_TIMEOUT, "all cells to run")


def close_all(page):
    """Shut down the kernels of the open notebooks and close them, unsaved (nothing is written)."""
    page.evaluate("""async () => { const app = window.jupyterapp;
      for (const w of Array.from(app.shell.widgets('main'))) {
        if (w.sessionContext && w.sessionContext.session) { try { await w.sessionContext.shutdown(); } catch (e) {} }
        w.dispose();
      } }""")


def shutdown(page):
    """Shut the kernel of the current notebook down (a kernel left running would go on drawing the
    frames of its lazy widgets while the next tour runs)."""
    page.evaluate("""async () => { const w = window.jupyterapp.shell.currentWidget;
      if (w && w.sessionContext) { await w.sessionContext.shutdown(); } }""")


# --- the controls of ottools' figure widgets (ottools.widgets.FigureWidget: a .ottools-figure box) ---

DEAD_AFTER = 5.0  # s without a new picture after a key press: the control is dead
DRAWN_TIMEOUT = 600.0  # s to wait for an idle kernel to draw the frames of the lazy widgets

_SELECTORS = ("'.widget-slider, .widget-toggle-buttons, .widget-radio-box, .widget-checkbox, .widget-play, "
              ".widget-dropdown, .widget-upload'")
# the picture on screen: of a Stack of pictures only the selected one is displayed
_VISIBLE = ("const figs = () => document.querySelectorAll('.jp-Notebook .ottools-figure');"
            "const shown = fig => Array.from(fig.querySelectorAll('img.widget-image'))"
            ".find(im => im.offsetParent !== null) || null;")

# Every control of every figure widget: [figure index, control index, kind, label].
CONTROLS = """() => { %s
  const out = [];
  figs().forEach((fig, f) => {
    fig.querySelectorAll(%s).forEach((el, c) => {
      const kinds = {'widget-play': 'play', 'widget-slider': 'slider', 'widget-toggle-buttons': 'toggle',
                     'widget-radio-box': 'radio', 'widget-checkbox': 'checkbox', 'widget-dropdown': 'dropdown',
                     'widget-upload': 'upload'};
      let kind = 'other';
      for (const k in kinds) if (el.classList.contains(k)) { kind = kinds[k]; break; }
      // a Play's label is beside it in its row (ottools.widgets.player: "animate", Play, slider)
      const box = kind === 'play' ? el.parentElement : (el.closest('.widget-inline-hbox') || el.parentElement);
      // a control's own label first (a slider or ToggleButtons holds its description), else its row's
      const lab = el.querySelector(':scope > .widget-label') || (box && box.querySelector('.widget-label'));
      let label = lab ? lab.textContent.trim() : '';
      if (kind === 'upload' || kind === 'checkbox') label = label || el.textContent.trim();
      out.push([f, c, kind, label]);
    });
  });
  return out;
}""" % (_VISIBLE, _SELECTORS)

# Focus the control's keyboard target and arm the timer: keydown -> the next paint after the new
# picture is decoded. Returns the key to press (null: no keyboard target).
_ARM = """([f, c, kind, forward0]) => { %s
  let forward = forward0;
  const fig = figs()[f];
  const el = fig.querySelectorAll(%s)[c];
  window.__lat = undefined;
  let target = null, key = null;
  if (kind === 'slider') {
    target = el.querySelector('.noUi-handle');
    const now = parseFloat(target.getAttribute('aria-valuenow'));  // at an end, a slider moves one way
    if (now >= parseFloat(target.getAttribute('aria-valuemax'))) forward = false;
    else if (now <= parseFloat(target.getAttribute('aria-valuemin'))) forward = true;
    key = forward ? 'ArrowRight' : 'ArrowLeft';
  } else if (kind === 'toggle') {
    const buttons = Array.from(el.querySelectorAll('button'));
    const active = buttons.findIndex(b => b.classList.contains('mod-active'));
    // Enter clicks a focused button at the key's press (the space bar only at its release)
    target = buttons[(active + (forward ? 1 : buttons.length - 1)) %% buttons.length]; key = 'Enter';
  } else if (kind === 'radio') {
    target = el.querySelector('input:checked') || el.querySelector('input'); key = forward ? 'ArrowDown' : 'ArrowUp';
  } else if (kind === 'checkbox') { target = el.querySelector('input'); key = ' '; }
  else if (kind === 'dropdown') { target = el.querySelector('select'); key = forward ? 'ArrowDown' : 'ArrowUp'; }
  const before = shown(fig);
  if (!target || !before) return null;
  target.scrollIntoView({block: 'center'});
  target.focus();
  // the picture is swapped in place (a new src) or another picture of a Stack is shown
  const src = before.getAttribute('src');
  let t0 = null;
  const onKey = e => { if (t0 === null) t0 = e.timeStamp; };
  document.addEventListener('keydown', onKey, {capture: true, once: true});
  const check = () => {
    const now = shown(fig);
    // a frame not drawn yet ("ottools-pending", a blank) is not the new picture: its drawing is
    if (!now || t0 === null || (now === before && now.getAttribute('src') === src) || !now.getAttribute('src')
        || now.classList.contains('ottools-pending')) return;
    obs.disconnect();
    const done = () => requestAnimationFrame(() => { window.__lat = performance.now() - t0; });
    now.decode().then(done, done);
  };
  const obs = new MutationObserver(check);
  obs.observe(fig, {attributes: true, attributeFilter: ['src', 'class', 'style'], childList: true, subtree: true});
  window.__disarm = () => { obs.disconnect(); document.removeEventListener('keydown', onKey, {capture: true}); };
  return key;
}""" % (_VISIBLE, _SELECTORS)


def press(page, control, forward=True):
    """Press the key of ``control`` (a row of CONTROLS); return the milliseconds from the key to the
    paint of the new picture, or None if no new picture came within DEAD_AFTER (or the control has no
    keyboard target)."""
    key = page.evaluate(_ARM, [*control[:3], forward])
    if key is None:
        return None
    page.keyboard.press(key)
    deadline = time.time() + DEAD_AFTER
    while time.time() < deadline:
        value = page.evaluate("() => window.__lat")
        if value is not None:
            page.wait_for_timeout(150)  # let the kernel settle before the next press
            return float(value)
        page.wait_for_timeout(10)
    page.evaluate("() => window.__disarm && window.__disarm()")
    return None


# Play: click it, record every change of the picture on screen; pause; the changes after the pause.
_PLAY_START = """([f, c]) => { %s
  const fig = figs()[f];
  const play = fig.querySelectorAll(%s)[c];
  const [button, , repeat] = play.querySelectorAll('button');  // play/pause, stop, repeat
  if (button.disabled) return false;
  // loop while measuring, so that a short animation does not reach its end (and pause is a pause)
  window.__repeatSet = !repeat.classList.contains('mod-active');
  if (window.__repeatSet) repeat.click();
  window.__changes = []; window.__paused = null;
  let last = shown(fig);
  let lastSrc = last && last.getAttribute('src');
  window.__obs = new MutationObserver(() => {
    const now = shown(fig);
    if (now && now.getAttribute('src') && !now.classList.contains('ottools-pending')
        && (now !== last || now.getAttribute('src') !== lastSrc)) {
      last = now; lastSrc = now.getAttribute('src'); window.__changes.push(performance.now()); }
  });
  window.__obs.observe(fig, {attributes: true, attributeFilter: ['src', 'class', 'style'], childList: true, subtree: true});
  play.scrollIntoView({block: 'center'});
  button.click();
  window.__t0 = performance.now();
  return true;
}""" % (_VISIBLE, _SELECTORS)

_PLAY_PAUSE = """([f, c]) => { %s
  const play = figs()[f].querySelectorAll(%s)[c];
  const button = play.querySelectorAll('button')[0];
  if (button.querySelector('i.fa-pause')) button.click();  // the same button pauses while playing
  window.__paused = performance.now();
  const ch = window.__changes.filter(t => t <= window.__paused);
  // frames per second while the pictures changed (a Play reaching its end stops there)
  return ch.length >= 2 ? (ch.length - 1) / ((ch[ch.length - 1] - ch[0]) / 1000) : 0;
}""" % (_VISIBLE, _SELECTORS)

_PLAY_STOPPED = """([f, c]) => { %s window.__obs.disconnect();
  const play = figs()[f].querySelectorAll(%s)[c];
  if (window.__repeatSet) play.querySelectorAll('button')[2].click();  // as the reader left it
  const after = window.__changes.filter(t => t > window.__paused);
  return after.length ? after[after.length - 1] - window.__paused : 0; }""" % (_VISIBLE, _SELECTORS)


def play(page, control, seconds=2.0, settle=1.5):
    """Click a Play button, let it play ``seconds``, pause it; return (frames per second while it
    played, milliseconds during which the picture kept changing after the pause), or None if the
    button is disabled."""
    if not page.evaluate(_PLAY_START, list(control[:2])):
        return None
    page.wait_for_timeout(int(1000 * seconds))
    fps = page.evaluate(_PLAY_PAUSE, list(control[:2]))
    page.wait_for_timeout(int(1000 * settle))
    return float(fps), float(page.evaluate(_PLAY_STOPPED, list(control[:2])))


DRAWING = "() => document.querySelectorAll('.jp-Notebook .ottools-figure.ottools-drawing').length"


def wait_drawn(page, timeout=DRAWN_TIMEOUT):
    """Wait until the kernel has drawn every frame of the lazy widgets (no ``.ottools-drawing`` left);
    return the seconds waited."""
    start = time.time()
    wait(page, "() => " + DRAWING[6:] + " === 0", timeout, "the lazy widgets' frames to be drawn")
    return time.time() - start
