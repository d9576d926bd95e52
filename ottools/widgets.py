"""Interactive figures for the tours: controls, and a picture that is a PNG image.

A tour's widget is a function ``draw(**values)`` that draws one matplotlib figure, and a few
controls (sliders, toggle buttons, ...) that give the values. The helpers of this module draw the
figure with matplotlib's Agg renderer, turn it into PNG bytes, close it, and show the bytes in an
``ipywidgets.Image``. When a control moves, the figure is drawn again and the bytes of the image are
swapped. ::

    def draw(t=0.5):
        fig, ax = plt.subplots()
        ax.plot(x, np.sin(x + t))        # no plt.show(): the helper renders the figure

    widgets.interactive(draw, t=ipywidgets.FloatSlider(0.5, min=0, max=1, step=0.1))

Why not ``ipywidgets.interactive``? It draws into an ``ipywidgets.Output``, whose contents every
executor must mimic; nbclient's mimic (used by ``jupyter nbconvert --execute`` and the reading
edition) can then wait for the whole cell timeout. An ``Image`` holds plain bytes: any executor runs
the cell in the time it takes to draw the figure once, and no figure is left open behind it.

Three kinds of widget, all :class:`FigureWidget` (an ``ipywidgets.VBox``: the controls, the
picture, and a line for error messages):

- :func:`precomputed` keeps one PNG per combination of values of a few discrete controls, in the
  dictionary ``widget.frames`` (the same dictionary can play the widget in a page without a kernel).
  The pictures sit in the browser, in nested ``ipywidgets.Tab``s (tab bars hidden) linked to the controls with
  ``jslink``: a move shows another picture without a round trip to the kernel, within a frame of the
  key press. Its controls must be linkable: ``ToggleButtons``, ``SelectionSlider`` (over the values
  needed: use it instead of a float slider), ``IntSlider`` with values in 0..1024. With ``lazy=True``
  only the current picture is drawn while the cell runs; in JupyterLab the kernel draws the others
  while it is idle (nearest first), elsewhere each at its first visit;
- :func:`player` is a :func:`precomputed` widget whose first control is driven by an
  ``ipywidgets.Play`` button, linked to its slider in the browser (``ipywidgets.jslink``);
- :func:`upload` draws a figure of an image, first the tour's, then the reader's own file chosen
  with an ``ipywidgets.FileUpload`` button.

:func:`interactive` draws the figure again in the kernel at every move (200-900 ms for a figure of
the tours: too slow for a tour, kept for one's own experiments). :func:`render` is the building
block: one call of ``draw``, one PNG.

Every control must work from the keyboard inside JupyterLab: sliders, ``ToggleButtons``,
``SelectionSlider``, ``Checkbox``; a ``Dropdown``, ``RadioButtons`` or ``Select`` is refused (JupyterLab
takes their arrow keys to move between cells).
"""

from __future__ import annotations

import datetime
import html
import io
import itertools
import math
import time

import ipywidgets
import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure, SubFigure

from ._validate import ArgumentTypeError, check_bool, check_callable, check_controls, check_int, check_keywords, check_real

__all__ = ["FigureWidget", "render", "interactive", "precomputed", "player", "upload", "control_values"]

MAX_FRAMES = 256  # default limit on the number of pictures a precomputed widget may hold
MAX_FRAMES_LIMIT = 10_000  # the largest max_frames accepted (about 1 GB of PNG at most)
MAX_DPI = 600.0  # a figure for a screen never needs more
MIN_INTERVAL = 40  # ms: the shortest Play interval (a swap of bytes still crosses the websocket)


def _dpi(dpi):
    if dpi is None:
        return float(mpl.rcParams["figure.dpi"])  # the resolution of the tours' static figures
    return check_real(dpi, "dpi", minimum=0.0, strict=True, maximum=MAX_DPI)


def _as_figure(obj):
    """The Figure behind what ``draw`` returned (a Figure, an Axes, an array of Axes), or None."""
    if isinstance(obj, SubFigure):
        return obj.figure
    if isinstance(obj, Figure):
        return obj
    fig = getattr(obj, "figure", None)  # an Axes
    if isinstance(fig, Figure):
        return fig
    if hasattr(obj, "flat"):  # a numpy array of Axes, as returned by plt.subplots or plotting.show_images
        for item in obj.flat:
            fig = getattr(item, "figure", None)
            if isinstance(fig, Figure):
                return fig
    return None


def _call_text(values):
    return ", ".join(f"{k}={v!r}" for k, v in values.items())


