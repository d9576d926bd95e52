"""ottools.widgets: figures as PNG images, redrawn or swapped when a control moves; no figure left open.

The last test executes a small notebook under plain nbclient: with ``ipywidgets.interactive`` (an
``Output`` widget) such a notebook used to wait for the whole cell timeout; with these widgets it runs
in the time it takes to draw its figures.
"""

from __future__ import annotations

import io
import time

import ipywidgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from ottools import widgets  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def draw_line(slope=1.0, colour="C0"):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, slope], color=colour)
    ax.set(ylim=(-3, 3), title=f"slope {slope}")


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


@pytest.fixture(autouse=True)
def no_figure_leaks():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "a test left a pyplot figure open"


# --- render --------------------------------------------------------------------------------------

def test_render_gives_png_of_the_figure_size_and_closes_it():
    png = widgets.render(draw_line, {"slope": 2.0}, dpi=50)
    assert png.startswith(PNG_SIGNATURE)
    height, width, _ = _pixels(png).shape
    # a 3 x 2 inch figure at 50 dpi, fitted to what is drawn (bbox_inches="tight": labels may stick out)
    assert abs(width / (3 * 50) - 1) < 0.25 and abs(height / (2 * 50) - 1) < 0.25
    assert plt.get_fignums() == []


def test_render_accepts_a_returned_figure_or_axes():
    def returns_figure():
        fig = Figure(figsize=(2, 2))  # not managed by pyplot
        fig.add_subplot().plot([0, 1])
        return fig

    def returns_axes():
        return plt.figure(figsize=(2, 2)).add_subplot()

    for draw in (returns_figure, returns_axes):
        assert widgets.render(draw).startswith(PNG_SIGNATURE)


def test_render_default_resolution_is_that_of_the_static_figures():
    with matplotlib.rc_context({"figure.dpi": 40}):
        small = _pixels(widgets.render(draw_line))
    with matplotlib.rc_context({"figure.dpi": 80}):
        large = _pixels(widgets.render(draw_line))
    assert abs(large.shape[1] / small.shape[1] - 2) < 0.1


def test_render_refuses_no_figure_and_several_figures():
    with pytest.raises(ValueError, match="made no figure"):
        widgets.render(lambda: None)
    with pytest.raises(ValueError, match="made 2 figures"):
        widgets.render(lambda: (plt.figure(), plt.figure()))
    assert plt.get_fignums() == []  # closed even though draw was refused


def test_render_closes_the_figure_when_draw_raises():
    def broken():
        plt.figure()
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        widgets.render(broken)
    assert plt.get_fignums() == []


def test_render_leaves_other_figures_open():
    mine = plt.figure()
    widgets.render(draw_line)
    assert plt.get_fignums() == [mine.number]
    plt.close(mine)


# --- interactive -----------------------------------------------------------------------------------

def test_interactive_redraws_when_a_control_moves():
    slope = ipywidgets.FloatSlider(1.0, min=-2, max=2, step=0.5)
    colour = ipywidgets.ToggleButtons(options=["C0", "C3"])
    w = widgets.interactive(draw_line, dpi=40, slope=slope, colour=colour)
    assert isinstance(w, ipywidgets.VBox) and w.frames is None
    first = bytes(w.image.value)
    assert first.startswith(PNG_SIGNATURE)  # drawn at construction
    slope.value = -2.0
    second = bytes(w.image.value)
    assert second != first and not np.array_equal(_pixels(second), _pixels(first))
    colour.value = "C3"
    assert w.image.value != second
    assert w.values == {"slope": -2.0, "colour": "C3"}
    assert plt.get_fignums() == []


def test_widget_is_controls_then_picture_and_holds_no_output_widget():
    slope = ipywidgets.FloatSlider(1.0, min=-2, max=2)
    w = widgets.interactive(draw_line, slope=slope)
    assert w.children[0] is slope and w.children[1] is w.image
    assert slope.description == "slope"  # an unlabelled control is labelled with its name
    everything = list(_tree(w))
    assert not any(isinstance(x, ipywidgets.Output) for x in everything)
    assert isinstance(w.image, ipywidgets.Image) and w.image.format == "png"


def test_an_error_while_moving_shows_in_the_status_line_and_keeps_the_picture():
    def fragile(k=1):
        if k == 0:
            raise ValueError("k must not be 0")
        draw_line(slope=k)

    k = ipywidgets.IntSlider(1, min=0, max=2)
    w = widgets.interactive(fragile, k=k)
    picture = w.image.value
    k.value = 0
    assert w.image.value == picture and "k must not be 0" in w.status.value
    k.value = 2
    assert w.status.value == "" and w.image.value != picture


