"""Every tour under plain nbclient, the executor of ``jupyter nbconvert --execute`` and of the reading edition.

nbval (``python -m pytest tours/``) runs the tours too, with its own client; both must execute every
cell without error and quickly. The time of a cell is measured here on the client's side, from the
moment the cell is sent to the moment its reply has been received: the timestamps that nbclient
records with ``record_timing`` come from the kernel's messages, so they cannot show a client that
waits for a reply already sent (the wait that an ``ipywidgets.Output`` used to cause, see
``ottools.widgets``).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

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


def execute_with_times(path, timeout=CELL_TIMEOUT):
    """Execute the notebook at ``path`` in a fresh python3 kernel (working directory: its folder).

    Returns the executed notebook and ``{cell index: seconds}`` for every code cell, the larger of the
    client's wall time and the kernel's own timing. An error in a cell raises ``CellExecutionError``.
    """
    nb = nbformat.read(path, as_version=4)
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


@pytest.mark.parametrize("path", TOURS, ids=[p.stem for p in TOURS])
def test_tour_executes_quickly_under_nbclient(path):
    start = time.monotonic()
    try:
        executed, seconds = execute_with_times(path)
    except CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell raised under nbclient:\n{str(err)[-2000:]}")
    total = time.monotonic() - start
    # the teacher's solutions pass their checks: every check cell prints "right" and nothing else
    nb = executed
    for k, cell in enumerate(nb.cells):
        if "check" in cell.get("metadata", {}).get("tags", []):
            text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
            assert "✓" in text and "not done yet" not in text, f"{path.name}: check cell {k} printed {text!r}"
    slow = {k: s for k, s in seconds.items() if s > CELL_LIMIT}
    slowest = max(seconds, key=seconds.get)
    assert not slow, (
        f"{path.name}: cells took longer than {CELL_LIMIT:.0f} s under nbclient: "
        + ", ".join(f"cell {k}: {s:.1f} s" for k, s in sorted(slow.items()))
    )
    print(f"{path.name}: {total:.1f} s in all, slowest cell {slowest} ({seconds[slowest]:.2f} s)")
