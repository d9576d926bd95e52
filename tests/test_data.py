"""ottools.data: the registry, the loader and every kind of bad input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ottools import data
from seeds import make_rng

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


# --------------------------------------------------------------------------- registry


def test_registry_matches_every_file():
    reg = data.registry()
    on_disk = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.suffix in (".png", ".jpg"))
    assert sorted(reg) == on_disk, "data/SHA256SUMS must list exactly the images of data/"
    for rel, digest in reg.items():
        assert hashlib.sha256((DATA / rel).read_bytes()).hexdigest() == digest, rel


def test_every_image_is_credited():
    credits = (DATA / "CREDITS.md").read_text(encoding="utf-8")
    missing = [rel for rel in data.registry() if f"| {rel} |" not in credits]
    assert not missing, f"data/CREDITS.md has no source/licence line for {missing}"


def test_list_images():
    photos, textures = data.list_images("photos"), data.list_images("textures")
    assert "astronaut" in photos and "gimp_wood1" in textures
    assert data.list_images() == photos + textures
    assert len(set(data.list_images())) == len(data.list_images()), "names (stems) must be unique"
    with pytest.raises(ValueError, match="kind"):
        data.list_images("videos")


def test_data_dir_does_not_depend_on_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert data.load_image("gimp_pool").shape == (45, 45, 3)


# --------------------------------------------------------------------------- loading


@pytest.mark.parametrize("name", data.list_images())
def test_every_shipped_image_loads(name):
    img = data.load_image(name)
    assert img.dtype == np.float64 and img.ndim in (2, 3)
    assert img.min() >= 0.0 and img.max() <= 1.0
    assert img.max() > img.min(), "a shipped image is not constant"


def test_values_are_the_file_values():
    raw = np.asarray(Image.open(DATA / "photos" / "astronaut.png").convert("RGB"))
    img = data.load_image("astronaut")
    np.testing.assert_array_equal(img, raw / 255.0)  # exact: k/255 is the same double both ways


def test_names_paths_and_arrays_give_the_same_image():
    a = data.load_image("chelsea")
    b = data.load_image("chelsea.png")
    c = data.load_image("photos/chelsea.png")
    d = data.load_image(DATA / "photos" / "chelsea.png")
    e = data.load_image((a * 255).round().astype(np.uint8))
    for other in (b, c, d, e):
        np.testing.assert_array_equal(a, other)


def test_modes_and_dtypes():
    grey = data.load_image("gimp_granite1")
    rgb = data.load_image("gimp_granite1", mode="rgb")
    assert grey.shape == (100, 100) and rgb.shape == (100, 100, 3)
    np.testing.assert_array_equal(rgb[..., 1], grey)
    col = data.load_image("gimp_wood1")
    luma = data.load_image("gimp_wood1", mode="grey")
    np.testing.assert_allclose(luma, col @ [0.299, 0.587, 0.114], atol=1e-15)
    assert data.load_image("gimp_wood1", dtype=np.float32).dtype == np.float32


def test_size_longest_side_and_exact_shape():
    assert data.load_image("coffee", size=100).shape == (67, 100, 3)  # 400 x 600 -> longest side 100
    assert data.load_image("coffee", size=(32, 48)).shape == (32, 48, 3)
    sq = data.load_image("coffee", size=(50, 50))
    assert sq.shape == (50, 50, 3) and sq.min() >= 0 and sq.max() <= 1


def test_resize_preserves_the_mean_colour():
    # an antialiased downsampling is (up to the filter's ringing) an average: the mean colour is kept
    img = data.load_image("astronaut")
    small = data.resize(img, 64)
    np.testing.assert_allclose(small.mean(axis=(0, 1)), img.mean(axis=(0, 1)), atol=5e-3)


def test_center_crop_and_fit():
    img = np.linspace(0, 1, 6 * 8).reshape(6, 8)
    np.testing.assert_array_equal(data.center_crop(img, (2, 4)), img[2:4, 2:6])
    assert data.fit(img, (3, 3)).shape == (3, 3)
    with pytest.raises(ValueError, match="larger than the image"):
        data.center_crop(img, (7, 2))


def test_user_files_load(tmp_path):
    rng = make_rng(0)
    arr = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    for ext in ("png", "bmp"):
        Image.fromarray(arr).save(tmp_path / f"mine.{ext}")
        np.testing.assert_array_equal(data.load_image(tmp_path / f"mine.{ext}"), arr / 255.0)
    Image.fromarray(arr).save(tmp_path / "mine.jpg", quality=95)
    decoded = np.asarray(Image.open(tmp_path / "mine.jpg").convert("RGB"))  # JPEG is lossy:
    np.testing.assert_array_equal(data.load_image(str(tmp_path / "mine.jpg")), decoded / 255.0)
    grey16 = (rng.integers(0, 65536, size=(4, 4))).astype(np.uint16)
    Image.fromarray(grey16).save(tmp_path / "deep.png")
    np.testing.assert_allclose(data.load_image(tmp_path / "deep.png"), grey16 / 65535.0, atol=1e-12)


def test_opaque_alpha_is_dropped_and_transparency_refused(tmp_path):
    rgba = np.full((4, 4, 4), 255, dtype=np.uint8)
    rgba[..., 0] = 10
    Image.fromarray(rgba).save(tmp_path / "opaque.png")
    assert data.load_image(tmp_path / "opaque.png").shape == (4, 4, 3)
    rgba[0, 0, 3] = 0
    Image.fromarray(rgba).save(tmp_path / "clear.png")
    with pytest.raises(ValueError, match="alpha"):
        data.load_image(tmp_path / "clear.png")
    dropped = data.load_image(tmp_path / "clear.png", alpha="drop")
    np.testing.assert_array_equal(dropped, rgba[..., :3] / 255.0)


# --------------------------------------------------------------------------- bad inputs


def test_unknown_name_suggests_close_names():
    with pytest.raises(ValueError, match=r"unknown image name 'astronot'.*astronaut"):
        data.load_image("astronot")


def test_missing_user_file():
    with pytest.raises(ValueError, match="does not exist"):
        data.load_image("/no/such/picture.png")


def test_not_an_image_file(tmp_path):
    (tmp_path / "fake.png").write_text("this is not a PNG")
    with pytest.raises(ValueError, match="cannot read"):
        data.load_image(tmp_path / "fake.png")


def _copy_data(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("OTTOOLS_DATA", str(copy))
    return copy


def test_corrupted_file_names_file_and_checksum(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path, monkeypatch)
    target = copy / "textures" / "gimp_pool.png"
    raw = bytearray(target.read_bytes())
    raw[-20] ^= 0xFF
    target.write_bytes(bytes(raw))
    expected = data.registry()["textures/gimp_pool.png"]
    with pytest.raises(data.ChecksumError, match=rf"textures/gimp_pool.png.*expected {expected}"):
        data.load_image("gimp_pool")


def test_missing_file_names_file_and_checksum(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path, monkeypatch)
    (copy / "photos" / "rocket.jpg").unlink()
    expected = data.registry()["photos/rocket.jpg"]
    with pytest.raises(FileNotFoundError, match=rf"photos/rocket.jpg.*{expected}"):
        data.load_image("rocket")


def test_missing_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OTTOOLS_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="SHA256SUMS"):
        data.load_image("astronaut")


def test_too_many_pixels_refused_before_decoding(tmp_path, monkeypatch):
    Image.new("L", (300, 200)).save(tmp_path / "big.png")
    monkeypatch.setattr(data, "MAX_PIXELS", 50_000)  # the real limit is 50 Mpx; same code path
    with pytest.raises(ValueError, match="megapixels"):
        data.load_image(tmp_path / "big.png")


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((4, 4, 4)), "alpha"),
        (np.zeros((4, 4, 5)), "3 colour channels"),
        (np.zeros(10), "shape"),
        (np.zeros((2, 2, 2, 3)), "shape"),
        (np.full((3, 3), 2.0), r"values in \[0, 1\]"),
        (np.full((3, 3), -0.1), r"values in \[0, 1\]"),
        (np.array([[np.nan, 0.5]]), "NaN"),
        (np.ones((3, 3), dtype=bool), "boolean"),
        (np.ones((3, 3), dtype=np.int64), "integer dtype"),
        (np.ones((3, 3), dtype=complex), "real"),
        (np.zeros((0, 3, 3)), "empty"),
    ],
)
def test_wrong_kind_of_array(array, message):
    with pytest.raises(ValueError, match=message):
        data.load_image(array)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"dtype": np.int32}, "dtype"),
        ({"dtype": "nonsense"}, "dtype"),
        ({"mode": "cmyk"}, "mode"),
        ({"alpha": "keep"}, "alpha"),
        ({"size": 0}, "size"),
        ({"size": (10,)}, "size"),
        ({"size": 2.5}, "size"),
    ],
)
def test_wrong_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.load_image("gimp_pool", **kwargs)


def test_wrong_argument_type():
    with pytest.raises(ValueError, match="name_or_path"):
        data.load_image(42)


# --------------------------------------------------------------------------- file kinds


def test_32bit_tiff_scaled_by_its_range_not_clipped(tmp_path):
    # a 32-bit integer file read on a 16-bit scale would clip almost every pixel to 1.0
    rng = make_rng(32)
    vals = rng.integers(0, 2**31 - 1, size=(6, 5), dtype=np.int64).astype(np.int32)
    Image.fromarray(vals, mode="I").save(tmp_path / "deep.tif")
    img = data.load_image(tmp_path / "deep.tif")
    np.testing.assert_allclose(img, vals / (2.0**32 - 1), rtol=1e-12)
    assert img.max() < 0.5  # nothing clipped: values below 2^31 stay below half the range


def test_exif_orientation_is_applied(tmp_path):
    # a phone photograph stored landscape with "rotate 90 degrees" in its EXIF tag comes out upright
    rng = make_rng(33)
    stored = (rng.random((4, 6, 3)) * 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned, display rotated 90 degrees clockwise
    Image.fromarray(stored).save(tmp_path / "phone.png", exif=exif)
    img = data.load_image(tmp_path / "phone.png")
    assert img.shape == (6, 4, 3)
    np.testing.assert_array_equal(img, np.rot90(stored, k=-1) / 255.0)


def test_cmyk_palette_and_la_files(tmp_path):
    rng = make_rng(34)
    rgb = (rng.random((5, 7, 3)) * 255).astype(np.uint8)
    # CMYK: pure channels with K = 0 convert to RGB = 255 - CMY
    cmy = 255 - rgb
    cmyk = np.concatenate([cmy, np.zeros((5, 7, 1), np.uint8)], axis=2)
    Image.fromarray(cmyk, mode="CMYK").save(tmp_path / "print.tif")
    np.testing.assert_array_equal(data.load_image(tmp_path / "print.tif"), rgb / 255.0)
    # palette: the colours of the palette, not the indices
    pal = Image.fromarray(rgb).quantize(colors=16)
    pal.save(tmp_path / "pal.png")
    expected = np.asarray(pal.convert("RGB")) / 255.0
    np.testing.assert_array_equal(data.load_image(tmp_path / "pal.png"), expected)
    assert data.load_image(tmp_path / "pal.png").shape == (5, 7, 3)
    # grey with an opaque alpha: a grey image
    la = np.stack([rgb[..., 0], np.full((5, 7), 255, np.uint8)], axis=2)
    Image.fromarray(la, mode="LA").save(tmp_path / "la.png")
    np.testing.assert_array_equal(data.load_image(tmp_path / "la.png"), rgb[..., 0] / 255.0)


def test_bytes_and_file_objects(tmp_path):
    path = data.image_path("gimp_granite1")
    expected = data.load_image("gimp_granite1")
    np.testing.assert_array_equal(data.load_image(path.read_bytes()), expected)
    with open(path, "rb") as f:
        np.testing.assert_array_equal(data.load_image(f), expected)
    with pytest.raises(ValueError, match="name_or_path"):
        data.load_image(b"not an image")
