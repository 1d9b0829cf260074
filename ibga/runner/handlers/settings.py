"""Configure ▸ Settings, once after each login: API socket port, read-only API, API log, auto logoff.

Every value is set and read back before OK: a field by OCR, a tick box by comparing its two
looks, a radio button by its dot. Panels are reached with the keyboard (Home, then Down until
the settings page shows the wanted panel), as IBGA does with Up/Down and Return, since the
recognizer gives the tree's box, not its rows. After OK the API must answer on
IBG_PORT_INTERNAL: that is the proof that counts.
"""

from __future__ import annotations

import logging
import time

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.actions import ActionFailed, element_of
from ibga.runner.config import LogoffMode
from ibga.runner.handlers.base import Context
from ibga.runner.handlers.menus import open_from_menu
from ibga.runner.health import api_handshake

MAX_TREE_ROWS = 24
API_ANSWER_WAIT_S = 15.0


def apply_settings(ctx: Context, main: Recognition) -> bool:
    """Open the settings, set and check every configured value, press OK; True when the API answers.

    Raises
    ------
    ActionFailed
        A step had no effect; the dialog is cancelled before this is raised.
    """
    config = ctx.config
    recognition = open_from_menu(ctx, main, "menu.configure", "Settings", "settings", place=1)
    try:
        recognition = _go_to(ctx, recognition, "API/Settings")
        port = str(config.port_internal)
        ctx.actor.type_into(recognition, "socket_port", port, verify=_reads(port))
        ctx.actor.set_checkbox(recognition, "read_only_api", config.read_only_api)
        ctx.actor.set_checkbox(recognition, "create_api_log", config.api_log)
        ctx.actor.set_checkbox(recognition, "include_market_data", config.api_log_market_data)
        level = config.log_level
        if level is not None and ctx.actor.choose_in_combo(recognition, "logging_level",
                                                           str(level)) is not True:
            ctx.log.warning("settings: could not confirm the logging level %s", config.log_level)
        done = [f"socket port {port}", f"read-only API {'on' if config.read_only_api else 'off'}",
                "API log " + ("with market data" if config.api_log_market_data else
                              "on" if config.api_log else "off")]
        if config.logoff is not None:
            recognition = _go_to(ctx, recognition, "Lock and Exit")
            ctx.actor.type_into(recognition, "auto_logoff_time", config.logoff.field_text,
                                verify=_reads(config.logoff.field_text))
            am_pm = {"AM": "auto_logoff_am", "PM": "auto_logoff_pm"}
            ctx.actor.choose_radio(recognition, am_pm[config.logoff.meridiem],
                                   [v for v in am_pm.values() if v != am_pm[config.logoff.meridiem]])
            if config.logoff_mode is not None:
                mode = "auto_restart" if config.logoff_mode is LogoffMode.RESTART else "auto_logoff"
                other = "auto_logoff" if mode == "auto_restart" else "auto_restart"
                ctx.actor.choose_radio(recognition, mode, [other])
            done.append(f"auto {config.logoff_mode or 'logoff'} at {config.logoff}")
    except ActionFailed:
        _cancel(ctx, recognition)
        raise
    ctx.actor.click(element_of(recognition, "ok_button"))
    if ctx.actor.wait_for(lambda r: r.screen != "settings", 5.0, tolerant=True) is None:
        _cancel(ctx, recognition)
        raise ActionFailed("the settings dialog did not close on OK (a value refused?)")
    ctx.log.info("settings applied: %s", ", ".join(done))
    return _api_answers(ctx, config.port_internal)


def _go_to(ctx: Context, recognition: Recognition, panel: str) -> Recognition:
    """Show `panel` ("API/Settings", "Lock and Exit") by clicking its row, found by reading the tree;
    a folder row is double-clicked to open it. Without a readable row: Home, then Down until it shows."""
    if recognition.state.get("panel") == panel:
        return recognition
    tree = element_of(recognition, "settings_tree").box
    parts = panel.split("/")
    for _ in range(2):
        rows = readback.read_lines(ctx.actor.settle(), tree)
        first = _row(rows, parts[0])
        if first is None:
            break
        ctx.actor.click(_centre(first))
        recognition = _settings_page(ctx, panel)
        if recognition.state.get("panel") == panel:
            return recognition
        if len(parts) > 1:
            ctx.actor.click(_centre(first), clicks=2)  # open the folder
            rows = readback.read_lines(ctx.actor.settle(), tree)
            below = [(text, box) for text, box in rows if box[1] > first[1]]
            second = _row(below, parts[1])
            if second is not None:
                ctx.actor.click(_centre(second))
                recognition = _settings_page(ctx, panel)
                if recognition.state.get("panel") == panel:
                    return recognition
    return _go_to_by_keys(ctx, recognition, panel)


def _go_to_by_keys(ctx: Context, recognition: Recognition, panel: str) -> Recognition:
    x, y, w, h = element_of(recognition, "settings_tree").box
    ctx.actor.click((x + 8, y + h - 8))  # the empty part under the rows: focus without choosing a row
    ctx.actor.press("home")
    for _ in range(MAX_TREE_ROWS):
        recognition = _settings_page(ctx, panel)
        if recognition.state.get("panel") == panel:
            return recognition
        ctx.actor.press("down")
    raise ActionFailed(f"the settings tree has no {panel} row")


def _settings_page(ctx: Context, panel: str) -> Recognition:
    """The settings page as it shows now (waiting a little for `panel` to come)."""
    got = ctx.actor.wait_for(lambda r: r.screen == "settings" and r.state.get("panel") == panel, 1.0,
                             tolerant=True)
    recognition = ctx.actor.look(tolerant=True)[1] if got is None else got[1]
    if recognition.screen != "settings":
        raise ActionFailed(f"the settings dialog went away on the way to {panel}")
    return recognition


def _row(rows: list, name: str):
    """The box of the row reading `name` (case and spacing aside), or None."""
    want = readback.normal(name)
    return next((box for text, box in rows if readback.normal(text) == want), None)


def _centre(box) -> tuple[int, int]:
    x, y, w, h = box
    return x + w // 2, y + h // 2


def _cancel(ctx: Context, recognition: Recognition) -> None:
    if recognition.screen == "settings" and "cancel_button" in recognition.elements:
        ctx.actor.click(recognition.elements["cancel_button"])
    else:
        ctx.actor.press("esc")


def _reads(expected: str):
    """Confirm a field by OCR (True), or say that it cannot tell (None): OCR misreads small digits."""

    def verify(frame, box) -> bool | None:
        readings = readback.read_field(frame, box)
        return True if any(readback.normal(r) == readback.normal(expected) for r in readings) else None

    return verify


def _api_answers(ctx: Context, port: int) -> bool:
    deadline = time.monotonic() + API_ANSWER_WAIT_S
    while True:
        result = api_handshake("127.0.0.1", port, timeout=2.0)
        if result.ok:
            ctx.log.info("the API answers on port %d (server version %s)", port, result.server_version)
            return True
        if time.monotonic() >= deadline or not ctx.actor.sleep(0.5):
            ctx.once("api-silent", logging.WARNING, "the API does not answer on port %d after the settings: "
                     "%s", port, result.error)
            return False
