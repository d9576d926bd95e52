"""Editions of the tours: a student edition for teachers, and a static reading edition in HTML.

Run from the root of a clone::

    python -m ottools.editions student      # build/student/NN_*.ipynb, solutions blanked
    python -m ottools.editions html         # build/html/index.html and one page per tour (executes them)
    python -m ottools.editions html 00 03   # only some tours

The student edition replaces the source of every cell tagged ``solution`` by a blank that assigns
``...`` to each answer the exercise asks for (the names listed under ``"answers"`` in the cell's
metadata), and leaves everything else unchanged, outputs cleared. The check cell after it (tagged
``check``, see ``ottools.exercises``) then says "not done yet" instead of failing, so the edition runs
from top to bottom with every exercise blank; filled with the teacher's solutions it is the tour.
The reading edition executes every tour in a fresh kernel and renders it to HTML with its figures; it
needs no network (mathematics typeset by MathJax when the page is opened online, shown as LaTeX
source offline). Each widget is preceded by a static figure in the tours, so the pages are complete
without a kernel.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path

SOLUTION_TAG = "solution"
CHECK_TAG = "check"


def project_root() -> Path:
    """The clone's root (the folder holding ``tours/``), found from this package's location."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "tours").is_dir():
        raise FileNotFoundError(
            f"no tours/ folder next to the ottools package ({root}); build the editions from a clone"
        )
    return root


def tour_paths(selection=None, root=None):
    """The tours, in order; ``selection`` is an optional list of numbers or names ("03", "03_kantorovich")."""
    root = project_root() if root is None else Path(root)
    paths = sorted((root / "tours").glob("[0-9][0-9]_*.ipynb"))
    if selection:
        wanted = [str(s) for s in selection]
        chosen = [p for p in paths if any(p.stem == w or p.stem.startswith(w.zfill(2) + "_") or p.name == w for w in wanted)]
        unknown = [w for w in wanted if not any(p.stem == w or p.stem.startswith(w.zfill(2) + "_") or p.name == w for p in paths)]
        if unknown:
            raise ValueError(f"unknown tour(s) {unknown}; available: {[p.stem for p in paths]}")
        return chosen
    return paths


def _is_solution(cell):
    return cell.get("cell_type") == "code" and SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def _is_check(cell):
    return cell.get("cell_type") == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def answers(cell):
    """The names a solution cell must define (its metadata's ``"answers"``), checked to be identifiers."""
    names = cell.get("metadata", {}).get("answers")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise ValueError(f"a solution cell needs metadata 'answers': a non-empty list of variable names, got {names!r}")
    return names


def placeholder(cell):
    """The student edition's blank for a solution cell: every answer assigned ``...``."""
    names = answers(cell)
    lines = [f"# Your code here: compute {', '.join(names)} (see the question above).", "# The cell below checks your answer."]
    lines += [f"{name} = ..." for name in names]
    return "\n".join(lines)


def student_notebook(nb):
    """A copy of notebook ``nb`` (an ``nbformat`` node) with solutions replaced by placeholders.

    Returns the new notebook and the number of solutions removed.
    """
    import copy

    out = copy.deepcopy(nb)
    removed = 0
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if _is_solution(cell):
            cell.source = placeholder(cell)
            removed += 1
    out.metadata["edition"] = "student"
    return out, removed


def build_student(out_dir=None, selection=None, root=None, quiet=False):
    """Write the student edition to ``build/student`` (or ``out_dir``); return the written paths."""
    import nbformat

    root = project_root() if root is None else Path(root)
    out_dir = root / "build" / "student" if out_dir is None else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in tour_paths(selection, root):
        nb = nbformat.read(path, as_version=4)
        student, removed = student_notebook(nb)
        if removed == 0:
            raise ValueError(f"{path.name} has no cell tagged '{SOLUTION_TAG}': nothing to blank")
        target = out_dir / path.name
        nbformat.write(student, target)
        written.append(target)
        if not quiet:
            print(f"{target}  ({removed} solutions blanked)")
    return written


def _title_and_slides(nb):
    title = next((c.source.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"), "")
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    slides = ""
    if len(md) > 1:
        m = re.search(r"[Ss]lides?\s+([0-9][0-9,\s\-–]*(?:(?:and|to)\s+[0-9]+(?:[-–][0-9]+)?)?)", md[1])
        slides = re.sub(r"\s+to\s+", "-", m.group(1).strip().rstrip(",")) if m else ""
    return title, slides


def build_html(out_dir=None, selection=None, root=None, timeout=120, quiet=False):
    """Execute every tour and write ``build/html/NN_*.html`` and ``index.html``; return the paths.

    ``timeout`` is per cell, in seconds: a limit for a cell that hangs, far above the few seconds
    that any cell of the tours takes (``tests/test_executors.py`` runs every tour with nbclient, the
    executor used here, and fails on a cell slower than 20 s).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    root = project_root() if root is None else Path(root)
    out_dir = root / "build" / "html" if out_dir is None else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    entries, written = [], []
    for path in tour_paths(selection, root):
        t0 = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
        body, _ = exporter.from_notebook_node(nb)
        target = out_dir / (path.stem + ".html")
        target.write_text(body, encoding="utf-8")
        written.append(target)
        title, slides = _title_and_slides(nb)
        entries.append((target.name, title, slides))
        if not quiet:
            print(f"{target}  ({time.perf_counter() - t0:.1f} s)")
    index = out_dir / "index.html"
    index.write_text(_index_page(entries), encoding="utf-8")
    written.append(index)
    if not quiet:
        print(index)
    return written


def _index_page(entries):
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(name)}">{html.escape(title)}</a></td><td>{html.escape(slides)}</td></tr>'
        for name, title, slides in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Optimal transport in imaging sciences: the tours</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: .4rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }}
a {{ color: #1f77b4; text-decoration: none; }} a:hover {{ text-decoration: underline; }}
</style></head><body>
<h1>Optimal transport in imaging sciences</h1>
<p>The tours, executed, in the order of G. Peyré's slides. Each page is complete without a kernel:
every interactive widget follows a static figure of the same thing. To run them, see the project's README.</p>
<table><thead><tr><th>tour</th><th>slides</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ottools.editions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("edition", choices=["student", "html"])
    parser.add_argument("tours", nargs="*", help="numbers or names of the tours (default: all)")
    parser.add_argument("--out", help="output folder (default build/student or build/html)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.edition == "student":
        build_student(args.out, args.tours or None)
    else:
        build_html(args.out, args.tours or None)
    print(f"{args.edition} edition built in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
