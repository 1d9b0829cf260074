"""Tours: drive the replica through its screens and snap each state worth a corpus entry.

Each tour takes a `start(scenario, settings=None)` that launches a fresh replica in the
current configuration and returns its `CaptureSession`. Tours use only real input
(clicks and keys through the X server), like the runner will.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable

import pyotp

from ibga.corpus.capture import CLOCK_START, CaptureSession, slug
from ibga.replica import ReplicaError

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LOG = ["log_area"]  # the main window's log: lines carry the time they were written
USER_VALUES = ["time_zone", "region", "socket_port", "auto_logoff_time", "logging_level", "master_client_id"]
"""Settings fields showing each user's own configuration: no anchor of the model may rest on them."""
Start = Callable[..., CaptureSession]


def log_in(s: CaptureSession, username: str = "demo", password: str = "demo") -> None:
    s.type_into("username", username)
    s.type_into("password", password)
    s.click("login_button")


def snap_progress(s: CaptureSession, until: str, prefix: str, timeout: float = 60.0) -> None:
    """Snap connecting_progress once per title it shows, until `until` is on top."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        top = s.replica.windows()[0]
        if top["screen"] == until:
            return
        if top["screen"] == "connecting_progress" and top["title"] not in seen:
            seen.add(top["title"])
            # the title may move on while grabbing: then the next one is snapped instead
            with contextlib.suppress(ReplicaError):
                s.snap(f"{prefix}-{slug(top['title'])}", settle=0.4, expect="connecting_progress",
                       expect_state={"stage": top["title"]}, volatile=["progress"])
        time.sleep(0.02)
    raise ReplicaError(f"{until!r} did not show after the progress window")


def tour_login(start: Start) -> None:
    """The login frame in its states, both schemes, both API types, More Options."""
    s = start({"account": "paper"})
    s.wait("login")
    s.snap("paper-ibapi-empty", expect="login")
    s.focus("username")
    s.snap("paper-ibapi-focused", expect="login")
    s.screen.type_text("demo")
    s.snap("paper-ibapi-username")
    s.type_into("password", "demo")
    s.snap("paper-ibapi-typed")
    s.select("api_type.fix_ctci")
    s.snap("paper-fixctci")
    s.select("trading_mode.live")
    s.snap("live-fixctci")
    s.select("api_type.ib_api")
    s.snap("live-ibapi-typed")
    s.set_state("login", "more_options", True, "more_options")
    s.snap("live-ibapi-more-options")
    s.set_state("login", "more_options", False, "more_options")
    s.select("trading_mode.paper")
    s.set_state("login", "more_options", True, "more_options")
    s.snap("paper-ibapi-more-options")
    s.replica.stop()

    s = start({"account": "live"})
    s.wait("login")
    s.snap("live-ibapi-empty", expect="login")
    s.select("api_type.fix_ctci")
    s.snap("live-fixctci-empty")
    s.replica.stop()


def tour_paper(start: Start, with_other_window: Callable[[CaptureSession], None] | None = None) -> None:
    """Paper login to the main window, then the main window's dialogs and menus.

    With `with_other_window`, another application's window is put partly over the gateway
    first, and the tour stops at the main window.
    """
    prefix = "paper" if with_other_window is None else "paper-other-window"
    s = start({"account": "paper"})
    s.wait("login")
    if with_other_window is not None:
        with_other_window(s)
        s.snap(f"{prefix}-ibapi", expect="login")
    log_in(s)
    snap_progress(s, "paper_trading_warning", f"{prefix}-progress")
    s.snap(prefix, expect="paper_trading_warning")
    s.click("accept_button")
    s.wait("main_window")
    s.snap(prefix, expect="main_window")
    if with_other_window is not None:
        return
    s.click("show_log")
    s.snap("paper-show-log", expect="main_window", volatile=LOG)
    s.click("show_api_messages")
    s.snap("paper-show-log-api", expect="main_window", volatile=LOG)
    tour_settings(s, "paper")
    tour_logs(s, "paper")
    s.menu("menu.help", "menu.help.about")
    s.wait("about_gateway")
    s.snap("paper", expect="about_gateway", volatile=LOG)
    s.click("ok_button")
    s.menu("menu.file", "menu.file.close")
    s.wait("exit_confirmation")
    s.snap("paper", expect="exit_confirmation", volatile=LOG)
    s.click("yes_button")
    s.wait("shutdown_progress", timeout=20)
    s.snap("paper-file-close", settle=0.05, expect="shutdown_progress",
           volatile=LOG + ["shutdown_progress_bar"])
    s.replica.wait_exit(timeout=60)


def _settings_panel(s: CaptureSession) -> str:
    return s.replica.window("settings")["state"].get("panel", "")


def _walk_settings_tree(s: CaptureSession, visit: Callable[[str], bool], steps: int = 40) -> None:
    """Walk the settings tree from its top with the keyboard (Right opens a folder, Down moves on),
    calling `visit(panel)` on each new panel until it returns True or the tree ends."""
    rows = s.find("settings_tree")["items"]
    x, y, w, h = rows[0]["box"]
    s.screen.click(x + w // 2, y + h // 2)
    s.screen.press("home")
    seen: set[str] = set()
    for _ in range(steps):
        s.settle(0.25)
        panel = _settings_panel(s)
        if panel not in seen:
            seen.add(panel)
            if visit(panel):
                return
        selected = next((r for r in s.find("settings_tree")["items"] if r["selected"]), None)
        if selected is not None and not selected["expanded"]:
            s.screen.press("right")
            s.settle(0.15)
        before = [r["path"] for r in s.find("settings_tree")["items"] if r["selected"]]
        s.screen.press("down")
        s.settle(0.15)
        after = [r["path"] for r in s.find("settings_tree")["items"] if r["selected"]]
        if after == before and _settings_panel(s) in seen:
            return  # the last row


def tour_settings(s: CaptureSession, prefix: str) -> None:
    """Every page of Configure > Settings, then the notice after Apply in restart mode."""
    s.menu("menu.configure", "menu.configure.settings")
    s.wait("settings")

    def snap_panel(panel: str) -> bool:
        s.snap(f"{prefix}-{slug(panel)}", expect="settings", volatile=USER_VALUES)
        return False

    _walk_settings_tree(s, snap_panel)
    _walk_settings_tree(s, lambda panel: panel == "Lock and Exit")
    s.click("auto_restart")
    s.click("apply_button")
    s.wait("auto_restart_notice", timeout=10)
    s.snap(prefix, expect="auto_restart_notice")
    s.click("ok_button")
    s.click("auto_logoff")
    s.click("ok_button")
    s.wait("main_window")


def tour_logs(s: CaptureSession, prefix: str) -> None:
    """File > Gateway Logs, export a day's log to a file, the message after it."""
    s.menu("menu.file", "menu.file.gateway_logs")
    s.wait("view_logs")
    s.snap(prefix, expect="view_logs", volatile=LOG)
    s.click("export_button")
    s.wait("export_filename_chooser")
    s.snap(prefix, expect="export_filename_chooser", volatile=LOG)
    s.type_into("file_name", "gateway-export.log")
    s.snap(f"{prefix}-typed", expect="export_filename_chooser", volatile=LOG)
    s.click("open_button")
    s.wait("export_done_message")
    s.snap(prefix, expect="export_done_message", volatile=LOG)
    s.click("ok_button")
    s.wait("view_logs")
    s.click("cancel_button")
    s.wait("main_window")