def render(draw, values=None, *, dpi=None):
    """Call ``draw(**values)`` and return its figure as PNG bytes; the figure is closed.

    Parameters
    ----------
    draw : callable
        Draws one matplotlib figure, with pyplot (``plt.subplots`` ...) or by returning a ``Figure``
        (an ``Axes`` or an array of axes is accepted too). It must not call ``plt.show()``, which would
        display the figure in the cell and close it.
    values : dict, optional
        Keyword arguments of ``draw``.
    dpi : float, optional
        Resolution of the PNG; default ``rcParams["figure.dpi"]``, that of the static figures.

    Returns
    -------
    png : bytes
        The figure, cut to its drawn area (``bbox_inches="tight"``, as the notebook shows figures).

    Raises
    ------
    ValueError
        If ``draw`` made no figure, or more than one (every new pyplot figure is closed first).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> png = render(lambda a=1: plt.plot([0, a]), {"a": 2})
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    check_callable(draw, "draw", allow_none=False)
    if values is None:
        values = {}
    elif not isinstance(values, dict):
        raise ArgumentTypeError(f"values must be a dict of draw's keyword arguments, got {type(values).__name__}")
    check_keywords(draw, values, "values")
    values = dict(values)
    dpi = _dpi(dpi)
    before = set(plt.get_fignums())
    try:
        returned = draw(**values)
        made = [plt.figure(n) for n in plt.get_fignums() if n not in before]
        fig = _as_figure(returned)
        figures = made if fig is None or fig in made else made + [fig]
        if not figures:
            raise ValueError(
                f"draw({_call_text(values)}) made no figure: draw with pyplot or return a matplotlib Figure, "
                "and do not call plt.show() (it displays the figure in the cell and closes it)")
        if len(figures) > 1:
            raise ValueError(f"draw({_call_text(values)}) made {len(figures)} figures; draw one figure "
                             "(several panels: plt.subplots)")
        buffer = io.BytesIO()
        # zlib level 1: a frame is about 15 % larger and encoded in half the time (it only travels
        # from the kernel to the browser on this machine)
        figures[0].savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pil_kwargs={"compress_level": 1})
        return buffer.getvalue()
    finally:
        # every figure made by this call is closed, even after an error: no figure leaks
        for num in set(plt.get_fignums()) - before:
            plt.close(num)


def control_values(name, control):
    """Every value a discrete control can take, in order.

    Parameters
    ----------
    name : str
        The control's name (for the error message).
    control : ipywidgets widget
        A single selection (``ToggleButtons``, ``RadioButtons``, ``SelectionSlider``, ``Dropdown``,
        ...), an integer slider, a float slider (its grid ``min + k * step``) or a ``Checkbox``.

    Returns
    -------
    values : list

    Raises
    ------
    TypeError
        If the control has no finite list of values (a text box, a multiple selection, a range).

    Examples
    --------
    >>> import ipywidgets
    >>> control_values("n", ipywidgets.IntSlider(2, min=0, max=6, step=2))
    [0, 2, 4, 6]
    >>> control_values("t", ipywidgets.FloatSlider(0.5, min=0, max=1, step=0.25))
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> control_values("mode", ipywidgets.ToggleButtons(options=[("fast", 1), ("exact", 2)]))
    [1, 2]
    """
    single = (ipywidgets.ToggleButtons, ipywidgets.RadioButtons, ipywidgets.SelectionSlider,
              ipywidgets.Dropdown, ipywidgets.Select)
    if isinstance(control, single):
        return list(control._options_values)  # the options without their labels
    if isinstance(control, (ipywidgets.Checkbox, ipywidgets.ToggleButton)):
        return [False, True]
    if isinstance(control, (ipywidgets.IntSlider, ipywidgets.BoundedIntText, ipywidgets.Play)):
        return list(range(control.min, control.max + 1, control.step))
    if isinstance(control, (ipywidgets.FloatSlider, ipywidgets.BoundedFloatText)) and control.step:
        n = int(round((control.max - control.min) / control.step))
        return [round(control.min + k * control.step, 12) for k in range(n + 1)]
    raise ArgumentTypeError(
        f"control {name!r} ({type(control).__name__}) has no finite list of values; a precomputed widget "
        "takes single selections (ToggleButtons, RadioButtons, SelectionSlider), integer or float "
        "sliders, checkboxes")


def _snap(value, choices):
    """The entry of ``choices`` equal to ``value``, or the nearest one for numbers (float sliders)."""
    if value in choices:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return min(choices, key=lambda c: abs(c - value))
    raise ValueError(f"value {value!r} is not one of {choices}")


def _label(name, control):
    """Give an unlabelled control its name, and room for its whole label."""
    if control.has_trait("description") and not control.description:
        control.description = name
    style = getattr(control, "style", None)
    if style is not None and style.has_trait("description_width") and not style.description_width:
        style.description_width = "initial"


class FigureWidget(ipywidgets.VBox):
    """Controls, the picture they drive (an ``ipywidgets.Image`` of PNG bytes), and a status line.

    Made by :func:`interactive`, :func:`precomputed` or :func:`player`.

    Attributes
    ----------
    draw : callable
        The function that draws the figure.
    controls : dict
        Name -> control widget, in the order of the call.
    image : ipywidgets.Image
        The picture; ``image.value`` holds the PNG bytes of the current figure.
    status : ipywidgets.HTML
        Empty, or the error raised by ``draw`` at the last move of a control (the picture then keeps
        the last figure drawn).
    frames : dict or None
        For :func:`precomputed` and :func:`player`: tuple of values (in the order of ``controls``) ->
        PNG bytes. ``None`` for :func:`interactive`, which draws at every move.
    choices : dict or None
        For precomputed widgets: name -> the list of values of that control.
    play : ipywidgets.Play or None
        The Play button of a :func:`player`; ``link`` is its ``jslink`` to the animated slider.
    render_ms : list of float
        Time, in milliseconds, of every drawing made so far (call of ``draw`` and PNG encoding).
    """

    def __init__(self, draw, controls, *, dpi=None, choices=None, lazy=False, play=None, header=None):
        check_callable(draw, "draw", allow_none=False)
        check_controls(draw, controls, "controls")
        lazy = check_bool(lazy, "lazy")
        self.draw = draw
        self.dpi = _dpi(dpi)
        self.controls = dict(controls)
        self.choices = choices
        self.frames = None if choices is None else {}
        self.play, self.link = play, None
        self.render_ms = []
        for name, control in self.controls.items():
            _label(name, control)
            if isinstance(control, _KEYBOARD_TRAPS):
                raise ArgumentTypeError(
                    f"control {name!r} is a {type(control).__name__}, whose arrow keys JupyterLab takes for "
                    "moving between cells: use ToggleButtons or a SelectionSlider")
        if choices is not None:
            for name, control in self.controls.items():
                if not _linkable(control):
                    raise ArgumentTypeError(
                        f"control {name!r} ({type(control).__name__}) cannot be linked to the pictures in the "
                        "browser, so every move would wait for the kernel to draw a figure: use ToggleButtons, "
                        f"a SelectionSlider over the values needed, or an IntSlider with values in 0..{MAX_SLOTS}")
        self.status = ipywidgets.HTML()
        # drawn now, while the cell runs: the figure is there at once, and an error in draw is the cell's
        if choices is not None and not lazy:
            for key in itertools.product(*choices.values()):
                self.frames[key] = self._render(key)
            _refuse_dead_controls(self.controls, choices, self.frames)
        self.links = []
        slots = None if choices is None else _stack_slots(self.controls, choices)
        if slots is None:
            # the kernel swaps the bytes of one picture at every move
            self._image, self._images = ipywidgets.Image(format="png"), None
            self._image.value = self._picture()
            for control in self.controls.values():
                control.observe(self._update, names="value")
            picture = self._image
        else:
            # every frame is in the browser, in nested Tabs linked to the controls there (jslink): a
            # move shows another picture without any round trip to the kernel. A lazy widget's frames
            # start empty; the kernel draws each at its first visit, and the browser keeps it.
            self._image, self._images = None, {}
            picture = self._stack(list(self.controls.items()), slots, ())
            self._images[self.key()].value = self._picture()  # an error in draw is the cell's
            # a frame not drawn yet shows a blank of the first frame's size, marked "ottools-pending"
            # (not the browser's broken-picture icon) until the kernel draws it
            blank = _blank_like(self._images[self.key()].value)
            for key, image in self._images.items():
                if key not in self.frames:
                    image.value = blank
                    image.add_class(PENDING_CLASS)
            for control in self.controls.values():
                control.observe(self._fill, names="value")
        for control in self.controls.values():
            if isinstance(control, ipywidgets.ToggleButtons) and not control.style.button_width:
                control.style.button_width = "auto"  # each button as wide as its label: none is cut
        top = list(self.controls.values()) if header is None else header
        below = [self.status] if self._images is None else [self.status, ipywidgets.HTML(FRAMES_CSS)]
        super().__init__(children=[*top, picture, *below])
        self.add_class("ottools-figure")  # how the browser test and the latency benchmark find it
        self._touched = 0.0  # when a control last moved (the idle drawer serves that widget first)
        self._failed = set()  # frames whose drawing failed in the background (drawn again at a visit)
        if choices is not None and lazy:
            _IDLE.add(self)

    def _stack(self, controls, slots, suffix):
        """The picture for the controls ``controls[:len(controls)]`` still free, the later ones fixed
        at the values ``suffix``: an Image, or a Tab over the last free control's slots."""
        if not controls:
            image = ipywidgets.Image(value=self.frames.get(suffix, b""), format="png")
            self._images[suffix] = image
            return image
        (name, control), rest = controls[-1], controls[:-1]
        trait, positions = slots[name]
        children = [_placeholder() if k is None else self._stack(rest, slots, (self.choices[name][k],) + suffix)
                    for k in positions]
        current = getattr(control, trait)
        # a Tab, its tab bar hidden (FRAMES_CSS), rather than a Stack: a Stack's view rebuilds the view
        # of the picture it shows at every switch (a new blob, a new decoding: ~70 ms), a Tab's view
        # keeps every picture's view and only hides and shows them (~20 ms in JupyterLab)
        stack = ipywidgets.Tab(children=children, selected_index=current if 0 <= current < len(children) else 0)
        stack.add_class("ottools-frames")
        self.links.append(ipywidgets.jslink((control, trait), (stack, "selected_index")))
        return stack

    @property
    def image(self):
        """The ``ipywidgets.Image`` showing the current values (its ``value`` holds the PNG bytes)."""
        if self._images is None:
            return self._image
        return self._images[self.key()]

    def _fill(self, change=None):
        """Give the current values' picture its frame if a lazy widget has not drawn it yet."""
        self._touched = time.perf_counter()
        key = self.key()
        if key in self.frames:
            return
        try:
            png = self._picture()
        except Exception as err:
            self._error = True  # the idle drawer's progress line does not hide it
            self.status.value = (f'<span style="color:#b00">draw({html.escape(_call_text(self.values))}) failed: '
                                 f"{type(err).__name__}: {html.escape(str(err))}</span>")
            return
        self._error = False
        self.status.value = ""
        self._show_frame(key, png)

    def _show_frame(self, key, png):
        image = self._images[key]
        image.value = png
        image.remove_class(PENDING_CLASS)

    @property
    def client_side(self):
        """True if the browser switches the pictures itself (every control can be linked to a Tab of pictures)."""
        return self._images is not None

    @property
    def values(self):
        """The current values of the controls (name -> value)."""
        return {name: control.value for name, control in self.controls.items()}

    def key(self):
        """The current values as a key of ``frames`` (a float slider's value snapped to its grid)."""
        return tuple(_snap(control.value, self.choices[name]) for name, control in self.controls.items())

    def render_all(self):
        """Draw every frame of a precomputed widget that is not drawn yet; return ``frames``."""
        if self.frames is None:
            raise ValueError("an interactive widget keeps no frames; use precomputed(...) or player(...)")
        for key in itertools.product(*self.choices.values()):
            if key not in self.frames:
                self.frames[key] = self._render(key)
        return self.frames

    def _render(self, key):
        start = time.perf_counter()
        png = render(self.draw, dict(zip(self.controls, key)), dpi=self.dpi)
        self.render_ms.append(1e3 * (time.perf_counter() - start))
        return png

    def _picture(self):
        if self.frames is None:
            return self._render(tuple(self.values.values()))
        key = self.key()
        if key not in self.frames:  # a lazy widget draws a frame at its first visit, then keeps it
            self.frames[key] = self._render(key)
        return self.frames[key]

    @property
    def pending(self):
        """The combinations of values of a lazy widget whose frame is not drawn yet (a list of keys)."""
        if self.frames is None:
            return []
        return [key for key in itertools.product(*self.choices.values()) if key not in self.frames]

    def draw_next(self):
        """Draw one missing frame, the nearest to the current values; return its key (None if none left).

        What the idle drawer calls, one frame at a time, while the kernel has nothing else to do.
        Nearest means the fewest steps of the controls away (the frames the reader's next key presses
        show). A frame whose drawing fails is skipped here; a visit draws it again and shows the error.
        """
        todo = [key for key in self.pending if key not in self._failed]
        if not todo:
            return None
        where = [{v: k for k, v in enumerate(values)} for values in self.choices.values()]
        here = [index[v] for index, v in zip(where, self.key())]
        key = min(todo, key=lambda k: sum(abs(index[v] - h) for index, v, h in zip(where, k, here)))
        try:
            png = self._render(key)
        except Exception:
            self._failed.add(key)
            return key
        self.frames[key] = png
        if self._images is not None:
            self._show_frame(key, png)
        return key

    def _update(self, change=None):
        self._touched = time.perf_counter()
        try:
            png = self._picture()
        except Exception as err:  # shown under the picture, instead of vanishing into the kernel's log
            self.status.value = (f'<span style="color:#b00">draw({html.escape(_call_text(self.values))}) failed: '
                                 f"{type(err).__name__}: {html.escape(str(err))}</span>")
            return
        self.status.value = ""
        self._image.value = png


