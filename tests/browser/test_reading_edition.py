"""The reading edition and the presenter mode in a real browser (Chromium through Playwright).

The reading edition of two small tours (00 and 05: a widget with toggle buttons and a slider, and a
player) is built into a temporary folder and opened from ``file://`` with every request intercepted:
no request may leave the machine (a request to anything but a ``file:`` or ``data:`` URL fails the
test); no raw ``$`` or ``\\frac`` may be visible in the text of a page outside its code (every formula is
typeset, as MathML); a kernel-free slider and a toggle button must change the picture; a page must fit
a phone's width (390 px) without scrolling sideways. Screenshots at 1400 and 390 px go to
``build/screens/``. The pages of all the tours, built without running them (``--no-execute``: text,
formulas and code), are opened the same way: no request, no raw LaTeX, every formula shown, no
sideways scrolling, at both widths. Then one tour is opened in JupyterLab as a RISE slideshow (the presenter mode),
and three slides are screenshotted.

Needs Chromium (Debian's package ``chromium``) and the Python package ``playwright``; skipped, with
the reason, where either is missing (``.ci/run`` installs both; Playwright drives the system's
browser, it never downloads one). The RISE part also needs ``jupyterlab-rise``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browserlab import CHROMIUM, ROOT, chromium, serve

SCREENS = ROOT / "build" / "screens"
TOURS = ["00", "05"]  # the tours of the reading_edition fixture (tests/conftest.py)

if CHROMIUM is None:
    pytest.skip("Chromium is not installed (Debian package `chromium`): no real-browser test", allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    pytest.skip("the Python package playwright is not installed: no real-browser test", allow_module_level=True)


@pytest.fixture(scope="module")
def edition(reading_edition):
    return reading_edition  # the edition of TOURS, built once for the session (tests/conftest.py)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p, chromium(p) as b:
        yield b


# The text a reader sees, outside code, scripts and typeset formulas.
VISIBLE_TEXT = """() => {
  const skip = new Set(['PRE', 'CODE', 'SCRIPT', 'STYLE', 'MATH']);
  const out = [];
  const walk = node => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE || skip.has(node.tagName.toUpperCase())) return;
    if (node.closest('.input_area')) return;
    node.childNodes.forEach(walk);
  };
  walk(document.body);
  return out.join(' ');
}"""


def _offline_context(browser, width, height):
    """A browser context whose every request is intercepted: file: and data: URLs go through, any
    other is aborted and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height})
    leaks = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            leaks.append(url)
            r.abort()

    context.route("**/*", route)
    context.on("request", lambda req: None if req.url.startswith(("file:", "data:")) else leaks.append(req.url))
    return context, leaks


def test_reading_edition_offline_typeset_and_playable(edition, browser):
    out, written = edition
    SCREENS.mkdir(parents=True, exist_ok=True)
    pages = [p for p in written if p.name != "index.html"]
    assert len(pages) == len(TOURS)
    for width, height, tag in ((1400, 1000, "desktop"), (390, 844, "phone")):
        context, leaks = _offline_context(browser, width, height)
        page = context.new_page()
        try:
            page.goto((out / "index.html").as_uri(), wait_until="load")
            assert page.locator(".ot-index li").count() == len(TOURS)
            assert page.locator(".ot-index img").count() == len(TOURS), "every tour has its thumbnail"
            page.screenshot(path=str(SCREENS / f"reading_index_{tag}.png"))
            for path in pages:
                page.goto(path.as_uri(), wait_until="load")
                text = page.evaluate(VISIBLE_TEXT)
                assert "$" not in text, f"{path.name}: a raw $ is visible: ...{text[max(0, text.find('$') - 80):text.find('$') + 80]}..."
                assert "\\frac" not in text and "\\sum" not in text, f"{path.name}: raw LaTeX is visible"
                n_math = page.locator("math").count()
                assert n_math >= 20, f"{path.name}: only {n_math} typeset formulas"
                # MathML is laid out by the browser: a fraction has a height, not one line of source
                assert page.evaluate("() => Array.from(document.querySelectorAll('mfrac')).some(e => e.getBoundingClientRect().height > 12)")
                assert page.locator("nav.ot-toc li").count() >= 3, f"{path.name}: a table of contents"
                assert page.locator("a[rel=next], a[rel=prev]").count() >= 2  # header and footer
                overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 1, f"{path.name} at {width} px scrolls sideways by {overflow} px"
                page.screenshot(path=str(SCREENS / f"reading_{path.stem}_{tag}.png"))
                players = page.locator("figure.ot-player")
                assert players.count() >= 1, f"{path.name}: no kernel-free widget"
                player = players.first
                player.scroll_into_view_if_needed()
                img = player.locator("img.ot-frame")
                slider = player.locator("input[type=range]").first
                before = img.get_attribute("src")
                slider.focus()
                at_end = slider.evaluate("s => Number(s.value) >= Number(s.max)")
                page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                assert img.get_attribute("src") != before, f"{path.name}: the slider's key press changed nothing"
                toggles = player.locator(".ot-control button[aria-pressed=false]")
                if toggles.count():
                    before = img.get_attribute("src")
                    toggles.first.click()
                    assert img.get_attribute("src") != before, f"{path.name}: a toggle button changed nothing"
                page.screenshot(path=str(SCREENS / f"reading_{path.stem}_{tag}_widget.png"))
                if player.locator("button.ot-play").count():
                    before = img.get_attribute("src")
                    player.locator("button.ot-play").click()
                    page.wait_for_timeout(600)
                    assert img.get_attribute("src") != before, f"{path.name}: Play shows no new picture"
                    player.locator("button.ot-play").click()
            assert not leaks, f"requests left the machine: {sorted(set(leaks))[:5]}"
        finally:
            context.close()


