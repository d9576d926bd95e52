"""The images of the tours: one loader for the files of ``data/`` and for the reader's own images.

The folder ``data/`` is found from the location of this package (``<clone>/data``), never from the
current directory, so a tour runs from any folder. Set the environment variable ``OTTOOLS_DATA`` to
use another folder with the same layout. Every file of the folder is listed with its SHA-256 in
``data/SHA256SUMS``; a missing or altered file is reported with its expected checksum instead of
giving a wrong picture. Sources and licences: ``data/CREDITS.md``.

Taught in ``tours/00_introduction.ipynb`` and used by every tour.

Examples
--------
>>> from ottools import data
>>> img = data.load_image("astronaut", size=64)
>>> img.shape, img.dtype, float(img.min()) >= 0.0, float(img.max()) <= 1.0
((64, 64, 3), dtype('float64'), True, True)
>>> data.load_image("gimp_granite1").shape       # grey files load as 2-D arrays
(100, 100)
>>> data.load_image("gimp_granite1", mode="rgb").shape
(100, 100, 3)
"""

from __future__ import annotations

import difflib
import hashlib
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from ._validate import ArgumentTypeError, check_dtype, check_image, check_image_size, check_option, check_shape

#: Largest image (in pixels) that :func:`load_image` accepts: 50 megapixels, i.e. 1.2 GB as a float64
#: RGB array. Larger images are refused before they are decoded.
MAX_PIXELS = 50_000_000

#: Sub-folders of ``data/`` holding images, in the order :func:`list_images` lists them.
KINDS = ("photos", "textures")

_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")

# ITU-R BT.601 luma weights, the ones PIL uses for its own "L" conversion.
_LUMA = np.array([0.299, 0.587, 0.114])


__all__ = [
    "MAX_PIXELS",
    "KINDS",
    "ChecksumError",
    "MissingFileError",
    "data_dir",
    "registry",
    "list_images",
    "sha256",
    "image_path",
    "load_image",
    "resize",
    "center_crop",
    "fit",
]


class ChecksumError(ValueError):
    """A file of ``data/`` does not have the SHA-256 recorded in ``data/SHA256SUMS``."""


class MissingFileError(FileNotFoundError, ValueError):
    """A file that does not exist: a ``FileNotFoundError``, and a ``ValueError`` like every bad input."""


def data_dir() -> Path:
    """The folder of the shipped images: ``$OTTOOLS_DATA`` if set, else ``<clone>/data``."""
    env = os.environ.get("OTTOOLS_DATA")
    folder = Path(env) if env else Path(__file__).resolve().parent.parent / "data"
    if not (folder / "SHA256SUMS").is_file():
        raise FileNotFoundError(
            f"the image folder {folder} (with its registry SHA256SUMS) was not found; install ottools "
            f"from a clone of the project with `python -m pip install -r requirements.txt` "
            f"(editable install), or set OTTOOLS_DATA to a folder with the same layout"
        )
    return folder


def registry() -> dict[str, str]:
    """The SHA-256 registry: ``{"photos/astronaut.png": "88431c...", ...}``."""
    return dict(_read_registry(data_dir()))


@lru_cache(maxsize=4)
def _read_registry(folder: Path) -> tuple[tuple[str, str], ...]:
    rows = []
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            rows.append((rel.strip().lstrip("*"), digest.lower()))
    return tuple(rows)