def test_bad_input_is_refused_naming_the_argument():
    slider = ipywidgets.FloatSlider(1.0)
    with pytest.raises(TypeError, match="draw must be"):
        widgets.interactive("not a function", slope=slider)
    with pytest.raises(TypeError, match="control 'slope'"):
        widgets.interactive(draw_line, slope=1.0)
    with pytest.raises(TypeError, match="control 'box'"):
        widgets.interactive(draw_line, box=ipywidgets.HBox())  # a widget without a value
    with pytest.raises(TypeError, match="'angle'"):
        widgets.interactive(draw_line, angle=slider)  # draw has no parameter `angle`
    with pytest.raises(ValueError, match="at least one control"):
        widgets.interactive(draw_line)
    with pytest.raises(ValueError, match="dpi"):
        widgets.interactive(draw_line, dpi=0, slope=slider)
    with pytest.raises(ValueError, match="made no figure"):
        widgets.interactive(lambda slope: None, slope=slider)
    with pytest.raises(ValueError, match="made 2 figures"):
        widgets.interactive(lambda slope: (plt.figure(), plt.figure()), slope=slider)


# --- precomputed and player -------------------------------------------------------------------------

def test_precomputed_draws_every_combination_once_and_then_only_swaps():
    slope = ipywidgets.SelectionSlider(options=[0.0, 0.5, 1.0], value=0.0)
    colour = ipywidgets.ToggleButtons(options=[("blue", "C0"), ("red", "C3")])
    w = widgets.precomputed(draw_line, dpi=30, slope=slope, colour=colour)
    assert w.client_side  # the browser switches the pictures
    assert w.choices == {"slope": [0.0, 0.5, 1.0], "colour": ["C0", "C3"]}
    assert sorted(w.frames) == sorted((s, c) for s in (0.0, 0.5, 1.0) for c in ("C0", "C3"))
    assert len(set(w.frames.values())) == 6  # six different pictures
    drawn = len(w.render_ms)
    slope.value, colour.value = 1.0, "C3"
    assert w.image.value == w.frames[1.0, "C3"]
    slope.value = 0.5
    assert w.image.value == w.frames[0.5, "C3"]
    assert len(w.render_ms) == drawn  # nothing drawn after construction
    assert plt.get_fignums() == []


def test_precomputed_refuses_controls_the_browser_cannot_link_or_the_keyboard_cannot_reach():
    # a float slider, a checkbox, an integer slider past 1024 would make every move wait for the kernel
    for control in (ipywidgets.FloatSlider(0.0, min=0, max=1, step=0.5), ipywidgets.Checkbox(False),
                    ipywidgets.IntSlider(0, min=0, max=2000, step=500), ipywidgets.IntSlider(0, min=-2, max=2)):
        with pytest.raises(TypeError, match="control 'slope'.*cannot be linked"):
            widgets.precomputed(draw_line, slope=control)
    # JupyterLab takes the arrow keys of these: refused in every widget
    for make in (widgets.precomputed, widgets.interactive):
        for control in (ipywidgets.Dropdown(options=["C0", "C1"]), ipywidgets.RadioButtons(options=["C0", "C1"])):
            with pytest.raises(TypeError, match="control 'colour'.*arrow keys"):
                make(draw_line, colour=control)
    assert plt.get_fignums() == []


def test_lazy_precomputed_draws_at_the_first_visit_and_keeps_the_frame():
    k = ipywidgets.IntSlider(0, min=0, max=4)
    w = widgets.precomputed(lambda k: draw_line(slope=k), lazy=True, k=k)
    assert list(w.frames) == [(0,)]
    k.value = 3
    k.value = 0
    k.value = 3
    assert sorted(w.frames) == [(0,), (3,)] and len(w.render_ms) == 2
    assert len(w.render_all()) == 5


def test_precomputed_refuses_continuous_controls_and_too_many_frames():
    with pytest.raises(TypeError, match="control 'slope'"):
        widgets.precomputed(draw_line, slope=ipywidgets.FloatText(1.0))
    with pytest.raises(TypeError, match="control 'colour'"):
        widgets.precomputed(draw_line, colour=ipywidgets.SelectMultiple(options=["C0", "C1"]))
    with pytest.raises(ValueError, match="max_frames"):
        widgets.precomputed(draw_line, max_frames=10, slope=ipywidgets.IntSlider(0, min=0, max=20))


