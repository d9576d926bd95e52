"""The student edition blanks every solution and nothing else; the reading edition renders a tour."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from ottools import editions

TOURS = editions.tour_paths()


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    editions.build_student(out, quiet=True)
    return out


def _solution_lines(nb):
    """Long lines that appear only in solution cells (a leak of any of them is a leak of the solution)."""
    others = "\n".join(c.source for c in nb.cells if not editions._is_solution(c))
    lines = set()
    for c in nb.cells:
        if editions._is_solution(c):
            lines |= {ln.strip() for ln in c.source.splitlines() if len(ln.strip()) > 25 and ln.strip() not in others}
    return lines


@pytest.mark.parametrize("path", TOURS, ids=[p.name for p in TOURS])
def test_student_edition(student_dir, path):
    original = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / path.name, as_version=4)
    assert len(student.cells) == len(original.cells)
    n_solutions = 0
    filled = []
    for before, after in zip(original.cells, student.cells):
        if editions._is_solution(before):
            n_solutions += 1
            assert after.source == editions.placeholder(before)
            compile(after.source, path.name, "exec")  # the blank still parses, and assigns every answer ...
            for name in editions.answers(before):
                assert re.search(rf"^{name} = \.\.\.$", after.source, re.M)
            filled.append(before.source)  # the teacher's solution, filled back into the student edition
        else:
            # every other cell is unchanged, so the cells before `## Exercises` are exactly the ones
            # that nbval executes in the tour itself
            assert after.source == before.source
            assert after.cell_type == before.cell_type
            filled.append(after.source)
    # Filled with the teacher's solutions, the student edition is the tour, cell for cell: nbval and
    # tests/test_executors.py execute the tour and fail unless every check cell prints "right".
    assert filled == [c.source for c in original.cells]
    assert n_solutions >= 2, f"{path.name}: every exercise must have a solution to blank"
    text = json.dumps(student)
    leaks = [ln for ln in _solution_lines(original) if ln in text]
    assert not leaks, f"{path.name}: solution code leaks into the student edition: {leaks[:3]}"
    assert all(c.get("outputs", []) == [] for c in student.cells if c.cell_type == "code")


def _text(outputs):
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")


def test_student_edition_runs_in_a_kernel_of_its_own(student_dir):
    """With every exercise blank, the student edition of the first tour runs without error in a fresh
    kernel and every check says "not done yet". (For every tour, ``tests/test_executors.py`` runs the
    student edition's exercises after the tour, in the tour's kernel, instead of the whole edition.)"""
    from nbclient import NotebookClient

    path = TOURS[0]
    nb = nbformat.read(student_dir / path.name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [(k, o.get("ename"), o.get("evalue")) for k, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: the student edition raised: {errors[:3]}"
    checks = [(k, _text(c.outputs)) for k, c in enumerate(nb.cells) if editions._is_check(c)]
    assert checks, f"{path.name}: no check cell"
    blank = [k for k, text in checks if "not done yet" not in text or "right" in text.replace("not done yet", "")]
    assert not blank, f"{path.name}: check cells {blank} do not say 'not done yet' for a blank exercise"


@pytest.fixture(scope="module")
def reading_dir(reading_edition):
    return reading_edition  # tours 00 and 05, built once for the session (tests/conftest.py)


def test_reading_edition_page_and_index(reading_dir):
    tmp_path, written = reading_dir
    page = tmp_path / (TOURS[0].stem + ".html")
    index = tmp_path / "index.html"
    assert page in written and index in written
    body = page.read_text(encoding="utf-8")
    assert "Traceback" not in body, "an executed cell raised an error"
    figures = re.findall(r'<img[^>]+src="data:image/png;base64', body)
    assert len(figures) >= 3, "the executed tour's figures are embedded in the page"
    listing = index.read_text(encoding="utf-8")
    assert f'href="{page.name}"' in listing and "1-2" in listing


def test_unknown_tour_is_refused():
    with pytest.raises(ValueError, match="unknown tour"):
        editions.tour_paths(["99"])


# --- the reading edition: formulas typeset at build time, widgets played without a kernel --------

@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_every_formula_of_the_tour_typesets(path):
    """Every $...$ and $$...$$ of the tour's Markdown becomes MathML (latex2mathml), none is left as source."""
    nb = nbformat.read(path, as_version=4)
    rendered = editions.typeset_notebook(nb, path.name)  # raises FormulaError naming the cells that fail
    assert rendered and all(m.startswith("<math ") for m in rendered)
    left = [(k, c.source) for k, c in enumerate(nb.cells) if c.cell_type == "markdown"
            and "$" in "".join(t for t, code in editions._split_code(c.source) if not code)]
    assert not left, f"{path.name}: dollars left untypeset in cells {[k for k, _ in left]}"


