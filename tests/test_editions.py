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


@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_student_edition_runs_top_to_bottom(student_dir, path):
    """With every exercise blank, the student edition runs without error and every check says "not done yet"."""
    from nbclient import NotebookClient

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
