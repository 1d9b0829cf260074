"""The replica gateway driven through the flows of CATALOG §4 with real pyautogui input.

Controls are found through the replica's own component tree (the recognizer is tested
elsewhere); every click and keystroke goes through the X server like a person's.
Assertions read the replica's event log, its component tree and its API port.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import time

import numpy as np
import pyotp
import pytest

from ibga.corpus.labels import label_from_tree
from ibga.replica import ReplicaProcess
from ibga.runner.display import Screen

pytestmark = pytest.mark.display

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gateway(replica_launcher, xvfb, tmp_path):
    """Launch the replica with a scenario (and settings) on the test's Xvfb."""
    started: list[ReplicaProcess] = []

    def launch(scenario: dict | None = None, settings: dict | None = None, name: str = "settings"):
        settings_dir = tmp_path / name
        settings_dir.mkdir(exist_ok=True)
        merged = {"api_port": str(free_port())}
        merged.update(settings or {})
        (settings_dir / "replica-settings.json").write_text(json.dumps(merged))
        replica = ReplicaProcess(replica_launcher, settings_dir, xvfb.display, scenario)
        started.append(replica)
        return replica

    yield launch
    for replica in started:
        replica.stop()


def click(screen: Screen, replica: ReplicaProcess, window: str, role: str) -> None:
    screen.click(*replica.component(window, role).centre)


def focus(screen: Screen, replica: ReplicaProcess, window: str, role: str) -> None:
    """Click a field and wait until it has the keyboard focus (keys sent earlier go elsewhere)."""
    for _ in range(3):
        click(screen, replica, window, role)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            if replica.component(window, role)["focused"]:
                return
            time.sleep(0.02)
    raise AssertionError(f"{window}/{role} does not take the focus")


def type_into(screen: Screen, replica: ReplicaProcess, window: str, role: str, text: str) -> None:
    focus(screen, replica, window, role)
    screen.hotkey("ctrl", "a")
    screen.press("backspace")
    screen.type_text(text)


def log_in(screen, replica, username="demo", password="demo"):
    replica.wait_for("login")
    type_into(screen, replica, "login", "username", username)
    type_into(screen, replica, "login", "password", password)
    click(screen, replica, "login", "login_button")


def api_port_of(replica) -> int:
    return replica.wait_event("api_listening", timeout=60)["port"]


def api_answers(port: int) -> bool:
    from ib_async import IB

    ib = IB()
    try:
        ib.connect("127.0.0.1", port, clientId=7, timeout=10)
        now = ib.reqCurrentTime()
        return abs((now - dt.datetime.now(dt.UTC)).total_seconds()) < 30
    finally:
        ib.disconnect()


