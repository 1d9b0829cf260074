"""Starting and stopping a private Xvfb."""

from __future__ import annotations

import pytest

from ibga.runner.xvfb import XvfbError, display_answers, free_display_number, start_xvfb


@pytest.mark.display
def test_start_answers_then_stop_frees_the_display():
    server = start_xvfb(640, 480, 24)
    try:
        assert display_answers(server.display)
        from Xlib.display import Display

        d = Display(server.display)
        screen = d.screen()
        assert (screen.width_in_pixels, screen.height_in_pixels, screen.root_depth) == (640, 480, 24)
        d.close()
    finally:
        server.stop()
    assert server.process.returncode is not None
    assert not display_answers(server.display)


@pytest.mark.display
def test_two_servers_get_different_displays():
    with start_xvfb() as a, start_xvfb() as b:
        assert a.display != b.display
        assert display_answers(a.display) and display_answers(b.display)


def test_missing_xvfb_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(XvfbError, match="apt-get install xvfb"):
        start_xvfb()


def test_a_display_in_use_is_not_free(xvfb):
    number = int(xvfb.display[1:])
    assert free_display_number(start=number, stop=number + 50) != number


@pytest.mark.display
def test_a_server_seen_only_on_the_abstract_socket_is_in_use(tmp_path):
    """Xvfb in another mount namespace (a chroot) leaves no file in our /tmp, only the abstract socket."""
    from pathlib import Path

    from ibga.runner.xvfb import _display_in_use

    with start_xvfb(320, 240, 24) as server:
        number = int(server.display[1:])
        socket_file = Path(f"/tmp/.X11-unix/X{number}")
        lock_file = Path(f"/tmp/.X{number}-lock")
        hidden = [(socket_file, tmp_path / "socket"), (lock_file, tmp_path / "lock")]
        for path, away in hidden:
            path.rename(away)
        try:
            assert _display_in_use(number)
            assert free_display_number(start=number, stop=number + 50) != number
        finally:
            for path, away in hidden:
                away.rename(path)
