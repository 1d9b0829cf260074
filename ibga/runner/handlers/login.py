"""The login frame: API type and trading mode toggles, More Options, credentials, the login button.

Each step is checked before the next: a toggle is clicked only when it is not already
selected and must then show as selected; a field must take the focus before anything is
typed into it; the username field must read back as the username by OCR (`reads_as`) or
look the same after two typings, the password field show as many dots as the password has
characters, or they are typed again. The login button is clicked only when all of that holds
and the daily attempt cap allows it, and every click of it is counted; a field that never
shows what was typed is tried again at a later turn, without a click and without counting an
attempt.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.actions import ActionFailed, element_of, reads_as
from ibga.runner.config import PushTimeoutAction
from ibga.runner.handlers.base import ACTED, WAITING, Context, Handler, Outcome, wait_for_a_person
from ibga.runner.handlers.unknown import save_diagnostic

SECRET_FIELDS = ("username", "password", "fix_username", "fix_password")
TOGGLES = {
    "api_type": {"IB API": "api_type.ib_api", "FIX CTCI": "api_type.fix_ctci"},
    "trading_mode": {"Live Trading": "trading_mode.live", "Paper Trading": "trading_mode.paper"},
}
CLICK_SETTLE_S = 3.0
"""After the login button was clicked, the frame may stay this long before it goes."""
RETRY_AFTER_TROUBLE_S = 5.0
TROUBLE_DIAGNOSTIC_AFTER = 3
"""Failed tries at filling the login window after which a diagnostic screenshot is saved."""
TYPING_TRIES = 4
"""Typings of a field before the login window is left for the next turn: a text lost once is typed again,
and a username OCR misreads passes after two typings that look the same, three when the field held it
already (`Actor.type_into`)."""
LONG_PASSWORD_DOTS = 20
"""A field showing at least this many dots may have scrolled: fewer dots than characters is fine."""


class LoginHandler(Handler):
    screens = frozenset({"login"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s = ctx.session
        s.masked_boxes = [readback.widened(e.box, recognition.window)  # the word path's boxes are estimates
                          for name, e in recognition.elements.items() if name in SECRET_FIELDS]
        if recognition.state.get("restart_mode") or time.monotonic() < s.restart_until:
            ctx.status.set("logging_in")
            ctx.once("restart-mode", logging.INFO, "the gateway logs in by itself (auto restart)")
            return WAITING
        if s.push_since is not None:
            self._push_ended(ctx)
        if ctx.config.manual_login:
            return wait_for_a_person(ctx, recognition.screen, "the login window shows: log in through VNC")
        if ctx.hold:
            ctx.status.set("error", error=ctx.hold)
            ctx.once("hold", logging.WARNING, "not logging in: %s", ctx.hold)
            return WAITING
        now = time.monotonic()
        if s.login_clicked_at is not None and now - s.login_clicked_at < CLICK_SETTLE_S:
            return WAITING
        if now < s.login_not_before:
            ctx.once(f"backoff-{s.login_not_before}", logging.INFO, "logging in again in %.0f s",
                     s.login_not_before - now)
            return WAITING
        if ctx.budget.left() == 0:
            wait_min = ctx.budget.next_allowed_in() / 60
            reason = (f"IBGA_MAX_LOGINS_PER_DAY={ctx.budget.limit} login attempts made in the last 24 hours; "
                      f"the next one is allowed in {wait_min:.0f} min")
            ctx.status.set("error", error=reason, attempts=ctx.budget.used())
            ctx.once("cap", logging.WARNING, "not logging in: %s", reason)
            return WAITING
        ctx.status.set("logging_in", attempts=ctx.budget.used())
        try:
            return self._log_in(ctx, recognition)
        except ActionFailed as exc:
            ctx.log.warning("login window: %s; trying again in %.0f s", exc, RETRY_AFTER_TROUBLE_S)
            s.login_not_before = time.monotonic() + RETRY_AFTER_TROUBLE_S
            s.counts["login_trouble"] += 1
            if s.counts["login_trouble"] == TROUBLE_DIAGNOSTIC_AFTER:
                self._save_diagnostic(ctx, recognition, str(exc))
            return ACTED

    def _save_diagnostic(self, ctx: Context, recognition: Recognition, trouble: str) -> None:
        """The login window keeps refusing input: something may cover it that the recognizer does not know
        (a dialog with another text). Save what shows, secret fields masked, once per launch."""
        frame = ctx.actor.grab()
        png = save_diagnostic(ctx.diagnostics_dir, frame, recognition, ctx.session.masked_boxes,
                              "login-trouble")
        ctx.log.warning("!!! the login window did not take input %d times (%s): is something covering it? "
                        "saved %s !!!", TROUBLE_DIAGNOSTIC_AFTER, trouble, png)

    def _push_ended(self, ctx: Context) -> None:
        """The login frame is back while a push was pending: the gateway gave up waiting for it."""
        ctx.session.push_since = None
        ctx.log.warning("the IB Key notification was not approved in time: the gateway is back at its login")
        if ctx.config.push_timeout_action is PushTimeoutAction.STOP:
            ctx.hold = ("an IB Key notification was not approved in time (IBGA_PUSH_TIMEOUT_ACTION=stop): "
                        "log in through VNC, or restart ibga")

    def _log_in(self, ctx: Context, recognition: Recognition) -> Outcome:
        config = ctx.config
        recognition = self._toggle(ctx, recognition, "api_type", str(config.api_type))
        recognition = self._toggle(ctx, recognition, "trading_mode", str(config.trading_mode))
        recognition = self._more_options(ctx, recognition)
        user, password = config.username.reveal(), config.password.reveal()
        pairs = [("username", "password")]
        if "fix_username" in recognition.elements:
            pairs.insert(0, ("fix_username", "fix_password"))  # FIX CTCI: the FIX pair, then Market Data
        for user_field, password_field in pairs:
            ctx.actor.type_into(recognition, user_field, user, verify=reads_as(user), tries=TYPING_TRIES,
                                alike=True)
            ctx.actor.type_into(recognition, password_field, password, verify=_shows_dots(len(password)),
                                tries=TYPING_TRIES)
        used = ctx.budget.record()
        ctx.status.set("logging_in", attempts=used)
        ctx.log.info("logging in (%s, %s): attempt %d of %d in 24 hours", config.api_type,
                     config.trading_mode, used, ctx.budget.limit)
        ctx.actor.click(element_of(recognition, "login_button"))
        ctx.session.login_clicked_at = time.monotonic()
        if ctx.actor.wait_gone(recognition, CLICK_SETTLE_S) is None:
            ctx.log.warning("the login window is still there %.0f s after the login button was clicked",
                            CLICK_SETTLE_S)
        return ACTED

    def _toggle(self, ctx: Context, recognition: Recognition, key: str, want: str) -> Recognition:
        name = TOGGLES[key][want]
        element = recognition.elements.get(name)
        if recognition.state.get(key) == want:
            return recognition
        if key not in recognition.state and element is not None and element.selected:
            return recognition
        if element is None:
            raise ActionFailed(f"no {want} toggle on the login window")
        ctx.actor.click(element)
        got = ctx.actor.wait_for(lambda r: r.screen == "login" and r.state.get(key) == want, 3.0,
                                 tolerant=True)
        if got is None:
            raise ActionFailed(f"the {want} toggle did not switch")
        ctx.log.info("login window: %s selected", want)
        return ctx.actor.look(tolerant=True)[1]

    def _more_options(self, ctx: Context, recognition: Recognition) -> Recognition:
        """Region and time zone, when configured and not already known to match."""
        wanted = {"region": ctx.config.region and str(ctx.config.region), "time_zone": ctx.config.timezone}
        wanted = {k: v for k, v in wanted.items() if v}
        memory = _OptionsMemory(ctx.config.ibg_settings_dir)
        todo = {k: v for k, v in wanted.items() if memory.get(k) != v}
        if not todo:
            return recognition
        if not recognition.state.get("more_options") and "more_options" not in recognition.elements:
            ctx.once("no-more-options", logging.WARNING, "the login window shows no More Options: region and "
                     "time zone not set")
            return recognition
        if not recognition.state.get("more_options"):
            ctx.actor.click(element_of(recognition, "more_options"))
            got = ctx.actor.wait_for(lambda r: r.screen == "login" and r.state.get("more_options"), 3.0)
            if got is None:
                ctx.once("more-options", logging.WARNING,
                         "More Options did not open: region and time zone not set")
                return ctx.actor.look()[1]
            recognition = ctx.actor.look()[1]
        for name, value in todo.items():
            if name not in recognition.elements:
                ctx.once(f"no-{name}", logging.WARNING, "the login window shows no %s box", name)
                continue
            verdict = ctx.actor.choose_in_combo(recognition, name, value)
            if verdict is True:
                memory.set(name, value)
                ctx.log.info("login window: %s is %s", name.replace("_", " "), value)
            else:
                ctx.once(f"combo-{name}", logging.WARNING, "login window: could not confirm that %s reads %r",
                         name.replace("_", " "), value)
        return ctx.actor.look()[1]


def _shows_dots(count: int):
    """Verify a typed password by its dots: as many as it has characters (or a scrolled full field)."""

    def verify(frame, box) -> bool:
        dots = readback.count_dots(readback.crop(frame, readback.widened(box)))
        return dots == count or LONG_PASSWORD_DOTS <= dots < count

    return verify


class _OptionsMemory:
    """Region/time zone values that were seen to match (IBGA's ``skip_login_combobox_*`` files)."""

    def __init__(self, settings_dir: Path):
        self.path = Path(settings_dir) / "ibga" / "login-options.json"

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, name: str) -> str | None:
        return self._load().get(name)

    def set(self, name: str, value: str) -> None:
        data = self._load()
        data[name] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=1) + "\n")