def list_images(kind: str | None = None) -> list[str]:
    """Names of the shipped images (file stems), photographs first, then textures.

    Parameters
    ----------
    kind : {None, "photos", "textures"}
        Restrict the list to one sub-folder of ``data/``.

    >>> list_images("photos")[:3]
    ['astronaut', 'chelsea', 'coffee']
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be None or one of {KINDS}, got {kind!r}")
    rels = [rel for rel, _ in _read_registry(data_dir())]
    kinds = KINDS if kind is None else (kind,)
    return [Path(rel).stem for k in kinds for rel in sorted(rels) if rel.startswith(k + "/")]


def _as_path(path, name):
    if isinstance(path, (bool, np.bool_)) or not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"{name} must be a str or a path, got {type(path).__name__}")
    return Path(path)


def sha256(path) -> str:
    """SHA-256 hex digest of a file."""
    path = _as_path(path, "path")
    if not path.is_file():
        raise MissingFileError(f"path {str(path)!r} is not an existing file")
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def image_path(name: str) -> Path:
    """Path of a shipped image, verified against the registry.

    ``name`` is a stem (``"astronaut"``), a file name (``"astronaut.png"``) or a path relative to
    ``data/`` (``"photos/astronaut.png"``).

    Raises
    ------
    ValueError
        if ``name`` is not a shipped image (the message suggests close names);
    FileNotFoundError
        if the registry lists the file but it is missing (the message gives the expected checksum);
    ChecksumError
        if the file's content differs from the registry.
    """
    if not isinstance(name, (str, os.PathLike)) or isinstance(name, bool):
        raise ArgumentTypeError(f"name must be the name of an image (a str), got {type(name).__name__}")
    folder = data_dir()
    rows = _read_registry(folder)
    key = os.fspath(name).replace("\\", "/")
    matches = [rel for rel, _ in rows if key in (rel, Path(rel).name, Path(rel).stem)]
    if not matches:
        names = list_images()
        close = difflib.get_close_matches(Path(key).stem, names, n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"unknown image name {os.fspath(name)!r}: it is neither one of the images of data/ "
            f"(see ottools.data.list_images()) nor an existing file.{hint}"
        )
    rel = matches[0]
    expected = dict(rows)[rel]
    path = folder / rel
    if not path.is_file():
        raise MissingFileError(
            f"data file {rel} is missing from {folder} (expected SHA-256 {expected}); "
            f"restore it from the project's repository (git checkout -- data/{rel})"
        )
    stat = path.stat()
    actual = _cached_sha256(str(path), stat.st_mtime_ns, stat.st_size)
    if actual != expected:
        raise ChecksumError(
            f"data file {rel} is corrupted or was modified: SHA-256 {actual}, expected {expected}; "
            f"restore it from the project's repository (git checkout -- data/{rel})"
        )
    return path


@lru_cache(maxsize=256)
def _cached_sha256(path: str, mtime_ns: int, size: int) -> str:
    # keyed by modification time and size, so an edited file is hashed again
    return sha256(path)


def load_image(name_or_path, size=None, dtype=np.float64, mode=None, alpha="error"):
    """Load an image as a float array with values in ``[0, 1]``.

    Parameters
    ----------
    name_or_path : str, path, bytes, file object or ndarray
        A shipped image by name (see :func:`list_images`), the path of any PNG/JPEG/TIFF/BMP file,
        the content of such a file (``bytes``, e.g. from an upload widget) or an open binary file,
        or an array (``uint8``, ``uint16`` or floats in ``[0, 1]``), which is checked and converted.
        Files are turned upright following their EXIF orientation (phone photographs); palette,
        CMYK, grey-with-alpha and 16- or 32-bit integer files are converted (an integer file is
        divided by the largest value of its bit depth, never clipped).
    size : None, int or (int, int)
        ``None`` keeps the size; an int sets the longest side (aspect ratio kept); ``(H, W)`` crops the
        centre to that aspect ratio, then resizes to exactly ``H x W`` (see :func:`fit`). At most
        :data:`MAX_PIXELS` pixels.
    dtype : numpy float dtype
        ``np.float64`` (default) or ``np.float32``.
    mode : {None, "rgb", "grey"}
        ``None`` keeps the file's kind: ``(H, W, 3)`` for colour, ``(H, W)`` for grey. ``"rgb"``
        always gives ``(H, W, 3)`` (grey repeated); ``"grey"`` gives the luma
        ``0.299 R + 0.587 G + 0.114 B`` as ``(H, W)``.
    alpha : {"error", "drop"}
        What to do with a transparency channel that is not fully opaque: refuse it (default) or drop
        it. A fully opaque alpha channel carries no information and is always dropped.

    Returns
    -------
    img : ndarray of shape (H, W, 3) or (H, W), values in [0, 1]

    Raises
    ------
    ValueError
        unknown name (with suggestions), unreadable file, image over :data:`MAX_PIXELS`, transparency,
        wrong ``dtype``/``mode``/``size``, or an array that is not an image (see
        ``ottools._validate.check_image``).
    FileNotFoundError, ChecksumError
        a shipped file missing or altered (the message gives the expected SHA-256).
    """
    dtype = check_dtype(dtype, "dtype")
    if mode is not None:
        mode = check_option({"gray": "grey"}.get(mode, mode), "mode", ("rgb", "grey"))
    alpha = check_option(alpha, "alpha", ("error", "drop"))
    if size is not None:
        size = check_image_size(size, "size", max_pixels=MAX_PIXELS)

    if isinstance(name_or_path, np.ndarray):
        img = check_image(name_or_path, "name_or_path")
    elif isinstance(name_or_path, (str, os.PathLike)):
        img = _read_file(_resolve(name_or_path), alpha)
    elif isinstance(name_or_path, (bytes, bytearray, memoryview)):
        import io

        img = _read_file(io.BytesIO(bytes(name_or_path)), alpha, label="the given bytes")
    elif hasattr(name_or_path, "read"):
        img = _read_file(name_or_path, alpha, label=f"file object {getattr(name_or_path, 'name', '')!s}".strip())
    else:
        raise ArgumentTypeError(
            "name_or_path must be an image name, a file path, the bytes of an image file, an open "
            f"binary file or an array, got {type(name_or_path).__name__}"
        )
    if mode == "rgb" and img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    elif mode == "grey" and img.ndim == 3:
        img = img @ _LUMA
    if size is not None:
        img = fit(img, size)
    return np.ascontiguousarray(img, dtype=dtype)


def _resolve(name_or_path) -> Path:
    """A shipped image (verified) or the reader's own file."""
    text = os.fspath(name_or_path)
    path = Path(text).expanduser()
    looks_like_path = os.sep in text or "/" in text or path.suffix.lower() in _EXTENSIONS
    if looks_like_path and path.is_file():
        return path
    try:
        return image_path(text)
    except ChecksumError:
        raise
    except FileNotFoundError:
        raise
    except ValueError as exc:
        if not looks_like_path:
            raise ValueError(f"name_or_path: {exc}") from None
        if looks_like_path and not path.exists():
            raise MissingFileError(
                f"name_or_path: image file {text!r} does not exist (and it is not one of the images "
                f"of data/, see ottools.data.list_images())"
            ) from None
        raise


