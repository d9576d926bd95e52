"""Contract test of the tours: names, skeleton, no stored outputs, code that compiles, data registry.

The skeleton is described in CONTRIBUTING.md. Executing the tours is done separately by nbval
(`python -m pytest tours/`), which runs every `assert` cell.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOURS = ROOT / "tours"
NAME = re.compile(r"^(\d{2})_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
TOUR_FILES = sorted(TOURS.glob("*.ipynb"))


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _code_without_magics(src):
    # IPython magics and shell escapes are not Python; blank them before compiling
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in src.splitlines())


def _headings(nb, level):
    marker = "#" * level + " "
    out = []
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith(marker):
                    out.append((k, line[len(marker):].strip()))
    return out


def test_there_are_tours():
    assert TOUR_FILES, "tours/ holds no notebook"


def test_no_stray_files():
    stray = [
        p.name
        for p in TOURS.iterdir()
        if p.name.startswith(".ipynb_checkpoints")
        or (p.suffix == ".ipynb" and not NAME.match(p.name))
        or p.name.lower().startswith("untitled")
    ]
    assert not stray, f"stray files in tours/: {stray}"


def test_numbers_are_unique_and_consecutive():
    numbers = [int(NAME.match(p.name).group(1)) for p in TOUR_FILES if NAME.match(p.name)]
    assert len(numbers) == len(set(numbers)), f"two tours share a number: {sorted(numbers)}"
    assert numbers == list(range(len(numbers))), f"tours must be numbered 00, 01, ... without gaps: {numbers}"


@pytest.fixture(params=TOUR_FILES, ids=[p.name for p in TOUR_FILES])
def tour(request):
    return request.param, _load(request.param)


def test_name_and_kernel(tour):
    path, nb = tour
    assert NAME.match(path.name), f"{path.name} must be named NN_snake_title.ipynb"
    assert nb.get("nbformat") == 4
    assert nb.get("metadata", {}).get("kernelspec", {}).get("name") == "python3", (
        f"{path.name} must use the python3 kernel"
    )


def test_no_outputs_stored(tour):
    path, nb = tour
    dirty = [
        k for k, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts (clear them)"


def test_skeleton(tour):
    path, nb = tour
    cells = nb["cells"]
    number = path.name[:2]
    assert len(cells) >= 4, f"{path.name} is too short to be a tour"
    first = _source(cells[0]).strip()
    assert cells[0]["cell_type"] == "markdown" and re.match(rf"^# {number} · \S", first), (
        f"{path.name}: the first cell must be the title '# {number} · Title'"
    )
    assert cells[1]["cell_type"] == "markdown" and "slide" in _source(cells[1]).lower(), (
        f"{path.name}: the second cell must name the slides covered"
    )
    assert cells[2]["cell_type"] == "code", f"{path.name}: the third cell must be the setup cell"
    setup = _source(cells[2])
    assert "use_style()" in setup, f"{path.name}: the setup cell must call plotting.use_style()"
    assert re.search(r"\brng\s*=\s*np\.random\.default_rng\(", setup), (
        f"{path.name}: the setup cell must create rng = np.random.default_rng(...)"
    )
    sections = [title for _, title in _headings(nb, 2)]
    assert "Exercises" in sections, f"{path.name} has no '## Exercises' section"
    assert "References" in sections, f"{path.name} has no '## References' section"
    assert sections[-1] == "References", f"{path.name}: '## References' must be the last section"
    assert sections.index("Exercises") == len(sections) - 2, (
        f"{path.name}: '## Exercises' must come just before '## References'"
    )


def test_only_the_setup_cell_imports(tour):
    path, nb = tour
    code_cells = [(k, c) for k, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    offenders = []
    for k, cell in code_cells[1:]:
        tree = ast.parse(_code_without_magics(_source(cell)))
        if any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in ast.walk(tree)):
            offenders.append(k)
    assert not offenders, f"{path.name}: cells {offenders} import; all imports belong in the setup cell"


def test_code_compiles(tour):
    path, nb = tour
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            try:
                compile(_code_without_magics(_source(cell)), f"{path.name}[cell {k}]", "exec")
            except SyntaxError as exc:  # pragma: no cover - the message is the point
                pytest.fail(f"{path.name}: cell {k} does not compile: {exc}")


def test_exercises_have_tagged_solutions(tour):
    path, nb = tour
    heads = dict((title, k) for k, title in _headings(nb, 2))
    start, end = heads["Exercises"], heads["References"]
    block = nb["cells"][start:end]
    solutions = [c for c in block if c["cell_type"] == "code" and "solution" in c.get("metadata", {}).get("tags", [])]
    questions = [c for c in block if c["cell_type"] == "markdown"]
    assert len(solutions) >= 2, f"{path.name}: at least two exercises with a solution cell tagged 'solution'"
    assert len(questions) >= 2, f"{path.name}: each exercise needs a Markdown question"
    untagged = [
        k for k, c in enumerate(block, start) if c["cell_type"] == "code" and c not in solutions
    ]
    assert not untagged, f"{path.name}: code cells {untagged} in Exercises are not tagged 'solution'"
    outside = [
        k for k, c in enumerate(nb["cells"])
        if "solution" in c.get("metadata", {}).get("tags", []) and not (start <= k < end)
    ]
    assert not outside, f"{path.name}: cells {outside} are tagged 'solution' outside '## Exercises'"


def test_tours_check_their_claims(tour):
    path, nb = tour
    asserts = sum(
        1 for c in nb["cells"] if c["cell_type"] == "code" and re.search(r"^\s*assert\b", _source(c), re.M)
    )
    assert asserts >= 2, f"{path.name}: a tour checks its claims with assert cells (found {asserts})"


def test_tours_are_listed_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in TOUR_FILES if f"tours/{p.name}" not in readme]
    assert not missing, f"README.md's table of tours does not link {missing}"