def port_closed(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def no_secret_in_events(replica, *secrets: str) -> None:
    text = replica.events_path.read_text()
    for secret in secrets:
        assert secret not in text, "a secret reached the replica's event log"


def test_paper_login_accept_warning_api_answers(gateway, screen):
    replica = gateway({"account": "paper", "username": "paperuser", "password": "s3cret<pw>"})
    window = replica.wait_for("login")
    assert window["state"]["trading_mode"] == "Paper Trading"
    assert replica.component("login", "login_button").text == "Paper Log In"
    log_in(screen, replica, "paperuser", "s3cret<pw>")
    replica.wait_for("paper_trading_warning", timeout=60)
    assert not replica.events("api_listening"), "API must wait for the warning to be accepted"
    click(screen, replica, "paper_trading_warning", "accept_button")
    replica.wait_for("main_window", timeout=30)
    port = api_port_of(replica)
    assert api_answers(port)
    assert replica.window("main_window")["state"]["api_server"] == "connected"
    attempt = replica.wait_event("login_succeeded")
    assert attempt
    password_sets = [e for e in replica.events("text_set") if e.get("role") == "password"]
    assert password_sets and password_sets[-1]["length"] == len("s3cret<pw>")
    no_secret_in_events(replica, "s3cret<pw>")


def test_live_login_with_totp(gateway, screen):
    replica = gateway({"account": "live", "username": "liveuser", "password": "pw1",
                       "second_factor": "totp", "totp_secret": TOTP_SECRET})
    log_in(screen, replica, "liveuser", "pw1")
    replica.wait_for("second_factor_totp", timeout=60)
    # A wrong code is refused and the dialog stays.
    type_into(screen, replica, "second_factor_totp", "code", "000000")
    click(screen, replica, "second_factor_totp", "ok_button")
    replica.wait_event("second_factor", result="rejected")
    replica.wait_for("second_factor_totp", top=False)
    code = pyotp.TOTP(TOTP_SECRET).now()
    if replica.top_screen() != "second_factor_totp":  # the refusal message is on top: dismiss it
        screen.press("enter")
        replica.wait_for("second_factor_totp")
    type_into(screen, replica, "second_factor_totp", "code", code)
    click(screen, replica, "second_factor_totp", "ok_button")
    replica.wait_for("main_window", timeout=60)
    assert api_answers(api_port_of(replica))
    no_secret_in_events(replica, code, TOTP_SECRET, "pw1\"")


def test_live_login_with_push_approved(gateway, screen):
    replica = gateway({"account": "live", "second_factor": "push", "push_approve_after_s": 2})
    log_in(screen, replica)
    window = replica.wait_for("second_factor_push", timeout=60)
    assert any(c.get("role") == "change_security_device" for c in window["components"])
    replica.wait_for("main_window", timeout=60)
    assert replica.wait_event("second_factor", kind="push", result="approved")


def test_push_never_approved_returns_to_login(gateway, screen):
    replica = gateway({"account": "live", "second_factor": "push", "push_approve_after_s": None,
                       "clock_speed": 60})
    log_in(screen, replica)
    replica.wait_for("second_factor_push", timeout=60)
    replica.wait_for("login", timeout=60)  # ~180 s of scenario time, sped up
    assert replica.wait_event("second_factor", kind="push", result="timeout")


def test_device_choice_then_totp(gateway, screen):
    replica = gateway({"account": "live", "second_factor": "devices", "totp_secret": TOTP_SECRET,
                       "devices": ["IB Key on Pixel", "Mobile Authenticator app"]})
    log_in(screen, replica)
    window = replica.wait_for("second_factor_device_choice", timeout=60)
    devices = next(c for c in window["components"] if c.get("role") == "device_list")
    assert devices["items"] == ["IB Key on Pixel", "Mobile Authenticator app"]
    click(screen, replica, "second_factor_device_choice", "device_list")
    screen.press("home")
    screen.press("down")  # Swing lists answer the keyboard
    deadline = time.monotonic() + 5
    while replica.component("second_factor_device_choice", "device_list")["index"] != 1:
        assert time.monotonic() < deadline, "Down did not move the list selection"
        time.sleep(0.05)
    click(screen, replica, "second_factor_device_choice", "ok_button")
    replica.wait_for("second_factor_totp", timeout=30)
    type_into(screen, replica, "second_factor_totp", "code", pyotp.TOTP(TOTP_SECRET).now())
    click(screen, replica, "second_factor_totp", "ok_button")
    replica.wait_for("main_window", timeout=60)


def test_wrong_password_shows_login_failed(gateway, screen):
    replica = gateway({"account": "paper", "password": "right"})
    log_in(screen, replica, password="wrong")
    window = replica.wait_for("login_failed", timeout=60)
    assert any("Invalid username or password" in c.get("text", "") for c in window["components"])
    failed = replica.wait_event("login_failed")
    assert "matched" not in failed or failed["matched"] is False
    click(screen, replica, "login_failed", "ok_button")
    replica.wait_for("login")
    assert len(replica.events("login_attempt")) == 1
    no_secret_in_events(replica, "wrong\"")


def test_lockout_after_failures(gateway, screen):
    replica = gateway({"account": "paper", "password": "right", "lockout_after_failures": 2,
                       "lockout_wait_s": 5})
    for _ in range(2):
        log_in(screen, replica, password="wrong")
        replica.wait_for("login_failed", timeout=60)
        click(screen, replica, "login_failed", "ok_button")
    log_in(screen, replica, password="right")
    window = replica.wait_for("too_many_failed_attempts", timeout=60)
    assert any(ch.isdigit() for c in window["components"] for ch in c.get("text", ""))
    click(screen, replica, "too_many_failed_attempts", "ok_button")
    time.sleep(5.5)
    log_in(screen, replica, password="right")
    replica.wait_for("paper_trading_warning", timeout=60)


def test_existing_session_at_login_continue(gateway, screen):
    replica = gateway({"account": "live", "existing_session": "at_login"})
    log_in(screen, replica)
    replica.wait_for("existing_session_detected", timeout=60)
    click(screen, replica, "existing_session_detected", "continue_login_button")
    replica.wait_for("main_window", timeout=60)


def test_existing_session_at_login_cancel_exits(gateway, screen):
    replica = gateway({"account": "live", "existing_session": "at_login"})
    log_in(screen, replica)
    replica.wait_for("existing_session_detected", timeout=60)
    click(screen, replica, "existing_session_detected", "cancel_button")
    replica.wait_exit(timeout=30)
    assert replica.events("exit")


def test_existing_session_mid_session_reconnect(gateway, screen):
    replica = gateway({"account": "live", "existing_session": "after_s:3"})
    log_in(screen, replica)
    replica.wait_for("main_window", timeout=60)
    port = api_port_of(replica)
    replica.wait_for("existing_session_detected", timeout=30)
    click(screen, replica, "existing_session_detected", "reconnect_button")
    replica.wait_for("main_window", timeout=30)
    assert api_answers(port)


def test_token_expiry_returns_to_login(gateway, screen):
    replica = gateway({"account": "live", "token_expiry_after_s": 3})
    log_in(screen, replica)
    replica.wait_for("main_window", timeout=60)
    port = api_port_of(replica)
    replica.wait_for("token_expired", timeout=30)
    click(screen, replica, "token_expired", "ok_button")
    replica.wait_for("login", timeout=30)
    assert port_closed(port)
    log_in(screen, replica)
    replica.wait_for("main_window", timeout=60)


def _logoff_settings(minutes_ahead: int, mode: str) -> dict:
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes_ahead)
    return {"time_zone": "UTC", "auto_logoff_time": at.strftime("%I:%M"),
            "auto_logoff_ampm": at.strftime("%p"), "auto_mode": mode}


