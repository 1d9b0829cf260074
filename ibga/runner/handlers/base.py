"""What every handler gets (`Context`) and gives back (`Outcome`), and the `Handler` shape.

IBC's split: a recognizer says which screen shows (`ibga.recognition`), a handler decides and
acts for that screen kind only. Handlers keep what they must remember between frames in the
`Session` (one gateway launch) or in the `Context` (the runner's life).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np

from ibga.recognition.contract import Recognition
from ibga.runner.actions import Actor
from ibga.runner.bookkeeping import LoginBudget, RefusedCredentials, StatusKeeper
from ibga.runner.config import Config
from ibga.runner.notify import Notifier

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Outcome:
    """What a handler did.

    Attributes
    ----------
    acted : bool
        It clicked or typed.
    fatal : str or None
        ibga must stop for good with this reason (exit code 1): e.g. refused credentials.
    give_up : str or None
        Stop relaunching the gateway and wait for a person, with this reason.
    relaunch_after : float or None
        The gateway is about to exit on purpose: launch it again only after this many seconds.
    """

    acted: bool = False
    fatal: str | None = None
    give_up: str | None = None
    relaunch_after: float | None = None


WAITING = Outcome()
ACTED = Outcome(acted=True)


@dataclass
class Session:
    """What handlers remember during one launch of the gateway."""

    launched_at: float = field(default_factory=time.monotonic)
    logged_in_at: float | None = None
    restart_until: float = 0.0
    """Until then a login window is the gateway's own auto restart logging in: leave it alone."""
    settings_done: bool = False
    """No more settings steps in this launch: they were applied, or failed `SETTINGS_TRIES` times."""
    settings_retry_at: float = 0.0
    """After a failed settings step, the next one waits until then."""
    unusable: str | None = None
    """Why the gateway, logged in, is not usable (settings not applied, API silent); None when it is."""
    export_tried: str | None = None
    """The day (ISO date) the daily log export was tried during this launch."""
    login_not_before: float = 0.0
    login_clicked_at: float | None = None
    push_since: float | None = None
    push_cancelled: bool = False
    device_tries: int = 0
    totp_step: int | None = None
    existing_since: float | None = None
    unknown_since: float | None = None
    unknown_saved: bool = False
    masked_boxes: list[Box] = field(default_factory=list)
    """Boxes of secret fields of the last login window seen: painted black in diagnostics."""
    said: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class Context:
    """The runner's side of a handler call."""

    config: Config
    actor: Actor
    log: logging.Logger
    status: StatusKeeper
    budget: LoginBudget
    refused: RefusedCredentials
    notifier: Notifier
    diagnostics_dir: Path
    stop: threading.Event
    session: Session = field(default_factory=Session)
    frame: np.ndarray | None = None
    failures: int = 0
    """Failed logins (not final ones) since the last successful login: the backoff grows with them."""
    hold: str | None = None
    """Set when logging in again must wait for a person (e.g. a push not approved, policy stop)."""

    def once(self, key: str, level: int, message: str, *args) -> bool:
        """Log `message` only the first time `key` is seen in this gateway launch; True if logged."""
        if key in self.session.said:
            return False
        self.session.said.add(key)
        self.log.log(level, message, *args)
        return True


class Handler:
    """One screen kind: `screens` are the screen ids it handles."""

    screens: ClassVar[frozenset[str]] = frozenset()

    def handle(self, ctx: Context, recognition: Recognition) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError


def wait_for_a_person(ctx: Context, screen: str, what: str) -> Outcome:
    """Manual login (no IB_USERNAME): touch nothing, say once per launch and `screen` that a person must
    act, and tell the webhook."""
    ctx.status.set("waiting_for_person", error=f"manual login: {what}")
    if ctx.once(f"person-{screen}", logging.WARNING, "!!! manual login: %s (ibga types no credentials) !!!",
                what):
        ctx.notifier.notify("login_needed", f"IB Gateway (manual login): {what}")
    return WAITING
