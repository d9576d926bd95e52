"""Time ottools against its peers (POT, scipy, ...) and write benchmarks/RESULTS.md.

    python benchmarks/run.py              # every benchmarks/bench_*.py
    python benchmarks/run.py --only color # the cases whose module or operation contains "color"

Each row: the operation, its size, our median time (min-max over the runs), the peer's, the ratio
peer / ours (above 1: we are faster), a quality figure and the target set by the issue.
Timings depend on the machine: the header of RESULTS.md records it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Case, format_seconds, measure  # noqa: E402


def discover():
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield path.stem[len("bench_"):], module


def machine():
    import numpy as np

    try:
        import scipy
        scipy_version = scipy.__version__
    except ImportError:  # pragma: no cover
        scipy_version = "-"
    try:
        import ot
        pot_version = ot.__version__
    except ImportError:
        pot_version = "not installed"
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy_version}, POT {pot_version}"
    )


def run(only=None, repeat=None):
    rows = []
    for name, module in discover():
        try:
            cases = module.cases()
        except Exception as exc:  # a broken benchmark file must not hide the others
            rows.append((name, f"(set-up failed: {type(exc).__name__}: {exc})", "", "", "", "", "", "", ""))
            continue
        for case in cases:
            if only and only not in name and only not in case.operation:
                continue
            print(f"[{name}] {case.operation} ({case.size}) ...", file=sys.stderr, flush=True)
            reps = repeat or case.repeat
            ours = measure(case.ours, repeat=reps)
            peer = measure(case.peer, repeat=reps) if case.peer is not None else None
            ratio = f"{peer.median / ours.median:.1f}x" if peer is not None and ours.median > 0 else "-"
            quality = ""
            if case.quality is not None:
                try:
                    quality = case.quality(ours.result, peer.result if peer else None)
                except Exception as exc:
                    quality = f"(quality failed: {exc})"
            rows.append((
                name, case.operation, case.size, str(ours), str(peer) if peer else "-",
                case.peer_name or "-", ratio, quality, case.target,
            ))
    return rows


def table(rows):
    head = ["module", "operation", "size", "ottools", "peer", "peer is", "peer / ottools", "quality", "target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="run only the cases whose module or operation contains this text")
    parser.add_argument("--repeat", type=int, help="override the number of timed runs of every case")
    parser.add_argument("--no-write", action="store_true", help="print the table without writing RESULTS.md")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    rows = run(args.only, args.repeat)
    text = (
        f"# Benchmark results\n\nMachine: {machine()}.\n"
        f"Times are medians over the runs (min-max in brackets), in one run of `python benchmarks/run.py`"
        f"{' --only ' + args.only if args.only else ''} ({format_seconds(time.perf_counter() - t0)} in all).\n\n"
        + table(rows) + "\n"
    )
    print(text)
    if not args.no_write:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