def test_formulas_outside_code_only_and_failures_named():
    source = "cost $\\frac12 |x-y|^2$, code `a = $b$`, escaped \\$5, and\n\n$$\\sum_i x_i$$\n"
    spans = editions.math_spans(source)
    assert [(tex, display) for _, _, tex, display in spans] == [("\\frac12 |x-y|^2", False), ("\\sum_i x_i", True)]
    assert "<mfrac>" in editions.tex_to_mathml("\\frac12")
    assert "\u27e8" in editions.tex_to_mathml("\\big\\langle x, y \\big\\rangle")  # a fix for the converter
    with pytest.raises(ValueError, match="untypeset"):
        editions.tex_to_mathml("\\notacommand x")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("fine $x$"),
                                         nbformat.v4.new_markdown_cell("broken $\\notacommand$")])
    with pytest.raises(editions.FormulaError, match="t.ipynb cell 1"):
        editions.typeset_notebook(nb, "t.ipynb")


def test_player_is_self_contained():
    """A widget's kernel-free player: controls labelled like the widget's, frames inline, no URL."""
    frame = "data:image/webp;base64,AAAA"
    widget = {"kind": "frames", "grid": 6, "drawn": 4, "thinned": True, "pairs": False,
              "controls": [{"name": "t", "label": "time t", "kind": "slider", "values": ["0", "1/2", "1"], "index": 1},
                           {"name": "m", "label": "mode", "kind": "toggle", "values": ["a", "b"], "index": 0}],
              "keys": {"0,0": 0, "1,0": 1, "2,0": 2, "1,1": 3}, "frames": [frame] * 4,
              "play": {"interval": 100, "repeat": False}}
    out = editions._player_html(widget, 0)
    assert '<label for="ot0-0">time t</label>' in out and 'aria-label="mode"' in out
    assert 'max="2"' in out and 'value="1"' in out and "play" in out
    assert "4 of the 6 pictures" in out
    assert "http" not in out and "src=\"data:image/webp" in out


def test_reading_edition_needs_no_network(reading_dir):
    """The page of a tour references nothing outside itself (MathML's namespace is a name, not a request)."""
    tmp_path, _ = reading_dir
    for page in tmp_path.glob("*.html"):
        body = page.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/1998/Math/MathML"', "")
        refs = re.findall(r'(?:src|href)="(?!data:|#|[\w.-]+\.html")([^"]*)"', body)
        refs += re.findall(r"url\((?!data:)([^)]*)\)", body)
        assert not refs, f"{page.name} refers to {refs[:5]}"
        assert "http:" not in body and "https:" not in body, page.name
        assert "$" not in re.sub(r"<pre>.*?</pre>|<script.*?</script>|<math.*?</math>|<code>.*?</code>", "", body, flags=re.S), page.name
        if page.name != "index.html":
            assert 'class="ot-player"' in body and "<math " in body


