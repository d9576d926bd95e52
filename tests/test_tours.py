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


def test_widgets_are_switched_by_the_browser(tour):
    """Every figure widget of a tour is precomputed (pictures switched in the browser, see CONTRIBUTING
    "Widgets"): no ``widgets.interactive`` (a matplotlib figure drawn in the kernel at every move, 200-900
    ms), no ipywidgets' own interact/interactive/Output. The controls of a precomputed widget are checked
    when it is built (``ottools.widgets`` refuses those the browser cannot link or the keyboard cannot reach)."""
    path, nb = tour
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(_code_without_magics(_source(cell)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                call = f"{node.value.id}.{node.attr}"
                assert call not in ("widgets.interactive", "ipywidgets.interactive", "ipywidgets.interact",
                                    "ipywidgets.interactive_output", "ipywidgets.Output", "ipywidgets.Dropdown",
                                    "ipywidgets.RadioButtons"), (
                    f"{path.name}[cell {k}] uses {call}: use widgets.precomputed or widgets.player with "
                    "ToggleButtons, SelectionSlider or IntSlider controls")


EXERCISE = re.compile(r"^\*\*Exercise (\d+) \((★{1,3})(?:[,;][^)]*)?\)\.?\*\*", re.M)


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _assigned_names(src):
    tree = ast.parse(_code_without_magics(src))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def test_exercises_are_lessons(tour):
    """Every exercise: a question with its star level, a solution cell, then a check cell (CONTRIBUTING)."""
    path, nb = tour
    heads = dict((title, k) for k, title in _headings(nb, 2))
    start, end = heads["Exercises"], heads["References"]
    block = nb["cells"][start:end]
    questions = [m for c in block if c["cell_type"] == "markdown" for m in EXERCISE.finditer(_source(c))]
    numbers = [int(m.group(1)) for m in questions]
    assert len(numbers) >= 2, (
        f"{path.name}: at least two exercises, each titled '**Exercise N (★, ...).**' with one to three stars")
    assert numbers == list(range(1, len(numbers) + 1)), f"{path.name}: exercises numbered 1, 2, ...: {numbers}"
    titles = [m.group(0).lower() for m in questions]
    assert any("from scratch" in t for t in titles), (
        f"{path.name}: at least one exercise titled '(★★, from scratch)': implement an algorithm in numpy")
    assert any("own image" in t for t in titles), (
        f"{path.name}: at least one open exercise on the reader's own image, titled '(★, your own image)'")
    solutions = [k for k, c in enumerate(block, start) if "solution" in _tags(c)]
    assert len(solutions) == len(numbers), (
        f"{path.name}: {len(numbers)} exercises but {len(solutions)} solution cells (one each)")
    for k in solutions:
        cell, after = nb["cells"][k], nb["cells"][k + 1]
        assert cell["cell_type"] == "code", f"{path.name}: cell {k} is tagged 'solution' but is not code"
        names = cell.get("metadata", {}).get("answers")
        assert isinstance(names, list) and names and all(isinstance(n, str) and n.isidentifier() for n in names), (
            f"{path.name}: solution cell {k} needs metadata 'answers', the list of names the reader defines")
        missing = set(names) - _assigned_names(_source(cell))
        assert not missing, f"{path.name}: solution cell {k} does not assign its answers {sorted(missing)}"
        assert after["cell_type"] == "code" and "check" in _tags(after), (
            f"{path.name}: solution cell {k} must be followed by its check cell (tagged 'check')")
        check = _source(after)
        assert "exercises.check(" in check, f"{path.name}: check cell {k + 1} must call exercises.check(...)"
        unchecked = [n for n in names if not re.search(rf"\b{n}\b", check)]
        assert not unchecked, f"{path.name}: check cell {k + 1} does not check the answers {unchecked}"
    untagged = [k for k, c in enumerate(block, start)
                if c["cell_type"] == "code" and not ({"solution", "check"} & set(_tags(c)))]
    assert not untagged, f"{path.name}: code cells {untagged} in Exercises are neither 'solution' nor 'check'"
    outside = [k for k, c in enumerate(nb["cells"])
               if {"solution", "check"} & set(_tags(c)) and not (start <= k < end)]
    assert not outside, f"{path.name}: cells {outside} are tagged 'solution' or 'check' outside '## Exercises'"


def test_the_algorithm_is_on_the_page(tour):
    """The tour's main algorithm is written in numpy in a cell tagged 'algorithm', and asserted equal to ottools."""
    path, nb = tour
    cells = nb["cells"]
    end = dict((title, k) for k, title in _headings(nb, 2))["Exercises"]
    tagged = [k for k, c in enumerate(cells) if c["cell_type"] == "code" and "algorithm" in _tags(c)]
    assert tagged, f"{path.name}: no code cell tagged 'algorithm' (the main algorithm in a few lines of numpy)"
    assert all(k < end for k in tagged), f"{path.name}: 'algorithm' cells belong before '## Exercises'"
    for k in tagged:
        following = [c for c in cells[k:k + 4] if c["cell_type"] == "code"][:2]
        assert any(re.search(r"^\s*assert\b", _source(c), re.M) for c in following), (
            f"{path.name}: algorithm cell {k}: assert, in it or in the next code cell, that it equals ottools")


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