def test_player_links_a_play_button_to_its_slider_in_the_browser():
    frame = ipywidgets.IntSlider(0, min=0, max=6, step=2)
    w = widgets.player(lambda frame, colour: draw_line(frame, colour), interval=120, repeat=True,
                       frame=frame, colour=ipywidgets.ToggleButtons(options=["C0", "C1"]))
    assert isinstance(w.play, ipywidgets.Play)
    assert (w.play.min, w.play.max, w.play.step, w.play.interval, w.play.repeat) == (0, 6, 2, 120, True)
    assert isinstance(w.link, ipywidgets.widgets.widget_link.Link)
    assert w.link.source == (w.play, "value") and w.link.target == (frame, "value")
    assert len(w.frames) == 4 * 2
    assert w.play in w.children[0].children and frame in w.children[0].children


def test_player_on_a_selection_slider_drives_its_index_and_reaches_its_interval():
    ts = ipywidgets.SelectionSlider(options=[0.0, 0.5, 1.0], value=0.5)
    w = widgets.player(lambda t: draw_line(slope=t), interval=1, lazy=True, t=ts)
    assert w.link.target == (ts, "index") and (w.play.min, w.play.max, w.play.value) == (0, 2, 1)
    # a lazy player draws at the first visit of a frame: its interval leaves time for the slowest drawing
    assert w.play.interval >= max(widgets.MIN_INTERVAL, 1.5 * max(w.render_ms))
    ts.index = 2  # what the Play button does, through jslink, in the browser
    assert w.image.value == w.frames[(1.0,)]


def test_player_refuses_a_control_it_cannot_animate_and_a_bad_interval():
    with pytest.raises(TypeError, match="animated control 'slope'"):
        widgets.player(draw_line, slope=ipywidgets.FloatSlider(0.0, min=0, max=1, step=0.5))
    with pytest.raises(ValueError, match="interval"):
        widgets.player(draw_line, interval=0, slope=ipywidgets.IntSlider(0, min=0, max=2))


def test_draw_next_draws_the_missing_frames_nearest_first_and_as_the_full_widget_does():
    slope = ipywidgets.IntSlider(3, min=0, max=4)
    colour = ipywidgets.ToggleButtons(options=["C0", "C1", "C2"], value="C1")
    lazy = widgets.precomputed(draw_line, lazy=True, slope=slope, colour=colour)
    assert list(lazy.frames) == [(3, "C1")] and len(lazy.pending) == 5 * 3 - 1
    # a frame not drawn yet shows a blank of the drawn frame's size (not an empty, broken picture)
    shown = lazy._images[(3, "C1")].value
    size = lambda png: (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    for key in lazy.pending:
        image = lazy._images[key]
        assert widgets.PENDING_CLASS in image._dom_classes and image.value != shown
        assert image.value[:8] == b"\x89PNG\r\n\x1a\n" and size(image.value) == size(shown)
    assert widgets.PENDING_CLASS not in lazy._images[(3, "C1")]._dom_classes
    steps = []
    while (key := lazy.draw_next()) is not None:
        steps.append(abs(key[0] - 3) + abs(["C0", "C1", "C2"].index(key[1]) - 1))
    # the frames a reader's next presses show come first: the number of steps away never decreases
    assert steps == sorted(steps) and len(steps) == 14 and not lazy.pending
    full = widgets.precomputed(draw_line, slope=ipywidgets.IntSlider(3, min=0, max=4),
                               colour=ipywidgets.ToggleButtons(options=["C0", "C1", "C2"], value="C1"))
    assert lazy.frames == full.frames  # Agg draws the same figure to the same bytes
    # every frame is in the browser's Stack: a move is switched there without the kernel
    for key, png in lazy.frames.items():
        assert lazy._images[key].value == png and widgets.PENDING_CLASS not in lazy._images[key]._dom_classes


def test_no_background_drawing_outside_a_jupyter_server(monkeypatch):
    # under pytest, nbclient or nbval no server started the kernel: a lazy widget draws at first visit only
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setattr(widgets, "_IDLE", widgets._IdleDrawer())
    w = widgets.precomputed(draw_line, lazy=True, slope=ipywidgets.IntSlider(0, min=0, max=3))
    assert widgets._IDLE.enabled is False and "ottools-drawing" not in w._dom_classes
    assert len(w.frames) == 1 and not widgets._IDLE.widgets


def test_a_kernel_of_a_jupyter_server_draws_the_lazy_frames_while_idle(tmp_path):
    # a real kernel, started as a Jupyter server starts it (JPY_SESSION_NAME set): the frames of a lazy
    # widget and of a lazy player are drawn after the cell, the player's Play enabled when they are all there
    import os

    import jupyter_client

    env = dict(os.environ, JPY_SESSION_NAME=str(tmp_path / "tour.ipynb"), MPLBACKEND="agg")
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3", env=env, cwd=str(tmp_path))
    try:
        def run(code):
            printed = []
            reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: printed.append(
                m["content"].get("text", "") if m["msg_type"] == "stream" else ""))
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(printed).strip()

        made = run("""
import ipywidgets, matplotlib.pyplot as plt
from ottools import widgets
def draw(k=0, c="C0"):
    plt.plot([0, k], color=c)
w = widgets.precomputed(draw, lazy=True, k=ipywidgets.IntSlider(2, min=0, max=5),
                        c=ipywidgets.ToggleButtons(options=["C0", "C1"]))
p = widgets.player(draw, lazy=True, interval=100, k=ipywidgets.IntSlider(0, min=0, max=5))
print(len(w.frames), len(p.frames), p.play.disabled, p.play.interval, 'ottools-drawing' in w._dom_classes)
""")
        assert made == "1 1 True 100 True"
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.5)
            state = run("print(len(w.frames), len(p.frames), p.play.disabled, 'ottools-drawing' in w._dom_classes)")
            if state == "12 6 False False":
                break
        assert state == "12 6 False False"
        assert run("print(all(w._images[k].value == v for k, v in w.frames.items()))") == "True"
    finally:
        km.shutdown_kernel(now=True)