def tour_second_factor(start: Start) -> None:
    """Live logins: device choice, TOTP (wrong then right), IB Key push."""
    s = start({"account": "live", "second_factor": "devices", "totp_secret": TOTP_SECRET,
               "devices": ["IB Key on Pixel", "Mobile Authenticator app"]})
    s.wait("login")
    s.click("trading_mode.live")
    log_in(s)
    snap_progress(s, "second_factor_device_choice", "live-progress")
    s.snap("two-devices", expect="second_factor_device_choice")
    s.click("device_list")
    s.screen.press("down")
    s.snap("two-devices-second", expect="second_factor_device_choice")
    s.click("ok_button")
    s.wait("second_factor_totp")
    s.snap("empty", expect="second_factor_totp")
    s.type_into("code", "123456")
    s.snap("typed", expect="second_factor_totp")
    s.click("ok_button")
    s.settle(0.6)
    top = s.replica.windows()[0]["screen"]
    if top != "second_factor_totp":
        s.snap("wrong-code")
        s.screen.press("enter")
    s.type_into("code", pyotp.TOTP(TOTP_SECRET).now())
    s.click("ok_button")
    s.wait("main_window")
    s.snap("live", expect="main_window")
    s.replica.stop()

    s = start({"account": "live", "second_factor": "push", "push_approve_after_s": None})
    s.wait("login")
    log_in(s)
    s.wait("second_factor_push")
    s.snap("push", expect="second_factor_push")
    s.replica.stop()


