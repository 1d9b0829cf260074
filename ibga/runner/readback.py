"""Reading the state of a control back from pixels, to check that an action had its effect.

The recognizer says which screen shows and where its controls are; what a control holds right
now (how many characters a password field has, whether a box is ticked, what a field reads) is
read here from the frame itself:

* password dots: compact bright blobs of one size on one line, counted;
* tick marks and radio dots: a mark adds edges inside the indicator, so of two looks of one
  indicator the one with more edge energy is the marked one;
* field text: OCR (Tesseract through `ibga.recognition.ocr`) at a few scales, since one
  reading of a small field is unreliable; only ever used on non-secret fields.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ibga.recognition.pixels import blobs

Box = tuple[int, int, int, int]

OCR_SCALES = (2.0, 4.0, 2.5)
"""Scales a field is read at; a value is confirmed when any reading matches (measured on the
settings page: each scale alone misreads a different field, e.g. ``4002`` as ``40:02``)."""


FIELD_REACH = 24
"""Least sideways margin (px) by which a field is watched beyond its box (see `widened`)."""


def crop(frame: np.ndarray, box: Sequence[int]) -> np.ndarray:
    """The pixels of `box` = (x, y, w, h), clipped to the frame (a copy)."""
    x, y, w, h = (int(v) for v in box)
    x0, y0 = max(0, x), max(0, y)
    return frame[y0:max(y0, y + h), x0:max(x0, x + w)].copy()


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a, b)


def changed_pixels(a: np.ndarray, b: np.ndarray) -> int:
    """How many pixels differ between two frames of one size (every pixel when the sizes differ)."""
    if a.shape != b.shape:
        return max(a.shape[0] * a.shape[1], b.shape[0] * b.shape[1])
    height = a.shape[0]
    rows = np.flatnonzero((a.reshape(height, -1) != b.reshape(height, -1)).any(axis=1))
    if not len(rows):
        return 0
    return int(np.count_nonzero((a[rows] != b[rows]).reshape(len(rows), -1, a.shape[2]).max(axis=2)))


def widened(box: Sequence[int], window: Sequence[int] | None = None) -> Box:
    """`box` grown sideways by its height (at least `FIELD_REACH` px), inside `window` when given.

    The word path of the recognizer places a field by the words around it, so on a gateway build
    the model was not built from its box can miss the field's ends by tens of pixels: the caret
    at the text's start, the first password dots. Watching the field's row a little wider sees
    them; nothing above or below (the neighbouring fields) is taken in.
    """
    x, y, w, h = (int(v) for v in box)
    reach = max(FIELD_REACH, h)
    x0, x1 = x - reach, x + w + reach
    if window is not None:
        wx, _, ww, _ = (int(v) for v in window)
        x0, x1 = max(x0, wx), min(x1, wx + ww)
    return max(0, x0), y, max(1, x1 - max(0, x0)), h


def is_blank(frame: np.ndarray) -> bool:
    """Nothing drawn: one colour everywhere (Xvfb's root window before the gateway shows)."""
    return bool(frame.size == 0 or (frame.max(axis=(0, 1)) == frame.min(axis=(0, 1))).all())


def count_dots(field: np.ndarray) -> int:
    """How many password dots a field shows.

    Dots are the bright blobs, 3-10 px, about round and well filled, of the most common size,
    on one line. The lock icon, the eye icon (outlines, bigger), the caret (1 px wide) and the
    faint dots of a background pattern (too small, too dim) are not counted.
    """
    if field.size == 0:
        return 0
    grey = field.astype(np.float32).mean(axis=2)
    bright = grey > np.median(grey) + 100
    dots = []
    for rows, cols, count in blobs(bright):
        h, w = rows.stop - rows.start, cols.stop - cols.start
        if not (3 <= w <= 10 and 3 <= h <= 10 and abs(w - h) <= 2):
            continue
        if count / (w * h) >= 0.5:
            dots.append((w, h, (rows.start + rows.stop) / 2))
    if not dots:
        return 0
    sizes = [(w, h) for w, h, _ in dots]
    common = max(set(sizes), key=sizes.count)
    line = float(np.median([y for w, h, y in dots if (w, h) == common]))
    return sum(1 for w, h, y in dots
               if abs(w - common[0]) <= 1 and abs(h - common[1]) <= 1 and abs(y - line) <= 2)


def indicator_box(box: Sequence[int]) -> Box:
    """The inside of the tick box or radio circle of a checkbox/radio element: where a mark is or is not.

    An element's box is its indicator (as the corpus labels it); a box of the whole button, text
    included, is taken at its left square. The indicator's edge is left out, and with it a focus
    outline Swing draws around the text just right of the indicator: a box the word path placed
    may be a pixel or two off, and the outline shows on the press, before the mark changes.
    """
    x, y, w, h = (int(v) for v in box)
    if w > 1.5 * h:
        w = max(1, int(h * 0.85))
    margin = max(1, round(min(w, h) * 0.2)) if min(w, h) >= 5 else 0
    return x + margin, y + margin, max(1, w - 2 * margin), max(1, h - 2 * margin)


def mark_energy(pixels: np.ndarray) -> float:
    """Sum of grey-level steps between neighbours: a tick or a dot adds edges to an indicator."""
    if pixels.size == 0:
        return 0.0
    grey = pixels.astype(np.float32).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).sum() + np.abs(np.diff(grey, axis=1)).sum())


