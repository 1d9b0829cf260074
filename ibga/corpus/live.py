"""Record a session of a real gateway into proposals for the corpus.

The replica's captures come with exact labels from its component tree; a real gateway
has none, so a live session is recorded as *proposals*: every screen that settles is
saved once to ``<root>/<source>/_proposed/<NNNN>.png`` with the label the current
recognizer proposes, for a person to accept, correct or drop (`ibga.corpus.review`).

A frame counts as settled when it has not changed for a few polls, so half-painted
windows and progress animations are not proposed. Changes of fewer than `TINY_CHANGE`
pixels do not count: a blinking caret would otherwise keep a screen from ever settling,
or propose it twice. Where such small changes were seen on a saved screen, its label
says so in ``capture.volatile`` (their boxes), so a model built from it can ignore them.

Secrets never reach a file: the boxes of password elements are painted over with one
colour before the PNG is written (DESIGN.md, "Rules that protect users").
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ibga.corpus.images import save_png

Box = tuple[int, int, int, int]
Recognizer = Callable[[np.ndarray], Any]
"""frame -> a `Recognition` or its dict (the recognition contract)."""

POLL_S = 0.2
"""Seconds between grabs: fast enough to catch a dialog that shows for a second, cheap on CPU."""
SETTLE_POLLS = 3
"""Polls without change before a frame counts as settled (0.6 s at `POLL_S`)."""
TINY_CHANGE = 30
"""Fewer differing pixels than this are not a change (a 1x18 caret blinking is 18)."""
MAX_VOLATILE_BOXES = 8

PROPOSED = "_proposed"


def changed_pixels(a: np.ndarray, b: np.ndarray) -> tuple[int, Box | None]:
    """How many pixels differ between two frames of one size, and the box around them."""
    if a.shape != b.shape:
        height, width = b.shape[:2]
        return width * height, (0, 0, width, height)
    diff = np.any(a != b, axis=2)
    count = int(np.count_nonzero(diff))
    if count == 0:
        return 0, None
    rows = np.flatnonzero(diff.any(axis=1))
    cols = np.flatnonzero(diff.any(axis=0))
    x0, y0 = int(cols[0]), int(rows[0])
    return count, (x0, y0, int(cols[-1]) - x0 + 1, int(rows[-1]) - y0 + 1)


class Settler:
    """Tell when the screen has stopped changing.

    Each polled frame is compared with the first frame of the current still run (not
    with the previous poll), so a slow change of a few pixels per poll still counts.
    """

    def __init__(self, settle_polls: int = SETTLE_POLLS, tiny: int = TINY_CHANGE) -> None:
        self.settle_polls = settle_polls
        self.tiny = tiny
        self._reference: np.ndarray | None = None
        self._still = 0

    def feed(self, frame: np.ndarray) -> np.ndarray | None:
        """Return `frame` the one time its run reaches `settle_polls` unchanged polls, else None."""
        if self._reference is None or changed_pixels(self._reference, frame)[0] >= self.tiny:
            self._reference = frame
            self._still = 0
            return None
        self._still += 1
        return frame if self._still == self.settle_polls else None


def is_secret(name: str) -> bool:
    """True for element names that hold a password (``password``, ``fix_password``, ``x.password``)."""
    last = re.split(r"[._]", name)[-1]
    return last == "password"


def mask_secrets(frame: np.ndarray, label: dict[str, Any]) -> tuple[np.ndarray, list[str]]:
    """A copy of `frame` with every password element's box filled with one colour.

    The colour is the box's most common one (the field's background), so the masked
    field looks like an empty field rather than a loud patch a model could learn.
    Returns the copy and the names masked.
    """
    out = frame.copy()
    height, width = frame.shape[:2]
    masked = []
    for name, element in sorted(label.get("elements", {}).items()):
        if not is_secret(name):
            continue
        x, y, w, h = (int(v) for v in element["box"])
        x0, y0, x1, y1 = max(0, x), max(0, y), min(width, x + w), min(height, y + h)
        if x1 <= x0 or y1 <= y0:
            continue
        region = out[y0:y1, x0:x1].reshape(-1, 3)
        colours, counts = np.unique(region, axis=0, return_counts=True)
        out[y0:y1, x0:x1] = colours[np.argmax(counts)]
        masked.append(name)
    return out, masked


def current_recognizer() -> Recognizer | None:
    """``ibga.recognition.recognize`` when the package has one, else None (propose "unknown")."""
    return getattr(importlib.import_module("ibga.recognition"), "recognize", None)


UNKNOWN = {"screen": "unknown", "score": 0.0, "window": None, "elements": {}, "state": {}, "also": []}


def propose(frame: np.ndarray, recognizer: Recognizer | None) -> tuple[dict[str, Any], str]:
    """The proposed label of `frame` and who proposed it ("recognizer" or "none")."""
    if recognizer is None:
        return json.loads(json.dumps(UNKNOWN)), "none"
    result = recognizer(frame)
    label = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return json.loads(json.dumps(label)), "recognizer"


def next_number(source_dir: Path) -> int:
    """The next free proposal number: after every proposal and every reviewed live capture."""
    numbers = [int(m.group(1)) for p in source_dir.glob("**/*.png")
               if (m := re.fullmatch(r"(?:live-)?(\d{4,})", p.stem))]
    return max(numbers, default=0) + 1


class LiveRecorder:
    """Write settled frames of one session as proposals under `root/source/_proposed/`.

    Parameters
    ----------
    root : Path
        The corpus folder (fixtures/screens).
    source : str
        The gateway's version, e.g. ``10.45.1j``: the folder the proposals belong to.
    recognizer : callable or None
        Proposes the labels; None proposes "unknown" for a person to name.
    tiny : int
        Differences of fewer pixels than this are not a new screen.
    """

    def __init__(self, root: Path, source: str, recognizer: Recognizer | None, tiny: int = TINY_CHANGE):
        self.folder = Path(root) / source / PROPOSED
        self.source = source
        self.recognizer = recognizer
        self.tiny = tiny
        self.number = next_number(Path(root) / source)
        self.written: list[Path] = []
        self._last: np.ndarray | None = None  # the last saved frame, unmasked, in memory only
        self._last_json: Path | None = None
        self._volatile: list[list[int]] = []

    def offer(self, frame: np.ndarray) -> Path | None:
        """Save a settled `frame` unless it is one colour or (almost) the last saved one."""
        if self._last is not None and changed_pixels(self._last, frame)[0] < self.tiny:
            return None
        if (frame == frame[0, 0]).all():
            return None  # nothing shown yet: no use to anyone
        label, proposed_by = propose(frame, self.recognizer)
        pixels, masked = mask_secrets(frame, label)
        number = f"{self.number:04d}"
        height, width = frame.shape[:2]
        capture: dict[str, Any] = {
            "variant": f"live-{number}",
            "screen_size": [width, height],
            "depth": 24,
            "recorded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "proposed_by": proposed_by,
        }
        if masked:
            capture["masked"] = masked
        png = self.folder / f"{number}.png"
        save_png(png, pixels)
        self._last, self._last_json, self._volatile = frame, png.with_suffix(".json"), []
        self._write_label({**label, "source": self.source, "capture": capture, "review": "pending"})
        self.number += 1
        self.written.append(png)
        return png

    def observe(self, frame: np.ndarray) -> None:
        """Note small changes against the last saved frame in its label's ``capture.volatile``."""
        if self._last is None or self._last_json is None:
            return
        count, box = changed_pixels(self._last, frame)
        if box is None or count >= self.tiny:
            return
        boxes = _add_box(self._volatile, list(box))
        if boxes == self._volatile:
            return
        self._volatile = boxes
        label = json.loads(self._last_json.read_text())
        label["capture"]["volatile"] = boxes
        self._write_label(label)

    def _write_label(self, label: dict[str, Any]) -> None:
        assert self._last_json is not None
        self._last_json.write_text(json.dumps(label, indent=1) + "\n")