def test_auto_logoff_at_the_set_time(gateway, screen):
    replica = gateway({"account": "live", "clock_speed": 60}, _logoff_settings(12, "logoff"))
    log_in(screen, replica)
    replica.wait_for("main_window", timeout=60)
    port = api_port_of(replica)
    replica.wait_for("exit_session_setting", timeout=30)
    replica.wait_exit(timeout=60)
    assert port_closed(port)
    assert replica.events("exit")


def test_auto_restart_relaunches_without_login(gateway, screen):
    settings = _logoff_settings(12, "restart")
    replica = gateway({"account": "live", "clock_speed": 60}, settings)
    log_in(screen, replica)
    replica.wait_for("main_window", timeout=60)
    replica.wait_exit(timeout=90)
    assert (replica.settings_dir / "autorestart").exists()
    again = gateway({"account": "live"}, name=replica.settings_dir.name)
    again.wait_for("main_window", timeout=60)  # restart mode logs in by itself
    assert not again.events("text_set")


def test_crash_at_a_stage_exits_with_the_code(gateway, screen):
    replica = gateway({"account": "paper", "crash_at": "connecting", "crash_exit_code": 3})
    log_in(screen, replica)
    assert replica.wait_exit(timeout=60) == 3


def test_keyboard_behaves_as_swing(gateway, screen):
    replica = gateway({"account": "paper"})
    replica.wait_for("login")
    focus(screen, replica, "login", "username")
    screen.press("tab")
    deadline = time.monotonic() + 3
    while not replica.component("login", "password")["focused"]:
        assert time.monotonic() < deadline, "Tab did not move the focus to the password field"
        time.sleep(0.05)
    click(screen, replica, "login", "more_options")
    deadline = time.monotonic() + 3
    while not replica.window("login")["state"].get("more_options"):
        assert time.monotonic() < deadline, "More Options did not open"
        time.sleep(0.05)
    region = replica.component("login", "region")
    assert len(region["items"]) > 1
    before = region["index"]
    focus(screen, replica, "login", "region")
    screen.press("down")
    screen.press("enter")
    deadline = time.monotonic() + 3
    while replica.component("login", "region")["index"] == before:
        assert time.monotonic() < deadline, "Down/Return did not change the combo box"
        time.sleep(0.05)
    assert replica.component("login", "region")["index"] == (before + 1) % len(region["items"])