def _read_file(path, alpha: str, label=None) -> np.ndarray:
    label = str(path) if label is None else label
    try:
        im = Image.open(path)
    except Exception as exc:  # PIL raises several kinds of error for non-images
        raise ValueError(f"name_or_path: cannot read {label} as an image ({exc})") from exc
    path = label
    with im:
        w, h = im.size
        if w * h > MAX_PIXELS:
            raise ValueError(
                f"image {path} has {w} x {h} = {w * h / 1e6:.1f} megapixels, above the limit of "
                f"{MAX_PIXELS / 1e6:.0f} megapixels; reduce it first (for instance with PIL's "
                f"Image.thumbnail) or crop the part you need"
            )
        try:
            im.load()
        except Exception as exc:
            raise ValueError(f"name_or_path: cannot decode {path} ({exc}); the file may be truncated") from exc
        bits = None
        if getattr(im, "format", None) == "TIFF":
            bps = im.tag_v2.get(258)  # BitsPerSample
            bits = int(bps[0] if isinstance(bps, tuple) else bps) if bps else None
        upright = ImageOps.exif_transpose(im)  # phone photographs are stored sideways, with a tag
        return _pil_to_float(upright, path, alpha, bits)


def _pil_to_float(im: Image.Image, path, alpha: str, bits=None) -> np.ndarray:
    if im.mode in ("P", "PA"):
        im = im.convert("RGBA" if ("transparency" in im.info or im.mode == "PA") else "RGB")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        im = im.convert("RGB")
    if im.mode in ("LA", "La", "RGBA", "RGBa"):
        arr = np.asarray(im.convert("LA" if im.mode in ("LA", "La") else "RGBA"))
        opaque = bool(np.all(arr[..., -1] == 255))
        if not opaque and alpha == "error":
            raise ValueError(
                f"image {path} has a transparency (alpha) channel that is not opaque; load it with "
                f"alpha='drop' to ignore the transparency, or composite it on a background first"
            )
        arr = arr[..., :-1]
        if arr.shape[-1] == 1:
            arr = arr[..., 0]
        return arr.astype(np.float64) / 255.0
    if im.mode in ("L", "RGB"):
        return np.asarray(im).astype(np.float64) / 255.0
    if im.mode.startswith("I;16"):
        return np.asarray(im).astype(np.float64) / 65535.0
    if im.mode == "I":
        arr = np.asarray(im).astype(np.float64)
        if arr.min(initial=0.0) < 0:
            raise ValueError(
                f"image {path} holds signed integers (minimum {arr.min():.0f}): there is no [0, 1] "
                f"scale to read them on; convert the file to unsigned 8 or 16 bits first"
            )
        # a 16-bit PNG opens as "I" too; a 32-bit file is scaled by its own full range
        full = 2.0**32 - 1 if (bits == 32 or arr.max(initial=0.0) > 65535) else 65535.0
        return arr / full
    if im.mode == "F":
        return check_image(np.asarray(im, dtype=np.float64), str(path))
    raise ValueError(f"image {path} has an unsupported pixel mode {im.mode!r}")


