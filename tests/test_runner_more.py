"""More of the runner end to end against the replica (see test_runner_flows.py and runner_harness.py):
a gateway build the screen model was not built from (the replica's drifted look), the daily log
export, and the failures and notices that come between the login button and the main window.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pyotp
import pytest
import runner_harness
import webhook_receiver
from runner_harness import (
    LOGIN_TIMEOUT,
    PASSWORD,
    TOTP_SECRET,
    api_answers,
    assert_no_secret_anywhere,
)

from ibga.runner.handlers import failures, main_window
from ibga.runner.health import health

pytestmark = pytest.mark.display
start_runner = runner_harness.start_runner  # the fixtures
webhook = webhook_receiver.webhook


# -- another gateway build: screens read by their words ---------------------------------------


def test_paper_login_on_a_build_the_model_does_not_know(start_runner):
    scenario = {"account": "paper", "look": "drift", "username": "driftuser", "password": PASSWORD}
    runner = start_runner(scenario, {"IB_READONLY": "true"})
    status = runner.wait_status("logged_in")
    assert status["attempts_today"] == 1 and not status["last_error"]
    runner.wait_log("screens are read by their words")
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["password_matched"] and attempts[0]["username_matched"]
    assert attempts[0]["trading_mode"] == "Paper Trading"
    saved = runner.replica_settings()
    assert saved["api_port"] == str(runner.port) and saved["read_only_api"] == "true"
    assert api_answers(runner.port)
    assert_no_secret_anywhere(runner, PASSWORD, "driftuser")
    assert runner.stop() == 0


def test_live_login_with_totp_on_a_build_the_model_does_not_know(start_runner):
    password = "pw2\"'` $y"
    runner = start_runner({"account": "live", "look": "drift", "username": "driftlive", "password": password,
                           "second_factor": "totp", "totp_secret": TOTP_SECRET},
                          {"TOTP_KEY": TOTP_SECRET, "IB_REGION": "Europe", "IB_TIMEZONE": "Europe/London"})
    runner.wait_status("logged_in")
    saved = runner.replica_settings()
    assert (saved["region"], saved["time_zone"]) == ("Europe", "Europe/London")
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["trading_mode"] == "Live Trading"
    assert ("totp", "approved") in [(e.get("kind"), e.get("result")) for e in runner.events("second_factor")]
    assert api_answers(runner.port)
    assert_no_secret_anywhere(runner, password, TOTP_SECRET, pyotp.TOTP(TOTP_SECRET).now())
    assert runner.stop() == 0


# -- daily log export ----------------------------------------------------------------------------


def test_todays_and_yesterdays_logs_are_exported_once_a_day(start_runner, tmp_path):
    today = dt.datetime.now(dt.UTC).date()  # the replica's clock runs in UTC (runner_harness)
    day = {n: (today - dt.timedelta(days=n)).strftime("%Y%m%d") for n in (0, 1, 3)}

    def earlier_logs(settings_dir):
        logs = settings_dir / "replica" / "logs"
        logs.mkdir(parents=True)
        for n in (1, 3):
            for kind in ("gateway", "api"):
                (logs / f"{kind}-{day[n]}.log").write_text(f"{kind} log of {day[n]}\n")

    exported = tmp_path / "exported logs"
    env = {"IBGA_EXPORT_LOGS": "true", "IBGA_LOG_EXPORT_DIR": str(exported)}
    runner = start_runner({"account": "paper"}, env, before=earlier_logs)
    runner.wait_log("logs exported to")
    names = sorted(p.name for p in exported.iterdir())
    assert names == sorted(f"{kind}_{day[n]}.log" for kind in ("gateway", "api") for n in (0, 1))
    logs = runner.settings_dir / "replica" / "logs"
    for kind in ("gateway", "api"):
        assert (exported / f"{kind}_{day[1]}.log").read_text() == f"{kind} log of {day[1]}\n"
        copy = (exported / f"{kind}_{day[0]}.log").read_bytes()
        assert copy and (logs / f"{kind}-{day[0]}.log").read_bytes().startswith(copy), "today's, as it was"
    assert len(runner.events("export_written")) == 4
    memory = json.loads((runner.settings_dir / "ibga" / "log-export.json").read_text())
    assert memory["day"] == dt.date.today().isoformat() and len(memory["files"]) == 4
    assert runner.wait_status("logged_in")["state"] == "logged_in"
    assert runner.stop() == 0


# -- failures and notices on the way in ---------------------------------------------------------


@pytest.fixture
def short_backoff(monkeypatch):
    """Failures that are not final wait 2 s (then 4 s, ...) instead of 15 s before the next login."""
    monkeypatch.setattr(failures, "BACKOFF_S", (2.0, 300.0))


def test_too_many_failed_attempts_waits_as_long_as_the_dialog_says(start_runner):
    # Failures made elsewhere (another gateway, a person) locked the account for 20 s: the first attempt is
    # refused with "Please wait N seconds"; the runner waits that long, then logs in.
    runner = start_runner({"account": "paper", "locked_out_s": 20})
    runner.wait_log("too many failed login attempts: the gateway asks to wait")
    runner.wait_status("logged_in", timeout=LOGIN_TIMEOUT + 40)
    refused, attempts = runner.events("login_failed"), runner.events("login_attempt")
    assert [e["reason"] for e in refused] == ["locked_out"] and len(attempts) == 2
    assert attempts[1]["t"] >= refused[0]["t"] + refused[0]["wait_s"] - 1, "the next attempt must wait it out"
    assert f"the gateway asks to wait {refused[0]['wait_s']} s" in runner.log.text


def test_wrong_trading_mode_stops_after_one_attempt(start_runner):
    # A live-only username with IB_LOGINTYPE=Paper Trading: "This username is not a paper trading user.
    # Please select Live Trading." Trying again would fail alike; ibga never switches to live on its own.
    runner = start_runner({"account": "live"}, {"IB_LOGINTYPE": "Paper Trading"})
    assert runner.wait_exit(LOGIN_TIMEOUT) == 1
    assert [e["reason"] for e in runner.events("login_failed")] == ["trading_mode"]
    assert len(runner.events("login_attempt")) == 1
    assert "IB_LOGINTYPE" in runner.log.text and "not a paper trading user" in runner.log.text
    assert "trading mode" in runner.status()["last_error"]
    assert not [e for e in runner.events("click") if e.get("screen") == "login_failed"], \
        "the dialog stays on screen for a person to read"
    # started again as it was (a container restart policy): refused at once; with the right mode: logs in
    launches = len(runner.events("started"))
    again = start_runner({"account": "live"}, {"IB_LOGINTYPE": "Paper Trading"})
    assert again.wait_exit(30) == 1 and len(again.events("started")) == launches
    assert "not a paper trading user" in again.status()["last_error"]
    fixed = start_runner({"account": "live"}, {"IB_LOGINTYPE": "Live Trading"})
    fixed.wait_status("logged_in")


def test_existing_session_secondary_gives_way_then_logs_in_later(start_runner):
    scenario = {"account": "live", "existing_session": "at_login"}
    runner = start_runner(scenario, {"IBGA_EXISTING_SESSION": "secondary", "IBGA_RECONNECT_INTERVAL": "3"})
    runner.wait_log("giving way (IBGA_EXISTING_SESSION=secondary)")
    scenario["existing_session"] = "none"  # the other session has ended by the next launch
    (runner.settings_dir / "scenario.json").write_text(json.dumps(scenario))
    status = runner.wait_status("logged_in")
    clicks = [e for e in runner.events("click", previous=True)
              if e.get("screen") == "existing_session_detected"]
    assert [e["role"] for e in clicks] == ["cancel_button"]
    starts = runner.events("started", previous=True)
    assert len(starts) == 2 and starts[1]["t"] >= clicks[0]["t"] + 3, "launched again after the interval"
    assert status["attempts_today"] == 2
    assert api_answers(runner.port)


def test_existing_session_secondary_without_interval_gives_way_for_good(start_runner):
    runner = start_runner({"account": "live", "existing_session": "at_login"},
                          {"IBGA_EXISTING_SESSION": "secondary"})
    runner.wait_log("not launching the gateway again: gave way to another session")
    status = runner.wait_status("stopped")
    assert "gave way" in status["last_error"]
    assert len(runner.events("started")) == 1 and not runner.events("login_succeeded")
    assert runner.stop() == 0


def test_login_messages_are_put_off_and_the_login_resumed(start_runner):
    messages = ["Your account has a pending task.", "Please review the new market data terms."]
    runner = start_runner({"account": "live", "login_messages": messages})
    runner.wait_status("logged_in")
    roles = [e.get("role") for e in runner.events("click") if e.get("screen") == "login_messages"]
    assert roles == ["later_button_0", "later_button_1", "resume_login_button"], roles
    assert "Login Messages: 2 put off, login resumed" in runner.log.text
    assert api_answers(runner.port)


def test_server_disconnected_backs_off_then_logs_in(start_runner, short_backoff):
    runner = start_runner({"account": "live", "fault": "server_disconnected"})
    status = runner.wait_status("logged_in")
    attempts = runner.events("login_attempt")
    failed = runner.events("login_failed")
    assert [e["reason"] for e in failed] == ["server_disconnected"] and len(attempts) == 2
    assert attempts[1]["t"] >= failed[0]["t"] + 2, "the second attempt waits for the backoff"
    assert "server disconnected error; logging in again in 2 s" in runner.log.text
    assert status["attempts_today"] == 2 and runner.events("login_succeeded")
    assert api_answers(runner.port)
    assert runner.stop(LOGIN_TIMEOUT) == 0


# -- logged in: keeping watch -------------------------------------------------------------------


def test_a_frozen_api_under_a_window_that_looks_fine_is_reported(start_runner, monkeypatch, webhook):
    # heshiming/ibga#4: the gateway hung while its window still showed. The replica's API stops answering
    # 8 s after it first listens (connections are accepted, never served) and thaws 45 s later.
    monkeypatch.setattr(main_window, "API_CHECK_EVERY_S", 2.0)
    runner = start_runner({"account": "paper", "api_freeze_after_s": 8, "api_freeze_for_s": 45},
                          {"IBGA_WEBHOOK_URL": webhook.url})
    runner.wait_status("logged_in")
    pid = runner.gateway_pid()
    line = runner.wait_log("frozen gateway? !!!", timeout=60)
    assert line.startswith("WARNING") and f"port {runner.port}" in line
    assert runner.events("api_frozen") and not runner.events("api_thawed")
    status = runner.status()
    assert status["state"] == "error" and "has not answered" in status["last_error"], "not usable"
    assert webhook.wait_event("api_silent", timeout=30)["message"] == status["last_error"]
    code, report = health(runner.settings_dir / "ibga" / "status.json", runner.port)
    assert code != 0, report
    assert runner.gateway_pid() == pid, "a hung gateway is reported, not killed (that strands its session)"
    runner.wait_log("the API answers again", timeout=80)
    assert runner.events("api_thawed")
    assert runner.wait_status("logged_in", timeout=10)["last_error"] == ""
    assert webhook.wait_event("gateway_usable", timeout=30)
    assert [e["event"] for e in webhook.events()] == ["api_silent", "gateway_usable"]
    assert api_answers(runner.port)
    assert runner.stop(LOGIN_TIMEOUT) == 0


# -- a manual login: a person types the credentials, ibga keeps the session ------------------


def test_a_manual_login_is_left_to_a_person_then_kept_like_any_other(start_runner, xvfb):
    from ibga.replica import Replica
    from ibga.runner.display import Screen

    scenario = {"account": "paper", "username": "person1", "password": "their-Pw9"}
    runner = start_runner(scenario, {"IB_USERNAME": "", "IB_PASSWORD": ""})  # empty is unset, as in IBGA
    status = runner.wait_status("waiting_for_person")
    assert "manual login" in status["last_error"]
    runner.wait_log("!!! manual login: IB_USERNAME is not set")
    runner.wait_log("manual login: the login window shows: log in through VNC")
    replica = Replica(runner.settings_dir)
    replica.wait_for("login")
    time.sleep(3)  # a while with the login window in front of the runner
    touched = [e["event"] for e in runner.events() if e["event"] in ("click", "text_set", "login_attempt")]
    assert touched == [], "ibga touched the login window"
    with Screen(xvfb.display) as person:  # the person at noVNC
        for role, text in (("username", "person1"), ("password", "their-Pw9")):
            person.click(*replica.component("login", role).centre)
            person.type_text(text)
        person.click(*replica.component("login", "login_button").centre)
    status = runner.wait_status("logged_in")
    assert runner.replica_settings()["api_port"] == str(runner.port), "ibga applied the settings"
    assert api_answers(runner.port)
    attempts = runner.events("login_attempt")
    assert len(attempts) == 1 and attempts[0]["password_matched"]
    assert status["attempts_today"] == 0, "the person's login is not ibga's attempt"
