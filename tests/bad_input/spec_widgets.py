"""Bad-input cases of ottools.widgets (figure widgets drawn as PNG images)."""

import ipywidgets
import matplotlib.pyplot as plt
from kinds import Arg, callback, case, count, flag, image, real

from ottools import widgets


def _draw(k=1):
    fig, ax = plt.subplots(figsize=(1.5, 1.0))
    ax.plot([0, k])


def _draw_arg():
    return Arg(_draw, [("lambda", lambda k=1: plt.plot([0, k]))],
               [("None", None), ("int", 3), ("string", "draw"), ("no figure", lambda k=1: None),
                ("two figures", lambda k=1: (plt.figure(), plt.figure())),
                ("wrong arguments", lambda x=1: plt.plot([0, x]))])


def _draw_image(image):
    fig, ax = plt.subplots(figsize=(1.5, 1.0))
    ax.imshow(image)


def _slider():
    return ipywidgets.IntSlider(1, min=0, max=2)


def _control():
    return Arg(_slider(), [("toggle buttons", ipywidgets.ToggleButtons(options=[0, 1, 2], value=1))],
               [("int", 1), ("None", None), ("box", ipywidgets.HBox()), ("string", "slider")])


def _dpi():
    return real(40.0, minimum=0.0, strict=True, maximum=600.0).but(good=[("None", None)])


CASES = [
    case(widgets.render, draw=_draw_arg().but(drop=("wrong arguments",)),
         values=Arg({"k": 2}, [("None", None)], [("string", "k=2"), ("int", 3), ("unknown key", {"q": 1})]),
         dpi=_dpi()),
    case(widgets.interactive, draw=_draw_arg(), dpi=_dpi(), k=_control(), _check_output=False),
    case(widgets.precomputed, draw=_draw_arg(), dpi=_dpi(), lazy=flag(False),
         max_frames=count(8, huge=False).but(bad=[("too few", 2), ("huge", 10**9)]), k=_control(),
         _check_output=False),
    case(widgets.player, draw=_draw_arg(), interval=real(100.0, minimum=0.0, strict=True),
         repeat=flag(False), dpi=_dpi(), lazy=flag(True),
         max_frames=count(8, huge=False).but(bad=[("too few", 2), ("huge", 10**9)]),
         k=_control().but(drop=("toggle buttons",), bad=[("toggle buttons", ipywidgets.ToggleButtons(options=[0, 1]))]),
         _check_output=False),
    case(widgets.control_values, name="k", control=_control().but(
        bad=[("continuous slider", ipywidgets.FloatSlider(0.5, min=0.0, max=1.0, step=None))])),
    case(widgets.FigureWidget, draw=_draw_arg(), controls=Arg({"k": _slider()}, [],
         [("empty", {}), ("list", [_slider()]), ("None", None), ("not a widget", {"k": 3})]),
         dpi=_dpi(), lazy=flag(False), _check_output=False),
    case(widgets.upload, draw=Arg(_draw_image, [("lambda", lambda image: plt.imshow(image))],
                                  [("None", None), ("int", 3), ("string", "draw")]),
         image=image(6, 7, grey_ok=False), size=Arg(None, [("int", 16), ("pair", (8, 8))],
                                                    [("zero", 0), ("string", "big"), ("huge", 10**9), ("bool", True)]),
         dpi=_dpi(), _check_output=False),
]
