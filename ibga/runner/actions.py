"""Acting on the screen with checks: settle first, act, then see that the action had its effect.

Every action here is judged by pixels, never by asking the gateway: a click on a field must
make that field change (its caret appears or blinks) before anything is typed, because keys
sent to the wrong field could put a password on screen in clear; typed text is read back
(password dots counted, other fields read by OCR: `reads_as`); a tick box is judged by
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
CARET_COLUMNS = 2
"""Widest a text caret is (px): two looks of a field that differ in no wider a band show the same text."""
CARET_BLINK_S = 0.7
"""Longest a caret stays lit or dark (Swing's blink: 0.5 s), and a little more."""


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
                  tries: int = 2, alike: bool = False) -> bool | None:
        """Focus field `name`, select what it holds (Ctrl+A), type `text` over it, check it.

        Parameters
        ----------
        verify : callable, optional
            (settled frame, field box) -> True (confirmed), False (wrong: type again) or None
            (cannot tell). The box is the recognizer's; `readback.widened` gives the field's row.
        alike : bool
            For a `verify` that reads the field by OCR (`reads_as`), which misreads: it gets a frame
            with the field's caret dark (`_caret_dark`), and a typing it did not confirm passes
            (None) when the field then looks, pixel for pixel but for the caret, as after an earlier
            typing of this call, each of the two having changed the field. A lost key is lost once,
            not the same way twice, while a misreading of the same pixels is the same: typings that
            all look different (keys lost again and again) never pass, nor do typings after which
            the field looks as before them (keys that reach no field). From the second try on, the
            field is emptied first, so that a text typed over itself changes it.

        Returns
        -------
        True when confirmed, None when it could not be checked.

        Raises
        ------
        ActionFailed
            The field did not take the focus, or no try passed. The message never holds `text`.
        """
        box = element_of(recognition, name).box
        watch = readback.widened(box, recognition.window)
        looks: list[np.ndarray] = []
        for attempt in range(tries):
            self.focus(recognition, name, probe=True)
            if alike and attempt:
                held = readback.crop(self.settle(watch), watch)
                self.hotkey("ctrl", "a")
                self.press("backspace")
                self._changes_beyond_caret(held, watch, timeout=0.5)  # no change: it was empty
            before = readback.crop(self.settle(watch), watch)
            self.hotkey("ctrl", "a")  # what is typed next replaces what the field held
            cleared = readback.crop(self.settle(watch), watch)
            self.screen.type_text(text)
            if alike:
                changed = self._changes_beyond_caret(before, watch)
            else:
                self._changed_from(cleared, watch, timeout=0.5)
            frame = self.settle(watch)
            if alike:
                frame = self._caret_dark(watch, frame)
            verdict = verify(frame, box) if verify else None
            if verdict is not False:
                return verdict
            if alike and changed:
                look = readback.crop(frame, watch)
                if any(_same_but_caret(look, seen) for seen in looks):
                    return None
                looks.append(look)
        raise ActionFailed(f"what was typed into the {name} field did not show as expected")

    def _changes_beyond_caret(self, before: np.ndarray, box, timeout: float = 1.0) -> bool:
        """Whether `box` comes to differ from `before` by more than a caret blinking or moving."""
        deadline = time.monotonic() + timeout
        while True:
            if not _same_but_caret(readback.crop(self.settle(box, timeout=0.3), box), before):
                return True
            if time.monotonic() >= deadline or self.stop.is_set():
                return False
            time.sleep(0.03)

    def _caret_dark(self, box, frame: np.ndarray) -> np.ndarray:
        """`frame`, or the next one in which the caret of the field in `box` is dark: OCR reads a lit
        caret after a text as one more character (``44610|`` as ``446109``). `frame` when nothing blinks
        within `CARET_BLINK_S`, or more than a caret changed."""
        first = readback.crop(frame, box)
        deadline = time.monotonic() + CARET_BLINK_S
        while time.monotonic() < deadline and not self.stop.is_set():
            time.sleep(0.03)
            later = self.grab()
            look = readback.crop(later, box)
            if readback.same(look, first):
                continue
            band = _caret_band(first, look)
            if band is None:
                return frame
            return later if _band_contrast(first, band) > _band_contrast(look, band) else frame
        return frame

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


def reads_as(text: str) -> Verifier:
    """A `Verifier` of a visible (not masked) field that `text` was typed into, by OCR: True when a reading
    (`readback.read_field`, at any of its scales; words beside the text, an icon's or the background's,
    aside) is `text`, else False. Use it with ``type_into(..., alike=True)``.

    OCR of a small field misreads often (``l`` as ``i``, ``8`` as ``s``, a letter dropped, nothing read
    at all: 34 of 120 correct usernames on the replica's login field, 23 of 100 in its drift look, more
    on a plain Swing field in another font), so its False does not prove the field wrong, and must not
    keep a correct text from ever being submitted: `Actor.type_into` then types it again and lets two
    alike typings pass.
    """
    want = readback.normal(text)

    def verify(frame: np.ndarray, box: tuple) -> bool:
        return bool(want) and any(want in _read_candidates(r) for r in readback.read_field(frame, box))

    return verify


def _read_candidates(reading: str) -> set[str]:
    """What a field may read as: its words (compared by `readback.normal`) and runs of neighbouring words,
    since OCR splits a text and adds words for an icon or the background beside it."""
    words = [w for w in (readback.normal(word) for word in reading.split()) if w]
    return {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _same_but_caret(a: np.ndarray, b: np.ndarray) -> bool:
    """Two looks of one field that differ at most in a caret's band (`CARET_COLUMNS`): the same text."""
    return readback.same(a, b) or _caret_band(a, b) is not None


def _caret_band(a: np.ndarray, b: np.ndarray) -> tuple[slice, slice] | None:
    """(rows, columns) where two looks of one field differ, when that is no wider than a caret; else None."""
    if a.shape != b.shape:
        return None
    differ = (a != b).any(axis=2)
    columns, rows = np.flatnonzero(differ.any(axis=0)), np.flatnonzero(differ.any(axis=1))
    if not len(columns) or columns[-1] - columns[0] >= CARET_COLUMNS:
        return None
    return slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1)


def _band_contrast(look: np.ndarray, band: tuple[slice, slice]) -> float:
    """How much a caret's band stands out from the pixels just right of it (the background after the text's
    end, where a caret stands once a text is typed): a lit caret more than a dark one."""
    rows, columns = band
    beside = min(columns.stop + 2, look.shape[1] - 1)
    return float(np.abs(look[rows, columns].astype(np.int16) - look[rows, beside:beside + 1]).mean())


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
