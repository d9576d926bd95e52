"""Every tour under plain nbclient, the executor of ``jupyter nbconvert --execute`` and of the reading edition.

nbval (``python -m pytest tours/``) runs the tours too, with its own client; both must execute every
cell without error and quickly. The time of a cell is measured here on the client's side, from the
moment the cell is sent to the moment its reply has been received: the timestamps that nbclient
records with ``record_timing`` come from the kernel's messages, so they cannot show a client that
waits for a reply already sent (the wait that an ``ipywidgets.Output`` used to cause, see
``ottools.widgets``).

The same kernel then executes the student edition's exercises (``python -m ottools.editions student``):
after the tour's last cell, the namespace is put back as it was before the first exercise (the names
made since are deleted, the ones rebound are restored), and the student edition's cells from the
first exercise on run, every solution blank: each check must say "not done yet" and no cell may
raise. Before its exercises the student edition is the tour, cell for cell (``tests/test_editions.py``
asserts it), so this is the student edition's run from top to bottom without executing the tour a
second time; ``test_student_edition_runs_in_a_kernel_of_its_own`` runs one whole student edition.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ottools import editions

ROOT = Path(__file__).resolve().parent.parent
TOURS = sorted((ROOT / "tours").glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 60  # s, nbclient's per-cell limit: far above any cell, so a stuck cell fails by its time below
CELL_LIMIT = 20.0  # s: no cell of a tour may take longer (a whole tour runs in under 20 s)


def _kernel_seconds(cell):
    """The cell's duration according to the kernel's timestamps (``record_timing``), or 0."""
    stamps = cell.get("metadata", {}).get("execution", {})
    if "iopub.execute_input" not in stamps or "shell.execute_reply" not in stamps:
        return 0.0
    start, end = (datetime.fromisoformat(stamps[k].replace("Z", "+00:00"))
                  for k in ("iopub.execute_input", "shell.execute_reply"))
    return (end - start).total_seconds()


# Run before the first exercise, and after the tour's last cell: the namespace of the tour before its
# exercises, for the student edition's exercises to run in.
_SNAPSHOT = "_namespace_before_exercises = dict(globals())"
_RESTORE = """
for _name in [n for n in list(globals()) if not n.startswith("_") and n not in _namespace_before_exercises]:
    del globals()[_name]
globals().update({n: v for n, v in _namespace_before_exercises.items() if not n.startswith("_")})
"""
STUDENT = "student_pass"  # metadata key of the cells of the student edition's pass


def with_student_pass(nb):
    """The tour ``nb`` followed by its student edition's exercises (see the module's docstring).

    The tour's cells are unchanged and in order; two cells without output are added (the snapshot
    before the first exercise, the restore after the last cell), then the student edition's cells
    from the first solution on, each marked with ``metadata[STUDENT] = True``.
    """
    student, _ = editions.student_notebook(nb)
    first = next(k for k, c in enumerate(nb.cells) if editions._is_solution(c))
    added = [nbformat.v4.new_code_cell(_RESTORE)] + [nbformat.from_dict(dict(c)) for c in student.cells[first:]]
    for cell in added:
        cell.metadata[STUDENT] = True
    snapshot = nbformat.v4.new_code_cell(_SNAPSHOT)
    snapshot.metadata[STUDENT] = True
    out = nbformat.from_dict(dict(nb))
    out.cells = list(nb.cells[:first]) + [snapshot] + list(nb.cells[first:]) + added
    return out


def execute_with_times(path, timeout=CELL_TIMEOUT, student=False):
    """Execute the notebook at ``path`` in a fresh python3 kernel (working directory: its folder),
    followed by the exercises of its student edition if ``student`` (see :func:`with_student_pass`).

    Returns the executed notebook and ``{cell index: seconds}`` for every code cell, the larger of the
    client's wall time and the kernel's own timing. An error in a cell raises ``CellExecutionError``.
    """
    nb = nbformat.read(path, as_version=4)
    if student:
        nb = with_student_pass(nb)
    started, seconds = {}, {}

    def on_start(cell, cell_index, **_):
        started[cell_index] = time.monotonic()

    def on_done(cell, cell_index, **_):
        seconds[cell_index] = max(time.monotonic() - started[cell_index], _kernel_seconds(cell))

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(Path(path).parent)}},
                            on_cell_execute=on_start, on_cell_executed=on_done)
    client.execute()
    return nb, seconds


def _stream(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_tour_executes_quickly_under_nbclient(path):
    start = time.monotonic()
    try:
        executed, seconds = execute_with_times(path, student=True)
    except CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell raised under nbclient (the tour, or its student edition's blank "
                    f"exercises after it):\n{str(err)[-2000:]}")
    total = time.monotonic() - start
    # the teacher's solutions pass their checks: every check cell prints "right" and nothing else;
    # with the exercises blank, every check of the student edition says "not done yet"
    tour = [(k, c) for k, c in enumerate(executed.cells) if not c.metadata.get(STUDENT)]
    student = [(k, c) for k, c in enumerate(executed.cells) if c.metadata.get(STUDENT)]
    assert [c.source for _, c in tour] == [c.source for c in nbformat.read(path, as_version=4).cells]
    for k, cell in tour:
        if editions._is_check(cell):
            text = _stream(cell)
            assert "✓" in text and "not done yet" not in text, f"{path.name}: check cell {k} printed {text!r}"
    checks = [(k, _stream(c)) for k, c in student if editions._is_check(c)]
    assert checks, f"{path.name}: no check cell"
    blank = [k for k, text in checks if "not done yet" not in text or "✓" in text]
    assert not blank, f"{path.name}: with the exercises blank, check cells {blank} do not say 'not done yet'"
    seconds = {k: s for k, s in seconds.items() if not executed.cells[k].metadata.get(STUDENT)}
    slow = {k: s for k, s in seconds.items() if s > CELL_LIMIT}
    slowest = max(seconds, key=seconds.get)
    assert not slow, (
        f"{path.name}: cells took longer than {CELL_LIMIT:.0f} s under nbclient: "
        + ", ".join(f"cell {k}: {s:.1f} s" for k, s in sorted(slow.items()))
    )
    print(f"{path.name}: {total:.1f} s in all, slowest cell {slowest} ({seconds[slowest]:.2f} s)")