def tour_failures(start: Start) -> None:
    """Wrong password, the lockout after it, the wrong trading mode, and the existing-session dialogs."""
    s = start({"account": "paper", "password": "right", "lockout_after_failures": 2, "lockout_wait_s": 60})
    s.wait("login")
    for i in range(2):
        log_in(s, password="wrong")
        s.wait("login_failed")
        s.snap(f"paper-{i + 1}", expect="login_failed")
        s.click("ok_button")
        s.wait("login")
    log_in(s, password="right")
    s.wait("too_many_failed_attempts")
    s.snap("paper", expect="too_many_failed_attempts")
    s.replica.stop()

    s = start({"account": "live"})  # the paper toggle for a live-only user: a longer message
    s.wait("login")
    s.select("trading_mode.paper")
    log_in(s)
    s.wait("login_failed")
    s.snap("trading-mode", expect="login_failed")
    s.replica.stop()

    s = start({"account": "live", "existing_session": "at_login"})
    s.wait("login")
    log_in(s)
    s.wait("existing_session_detected")
    s.snap("at-login", expect="existing_session_detected")
    s.replica.stop()

    s = start({"account": "live", "existing_session": "relogin_after_s:1"})
    s.wait("login")
    log_in(s)
    s.wait("main_window")
    s.wait("relogin_required", timeout=30)
    s.snap("live", expect="relogin_required")
    s.click("relogin_button")
    s.wait("existing_session_detected", timeout=30)
    s.snap("mid-session", expect="existing_session_detected")
    s.replica.stop()

    s = start({"account": "live", "token_expiry_after_s": 4})
    s.wait("login")
    log_in(s)
    s.wait("token_expired", timeout=60)
    s.snap("live", expect="token_expired")
    s.replica.stop()


def tour_session_end(start: Start) -> None:
    """Login messages, and the warning before the daily logoff."""
    s = start({"account": "live", "login_messages": ["Your account has a pending task.",
                                                     "Please review the new market data terms."]})
    s.wait("login")
    log_in(s)
    s.wait("login_messages")
    s.snap("two-messages", expect="login_messages")
    s.replica.stop()

    at = dt.datetime.fromtimestamp(CLOCK_START, dt.UTC) + dt.timedelta(minutes=12)
    settings = {"time_zone": "UTC", "auto_logoff_time": at.strftime("%I:%M"),
                "auto_logoff_ampm": at.strftime("%p"), "auto_mode": "logoff"}
    s = start({"account": "live", "clock_speed": 30}, settings)
    s.wait("login")
    log_in(s)
    s.wait("main_window")
    s.wait("exit_session_setting", timeout=60)
    s.snap("live", expect="exit_session_setting")
    s.replica.stop()


def tour_notices(start: Start) -> None:
    """Login faults (server disconnected, unrecognised credentials, SSL) and the notices
    around login (newer version, bid/ask size update, reconnect confirmation)."""
    for fault, screen_id in (("server_disconnected", "server_disconnected_error"),
                             ("unrecognized_credentials", "unrecognized_credentials"),
                             ("ssl", "use_ssl_encryption")):
        s = start({"account": "live", "fault": fault})
        s.wait("login")
        log_in(s)
        s.wait(screen_id)
        s.snap("live", expect=screen_id)
        s.replica.stop()

    s = start({"account": "live", "newer_version": True})
    s.wait("newer_version_available")
    s.snap("live", expect="newer_version_available")
    s.click("no_button")
    s.wait("login")
    log_in(s)
    s.wait("main_window")
    s.replica.stop()

    s = start({"account": "paper", "bid_ask_notice": True, "reconnect_prompt_after_s": 3})
    s.wait("login")
    log_in(s)
    s.wait("paper_trading_warning")
    s.click("accept_button")
    s.wait("bid_ask_last_size_update")
    s.snap("paper", expect="bid_ask_last_size_update")
    s.click("accept_button")
    s.wait("reconnect_confirmation", timeout=30)
    s.snap("paper", expect="reconnect_confirmation")
    s.replica.stop()


TOURS = {
    "login": tour_login,
    "paper": tour_paper,
    "second_factor": tour_second_factor,
    "failures": tour_failures,
    "session_end": tour_session_end,
    "notices": tour_notices,
}
