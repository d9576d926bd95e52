"""Benchmarks of the data loader and of one plotting call (the harness's first rows)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from harness import Case  # noqa: E402
from ottools import data, plotting  # noqa: E402


def _pil_plain(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0


def _pil_resized(path, size):
    im = Image.open(path).convert("RGB")
    im.thumbnail((size, size), Image.Resampling.LANCZOS)
    return np.asarray(im, dtype=np.float64) / 255.0


def _draw(ax_fn):
    fig = plt.figure(figsize=(4.6, 4.2))
    ax = fig.add_subplot(projection="3d")
    ax_fn(ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return buf.getbuffer().nbytes


def cases():
    hubble = data.image_path("hubble_deep_field")
    astro = data.image_path("astronaut")
    cloud = data.load_image("coffee").reshape(-1, 3)
    sample = cloud[np.random.default_rng(0).choice(cloud.shape[0], 4000, replace=False)]

    def max_diff(ours, peer):
        return f"max abs difference {np.abs(ours - peer).max():.1e}" if ours.shape == peer.shape else "shapes differ"

    return [
        Case(
            "load_image (checked, float64)", "1000x872 JPEG",
            ours=lambda: data.load_image(hubble),
            peer=lambda: _pil_plain(hubble), peer_name="PIL + numpy, unchecked",
            quality=max_diff, target="overhead of the checks small",
        ),
        Case(
            "load_image, registry name + SHA-256", "512x512 PNG",
            ours=lambda: data.load_image("astronaut"),
            peer=lambda: _pil_plain(astro), peer_name="PIL + numpy, unchecked",
            quality=max_diff,
        ),
        Case(
            "load_image(size=256)", "512x512 -> 256x256",
            ours=lambda: data.load_image("astronaut", size=256),
            peer=lambda: _pil_resized(astro, 256), peer_name="PIL thumbnail (uint8)",
            quality=lambda o, p: f"max abs difference {np.abs(o - p).max():.1e} (float vs 8-bit resampling)",
        ),
        Case(
            "plot_color_cloud, drawn to PNG", "4000 colours",
            ours=lambda: _draw(lambda ax: plotting.plot_color_cloud(sample, ax=ax)),
            peer=lambda: _draw(lambda ax: ax.scatter(*sample.T, c=sample, s=4)), peer_name="bare matplotlib scatter",
            repeat=3,
        ),
    ]
