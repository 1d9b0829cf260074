"""Draw a recognition over its image: what a person checks, and what snapshot tests compare."""

from __future__ import annotations

import numpy as np

from ibga.recognition.contract import Recognition

WINDOW = (0, 128, 255)
ELEMENT = (0, 220, 0)
CLICK = (255, 0, 0)


def annotate(frame: np.ndarray, r: Recognition, crop: bool = False) -> np.ndarray:
    """A copy of `frame` with the window box, the screen id and score, each element's box, name
    and click point drawn on it.

    Parameters
    ----------
    frame : (H, W, 3) uint8 array
    r : Recognition
        What `recognize` said about `frame`.
    crop : bool
        Return only the window's region (with a small margin), when a window was found.
    """
    from PIL import Image, ImageDraw

    image = Image.fromarray(frame)
    draw = ImageDraw.Draw(image)
    if r.window:
        x, y, w, h = r.window
        draw.rectangle([x, y, x + w - 1, y + h - 1], outline=WINDOW, width=2)
        draw.text((x + 4, y + 4), f"{r.screen} {r.score:.2f}", fill=WINDOW)
    for name, e in sorted(r.elements.items()):
        x, y, w, h = e.box
        draw.rectangle([x, y, x + w - 1, y + h - 1], outline=ELEMENT)
        cx, cy = e.centre
        draw.ellipse([cx - 2, cy - 2, cx + 2, cy + 2], fill=CLICK)
        draw.text((x + 2, y - 10), name, fill=ELEMENT)
    out = np.asarray(image)
    if crop and r.window:
        x, y, w, h = r.window
        m = 12
        out = out[max(0, y - m): y + h + m, max(0, x - m): x + w + m]
    return out
