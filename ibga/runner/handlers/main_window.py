"""The main window: logged in. Once per launch the settings are applied, once a day the logs are
exported (`ibga.runner.handlers.log_export`); after that the API is checked now and then, so that
a gateway whose window looks fine but whose API is frozen is reported (heshiming/ibga#4: the
agent kept answering while the gateway was frozen).

The status says ``logged_in`` only while the gateway can be used: its settings applied and its API
answering on IBG_PORT_INTERNAL, which is what `ibga health` checks too. A settings step that fails
is tried again after a pause, `SETTINGS_TRIES` times in all (never a loop of settings dialogs); then,
as when the API stops answering, the status says ``error`` with the reason, a loud line is logged
and the webhook is told; it is told again once the gateway is usable.
"""

from __future__ import annotations

import logging
import time

from ibga.recognition.contract import Recognition
from ibga.runner.actions import ActionFailed
from ibga.runner.handlers.base import ACTED, WAITING, Context, Handler, Outcome
from ibga.runner.handlers.log_export import export_due, export_logs
from ibga.runner.handlers.settings import apply_settings
from ibga.runner.health import api_handshake

API_CHECK_EVERY_S = 30.0
FROZEN_AFTER_FAILURES = 3
SETTINGS_TRIES = 3
"""Settings steps per launch of the gateway, the first included."""
SETTINGS_RETRY_S = 20.0
"""Pause between two settings steps: what was in the way (a dialog, another window) may have gone."""


class MainWindowHandler(Handler):
    screens = frozenset({"main_window"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s = ctx.session
        if s.logged_in_at is None:
            s.logged_in_at = time.monotonic()
            s.push_since = None
            s.existing_since = None
            ctx.failures = 0
            ctx.hold = None
            ctx.log.info("logged in: the gateway's main window shows")
        if not s.settings_done:
            if time.monotonic() < s.settings_retry_at:
                return WAITING
            return self._apply_settings(ctx, recognition)
        if s.unusable is None:
            ctx.status.set("logged_in")
        else:  # again, should a dialog in between have said something else
            ctx.status.set("error", error=s.unusable)
        if export_due(ctx):
            try:
                export_logs(ctx, recognition)
            except ActionFailed as exc:
                ctx.log.warning("log export: %s; trying again after the next launch of the gateway", exc)
            return ACTED
        if s.unusable is None or s.counts["api_failures"] >= FROZEN_AFTER_FAILURES:
            self._check_api(ctx)
        return WAITING

    def _apply_settings(self, ctx: Context, recognition: Recognition) -> Outcome:
        """One settings step; `logged_in` when it worked, else a pause before the next, or the final error."""
        s = ctx.session
        s.counts["settings_tries"] += 1
        tries = s.counts["settings_tries"]
        s.settings_retry_at = time.monotonic() + SETTINGS_RETRY_S
        port = ctx.config.port_internal
        try:
            why = None if apply_settings(ctx, recognition) else \
                f"the API does not answer on port {port} after the settings"
        except ActionFailed as exc:
            why = f"settings not applied: {exc}"
        except Exception:  # a bug must not turn into a loop of settings dialogs: count it as a try
            ctx.log.error("the settings step failed", exc_info=True)
            why = "settings not applied: the step failed (see the log)"
        if why is None:
            s.settings_done = True
            s.counts["api_checked_at"] = int(time.monotonic())
            ctx.status.set("logged_in", error="" if tries > 1 else None)
            ctx.notifier.usable_again(f"IB Gateway is usable again: logged in, the API answers on "
                                      f"port {port}")
            return ACTED
        if tries < SETTINGS_TRIES:
            ctx.status.set("logging_in", error=f"logged in, not usable yet: {why} (try {tries} of "
                                               f"{SETTINGS_TRIES})")
            ctx.log.warning("%s; trying again in %.0f s (try %d of %d)", why, SETTINGS_RETRY_S, tries,
                            SETTINGS_TRIES)
            return ACTED
        s.settings_done = True
        self._unusable(ctx, logging.ERROR, "settings_failed",
                       f"logged in, but the gateway is not usable: {why} ({tries} tries). Apply the "
                       "settings through VNC, or restart ibga")
        return ACTED

    def _check_api(self, ctx: Context) -> None:
        s = ctx.session
        now = time.monotonic()
        if now - s.counts["api_checked_at"] < API_CHECK_EVERY_S:
            return
        s.counts["api_checked_at"] = int(now)
        port = ctx.config.port_internal
        result = api_handshake("127.0.0.1", port, timeout=5.0)
        if result.ok:
            if s.counts["api_failures"] >= FROZEN_AFTER_FAILURES:
                ctx.log.info("the API answers again on port %d", port)
                s.unusable = None
                ctx.status.set("logged_in", error="")
                ctx.notifier.usable_again(f"IB Gateway is usable again: the API answers on port {port}")
            s.counts["api_failures"] = 0
            return
        s.counts["api_failures"] += 1
        if s.counts["api_failures"] == FROZEN_AFTER_FAILURES:
            self._unusable(ctx, logging.WARNING, "api_silent",
                           f"the main window shows but the API on port {port} has not answered "
                           f"{FROZEN_AFTER_FAILURES} checks in a row ({result.error}): frozen gateway?")
        elif s.counts["api_failures"] < FROZEN_AFTER_FAILURES:
            ctx.log.log(logging.DEBUG, "API check failed: %s", result.error)

    @staticmethod
    def _unusable(ctx: Context, level: int, event: str, why: str) -> None:
        """The status, a loud line and the webhook all say that the gateway cannot be used, and why."""
        ctx.session.unusable = why
        ctx.status.set("error", error=why)
        ctx.log.log(level, "!!! %s !!!", why)
        ctx.notifier.unusable(event, why)
