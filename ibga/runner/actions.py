"""Acting on the screen with checks: settle first, act, then see that the action had its effect.

Every action here is judged by pixels, never by asking the gateway: a click on a field must
make that field change (its caret appears or blinks) before anything is typed, because keys
sent to the wrong field could put a password on screen in clear; typed text is read back
(password dots counted, other fields read by OCR where possible); a tick box is judged by
comparing its two looks. Nothing here acts on an ``unknown`` screen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ibga.recognition.contract import Element, Recognition
from ibga.runner import readback
from ibga.runner.display import Screen

SETTLE_TIMEOUT_S = 1.0
FOCUS_WAIT_S = 0.8
"""How long a clicked field is watched for a sign of focus: longer than one caret blink (0.5 s)."""


class ActionFailed(RuntimeError):
    """An action did not have its effect. The message names the control, never what was typed."""


Recognizer = Callable[[np.ndarray], Recognition]
Verifier = Callable[[np.ndarray, tuple], bool | None]
"""(settled frame, field box) -> True (confirmed), False (wrong) or None (cannot tell)."""


class Actor:
    """Grabs, recognizes, clicks and types on one display, checking each step.

    Parameters
    ----------
    screen : Screen
        The display.
    recognize : callable
        frame -> Recognition (the fast path of `ibga.recognition.recognize`).
    stop : threading.Event
        Set when the runner must stop; waits end early.
    tolerant : callable, optional
        frame -> Recognition by the slow path that reads words (other values in fields, other
        builds); asked only when `recognize` says unknown and the caller allows it.
    """

    def __init__(self, screen: Screen, recognize: Recognizer, stop: threading.Event | None = None,
                 tolerant: Recognizer | None = None):
        self.screen = screen
        self._recognize = recognize
        self._tolerant = tolerant
        self.stop = stop or threading.Event()

    # -- looking ------------------------------------------------------------------

    def grab(self) -> np.ndarray:
        return self.screen.grab()

    def recognize(self, frame: np.ndarray, tolerant: bool = False) -> Recognition:
        """What `frame` shows; with `tolerant`, an unknown (not blank) frame gets the slow path too."""
        recognition = self._recognize(frame)
        if (tolerant and self._tolerant is not None and recognition.screen == "unknown"
                and not readback.is_blank(frame)):
            recognition = self._tolerant(frame)
        return recognition

    def settle(self, box=None, timeout: float = SETTLE_TIMEOUT_S, interval: float = 0.03) -> np.ndarray:
        """A frame taken once two grabs in a row show `box` (default: all) unchanged, or at `timeout`."""
        deadline = time.monotonic() + timeout
        frame = self.grab()
        while True:
            time.sleep(interval)
            following = self.grab()
            if box is None:
                if readback.same(frame, following):
                    return following
            elif readback.same(readback.crop(frame, box), readback.crop(following, box)):
                return following
            frame = following
            if time.monotonic() >= deadline:
                return frame

    def look(self, box=None, tolerant: bool = False) -> tuple[np.ndarray, Recognition]:
        """A settled frame and what it shows."""
        frame = self.settle(box)
        return frame, self.recognize(frame, tolerant)

    def wait_for(self, predicate: Callable[[Recognition], Any], timeout: float, interval: float = 0.1,
                 tolerant: bool = False) -> tuple[np.ndarray, Recognition] | None:
        """Look until `predicate(recognition)` is true; None at `timeout` or when stopping."""
        deadline = time.monotonic() + timeout
        while not self.stop.is_set():
            frame = self.grab()
            recognition = self.recognize(frame, tolerant)
            if predicate(recognition):
                return frame, recognition
            if time.monotonic() >= deadline:
                return None
            self.stop.wait(interval)
        return None

    def wait_gone(self, recognition: Recognition, timeout: float) -> tuple[np.ndarray, Recognition] | None:
        """Wait until the screen of `recognition` is no longer the one needing action."""
        return self.wait_for(lambda r: r.screen != recognition.screen, timeout)

    def sleep(self, seconds: float) -> bool:
        """Sleep unless stopping; False when the runner is stopping."""
        return not self.stop.wait(max(0.0, seconds))

    # -- acting -------------------------------------------------------------------

    def click(self, target: Element | tuple[int, int], clicks: int = 1) -> None:
        x, y = target.centre if isinstance(target, Element) else target
        self.screen.click(x, y, clicks=clicks)

    def press(self, key: str, presses: int = 1) -> None:
        self.screen.press(key, presses=presses)

    def hotkey(self, *keys: str) -> None:
        self.screen.hotkey(*keys)

    def click_and_wait(self, recognition: Recognition, name: str, timeout: float = 5.0) -> bool:
        """Click element `name` and wait for its screen to go; False when it stays."""
        element = element_of(recognition, name)
        self.click(element)
        return self.wait_gone(recognition, timeout) is not None

    def focus(self, recognition: Recognition, name: str, tries: int = 3) -> None:
        """Click a field until its pixels show it has the focus (its caret appears, moves or blinks).

        Raises
        ------
        ActionFailed
            The field never changed after `tries` clicks.
        """
        box = element_of(recognition, name).box
        for _ in range(tries):
            before = readback.crop(self.grab(), box)
            self.click(element_of(recognition, name))
            deadline = time.monotonic() + FOCUS_WAIT_S
            previous = before
            while time.monotonic() < deadline and not self.stop.is_set():
                now = readback.crop(self.grab(), box)
                if not readback.same(now, before) or not readback.same(now, previous):
                    return
                previous = now
                time.sleep(0.02)
        raise ActionFailed(f"the {name} field does not take the focus")

    def type_into(self, recognition: Recognition, name: str, text: str, verify: Verifier | None = None,
                  tries: int = 2) -> bool | None:
        """Focus field `name`, clear it (Ctrl+A, Backspace), type `text`, check it.

        Parameters
        ----------
        verify : callable, optional
            (settled frame, field box) -> True (confirmed), False (wrong: type again) or None
            (cannot tell).

        Returns
        -------
        True when confirmed, None when it could not be checked.

        Raises
        ------
        ActionFailed
            The field did not take the focus, or `verify` said False on every try. The message
            never holds `text`.
        """
        box = element_of(recognition, name).box
        for _ in range(tries):
            self.focus(recognition, name)
            self.hotkey("ctrl", "a")
            self.press("backspace")
            cleared = readback.crop(self.settle(box), box)
            self.screen.type_text(text)
            self._changed_from(cleared, box, timeout=0.5)
            frame = self.settle(box)
            verdict = verify(frame, box) if verify else None
            if verdict is not False:
                return verdict
        raise ActionFailed(f"what was typed into the {name} field did not show as expected")

    def set_checkbox(self, recognition: Recognition, name: str, want: bool) -> None:
        """Make checkbox `name` ticked or not, whatever it was: toggle once, compare both looks.

        Raises
        ------
        ActionFailed
            The click did not change the box, or the second click did not bring it back.
        """
        element = element_of(recognition, name)
        indicator = readback.indicator_box(element.box)
        first = readback.crop(self.settle(indicator), indicator)
        self.click(element)
        second = self._changed_from(first, indicator)
        if second is None:
            raise ActionFailed(f"clicking {name} did not change it")
        ticked_now = readback.mark_energy(second) > readback.mark_energy(first)
        if ticked_now == want:
            return
        self.click(element)
        third = self._changed_from(second, indicator)
        if third is None or (readback.mark_energy(third) > readback.mark_energy(second)) != want:
            raise ActionFailed(f"clicking {name} again did not bring it back")

    def choose_radio(self, recognition: Recognition, name: str, others: list[str]) -> None:
        """Click radio button `name`, then check that its dot is the one drawn among `others`.

        Raises
        ------
        ActionFailed
            After the click another button of the group still looks more marked.
        """
        element = element_of(recognition, name)
        indicator = readback.indicator_box(element.box)
        before = readback.crop(self.settle(indicator), indicator)
        self.click(element)
        self._changed_from(before, indicator, timeout=0.5)  # no change: it was chosen already
        frame = self.settle()
        mine = readback.mark_energy(readback.crop(frame, indicator))
        for other in others:
            if other in recognition.elements:
                box = readback.indicator_box(recognition.elements[other].box)
                if readback.mark_energy(readback.crop(frame, box)) >= mine:
                    raise ActionFailed(f"{name} does not look chosen after the click ({other} does)")

    def choose_in_combo(self, recognition: Recognition, name: str, value: str) -> bool | None:
        """Make combo box `name` show `value`: open it, type the start of the value, close it.

        A non-editable Swing combo selects the first row starting with what is typed. Typing
        stops before the first space (a space toggles the list) and the list is closed with a
        second click, not Return (Return on a closed combo presses the window's default button:
        on the login frame, Log In). True when OCR reads `value` after, None when it cannot
        tell, False when it reads something else.
        """
        element = element_of(recognition, name)
        box = element.box
        if _reads(readback.read_field(self.settle(box), box), value):
            return True
        self.click(element)
        self.settle()
        self.screen.type_text(value.split(" ", 1)[0])
        self.settle()
        self.click(element)
        readings = readback.read_field(self.settle(), box)
        if _reads(readings, value):
            return True
        return False if any(readings) else None

    def _changed_from(self, before: np.ndarray, box, timeout: float = 1.0) -> np.ndarray | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = readback.crop(self.settle(box, timeout=0.3), box)
            if not readback.same(now, before):
                return now
            time.sleep(0.03)
        return None


def _reads(readings: list[str], value: str) -> bool:
    return any(readback.normal(r) == readback.normal(value) for r in readings)


def element_of(recognition: Recognition, name: str) -> Element:
    """Element `name` of a recognized screen.

    Raises
    ------
    ActionFailed
        The screen is unknown (never act on it) or has no such element.
    """
    if recognition.screen == "unknown":
        raise ActionFailed(f"refusing to act on an unknown screen (wanted {name})")
    element = recognition.elements.get(name)
    if element is None:
        raise ActionFailed(f"{recognition.screen} shows no {name}")
    return element
