"""The runner end to end: `ibga.runner.loop.run` launches the replica gateway itself, on a real Xvfb,
and logs it in by looking at the screen and typing through XTest.

The runner sees only pixels. The tests read the truth from the replica: its event log, its
saved settings, its API port (a real ib_async client), and from the runner's status file and log
(see runner_harness.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyotp
import pytest
import runner_harness
import windows_on_top
from PIL import Image
from runner_harness import (
    LOGIN_TIMEOUT,
    PASSWORD,
    TOTP_SECRET,
    api_answers,
    assert_no_secret_anywhere,
    free_port,
    logoff_in_12_hours,
)
from waiting import wait_for

pytestmark = pytest.mark.display
start_runner = runner_harness.start_runner  # the fixture
on_top = windows_on_top.on_top  # the fixture


def test_paper_login_applies_the_settings_and_a_client_connects(start_runner):
    logoff = logoff_in_12_hours()
    runner = start_runner({"account": "paper", "username": "paperuser", "password": PASSWORD},
                          {"IB_READONLY": "true", "IB_APILOG": "data", "IB_LOGOFF": logoff,
                           "IBGA_LOGOFF_MODE": "restart", "IB_LOGLEVEL": "Detail"})
    status = runner.wait_status("logged_in")
    assert status["api_port"] == runner.port and status["attempts_today"] == 1
    assert api_answers(runner.port)
    saved = runner.replica_settings()
    hours_minutes, meridiem = logoff.split()
    assert saved["api_port"] == str(runner.port)
    assert (saved["read_only_api"], saved["create_api_log"], saved["include_market_data"]) == ("true",) * 3
    assert (saved["auto_logoff_time"], saved["auto_logoff_ampm"], saved["auto_mode"]) == \
        (hours_minutes, meridiem, "restart")
    assert saved["logging_level"] == "Detail"
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["password_matched"] and attempts[0]["username_matched"]
    pid = runner.gateway_pid()
    assert Path(f"/proc/{pid}/environ").exists()
    assert_no_secret_anywhere(runner, PASSWORD, "paperuser")
    assert runner.stop() == 0
    assert runner.status()["state"] == "stopped"
    assert not Path(f"/proc/{pid}").exists(), "the gateway must be closed with the runner"


def test_live_login_with_totp(start_runner):
    password = "pw1\"'` $x"
    runner = start_runner({"account": "live", "username": "liveuser", "password": password,
                           "second_factor": "totp", "totp_secret": TOTP_SECRET},
                          {"TOTP_KEY": TOTP_SECRET.lower(), "IB_REGION": "Europe",
                           "IB_TIMEZONE": "Europe/London"})
    runner.wait_status("logged_in")
    saved = runner.replica_settings()
    assert (saved["region"], saved["time_zone"]) == ("Europe", "Europe/London")
    last = runner.events("second_factor")[-1]
    assert (last["kind"], last["result"]) == ("totp", "approved")
    assert api_answers(runner.port)
    assert_no_secret_anywhere(runner, password, TOTP_SECRET, pyotp.TOTP(TOTP_SECRET).now())
    assert runner.stop() == 0


def test_fix_ctci_login_fills_the_fix_pair(start_runner):
    # IB_LOGINTAB=FIX CTCI: the login frame shows the FIX username/password pair first (and the market data
    # pair under it); the gateway logs in with the FIX pair.
    runner = start_runner({"account": "paper", "password": PASSWORD}, {"IB_LOGINTAB": "FIX CTCI"})
    runner.wait_status("logged_in")
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["api_type"] == "FIX CTCI", attempts
    assert attempts[0]["username_matched"] and attempts[0]["password_matched"]
    assert any(e.get("role") == "api_type.fix_ctci" for e in runner.events("click"))
    assert_no_secret_anywhere(runner, PASSWORD)
    assert runner.stop(LOGIN_TIMEOUT) == 0


def test_wrong_password_is_tried_once_and_never_again(start_runner):
    runner = start_runner({"account": "paper", "password": "right"}, {"IB_PASSWORD": "wrong-one"})
    assert runner.wait_exit(LOGIN_TIMEOUT) == 1
    assert len(runner.events("login_attempt")) == 1
    assert "Invalid username or password" in runner.log.text
    status = runner.status()
    assert status["state"] == "error" and "Invalid username or password" in status["last_error"]
    # started again (a container restart policy): refused at once, without launching the gateway
    launches = len(runner.events("started"))
    again = start_runner({"account": "paper", "password": "right"}, {"IB_PASSWORD": "wrong-one"})
    assert again.wait_exit(30) == 1
    assert len(again.events("started")) == launches
    assert "refused these credentials" in again.status()["last_error"]
    assert_no_secret_anywhere(runner, "wrong-one")


def test_existing_session_primary_takes_over(start_runner):
    runner = start_runner({"account": "live", "existing_session": "at_login"},
                          {"IBGA_EXISTING_SESSION": "primary"})
    runner.wait_status("logged_in")
    assert any(e.get("role") == "continue_login_button" for e in runner.events("click"))
    assert api_answers(runner.port)


def test_existing_session_manual_is_left_to_a_person(start_runner):
    runner = start_runner({"account": "live", "existing_session": "at_login"},
                          {"IBGA_EXISTING_SESSION": "manual"})
    runner.wait_log("left for a person")
    assert "existing session" in runner.wait_status("logging_in")["last_error"]
    screens = {e.get("screen") for e in runner.events("click")}
    assert "existing_session_detected" not in screens
    assert not runner.events("login_succeeded")
    assert runner.stop() == 0


def test_push_approved_after_a_loud_message(start_runner):
    runner = start_runner({"account": "live", "second_factor": "push", "push_approve_after_s": 3})
    runner.wait_status("logged_in")
    loud = [line for line in runner.log.lines if "approve the IB Gateway login notification" in line]
    assert len(loud) == 1 and loud[0].startswith("WARNING")
    results = [(e.get("kind"), e.get("result")) for e in runner.events("second_factor")]
    assert ("push", "approved") in results


def test_device_choice_picks_the_authenticator_for_totp(start_runner):
    runner = start_runner({"account": "live", "second_factor": "devices", "totp_secret": TOTP_SECRET,
                           "devices": ["IB Key on Pixel", "Mobile Authenticator app"]},
                          {"TOTP_KEY": TOTP_SECRET})
    runner.wait_status("logged_in")
    kinds = [(e.get("kind"), e.get("result")) for e in runner.events("second_factor")]
    assert ("device_choice", "Mobile Authenticator app") in kinds and ("totp", "approved") in kinds
    assert api_answers(runner.port)


def test_crash_then_relaunch_then_login(start_runner):
    scenario = {"account": "paper", "crash_at": "authenticating", "crash_exit_code": 3}
    runner = start_runner(scenario)
    runner.wait_log("exited with code 3")
    scenario.pop("crash_at")
    (runner.settings_dir / "scenario.json").write_text(json.dumps(scenario))
    status = runner.wait_status("logged_in")
    assert status["attempts_today"] == 2
    assert len(runner.events("started", previous=True)) == 2
    assert api_answers(runner.port)


def test_unknown_screen_saves_a_masked_diagnostic_and_the_cap_holds(start_runner, on_top):
    def one_attempt_made(settings_dir: Path) -> None:
        (settings_dir / "ibga").mkdir(parents=True, exist_ok=True)
        (settings_dir / "ibga" / "logins.json").write_text(json.dumps({"attempts": [time.time() - 60]}))

    runner = start_runner({"account": "paper"}, {"IBGA_MAX_LOGINS_PER_DAY": "1"}, before=one_attempt_made)
    runner.wait_log("not logging in: IBGA_MAX_LOGINS_PER_DAY=1")
    assert runner.status()["state"] == "error"
    on_top(0, 0, 1024, 768)  # another program's window that stays above the gateway's
    runner.wait_log("unknown screen", timeout=60)
    diagnostics = runner.settings_dir / "ibga" / "diagnostics"
    png = next(diagnostics.glob("unknown-*.png"))
    info = json.loads(png.with_suffix(".json").read_text())
    assert info["recognition"]["screen"] == "unknown"
    pixels = np.asarray(Image.open(png).convert("RGB"))
    assert len(info["masked_boxes"]) >= 2  # user name and password of the login window seen before
    for x, y, w, h in info["masked_boxes"]:
        assert (pixels[y:y + h, x:x + w] == 0).all()
    assert pixels.any(), "the rest of the frame is kept"
    assert not runner.events("login_attempt")
    assert runner.stop() == 0


def test_token_expiry_logs_in_again(start_runner):
    runner = start_runner({"account": "live", "token_expiry_after_s": 15})
    runner.wait_status("logged_in")
    runner.wait_log("security tokens expired")
    wait_for(lambda: len(runner.events("login_succeeded")) == 2, LOGIN_TIMEOUT, 0.2)
    runner.wait_status("logged_in")
    assert len(runner.events("login_attempt")) == 2 and runner.events("token_expired")
    assert api_answers(runner.port)


def daily_in_15_minutes(mode: str) -> dict:
    """The replica's Lock and Exit settings for an auto `mode` ("restart" or "logoff") 15 minutes ahead:
    with clock speed 60, the warning (5 min before) after 10 s, once login and settings are done, the
    event itself at 15 s."""
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15)
    return {"auto_logoff_time": at.strftime("%I:%M"), "auto_logoff_ampm": at.strftime("%p"),
            "auto_mode": mode}


def test_daily_auto_restart_is_followed_by_a_relaunch(start_runner):
    runner = start_runner({"account": "live", "clock_speed": 60}, settings=daily_in_15_minutes("restart"))
    runner.wait_status("logged_in")
    runner.wait_log("the gateway exited with code 0 after logging in")
    wait_for(lambda: any(e.get("mode") == "autorestart" for e in runner.events("login_attempt")), 60, 0.2)
    status = runner.wait_status("logged_in")
    assert status["attempts_today"] == 1, "the gateway's own restart is not a login attempt of ours"
    assert len(runner.events("started", previous=True)) == 2
    assert api_answers(runner.port, real_clock=False)
    assert "the login window" not in runner.log.text, "the runner must let the gateway log in by itself"


def test_daily_auto_logoff_is_followed_by_a_relaunch_and_a_login(start_runner):
    # auto logoff, not restart: the gateway closes itself; the runner launches it again and logs in through
    # the login window
    runner = start_runner({"account": "paper", "clock_speed": 60}, settings=daily_in_15_minutes("logoff"))
    runner.wait_status("logged_in")
    runner.wait_log("the gateway exited with code 0 after logging in")
    wait_for(lambda: runner.status().get("attempts_today") == 2, LOGIN_TIMEOUT, 0.2)
    status = runner.wait_status("logged_in")
    assert len(runner.events("started", previous=True)) == 2
    assert [e.get("mode") for e in runner.events("login_attempt")] == [None], "a full login, by the runner"
    assert api_answers(runner.port, real_clock=False)
    assert status["attempts_today"] == 2
    assert runner.stop(LOGIN_TIMEOUT) == 0


def test_push_not_approved_then_policy_stop(start_runner):
    runner = start_runner({"account": "live", "second_factor": "push", "push_approve_after_s": None},
                          {"IBGA_PUSH_TIMEOUT": "10", "IBGA_PUSH_TIMEOUT_ACTION": "stop"})
    runner.wait_log("not approved within 10 s")
    runner.wait_log("not logging in: an IB Key notification was not approved in time")
    assert runner.wait_status("error")["last_error"].startswith("an IB Key notification")
    assert ("push", "cancelled") in [(e.get("kind"), e.get("result")) for e in runner.events("second_factor")]
    assert len(runner.events("login_attempt")) == 1
    assert runner.stop() == 0


def test_ibga_run_command_stops_cleanly_on_sigterm(replica_launcher, xvfb, tmp_path):
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "replica-settings.json").write_text(json.dumps({"api_port": str(free_port())}))
    scenario = settings_dir / "scenario.json"
    scenario.write_text(json.dumps({"account": "paper", "username": "cliuser", "password": PASSWORD}))
    port = free_port()
    env = dict(os.environ, DISPLAY=xvfb.display, IBG_REPLICA_SCENARIO=str(scenario), IB_USERNAME="cliuser",
               IB_PASSWORD=PASSWORD, IB_LOGINTYPE="Paper Trading", IBG_DIR=str(replica_launcher.parents[2]),
               IBG_SETTINGS_DIR=str(settings_dir), IBG_PORT_INTERNAL=str(port), IBG_PORT=str(free_port()))
    cli = subprocess.Popen([sys.executable, "-m", "ibga", "run"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        status_file = settings_dir / "ibga" / "status.json"
        wait_for(lambda: status_file.exists() and json.loads(status_file.read_text())["state"] == "logged_in",
                 LOGIN_TIMEOUT, 0.2)
        assert api_answers(port)
        first_event = (settings_dir / "replica" / "events.jsonl").read_text().splitlines()[0]
        gateway_pid = json.loads(first_event)["pid"]
        cli.send_signal(signal.SIGTERM)
        out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == 0, err[-2000:]
    assert json.loads(status_file.read_text())["state"] == "stopped"
    assert not Path(f"/proc/{gateway_pid}").exists()
    assert "logged in" in err and PASSWORD not in err + out and "cliuser" not in err + out
