"""The webhook end to end: the runner against the replica, IBGA_WEBHOOK_URL pointing at a real HTTP server
(webhook_receiver.py) whose URL carries tokens. A person is told when they must act (push to approve,
refused credentials, an unknown screen), with a JSON body of event, message and time, and nothing secret
reaches the receiver, the runner's log, its files or any process.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import runner_harness
import webhook_receiver
import windows_on_top
from runner_harness import LOGIN_TIMEOUT, PASSWORD, TOTP_SECRET, assert_no_secret_anywhere
from webhook_receiver import QUERY_TOKEN, TOKEN

pytestmark = pytest.mark.display
start_runner = runner_harness.start_runner  # the fixtures
on_top = windows_on_top.on_top
webhook = webhook_receiver.webhook


def secrets_of(receiver, *more: str) -> tuple[str, ...]:
    return (*more, TOKEN, QUERY_TOKEN, receiver.url)


def test_push_to_approve_is_posted_once(start_runner, webhook):
    runner = start_runner({"account": "live", "username": "pushuser", "password": PASSWORD,
                           "second_factor": "push", "push_approve_after_s": 5},
                          {"IBGA_WEBHOOK_URL": webhook.url})
    runner.wait_status("logged_in")
    posted = webhook.wait_event("second_factor_push")
    assert "approve the IB Gateway login notification" in posted["message"]
    assert [e["event"] for e in webhook.events()] == ["second_factor_push"]
    webhook.assert_no_secret(PASSWORD, "pushuser")
    assert_no_secret_anywhere(runner, *secrets_of(webhook, PASSWORD, "pushuser"))
    assert runner.stop() == 0


def test_refused_credentials_are_posted(start_runner, webhook):
    runner = start_runner({"account": "paper", "username": "refuseduser", "password": "right"},
                          {"IB_PASSWORD": "wrong-one", "TOTP_KEY": TOTP_SECRET,
                           "IBGA_WEBHOOK_URL": webhook.url})
    assert runner.wait_exit(LOGIN_TIMEOUT) == 1
    posted = webhook.wait_event("login_refused", timeout=30)
    assert "Invalid username or password" in posted["message"]
    assert [e["event"] for e in webhook.events()] == ["login_refused"]
    webhook.assert_no_secret("wrong-one", "refuseduser", TOTP_SECRET)
    assert_no_secret_anywhere(runner, *secrets_of(webhook, "wrong-one", "refuseduser", TOTP_SECRET))


def test_an_unknown_screen_is_posted_once_with_its_diagnostic(start_runner, on_top, webhook):
    def one_attempt_made(settings_dir: Path) -> None:
        (settings_dir / "ibga").mkdir(parents=True, exist_ok=True)
        (settings_dir / "ibga" / "logins.json").write_text(json.dumps({"attempts": [time.time() - 60]}))

    # the daily cap (1, used) keeps the runner from logging in; then another program covers the screen
    runner = start_runner({"account": "paper", "username": "unknownuser", "password": PASSWORD},
                          {"IBGA_MAX_LOGINS_PER_DAY": "1", "TOTP_KEY": TOTP_SECRET,
                           "IBGA_WEBHOOK_URL": webhook.url}, before=one_attempt_made)
    runner.wait_log("not logging in: IBGA_MAX_LOGINS_PER_DAY=1")
    on_top(0, 0, 1024, 768)
    runner.wait_log("unknown screen", timeout=60)
    posted = webhook.wait_event("unknown_screen", timeout=30)
    diagnostics = runner.settings_dir / "ibga" / "diagnostics"
    [png] = diagnostics.glob("unknown-*.png")
    assert png.name in posted["message"] and "closest known screens" in posted["message"], posted
    candidates = json.loads(png.with_suffix(".json").read_text())["recognition"].get("candidates", [])
    assert all(screen in posted["message"] for screen, _ in candidates[:3]), (candidates, posted)
    time.sleep(3)  # the screen stays unknown: still one diagnostic, still one post
    assert [e["event"] for e in webhook.events()] == ["unknown_screen"]
    assert len(list(diagnostics.glob("unknown-*.png"))) == 1
    webhook.assert_no_secret(PASSWORD, "unknownuser", TOTP_SECRET)
    assert_no_secret_anywhere(runner, *secrets_of(webhook, PASSWORD, "unknownuser", TOTP_SECRET))
    assert runner.stop() == 0
