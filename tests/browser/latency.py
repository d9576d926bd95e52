"""Widget latency in JupyterLab: how long each control of each tour takes, from key press to new paint.

    python tests/browser/latency.py            # every tour; writes benchmarks/LATENCY.md
    python tests/browser/latency.py 05 12      # some tours
    python tests/browser/latency.py --out x.md

A benchmark, not a test (its numbers depend on the machine). For every figure widget of a tour (an
``ottools.widgets.FigureWidget``, the ``.ottools-figure`` boxes of the page) and every control in it,
the control is given the keyboard focus and a key is pressed as a reader would: an arrow key on a
slider or a radio button, the space bar on a toggle button or a checkbox. The time runs from the
``keydown`` event to the first animation frame after the widget's new picture is decoded, i.e. until
the new figure can be on the screen. Each control is pressed ``--presses`` times (default 3, the
direction alternating so a slider stays in range) and the median is reported; a control whose picture
does not change within 5 s is reported as dead.

For a Play button, the benchmark clicks play, counts the distinct pictures shown during 3 s (frames per
second), clicks pause and measures how long pictures keep changing after the click.

Needs Chromium and playwright, like the browser test (see the README).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from browserlab import CHROMIUM, ROOT, TOURS, chromium, open_and_run, serve  # noqa: E402

DEAD_AFTER = 5.0  # s without a new picture: the control is dead

# Every control of every figure widget: (figure index, control index, kind, label).
_CONTROLS = """() => {
  const out = [];
  document.querySelectorAll('.jp-Notebook .ottools-figure').forEach((fig, f) => {
    const controls = fig.querySelectorAll(
      '.widget-slider, .widget-toggle-buttons, .widget-radio-box, .widget-checkbox, .widget-play, .widget-dropdown, .widget-upload');
    controls.forEach((el, c) => {
      let kind = 'other';
      if (el.classList.contains('widget-play')) kind = 'play';
      else if (el.classList.contains('widget-slider')) kind = 'slider';
      else if (el.classList.contains('widget-toggle-buttons')) kind = 'toggle';
      else if (el.classList.contains('widget-radio-box')) kind = 'radio';
      else if (el.classList.contains('widget-checkbox')) kind = 'checkbox';
      else if (el.classList.contains('widget-dropdown')) kind = 'dropdown';
      else if (el.classList.contains('widget-upload')) kind = 'upload';
      let label = '';
      const box = el.closest('.widget-inline-hbox') || el.parentElement;
      const lab = box && box.querySelector('.widget-label');
      if (lab) label = lab.textContent.trim();
      if (!label && kind === 'play') label = 'Play';
      out.push([f, c, kind, label]);
    });
  });
  return out;
}"""

# Focus the control's keyboard target and arm the timer: keydown -> next paint after the new picture.
_ARM = """([f, c, kind, forward0]) => {
  let forward = forward0;
  const fig = document.querySelectorAll('.jp-Notebook .ottools-figure')[f];
  const el = fig.querySelectorAll(
    '.widget-slider, .widget-toggle-buttons, .widget-radio-box, .widget-checkbox, .widget-play, .widget-dropdown, .widget-upload')[c];
  const img = fig.querySelector('img.widget-image');
  window.__lat = undefined;
  let target = null, key = null;
  if (kind === 'slider') {
    target = el.querySelector('.noUi-handle');
    // at an end of its range a slider can only move one way
    const now = parseFloat(target.getAttribute('aria-valuenow'));
    if (now >= parseFloat(target.getAttribute('aria-valuemax'))) forward = false;
    else if (now <= parseFloat(target.getAttribute('aria-valuemin'))) forward = true;
    key = forward ? 'ArrowRight' : 'ArrowLeft';
  }
  else if (kind === 'toggle') {
    const buttons = Array.from(el.querySelectorAll('button'));
    const active = buttons.findIndex(b => b.classList.contains('mod-active'));
    target = buttons[(active + (forward ? 1 : buttons.length - 1)) % buttons.length]; key = ' ';
  } else if (kind === 'radio') {
    target = el.querySelector('input:checked') || el.querySelector('input'); key = forward ? 'ArrowDown' : 'ArrowUp';
  } else if (kind === 'checkbox') { target = el.querySelector('input'); key = ' '; }
  else if (kind === 'dropdown') { target = el.querySelector('select'); key = forward ? 'ArrowDown' : 'ArrowUp'; }
  if (!target || !img) return null;
  target.scrollIntoView({block: 'center'});
  target.focus();
  // the picture is either swapped in place (new src) or replaced (a Stack of pictures shows another child)
  const before = img.getAttribute('src');
  let t0 = null;
  const onKey = e => { if (t0 === null) t0 = e.timeStamp; };
  document.addEventListener('keydown', onKey, {capture: true, once: true});
  const obs = new MutationObserver(() => {
    const now = fig.querySelector('img.widget-image');
    if (!now || now.getAttribute('src') === before || t0 === null) return;
    obs.disconnect();
    const done = () => requestAnimationFrame(() => { window.__lat = performance.now() - t0; });
    now.decode().then(done, done);
  });
  obs.observe(fig, {attributes: true, attributeFilter: ['src'], childList: true, subtree: true});
  window.__disarm = () => { obs.disconnect(); document.removeEventListener('keydown', onKey, {capture: true}); };
  return key;
}"""

# Play: count distinct pictures while playing, then the time pictures keep changing after pause.
_PLAY_START = """([f, c]) => {
  const fig = document.querySelectorAll('.jp-Notebook .ottools-figure')[f];
  const play = fig.querySelectorAll('.widget-play')[0];
  const img = fig.querySelector('img.widget-image');
  window.__srcs = new Set(); window.__last = performance.now(); window.__paused = null;
  window.__obs = new MutationObserver(() => {
    const now = fig.querySelector('img.widget-image');
    if (now && !window.__srcs.has(now.getAttribute('src'))) { window.__srcs.add(now.getAttribute('src')); window.__last = performance.now(); }
  });
  window.__obs.observe(fig, {attributes: true, attributeFilter: ['src'], childList: true, subtree: true});
  play.scrollIntoView({block: 'center'});
  play.querySelectorAll('button')[0].click();
  window.__t0 = performance.now();
  return true;
}"""

_PLAY_PAUSE = """([f, c]) => {
  const fig = document.querySelectorAll('.jp-Notebook .ottools-figure')[f];
  const play = fig.querySelectorAll('.widget-play')[0];
  const fps = window.__srcs.size / ((performance.now() - window.__t0) / 1000);
  play.querySelectorAll('button')[0].click();  // the same button pauses
  window.__paused = performance.now();
  return fps;
}"""

_PLAY_STOPPED = """() => { window.__obs.disconnect(); return Math.max(0, window.__last - window.__paused); }"""


def _press(page, control, forward):
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


def measure_tour(page, base, token, path, presses):
    open_and_run(page, base, token, path)
    page.wait_for_timeout(500)
    rows = []
    for control in page.evaluate(_CONTROLS):
        f, c, kind, label = control
        if kind == "upload":
            continue  # a file dialog, not a key
        if kind == "play":
            page.evaluate(_PLAY_START, [f, c])
            page.wait_for_timeout(3000)
            fps = page.evaluate(_PLAY_PAUSE, [f, c])
            page.wait_for_timeout(1500)
            tail = page.evaluate(_PLAY_STOPPED)
            rows.append((path.stem, f, label or "Play", kind, None, fps, tail))
            continue
        times = [_press(page, control, forward=(k % 2 == 0)) for k in range(presses)]
        measured = [t for t in times if t is not None]
        median = statistics.median(measured) if len(measured) == len(times) else None
        rows.append((path.stem, f, label, kind, median, None, None))
    return rows


def table(rows, header):
    lines = [header, "",
             "| tour | widget | control | kind | median key-to-paint (ms) | Play fps | Play stops after (ms) |",
             "|---|---|---|---|---|---|---|"]
    for tour, f, label, kind, ms, fps, tail in rows:
        ms_text = "-" if kind == "play" else ("dead (no new picture in 5 s)" if ms is None else f"{ms:.0f}")
        lines.append(f"| {tour} | {f} | {label or '?'} | {kind} | {ms_text} | "
                     f"{'-' if fps is None else f'{fps:.1f}'} | {'-' if tail is None else f'{tail:.0f}'} |")
    keyed = [r[4] for r in rows if r[3] != "play"]
    measured = [m for m in keyed if m is not None]
    if measured:
        lines += ["", f"{len(keyed)} keyboard controls: {sum(m <= 150 for m in measured)} within 150 ms, "
                      f"{len(keyed) - len(measured)} dead; median {statistics.median(measured):.0f} ms, "
                      f"slowest {max(measured):.0f} ms."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tours", nargs="*", help="numbers of the tours (default: all)")
    parser.add_argument("--presses", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "LATENCY.md"))
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        sys.exit("Chromium is not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    paths = [p for p in TOURS if not args.tours or any(p.name.startswith(t.zfill(2) + "_") for t in args.tours)]
    rows = []
    with tempfile.TemporaryDirectory() as work, serve(work) as (base, token), \
            sync_playwright() as pw, chromium(pw) as browser:
        for path in paths:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                start = time.time()
                found = measure_tour(page, base, token, path, args.presses)
                print(f"{path.stem}: {len(found)} controls in {time.time() - start:.0f} s", file=sys.stderr)
                rows += found
            finally:
                page.close()
    import os
    import platform

    header = (f"# Widget latency in JupyterLab\n\nMeasured by `python tests/browser/latency.py` on "
              f"{platform.machine()}, {os.cpu_count()} cores, headless Chromium, {time.strftime('%Y-%m-%d')}: "
              f"median of {args.presses} key presses per control, from the key to the first paint of the new picture.")
    text = table(rows, header)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