def _png_bytes(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_upload_draws_the_tour_image_then_the_readers_file(rng):
    default = rng.random((6, 9, 3))
    seen = []

    def draw(image, gain=1.0):
        seen.append(image)
        fig, ax = plt.subplots(figsize=(2, 1.5))
        ax.imshow(np.clip(gain * image, 0, 1))

    w = widgets.upload(draw, default, gain=ipywidgets.FloatSlider(1.0, min=0.5, max=1.5, step=0.5))
    assert seen[-1] is default and w.current is default
    before = w.image.value
    # a 24 x 12 photograph, resized like the tour's image (longest side 9): the figure shows it
    photo = (rng.random((12, 24, 3)) * 255).astype(np.uint8)
    w.load(_png_bytes(photo), "photo.png")
    assert w.current.shape == (5, 9, 3) or w.current.shape == (4, 9, 3)  # aspect ratio 2 kept, rounded
    assert w.image.value != before and w.status.value == ""
    # the controls then act on the reader's image
    w.controls["gain"].value = 0.5
    assert seen[-1] is w.current
    # a file that is not an image leaves the picture and says so
    shown = w.image.value
    w.load(b"not an image", "notes.txt")
    assert w.image.value == shown and "could not read your file" in w.status.value and "notes.txt" in w.status.value


def test_upload_refuses_a_grey_default_and_a_control_named_upload():
    with pytest.raises(ValueError, match="image"):
        widgets.upload(lambda image: plt.imshow(image), np.zeros((4, 4)))
    with pytest.raises(ValueError, match="upload"):
        widgets.upload(lambda image, upload=1: plt.imshow(image), np.zeros((4, 4, 3)),
                       upload=ipywidgets.IntSlider(1))


# --- under a real executor --------------------------------------------------------------------------

SETUP = """\
import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from ottools import widgets as owidgets

rng = np.random.default_rng(0)
images = rng.random((3, 192, 192, 3))
"""

DRAW = """\
def draw(s=1):
    fig, axes = plt.subplots(1, 3, figsize=(8, 3))
    for ax, im in zip(axes, images):
        ax.imshow(np.roll(im, s, axis=0))
"""


def test_figure_widgets_do_not_stall_nbclient():
    """Regression test of the Output-widget race: this notebook used to wait out the cell timeout."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [new_code_cell(SETUP), new_code_cell(DRAW)]
    for _ in range(3):  # the race was seen 3 times in 3 with one ipywidgets.interactive cell
        cells.append(new_code_cell("owidgets.interactive(draw, s=ipywidgets.IntSlider(1, min=0, max=10))"))
    cells.append(new_code_cell("owidgets.player(draw, s=ipywidgets.IntSlider(0, min=0, max=3))"))
    cells.append(new_code_cell("import matplotlib.pyplot as plt\nprint(len(plt.get_fignums()))"))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    start = time.monotonic()
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    seconds = time.monotonic() - start
    # a stalled cell waits out the whole 60 s timeout; the notebook itself takes a few seconds (16 s on
    # a 2-core machine loaded by 8 other processes), so the line between the two is drawn at 45 s
    assert seconds < 45, f"a notebook of four figure widgets took {seconds:.1f} s under nbclient: a cell waited out its timeout"
    for cell in nb.cells[2:6]:
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)
    assert nb.cells[-1].outputs[0]["text"].strip() == "0"  # no figure left open in the kernel
    states = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    models = {s["model_name"] for s in states.values()}
    assert "ImageModel" in models and "OutputModel" not in models
