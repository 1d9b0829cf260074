"""The second factor: TOTP codes, the IB Key push wait, and the choice of device.

* TOTP (Mobile Authenticator app): the code comes from TOTP_KEY with pyotp; a code with less
  than `MIN_CODE_LIFE_S` left is not typed (it could expire on the way): the next one is.
  The same code is never submitted twice, nor one the code field does not show (`reads_as`:
  typed again, at worst left for the next turn).
* IB Key push: only a person can approve it. ibga says so loudly once (log and webhook),
  waits IBGA_PUSH_TIMEOUT seconds, then cancels and follows IBGA_PUSH_TIMEOUT_ACTION. When
  another device is wanted (TOTP_KEY, IBGA_2FA_DEVICE) it clicks "Change security device".
* Device list: the row named by IBGA_2FA_DEVICE, else the Mobile Authenticator app when
  TOTP_KEY is set, else IB Key with IB_PREFER_IBKEY (`Config.device_to_choose`), found by
  reading the rows (OCR).
"""

from __future__ import annotations

import logging
import time

import pyotp

from ibga.recognition.contract import Recognition
from ibga.runner import readback
from ibga.runner.actions import element_of, reads_as
from ibga.runner.config import PushTimeoutAction
from ibga.runner.handlers.base import ACTED, WAITING, Context, Handler, Outcome

TOTP_STEP_S = 30
MIN_CODE_LIFE_S = 3.0
MAX_DEVICE_TRIES = 3


class TotpHandler(Handler):
    screens = frozenset({"second_factor_totp"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s = ctx.session
        s.push_since = None
        ctx.status.set("waiting_2fa")
        if "code" in recognition.elements:
            s.masked_boxes = [recognition.elements["code"].box]
        if ctx.config.totp_key is None:
            if ctx.once("totp-missing", logging.WARNING, "!!! the gateway asks for a Mobile Authenticator "
                        "code and TOTP_KEY is not set: type the code through VNC !!!"):
                ctx.notifier.notify("second_factor_code", "IB Gateway asks for a Mobile Authenticator code")
            return WAITING
        remaining = TOTP_STEP_S - time.time() % TOTP_STEP_S
        if remaining < MIN_CODE_LIFE_S and not ctx.actor.sleep(remaining + 0.1):
            return WAITING
        now = time.time()
        step = int(now // TOTP_STEP_S)
        if s.totp_step == step:
            return WAITING  # this code was submitted already: wait for the next one
        code = pyotp.TOTP(ctx.config.totp_key.reveal()).at(now)
        ctx.actor.type_into(recognition, "code", code, verify=reads_as(code), tries=3, alike=True)
        s.totp_step = step
        ctx.actor.click(element_of(recognition, "ok_button"))
        ctx.log.info("second factor: Mobile Authenticator code entered")
        ctx.actor.wait_gone(recognition, 5.0)
        return ACTED


class PushHandler(Handler):
    screens = frozenset({"second_factor_push"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s, config = ctx.session, ctx.config
        ctx.status.set("waiting_2fa")
        wanted = config.device_to_choose
        if wanted and not is_ib_key(wanted) and "change_security_device" in recognition.elements:
            if s.device_tries < MAX_DEVICE_TRIES:
                s.device_tries += 1
                ctx.log.info("second factor: the gateway asks for IB Key; switching the device to %s", wanted)
                ctx.actor.click_and_wait(recognition, "change_security_device")
                return ACTED
            ctx.once("device-switch-failed", logging.WARNING, "could not switch the second-factor device to "
                     "%s; waiting for the IB Key notification instead", wanted)
        now = time.monotonic()
        if s.push_since is None:
            s.push_since = now
            message = (f"approve the IB Gateway login notification on your phone (IB Key); waiting up to "
                       f"{config.push_timeout} s")
            if ctx.once("push", logging.WARNING, "!!! %s !!!", message):
                ctx.notifier.notify("second_factor_push", message)
            return WAITING
        if now - s.push_since < config.push_timeout:
            return WAITING
        ctx.log.warning("the IB Key notification was not approved within %d s: cancelling it",
                        config.push_timeout)
        s.push_since = None
        if config.push_timeout_action is PushTimeoutAction.STOP:
            ctx.hold = ("an IB Key notification was not approved in time (IBGA_PUSH_TIMEOUT_ACTION=stop): "
                        "log in through VNC, or restart ibga")
        if "cancel_button" in recognition.elements:
            ctx.actor.click_and_wait(recognition, "cancel_button")
        return ACTED


class DeviceChoiceHandler(Handler):
    screens = frozenset({"second_factor_device_choice"})

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:
        s = ctx.session
        ctx.status.set("waiting_2fa")
        wanted = ctx.config.device_to_choose
        if wanted is None:
            if ctx.once("device-none", logging.WARNING, "!!! the gateway asks which second-factor device "
                        "to use: choose it through VNC, or set IBGA_2FA_DEVICE, TOTP_KEY or IB_PREFER_IBKEY "
                        "!!!"):
                ctx.notifier.notify("second_factor_device", "IB Gateway asks which second-factor device to "
                                                            "use")
            return WAITING
        if s.device_tries >= MAX_DEVICE_TRIES:
            ctx.once("device-tries", logging.WARNING, "could not choose the second-factor device %s after %d "
                     "tries; leaving the list to a person", wanted, MAX_DEVICE_TRIES)
            return WAITING
        s.device_tries += 1
        listing = element_of(recognition, "device_list").box
        rows = readback.read_lines(ctx.frame, listing)
        row = best_row(rows, wanted)
        if row is None:
            names = ", ".join(text for text, _ in rows) or "nothing readable"
            ctx.log.warning("the device list shows no %s (it reads: %s)", wanted, names)
            return ACTED
        text, (x, y, w, h) = row
        ctx.actor.click((listing[0] + listing[2] // 2, y + h // 2))
        ctx.actor.settle()
        ctx.log.info("second factor: choosing the device %r", text)
        ctx.actor.click_and_wait(recognition, "ok_button")
        return ACTED


def is_ib_key(device: str) -> bool:
    return readback.normal(device).startswith("ibkey")


def best_row(rows: list[tuple[str, tuple]], wanted: str) -> tuple[str, tuple] | None:
    """The row whose text is `wanted` (case, spaces and punctuation aside), else the first one that
    starts with it, else the first one that contains it."""
    want = readback.normal(wanted).replace(":", "")
    keyed = [(readback.normal(text).replace(":", ""), (text, box)) for text, box in rows]
    for test in (str.__eq__, str.startswith, str.__contains__):
        for key, row in keyed:
            if key and test(key, want):
                return row
    return None