def resize(img, size):
    """Resize an image with antialiasing (PIL's Lanczos filter), values kept in ``[0, 1]``.

    Parameters
    ----------
    img : ndarray of shape (H, W) or (H, W, 3), values in [0, 1]
    size : int or (int, int)
        The longest side (aspect ratio kept), or the exact ``(H, W)`` (aspect ratio not kept).

    Notes
    -----
    Lanczos filtering can overshoot slightly at sharp edges; the overshoot is clipped to ``[0, 1]``.

    >>> resize(np.zeros((40, 80, 3)), 20).shape
    (10, 20, 3)
    """
    arr = check_image(img, "img")
    size = check_image_size(size, "size", max_pixels=MAX_PIXELS)
    h, w = arr.shape[:2]
    if isinstance(size, int):
        scale = size / max(h, w)
        new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
        if new_h * new_w > MAX_PIXELS:
            raise ValueError(
                f"size = {size} would make a {new_h} x {new_w} image, above the limit of {MAX_PIXELS:.3g} pixels"
            )
    else:
        new_h, new_w = size
    if (new_h, new_w) == (h, w):
        return arr.copy()
    channels = arr[..., None] if arr.ndim == 2 else arr
    out = np.stack(
        [
            np.asarray(
                Image.fromarray(np.ascontiguousarray(channels[..., c], dtype=np.float32), mode="F").resize(
                    (new_w, new_h), resample=Image.Resampling.LANCZOS
                )
            )
            for c in range(channels.shape[2])  # at most 3 channels, each resized by PIL in C
        ],
        axis=-1,
    ).astype(np.float64)
    np.clip(out, 0.0, 1.0, out=out)
    return out[..., 0] if arr.ndim == 2 else out


def center_crop(img, shape):
    """The centred ``H x W`` window of an image.

    >>> center_crop(np.arange(16.0).reshape(4, 4) / 15, (2, 2)) * 15
    array([[ 5.,  6.],
           [ 9., 10.]])
    """
    arr = check_image(img, "img")
    h, w = check_shape(shape, "shape", ndim=2) if not isinstance(shape, (int, np.integer)) else (shape,) * 2
    h, w = check_shape((h, w), "shape")
    H, W = arr.shape[:2]
    if h > H or w > W:
        raise ValueError(f"shape {(h, w)} is larger than the image ({H}, {W})")
    top, left = (H - h) // 2, (W - w) // 2
    return arr[top : top + h, left : left + w].copy()


def fit(img, size):
    """Tour-sized version of an image: centre crop to the aspect ratio of ``size``, then resize.

    ``size`` is an int (longest side, no crop) or ``(H, W)``.

    >>> fit(np.zeros((30, 60)), (10, 10)).shape
    (10, 10)
    """
    arr = check_image(img, "img")
    size = check_image_size(size, "size", max_pixels=MAX_PIXELS)
    if isinstance(size, int):
        return resize(arr, size)
    h, w = size
    H, W = arr.shape[:2]
    # largest window of aspect w/h inside the image
    if W * h > H * w:
        crop = (H, max(1, round(H * w / h)))
    else:
        crop = (max(1, round(W * h / w)), W)
    return resize(center_crop(arr, crop), (h, w))
