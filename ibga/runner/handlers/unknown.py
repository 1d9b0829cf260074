"""A screen nobody knows: after `UNKNOWN_GRACE_S` save a diagnostic, say so once (log and webhook), touch
nothing.

The diagnostic is the frame as PNG and the recognition (with its best candidates) as JSON in
``IBG_SETTINGS_DIR/ibga/diagnostics/``. Secret fields of the last login window seen (user name,
password) and the last code field are painted black first: a dialog may cover part of the
login window, but what shows of the fields must not reach a file.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.handlers.base import WAITING, Box, Context, Handler, Outcome

UNKNOWN_GRACE_S = 5.0
MASK_MARGIN = 2


class UnknownHandler(Handler):
    screens = frozenset({"unknown"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s = ctx.session
        now = time.monotonic()
        if s.unknown_since is None:
            s.unknown_since = now
        if s.unknown_saved or ctx.frame is None or now - s.unknown_since < UNKNOWN_GRACE_S:
            return WAITING
        if readback.is_blank(ctx.frame):
            ctx.once("blank", logging.INFO, "nothing shows on the display yet")
            return WAITING
        s.unknown_saved = True
        png = save_diagnostic(ctx.diagnostics_dir, ctx.frame, recognition, s.masked_boxes)
        best = ", ".join(f"{screen} {score:.2f}" for screen, score in recognition.candidates[:3]) or "none"
        message = (f"an unknown screen has shown for {now - s.unknown_since:.0f} s: not acting on it; saved "
                   f"{png} (closest known screens: {best})")
        ctx.log.warning("!!! %s !!!", message)
        ctx.notifier.notify("unknown_screen", f"IB Gateway: {message}")
        return WAITING


def mask(frame: np.ndarray, boxes: list[Box], margin: int = MASK_MARGIN) -> np.ndarray:
    """A copy of `frame` with every box (grown by `margin`) painted black."""
    out = frame.copy()
    height, width = out.shape[:2]
    for x, y, w, h in boxes:
        x0, y0 = max(0, x - margin), max(0, y - margin)
        x1, y1 = min(width, x + w + margin), min(height, y + h + margin)
        out[y0:y1, x0:x1] = 0
    return out


def save_diagnostic(directory: Path, frame: np.ndarray, recognition: Recognition, masked: list[Box],
                    kind: str = "unknown") -> Path:
    """Write ``<kind>-<time>.png`` (masked) and ``.json`` (recognition, masked boxes); the PNG's path."""
    from PIL import Image

    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / f"{kind}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}"
    png = stem.with_suffix(".png")
    Image.fromarray(mask(frame, masked)).save(png)
    info = {"recognition": recognition.to_dict(), "masked_boxes": [list(b) for b in masked],
            "frame_size": [int(frame.shape[1]), int(frame.shape[0])]}
    stem.with_suffix(".json").write_text(json.dumps(info, indent=1) + "\n")
    return png
