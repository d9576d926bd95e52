"""Timing cases of ottools.color (targets from issue 4), run by ``python benchmarks/run.py --only color``.

Quality is the remaining squared sliced distance between the output's colours and the target's
(256 fixed directions drawn with seed 0, all pixels), :func:`ottools.color.color_sliced_distance`
squared. Each quality figure sorts 2 x 256 x 10^6 projections: several seconds, outside the timings.
"""

import numpy as np

from ottools import color, data, sliced

from harness import Case  # run.py puts benchmarks/ on sys.path

try:  # optional peer, not in requirements.txt: pip install python-color-transfer
    from python_color_transfer.color_transfer import ColorTransfer
except ImportError:  # pragma: no cover - depends on the environment
    ColorTransfer = None

SIZE = (1024, 1024)
DIRECTIONS = sliced.random_directions(256, 3, np.random.default_rng(0))


def cases():
    source = data.load_image("astronaut", size=SIZE)
    target = data.load_image("coffee", size=SIZE)

    def sw2(img):
        return color.color_sliced_distance(img, target, directions=DIRECTIONS) ** 2

    start = sw2(source)

    def quality(ours, peer):
        text = f"SW2^2 left {sw2(ours):.2e}"
        if peer is not None:
            text += f", peer {sw2(peer):.2e}"
        return text + f" (start {start:.2e})"

    size = f"{SIZE[0]}x{SIZE[1]} astronaut -> coffee"
    out = []

    sliced_transfer = lambda: color.transfer(source, target, rng=0)  # noqa: E731
    peer, peer_name = None, "python-color-transfer IDT (not installed)"
    if ColorTransfer is not None:
        # The peer works on 8-bit BGR images (OpenCV order) and returns uint8.
        src8 = np.ascontiguousarray((source[..., ::-1] * 255).round().astype(np.uint8))
        tgt8 = np.ascontiguousarray((target[..., ::-1] * 255).round().astype(np.uint8))
        idt = ColorTransfer()

        def peer():
            return idt.pdf_transfer(img_arr_in=src8, img_arr_ref=tgt8)[..., ::-1] / 255.0

        peer_name = "python-color-transfer ColorTransfer().pdf_transfer (IDT)"
    out.append(Case("transfer sliced (LUT, function of the colour)", size, sliced_transfer, peer=peer,
                    peer_name=peer_name, quality=quality,
                    target="< 1.0 s; SW2^2 left <= IDT's (~2.9e-4)", repeat=5))

    out.append(Case("transfer sorted (20 IDT steps on every pixel)", size,
                    lambda: color.transfer(source, target, "sorted", rng=0), quality=quality,
                    target="reference: splits identical colours", repeat=1))
    out.append(Case("transfer gaussian (linear MK map)", size,
                    lambda: color.transfer(source, target, "gaussian"), quality=quality, repeat=3))
    out.append(Case("transfer reinhard (l alpha beta)", size,
                    lambda: color.transfer(source, target, "reinhard"), quality=quality, repeat=3))

    try:
        import ot
    except ImportError:  # pragma: no cover
        ot = None
    if ot is not None:
        rng = np.random.default_rng(0)
        Xs, Xt = source.reshape(-1, 3), target.reshape(-1, 3)
        fit_s = Xs[rng.choice(Xs.shape[0], 1000, replace=False)]
        fit_t = Xt[rng.choice(Xt.shape[0], 1000, replace=False)]

        def emd():
            mapping = ot.da.EMDTransport()
            mapping.fit(Xs=fit_s, Xt=fit_t)
            return np.clip(mapping.transform(Xs=Xs), 0.0, 1.0).reshape(source.shape)

        out.append(Case("transfer sliced vs POT EMDTransport", size, sliced_transfer, peer=emd,
                        peer_name="ot.da.EMDTransport fitted on 1000 pixels", quality=quality, repeat=1))
    return out
