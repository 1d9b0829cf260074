"""Corpus image files: 16-bit look, lean PNGs, duplicate detection."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import Image


def quantize_rgb565(frame: np.ndarray) -> np.ndarray:
    """How `frame` looks on a 16-bit (RGB565) X screen, as IBGA ran Xvfb, expanded back to 8 bits.

    The X server keeps 5/6/5 bits; a viewer expands them by repeating the top bits.
    """
    r = frame[..., 0] & 0xF8
    g = frame[..., 1] & 0xFC
    b = frame[..., 2] & 0xF8
    return np.stack([r | (r >> 5), g | (g >> 6), b | (b >> 5)], axis=-1).astype(np.uint8)


def pixel_hash(frame: np.ndarray) -> str:
    """A hash of the pixels (not of the PNG bytes), to find the same screenshot twice."""
    h = hashlib.sha256()
    h.update(str(frame.shape).encode())
    h.update(np.ascontiguousarray(frame).tobytes())
    return h.hexdigest()[:16]


def save_png(path: Path, frame: np.ndarray) -> None:
    """Save an RGB frame as a small PNG (a palette when it has few colours, which screens often do)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(frame)
    colours = image.getcolors(256)
    if colours is not None:
        image = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        if not np.array_equal(np.asarray(image.convert("RGB")), frame):
            image = Image.fromarray(frame)  # quantize must be lossless, or not used
    image.save(path, optimize=True)


def load_rgb(path: Path) -> np.ndarray:
    """An image file as an HxWx3 uint8 RGB array."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))
