"""Timing cases of ottools.pyramid, run by ``python benchmarks/run.py --only pyramid``.

Peer: the textbook recipe with complex FFTs (``numpy.fft.fft2`` of the image, every band's mask
times the spectrum, ``numpy.fft.ifft2`` of all the bands at once, then ``np.real``), with the same
masks (:func:`ottools.pyramid.steerable_masks`, computed inside the timed call as ours are).
Quality: the reconstruction error ``max |synthesis(analysis(f)) - f|`` and the largest difference
between our bands and the peer's. The rows ``analysis`` and ``synthesis`` compare the module's FFTs
over groups of bands (buffers of 4 MiB) with one FFT call over all the bands at once.
"""

import numpy as np

from ottools import pyramid

try:  # run.py puts benchmarks/ on sys.path
    from harness import Case
except ImportError:  # imported as a package module
    from benchmarks.harness import Case


def _complex_recipe(img, J, K):
    """Bands by complex FFTs and np.real, then the adjoint: (bands, reconstruction)."""
    masks, _ = pyramid.steerable_masks(img.shape[:2], J, K)
    x = img if img.ndim == 3 else img[..., None]
    bands = np.fft.ifft2(masks[..., None] * np.fft.fft2(x, axes=(0, 1))[None], axes=(1, 2)).real
    rec_hat = np.einsum("bhw,bhwc->hwc", masks.conj(), np.fft.fft2(bands, axes=(1, 2)))
    rec = np.fft.ifft2(rec_hat, axes=(0, 1)).real
    return (bands, rec) if img.ndim == 3 else (bands[..., 0], rec[..., 0])


def _one_group(fn, *args):
    """``fn(*args)`` with every band in one FFT call (the module groups bands in 4 MiB buffers)."""
    saved = pyramid._CHUNK_BYTES
    pyramid._CHUNK_BYTES = 2**62
    try:
        return fn(*args)
    finally:
        pyramid._CHUNK_BYTES = saved


def _round_trip(img, J, K):
    coeffs, _ = pyramid.analysis(img, J, K)
    return coeffs, pyramid.synthesis(coeffs, J, K)


def _quality(img):
    def quality(ours, peer):
        text = f"reconstruction error {np.abs(ours[1] - img).max():.0e}"
        if peer is not None:
            text += f", |ours - peer| {np.abs(ours[0] - peer[0]).max():.0e}"
        return text

    return quality


def cases():
    rng = np.random.default_rng(0)
    out = []
    for (H, W, c, J, K), target in (
        ((256, 256, 3, 4, 4), "< 0.5 s"),
        ((256, 256, 1, 4, 4), "< 0.2 s"),
        ((512, 512, 3, 5, 4), "< 1.5 s"),
    ):
        img = rng.random((H, W, c)) if c > 1 else rng.random((H, W))
        size = f"{H}x{W}x{c}, J={J}, K={K} ({2 + J * K} bands)"
        out.append(Case(
            "analysis + synthesis", size, lambda img=img, J=J, K=K: _round_trip(img, J, K),
            peer=lambda img=img, J=J, K=K: _complex_recipe(img, J, K),
            peer_name="complex fft2 + np.real (numpy)", quality=_quality(img), target=target,
            repeat=5,
        ))
    img = rng.random((256, 256, 3))
    coeffs, _ = pyramid.analysis(img, 4, 4)
    same = (lambda ours, peer: f"|ours - peer| {np.abs(ours[0] - peer[0]).max():.0e}")
    out.append(Case("analysis", "256x256x3, J=4, K=4 (18 bands)", lambda: pyramid.analysis(img, 4, 4),
                    peer=lambda: _one_group(pyramid.analysis, img, 4, 4), peer_name="ours, all bands in one FFT",
                    quality=same, target="< 0.1 s", repeat=7))
    out.append(Case("synthesis", "256x256x3, J=4, K=4 (18 bands)", lambda: pyramid.synthesis(coeffs, 4, 4),
                    peer=lambda: _one_group(pyramid.synthesis, coeffs, 4, 4), peer_name="ours, all bands in one FFT",
                    quality=lambda ours, peer: f"|ours - peer| {np.abs(ours - peer).max():.0e}",
                    target="< 0.07 s", repeat=7))
    out.append(Case("steerable_masks", "256x256, J=4, K=4 (18 bands)",
                    lambda: pyramid.steerable_masks((256, 256), 4, 4), target="< 50 ms", repeat=7))
    return out
