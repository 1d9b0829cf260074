"""The display side against a real Xvfb and real Swing programs."""

from __future__ import annotations

import numpy as np
import pytest
from waiting import wait_for

from ibga.runner.display import Screen

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