def _add_box(boxes: list[list[int]], box: list[int]) -> list[list[int]]:
    """`boxes` with `box` merged into the first it touches (or added); few boxes, never nested."""
    def touches(a, b):
        return a[0] <= b[0] + b[2] and b[0] <= a[0] + a[2] and a[1] <= b[1] + b[3] and b[1] <= a[1] + a[3]

    def union(a, b):
        x0, y0 = min(a[0], b[0]), min(a[1], b[1])
        return [x0, y0, max(a[0] + a[2], b[0] + b[2]) - x0, max(a[1] + a[3], b[1] + b[3]) - y0]

    out = [list(b) for b in boxes]
    for i, other in enumerate(out):
        if touches(other, box):
            out[i] = union(other, box)
            return out
    out.append(box)
    if len(out) > MAX_VOLATILE_BOXES:
        merged = out[0]
        for other in out[1:]:
            merged = union(merged, other)
        out = [merged]
    return out


def record(display: str, root: Path, source: str, *, recognizer: Recognizer | None,
           duration: float | None = None, max_frames: int | None = None,
           stop: threading.Event | None = None, poll: float = POLL_S,
           settle_polls: int = SETTLE_POLLS, tiny: int = TINY_CHANGE,
           log: Callable[[str], None] = print) -> list[Path]:
    """Poll `display` and propose each settled screen until stopped; return the PNGs written.

    Stops when `stop` is set, after `duration` seconds, after `max_frames` proposals, or
    on Ctrl-C (KeyboardInterrupt ends the recording, it is not an error).
    """
    from ibga.runner.display import Screen

    recorder = LiveRecorder(root, source, recognizer, tiny)
    settler = Settler(settle_polls, tiny)
    deadline = None if duration is None else time.monotonic() + duration
    with Screen(display) as screen:
        try:
            next_poll = time.monotonic()
            while not (stop is not None and stop.is_set()):
                if deadline is not None and time.monotonic() >= deadline:
                    break
                if max_frames is not None and len(recorder.written) >= max_frames:
                    break
                frame = screen.grab()
                recorder.observe(frame)
                settled = settler.feed(frame)
                if settled is not None and (png := recorder.offer(settled)) is not None:
                    log(f"proposed {png}")
                next_poll += poll
                pause = next_poll - time.monotonic()
                if pause > 0:
                    (stop.wait if stop is not None else time.sleep)(pause)
                else:
                    next_poll = time.monotonic()
        except KeyboardInterrupt:
            pass
    return recorder.written


def run(display: str, root: Path, source: str, duration: float | None, max_frames: int | None) -> int:
    """``tools/capture --live``: record until Ctrl-C, SIGTERM, `duration` or `max_frames`."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    recognizer = current_recognizer()
    print(f"recording {display} into {Path(root) / source / PROPOSED} "
          f"(labels proposed by {'the recognizer' if recognizer else 'nobody: no recognizer yet'}); "
          "Ctrl-C stops", flush=True)
    written = record(display, root, source, recognizer=recognizer, duration=duration,
                     max_frames=max_frames, stop=stop, log=lambda m: print(m, flush=True))
    print(f"{len(written)} proposal{'s' if len(written) != 1 else ''} written; "
          f"review them with: tools/review {Path(root) / source}", flush=True)
    return 0
