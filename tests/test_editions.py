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
    for before, after in zip(original.cells, student.cells):
        if editions._is_solution(before):
            n_solutions += 1
            assert after.source == editions.PLACEHOLDER
            compile(after.source, path.name, "exec")  # the placeholder still parses (and runs: it is `...`)
        else:
            # every other cell is unchanged, so the cells before `## Exercises` are exactly the ones
            # that nbval executes in the tour itself
            assert after.source == before.source
            assert after.cell_type == before.cell_type
    assert n_solutions >= 2, f"{path.name}: every exercise must have a solution to blank"
    text = json.dumps(student)
    leaks = [ln for ln in _solution_lines(original) if ln in text]
    assert not leaks, f"{path.name}: solution code leaks into the student edition: {leaks[:3]}"
    assert all(c.get("outputs", []) == [] for c in student.cells if c.cell_type == "code")


def test_student_edition_runs_top_to_bottom(student_dir):
    from nbclient import NotebookClient

    path = student_dir / TOURS[0].name
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(TOURS[0].parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def test_reading_edition_page_and_index(tmp_path):
    written = editions.build_html(tmp_path, selection=["00"], quiet=True)
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
