"""Opening a dialog from the main window's menus (Configure ▸ Settings, File ▸ Gateway Logs, …).

The menu is opened by a click on its title and the wanted row is found by reading the rows under
it (OCR) and clicked. Keys are no good as a first choice: the main window may not have the
keyboard focus yet, after the dialogs that came before it. Without a readable row: Down as many
times as the row's place, then Return.
"""

from __future__ import annotations

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.actions import ActionFailed, element_of
from ibga.runner.handlers.base import Context

MENU_READ_W, MENU_READ_H = 260, 160
"""The part under a menu title where its popup's rows are read."""
OPEN_WAIT_S = 5.0


def open_from_menu(ctx: Context, main: Recognition, menu: str, row: str, screen: str, place: int,
                   tries: int = 2) -> Recognition:
    """Click menu `menu` (an element of `main`), then its row reading `row`; the dialog `screen` it opens.

    Parameters
    ----------
    place : int
        The row's place in the menu (1 for the first): how many times Down is pressed when the
        rows cannot be read.

    Raises
    ------
    ActionFailed
        `screen` did not show after `tries` tries (the menu is closed again with Escape).
    """
    title = element_of(main, menu)
    want = readback.normal(row)
    for _ in range(tries):
        ctx.actor.click(title)
        frame = ctx.actor.settle()
        x, y, w, h = title.box
        rows = readback.read_lines(frame, (x, y + h, MENU_READ_W, MENU_READ_H))
        box = next((box for text, box in rows if readback.normal(text) == want), None)
        if box is not None:
            ctx.actor.click((box[0] + box[2] // 2, box[1] + box[3] // 2))
        else:
            ctx.actor.press("down", presses=place)
            ctx.actor.press("enter")
        got = ctx.actor.wait_for(lambda r: r.screen == screen, OPEN_WAIT_S, tolerant=True)
        if got is not None:
            return ctx.actor.look(tolerant=True)[1]
        ctx.actor.press("esc")
        ctx.actor.settle()
    raise ActionFailed(f"{title.text or menu} > {row} did not open")
