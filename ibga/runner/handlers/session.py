"""The session's life: another session logged in elsewhere, re-login, expired security tokens.

IBGA_EXISTING_SESSION says what to do at "Existing session detected":

* ``primary``: take the session over: "Continue Login" at once at login; mid-session
  "Reconnect This Session" after IBGA_RECONNECT_INTERVAL seconds (0: at once);
* ``secondary``: give way: at login "Cancel"/"Exit Application" (the gateway exits) and launch
  it again after IBGA_RECONNECT_INTERVAL seconds (0: never); mid-session, reconnect only after
  IBGA_RECONNECT_INTERVAL seconds (0: never);
* ``manual``: leave the dialog to a person and say so.
"""

from __future__ import annotations

import logging
import time

from ibga.recognition.contract import Recognition
from ibga.runner.config import ExistingSession
from ibga.runner.handlers.base import ACTED, WAITING, Context, Handler, Outcome

TAKE_BUTTONS = ("continue_login_button", "reconnect_button")
LEAVE_BUTTONS = ("cancel_button", "exit_application_button")


class ExistingSessionHandler(Handler):
    screens = frozenset({"existing_session_detected"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s, config = ctx.session, ctx.config
        variant = recognition.state.get("variant")
        if variant is None:
            variant = "at_login" if "continue_login_button" in recognition.elements else "mid_session"
        at_login = variant == "at_login"
        when = "at login" if at_login else "during the session"
        policy = config.existing_session
        if policy is ExistingSession.MANUAL:  # the status first: whoever reads the log line finds it said
            ctx.status.set(ctx.status.state, error=f"existing session detected {when}: waiting for a person")
            if ctx.once("existing-manual", logging.WARNING, "!!! existing session detected %s: left for a "
                        "person (IBGA_EXISTING_SESSION=manual) !!!", when):
                ctx.notifier.notify("existing_session", f"IB Gateway: existing session detected {when}")
            return WAITING
        now = time.monotonic()
        if s.existing_since is None:
            s.existing_since = now
        waited = now - s.existing_since
        interval = config.reconnect_interval
        if policy is ExistingSession.PRIMARY and (at_login or waited >= interval):
            s.existing_since = None
            ctx.log.info("existing session detected %s: taking the session over "
                         "(IBGA_EXISTING_SESSION=primary)", when)
            _click_first(ctx, recognition, TAKE_BUTTONS)
            return ACTED
        if policy is ExistingSession.SECONDARY and at_login:
            s.existing_since = None
            ctx.log.info("existing session detected at login: giving way (IBGA_EXISTING_SESSION=secondary)")
            _click_first(ctx, recognition, LEAVE_BUTTONS)
            if interval > 0:
                return Outcome(acted=True, relaunch_after=float(interval))
            return Outcome(acted=True, give_up="gave way to another session "
                                               "(IBGA_EXISTING_SESSION=secondary, IBGA_RECONNECT_INTERVAL=0)")
        if policy is ExistingSession.SECONDARY and interval > 0 and waited >= interval:
            s.existing_since = None
            ctx.log.info("existing session: reconnecting after %d s (IBGA_RECONNECT_INTERVAL)", interval)
            _click_first(ctx, recognition, TAKE_BUTTONS)
            return ACTED
        plan = f"reconnecting in {interval - waited:.0f} s" if interval > 0 else "leaving it to the other one"
        ctx.once(f"existing-wait-{s.existing_since}", logging.INFO, "existing session detected %s: %s", when,
                 plan)
        return WAITING


class ReloginHandler(Handler):
    screens = frozenset({"relogin_required"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        ctx.log.info("re-login is required: logging in again")
        ctx.status.set("logging_in")
        ctx.session.logged_in_at = None
        ctx.actor.click_and_wait(recognition, "relogin_button")
        return ACTED


class TokenExpiredHandler(Handler):
    screens = frozenset({"token_expired", "autorestart_token_rejected"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        ctx.log.info("the security tokens expired (weekly re-authentication): logging in again")
        ctx.status.set("logging_in")
        ctx.session.logged_in_at = None
        ctx.session.settings_done = False
        ctx.session.restart_until = 0.0  # the auto restart's token was refused: a full login follows
        ctx.actor.click_and_wait(recognition, "ok_button")
        return ACTED


def _click_first(ctx: Context, recognition: Recognition, names: tuple[str, ...]) -> None:
    for name in names:
        if name in recognition.elements:
            ctx.actor.click_and_wait(recognition, name)
            return
    ctx.log.warning("%s shows none of %s", recognition.screen, ", ".join(names))