def ocr_available() -> bool:
    try:
        from ibga.recognition import ocr
    except ImportError:
        return False
    return ocr.available()


def read_field(frame: np.ndarray, box: Sequence[int], pad: int = 4) -> list[str]:
    """What OCR reads in a (non-secret) field, once per scale of `OCR_SCALES`; [] without OCR."""
    if not ocr_available():
        return []
    from ibga.recognition import ocr

    x, y, w, h = (int(v) for v in box)
    around = (x - pad, y - pad, w + 2 * pad, h + 2 * pad)
    readings = []
    for scale in OCR_SCALES:
        words = ocr.read_words(frame, scale=scale, box=around, min_confidence=0)
        readings.append(" ".join(word.text for word in words))
    return readings


def read_lines(frame: np.ndarray, box: Sequence[int], scale: float = 2.0) -> list[tuple[str, Box]]:
    """The lines of text OCR reads in `box` (a list, a dialog's message), each with its box."""
    if not ocr_available():
        return []
    from ibga.recognition import ocr

    words = sorted(ocr.read_words(frame, scale=scale, box=tuple(int(v) for v in box)),
                   key=lambda word: (word.box[1], word.box[0]))
    lines: list[list] = []
    for word in words:
        centre = word.box[1] + word.box[3] / 2
        for line in lines:
            first = line[0]
            if abs(first.box[1] + first.box[3] / 2 - centre) <= max(4, first.box[3] / 2):
                line.append(word)
                break
        else:
            lines.append([word])
    out = []
    for line in lines:
        line.sort(key=lambda word: word.box[0])
        x0 = min(w.box[0] for w in line)
        y0 = min(w.box[1] for w in line)
        x1 = max(w.box[0] + w.box[2] for w in line)
        y1 = max(w.box[1] + w.box[3] for w in line)
        out.append((" ".join(w.text for w in line), (x0, y0, x1 - x0, y1 - y0)))
    return out


def find_line(frame: np.ndarray, box: Sequence[int], text: str) -> Box | None:
    """The box of the line of text reading `text` (case, spaces and punctuation aside) in `box`, or None.

    For a button whose place the recognizer could only estimate (a dialog whose width follows its
    message): its label is where it really is.
    """
    want = normal(text)
    return next((found for line, found in read_lines(frame, box) if normal(line) == want), None)


def text_of(frame: np.ndarray, box: Sequence[int]) -> str:
    """All the text OCR reads in `box`, in reading order, one line after another ("" without OCR)."""
    return " ".join(text for text, _ in read_lines(frame, box))


def warm_up() -> None:
    """Load this thread's OCR engine before the first field is read back: about half a second that
    would otherwise fall between the login window showing and the login button being clicked."""
    read_field(np.zeros((24, 48, 3), np.uint8), (4, 4, 40, 16))


MMAP_THRESHOLD = 128 * 1024
"""Allocations at least this big get their own pages, given back when freed (glibc's default threshold
grows up to 32 MB, after which the frames and OCR images of a login stay in the heap)."""


def tune_allocator() -> None:
    """Keep big temporary buffers (frames, OCR images) out of the heap, so that an idle runner holds only
    what it uses (measured: 11 MB less once logged in). glibc only; elsewhere nothing changes."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD


def release_memory() -> None:
    """Give back what reading took, once the runner has nothing to do (the idle budget is 100 MB): this
    thread's OCR engine (about 20 MB; made again when next needed) and the heap freed since, which
    glibc would otherwise keep."""
    import contextlib
    import ctypes
    import gc

    from ibga.recognition import ocr

    ocr.release()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def normal(text: str) -> str:
    """Lower-case letters, digits and colons: what field readings are compared by."""
    return "".join(c for c in text.lower() if c.isalnum() or c == ":")
