"""Notices that need one known answer, screens that only need waiting, and windows left to people.

Every answer is a named button of an allowlist; nothing here clicks a bare "OK" on a screen it
does not know (ibg-controller's lesson: OK on "Connecting to server..." cancels the login).
"""

from __future__ import annotations

import logging

from ibga.recognition.contract import Recognition
from ibga.runner.handlers.base import ACTED, WAITING, Context, Handler, Outcome

MAX_LOGIN_MESSAGE_ROUNDS = 3

ANSWERS: dict[str, tuple[tuple[str, ...], str]] = {
    # screen: (buttons, first present is clicked), why
    "paper_trading_warning": (("accept_button",), "paper trading warning accepted"),
    "bid_ask_last_size_update": (("accept_button",), "bid/ask/last size notice accepted"),
    "newer_version_available": (("no_button", "ok_button"), "newer version offer declined"),
    "reconnect_confirmation": (("ok_button",), "reconnect confirmed"),
    "auto_restart_notice": (("ok_button",), "auto restart notice acknowledged"),
    "exit_session_setting": (("ok_button",), "the scheduled logoff/restart warning acknowledged"),
    "about_gateway": (("ok_button",), "About dialog closed"),
    "password_expiry_notice": (("ok_button",), "password expiry notice acknowledged"),
    "api_not_available_free_trading": (("ok_button",), "API not available for this account (IBKR Lite?)"),
    "use_ssl_encryption": (("reconnect_using_ssl_button",), "reconnecting using SSL"),
    "exit_confirmation": (("no_button",), "exit not confirmed (ibga did not ask to exit)"),
}

WAIT_FOR = {
    "connecting_progress": "the gateway is connecting",
    "shutdown_progress": "the gateway is shutting down",
}

LEFT_TO_PEOPLE = {
    "settings": "the settings dialog is open",
    "view_logs": "a log viewer is open",
    "export_filename_chooser": "a log export is in progress",
    "export_done_message": "a log export finished",
    "second_factor_code_card": "the gateway asks for a security code card answer: only a person can give it",
    "trading_login_handoff": "the gateway asks about the other session (Trading Login Handoff)",
}


class AnswerHandler(Handler):
    screens = frozenset(ANSWERS)

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        buttons, why = ANSWERS[recognition.screen]
        for name in buttons:
            if name in recognition.elements:
                ctx.actor.click_and_wait(recognition, name)
                ctx.log.info("%s", why)
                return ACTED
        ctx.once(f"no-answer-{recognition.screen}", logging.WARNING, "%s shows none of %s",
                 recognition.screen, ", ".join(buttons))
        return WAITING


class LoginMessagesHandler(Handler):
    """Login Messages: "Later" for each message, then "Resume Login"."""

    screens = frozenset({"login_messages"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        counts = ctx.session.counts
        if counts["login_messages"] >= MAX_LOGIN_MESSAGE_ROUNDS:
            if ctx.once("login-messages-stuck", logging.WARNING, "!!! Login Messages stays open: a person "
                        "may need to complete an account task (through VNC) !!!"):
                ctx.notifier.notify("login_messages", "IB Gateway shows Login Messages ibga cannot clear")
            return WAITING
        counts["login_messages"] += 1
        later = sorted(name for name in recognition.elements if name.startswith("later_button"))
        for name in later:
            ctx.actor.click(recognition.elements[name])
            ctx.actor.settle()
        if "resume_login_button" in recognition.elements:
            ctx.actor.click_and_wait(recognition, "resume_login_button")
        ctx.log.info("Login Messages: %d put off, login resumed", len(later))
        return ACTED


class WaitHandler(Handler):
    screens = frozenset(WAIT_FOR)

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        if recognition.screen == "connecting_progress" and ctx.session.logged_in_at is None:
            ctx.status.set("logging_in")
        return WAITING


class LeaveAloneHandler(Handler):
    screens = frozenset(LEFT_TO_PEOPLE)

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        why = LEFT_TO_PEOPLE[recognition.screen]
        ctx.once(f"left-{recognition.screen}", logging.INFO, "%s: not touching it", why)
        return WAITING
