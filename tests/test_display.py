"""The display side against a real Xvfb and real Swing programs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from waiting import wait_for

from ibga.runner.display import DisplayError, Screen, _is_character, _lone_keysym

pytestmark = pytest.mark.display


def test_grab_is_rgb_frame_of_the_screen(screen: Screen, run_java):
    run_java("Patches")
    wait_for(lambda: tuple(screen.grab()[35, 45]) == (255, 0, 0))
    frame = screen.grab()
    assert frame.shape == (768, 1024, 3) and frame.dtype == np.uint8
    # Patches paints red, azure and green blocks inside its frame at (40, 30).
    assert (frame[30:130, 40:140] == (255, 0, 0)).all()
    assert (frame[30:130, 140:240] == (0, 128, 255)).all()
    assert (frame[130:180, 40:240] == (17, 200, 33)).all()
    # Outside it the screen is Xvfb's black root window.
    assert (frame[200:, 300:] == 0).all()


def test_grab_region_matches_full_frame(screen: Screen, run_java):
    run_java("Patches")
    wait_for(lambda: tuple(screen.grab()[35, 45]) == (255, 0, 0))
    full = screen.grab()
    part = screen.grab((90, 20, 120, 130))
    assert part.shape == (130, 120, 3)
    assert np.array_equal(part, full[20:150, 90:210])


def test_size(screen: Screen):
    assert screen.size() == (1024, 768)


def _type_and_read(screen: Screen, program, text: str) -> str:
    screen.click(400, 120)
    screen.hotkey("ctrl", "a")
    screen.press("backspace")
    screen.type_text(text)
    screen.press("enter")
    line = program.next_line(timeout=10)
    assert line.startswith("TEXT[") and line.endswith("]"), line
    return line[5:-1]


SYMBOLS = '!@#$%^&*()_+{}|:"<>?'


@pytest.mark.parametrize(
    "text",
    [
        SYMBOLS,
        "Hello World " + SYMBOLS + " end~`-=[]\\;',./",
        "  spaces  inside and around  ",
        "pass<word>",
    ],
)
def test_type_ascii_symbols_into_swing_field(screen: Screen, run_java, text: str):
    program = run_java("EchoField")
    assert _type_and_read(screen, program, text) == text


def test_type_non_ascii_into_swing_field(screen: Screen, run_java):
    program = run_java("EchoField")
    text = "café €uro ñ Ü ß"
    assert _type_and_read(screen, program, text) == text


def _focus(screen: Screen, program) -> None:
    """Click the field and see a character arrive, so keys sent next go to it."""
    assert _type_and_read(screen, program, "x") == "x"


def _typed_while_stopped(screen: Screen, program, text: str) -> str:
    """Type `text` while the program is stopped (SIGSTOP), as a client far behind its events is; read it
    back once it runs again."""
    os.kill(program.process.pid, signal.SIGSTOP)
    try:
        screen.type_text(text)
    finally:
        os.kill(program.process.pid, signal.SIGCONT)
    screen.press("enter")
    line = program.next_line(timeout=10)
    assert line.startswith("TEXT[") and line.endswith("]"), line
    return line[5:-1]


@pytest.mark.parametrize("text", ["café €uro", "ñ Ü ß", "pässwörd€", "Ωmega ∑ → ü", "é"])
def test_non_ascii_reaches_a_client_that_is_behind(screen: Screen, run_java, text: str):
    """The client decodes the keys long after they were sent: each binding must still be there then."""
    program = run_java("EchoField")
    _focus(screen, program)
    assert _typed_while_stopped(screen, program, text) == text
    assert _typed_while_stopped(screen, program, text + text) == text + text  # bindings found again


@pytest.mark.parametrize("text", [SYMBOLS, "Hello World " + SYMBOLS + " end~`-=[]\\;',./", "pass<word>"])
def test_ascii_reaches_a_client_that_is_behind(screen: Screen, run_java, text: str):
    program = run_java("EchoField")
    _focus(screen, program)
    assert _typed_while_stopped(screen, program, text) == text


def _keycodes_for_characters(display: str) -> int:
    """Keycodes `type_text` may bind: spare ones and those holding one character's keysym."""
    from Xlib.display import Display

    d = Display(display)
    try:
        first = d.display.info.min_keycode
        rows = d.get_keyboard_mapping(first, d.display.info.max_keycode - first + 1)
        return sum(1 for row in rows if not any(row) or _is_character(_lone_keysym(list(row))))
    finally:
        d.close()


GREEK_AND_CYRILLIC = "αβγδεζηθικλμνξπρστυφχψωбвгджзийклмнпрстуфхцчшщэюя"


def test_more_characters_than_keycodes_over_several_texts(xvfb, screen: Screen, run_java):
    """Bindings are reused once the spare keycodes run out, and a text that needs more keycodes than
    there are is refused before a key is sent."""
    program = run_java("EchoField")
    _focus(screen, program)
    capacity = _keycodes_for_characters(xvfb.display)
    assert 10 <= capacity < len(GREEK_AND_CYRILLIC)
    for start in range(0, len(GREEK_AND_CYRILLIC), 8):
        chunk = GREEK_AND_CYRILLIC[start:start + 8]
        assert _typed_while_stopped(screen, program, chunk) == chunk
    with pytest.raises(DisplayError, match="no spare keycode"):
        screen.type_text(GREEK_AND_CYRILLIC[:capacity + 1])
    assert _type_and_read(screen, program, "ok") == "ok"  # nothing of the refused text was typed


PYAUTOGUI_TABLE = """
import json, pyautogui
from pyautogui import _pyautogui_x11 as x11
print(json.dumps(x11.keyboardMapping))
"""


def _pyautogui_table(display: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"} | {"DISPLAY": display}
    out = subprocess.run([sys.executable, "-c", PYAUTOGUI_TABLE], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    return json.loads(out.stdout)


def test_bindings_left_behind_do_not_change_pyautogui_keys(xvfb, screen: Screen, run_java):
    """pyautogui builds its key table from the keymap when it is imported: the bindings `type_text` leaves
    on the display must not move any of its keys."""
    from ibga.runner.xvfb import start_xvfb

    program = run_java("EchoField")
    _focus(screen, program)
    assert _type_and_read(screen, program, "é€ñÜß") == "é€ñÜß"
    with start_xvfb(640, 480, 24) as fresh:
        untouched = _pyautogui_table(fresh.display)
    assert _pyautogui_table(xvfb.display) == untouched
    assert untouched["a"] and untouched["enter"]


def test_type_is_reliable_over_repeated_runs(screen: Screen, run_java):
    program = run_java("EchoField")
    for i in range(5):
        text = f"run {i}: " + SYMBOLS
        assert _type_and_read(screen, program, text) == text


def test_control_characters_are_refused_before_typing(screen: Screen):
    with pytest.raises(ValueError, match="control character"):
        screen.type_text("abc\x00def")


def test_screens_one_after_another_on_a_reused_display_number(java_classes):
    """A Screen on a new Xvfb that reuses a stopped one's number must not use the dead connection."""
    from ibga.runner.xvfb import start_xvfb

    for _ in range(2):
        with start_xvfb(640, 480, 24, number=None) as server, Screen(server.display) as s:
            s.move(10, 20)
            s.click(30, 40)
            assert s.grab().shape == (480, 640, 3)