# A LaTeX command left as source in the visible text (outside code)
RAW_TEX = r"\\(frac|sum|int|sqrt|mathbb|mathcal|mathrm|operatorname|left|right|big|langle|rangle|le|ge|in|to|mu|nu|sigma|theta|lambda|alpha|beta|gamma|pi)(?![A-Za-z])"


def test_every_page_typesets_offline(tmp_path_factory, browser):
    """Every tour's page, built without running the tours (its text, formulas and code; the executed
    pages of 00 and 05 are tested above), opened from file:// with every request intercepted, at a
    desktop and a phone width: no request leaves the machine, no raw $ or LaTeX command is visible,
    the page shows as many typeset formulas as its tour has, and it does not scroll sideways."""
    import re

    from ottools import editions

    out = tmp_path_factory.mktemp("text_edition")
    editions.build_html(out, quiet=True, execute=False)
    summaries = editions.build_html.last_summaries
    assert len(summaries) == len(editions.tour_paths())
    for width, height in ((1400, 1000), (390, 844)):
        context, leaks = _offline_context(browser, width, height)
        page = context.new_page()
        try:
            for s in summaries:
                page.goto(Path(s["path"]).as_uri(), wait_until="load")
                text = page.evaluate(VISIBLE_TEXT)
                k = text.find("$")
                assert k < 0, f"{s['name']}: a raw $ is visible: ...{text[max(0, k - 80):k + 80]}..."
                raw = re.search(RAW_TEX, text)
                assert raw is None, f"{s['name']}: raw LaTeX is visible: ...{text[max(0, raw.start() - 80):raw.end() + 40]}..."
                # (a heading's formula is shown again in the table of contents)
                shown = page.evaluate("() => Array.from(document.querySelectorAll('math')).filter(m => !m.closest('nav')).length")
                assert shown == s["formulas"] > 0, f"{s['name']}: {shown} formulas shown, {s['formulas']} typeset"
                overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 1, f"{s['name']} at {width} px scrolls sideways by {overflow} px"
            assert not leaks, f"requests left the machine: {sorted(set(leaks))[:5]}"
        finally:
            context.close()


def test_rise_slideshow_in_jupyterlab(tmp_path_factory, browser):
    pytest.importorskip("jupyterlab_rise", reason="jupyterlab-rise is not installed: no presenter-mode test")
    import nbformat

    from ottools import editions

    SCREENS.mkdir(parents=True, exist_ok=True)
    work = tmp_path_factory.mktemp("rise")
    with serve(work) as (base, token):
        name = editions.tour_paths(["00"])[0].name
        copy = work / "tours" / name
        nb = nbformat.read(copy, as_version=4)
        editions.apply_slides(nb)  # a no-op once the tours carry their metadata
        types = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
        assert types.count("slide") >= 4
        copy.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.goto(f"{base}/rise/{name}?token={token}", wait_until="domcontentloaded", timeout=90_000)
            page.wait_for_selector(".reveal .slides section", timeout=90_000)
            page.wait_for_timeout(1500)
            titles = []
            for k in range(3):
                page.screenshot(path=str(SCREENS / f"rise_{k + 1}.png"))
                titles.append(page.evaluate(
                    "() => { const s = document.querySelector('.reveal .slides section.present');"
                    " return s ? s.innerText.trim().slice(0, 80) : ''; }"))
                page.keyboard.press("PageDown" if k == 0 else "ArrowRight")
                page.wait_for_timeout(800)
            assert titles[0] and len(set(titles)) == 3, f"three distinct slides expected, got {titles}"
        finally:
            page.close()