def _menu(screen, replica, menu: str, item: str) -> None:
    click(screen, replica, "main_window", menu)
    deadline = time.monotonic() + 5
    while True:
        try:
            click(screen, replica, "main_window", item)
            return
        except Exception:
            assert time.monotonic() < deadline, f"menu item {item} did not show"
            time.sleep(0.05)


def _paper_main_window(gateway, screen, settings=None, name="settings"):
    replica = gateway({"account": "paper"}, settings, name=name)
    log_in(screen, replica)
    replica.wait_for("paper_trading_warning", timeout=60)
    click(screen, replica, "paper_trading_warning", "accept_button")
    replica.wait_for("main_window", timeout=30)
    return replica


def test_settings_applied_persist_and_move_the_api_port(gateway, screen):
    replica = _paper_main_window(gateway, screen)
    old_port = api_port_of(replica)
    _menu(screen, replica, "menu.configure", "menu.configure.settings")
    window = replica.wait_for("settings", timeout=30)
    tree = next(c for c in window["components"] if c.get("role") == "settings_tree")
    row = next(r for r in tree["items"] if r["path"].endswith("API/Settings") or r["path"].endswith("API"))
    x, y, w, h = row["box"]
    screen.click(x + w // 2, y + h // 2, clicks=2)
    deadline = time.monotonic() + 5
    while replica.window("settings")["state"].get("panel") != "API/Settings":
        assert time.monotonic() < deadline, replica.window("settings")["state"]
        time.sleep(0.05)
    new_port = free_port()
    type_into(screen, replica, "settings", "socket_port", str(new_port))
    click(screen, replica, "settings", "ok_button")
    applied = replica.wait_event("settings_applied", timeout=10)
    assert applied["changed"]["api_port"] == str(new_port)
    replica.wait_event("api_listening", timeout=10, port=new_port)
    assert api_answers(new_port)
    assert port_closed(old_port)
    replica.stop()
    saved = json.loads((replica.settings_dir / "replica-settings.json").read_text())
    assert saved["api_port"] == str(new_port)


def test_checkbox_indicators_are_where_they_are_drawn_and_take_a_click(gateway, screen):
    # The corpus labels a checkbox by its tick box, as the real gateway's labelled screenshots do (see
    # ibga.corpus.labels): the tree's indicator must be the drawn box, and a click on it must tick it.
    replica = _paper_main_window(gateway, screen)
    frame = screen.grab().astype(int)
    grey = (frame == 128).all(axis=2)  # the tick box's edge colour
    for role in ("show_log", "show_api_messages"):
        component = replica.component("main_window", role)
        x, y, w, h = component.raw["indicator"]
        cx, cy, cw, ch = component.box
        assert (w, h) == (10, 10) and cx <= x and cy <= y and x + w < cx + cw and y + h <= cy + ch
        ring = ~np.pad(np.ones((h - 2, w - 2), bool), 1)
        assert grey[y:y + h, x:x + w][ring].all(), f"{role}: the grey edge of the tick box"
        inside = (slice(y + 1, y + h - 1), slice(x + 1, x + w - 1))
        assert not grey[inside].any() and frame[inside].max() == 255, "white inside (a black tick maybe)"
        assert not grey[y - 1, x - 1:x + w + 1].any() and not grey[y:y + h, x + w].any(), "it ends there"
    label = label_from_tree(replica.tree(), (1024, 768))
    show_log = replica.component("main_window", "show_log").raw
    assert label["elements"]["show_log"]["box"] == show_log["indicator"]
    assert label["elements"]["show_log"]["text"] == "Show log"
    before = show_log["selected"]
    x, y, w, h = label["elements"]["show_log"]["box"]
    screen.click(x + w // 2, y + h // 2)
    replica.wait_event("click", role="show_log", selected=not before, timeout=10)


def test_export_logs_writes_a_real_file(gateway, screen, tmp_path):
    replica = _paper_main_window(gateway, screen)
    _menu(screen, replica, "menu.file", "menu.file.gateway_logs")
    replica.wait_for("view_logs", timeout=30)
    click(screen, replica, "view_logs", "export_button")
    replica.wait_for("export_filename_chooser", timeout=30)
    target = tmp_path / "exported-gateway.log"
    type_into(screen, replica, "export_filename_chooser", "file_name", str(target))
    click(screen, replica, "export_filename_chooser", "open_button")
    replica.wait_for("export_done_message", timeout=30)
    assert replica.wait_event("export_written")["path"] == str(target)
    assert target.exists() and target.stat().st_size > 0


def test_drift_look_same_roles_other_texts(gateway, screen):
    standard = gateway({"account": "paper"}, name="standard")
    standard_window = standard.wait_for("login")
    standard_roles = {c["role"] for c in standard_window["components"] if c.get("role")}
    standard_texts = {c["role"]: c.get("text") for c in standard_window["components"] if c.get("role")}
    standard.stop()
    drift = gateway({"account": "paper", "look": "drift"}, name="drift")
    window = drift.wait_for("login")
    assert {c["role"] for c in window["components"] if c.get("role")} >= standard_roles - {"keyboard"}
    drift_texts = {c["role"]: c.get("text") for c in window["components"] if c.get("role")}
    assert window["title"] != standard_window["title"] or drift_texts != standard_texts
    assert drift_texts["login_button"] != standard_texts["login_button"]
    moved = [r for r in standard_roles & set(drift_texts)
             if drift.component("login", r).box != tuple(next(
                 c["box"] for c in standard_window["components"] if c.get("role") == r))]
    assert moved, "the drift look must move controls"
    log_in(screen, drift)
    drift.wait_for("paper_trading_warning", timeout=60)


def test_server_disconnected_error_ok_returns_to_login(gateway, screen):
    replica = gateway({"account": "paper", "fault": "server_disconnected"})
    log_in(screen, replica)
    window = replica.wait_for("server_disconnected_error", timeout=60)
    assert any(c.get("text", "").startswith("Connection to server failed") for c in window["components"])
    click(screen, replica, "server_disconnected_error", "ok_button")
    replica.wait_for("login", timeout=30)
    assert replica.wait_event("login_failed", reason="server_disconnected")
    log_in(screen, replica)  # the fault met only the first attempt
    replica.wait_for("paper_trading_warning", timeout=60)


def test_unrecognized_credentials_ok_returns_to_login(gateway, screen):
    replica = gateway({"account": "paper", "fault": "unrecognized_credentials"})
    log_in(screen, replica)
    window = replica.wait_for("unrecognized_credentials", timeout=60)
    assert window["title"] == "Unrecognized Username or Password"
    click(screen, replica, "unrecognized_credentials", "ok_button")
    replica.wait_for("login", timeout=30)
    assert replica.wait_event("login_failed", reason="unrecognized_credentials")


def test_newer_version_available_over_login(gateway, screen):
    replica = gateway({"account": "paper", "newer_version": True})
    window = replica.wait_for("newer_version_available", timeout=30)
    assert any("Newer Version" in c.get("text", "") for c in window["components"])
    click(screen, replica, "newer_version_available", "no_button")
    replica.wait_for("login", timeout=30)
    assert replica.wait_event("newer_version", answer="no")
    log_in(screen, replica)
    replica.wait_for("paper_trading_warning", timeout=60)


def test_bid_ask_notice_holds_the_api(gateway, screen):
    replica = gateway({"account": "live", "bid_ask_notice": True})
    log_in(screen, replica)
    replica.wait_for("bid_ask_last_size_update", timeout=60)
    assert replica.component("bid_ask_last_size_update", "accept_button").text == \
        "I understand - display market data"
    time.sleep(0.5)
    assert not replica.events("api_listening"), "the API must wait for the notice"
    box = replica.component("bid_ask_last_size_update", "dont_display_again").box
    x, y, w, h = replica.component("bid_ask_last_size_update", "dont_display_again").raw["indicator"]
    assert box[0] <= x and x + w < box[0] + box[2] // 4 and 10 <= w == h <= 20, "a plain Swing tick box, left"
    screen.click(x + w // 2, y + h // 2)  # the tick box (what the corpus labels) takes the click
    replica.wait_event("click", role="dont_display_again", selected=True, timeout=10)
    click(screen, replica, "bid_ask_last_size_update", "accept_button")
    replica.wait_for("main_window", timeout=30)
    assert api_answers(api_port_of(replica))
    assert replica.wait_event("bid_ask_notice", dont_display_again=True)
    replica.stop()
    saved = json.loads((replica.settings_dir / "replica-settings.json").read_text())
    assert saved["bid_ask_notice_hidden"] == "true"


def test_reconnect_confirmation_while_logged_in(gateway, screen):
    replica = gateway({"account": "live", "reconnect_prompt_after_s": 2})
    log_in(screen, replica)
    replica.wait_for("main_window", timeout=60)
    port = api_port_of(replica)
    window = replica.wait_for("reconnect_confirmation", timeout=30)
    assert any("simulate" in c.get("text", "") for c in window["components"])
    click(screen, replica, "reconnect_confirmation", "ok_button")
    replica.wait_for("main_window", timeout=30)
    assert replica.wait_event("reconnect_confirmation", result="ok")
    assert api_answers(port)


def test_use_ssl_encryption_reconnect_continues(gateway, screen):
    replica = gateway({"account": "paper", "fault": "ssl", "look": "drift"})
    log_in(screen, replica)
    window = replica.wait_for("use_ssl_encryption", timeout=60)
    assert "Use SSL encryption" in window["title"]
    click(screen, replica, "use_ssl_encryption", "reconnect_using_ssl_button")
    replica.wait_for("paper_trading_warning", timeout=60)
    assert replica.wait_event("ssl_reconnect")


def test_tree_boxes_match_the_pixels(gateway, screen):
    """The window box from the tree is where its pixels are (windowOpened races without a WM)."""
    replica = gateway({"account": "live", "window_position": [50, 50]})
    window = replica.wait_for("login")
    assert window["box"] == [50, 50, 790, 610]
    x, y, w, h = replica.component("login", "login_button").box
    deadline = time.monotonic() + 10  # mapped is not painted: wait for the button's blue
    while True:
        frame = screen.grab().astype(int)
        r, g, b = frame[y + h // 2, x + 10]
        if b > r + 40 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    # outside the frame: Xvfb's black root; its border and title bar are drawn from (50, 50) on
    assert (frame[49, 50:840] == 0).all() and (frame[50:660, 49] == 0).all()
    assert frame[50, 50:840].sum() > 0 and frame[50:660, 50].sum() > 0
    assert (frame[660, 50:840] == 0).all() and (frame[50:660, 840] == 0).all()
    # the live login button is blue wherever its box says it is
    r, g, b = frame[y + h // 2, x + 10]
    assert b > r + 40 and b > g, (r, g, b)
    r, g, b = frame[y - 6, x + 10]  # just above it: the dark background
    assert max(r, g, b) < 90, (r, g, b)