def test_reading_edition_fails_loudly(tmp_path):
    """A tour whose cell raises fails the build, naming the tour (two tours at a time, as the edition runs)."""
    tours = tmp_path / "tours"
    tours.mkdir()
    for name, code in (("00_fine", "x = 1"), ("01_broken", "1 / 0")):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {name}"), nbformat.v4.new_code_cell(code)])
        nbformat.write(nb, tours / f"{name}.ipynb")
    with pytest.raises(RuntimeError, match="01_broken.ipynb failed") as failure:
        editions.build_html(tmp_path / "out", root=tmp_path, quiet=True, jobs=2)
    assert "ZeroDivisionError" in str(failure.value)


def test_reading_edition_tours_share_a_kernel_but_not_its_state(tmp_path):
    """One worker builds both tours in one kernel (jobs=1): the second starts with none of the names,
    figures and widgets of the first, and each page plays the frames of its own widget only."""
    tours = tmp_path / "tours"
    tours.mkdir()
    draw = ("import ipywidgets, matplotlib.pyplot as plt\n"
            "from ottools import widgets\n"
            "def draw(k=0):\n"
            "    fig, ax = plt.subplots(figsize=(2, 1))\n"
            "    ax.set_title(f'{{name}} {{k}}')\n"
            "w = widgets.precomputed(draw, k=ipywidgets.IntSlider(0, 0, {n}, description='k'))\n"
            "w")
    cells = {"00_first": ["left_over = 1\nimport matplotlib.pyplot as plt\nplt.figure()",
                          draw.format(n=2).replace("{name}", "first")],
             "01_second": ["assert 'left_over' not in globals() and 'w' not in globals()\n"
                           "import matplotlib.pyplot as plt\nassert plt.get_fignums() == []",
                           "from ipywidgets.widgets import widget\nassert not widget._instances, list(widget._instances)",
                           draw.format(n=3).replace("{name}", "second")]}
    for name, sources in cells.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {name}")]
                                      + [nbformat.v4.new_code_cell(c) for c in sources])
        nbformat.write(nb, tours / f"{name}.ipynb")
    editions.build_html(tmp_path / "out", root=tmp_path, quiet=True, jobs=1)
    summaries = editions.build_html.last_summaries
    assert [s["widgets"] for s in summaries] == [1, 1]
    assert [s["frames"] for s in summaries] == [3, 4]  # k = 0..2, then k = 0..3: no frame of the first


# --- the presenter mode: every tour is a RISE slideshow ------------------------------------------

@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_tour_carries_its_slides(path):
    """Every cell has the slide type of ``editions.slide_types`` (a slide per section, fragments for the steps)."""
    nb = nbformat.read(path, as_version=4)
    stored = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    wanted = editions.slide_types(nb)
    wrong = [k for k, (a, b) in enumerate(zip(stored, wanted)) if a != b]
    assert not wrong, (f"{path.name}: cells {wrong[:10]} lack their slide type for the presenter mode; run "
                       "`python -m ottools.editions slides --write`")
    sections = [k for k, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert sections and all(stored[k] == "slide" for k in sections)
    assert stored[0] == "slide" and "fragment" in stored
    assert nb.metadata.get("rise", {}).get("scroll") is True  # long sections scroll in the slide


def test_slide_types_rules():
    cells = [nbformat.v4.new_markdown_cell("# 99 · T"), nbformat.v4.new_markdown_cell("Slides 1-2."),
             nbformat.v4.new_code_cell("import numpy as np"), nbformat.v4.new_markdown_cell("## A section"),
             nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("Then x is one:"),
             nbformat.v4.new_code_cell("assert x == 1"), nbformat.v4.new_markdown_cell("And more."),
             nbformat.v4.new_markdown_cell("### Sub"), nbformat.v4.new_code_cell("y = ...")]
    cells[-1].metadata["tags"] = ["solution"]
    nb = nbformat.v4.new_notebook(cells=cells)
    assert editions.slide_types(nb) == ["slide", "-", "-", "slide", "fragment", "subslide", "skip", "fragment",
                                        "subslide", "skip"]
    assert editions.apply_slides(nb) == len(cells) + 1 and editions.apply_slides(nb) == 0
