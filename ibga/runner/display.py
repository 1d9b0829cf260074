"""Grab frames from and send input to one X display.

Frames come from mss (XShmGetImage, ~0.5 ms for 1024x768) as RGB numpy arrays.
Input goes through pyautogui's XTest backend, with the quirks measured on Xvfb
fixed here rather than avoided by callers:

* pyautogui maps ``<`` to the LSGT key and adds Shift, which types ``>``;
  ``<`` is sent as Shift+comma instead.
* pyautogui silently drops characters its table does not know (é, €).
  They are typed by binding the character's keysym to a spare keycode, as
  xdotool does, without a subprocess, so a password never appears in a
  process's arguments. The binding is left in place: a client reads the
  keymap again only when it gets to the notice of the change, which can be
  long after the key was sent (a busy machine), and a binding already undone
  then makes the key mean nothing: the character was lost (`_bind_keysyms`).
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
        self._bound: dict[int, int] = {}  # keycode bound to a keysym for `type_text` -> when last used
        self._uses = 0

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

        Characters pyautogui has a key for go through pyautogui; any other (é, €, …) is
        typed through a keycode bound to its keysym (`_bind_keysyms`), all bound before
        the first key is sent. Control characters other than tab and newline are refused
        before anything is typed.
        """
        bad = [c for c in text if not c.isprintable() and c not in "\t\n"]
        if bad:
            raise ValueError(f"cannot type control character(s) {[hex(ord(c)) for c in bad]}")
        gui = self._pyautogui()
        from pyautogui import _pyautogui_x11 as x11

        keycodes = self._bind_keysyms({c for c in text if c not in "\t\n" and not x11.keyboardMapping.get(c)})
        run = []
        for char in text:
            if char not in keycodes:
                run.append(char)
                continue
            if run:
                gui.write("".join(run), interval=0)
                run = []
            self._press_keycode(keycodes[char])
        if run:
            gui.write("".join(run), interval=0)
        time.sleep(self.pause)

    def _bind_keysyms(self, chars: set[str]) -> dict[str, int]:
        """A keycode for each of `chars` that, on the server, means that character's keysym alone.

        A keycode that already means it (bound by this or an earlier connection) is used as it
        is; otherwise a spare one (no keysym) is bound, and stays bound. A client decodes a key
        with the keymap it has when it gets to the key; after a change it reads the keymap
        again when it gets to the change's notice, from the server as it is then. So a key is
        decoded right whenever the binding it was sent under is still there, however far behind
        the client is: no wait makes that true, keeping the binding does. Only when no spare
        keycode is left is a binding replaced (the least recently used one, never one needed by
        the same text): a key sent with it earlier and not yet decoded would then read as the
        new character, which callers that read back what they typed see. Bindings stay after
        `close`: the next connection on the display finds and reuses them.

        Raises
        ------
        DisplayError
            `chars` needs more keycodes than are spare or rebindable.
        """
        if not chars:
            return {}
        d = self._connection
        first = d.display.info.min_keycode
        count = d.display.info.max_keycode - first + 1
        rows = [list(row) for row in d.get_keyboard_mapping(first, count)]
        meaning = {first + i: _lone_keysym(row) for i, row in enumerate(rows)}
        spare = [code for code in range(first + count - 1, first - 1, -1) if not any(rows[code - first])]
        bound_to = {keysym: code for code, keysym in sorted(meaning.items(), reverse=True) if keysym}
        wanted = {char: _keysym_for(char) for char in sorted(chars)}
        chosen = {char: bound_to[keysym] for char, keysym in wanted.items() if keysym in bound_to}
        for char, keysym in wanted.items():
            if char in chosen:
                continue
            if spare:
                code = spare.pop(0)
            else:
                taken = set(chosen.values())
                rebindable = [c for c, k in meaning.items() if _is_character(k) and c not in taken]
                if not rebindable:
                    raise DisplayError("no spare keycode left to type a character the keyboard lacks")
                code = min(rebindable, key=lambda c: self._bound.get(c, 0))  # others' bindings first
            d.change_keyboard_mapping(code, [(keysym, keysym)])
            meaning[code] = keysym
            chosen[char] = code
        for code in chosen.values():
            self._uses += 1
            self._bound[code] = self._uses
        d.sync()
        return chosen

    def _press_keycode(self, keycode: int) -> None:
        from Xlib import X
        from Xlib.ext.xtest import fake_input

        fake_input(self._connection, X.KeyPress, keycode)
        fake_input(self._connection, X.KeyRelease, keycode)
        self._connection.sync()

    def close(self) -> None:
        if self._grabber is not None:
            self._grabber.close()
            self._grabber = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._bound.clear()  # the bindings stay on the server (see `_bind_keysyms`)

    def __enter__(self) -> Screen:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _keysym_for(char: str) -> int:
    """The X keysym of a character: Latin-1 keysyms equal the code point, others are 0x01000000+."""
    code = ord(char)
    return code if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else 0x01000000 | code


def _lone_keysym(row) -> int:
    """The keysym a keycode's keymap row means at every level it has (a binding of `_bind_keysyms`), or 0."""
    keysyms = {k for k in row if k}
    return row[0] if len(keysyms) == 1 and row[0] and row[1] == row[0] else 0


def _is_character(keysym: int) -> bool:
    """A keysym of `_keysym_for` (a character), not of a function key (BackSpace, XF86 keys)."""
    return 0x20 <= keysym <= 0x7E or 0xA0 <= keysym <= 0xFF or 0x01000100 <= keysym <= 0x0110FFFF
