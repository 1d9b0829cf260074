"""Capture labelled screenshots of the replica gateway into the corpus.

A `CaptureSession` is one replica on one Xvfb in one configuration (screen size, window
position, look). Tours (`ibga.corpus.tours`) drive it through its screens with real
input and call `snap` wherever a screenshot belongs in the corpus. `snap` grabs the
frame between two reads of the replica's component tree and keeps it only when both
reads agree, so the label describes exactly the pixels saved.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ibga.corpus.images import pixel_hash, quantize_rgb565, save_png
from ibga.corpus.labels import covered_by, label_from_tree
from ibga.replica import Component, ReplicaError, ReplicaProcess
from ibga.runner.display import Screen

CLOCK_START = 1767628200  # 2026-01-05 15:50 UTC, a Monday: the replica's clock in every capture
CAPTURE_SCENARIO = {
    "caret_blink": False,  # a lit caret instead of a blinking one
    "clock_start": CLOCK_START,  # times and dates on screen repeat from run to run
    "progress_stage_ms": 1200,  # long enough to catch every stage of the progress window
}
"""Scenario fields every capture adds, so that a re-run gives the same pixels."""


@dataclass(frozen=True)
class Config:
    """Where and how the gateway is shown for one series of captures."""

    width: int
    height: int
    position: str  # "centre", "origin" or "offset-N"
    xy: tuple[int, int] | None  # the scenario's window_position; None = centred
    look: str = "standard"
    depth16: bool = True  # also save each frame quantised to RGB565

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}-{self.position}"


@dataclass
class CaptureStats:
    written: list[Path] = field(default_factory=list)
    duplicates: int = 0
    hashes: dict[str, Path] = field(default_factory=dict)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _stable(label: dict) -> dict:
    """What must not change between the two tree reads around a grab."""
    return {k: label[k] for k in ("screen", "window", "elements", "state", "also")}


class CaptureSession:
    """One replica process on one display, capturing into `root/source/`."""

    def __init__(self, root: Path, source: str, config: Config, screen: Screen,
                 replica: ReplicaProcess, scenario: dict, stats: CaptureStats):
        self.root = root
        self.source = source
        self.config = config
        self.screen = screen
        self.replica = replica
        self.scenario = scenario
        self.stats = stats
        self.occluders: list[list[int]] = []

    @classmethod
    def factory(cls, root: Path, source: str, config: Config, screen: Screen, stats: CaptureStats):
        """`make(launch, scenario)`: complete the scenario for `config` (look, window position,
        a steady caret), launch the replica with `launch(scenario)`, and wrap it in a session."""

        def make(launch, scenario: dict) -> CaptureSession:
            full = dict(CAPTURE_SCENARIO, **scenario, look=config.look)
            if config.xy is not None:
                full["window_position"] = list(config.xy)
            return cls(root, source, config, screen, launch(full), full, stats)

        return make

    # -- driving ----------------------------------------------------------------

    def wait(self, screen_id: str, timeout: float = 60.0) -> dict:
        return self.replica.wait_for(screen_id, timeout=timeout)

    def find(self, role: str, timeout: float = 5.0) -> Component:
        """A control by role in any window (menus pop up in windows of their own)."""
        deadline = time.monotonic() + timeout
        while True:
            for window in self.replica.windows():
                for c in window["components"]:
                    if c.get("role") == role and c["box"][2] > 0 and c["box"][3] > 0:
                        return Component(c["kind"], role, c.get("text", ""), tuple(c["box"]), c)
            if time.monotonic() > deadline:
                raise ReplicaError(f"no control {role!r} is showing")
            time.sleep(0.05)

    def click(self, role: str, clicks: int = 1) -> None:
        self.screen.click(*self.find(role).centre, clicks=clicks)

    def select(self, role: str) -> None:
        """Click a toggle until it reports selected (a click during a relayout can be lost)."""
        self._until(role, lambda: self.find(role)["selected"])

    def set_state(self, screen_id: str, key: str, value, role: str) -> None:
        """Click `role` until the window's state says key == value (e.g. More Options open)."""
        self._until(role, lambda: self.replica.window(screen_id)["state"].get(key) == value)

    def _until(self, role: str, done) -> None:
        for _ in range(4):
            if done():
                return
            self.click(role)
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:
                if done():
                    return
                time.sleep(0.05)
        raise ReplicaError(f"clicking {role} has no effect")

    def focus(self, role: str) -> None:
        for _ in range(3):
            self.click(role)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                if self.find(role)["focused"]:
                    return
                time.sleep(0.02)
        raise ReplicaError(f"{role} does not take the focus")

    def type_into(self, role: str, text: str) -> None:
        self.focus(role)
        self.screen.hotkey("ctrl", "a")
        self.screen.press("backspace")
        self.screen.type_text(text)

    def menu(self, menu_role: str, item_role: str) -> None:
        self.click(menu_role)
        self.click(item_role)

    def settle(self, seconds: float = 0.35) -> None:
        """Let Swing finish painting before a grab."""
        time.sleep(seconds)

    # -- capturing --------------------------------------------------------------

    def snap(self, detail: str, settle: float = 0.35, expect: str | None = None,
             expect_state: dict | None = None, volatile: Iterable[str] = ()) -> dict:
        """Grab the screen and write `<screen>/<config>-<detail>.png` (+ .json, + the 16-bit copy).

        Returns the label. `expect` and `expect_state` check the topmost screen and its state
        before anything is written. `volatile` names controls (roles, in any window) whose
        pixels and text depend on the time of the capture (clocks, log lines, moving progress) or
        on the user's configuration (a time zone, a port):
        their boxes go to ``capture.volatile`` and their text is left out of the label, so that
        a re-run gives the same label. Carets are kept lit, so they do not vary.
        """
        self.settle(settle)
        size = (self.config.width, self.config.height)
        volatile = list(volatile)

        def read():
            tree = self.replica.tree()
            label = label_from_tree(tree, size)
            for role in volatile:  # their text moves with time: not part of what must hold still
                if role in label["elements"]:
                    label["elements"][role].pop("text", None)
            return tree, label

        for _ in range(10):
            _, before = read()
            frame = self.screen.grab()
            tree, after = read()
            if _stable(before) == _stable(after):
                break
            time.sleep(0.1)
        else:
            raise ReplicaError(f"screen does not settle for {detail!r}")
        label = after
        if expect is not None and label["screen"] != expect:
            raise ReplicaError(f"expected {expect!r} on top for {detail!r}, found {label['screen']!r}")
        for key, value in (expect_state or {}).items():
            if label["state"].get(key) != value:
                found = label["state"].get(key)
                raise ReplicaError(f"expected {key}={value!r} for {detail!r}, found {found!r}")
        volatile_boxes = sorted(list(c["box"]) for window in tree["windows"]
                                for c in window["components"] if c.get("role") in volatile)
        occluded = sorted(n for n, e in label["elements"].items() if covered_by(e["box"], self.occluders))
        for name in occluded:
            del label["elements"][name]
        variant = f"{self.config.name}-{detail}"
        capture: dict[str, Any] = {
            "variant": variant,
            "screen_size": list(size),
            "depth": 24,
            "look": self.config.look,
            "window_position": self.config.position,
            "scenario": self.scenario,
        }
        if volatile_boxes:
            capture["volatile"] = volatile_boxes
        if occluded:
            capture["occluded"] = occluded
            capture["occluders"] = self.occluders
        self._write(label, capture, frame, variant)
        if self.config.depth16:
            self._write(label, {**capture, "depth": 16}, quantize_rgb565(frame), variant + "-565")
        return label

    def _write(self, label: dict, capture: dict, frame: np.ndarray, variant: str) -> None:
        folder = self.root / self.source / label["screen"]
        png = folder / f"{variant}.png"
        if png in self.stats.hashes.values():
            raise ValueError(f"{png} was already captured in this run: give the snap another name")
        h = pixel_hash(frame)
        if h in self.stats.hashes and self.stats.hashes[h] != png:
            self.stats.duplicates += 1
            return
        self.stats.hashes[h] = png
        save_png(png, frame)
        full = {**label, "source": self.source, "capture": capture}
        png.with_suffix(".json").write_text(json.dumps(full, indent=1, sort_keys=False) + "\n")
        self.stats.written.append(png)
