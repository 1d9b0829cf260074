"""Daily log export (IBGA_EXPORT_LOGS=true): the gateway's own Gateway and API logs, copied out.

As IBGA does it: File ▸ Gateway Logs (then API Logs) opens View Logs, a list of the days that
have a log (``YYYYMMDD``, oldest first); the latest day and the day before it are exported, each
with "Export Logs...", the file name typed into "Enter export filename" (its field has the focus)
and "Open", then OK on "Finished exporting logs". Files are named as IBGA names them:
``IBGA_LOG_EXPORT_DIR/{gateway|api}_YYYYMMDD.log``.

It runs once a day: after a login, and again when the date changes while logged in; the day of
the last export is kept in ``IBG_SETTINGS_DIR/ibga/log-export.json``. A failed export is not
tried again before the next launch of the gateway (no loop of dialogs), and a file counts as
exported only once it exists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.actions import ActionFailed, element_of
from ibga.runner.handlers.base import Context
from ibga.runner.handlers.menus import open_from_menu

KINDS = (("gateway", "Gateway Logs", 1), ("api", "API Logs", 2))
"""(file name prefix, File menu row, the row's place in the menu)."""
DIALOG_WAIT_S = 5.0
WRITE_WAIT_S = 10.0
DAY = re.compile(r"(?<!\d)(\d{8})(?!\d)")


def export_due(ctx: Context) -> bool:
    """Export is on, today's export is not done, and it was not tried during this launch today."""
    if not ctx.config.export_logs:
        return False
    today = _today()
    return ctx.session.export_tried != today and _Memory(ctx.config.ibg_settings_dir).day() != today


def export_logs(ctx: Context, main: Recognition) -> list[Path]:
    """Export the latest two days of Gateway and API logs; the files written.

    Raises
    ------
    ActionFailed
        A dialog did not open or close, or a file was not written; what was written before stays.
    """
    ctx.session.export_tried = _today()
    directory = ctx.config.log_export_dir
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for prefix, row, place in KINDS:
        view = open_from_menu(ctx, main, "menu.file", row, "view_logs", place)
        try:
            for day, row_box in _days(ctx, view):
                path = directory / f"{prefix}_{day}.log"
                view = _export_one(ctx, view, row_box, path)
                written.append(path)
        finally:
            _close(ctx)
    _Memory(ctx.config.ibg_settings_dir).remember(_today(), written)
    ctx.log.info("logs exported to %s: %s", directory, ", ".join(p.name for p in written) or "none")
    return written


def _days(ctx: Context, view: Recognition) -> list[tuple[str, tuple | None]]:
    """The days to export, each with its row's box (see `days_to_export`).

    Rows are read by OCR. Unreadable, they are taken as IBGA takes them: the last row is today
    (local date), the one before it yesterday; their boxes are then None (chosen with End and Up).
    """
    listing = element_of(view, "log_dates").box
    chosen = days_to_export(readback.read_lines(ctx.actor.settle(), listing))
    if chosen:
        return chosen
    today = dt.date.today()
    return [(today.strftime("%Y%m%d"), None), ((today - dt.timedelta(days=1)).strftime("%Y%m%d"), None)]


def days_to_export(rows: list[tuple[str, tuple]]) -> list[tuple[str, tuple]]:
    """Of the rows read in View Logs' list, the latest day and the day before it (if listed), as
    (``YYYYMMDD``, the row's box); rows that do not read as a date are left out."""
    days = []
    for text, box in rows:
        found = DAY.search(text.replace(" ", ""))
        if found and _date(found[1]) is not None:
            days.append((found[1], box))
    if not days:
        return []
    days.sort()
    latest = days[-1]
    day_before = (_date(latest[0]) - dt.timedelta(days=1)).strftime("%Y%m%d")
    return [latest] + [row for row in days if row[0] == day_before][:1]


def _export_one(ctx: Context, view: Recognition, row_box: tuple | None, path: Path) -> Recognition:
    """Select the row, Export Logs..., type `path`, Open, OK; View Logs as it shows after."""
    listing = element_of(view, "log_dates").box
    if row_box is not None:
        ctx.actor.click((listing[0] + listing[2] // 2, row_box[1] + row_box[3] // 2))
    else:
        ctx.actor.click((listing[0] + listing[2] // 2, listing[1] + 8))
        ctx.actor.press("end")
        if path.stem.endswith((dt.date.today() - dt.timedelta(days=1)).strftime("%Y%m%d")):
            ctx.actor.press("up")
    ctx.actor.settle()
    ctx.actor.click(element_of(view, "export_button"))
    opened = ctx.actor.wait_for(lambda r: r.screen == "export_filename_chooser", DIALOG_WAIT_S, tolerant=True)
    if opened is None:
        raise ActionFailed("Export Logs... did not open the export file name dialog")
    chooser = ctx.actor.look(tolerant=True)[1]
    path.unlink(missing_ok=True)  # so that the file existing afterwards proves this export
    ctx.actor.type_into(chooser, "file_name", str(path))
    ctx.actor.click(element_of(chooser, "open_button"))
    got = ctx.actor.wait_for(lambda r: r.screen == "export_done_message", WRITE_WAIT_S, tolerant=True)
    if got is None:
        raise ActionFailed("no export message came after Open")
    message = _acknowledge(ctx, got[0], got[1])
    if not _exists_soon(path):
        raise ActionFailed(f"the export of {path.name} wrote no file (the gateway says: {message})")
    got = ctx.actor.wait_for(lambda r: r.screen == "view_logs", DIALOG_WAIT_S, tolerant=True)
    if got is None:
        raise ActionFailed("View Logs did not come back after an export")
    return got[1]


def _acknowledge(ctx: Context, frame, done: Recognition) -> str:
    """OK on "Finished exporting logs": at its label when it can be read (the recognizer only estimates
    the place of a button in a dialog whose width follows its message), else at its box; the text."""
    window = done.window or element_of(done, "ok_button").box
    text = readback.text_of(frame, window)
    x, y, w, h = window
    label = readback.find_line(frame, (x, y + h // 2, w, h - h // 2), "OK")
    if label is not None:
        ctx.actor.click((label[0] + label[2] // 2, label[1] + label[3] // 2))
    else:
        ctx.actor.click(element_of(done, "ok_button"))
    if ctx.actor.wait_for(lambda r: r.screen != "export_done_message", DIALOG_WAIT_S, tolerant=True) is None:
        raise ActionFailed("the export message did not close on OK")
    return " ".join(text.split())


def _close(ctx: Context) -> None:
    """Cancel on View Logs, if it still shows."""
    now = ctx.actor.look(tolerant=True)[1]
    if now.screen == "view_logs" and "cancel_button" in now.elements:
        ctx.actor.click_and_wait(now, "cancel_button")
    elif now.screen == "view_logs":
        ctx.actor.press("esc")


def _exists_soon(path: Path, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _today() -> str:
    return dt.date.today().isoformat()


class _Memory:
    """The day of the last complete export, in ``IBG_SETTINGS_DIR/ibga/log-export.json``."""

    def __init__(self, settings_dir: Path):
        self.path = Path(settings_dir) / "ibga" / "log-export.json"

    def day(self) -> str | None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        return data.get("day") if isinstance(data, dict) else None

    def remember(self, day: str, files: list[Path]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"day": day, "files": [str(p) for p in files]}, indent=1) + "\n")
