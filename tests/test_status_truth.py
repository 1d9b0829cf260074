"""The status file, `ibga health` and the webhook agree on whether the gateway can be used: the runner
against the replica, with the settings step made to fail by another program's small window that keeps
itself on top over the spot where the settings dialog's OK button shows (tests/programs/StayOnTop.java:
below the main window, clear of the login window's controls and of the paper warning). A click on OK
then lands on that window, so the dialog never closes on OK: the settings are not applied and the API
stays on the gateway's own port, not on IBG_PORT_INTERNAL.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import runner_harness
import webhook_receiver
import windows_on_top
from runner_harness import LOGIN_TIMEOUT, PASSWORD, api_answers, assert_no_secret_anywhere
from waiting import wait_for
from webhook_receiver import QUERY_TOKEN, TOKEN

from ibga.runner.handlers import main_window
from ibga.runner.health import check

pytestmark = pytest.mark.display
start_runner = runner_harness.start_runner  # the fixtures
webhook = webhook_receiver.webhook
on_top = windows_on_top.on_top

OVER_THE_OK_BUTTON = (600, 662, 258, 58)
"""x y w h on 1024x768: the settings dialog's OK button (715,660 70x27) and around it."""


def health_of(runner):
    """`ibga health` as the container's HEALTHCHECK runs it: the status file, the port it names."""
    report = check(runner.settings_dir / "ibga" / "status.json")
    assert report.port == runner.port
    return report


def settings_dialogs(runner, previous: bool = False) -> int:
    return sum(e.get("screen") == "settings" for e in runner.events("window_shown", previous=previous))


def test_settings_never_applied_make_all_three_say_not_usable_until_they_are(start_runner, on_top, webhook,
                                                                               monkeypatch):
    monkeypatch.setattr(main_window, "SETTINGS_RETRY_S", 3.0)
    cover = on_top(*OVER_THE_OK_BUTTON)
    runner = start_runner({"account": "paper", "username": "settingsuser", "password": PASSWORD},
                          {"IBGA_WEBHOOK_URL": webhook.url})
    status = runner.wait_status("error", timeout=LOGIN_TIMEOUT + 120)
    why = status["last_error"]
    assert "not usable" in why and "settings not applied" in why and "3 tries" in why, why
    report = health_of(runner)
    assert report.exit_code == 1 and why in report.message and not report.handshake.ok, report.message
    posted = webhook.wait_event("settings_failed", timeout=30)
    assert posted["message"] == why
    loud = [line for line in runner.log.lines if line.startswith("ERROR !!!") and why in line]
    assert len(loud) == 1, runner.log.text
    # the replica's truth: three settings dialogs, none closed by OK, nothing applied, its API on its own port
    assert settings_dialogs(runner) == main_window.SETTINGS_TRIES
    assert not runner.events("settings_applied")
    assert not [e for e in runner.events("click") if e.get("role") == "ok_button"]
    own_port = int(runner.replica_settings()["api_port"])
    assert own_port != runner.port and api_answers(own_port)
    # never a loop of settings dialogs: nothing more happens while the window stays in the way
    pid = runner.gateway_pid()
    time.sleep(4 * main_window.SETTINGS_RETRY_S)
    assert settings_dialogs(runner) == main_window.SETTINGS_TRIES and runner.status()["state"] == "error"
    # the window goes; the gateway is launched again (after a crash, a daily restart): all three say usable
    cover.kill()
    cover.wait()
    os.kill(pid, signal.SIGKILL)
    runner.wait_log("launching it again")
    status = wait_for(lambda: runner.status() if runner.status().get("state") == "logged_in" and
                      runner.gateway_pid() != pid else None, LOGIN_TIMEOUT, 0.2)
    assert health_of(runner).exit_code == 0
    assert api_answers(runner.port)
    posted = webhook.wait_event("gateway_usable", timeout=30)
    assert posted["message"].startswith("IB Gateway is usable again"), posted
    assert [e["event"] for e in webhook.events()] == ["settings_failed", "gateway_usable"]
    webhook.assert_no_secret(PASSWORD, "settingsuser")
    assert_no_secret_anywhere(runner, PASSWORD, "settingsuser", TOKEN, QUERY_TOKEN, webhook.url)
    assert runner.stop() == 0


def test_a_settings_step_that_fails_once_is_tried_again_and_then_all_three_say_usable(
        start_runner, on_top, webhook, monkeypatch):
    monkeypatch.setattr(main_window, "SETTINGS_RETRY_S", 10.0)
    cover = on_top(*OVER_THE_OK_BUTTON)
    runner = start_runner({"account": "paper"}, {"IBGA_WEBHOOK_URL": webhook.url})
    runner.wait_log("trying again in 10 s (try 1 of 3)", timeout=LOGIN_TIMEOUT + 60)
    status = runner.status()
    assert status["state"] == "logging_in" and "not usable yet" in status["last_error"], status
    assert health_of(runner).exit_code == 1
    cover.kill()  # what was in the way goes before the next try (10 s: the margin is wide)
    cover.wait()
    status = runner.wait_status("logged_in")
    assert status["last_error"] == ""
    report = health_of(runner)
    assert report.exit_code == 0 and report.handshake.ok, report.message
    assert api_answers(runner.port) and runner.replica_settings()["api_port"] == str(runner.port)
    assert settings_dialogs(runner) == 2 and runner.events("settings_applied")
    assert webhook.events() == [], "nobody was told the gateway was not usable: nothing to take back"
    assert runner.stop() == 0
