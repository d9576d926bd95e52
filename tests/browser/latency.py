"""Widget latency in JupyterLab: how long each control of each tour takes, from key press to new paint.

    python tests/browser/latency.py            # every tour; writes benchmarks/LATENCY.md
    python tests/browser/latency.py 05 12      # some tours
    python tests/browser/latency.py --out x.md

A benchmark, not a test (its numbers depend on the machine). For every figure widget of a tour (an
``ottools.widgets.FigureWidget``, the ``.ottools-figure`` boxes of the page) and every control in it,
the control is given the keyboard focus and a key is pressed as a reader would: an arrow key on a
slider, Enter on a toggle button, the space bar on a checkbox. The time runs from the
``keydown`` event to the first animation frame after the widget's new picture is decoded, i.e. until
the new figure can be on the screen. Each control is pressed ``--presses`` times (default 3, the
direction alternating so a slider stays in range) and the median is reported; a control whose picture
does not change within 5 s is reported as dead.

The presses start once the kernel, idle, has drawn every frame of the tour's lazy widgets (in
JupyterLab ``ottools.widgets`` draws them in the background; the table's last line gives how long
that took after the last cell): the table is what a reader finds after those seconds.

For a Play button, the benchmark switches its loop on (so that a short animation plays the whole
time), clicks play, records every change of the picture during 3 s (frames per second), clicks pause
and measures how long the picture keeps changing after the click, then leaves the loop as it was.

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

from browserlab import (CHROMIUM, CONTROLS, ROOT, TOURS, chromium, open_and_run, play, press, serve,  # noqa: E402
                        shutdown, wait_drawn)


def measure_tour(page, base, token, path, presses):
    """Run the tour, wait until its lazy widgets are drawn, press every control; return the rows and
    the seconds the kernel took to draw the lazy frames after the last cell."""
    open_and_run(page, base, token, path)
    drawn = wait_drawn(page)
    page.wait_for_timeout(500)
    rows = []
    for control in page.evaluate(CONTROLS):
        f, c, kind, label = control
        if kind == "upload":
            continue  # a file dialog, not a key
        if kind == "play":
            result = play(page, control, seconds=3.0)
            fps, tail = (None, None) if result is None else result
            rows.append((path.stem, f, label or "Play", kind, None, fps, tail))
            continue
        times = [press(page, control, forward=(k % 2 == 0)) for k in range(presses)]
        measured = [t for t in times if t is not None]
        median = statistics.median(measured) if len(measured) == len(times) else None
        rows.append((path.stem, f, label, kind, median, None, None))
    shutdown(page)
    return rows, drawn


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
    plays = [r for r in rows if r[3] == "play"]
    if plays:
        good = sum(r[5] is not None and r[5] >= 8 and r[6] is not None and r[6] <= 200 for r in plays)
        lines += ["", f"{len(plays)} Play buttons: {good} at 8 frames per second or more and stopped within 0.2 s."]
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
    rows, fills = [], []
    with tempfile.TemporaryDirectory() as work, serve(work) as (base, token), \
            sync_playwright() as pw, chromium(pw) as browser:
        for path in paths:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                start = time.time()
                found, drawn = measure_tour(page, base, token, path, args.presses)
                print(f"{path.stem}: {len(found)} controls in {time.time() - start:.0f} s "
                      f"(lazy frames drawn {drawn:.0f} s after the last cell)", file=sys.stderr)
                rows += found
                fills.append((path.stem, drawn))
            finally:
                page.close()
    import os
    import platform

    header = (f"# Widget latency in JupyterLab\n\nMeasured by `python tests/browser/latency.py` on "
              f"{platform.machine()}, {os.cpu_count()} cores, headless Chromium, {time.strftime('%Y-%m-%d')}: "
              f"median of {args.presses} key presses per control, from the key to the first paint of the new picture.")
    text = table(rows, header)
    text += ("\nSeconds after the last cell until the kernel, idle, had drawn every frame of the lazy "
             "widgets (the presses above are made after that): "
             + ", ".join(f"{stem[:2]} {drawn:.0f}" for stem, drawn in fills) + ".\n")
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
