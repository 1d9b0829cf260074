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
CARET_PIXELS = 160
"""Changed pixels up to which a frame is taken to show what the frame before showed (a caret blinks,
a cursor moves); a typed character, a tick, a dialog change more."""
BUILD_SCREENS = frozenset({"login", "main_window"})
"""The gateway's two frames: their content is fixed, so the pixel path misses them only on another build
or when something covers them."""
OTHER_BUILD_PIXELS = 0.5
"""Pixel score under which such a frame, found by its words, has another look (measured: the drifted
replica's login 0.2 and main window 0.0) rather than a dialog over part of it (a covered login: 0.6)."""
FOCUS_WAIT_S = 0.8
"""How long a clicked field is watched for a sign of focus: longer than one caret blink (0.5 s)."""
QUICK_FOCUS_S = 0.12
"""... or, before a probe key is typed into it, for a quick sign (a caret that appears or moves)."""
PROBE_KEY = "x"
"""Typed to see which field has the focus: no secret, and nothing in the gateway's lists, combo boxes or
trees starts with it."""


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
        self.by_words = False
        """Set once the word path recognized a login or main window whose pixels the pixel path did not
        know (`OTHER_BUILD_PIXELS`): this gateway build is not the one the model was built from, so from
        then on every unknown frame is read by its words. (Dialogs whose content varies, a list of days,
        a path in a message, may need the word path on any build.)"""
        self._words_seen: tuple[np.ndarray, Recognition] | None = None

    # -- looking ------------------------------------------------------------------

    def grab(self) -> np.ndarray:
        return self.screen.grab()

    def recognize(self, frame: np.ndarray, tolerant: bool = False, settled: bool = True) -> Recognition:
        """What `frame` shows; an unknown (not blank) frame gets the slow word path too when `tolerant`
        is asked or once this gateway build is known to need it (`by_words`), unless it is not `settled`
        (a window still being painted: a few hundred milliseconds of reading for nothing).

        The word path's answer for a frame is reused for the next frames that differ from it by no
        more than a blinking caret (`CARET_PIXELS`): a wait on a new build's screen would otherwise
        read the whole screen again twice a second.
        """
        pixels = self._recognize(frame)
        if (pixels.screen != "unknown" or self._tolerant is None or not (tolerant or self.by_words)
                or not settled or readback.is_blank(frame)):
            return pixels
        seen = self._words_seen
        if seen is not None and readback.changed_pixels(seen[0], frame) <= CARET_PIXELS:
            return seen[1]
        recognition = self._tolerant(frame)
        self._words_seen = (frame, recognition)
        if (recognition.screen in BUILD_SCREENS
                and dict(pixels.candidates).get(recognition.screen, 0.0) < OTHER_BUILD_PIXELS):
            self.by_words = True
        return recognition

    def forget(self) -> None:
        """Drop the frame kept for the word path (a few MB; nothing is being waited for)."""
        self._words_seen = None

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
        """Look until `predicate(recognition)` is true; None at `timeout` or when stopping. The word path
        (`tolerant`) reads only a frame that is the same as the one before; an unknown frame it did not
        read is not shown to `predicate`."""
        deadline = time.monotonic() + timeout
        previous = None
        while not self.stop.is_set():
            frame = self.grab()
            settled = previous is not None and readback.same(previous, frame)
            recognition = self.recognize(frame, tolerant, settled=settled)
            unread = recognition.screen == "unknown" and not settled and (tolerant or self.by_words)
            if not unread and predicate(recognition):
                return frame, recognition
            if time.monotonic() >= deadline:
                return None
            previous = frame
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

    def focus(self, recognition: Recognition, name: str, tries: int = 3, probe: bool = False) -> None:
        """Click a field until its pixels show it has the focus (its caret appears, moves or blinks).

        A field that had the focus already shows no change when clicked, until its caret blinks
        (up to half a second). With `probe`, a field that shows nothing at once is sent `PROBE_KEY`,
        a harmless character that appears only in the field with the focus (the caller replaces the
        field's content next): a quick and stronger proof that keys reach this field.

        Raises
        ------
        ActionFailed
            The field never changed after `tries` clicks.
        """
        box = readback.widened(element_of(recognition, name).box, recognition.window)
        for _ in range(tries):
            before = readback.crop(self.grab(), box)
            self.click(element_of(recognition, name))
            if self._shows_focus(box, before, QUICK_FOCUS_S if probe else FOCUS_WAIT_S):
                return
            if probe:
                self.screen.type_text(PROBE_KEY)
                if self._shows_focus(box, before, FOCUS_WAIT_S):
                    return
        raise ActionFailed(f"the {name} field does not take the focus")

    def _shows_focus(self, box, before: np.ndarray, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        previous = before
        while time.monotonic() < deadline and not self.stop.is_set():
            now = readback.crop(self.grab(), box)
            if not readback.same(now, before) or not readback.same(now, previous):
                return True
            previous = now
            time.sleep(0.02)
        return False

    def type_into(self, recognition: Recognition, name: str, text: str, verify: Verifier | None = None,
                  tries: int = 2) -> bool | None:
        """Focus field `name`, select what it holds (Ctrl+A), type `text` over it, check it.

        Parameters
        ----------
        verify : callable, optional
            (settled frame, field box) -> True (confirmed), False (wrong: type again) or None
            (cannot tell). The box is the recognizer's; `readback.widened` gives the field's row.

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
        watch = readback.widened(box, recognition.window)
        for _ in range(tries):
            self.focus(recognition, name, probe=True)
            self.hotkey("ctrl", "a")  # what is typed next replaces what the field held
            cleared = readback.crop(self.settle(watch), watch)
            self.screen.type_text(text)
            self._changed_from(cleared, watch, timeout=0.5)
            frame = self.settle(watch)
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
