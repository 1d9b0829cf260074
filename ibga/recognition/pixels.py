"""Pixel primitives shared by the model build and the recognizer.

Everything is compared in the RGB565 code space: a frame is reduced to one 16-bit code per
pixel (the top 5/6/5 bits of red/green/blue). This makes a 24-bit screenshot and its 16-bit
(``-565``) copy exactly equal, so one model serves both depths without tolerance games,
and it halves the memory the comparisons touch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

BLOCK = 8
"""Side of the square blocks hashed to find windows (the frame is cut into BLOCK x BLOCK tiles)."""

_HASH_SEED = 20250541
_MULT = (np.random.default_rng(_HASH_SEED).integers(1, 2**63, size=(BLOCK, BLOCK), dtype=np.uint64)
         | np.uint64(1))

TOL_RB = 2
"""Largest red/blue difference (in 5-bit units, i.e. 16 in 8-bit) for two pixels to match."""
TOL_G = 4
"""Largest green difference (in 6-bit units) for two pixels to match."""


def as_rgb(image) -> np.ndarray:
    """An HxWx3 uint8 array from a numpy array, a PIL image or a path.

    Raises
    ------
    ValueError
        If the input is not an image (wrong shape, unreadable file).
    """
    if isinstance(image, str | Path):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(image) as im:
                return np.asarray(im.convert("RGB"))
        except (UnidentifiedImageError, OSError) as exc:
            raise ValueError(f"{image}: not a readable image ({exc.__class__.__name__})") from None
    if not isinstance(image, np.ndarray):
        try:
            return np.asarray(image.convert("RGB"))
        except AttributeError:
            raise ValueError(f"not an image: {type(image).__name__}") from None
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[..., :3]
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 image, got shape {image.shape}")
    return image.astype(np.uint8, copy=False)


def codes(frame: np.ndarray) -> np.ndarray:
    """RGB565 code of every pixel (HxW uint16); idempotent under `quantize_rgb565`."""
    r = frame[..., 0].astype(np.uint16)
    g = frame[..., 1].astype(np.uint16)
    b = frame[..., 2].astype(np.uint16)
    return ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3)


def match_mask(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which pixels of two code arrays match within the small colour tolerance."""
    a = a.astype(np.int32)
    b = b.astype(np.int32)
    dr = np.abs((a >> 11) - (b >> 11))
    dg = np.abs(((a >> 5) & 63) - ((b >> 5) & 63))
    db = np.abs((a & 31) - (b & 31))
    return (dr <= TOL_RB) & (dg <= TOL_G) & (db <= TOL_RB)


def grid_hashes(v: np.ndarray) -> np.ndarray:
    """Hash of every BLOCK x BLOCK tile of a code frame, tiles aligned on multiples of BLOCK.

    Returns an array (H // BLOCK, W // BLOCK) of uint64; tile (i, j) covers pixels
    [i*BLOCK, (i+1)*BLOCK) x [j*BLOCK, (j+1)*BLOCK).
    """
    gh, gw = v.shape[0] // BLOCK, v.shape[1] // BLOCK
    v = v[: gh * BLOCK, : gw * BLOCK].astype(np.uint64)
    out = np.zeros((gh, gw), np.uint64)
    for i in range(BLOCK):
        for j in range(BLOCK):
            out += v[i::BLOCK, j::BLOCK] * _MULT[i, j]
    return out


def block_hash(block: np.ndarray) -> int:
    """The same hash as `grid_hashes` for one BLOCK x BLOCK code block."""
    return int((block.astype(np.uint64) * _MULT).sum(dtype=np.uint64))


def is_textured(block: np.ndarray, minority: int) -> bool:
    """True when a code block is not (nearly) one flat colour: worth hashing or anchoring."""
    _, counts = np.unique(block, return_counts=True)
    return block.size - counts.max() >= minority


def normalized_correlation(region: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Zero-mean normalised cross-correlation of `template` at every place it fits in `region`.

    numpy only (FFT product and summed-area tables): the runner's memory budget has no room for
    scikit-image, whose import alone costs ~50 MB.

    Parameters
    ----------
    region : (H, W) array
    template : (h, w) array, h <= H and w <= W

    Returns
    -------
    (H - h + 1, W - w + 1) float64 array in [-1, 1]; 0 where the region is flat (no correlation
    to speak of) or the template is.
    """
    r = np.asarray(region, np.float64)
    t = np.asarray(template, np.float64)
    (h, w), (rh, rw) = t.shape, r.shape
    if h > rh or w > rw:
        raise ValueError(f"template {t.shape} larger than region {r.shape}")
    t = t - t.mean()
    t_norm = np.sqrt((t * t).sum())
    out_shape = (rh - h + 1, rw - w + 1)
    if t_norm == 0:
        return np.zeros(out_shape)
    size = (rh + h - 1, rw + w - 1)
    product = np.fft.irfft2(np.fft.rfft2(r, size) * np.fft.rfft2(t[::-1, ::-1], size), size)
    corr = product[h - 1:rh, w - 1:rw]

    def window_sums(a: np.ndarray) -> np.ndarray:
        s = np.zeros((rh + 1, rw + 1))
        s[1:, 1:] = a.cumsum(0).cumsum(1)
        return s[h:, w:] - s[:-h, w:] - s[h:, :-w] + s[:-h, :-w]

    n = h * w
    sums = window_sums(r)
    variance = window_sums(r * r) - sums * sums / n
    spread = np.sqrt(np.maximum(variance, 0)) * t_norm
    flat = spread <= 1e-6 * max(1.0, t_norm)
    ncc = np.divide(corr, spread, out=np.zeros(out_shape), where=~flat)
    return np.clip(ncc, -1.0, 1.0)


def median_filter(image: np.ndarray, size: int) -> np.ndarray:
    """Median over a `size` x `size` neighbourhood, edges mirrored (as scipy.ndimage's default).

    Pillow's rank filter on a float image: scipy costs the runner ~25 MB of memory to import.

    Parameters
    ----------
    image : (H, W) float32 array
    size : int, odd

    Returns
    -------
    (H, W) float32 array
    """
    from PIL import Image, ImageFilter

    r = size // 2
    padded = np.pad(np.asarray(image, np.float32), r, mode="symmetric")
    out = np.asarray(Image.fromarray(padded, "F").filter(ImageFilter.MedianFilter(size)))
    return out[r:r + image.shape[0], r:r + image.shape[1]]


def blobs(mask: np.ndarray) -> list[tuple[slice, slice, int]]:
    """Connected parts of `mask` (4-neighbourhood): (rows, columns, pixel count) of each, in order
    of their first pixel in reading order.

    Meant for small masks with few set pixels (the dots of a password field).
    """
    mask = np.asarray(mask, bool)
    seen = np.zeros_like(mask)
    h, w = mask.shape
    out = []
    for y0, x0 in zip(*np.nonzero(mask), strict=True):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        stack, ys, xs = [(y0, x0)], [], []
        while stack:
            y, x = stack.pop()
            ys.append(y)
            xs.append(x)
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        out.append((slice(min(ys), max(ys) + 1), slice(min(xs), max(xs) + 1), len(ys)))
    return out
