"""Words on a screenshot, read by Tesseract (offline, in process through tesserocr).

Why a preprocessing step: the gateway draws light text on dark, textured backgrounds next to
dark text on light fields, and Tesseract binarizes a page with one global threshold, which
loses one of the two (it misses a whole grey dialog on the dark login frame). Each pixel is
therefore replaced by how far it stands out from its neighbourhood (a median of the area
around it): every text becomes dark on white, whatever its colours, and the background's
faint lines vanish.
"""

from __future__ import annotations

import glob
import os
import re
import threading
from dataclasses import dataclass, field

import numpy as np

from ibga.recognition.pixels import median_filter

MIN_CONFIDENCE = 50.0
"""Tesseract's word confidence below which a word is dropped (mostly icons and textures)."""

FAINT = 30
"""Grey-level difference from the neighbourhood below which a pixel is background (the login
frame's net of lines, gradients)."""

_local = threading.local()
_leptonica_lock = threading.Lock()
_leptonica_quiet = False


@dataclass(frozen=True)
class Word:
    """A word read on an image: its text and box ``(x, y, w, h)`` in the image's pixels."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float
    norm: str = field(init=False, repr=False, compare=False)
    """Lower-case letters and digits only: what word matching compares (computed once: it is asked
    for hundreds of thousands of times per frame)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", normalize(self.text))

    @property
    def centre(self) -> tuple[float, float]:
        x, y, w, h = self.box
        return x + w / 2, y + h / 2


def normalize(text: str) -> str:
    """``"Log In"`` and ``"LOGIN."`` both give ``"login"``."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def tessdata_dir() -> str | None:
    """Where Tesseract's English data is: TESSDATA_PREFIX, else Debian's location."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env and os.path.exists(os.path.join(env, "eng.traineddata")):
        return env
    found = sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata/eng.traineddata"))
    return os.path.dirname(found[-1]) if found else None


def available() -> bool:
    """True when OCR can run here (tesserocr importable and English data installed)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata_dir() is not None


def _quiet_leptonica(tesserocr) -> None:
    """Keep Leptonica's messages off the user's terminal, once per process, before any engine runs.

    Tesseract's own layout analysis (its image finder) hands Leptonica boxes outside the page on
    some screens (the settings window's API Precautions page, for one); Leptonica then writes
    ``Error in boxClipToRectangle: box outside rectangle`` to file descriptor 2, into `ibga demo`'s
    output. Those boxes are not ibga's, and the reading goes on regardless. The level is process-wide
    (no redirection of fd 2, which would swallow other threads' output), so it is set under a lock
    before the first engine exists (tesserocr 2.7 and later have the binding).
    """
    global _leptonica_quiet
    with _leptonica_lock:
        if not _leptonica_quiet:
            tesserocr.set_leptonica_log_level(tesserocr.LeptLogLevel.NONE)
            _leptonica_quiet = True


def _api():
    """One Tesseract engine per thread (creating one costs ~100 ms; engines are not thread-safe)."""
    api = getattr(_local, "api", None)
    if api is None:
        import tesserocr

        _quiet_leptonica(tesserocr)
        path = tessdata_dir()
        if path is None:
            raise RuntimeError("Tesseract English data not found (apt-get install tesseract-ocr-eng)")
        api = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.SPARSE_TEXT)
        _local.api = api
    return api


def release() -> None:
    """Free this thread's Tesseract engine (tens of MB); the next reading makes a new one."""
    api = getattr(_local, "api", None)
    if api is not None:
        api.End()
        del _local.api


def ink(frame: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Dark-on-white image of everything that stands out locally (text of any colour).

    Parameters
    ----------
    frame : (H, W, 3) uint8 array
    scale : float
        Resize factor applied first (small text reads better enlarged).

    Returns
    -------
    (H', W') uint8 array
    """
    from PIL import Image

    image = Image.fromarray(frame).convert("L")
    if scale != 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BICUBIC)
    g = np.asarray(image, np.float32)
    step = 3
    background = median_filter(g[::step, ::step], 7)
    background = np.asarray(Image.fromarray(background).resize(image.size, Image.Resampling.BILINEAR))
    contrast = np.abs(g - background)
    contrast[contrast < FAINT] = 0
    return (255 - np.clip(contrast * 2, 0, 255)).astype(np.uint8)


def read_words(frame: np.ndarray, scale: float = 1.0, box: tuple[int, int, int, int] | None = None,
               min_confidence: float = MIN_CONFIDENCE) -> list[Word]:
    """Words on `frame` (or on its `box` region), boxes in `frame`'s pixels.

    Parameters
    ----------
    frame : (H, W, 3) uint8 array
    scale : float
        Read the image enlarged (or reduced) by this factor; boxes are mapped back.
    box : (x, y, w, h), optional
        Only this region.
    min_confidence : float
        Drop words Tesseract is less sure of (0-100).
    """
    import tesserocr
    from PIL import Image

    x0 = y0 = 0
    if box is not None:  # clipped to the frame: a negative end would count from the far side
        x0, y0 = max(0, box[0]), max(0, box[1])
        frame = frame[y0: max(0, box[1] + box[3]), x0: max(0, box[0] + box[2])]
    if frame.shape[0] < 4 or frame.shape[1] < 4:
        return []
    api = _api()
    api.SetImage(Image.fromarray(ink(frame, scale)))
    api.Recognize()
    words = []
    it = api.GetIterator()
    level = tesserocr.RIL.WORD
    while True:
        text = it.GetUTF8Text(level) if not it.Empty(level) else None
        if text and text.strip():
            conf = it.Confidence(level)
            bb = it.BoundingBox(level)
            if conf >= min_confidence and bb:
                left, top, right, bottom = (round(v / scale) for v in bb)
                box = (left + x0, top + y0, max(1, right - left), max(1, bottom - top))
                words.append(Word(text.strip(), box, float(conf)))
        if not it.Next(level):
            break
    api.Clear()
    return words