class _IdleDrawer:
    """Draws the missing frames of lazy widgets while the kernel is idle, in a Jupyter server's kernel.

    A lazy widget draws a frame at its first visit: 0.1-0.5 s of matplotlib in the kernel, felt at
    every new key press. In a kernel started by a Jupyter server (JupyterLab, Notebook 7: the server
    sets ``JPY_SESSION_NAME``), where a reader is looking, this drawer fills the frames in the
    background, one per turn of the kernel's event loop, only when no cell has run for
    ``IDLE_AFTER`` seconds: the widget last moved first, then in the order of the tour; in a widget
    the frames nearest to the current values first. A frame drawn lands in the browser's Tab, so
    every later move is switched by the browser alone. A drawing holds the kernel for one frame
    (a control moved meanwhile waits that long); a cell that starts stops the drawer until the
    kernel is idle again. Under nbclient, nbval or a script there is no server and nothing is drawn
    in the background: the tour runs in the time of its cells.

    While frames are missing the widget carries the CSS class ``ottools-drawing`` and its status line
    says how many are left; a lazy player's Play button stays disabled until all are drawn (so that
    it never plays faster than the kernel draws).
    """

    IDLE_AFTER = 0.5  # s since the last cell before drawing in the background
    POLL = 0.25  # s between two looks at a busy kernel

    def __init__(self):
        self.widgets = []
        self.busy = False
        self.last_cell = 0.0
        self.scheduled = False
        self.hooked = False
        self.enabled = None  # None: decided at the first lazy widget

    def _decide(self):
        import os

        if self.enabled is None:
            shell = _shell()
            self.enabled = bool(os.environ.get("JPY_SESSION_NAME")) and shell is not None \
                and hasattr(shell, "kernel")
        return self.enabled

    def add(self, widget):
        if not self._decide():
            return
        if not self.hooked:
            events = _shell().events
            events.register("pre_run_cell", self._pre)
            events.register("post_run_cell", self._post)
            self.hooked = True
            self.busy = True  # the widget is made by a running cell
        self.widgets.append(widget)
        widget.add_class("ottools-drawing")
        if widget.play is not None:
            widget.play.disabled = True
        self._progress(widget)
        self._schedule(self.IDLE_AFTER)

    def _pre(self, *args):
        self.busy = True

    def _post(self, *args):
        self.busy = False
        self.last_cell = time.perf_counter()

    def _schedule(self, delay):
        if self.scheduled:
            return
        from tornado.ioloop import IOLoop

        self.scheduled = True
        IOLoop.current().call_later(delay, self.step)

    @staticmethod
    def _progress(widget, left=None):
        left = len(widget.pending) if left is None else left
        if getattr(widget, "_error", False):
            pass  # the error of the last move stays in view
        elif left:
            what = "the animation starts when they are drawn" if widget.play is not None else \
                "until then a move to one of them waits for the kernel"
            widget.status.value = (f'<span style="color:#777">{left} more pictures being drawn while the '
                                   f"kernel is idle ({what})</span>")
        else:
            widget.status.value = ""
        if not left:
            widget.remove_class("ottools-drawing")
            if widget.play is not None:
                widget.play.disabled = False

    def step(self):
        """One turn: draw one frame if the kernel is idle, then come back."""
        self.scheduled = False
        now = time.perf_counter()
        if self.busy or now - self.last_cell < self.IDLE_AFTER:
            self._schedule(self.POLL)
            return
        alive = []
        for widget in self.widgets:
            if getattr(widget, "comm", None) is None:  # closed
                continue
            if any(key not in widget._failed for key in widget.pending):
                alive.append(widget)
            else:
                self._progress(widget, 0)
        self.widgets = alive
        if not alive:
            return
        widget = max(alive, key=lambda w: (w._touched, -alive.index(w)))
        widget.draw_next()
        left = sum(key not in widget._failed for key in widget.pending)
        if left == 0 or time.perf_counter() - getattr(widget, "_shown_at", 0.0) > 0.5:
            widget._shown_at = time.perf_counter()
            self._progress(widget, left)
        self._schedule(0.0)


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return get_ipython()


