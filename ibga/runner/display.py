"""Grab frames from and send input to one X display.

Frames come from mss (XShmGetImage, ~0.5 ms for 1024x768) as RGB numpy arrays.
Input goes through pyautogui's XTest backend, with the quirks measured on Xvfb
fixed here rather than avoided by callers:

* pyautogui maps ``<`` to the LSGT key and adds Shift, which types ``>``;
  ``<`` is sent as Shift+comma instead.
* pyautogui silently drops characters its table does not know (é, €).
  They are typed by binding the character's keysym to a spare keycode for the
  duration of one key press, as xdotool does, without a subprocess, so a
  password never appears in a process's arguments.
* with ``PAUSE`` below 0.02 s input is lost between actions; the pause is
  kept at or above that.
* ``import pyautogui`` reads ``$DISPLAY`` at import time and fails without it,
  so it is imported lazily, for the display asked for.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

MIN_PAUSE = 0.02
"""Below this pause between pyautogui actions, one run in five lost input on Xvfb."""

_pyautogui_lock = threading.Lock()


class DisplayError(RuntimeError):
    """The X display cannot be reached or driven."""


def _pyautogui_on(connection: Any, display: str) -> Any:
    """Import pyautogui and point its XTest connection at `connection` (an Xlib Display).

    pyautogui keeps one module-level X connection, opened at import; keycodes are the
    same on every Xvfb (same default keymap), so handing it each Screen's own
    connection is enough to drive several displays, one after another, from one process.
    """
    with _pyautogui_lock:
        if "pyautogui" not in sys.modules:
            previous = os.environ.get("DISPLAY")
            os.environ["DISPLAY"] = display
            try:
                import pyautogui
            except Exception as exc:  # Xlib raises several kinds at import
                raise DisplayError(f"cannot drive display {display}: {exc}") from exc
            finally:
                if previous is None:
                    os.environ.pop("DISPLAY", None)
                else:
                    os.environ["DISPLAY"] = previous
            _fix_keyboard_mapping()
        import pyautogui
        from pyautogui import _pyautogui_x11 as x11

        x11._display = connection
        pyautogui.FAILSAFE = False  # no person at this screen; a click at (0,0) is legitimate
        return pyautogui


def _fix_keyboard_mapping() -> None:
    from pyautogui import _pyautogui_x11 as x11

    # '<' is Shift+comma on a US layout; pyautogui picks LSGT+Shift, which is '>'.
    x11.keyboardMapping["<"] = x11.keyboardMapping[","]


class Screen:
    """One X display: grab frames, move, click and type.

    Parameters
    ----------
    display : str
        The X display name, e.g. ``":99"``.
    pause : float
        Seconds pyautogui waits after each action; raised to `MIN_PAUSE` if lower.
    """

    def __init__(self, display: str, pause: float = 0.03) -> None:
        self.display = display
        self.pause = max(pause, MIN_PAUSE)
        self._grabber = None
        self._connection = None  # this screen's own X connection for input

    # -- frames -----------------------------------------------------------

    def _mss(self):
        if self._grabber is None:
            import mss

            factory = getattr(mss, "MSS", None) or mss.mss
            try:
                self._grabber = factory(display=self.display)
            except Exception as exc:
                raise DisplayError(f"cannot grab display {self.display}: {exc}") from exc
        return self._grabber

    def size(self) -> tuple[int, int]:
        """(width, height) of the screen."""
        monitor = self._mss().monitors[0]
        return monitor["width"], monitor["height"]

    def grab(self, box: Sequence[int] | None = None) -> np.ndarray:
        """Return the screen, or `box` = (x, y, w, h) of it, as an HxWx3 uint8 RGB array."""
        grabber = self._mss()
        if box is None:
            region = grabber.monitors[0]
        else:
            x, y, w, h = (int(v) for v in box)
            region = {"left": x, "top": y, "width": w, "height": h}
        try:
            shot = grabber.grab(region)
        except Exception as exc:
            raise DisplayError(f"cannot grab display {self.display}: {exc}") from exc
        bgra = np.frombuffer(shot.raw, dtype=np.uint8).reshape(shot.height, shot.width, 4)
        rgb = np.empty((shot.height, shot.width, 3), dtype=np.uint8)
        rgb[..., 0] = bgra[..., 2]
        rgb[..., 1] = bgra[..., 1]
        rgb[..., 2] = bgra[..., 0]
        return rgb

    # -- input ------------------------------------------------------------

    def _pyautogui(self):
        if self._connection is None:
            from Xlib.display import Display

            try:
                self._connection = Display(self.display)
            except Exception as exc:
                raise DisplayError(f"cannot drive display {self.display}: {exc}") from exc
        gui = _pyautogui_on(self._connection, self.display)
        gui.PAUSE = self.pause
        return gui

    def move(self, x: int, y: int) -> None:
        self._pyautogui().moveTo(int(x), int(y))

    def click(self, x: int, y: int, button: str = "left", clicks: int = 1) -> None:
        """Click at (x, y); `clicks=2` double-clicks."""
        gui = self._pyautogui()  # pyautogui sleeps `interval` after the last click too: only between clicks
        gui.click(int(x), int(y), clicks=clicks, interval=0.05 if clicks > 1 else 0.0, button=button)

    def press(self, key: str, presses: int = 1) -> None:
        """Press a named key (pyautogui names: "enter", "tab", "down", "esc", ...)."""
        self._pyautogui().press(key, presses=presses)

    def hotkey(self, *keys: str) -> None:
        """Press keys together, e.g. ``hotkey("ctrl", "a")``."""
        self._pyautogui().hotkey(*keys)

    def type_text(self, text: str) -> None:
        """Type `text` into whatever has the keyboard focus.

        Printable ASCII goes through pyautogui; any other character (é, €, …) is
        typed through a temporarily bound keysym. Control characters other than
        tab and newline are refused before anything is typed.
        """
        bad = [c for c in text if not c.isprintable() and c not in "\t\n"]
        if bad:
            raise ValueError(f"cannot type control character(s) {[hex(ord(c)) for c in bad]}")
        gui = self._pyautogui()
        run = []
        for char in text:
            if char in "\t\n" or 32 <= ord(char) < 127:
                run.append(char)
                continue
            if run:
                gui.write("".join(run), interval=0)
                run = []
            self._type_keysym(_keysym_for(char))
        if run:
            gui.write("".join(run), interval=0)
        time.sleep(self.pause)

    def _type_keysym(self, keysym: int) -> None:
        from Xlib import X
        from Xlib.ext.xtest import fake_input

        d = self._connection
        spare = _spare_keycode(d)
        d.change_keyboard_mapping(spare, [(keysym, keysym)])
        d.sync()
        time.sleep(0.02)  # let the client read the new mapping before the key arrives
        fake_input(d, X.KeyPress, spare)
        fake_input(d, X.KeyRelease, spare)
        d.sync()
        time.sleep(0.03)  # and decode the key before the mapping goes away again
        d.change_keyboard_mapping(spare, [(0, 0)])
        d.sync()

    def close(self) -> None:
        if self._grabber is not None:
            self._grabber.close()
            self._grabber = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> Screen:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _keysym_for(char: str) -> int:
    """The X keysym of a character: Latin-1 keysyms equal the code point, others are 0x01000000+."""
    code = ord(char)
    return code if 0xA0 <= code <= 0xFF else 0x01000000 | code


def _spare_keycode(d) -> int:
    """A keycode with no keysym bound (the highest one), to borrow for a single key press."""
    first = d.display.info.min_keycode
    count = d.display.info.max_keycode - first + 1
    mapping = d.get_keyboard_mapping(first, count)
    for offset in range(count - 1, -1, -1):
        if not any(mapping[offset]):
            return first + offset
    raise DisplayError("no spare keycode to type a non-ASCII character")
