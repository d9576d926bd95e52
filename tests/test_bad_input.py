"""The bad-input battery: every public callable of ``ottools`` refuses bad input clearly.

The public API is discovered from each module's ``__all__``; ``tests/bad_input/spec_<module>.py``
gives one or more valid calls of each callable, with the kind of each argument
(``tests/bad_input/kinds.py``). For every argument the battery makes calls with that argument
replaced by
- *good* variants (a plain list for an array, a numpy integer for an int, ``None`` for default
  weights...), which must work and return no NaN;
- *bad* variants (wrong shapes, empty, NaN/inf, booleans, complex, strings, ``None``, out-of-range
  counts and sizes, huge sizes, NaN/inf/negative tolerances, ``max_iter`` of 0, -1 or 2.5, unknown
  options, a wrong ``ax``), which must raise ``ValueError`` or ``TypeError`` (nothing else: no
  ``IndexError``, ``KeyError``, ``ZeroDivisionError``, ``MemoryError``, ``LinAlgError``, no warning)
  with a message that names the argument as the caller passed it.
A callable exported without a case fails :func:`test_every_public_callable_has_a_case`, so each new
function is covered as soon as it is exported.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import pkgutil
import re
import resource
import signal
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import ottools  # noqa: E402

HERE = Path(__file__).resolve().parent / "bad_input"
TIME_LIMIT = 10  # seconds for one call: every valid call of the specs is small (a hang is a defect)
# Address space a call may reach above what the process holds before it: an unguarded huge allocation
# then fails at once with MemoryError (reported as a defect) instead of exhausting the machine.
MEMORY_HEADROOM = 4 * 1024**3

#: Modules whose public functions take no data (their tests live elsewhere), with the reason.
EXEMPT_MODULES = {
    "editions": "builds the student and reading editions from the tours' files (tests/test_editions.py)",
}


def _public_modules():
    names = sorted(m.name for m in pkgutil.iter_modules(ottools.__path__) if not m.name.startswith("_"))
    return [n for n in names if n not in EXEMPT_MODULES]


def _load_spec(module_name):
    path = HERE / f"spec_{module_name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"bad_input_spec_{module_name}", path)
    mod = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(HERE))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(HERE))
    return mod


MODULES = _public_modules()
SPECS = {name: _load_spec(name) for name in MODULES}
CASES = [(name, c) for name, spec in SPECS.items() if spec is not None for c in spec.CASES]


def _exported_callables(module_name):
    mod = importlib.import_module(f"ottools.{module_name}")
    exported = getattr(mod, "__all__", None)
    assert exported is not None, f"ottools.{module_name} has no __all__"
    def is_api(obj):  # exception classes are raised, not called with data
        return callable(obj) and not (isinstance(obj, type) and issubclass(obj, BaseException))

    return {n: getattr(mod, n) for n in exported if is_api(getattr(mod, n))}


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_callable_has_a_case(module_name):
    spec = SPECS[module_name]
    assert spec is not None, f"tests/bad_input/spec_{module_name}.py is missing"
    covered = {id(c.target) for c in spec.CASES}
    missing = [n for n, obj in _exported_callables(module_name).items() if id(obj) not in covered]
    assert not missing, f"ottools.{module_name}: no bad-input case for {missing}"


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout(f"call took more than {TIME_LIMIT} s")


def _call(c, override=None):
    kwargs = {k: a.valid for k, a in c.args.items()}
    if override is not None:
        kwargs[override[0]] = override[1]
    positional = [kwargs.pop(k) for k, a in c.args.items() if a.positional]
    old = signal.signal(signal.SIGALRM, _on_alarm)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.alarm(TIME_LIMIT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return c.fn(*positional, **kwargs)
    finally:
        signal.alarm(0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, old)
        plt.close("all")


def _address_space():
    """Virtual memory of this process in bytes (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def _non_finite(obj, depth=0):
    """A description of the first NaN found in an output, or None."""
    if depth > 4:
        return None
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc" and obj.size and np.isnan(obj).any():
            return f"an array of shape {obj.shape} with NaN"
        return None
    if isinstance(obj, float):
        return "NaN" if np.isnan(obj) else None
    if isinstance(obj, (list, tuple)):
        items = obj
    elif isinstance(obj, dict):
        items = list(obj.values())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        items = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
    else:
        return None
    for item in items:
        found = _non_finite(item, depth + 1)
        if found:
            return found
    return None


def _names_argument(msg, names):
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", msg) for n in names)


def _valid_params():
    return [pytest.param(c, id=f"{m}.{c.id}") for m, c in CASES]


def _variant_params(kind):
    out = []
    for m, c in CASES:
        for arg_name, arg in c.args.items():
            for label, value in getattr(arg, kind):
                out.append(pytest.param(c, arg_name, label, value, id=f"{m}.{c.id}:{arg_name}={label}"))
    return out


@pytest.mark.parametrize("c", _valid_params())
def test_valid_call(c):
    out = _call(c)
    if c.check_output:
        bad = _non_finite(out)
        assert bad is None, f"{c.label}: the valid call returned {bad}"


@pytest.mark.parametrize("c, arg_name, label, value", _variant_params("good"))
def test_good_variant(c, arg_name, label, value):
    out = _call(c, (arg_name, value))
    if c.check_output:
        bad = _non_finite(out)
        assert bad is None, f"{c.label}({arg_name}={label}) returned {bad}"


@pytest.mark.parametrize("c, arg_name, label, value", _variant_params("bad"))
def test_bad_variant(c, arg_name, label, value):
    try:
        out = _call(c, (arg_name, value))
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        names = (arg_name,) + tuple(c.args[arg_name].names)
        assert _names_argument(msg, names), (
            f"{c.label}({arg_name}={label}): the message does not name {arg_name!r}: "
            f"{type(exc).__name__}: {msg}"
        )
        return
    except BaseException as exc:  # noqa: BLE001 - any other exception is the defect we look for
        pytest.fail(f"{c.label}({arg_name}={label}) raised {type(exc).__name__}: {str(exc)[:300]}")
    bad = _non_finite(out)
    pytest.fail(
        f"{c.label}({arg_name}={label}) was accepted"
        + (f" and returned {bad}" if bad else f" (returned {type(out).__name__})")
    )