_IDLE = _IdleDrawer()

PENDING_CLASS = "ottools-pending"  # the class of a picture whose frame is not drawn yet


def _blank_like(png, grey=246):
    """A light grey PNG of the size of ``png`` saying "drawing..." (the place of a frame not drawn yet)."""
    from PIL import Image, ImageDraw, ImageFont

    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        width, height = 64, 48
    else:
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    im = Image.new("L", (max(1, width), max(1, height)), grey)
    try:
        font = ImageFont.load_default(size=max(10, min(width, height) // 14))
    except TypeError:  # Pillow < 10.1: the small bitmap font
        font = ImageFont.load_default()
    try:
        ImageDraw.Draw(im).text((width / 2, height / 2), "drawing...", fill=150, font=font, anchor="mm")
    except ValueError:  # a bitmap font has no anchors
        ImageDraw.Draw(im).text((width / 2 - 30, height / 2 - 5), "drawing...", fill=150, font=font)
    out = io.BytesIO()
    im.save(out, format="PNG", compress_level=1)
    return out.getvalue()


_PLACEHOLDER = None  # an IntSlider value that is not on its grid (never shown), shared by all widgets


def _placeholder():
    """The empty page shared by the Tabs for values not on a grid (made again once closed)."""
    global _PLACEHOLDER
    if _PLACEHOLDER is None or _PLACEHOLDER.comm is None:
        _PLACEHOLDER = ipywidgets.HTML()
    return _PLACEHOLDER


MAX_SLOTS = 1024  # largest IntSlider value a Tab of pictures indexes directly


# the pictures of a precomputed widget are the pages of nested Tabs whose tab bars are hidden
FRAMES_CSS = ("<style>.ottools-frames > .lm-TabBar {display: none !important;} .ottools-frames > .widget-tab-contents "
              "{border: none !important; padding: 0 !important; overflow: visible !important; "
              "background: none !important;}</style>")

_KEYBOARD_TRAPS = (ipywidgets.Dropdown, ipywidgets.RadioButtons, ipywidgets.Select)


def _linkable(control):
    """Can the browser link this control to a Tab of pictures (``jslink`` to ``selected_index``)?"""
    if isinstance(control, (ipywidgets.ToggleButtons, ipywidgets.SelectionSlider)):
        return True
    return isinstance(control, ipywidgets.IntSlider) and 0 <= control.min and control.max <= MAX_SLOTS


def _stack_slots(controls, choices):
    """For each control, the trait the browser links to a Tab's ``selected_index`` and, for each
    index, the position of its value in ``choices`` (None: no such value); None if a control cannot be
    linked so (a float slider, a checkbox, an integer slider with negative or very large values)."""
    single = (ipywidgets.ToggleButtons, ipywidgets.RadioButtons, ipywidgets.SelectionSlider,
              ipywidgets.Dropdown, ipywidgets.Select)
    slots = {}
    for name, control in controls.items():
        values = choices[name]
        if isinstance(control, single):
            slots[name] = ("index", list(range(len(values))))
        elif isinstance(control, ipywidgets.IntSlider) and 0 <= control.min and control.max <= MAX_SLOTS:
            where = {v: k for k, v in enumerate(values)}
            slots[name] = ("value", [where.get(v) for v in range(control.max + 1)])
        else:
            return None
    return slots


def _refuse_dead_controls(controls, choices, frames):
    """A control whose every value gives the same picture, whatever the others, does nothing: refuse it."""
    names = list(controls)
    for i, name in enumerate(names):
        if len(choices[name]) < 2:
            continue
        others = [choices[n] for n in names[:i] + names[i + 1:]]
        alive = False
        for rest in itertools.product(*others):
            pictures = {frames[rest[:i] + (v,) + rest[i:]] for v in choices[name]}
            if len(pictures) > 1:
                alive = True
                break
        if not alive:
            raise ValueError(f"control {name!r} never changes the figure (the same picture for each of its "
                             f"{len(choices[name])} values, whatever the other controls): a dead control; "
                             "remove it, or make draw use it")


def interactive(draw, *, dpi=None, **controls):
    """A figure drawn again at every move of its controls.

    Parameters
    ----------
    draw : callable
        ``draw(**values)`` draws one matplotlib figure (with pyplot, or returns a Figure); no
        ``plt.show()``.
    dpi : float, optional
        Resolution of the picture; default ``rcParams["figure.dpi"]``, that of the static figures.
    **controls : ipywidgets widgets
        One control per keyword argument of ``draw``, e.g. ``t=ipywidgets.FloatSlider(...)``; an
        unlabelled control is labelled with its name.

    Returns
    -------
    widget : FigureWidget
        An ``ipywidgets.VBox``: the controls, then the picture. It is drawn once before this function
        returns, so that the cell shows the figure at once (and an error in ``draw`` is the cell's).

    Raises
    ------
    TypeError
        If ``draw`` is not callable, a control is not a widget with a value, or ``draw`` does not take
        the controls' names as keyword arguments.
    ValueError
        If ``draw`` makes no figure or several; if no control is given.

    Examples
    --------
    >>> import ipywidgets, matplotlib.pyplot as plt
    >>> def draw(a=1):
    ...     fig, ax = plt.subplots()
    ...     ax.plot([0, a])
    >>> w = interactive(draw, a=ipywidgets.IntSlider(1, min=0, max=3))
    >>> before = w.image.value
    >>> w.controls["a"].value = 3
    >>> w.image.value != before
    True
    """
    check_controls(draw, controls)  # named by their keywords
    return FigureWidget(draw, controls, dpi=dpi)


def _all_choices(controls, max_frames):
    max_frames = check_int(max_frames, "max_frames", minimum=1, maximum=MAX_FRAMES_LIMIT)
    choices = {name: control_values(name, control) for name, control in controls.items()}
    count = math.prod(len(v) for v in choices.values())
    if count > max_frames:
        sizes = " x ".join(f"{len(v)} ({name})" for name, v in choices.items())
        raise ValueError(f"the controls take {sizes} = {count} combinations of values, more than "
                         f"max_frames = {max_frames}: use coarser controls, raise max_frames, or interactive(...)")
    return choices


def precomputed(draw, *, dpi=None, lazy=False, max_frames=MAX_FRAMES, **controls):
    """A figure drawn once for every combination of values of a few discrete controls.

    A move of a control then only swaps the bytes of the picture. The pictures are kept in
    ``widget.frames``, a dictionary from the tuple of values (in the order of the controls) to PNG
    bytes, which a page without a kernel can reuse.

    Parameters
    ----------
    draw : callable
        As for :func:`interactive`.
    dpi : float, optional
        As for :func:`interactive`.
    lazy : bool
        If True, only the current combination is drawn now: for grids too slow to draw in full while
        the tour runs. In a kernel of a Jupyter server (JupyterLab) the others are drawn while the
        kernel is idle, nearest to the current values first (see :class:`_IdleDrawer`); elsewhere each
        at its first visit, and kept. ``widget.render_all()`` draws the rest at once.
    max_frames : int
        Largest number of combinations accepted (a guard against drawing thousands of figures).
    **controls : ipywidgets widgets
        Controls the browser can link to the pictures: ``ToggleButtons``, ``SelectionSlider``,
        ``IntSlider`` with values in 0..1024 (on its grid ``min + k * step``).

    Returns
    -------
    widget : FigureWidget
        With ``widget.frames`` and ``widget.choices`` (name -> list of values).

    Raises
    ------
    TypeError
        As for :func:`interactive`, and if a control cannot be linked in the browser (a float slider,
        a checkbox, an integer slider with values outside 0..1024).
    ValueError
        As for :func:`interactive`, and if there are more than ``max_frames`` combinations.

    Examples
    --------
    >>> import ipywidgets, matplotlib.pyplot as plt
    >>> w = precomputed(lambda k=0: plt.plot([0, k]), k=ipywidgets.IntSlider(0, min=0, max=2))
    >>> sorted(w.frames)
    [(0,), (1,), (2,)]
    >>> w.controls["k"].value = 2
    >>> w.image.value == w.frames[(2,)]
    True
    """
    check_callable(draw, "draw", allow_none=False)
    check_controls(draw, controls)
    return FigureWidget(draw, controls, dpi=dpi, choices=_all_choices(controls, max_frames), lazy=lazy)


def player(draw, *, interval=200, repeat=False, dpi=None, lazy=False, max_frames=MAX_FRAMES, **controls):
    """A precomputed figure whose first control is animated by a Play button.

    The Play button and the first control (an ``IntSlider`` or a ``SelectionSlider``) are linked in
    the browser with ``ipywidgets.jslink``: the slider follows the button without a round trip to the
    kernel, and the kernel only swaps precomputed pictures.

    Parameters
    ----------
    draw : callable
        As for :func:`interactive`.
    interval : float
        Milliseconds between two frames. It is raised to what the widget can reach: at least
        ``MIN_INTERVAL`` (a swap of bytes), and, for a ``lazy`` player, 1.5 times the slowest drawing
        measured while building it (its frames are drawn at their first visit).
    repeat : bool
        Start again from the first frame at the end (for looping videos).
    dpi, lazy, max_frames
        As for :func:`precomputed`.
    **controls : ipywidgets widgets
        The first is the animated one; the others as for :func:`precomputed`.

    Returns
    -------
    widget : FigureWidget
        Its first row holds the Play button and the animated slider; ``widget.play`` is the button.

    Raises
    ------
    TypeError
        As for :func:`precomputed`, and if the first control is not an ``IntSlider`` or a
        ``SelectionSlider``.
    ValueError
        As for :func:`precomputed`, and if ``interval`` is not a positive number.

    Examples
    --------
    >>> import ipywidgets, matplotlib.pyplot as plt
    >>> w = player(lambda k=0: plt.plot([0, k]), interval=100, k=ipywidgets.IntSlider(0, min=0, max=3))
    >>> (w.play.min, w.play.max, w.play.interval, len(w.frames))
    (0, 3, 100, 4)
    """
    check_callable(draw, "draw", allow_none=False)
    check_controls(draw, controls)
    interval = check_real(interval, "interval", minimum=0.0, strict=True, maximum=3_600_000)
    repeat = check_bool(repeat, "repeat")
    name, slider = next(iter(controls.items()))
    if isinstance(slider, ipywidgets.SelectionSlider):
        play = ipywidgets.Play(value=slider.index, min=0, max=len(slider.options) - 1, step=1)
        linked = (slider, "index")
    elif isinstance(slider, ipywidgets.IntSlider):
        play = ipywidgets.Play(value=slider.value, min=slider.min, max=slider.max, step=slider.step)
        linked = (slider, "value")
    else:
        raise TypeError(f"the animated control {name!r} must be an IntSlider or a SelectionSlider, "
                        f"got {type(slider).__name__}")
    choices = _all_choices(controls, max_frames)
    # the Play button's own icons have no text: a visible label says what it does
    header = [ipywidgets.HBox([ipywidgets.Label("animate"), play, slider]), *list(controls.values())[1:]]
    widget = FigureWidget(draw, controls, dpi=dpi, choices=choices, lazy=lazy, play=play, header=header)
    # a lazy player's frames are drawn at their first visit, unless the idle drawer draws them all
    # before its Play button is enabled (in a Jupyter server's kernel)
    reachable = max(MIN_INTERVAL, 1.5 * max(widget.render_ms)) if lazy and not _IDLE.enabled else MIN_INTERVAL
    play.interval = int(math.ceil(max(interval, reachable)))
    play.repeat = bool(repeat)
    widget.link = ipywidgets.jslink((play, "value"), linked)
    return widget


def upload(draw, image, *, size=None, dpi=None, **controls):
    """A figure of an image: the tour's ``image`` first, then the reader's own file.

    An ``ipywidgets.FileUpload`` button ("your image") reads a PNG, JPEG, TIFF or BMP file from the
    reader's computer; the file is loaded with ``ottools.data.load_image`` (upright, in colour, values
    in [0, 1], resized to ``size``) and the figure is drawn again for it. A file that cannot be read
    leaves the figure as it was and says why under it.

    Parameters
    ----------
    draw : callable
        ``draw(image, **values)`` draws one matplotlib figure of ``image``, an ``(H, W, 3)`` array.
    image : ndarray of shape (H, W, 3)
        The image shown until the reader uploads one.
    size : None, int or (int, int)
        How the reader's image is resized (see ``ottools.data.load_image``); default ``max(H, W)`` of
        ``image``, so that an upload costs what the tour's image costs.
    dpi : float, optional
        As for :func:`interactive`.
    **controls : ipywidgets widgets
        Further controls, as for :func:`interactive`.

    Returns
    -------
    widget : FigureWidget
        An :class:`UploadWidget`: its ``controls["upload"]`` is the ``FileUpload``;
        ``widget.load(content, name)`` does what an upload does (for tests and scripts);
        ``widget.current`` is the image drawn.

    Examples
    --------
    >>> import io, numpy as np, matplotlib.pyplot as plt
    >>> from PIL import Image
    >>> def draw(image):
    ...     fig, ax = plt.subplots()
    ...     ax.imshow(image)
    >>> w = upload(draw, np.zeros((8, 8, 3)))
    >>> buffer = io.BytesIO(); Image.new("RGB", (16, 4), (255, 0, 0)).save(buffer, format="PNG")
    >>> w.load(buffer.getvalue(), "red.png")  # what the reader's upload does
    >>> w.current.shape, float(w.current[..., 0].mean())
    ((2, 8, 3), 1.0)
    """
    from . import data
    from ._validate import check_image

    check_callable(draw, "draw", allow_none=False)
    default = check_image(image, "image")
    if default.ndim != 3:
        raise ValueError(f"image must be a colour image of shape (H, W, 3), got shape {default.shape}")
    if size is None:
        size = int(max(default.shape[:2]))
    size = data.check_image_size(size, "size", max_pixels=data.MAX_PIXELS)
    if "upload" in controls:
        raise ValueError("'upload' is the name of the file button; give the other controls other names")
    if controls:
        import functools

        check_controls(functools.partial(draw, default), controls)  # draw(image, **controls)
    state = {"key": None, "image": default}

    def current(upload=()):
        files = list(upload or ())
        if not files:
            return default
        file = files[-1]
        key = (file.get("name"), len(file["content"]))
        if key != state["key"]:
            try:
                state["image"] = data.load_image(bytes(file["content"]), size=size, mode="rgb")
            except ValueError as err:
                raise ValueError(f"could not read your file {file.get('name', '')!r}: {err}") from None
            state["key"] = key
        return state["image"]

    def show(upload=(), **values):
        return draw(current(upload), **values)

    button = ipywidgets.FileUpload(accept=".png,.jpg,.jpeg,.tif,.tiff,.bmp,image/*", multiple=False,
                                   description="your image")
    widget = UploadWidget(show, {"upload": button, **controls}, dpi=dpi)
    widget._state = state
    return widget


class UploadWidget(FigureWidget):
    """A :class:`FigureWidget` whose first control is a ``FileUpload`` (made by :func:`upload`)."""

    @property
    def current(self):
        """The image drawn: the reader's last upload that could be read, or the tour's image."""
        return self._state["image"]

    def _update(self, change=None):
        try:
            png = self._picture()
        except ValueError as err:
            if "could not read your file" not in str(err):
                return super()._update(change)
            self.status.value = f'<span style="color:#b00">{html.escape(str(err))}</span>'
            return
        self.status.value = ""
        self._image.value = png

    def load(self, content, name="image"):
        """Do what an upload of a file of bytes ``content`` called ``name`` does (for tests and scripts)."""
        if not isinstance(content, (bytes, bytearray, memoryview)):
            raise ArgumentTypeError(f"content must be the bytes of an image file, got {type(content).__name__}")
        self.controls["upload"].value = ({"name": str(name), "type": "", "size": len(content),
                                          "content": memoryview(bytes(content)),
                                          "last_modified": datetime.datetime.now(datetime.timezone.utc)},)
