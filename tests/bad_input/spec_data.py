"""Bad-input cases of ottools.data."""

import numpy as np
from kinds import Arg, case, dtype, fixed, image, option, shape

from ottools import data

_name = Arg("gimp_granite1", [("path object", data.image_path("gimp_granite1"))],
            [("unknown name", "no-such-image"), ("missing file", "/nonexistent/x.png"), ("None", None),
             ("int", 3), ("bool", True), ("list", ["astronaut"]), ("nan array", np.full((4, 4), np.nan)),
             ("alpha array", np.ones((4, 4, 4)))])
_size = Arg(32, [("pair", (16, 24)), ("numpy int", np.int64(20)), ("list pair", [16, 24])],
            [("zero", 0), ("negative", -3), ("float", 2.5), ("string", "64"), ("bool", True),
             ("huge", 10**6), ("huge pair", (10**5, 10**5)), ("triple", (4, 4, 4)), ("nan", float("nan"))])

CASES = [
    case(data.data_dir),
    case(data.registry),
    case(data.list_images, kind=option("photos", others=("textures",)).but(good=[("None", None)])),
    case(data.sha256, path=Arg(data.image_path("gimp_granite1"), [],
                               [("missing", "/nonexistent/file"), ("None", None), ("int", 3)])),
    case(data.image_path, name=Arg("astronaut", [("file name", "astronaut.png")],
                                   [("unknown", "no-such-image"), ("None", None), ("int", 3), ("bool", True)])),
    case(data.load_image, name_or_path=_name, size=_size.but(good=[("None", None)]),
         dtype=dtype(), mode=option("rgb", others=("grey",)).but(good=[("None", None)]),
         alpha=option("error", others=("drop",))),
    case(data.resize, img=image(), size=_size),
    case(data.center_crop, img=image(20, 24), shape=shape((8, 10), huge=False).but(
        bad=[("larger than the image", (40, 10)), ("huge", (10**6, 10**6))])),
    case(data.fit, img=image(), size=_size),
]
