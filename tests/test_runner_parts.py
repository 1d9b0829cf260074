"""The runner's parts that need no display: pixel reading, dialog texts, bookkeeping, the gateway's
launcher. The flows themselves are in test_runner_flows.py; secrets in logs and children in
test_secrecy.py."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest

from ibga.recognition.contract import Recognition
from ibga.runner.actions import Actor
from ibga.runner.bookkeeping import LoginBudget, RefusedCredentials
from ibga.runner.config import load_config
from ibga.runner.gateway import GatewayError, find_launcher
from ibga.runner.handlers.failures import wait_seconds
from ibga.runner.handlers.log_export import days_to_export
from ibga.runner.handlers.second_factor import best_row, is_ib_key
from ibga.runner.handlers.unknown import mask
from ibga.runner.readback import changed_pixels, count_dots, crop, indicator_box, mark_energy, same, widened


def password_field(dots: int, caret: bool = True) -> np.ndarray:
    """A dark field with a lock-like outline at the left, `dots` 5x5 white dots at a 9-px pitch, a caret."""
    field = np.full((37, 394, 3), 60, np.uint8)
    field[12:24, 11] = field[12:24, 21] = field[12, 11:22] = field[23, 11:22] = 230  # outline icon
    for n in range(dots):
        field[17:22, 40 + 9 * n: 45 + 9 * n] = 255
    if caret:
        field[10:29, 40 + 9 * dots + 2] = 255
    field[18:20, 321:323] = 200  # a faint background dot
    return field


@pytest.mark.parametrize("dots", [0, 1, 10, 33])
def test_password_dots_are_counted(dots):
    assert count_dots(password_field(dots)) == dots


def settings_checkbox(ticked: bool, focused: bool) -> np.ndarray:
    """A settings checkbox as the replica paints it (18 px high: 10x10 box at y 4, text from x 18),
    on the dark background, with the focus outline Swing draws around its text from x 16."""
    row = np.full((18, 60, 3), 80, np.uint8)
    row[4:14, 0:10] = 128
    row[5:13, 1:9] = 255
    if ticked:
        for x, y in ((2, 8), (3, 9), (4, 10), (5, 9), (6, 8), (7, 7), (8, 6)):
            row[y:y + 2, x] = 0
    if focused:
        row[0, 16:], row[17, 16:], row[:, 16], row[:, 59] = 200, 200, 200, 200
    row[7:12, 20:50:3] = 255  # a little text
    return row


@pytest.mark.parametrize("box", [(0, 4, 10, 10), (1, 5, 10, 10), (0, 0, 60, 18), (2, 0, 60, 18)],
                         ids=["indicator", "indicator a pixel off", "whole button", "whole button 2 px off"])
def test_a_tick_and_only_a_tick_changes_the_indicator(box):
    # the focus outline appears on the press, before the tick on the release: it must not look like one
    inside = indicator_box(box)

    def energy(ticked, focused):
        return mark_energy(crop(settings_checkbox(ticked, focused), inside))

    assert energy(True, False) > energy(False, False)
    assert energy(True, True) > energy(False, True)
    assert energy(False, True) == energy(False, False) and energy(True, True) == energy(True, False)
    assert same(crop(settings_checkbox(False, True), inside), crop(settings_checkbox(False, False), inside))


@pytest.mark.parametrize("text, seconds", [
    ("Too many failed login attempts. Please wait 53 seconds before attempting to re-login again.", 53),
    ("Please wait 4 minutes & 47 seconds before attempting", 287),
    ("Please wait 2 minutes before", 120),
    ("Too many failed login attempts.", None),
])
def test_lockout_wait_is_read_from_the_dialog(text, seconds):
    assert wait_seconds(text) == seconds


def test_device_rows_match_by_name_then_prefix_then_part():
    rows = [("IB Key on Pixel", (0, 0, 1, 1)), ("Mobile Authenticator app", (0, 20, 1, 1))]
    assert best_row(rows, "Mobile Authenticator app")[0] == "Mobile Authenticator app"
    assert best_row(rows, "ib key")[0] == "IB Key on Pixel"
    assert best_row(rows, "Authenticator")[0] == "Mobile Authenticator app"
    assert best_row(rows, "SMS") is None
    assert is_ib_key("IB Key") and is_ib_key(" IB Key on Pixel") and not is_ib_key("Mobile Authenticator app")


def test_login_budget_counts_the_last_24_hours_only(tmp_path):
    now = [1_000_000.0]
    budget = LoginBudget(tmp_path, limit=2, clock=lambda: now[0])
    assert budget.left() == 2
    budget.record()
    now[0] += 3600
    assert budget.record() == 2 and budget.left() == 0
    assert budget.next_allowed_in() == pytest.approx(23 * 3600)
    now[0] += 23 * 3600 + 1
    assert budget.left() == 1
    assert LoginBudget(tmp_path, limit=2, clock=lambda: now[0]).used() == 1, "kept on disk"


def config_with(password: str, tmp_path: Path):
    return load_config({"IB_USERNAME": "someone", "IB_PASSWORD": password, "IBG_SETTINGS_DIR": str(tmp_path)})


def test_refused_credentials_are_remembered_until_they_change(tmp_path):
    refused = RefusedCredentials(tmp_path)
    refused.remember(config_with("wrong-pass", tmp_path), "Invalid username or password")
    text = refused.path.read_text()
    assert "wrong-pass" not in text and "someone" not in text
    assert "Invalid username or password" in refused.refused(config_with("wrong-pass", tmp_path))
    assert refused.refused(config_with("fixed-pass", tmp_path)) is None
    assert not refused.path.exists(), "a memory of other credentials is forgotten"


def test_the_launcher_is_found_where_ibkr_installs_it(tmp_path):
    with pytest.raises(GatewayError, match="no IB Gateway launcher"):
        find_launcher(tmp_path)
    launcher = tmp_path / "Jts" / "ibgateway" / "ibgateway"
    launcher.parent.mkdir(parents=True)
    launcher.write_text("#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    assert find_launcher(tmp_path) == launcher


def test_a_diagnostic_masks_the_secret_fields():
    frame = np.full((40, 60, 3), 200, np.uint8)
    out = mask(frame, [(10, 10, 20, 5)], margin=2)
    assert (out[8:17, 8:32] == 0).all() and out[20:, :].min() == 200 and frame.min() == 200


def test_the_webhook_gets_a_post_and_its_url_is_not_logged(caplog):
    import http.server
    import json
    import threading

    from ibga.runner.config import Secret
    from ibga.runner.notify import Notifier

    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook?token=t0ps3cret"
    log = logging.getLogger("ibga.runner.test")
    try:
        with caplog.at_level(logging.INFO, logger="ibga.runner.test"):
            Notifier(Secret(url, "IBGA_WEBHOOK_URL"), log).notify("second_factor_push", "approve it").join(15)
    finally:
        server.shutdown()
    assert [(r["event"], r["message"]) for r in received] == [("second_factor_push", "approve it")]
    assert "webhook notified" in caplog.text and "t0ps3cret" not in caplog.text and url not in caplog.text


def test_changed_pixels_counts_pixels_not_channels():
    frame = np.zeros((30, 40, 3), np.uint8)
    other = frame.copy()
    other[5:7, 10:20] = 255  # 20 pixels, all three channels
    other[20, 30, 1] = 1  # one more pixel, one channel
    assert changed_pixels(frame, other) == 21 and changed_pixels(frame, frame.copy()) == 0
    assert changed_pixels(frame, frame[:20]) == 30 * 40, "another size: everything changed"


def test_a_field_is_watched_a_little_wider_than_its_box_but_not_taller():
    assert widened((336, 376, 394, 37)) == (299, 376, 468, 37)
    assert widened((10, 50, 100, 18)) == (0, 50, 134, 18), "at least 24 px, not left of the screen"
    assert widened((336, 376, 394, 37), window=(320, 70, 430, 600)) == (320, 376, 430, 37)


def test_the_latest_log_day_and_the_day_before_it_are_exported():
    rows = [("20261119", (1, 10, 60, 12)), ("2026 1123", (1, 28, 60, 12)), ("20261124", (1, 46, 60, 12)),
            ("Select date:", (1, 0, 80, 12)), ("20261399", (1, 64, 60, 12))]
    assert days_to_export(rows) == [("20261124", (1, 46, 60, 12)), ("20261123", (1, 28, 60, 12))]
    assert days_to_export([("20261119", (0, 0, 1, 1)), ("20261121", (0, 9, 1, 1))]) == \
        [("20261121", (0, 9, 1, 1))], "the day before was not logged: only the latest"
    assert days_to_export([("nothing", (0, 0, 1, 1))]) == []


class CountingWords:
    """A word path that says `screen` and counts its calls."""

    def __init__(self, screen: str):
        self.screen, self.calls = screen, 0

    def __call__(self, frame):
        self.calls += 1
        return Recognition(self.screen, 0.7, window=(0, 0, 40, 30))


def pixels_say(candidates):
    return lambda frame: Recognition("unknown", candidates[0][1], candidates=candidates)


def test_a_login_window_the_pixels_do_not_know_switches_to_reading_words():
    frame = np.full((30, 40, 3), 90, np.uint8)
    frame[10, 10] = 200
    words = CountingWords("login")
    actor = Actor(screen=None, recognize=pixels_say([("connecting_progress", 0.5), ("login", 0.2)]),
                  tolerant=words)
    assert actor.recognize(frame).screen == "unknown" and words.calls == 0, "words only when asked"
    assert actor.recognize(frame, tolerant=True).screen == "login" and actor.by_words
    blink = frame.copy()
    blink[5:20, 30] = 255  # a caret
    assert actor.recognize(blink).screen == "login" and words.calls == 1, "a caret is not worth a reading"
    assert actor.recognize(blink, settled=False).screen == "unknown", "a frame being painted is not read"
    moved = frame.copy()
    moved[:, :20] = 0
    assert actor.recognize(moved).screen == "login" and words.calls == 2


def test_a_login_window_under_a_dialog_is_not_taken_for_another_build():
    words = CountingWords("login")
    actor = Actor(screen=None, recognize=pixels_say([("login", 0.6), ("login_failed", 0.53)]), tolerant=words)
    frame = np.full((30, 40, 3), 90, np.uint8)
    frame[10, 10] = 200
    actor.recognize(frame, tolerant=True)
    assert words.calls == 1 and not actor.by_words
    assert actor.recognize(np.full((30, 40, 3), 90, np.uint8), tolerant=True).screen == "unknown", \
        "a blank screen is not read"
