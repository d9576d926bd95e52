"""Editions of the tours: a student edition for teachers, and a static reading edition in HTML.

Run from the root of a clone::

    python -m ottools.editions student        # build/student/NN_*.ipynb, solutions blanked
    python -m ottools.editions html           # build/html/index.html and one page per tour (executes them)
    python -m ottools.editions html 00 03     # only some tours
    python -m ottools.editions html --no-execute  # the pages without running the tours (a draft, seconds)
    python -m ottools.editions slides         # check the tours' slide metadata (presenter mode, RISE)
    python -m ottools.editions slides --write # write it into the tours

The student edition replaces the source of every cell tagged ``solution`` by a blank that assigns
``...`` to each answer the exercise asks for (the names listed under ``"answers"`` in the cell's
metadata), and leaves everything else unchanged, outputs cleared. The check cell after it (tagged
``check``, see ``ottools.exercises``) then says "not done yet" instead of failing, so the edition runs
from top to bottom with every exercise blank; filled with the teacher's solutions it is the tour.

The reading edition executes every tour (two at a time, in two long-lived kernels that keep their
imported modules from one tour to the next: each tour starts with an empty namespace, no figure and
no widget, and every tour sets the course's style itself) and writes one
self-contained HTML page per tour, complete offline and without a kernel: every formula is typeset
as MathML when the page is built (``latex2mathml``; a formula it cannot typeset fails the build,
naming its tour and cell), and every widget of ``ottools.widgets`` is replaced by a small player in
the page (inline script, no kernel, no network) that switches the widget's own frames, drawn by
the tour's callback in the tour's kernel after its last cell, downscaled and encoded as WebP. A lazy
widget whose grid is large gets a thinned grid (every value of each control, the others at their
shown values, then the grid of its first two controls as time allows) and its page says so. An
upload widget shows its picture. Pages carry a table of contents and previous/next links; the index
has a thumbnail and the slides of each tour. A page makes no request: its images are data URIs.

The slide metadata (``cell.metadata.slideshow.slide_type``, see :func:`slide_types`) makes each tour
a RISE slideshow in JupyterLab (``jupyterlab-rise``): a slide per section, the steps as fragments.
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


# --- the reading edition -------------------------------------------------------------------------

HTML_JOBS = 2  # tours executed at the same time (a kernel each; the machines of the course have 2 cores)
FRAME_BUDGET = 36  # pictures a lazy widget may draw at build time beyond those it already drew
FRAME_SECONDS = 3.0  # and seconds it may spend on them (the thinned grid is always drawn in full)
FRAME_WIDTH = 900  # px: wider frames are downscaled (a page column is ~60 rem)
FRAME_QUALITY = 82  # WebP quality of the frames (lossy: figures are mostly flat colour and text)
PAGE_LIMIT = 20 * 2**20  # bytes: a page larger than this fails the build
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Markdown math: $$...$$ (display, may span lines) and $...$ (inline, one paragraph), not after a
# backslash; code spans and fenced blocks are left alone.
_CODE = re.compile(r"(```[\s\S]*?```|~~~[\s\S]*?~~~|(`+)[\s\S]*?(?<!`)\2(?!`))")
_MATH = re.compile(r"(?<!\\)\$\$([\s\S]+?)\$\$|(?<![\\$])\$(?![\s$])((?:[^$\n]|\n(?!\s*\n))+?)(?<![\s\\])\$")
_TOKEN = "OTMATH{}Q"
_TOKENS = re.compile(r"OTMATH(\d+)Q")

# What latex2mathml lacks, said with what it has (applied before converting).
_TEX_FIXES = [
    (re.compile(r"\\(arg|deg|hom|ker|Pr)(?![A-Za-z])"), r"\\operatorname{\1}"),
    (re.compile(r"\\langle(?![A-Za-z])"), "\u27e8"),
    (re.compile(r"\\rangle(?![A-Za-z])"), "\u27e9"),
]


class FormulaError(ValueError):
    """A formula of a tour that the converter cannot typeset (with its tour and cell)."""


def tex_to_mathml(tex, display=False):
    """MathML for the LaTeX formula ``tex`` (without its dollars), typeset by ``latex2mathml``.

    Raises ``ValueError`` if the converter fails or leaves a LaTeX command untypeset (a command it
    does not know comes out as its own source, which a reader would see).
    """
    from latex2mathml.converter import convert

    source = tex.strip()
    for pattern, replacement in _TEX_FIXES:
        source = pattern.sub(replacement, source)
    try:
        out = convert(source, display="block" if display else "inline")
    except Exception as err:  # the converter's own errors are of many kinds
        raise ValueError(f"latex2mathml cannot convert {tex!r}: {type(err).__name__}: {err}") from None
    raw = [t for t in re.findall(r">([^<]*)<", out) if re.search(r"\\[A-Za-z]", t)]
    if raw or "<merror" in out:
        raise ValueError(f"latex2mathml leaves {raw or 'an error'} untypeset in {tex!r}")
    # an accessible name (screen readers, copy) that is the source, only as an attribute
    return out.replace("<math ", f'<math alttext="{html.escape(tex.strip(), quote=True)}" ', 1)


def math_spans(source):
    """The formulas of a Markdown ``source``: a list of (start, end, tex, display), outside code."""
    spans, pos = [], 0
    for text, is_code in _split_code(source):
        if not is_code:
            for m in _MATH.finditer(text):
                display = m.group(1) is not None
                spans.append((pos + m.start(), pos + m.end(), m.group(1) if display else m.group(2), display))
        pos += len(text)
    return spans


def _split_code(source):
    parts, last = [], 0
    for m in _CODE.finditer(source):
        parts.append((source[last:m.start()], False))
        parts.append((m.group(0), True))
        last = m.end()
    parts.append((source[last:], False))
    return parts


def typeset_notebook(nb, name=""):
    """Replace every formula of the Markdown cells of ``nb`` (in place) by a token; return the list of
    MathML strings, the token ``OTMATH{k}Q`` standing for the k-th.

    Raises :class:`FormulaError` listing every formula that cannot be typeset, with its cell.
    """
    rendered, failures = [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        source, pieces, last = cell.source, [], 0
        for start, end, tex, display in math_spans(source):
            try:
                mathml = tex_to_mathml(tex, display)
            except ValueError as err:
                failures.append(f"{name} cell {index}: {err}")
                mathml = ""
            pieces += [source[last:start], ("\n\n" if display else "") + _TOKEN.format(len(rendered))
                       + ("\n\n" if display else "")]
            rendered.append(mathml)
            last = end
        if pieces:
            cell.source = "".join(pieces) + source[last:]
    if failures:
        raise FormulaError(f"{len(failures)} formula(s) cannot be typeset:\n" + "\n".join(failures))
    return rendered


def _untoken(body, rendered):
    """Put the MathML back in place of the tokens; inside a tag (a heading's id) a token is dropped."""
    body = re.sub(r"<[^<>]*OTMATH\d+Q[^<>]*>", lambda m: _TOKENS.sub("", m.group(0)), body)
    return _TOKENS.sub(lambda m: rendered[int(m.group(1))], body)


# --- slides (the presenter mode, RISE) -----------------------------------------------------------

SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")


def _only_asserts(source):
    lines = [ln for ln in source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return bool(lines) and all(ln.startswith(("assert", " ", "\t", ")", "]")) for ln in lines) \
        and lines[0].startswith("assert")


def slide_types(nb):
    """The slide type of every cell of a tour, for RISE (``cell.metadata.slideshow.slide_type``).

    The title and every ``##`` section start a slide, a ``###`` heading a subslide; in a section,
    the text after a code cell starts a subslide (a step: its sentence, its code, its figure), and
    the code and text after it come as fragments. The setup cell shows with the title; the assert
    cells, and the solutions and checks of the exercises, are skipped (they run, not shown).
    """
    types, previous = [], None
    for index, cell in enumerate(nb.cells):
        source = cell.source.lstrip() if isinstance(cell.source, str) else "".join(cell.source).lstrip()
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown" and (source.startswith("# ") or source.startswith("## ") or index == 0):
            kind = "slide"
        elif cell.cell_type == "markdown" and source.startswith("### "):
            kind = "subslide"
        elif cell.cell_type == "markdown":
            kind = "subslide" if previous == "code" else ("-" if index == 1 else "fragment")
        elif SOLUTION_TAG in tags or CHECK_TAG in tags or _only_asserts(source):
            kind = "skip"
        elif previous is None or all(c.cell_type == "markdown" for c in nb.cells[:index]) and index <= 2:
            kind = "-"  # the setup cell, on the title slide
        else:
            kind = "fragment"
        if kind != "skip":
            previous = cell.cell_type
        types.append(kind)
    return types


def apply_slides(nb):
    """Write :func:`slide_types` into the cells of ``nb`` (in place); return the number of cells changed."""
    changed = 0
    for cell, kind in zip(nb.cells, slide_types(nb)):
        meta = cell.setdefault("metadata", {})
        if meta.get("slideshow", {}).get("slide_type") != kind:
            meta["slideshow"] = {"slide_type": kind}
            changed += 1
    rise = {"scroll": True, "transition": "none", "enable_chalkboard": False}
    if nb.metadata.get("rise") != rise:
        nb.metadata["rise"] = rise
        changed += 1
    return changed


def write_slides(selection=None, root=None, write=False, quiet=False):
    """Check (or, with ``write``, apply) the slide metadata of the tours; return the tours not up to date."""
    import json

    stale = []
    for path in tour_paths(selection, root):
        raw = json.loads(path.read_text(encoding="utf-8"))
        import nbformat

        nb = nbformat.from_dict(raw)
        changed = apply_slides(nb)
        if changed:
            stale.append(path)
            if write:
                # only the metadata changes: the cells' JSON is written back as it was read otherwise
                for cell, new in zip(raw["cells"], nb.cells):
                    cell.setdefault("metadata", {})["slideshow"] = dict(new.metadata["slideshow"])
                raw["metadata"]["rise"] = dict(nb.metadata["rise"])
                path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if not quiet:
            print(f"{path.name}: {'written' if write and changed else ('%d cells to update' % changed if changed else 'up to date')}")
    return stale


# --- widgets played without a kernel -------------------------------------------------------------

# Run in the tour's kernel after its last cell: every FigureWidget's frames (a lazy one draws a
# thinned grid first), downscaled and encoded as WebP, written as JSON to a file, keyed by model_id.
_COLLECT = r'''
def _ottools_collect(path, budget, seconds, width, quality):
    import base64, io, itertools, json, time
    from PIL import Image
    from ipywidgets.widgets import widget as _widget
    from ottools import widgets as _ow

    def encode(png):
        im = Image.open(io.BytesIO(png))
        im = im.convert("RGBA") if im.mode in ("RGBA", "LA", "P") else im.convert("RGB")
        if im.width > width:
            im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
        if im.mode == "RGBA":
            bg = Image.new("RGB", im.size, (255, 255, 255)); bg.paste(im, mask=im.split()[3]); im = bg
        out = io.BytesIO(); im.save(out, format="WEBP", quality=quality, method=2)
        return "data:image/webp;base64," + base64.b64encode(out.getvalue()).decode()

    def labels(name, control, values):
        opts = getattr(control, "_options_labels", None)
        return [str(x) for x in opts] if opts is not None and len(opts) == len(values) else [str(v) for v in values]

    result = {}
    for w in list(_widget._instances.values()):
        if getattr(w, "model_id", None) is None:
            continue
        if not isinstance(w, _ow.FigureWidget):  # a progress bar, a label...: its state, shown still
            state = {k: getattr(w, k) for k in ("description", "value", "min", "max")
                     if w.has_trait(k) and isinstance(getattr(w, k), (int, float, str)) and not isinstance(getattr(w, k), bool)}
            result[w.model_id] = {"kind": "other", "type": type(w).__name__, "state": state}
            continue
        start = time.perf_counter()
        if w.frames is None:  # an upload (or interactive) widget: its picture, still
            result[w.model_id] = {"kind": "static", "picture": encode(w.image.value),
                                  "controls": [getattr(c, "description", "") or n for n, c in w.controls.items()]}
            continue
        names = list(w.controls)
        choices = [list(w.choices[n]) for n in names]
        here = w.key()
        grid = list(itertools.product(*choices))
        missing = [k for k in grid if k not in w.frames]
        thinned = False
        if len(missing) > budget:
            thinned = True
            # every value of each control, the others at their current values (the first control's
            # axis is its animation); then the grid of the first two controls, as time allows
            cross = [here[:i] + (v,) + here[i + 1:] for i in range(len(names)) for v in choices[i]]
            for key in cross:
                if key not in w.frames:
                    w.frames[key] = w._render(key)
            if len(names) > 1:
                for a in choices[0]:
                    for b in choices[1]:
                        key = (a, b) + here[2:]
                        if time.perf_counter() - start > seconds:
                            break
                        if key not in w.frames:
                            w.frames[key] = w._render(key)
        else:
            w.render_all()
        pairs = len(names) > 2 and all((a, b) + here[2:] in w.frames for a in choices[0] for b in choices[1])
        keys = [k for k in grid if k in w.frames]
        pictures, index, seen = [], {}, {}
        for key in keys:
            png = w.frames[key]
            if png not in seen:
                seen[png] = len(pictures)
                pictures.append(encode(png))
            index[",".join(str(choices[i].index(v)) for i, v in enumerate(key))] = seen[png]
        controls = []
        for i, (name, control) in enumerate(w.controls.items()):
            kind = "toggle" if isinstance(control, __import__("ipywidgets").ToggleButtons) else "slider"
            controls.append({"name": name, "label": getattr(control, "description", "") or name, "kind": kind,
                             "values": labels(name, control, choices[i]), "index": choices[i].index(here[i])})
        result[w.model_id] = {
            "kind": "frames", "controls": controls, "keys": index, "frames": pictures,
            "play": None if w.play is None else {"interval": int(w.play.interval), "repeat": bool(w.play.repeat)},
            "grid": len(grid), "drawn": len(keys), "thinned": thinned, "pairs": pairs,
            "seconds": round(time.perf_counter() - start, 2)}
    with open(path, "w") as f:
        json.dump(result, f)
'''

_PLAYER_SCRIPT = r"""
(function () {
  function setup(fig) {
    var data = JSON.parse(fig.querySelector('script.ot-data').textContent);
    var img = fig.querySelector('img.ot-frame'), state = data.controls.map(function (c) { return c.index; });
    var inputs = [], timer = null, playButton = fig.querySelector('button.ot-play');
    function has(s) { return data.keys.hasOwnProperty(s.join(',')); }
    function nearest(moved) {  // the drawn combination closest to the current one, keeping the moved control
      if (has(state)) return state;
      var best = null, bestD = Infinity;
      Object.keys(data.keys).forEach(function (k) {
        var s = k.split(',').map(Number);
        if (moved !== undefined && s[moved] !== state[moved]) return;
        var d = 0; for (var i = 0; i < s.length; i++) d += Math.abs(s[i] - state[i]) * (i === moved ? 1000 : 1);
        if (d < bestD) { bestD = d; best = s; }
      });
      return best || state;
    }
    function show(moved) {
      state = nearest(moved);
      img.src = data.frames[data.keys[state.join(',')]];
      data.controls.forEach(function (c, i) {
        var el = inputs[i];
        if (c.kind === 'slider') { el.input.value = state[i]; el.input.setAttribute('aria-valuetext', c.values[state[i]]);
          el.output.textContent = c.values[state[i]]; }
        else el.buttons.forEach(function (b, j) { b.setAttribute('aria-pressed', j === state[i] ? 'true' : 'false'); });
      });
    }
    data.controls.forEach(function (c, i) {
      var box = fig.querySelectorAll('.ot-control')[i];
      if (c.kind === 'slider') {
        var input = box.querySelector('input'), output = box.querySelector('output');
        input.addEventListener('input', function () { state[i] = Number(input.value); show(i); });
        inputs.push({input: input, output: output});
      } else {
        var buttons = Array.prototype.slice.call(box.querySelectorAll('button'));
        buttons.forEach(function (b, j) { b.addEventListener('click', function () { state[i] = j; show(i); }); });
        inputs.push({buttons: buttons});
      }
    });
    if (playButton) playButton.addEventListener('click', function () {
      if (timer) { clearInterval(timer); timer = null; playButton.textContent = '\u25B6 play'; return; }
      var n = data.controls[0].values.length;
      if (state[0] >= n - 1) { state[0] = 0; show(0); }
      playButton.textContent = '\u275A\u275A pause';
      timer = setInterval(function () {
        if (state[0] >= n - 1) {
          if (!data.play.repeat) { clearInterval(timer); timer = null; playButton.textContent = '\u25B6 play'; return; }
          state[0] = -1;
        }
        state[0] += 1; show(0);
      }, data.play.interval);
    });
    show();
  }
  document.querySelectorAll('figure.ot-player').forEach(setup);
})();
"""


def _player_html(widget, number):
    """The self-contained HTML of a widget played without a kernel (its frames are inline)."""
    import json

    esc = html.escape
    if widget["kind"] == "other":
        state = widget["state"]
        if widget["type"] in ("IntProgress", "FloatProgress") and "value" in state and "max" in state:
            return (f'<p class="ot-other">{esc(str(state.get("description", "")))} <progress value="{esc(str(state["value"]))}" '
                    f'max="{esc(str(state["max"]))}"></progress></p>')
        return f'<p class="ot-other">({esc(widget["type"])}: {esc(str(state.get("value", "")))})</p>'
    if widget["kind"] == "static":
        what = ", ".join(widget["controls"])
        return (f'<figure class="ot-static"><img src="{widget["picture"]}" alt="the widget\'s picture">'
                f"<figcaption>In a running tour this figure has controls ({esc(what)}): your own image needs "
                "a kernel (open the tour in JupyterLab).</figcaption></figure>")
    rows = []
    if widget["play"] is not None:
        rows.append('<button type="button" class="ot-play">\u25B6 play</button>')
    for i, c in enumerate(widget["controls"]):
        ident = f"ot{number}-{i}"
        if c["kind"] == "slider":
            rows.append(
                f'<span class="ot-control"><label for="{ident}">{esc(c["label"])}</label> '
                f'<input type="range" id="{ident}" min="0" max="{len(c["values"]) - 1}" step="1" value="{c["index"]}" '
                f'aria-valuetext="{esc(c["values"][c["index"]])}"> <output for="{ident}">{esc(c["values"][c["index"]])}</output></span>')
        else:
            buttons = "".join(
                f'<button type="button" aria-pressed="{"true" if j == c["index"] else "false"}">{esc(v)}</button>'
                for j, v in enumerate(c["values"]))
            rows.append(f'<span class="ot-control" role="group" aria-label="{esc(c["label"])}">'
                        f'<span class="ot-label">{esc(c["label"])}</span> {buttons}</span>')
    n_values = [len(c["values"]) for c in widget["controls"]]
    if widget["drawn"] < widget["grid"]:
        note = (f"{widget['drawn']} of the {widget['grid']} pictures were drawn for this page: every value of each "
                "control with the others as shown first"
                + (f", and every pair of {widget['controls'][0]['label']} and {widget['controls'][1]['label']}"
                   if widget.get("pairs") else "")
                + "; a move to another combination shows the nearest drawn one (the controls say which). "
                "In JupyterLab every combination is drawn.")
    else:
        note = f"All {widget['grid']} pictures of this widget, drawn when the page was built: no kernel needed."
    payload = json.dumps({k: widget[k] for k in ("controls", "keys", "frames", "play")}, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")
    first = widget["frames"][widget["keys"][",".join(str(c["index"]) for c in widget["controls"])]] \
        if ",".join(str(c["index"]) for c in widget["controls"]) in widget["keys"] else widget["frames"][0]
    return (f'<figure class="ot-player"><div class="ot-controls">{"".join(rows)}</div>'
            f'<img class="ot-frame" src="{first}" alt="the picture of the controls\' values">'
            f'<figcaption>{esc(note)}</figcaption>'
            f'<script type="application/json" class="ot-data">{payload}</script></figure>')


def _replace_widgets(nb, collected):
    """Replace every widget output of ``nb`` by its kernel-free player (or its picture); return the count."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME not in data:
                continue
            widget = collected.get(data[WIDGET_MIME].get("model_id"))
            if widget is None:  # closed before the end of the tour: nothing left to show
                output["data"] = {"text/html": '<p class="ot-other">(a widget closed by the tour)</p>'}
                continue
            output["data"] = {"text/html": _player_html(widget, count)}
            count += widget["kind"] != "other"
    nb.metadata.pop("widgets", None)
    return count


# --- pages ----------------------------------------------------------------------------------------

_CSS = """
:root { --fg: #222; --muted: #666; --rule: #ddd; --code: #f6f8fa; --link: #1f5fa8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); line-height: 1.55;
       margin: 0; font-size: 17px; }
main, header.ot-nav, footer.ot-nav { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header.ot-nav, footer.ot-nav { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding-top: .7rem; padding-bottom: .7rem;
       border-bottom: 1px solid var(--rule); font-size: .95rem; }
footer.ot-nav { border-top: 1px solid var(--rule); border-bottom: 0; margin-top: 2rem; }
a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
nav.ot-toc { border: 1px solid var(--rule); border-radius: 6px; padding: .4rem 1rem; margin: 1rem 0; background: #fafafa; }
nav.ot-toc ol { margin: .3rem 0; padding-left: 1.3rem; } nav.ot-toc li.h3 { margin-left: 1.2rem; font-size: .93rem; }
nav.ot-toc summary { cursor: pointer; font-weight: 600; }
img { max-width: 100%; height: auto; }
pre { overflow-x: auto; margin: 0; padding: .6rem .8rem; font-size: .85rem; line-height: 1.4; }
.input_area { background: var(--code); border: 1px solid #e4e7eb; border-radius: 4px; margin: .6rem 0 .3rem; }
.output_area pre { background: #fff; border-left: 3px solid #e4e7eb; }
.output_area { margin: .2rem 0 .8rem; overflow-x: auto; }
.output_stderr pre { background: #fff8e6; }
table { border-collapse: collapse; display: block; overflow-x: auto; max-width: 100%; }
td, th { padding: .3rem .6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
h1 { font-size: 1.8rem; line-height: 1.25; } h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--rule); }
.anchor-link { margin-left: .3rem; color: #bbb; font-size: .8em; }
math[display="block"] { display: block; overflow-x: auto; overflow-y: hidden; margin: .6rem 0; font-size: 1.08em; }
figure.ot-player, figure.ot-static { margin: .8rem 0; padding: .6rem; border: 1px solid #c9d6e8; border-radius: 6px; background: #f7faff; }
.ot-controls { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; margin-bottom: .4rem; }
.ot-control { display: inline-flex; flex-wrap: wrap; align-items: center; gap: .3rem; }
.ot-control input[type=range] { width: 12rem; max-width: 60vw; }
.ot-control output { min-width: 3rem; font-variant-numeric: tabular-nums; }
.ot-control button, button.ot-play { font: inherit; font-size: .9rem; padding: .15rem .55rem; border: 1px solid #8aa4c8;
       background: #fff; border-radius: 4px; cursor: pointer; }
.ot-control button[aria-pressed=true] { background: #1f5fa8; color: #fff; }
p.ot-other { color: var(--muted); font-size: .9rem; }
figure figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
.ot-index { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
.ot-index li { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem; }
.ot-index img { display: block; width: 100%; aspect-ratio: 16 / 9; object-fit: contain; background: #fff; }
.ot-index .slides { color: var(--muted); font-size: .9rem; }
main p code, main li code, main td code { overflow-wrap: anywhere; }
main { overflow-wrap: break-word; }
@media (max-width: 600px) { body { font-size: 16px; } h1 { font-size: 1.45rem; } pre { font-size: .78rem; }
  math:not([display="block"]) { display: inline-block; max-width: 100%; overflow-x: auto; overflow-y: hidden;
                                vertical-align: middle; } }
"""


def _pygments_css():
    from pygments.formatters import HtmlFormatter

    css = HtmlFormatter(style="default").get_style_defs(".highlight")
    return re.sub(r"\s*/\*.*?\*/", "", css)  # without its comments (a page's text is searched for errors)


def _toc(body):
    """The sections (``h2``) and subsections (``h3``) of a page body: a list of (level, id, text)."""
    found = []
    for level, ident, inner in re.findall(r'<h([23]) id="([^"]*)">(.*?)</h\1>', body, re.S):
        inner = re.sub(r'<a class="anchor-link".*?</a>', "", inner, flags=re.S)
        found.append((int(level), ident, inner.strip()))
    return found


def _page(title, body, nav, toc):
    prev_link, next_link = nav
    links = ['<a href="index.html">\u2191 all tours</a>']
    links.append(f'<a rel="prev" href="{html.escape(prev_link[0])}">\u2190 {html.escape(prev_link[1])}</a>' if prev_link else "")
    links.append(f'<a rel="next" href="{html.escape(next_link[0])}">{html.escape(next_link[1])} \u2192</a>' if next_link else "")
    bar = " ".join(x for x in links if x)
    items = "\n".join(f'<li class="h{level}"><a href="#{html.escape(ident, quote=True)}">{text}</a></li>'
                      for level, ident, text in toc)
    contents = (f'<nav class="ot-toc" aria-label="contents"><details open><summary>Contents</summary><ol>{items}</ol>'
                "</details></nav>") if toc else ""
    # the contents go after the title and the slides' sentence
    cut = body.find("</h1>")
    cut = body.find("</div>\n</div>\n</div>", cut) if cut >= 0 else -1
    if cut >= 0:
        body = body[:cut] + body[cut:].replace("</div>\n</div>\n</div>", "</div>\n</div>\n</div>\n" + contents, 1)
    else:
        body = contents + body
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{html.escape(title)}</title>
<style>{_CSS}{_pygments_css()}</style></head><body>
<header class="ot-nav">{bar}</header>
<main>
{body}
</main>
<footer class="ot-nav">{bar}</footer>
<script>{_PLAYER_SCRIPT}</script>
</body></html>
"""


def _thumbnail(nb, width=360):
    """The first figure of the executed tour, downscaled, as a WebP data URI (None if it has none)."""
    import base64
    import io

    from PIL import Image

    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            png = output.get("data", {}).get("image/png")
            if png:
                im = Image.open(io.BytesIO(base64.b64decode(png))).convert("RGB")
                im.thumbnail((width, width))
                buffer = io.BytesIO()
                im.save(buffer, format="WEBP", quality=75)
                return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode()
    return None


# Run first when a kernel executes another tour: the names, figures and widgets of the previous tour
# are gone; the imported modules stay (importing numpy, scipy, matplotlib, POT and ottools again
# would cost each tour about 4 s of the build's two cores).
_FRESH_START = r'''
import matplotlib.pyplot as _plt, ipywidgets as _ipw
_plt.close("all")
_ipw.Widget.close_all()
get_ipython().run_line_magic("reset", "-f")
'''


def _no_sanitizing(html_text):
    return html_text.decode() if isinstance(html_text, bytes) else str(html_text)


def build_page(path, out_dir, nav=(None, None), timeout=120, budget=FRAME_BUDGET, seconds=FRAME_SECONDS, km=None,
               execute=True):
    """Execute one tour, collect the frames of its widgets, and write its page; return a summary dict.

    With ``execute=False`` the tour is not run: the page has its text, typeset formulas and code,
    and no output (a draft of the edition, in a second).

    ``km`` is a started or unstarted ``jupyter_client`` kernel manager to execute the tour in (the
    kernel is left running, with the namespace, figures and widgets of the previous tour cleared
    first); by default the tour runs in a kernel of its own, shut down at the end.

    Raises ``nbclient`` 's ``CellExecutionError`` if a cell of the tour fails, :class:`FormulaError`
    if a formula cannot be typeset, and ``ValueError`` if the page is larger than ``PAGE_LIMIT``.
    """
    import json
    import tempfile

    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    t0 = time.perf_counter()
    path, out_dir = Path(path), Path(out_dir)
    nb = nbformat.read(path, as_version=4)
    title, slides = _title_and_slides(nb)
    t_run, collected = 0.0, {}
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "frames.json"
        if execute:
            hidden = nbformat.v4.new_code_cell(
                _COLLECT + f"\n_ottools_collect({str(dump)!r}, {int(budget)}, {float(seconds)}, {FRAME_WIDTH}, {FRAME_QUALITY})\n"
                "del _ottools_collect\n")
            nb.cells.append(hidden)
            if km is not None:
                nb.cells.insert(0, nbformat.v4.new_code_cell(_FRESH_START))
            client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            try:
                client.execute()
            finally:
                if km is not None and client.kc is not None:
                    client.kc.stop_channels()
            t_run = time.perf_counter() - t0
            nb.cells.pop()
            if km is not None:
                nb.cells.pop(0)
            collected = json.loads(dump.read_text())
    n_widgets = _replace_widgets(nb, collected)
    rendered = typeset_notebook(nb, path.name)
    # the template passes every code cell's highlighted source through bleach (clean_html): half the
    # export's time, for Pygments' own escaped output of the tours' code; the pages' HTML is ours
    exporter = HTMLExporter(template_name="basic", filters={"clean_html": _no_sanitizing})
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    body = _untoken(body, rendered)
    page = _page(title, body, nav, _toc(body))
    target = out_dir / (path.stem + ".html")
    target.write_text(page, encoding="utf-8")
    size = target.stat().st_size
    if size > PAGE_LIMIT:
        raise ValueError(f"{target.name} is {size / 2**20:.1f} MB, more than the {PAGE_LIMIT / 2**20:.0f} MB a page may take")
    frames = sum(len(w.get("frames", ())) for w in collected.values())
    return {"path": str(target), "name": target.name, "title": title, "slides": slides, "bytes": size,
            "widgets": n_widgets, "frames": frames, "formulas": len(rendered), "thumbnail": _thumbnail(nb),
            "run_seconds": round(t_run, 1), "seconds": round(time.perf_counter() - t0, 1),
            "frame_seconds": round(sum(w.get("seconds", 0) for w in collected.values()), 1)}


def _run_pages(tasks, jobs):
    """Build the pages of ``tasks`` in ``jobs`` worker processes (``python -m ottools.editions worker``,
    each with one kernel kept from tour to tour), handing each worker the next tour when it has
    written a page; yield ``(path, summary)`` as each page ends. The first failure stops the others
    and raises ``RuntimeError`` naming the tour, with the end of its worker's log."""
    import json
    import os
    import subprocess
    import tempfile

    pending, workers = list(tasks), []
    with tempfile.TemporaryDirectory() as tmp:
        def give(worker):
            if not pending:
                worker["task"] = None
                worker["process"].stdin.close()  # no more tours: the worker shuts its kernel down and ends
                return
            path, out_dir, nav, timeout, budget, seconds = pending.pop(0)
            summary = Path(tmp) / (path.stem + ".json")
            worker["task"] = (path, summary)
            worker["process"].stdin.write(json.dumps({"path": str(path), "out": str(out_dir), "nav": nav,
                                                      "timeout": timeout, "budget": budget, "seconds": seconds,
                                                      "summary": str(summary)}) + "\n")
            worker["process"].stdin.flush()

        def log_tail(worker):
            worker["log"].flush()
            worker["log"].seek(0)
            text = re.sub(r"\x1b\[[0-9;]*m", "", worker["log"].read())  # the traceback's colours
            lines = [ln for ln in text.splitlines() if "WARNING" not in ln and "MissingIDField" not in ln
                     and "_validate(nbdict" not in ln]
            start = next((k for k, ln in enumerate(lines) if "An error occurred while executing" in ln), None)
            if start is None or len(lines) - start <= 60:
                return "\n".join(lines[-60:] if start is None else lines[start:])
            # the failing cell's source, then the end of its traceback
            return "\n".join(lines[start:start + 30] + ["[...]"] + lines[-30:])

        try:
            for k in range(min(jobs, len(pending))):
                log = open(Path(tmp) / f"worker{k}.log", "w+", encoding="utf-8")
                # not a kernel of a Jupyter server, even when the build is run from one: no idle drawing
                env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
                process = subprocess.Popen([sys.executable, "-m", "ottools.editions", "worker"], stdin=subprocess.PIPE,
                                           stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
                worker = {"process": process, "log": log, "task": None}
                workers.append(worker)
                give(worker)
            while any(w["task"] is not None for w in workers):
                time.sleep(0.1)
                for worker in workers:
                    if worker["task"] is None:
                        continue
                    path, summary = worker["task"]
                    if summary.exists():
                        give(worker)
                        yield path, json.loads(summary.read_text(encoding="utf-8"))
                        continue
                    code = worker["process"].poll()
                    if code is not None:
                        raise RuntimeError(f"the reading edition of {path.name} failed (exit {code}):\n" + log_tail(worker))
            for worker in workers:
                code = worker["process"].wait(timeout=60)
                if code != 0:
                    raise RuntimeError(f"a worker of the reading edition ended with exit {code}:\n" + log_tail(worker))
        finally:
            for worker in workers:  # loud and at once: the others are stopped
                process = worker["process"]
                if process.poll() is None:
                    process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                if process.stdin and not process.stdin.closed:
                    try:
                        process.stdin.close()
                    except OSError:
                        pass
                worker["log"].close()


def _worker():
    """The worker of :func:`_run_pages`: builds the tours given on its standard input (a JSON line
    each) in one kernel, writing each summary when its page is written; ends at the end of input."""
    import json
    import signal

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: shut the kernel down on the way out
    km = AsyncKernelManager(kernel_name="python3")
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            task = json.loads(line)
            nav = tuple(tuple(x) if x else None for x in task["nav"])
            summary = build_page(Path(task["path"]), Path(task["out"]), nav, task["timeout"], task["budget"],
                                 task["seconds"], km=km)
            partial = Path(task["summary"] + ".part")
            partial.write_text(json.dumps(summary), encoding="utf-8")
            partial.replace(task["summary"])  # whole or absent: the parent reads it once it exists
    finally:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=False)
    return 0


def build_html(out_dir=None, selection=None, root=None, timeout=120, quiet=False, jobs=HTML_JOBS,
               budget=FRAME_BUDGET, seconds=FRAME_SECONDS, execute=True):
    """Execute every tour and write ``build/html/NN_*.html`` and ``index.html``; return the paths.

    Each page has its formulas typeset as MathML and every widget playable without a kernel (see
    :func:`build_page`); ``jobs`` tours are executed at a time, each in its own process and kernel.
    ``timeout`` is per cell, in seconds: a limit for a cell that hangs, far above the few seconds that
    any cell of the tours takes (``tests/test_executors.py`` runs every tour with nbclient, the
    executor used here, and fails on a cell slower than 20 s). ``budget`` and ``seconds`` limit the
    pictures a lazy widget draws beyond its thinned grid (see ``FRAME_BUDGET``; 0 for the thinned
    grid alone, as the tests build). A failing tour fails the build. With ``execute=False`` no tour
    is run: every page has its text, formulas and code but no output (``--no-execute``, seconds).
    """
    root = project_root() if root is None else Path(root)
    out_dir = root / "build" / "html" if out_dir is None else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = tour_paths(selection, root)
    import nbformat

    names = [(p.stem + ".html", _title_and_slides(nbformat.read(p, as_version=4))[0]) for p in paths]
    navs = [(names[k - 1] if k > 0 else None, names[k + 1] if k + 1 < len(names) else None) for k in range(len(paths))]
    tasks = [(p, out_dir, nav, timeout, budget, seconds) for p, nav in zip(paths, navs)]
    summaries = {}
    jobs = max(1, min(int(jobs), len(tasks)))
    if execute:
        pages = _run_pages(tasks, jobs)
    else:
        pages = ((p, build_page(p, out, nav, execute=False)) for p, out, nav, *_ in tasks)
    for done, (p, summary) in enumerate(pages, 1):
        summaries[p] = summary
        if not quiet:
            _progress(done, len(tasks), summary)
    ordered = [summaries[p] for p in paths]
    index = out_dir / "index.html"
    index.write_text(_index_page(ordered), encoding="utf-8")
    written = [Path(s["path"]) for s in ordered] + [index]
    build_html.last_summaries = ordered
    if not quiet:
        total = sum(f.stat().st_size for f in written)
        biggest = max(ordered, key=lambda s: s["bytes"])
        print(f"{index}  (edition: {len(ordered)} pages, {total / 2**20:.1f} MB; biggest page {biggest['name']}, "
              f"{biggest['bytes'] / 2**20:.1f} MB)")
    return written


def _progress(done, total, s):
    print(f"[{done}/{total}] {s['path']}  {s['seconds']:.1f} s (cells {s['run_seconds']:.1f} s, frames "
          f"{s['frame_seconds']:.1f} s), {s['widgets']} widgets, {s['frames']} frames, {s['formulas']} formulas, "
          f"{s['bytes'] / 2**20:.1f} MB", flush=True)


def _index_page(entries):
    """The index of the reading edition: each tour with its thumbnail, its slides and a link."""
    def item(e):
        thumb = (f'<img src="{e["thumbnail"]}" alt="" loading="lazy">' if e.get("thumbnail") else "")
        slides = f'<div class="slides">slides {html.escape(e["slides"])}</div>' if e.get("slides") else ""
        return (f'<li><a href="{html.escape(e["name"])}">{thumb}<strong>{html.escape(e["title"])}</strong></a>'
                f"{slides}</li>")
    items = "\n".join(item(e) for e in entries)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Optimal transport in imaging sciences: the tours</title>
<style>{_CSS}</style></head><body>
<main>
<h1>Optimal transport in imaging sciences</h1>
<p>The tours, executed, in the order of G. Peyré's slides <em>Optimal Transport in Imaging Sciences</em>.
Every page works offline and without a kernel: the formulas are typeset, and every widget plays its
pictures, drawn when this edition was built. To run the code, see the project's README.</p>
<ol class="ot-index">
{items}
</ol></main></body></html>
"""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ottools.editions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("edition", choices=["student", "html", "slides", "worker"],
                        help="worker: what html runs (builds the tours given on its standard input)")
    parser.add_argument("tours", nargs="*", help="numbers or names of the tours (default: all)")
    parser.add_argument("--out", help="output folder (default build/student or build/html)")
    parser.add_argument("--jobs", type=int, default=HTML_JOBS, help="tours executed at a time (html)")
    parser.add_argument("--write", action="store_true", help="slides: write the slide metadata into the tours")
    parser.add_argument("--no-execute", action="store_true",
                        help="html: do not run the tours (text, formulas and code, no output; seconds)")
    args = parser.parse_args(argv)
    if args.edition == "worker":
        return _worker()
    t0 = time.perf_counter()
    if args.edition == "student":
        build_student(args.out, args.tours or None)
    elif args.edition == "slides":
        stale = write_slides(args.tours or None, write=args.write)
        if stale and not args.write:
            print(f"{len(stale)} tour(s) without their slide metadata: python -m ottools.editions slides --write")
            return 1
        return 0
    else:
        try:
            build_html(args.out, args.tours or None, jobs=args.jobs, execute=not args.no_execute)
        except Exception as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    print(f"{args.edition} edition built in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
