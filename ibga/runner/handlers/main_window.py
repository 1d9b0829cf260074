"""The main window: logged in. Once per launch the settings are applied, once a day the logs are
exported (`ibga.runner.handlers.log_export`); after that the API is checked now and then, so that
a gateway whose window looks fine but whose API is frozen is reported (heshiming/ibga#4: the
agent kept answering while the gateway was frozen)."""

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
            s.settings_done = True  # once per launch, whatever happens: never a loop of settings dialogs
            try:
                apply_settings(ctx, recognition)
            except ActionFailed as exc:
                ctx.log.warning("settings not applied: %s", exc)
                ctx.status.set("logged_in", error=f"settings not applied: {exc}")
                return ACTED
            ctx.status.set("logged_in")
            s.counts["api_checked_at"] = int(time.monotonic())
            return ACTED
        ctx.status.set("logged_in")
        if export_due(ctx):
            try:
                export_logs(ctx, recognition)
            except ActionFailed as exc:
                ctx.log.warning("log export: %s; trying again after the next launch of the gateway", exc)
            return ACTED
        self._check_api(ctx)
        return WAITING

    def _check_api(self, ctx: Context) -> None:
        s = ctx.session
        now = time.monotonic()
        if now - s.counts["api_checked_at"] < API_CHECK_EVERY_S:
            return
        s.counts["api_checked_at"] = int(now)
        result = api_handshake("127.0.0.1", ctx.config.port_internal, timeout=5.0)
        if result.ok:
            if s.counts["api_failures"] >= FROZEN_AFTER_FAILURES:
                ctx.log.info("the API answers again on port %d", ctx.config.port_internal)
                ctx.status.set("logged_in", error="")
            s.counts["api_failures"] = 0
            return
        s.counts["api_failures"] += 1
        if s.counts["api_failures"] == FROZEN_AFTER_FAILURES:
            why = (f"the main window shows but the API on port {ctx.config.port_internal} has not answered "
                   f"{FROZEN_AFTER_FAILURES} checks in a row ({result.error}): frozen gateway?")
            ctx.log.warning("!!! %s !!!", why)
            ctx.status.set("logged_in", error=why)
            ctx.notifier.notify("api_silent", why)
        elif s.counts["api_failures"] < FROZEN_AFTER_FAILURES:
            ctx.log.log(logging.DEBUG, "API check failed: %s", result.error)
