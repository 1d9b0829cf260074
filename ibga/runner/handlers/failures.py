"""Failed logins: refused credentials stop ibga for good; a lockout is waited out; the rest backs off.

"Invalid username or password" is final (DESIGN.md, rules that protect users): IBKR locks
accounts after repeated failures, so ibga never tries those credentials again, not even after
a restart, and leaves the dialog on screen for a person to see. When the dialog's text cannot
be read, a ``login_failed`` is taken as refused credentials: stopping wrongly costs a restart,
retrying wrongly can cost the account. In a manual login these dialogs are the person's.
"""

from __future__ import annotations

import re
import time

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.handlers.base import ACTED, Context, Handler, Outcome, wait_for_a_person

BACKOFF_S = (15.0, 300.0)
"""First and longest wait before logging in again after a failure that is not final."""
LOCKOUT_MARGIN_S = 3.0
LOCKOUT_UNREADABLE_S = 300.0
"""Wait when the lockout dialog's time cannot be read (IBKR's waits are minutes at most)."""


def back_off(ctx: Context, why: str) -> float:
    """Delay the next login by a wait that doubles with each failure since the last login; the wait."""
    ctx.failures += 1
    wait = min(BACKOFF_S[1], BACKOFF_S[0] * 2 ** (ctx.failures - 1))
    ctx.session.login_not_before = time.monotonic() + wait
    ctx.log.warning("%s; logging in again in %.0f s", why, wait)
    ctx.status.set("logging_in", error=why)
    return wait


class LoginFailedHandler(Handler):
    screens = frozenset({"login_failed"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        text = readback.text_of(ctx.frame, recognition.window) if recognition.window else ""
        if ctx.config.manual_login:  # the person who typed the credentials reads the dialog
            return wait_for_a_person(ctx, recognition.screen, f"the login failed ({_one_line(text)})")
        words = readback.normal(text)
        if not words or ("invalid" in words and "password" in words):
            return _refused(ctx, "the gateway refused the credentials: Invalid username or password",
                            "Not trying again: IBKR locks accounts after repeated failures. Fix "
                            "IB_USERNAME / IB_PASSWORD, then restart ibga")
        if "papertrading" in words or "livetrading" in words:
            # 'This username is not a paper trading user. Please select Live Trading.' (and the
            # reverse): the configuration is wrong; another attempt would fail alike, and ibga never
            # switches an account between paper and live on its own. Forgotten once IB_LOGINTYPE changes.
            return _refused(ctx, f"the gateway refused the trading mode: {_one_line(text)}",
                            f"Check IB_LOGINTYPE (now {ctx.config.trading_mode}) and IB_USERNAME, then "
                            "restart ibga")
        ctx.actor.click_and_wait(recognition, "ok_button")
        back_off(ctx, f"login failed: {_one_line(text)}")
        return ACTED


def _refused(ctx: Context, reason: str, advice: str) -> Outcome:
    """A final refusal: remembered (a restart with the same configuration does not try again), said
    loudly once, notified, and the runner stops with the dialog left on screen."""
    ctx.refused.remember(ctx.config, reason)
    ctx.status.set("error", error=reason)
    ctx.log.error("!!! %s. %s !!!", reason.rstrip("."), advice)
    ctx.notifier.notify("login_refused", reason)
    return Outcome(fatal=reason)


class TooManyAttemptsHandler(Handler):
    screens = frozenset({"too_many_failed_attempts"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        text = readback.text_of(ctx.frame, recognition.window) if recognition.window else ""
        if ctx.config.manual_login:
            return wait_for_a_person(ctx, recognition.screen,
                                     f"too many failed login attempts ({_one_line(text)})")
        seconds = wait_seconds(text)
        wait = (seconds if seconds is not None else LOCKOUT_UNREADABLE_S) + LOCKOUT_MARGIN_S
        ctx.actor.click_and_wait(recognition, "ok_button")
        ctx.session.login_not_before = time.monotonic() + wait
        why = "too many failed login attempts"
        ctx.status.set("logging_in", error=why)
        ctx.log.warning("%s: the gateway asks to wait %s; logging in again in %.0f s", why,
                        f"{seconds} s" if seconds is not None else "(unreadable)", wait)
        return ACTED


class RetryLaterHandler(Handler):
    """Failures that end with OK and a later attempt: server trouble, unrecognized credentials."""

    screens = frozenset({"server_disconnected_error", "unrecognized_credentials", "not_currently_available"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        ctx.actor.click_and_wait(recognition, "ok_button")
        back_off(ctx, recognition.screen.replace("_", " "))
        return ACTED


def wait_seconds(text: str) -> int | None:
    """The wait a lockout dialog asks for: "wait 53 seconds", "wait 4 minutes & 47 seconds"."""
    text = text.lower()
    minutes = re.search(r"(\d+)\s*minute", text)
    seconds = re.search(r"(\d+)\s*second", text)
    if not minutes and not seconds:
        return None
    return (int(minutes[1]) * 60 if minutes else 0) + (int(seconds[1]) if seconds else 0)


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()) or "(the message could not be read)"
    return text if len(text) <= limit else text[:limit] + "…"
