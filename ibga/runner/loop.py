"""The poll loop: keep the gateway running, look at the screen, let the screen's handler act.

Each turn: if the gateway is not running, launch it (again) when its backoff has passed;
otherwise grab a settled frame, recognize it, and hand it to the handler of that screen
(`ibga.runner.handlers`). The status file follows: starting → logging_in → waiting_2fa →
logged_in (starting → waiting_for_person → logged_in in a manual login), error when something
needs a person, stopped at the end. The gateway is launched again whenever it exits (daily
logoff or restart, crash), after 5 s, doubling up to 5 min while it keeps failing before a
login. SIGTERM/SIGINT (or `stop_event`) end the loop; the gateway is then closed gracefully.
Nothing secret is logged: handlers never format secrets, and the filter of `ibga.runner.logs`,
on every handler the runner's records reach, blanks any secret value that would slip through,
tracebacks included.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ibga.recognition import recognize
from ibga.recognition.contract import Recognition
from ibga.runner import logs, readback, secrecy
from ibga.runner.actions import ActionFailed, Actor, Recognizer
from ibga.runner.bookkeeping import LoginBudget, RefusedCredentials, StatusKeeper
from ibga.runner.config import Config
from ibga.runner.display import DisplayError, Screen
from ibga.runner.gateway import Gateway, GatewayError, find_launcher
from ibga.runner.handlers import ACTED, WAITING, Context, Outcome, Session, handler_for
from ibga.runner.notify import Notifier

LOGGER_NAME = "ibga.runner"
POLL_S = 0.25
AFTER_ACTION_S = 0.05
"""Poll interval right after an action: the screen it brings is wanted at once (a dialog closed by a
click shows the window behind it within a frame or two)."""
IDLE_POLL_S = 1.0
"""Poll interval once logged in and nothing happens (the idle CPU budget is 2 % of a core)."""
RELAUNCH_BACKOFF_S = (5.0, 300.0)
TOLERANT_AFTER_S = 1.5
"""An unknown screen this old gets the slow, tolerant recognition (OCR, a few hundred ms)..."""
TOLERANT_EVERY_S = 3.0
"""... at most this often, so that an unknown screen that changes all the time costs little CPU."""
REUSE_PIXELS = 1500
"""Changed pixels up to which a frame is taken to show what the last recognized one showed: a caret, a
clock, a new line in the main window's log; a dialog, a toggle, a page change more."""
REUSE_FOR_S = 60.0
"""... for at most this long (a safety net: many small changes over time add up to a new look anyway,
since frames are compared with the one that was recognized)."""
AUTORESTART_WAIT_S = 60.0
"""After a relaunch with the gateway's autorestart token, the login window is left alone this long."""
MAX_DISPLAY_ERRORS = 20
MANUAL_LOGIN = ("manual login: IB_USERNAME is not set, so ibga types no credentials. A person logs in "
                "through VNC (noVNC on port 5800 in the container); ibga then keeps the session: settings, "
                "daily restart or logoff, log export, health")


def run(config: Config, display: str, stop_event: threading.Event | None = None, *,
        status_path: Path | None = None, poll_interval: float = POLL_S) -> int:
    """Log the gateway in and keep it alive until `stop_event` is set or SIGTERM/SIGINT arrives.

    Parameters
    ----------
    config : Config
        From `ibga.runner.config.load_config`; without IB_USERNAME a person logs in (manual login).
    display : str
        The X display the gateway runs on (``":0"``).
    stop_event : threading.Event, optional
        Set it to stop; signals set it too when `run` is called from the main thread.
    status_path : Path, optional
        The status file; default ``IBG_SETTINGS_DIR/ibga/status.json``.
    poll_interval : float
        Seconds between looks while something is going on.

    Returns
    -------
    int
        0 when stopped on request; 1 when ibga must not go on (refused credentials, no gateway
        installed, the display gone); 2 when IB_USERNAME is set without IB_PASSWORD.
    """
    stop = stop_event or threading.Event()
    restore = _on_signals_set(stop)
    try:
        return Runner(config, display, stop, status_path, poll_interval).run()
    finally:
        restore()


def _fast_recognize(frame: np.ndarray) -> Recognition:
    return recognize(frame, tolerant=False)


class Runner:
    """The loop's state across turns; see `run`."""

    def __init__(self, config: Config, display: str, stop: threading.Event, status_path: Path | None = None,
                 poll_interval: float = POLL_S, recognizer: Recognizer = _fast_recognize):
        self.config, self.display, self.stop, self.poll_interval = config, display, stop, poll_interval
        self.log = logging.getLogger(LOGGER_NAME)
        secrecy.hide_config(config)
        own = config.ibg_settings_dir / "ibga"
        status_path = Path(status_path) if status_path else own / "status.json"
        self.status = StatusKeeper(status_path, config.port_internal, self.log)
        self.screen = Screen(display)
        self.actor = Actor(self.screen, recognizer, stop, tolerant=recognize)
        self.gateway = Gateway(config.ibg_dir, config.ibg_settings_dir, display)
        self.ctx = Context(
            config=config, actor=self.actor, log=self.log, status=self.status,
            budget=LoginBudget(status_path.parent, config.max_logins_per_day),
            refused=RefusedCredentials(status_path.parent), notifier=Notifier(config.webhook_url, self.log),
            diagnostics_dir=own / "diagnostics", stop=stop,
        )
        self.relaunch_at = 0.0
        self.backoff = RELAUNCH_BACKOFF_S[0]
        self.exit_reported = True
        self.give_up: str | None = None
        self._planned = False
        self._warm = False
        self._tolerant_at = 0.0
        self._last: tuple[np.ndarray, Recognition] | None = None
        self._last_at = 0.0
        self._said_words = False
        self._screen: str | None = None
        self._display_errors = 0

    # -- the loop ---------------------------------------------------------------------

    def run(self) -> int:
        logs.guard(LOGGER_NAME)
        readback.tune_allocator()
        code = self._preflight()
        if code is not None:
            return code
        code = 0
        was_idle = False
        try:
            while not self.stop.is_set():
                outcome = self.turn()
                if outcome.fatal:
                    code = 1
                    break
                idle = outcome is WAITING and self.ctx.session.logged_in_at is not None
                if idle and not was_idle:
                    before = _rss()
                    readback.release_memory()
                    self.actor.forget()
                    self.log.debug("idle: memory given back (RSS %s -> %s)", before, _rss())
                was_idle = idle
                self.stop.wait(IDLE_POLL_S if idle else AFTER_ACTION_S if outcome is ACTED
                               else self.poll_interval)
        finally:
            self._shut_down(code)
        return code

    def _preflight(self) -> int | None:
        config = self.config
        self.log.info("ibga runner: display %s, gateway in %s, settings in %s", self.display, config.ibg_dir,
                      config.ibg_settings_dir)
        for line in config.describe():
            self.log.info("  %s", line)
        for warning in config.warnings:
            self.log.warning("%s", warning)
        if config.manual_login:
            self.log.warning("!!! %s !!!", MANUAL_LOGIN)
        elif config.password is None:
            return self._cannot_start("IB_PASSWORD must be set with IB_USERNAME to log in", 2)
        earlier = None if config.manual_login else self.ctx.refused.refused(config)
        if earlier:
            return self._cannot_start(f"the gateway refused these credentials {earlier}; not trying them "
                                      "again (IBKR locks accounts): fix IB_USERNAME / IB_PASSWORD / "
                                      "IB_LOGINTYPE", 1)
        try:
            find_launcher(config.ibg_dir)
        except GatewayError as exc:
            return self._cannot_start(str(exc), 1)
        return None

    def _cannot_start(self, reason: str, code: int) -> int:
        self.log.error("%s", reason)
        self.status.set("error", error=reason)
        self.screen.close()
        return code

    def turn(self) -> Outcome:
        """One look at the screen (or at the gateway process) and what was done about it."""
        if not self.gateway.running:
            self._gateway_down()
            return WAITING
        try:
            frame = self.actor.grab()  # most turns once logged in: nothing changed, nothing to settle or read
            taken = time.monotonic()
            recognition = self._reuse(frame, taken)
            if recognition is None:
                frame = self.actor.settle(timeout=0.5)
                taken = time.monotonic()
                recognition = self._recognize(frame)
            self._display_errors = 0
        except DisplayError as exc:
            self._display_errors += 1
            self.ctx.once("display", logging.ERROR, "the display does not answer: %s", exc)
            if self._display_errors >= MAX_DISPLAY_ERRORS:
                reason = f"the display {self.display} is gone"
                self.status.set("error", error=reason)
                return Outcome(fatal=reason)
            return WAITING
        if recognition.screen != self._screen:
            self._screen = recognition.screen
            self.log.debug("screen: %s (score %.2f), recognized %.0f ms after its frame was taken",
                           recognition.screen, recognition.score, (time.monotonic() - taken) * 1000)
        return self._dispatch(frame, recognition)

    def _dispatch(self, frame: np.ndarray, recognition: Recognition) -> Outcome:
        session = self.ctx.session
        if recognition.screen != "unknown":
            session.unknown_since, session.unknown_saved = None, False
        handler = handler_for(recognition.screen)
        if handler is None:
            self.ctx.once(f"unhandled-{recognition.screen}", logging.INFO, "%s shows: nothing to do about it",
                          recognition.screen)
            return WAITING
        self.ctx.frame = frame
        try:
            outcome = handler.handle(self.ctx, recognition)
        except ActionFailed as exc:
            self.log.warning("%s: %s", recognition.screen, exc)
            outcome = ACTED
        except Exception:  # a bug in a handler must not end the session; say where, go on
            self.log.error("the %s handler failed", recognition.screen, exc_info=True)
            self.stop.wait(1.0)
            outcome = ACTED
        if outcome.acted:
            self._last = None
        if outcome.give_up:
            self.give_up = outcome.give_up
            self.log.warning("not launching the gateway again: %s", outcome.give_up)
            self.gateway.stop()
        if outcome.relaunch_after is not None:
            self.relaunch_at = time.monotonic() + outcome.relaunch_after
            self._planned = True
        if session.logged_in_at is not None:
            self.backoff = RELAUNCH_BACKOFF_S[0]
        return outcome

    def _tolerant_due(self, now: float) -> bool:
        since = self.ctx.session.unknown_since
        return (since is not None and now - since >= TOLERANT_AFTER_S
                and now - self._tolerant_at >= TOLERANT_EVERY_S)

    def _reuse(self, frame: np.ndarray, now: float) -> Recognition | None:
        """The last recognition, if `frame` shows the same (see `_recognize`) and it is not time to read an
        unknown screen by its words."""
        last = self._last
        if last is None or now - self._last_at >= REUSE_FOR_S:
            return None
        if last[1].screen == "unknown" and self._tolerant_due(now):
            return None
        return last[1] if readback.changed_pixels(last[0], frame) <= REUSE_PIXELS else None

    def _recognize(self, frame: np.ndarray) -> Recognition:
        """Recognition of `frame`: the last one again for a frame that is the same but for a caret or a
        few changed pixels (`REUSE_PIXELS`, for at most `REUSE_FOR_S`); the word path for an unknown
        that lasts, or at once on a gateway build that needs it (`Actor.by_words`)."""
        now = time.monotonic()
        again = self._reuse(frame, now)
        if again is not None:
            return again
        tolerant = self._tolerant_due(now)
        if tolerant:
            self._tolerant_at = now
        try:
            recognition = self.actor.recognize(frame, tolerant=tolerant)
        except DisplayError:
            raise
        except Exception as exc:  # the word path is a bonus; a failure must not stop the loop
            self.ctx.once("tolerant", logging.WARNING, "tolerant recognition failed: %s", exc)
            recognition = self.actor.recognize(frame)
        if self.actor.by_words and not self._said_words:
            self._said_words = True
            self.log.warning("this gateway build is not the one ibga's screen model was built from: screens "
                             "are read by their words (slower); please report its version")
        self._last, self._last_at = (frame, recognition), now
        return recognition

    # -- the gateway process -------------------------------------------------------------

    def _gateway_down(self) -> None:
        now = time.monotonic()
        if self.gateway.process is not None and not self.exit_reported:
            self.exit_reported = True
            code = self.gateway.poll()
            when = "after logging in" if self.ctx.session.logged_in_at is not None else "before logging in"
            if self._planned:
                self._planned = False
            else:
                self.relaunch_at = now + self.backoff
                self.backoff = min(RELAUNCH_BACKOFF_S[1], self.backoff * 2)
            if self.give_up:
                self.log.info("the gateway exited with code %s %s", code, when)
            else:
                self.log.warning("the gateway exited with code %s %s; launching it again in %.0f s", code,
                                 when, max(0.0, self.relaunch_at - now))
            self.status.set("starting", error=f"the gateway exited with code {code} {when}")
        if self.give_up:
            self.status.set("stopped", error=self.give_up)
            return
        if now < self.relaunch_at:
            return
        restarting = self.gateway.autorestart_pending()
        try:
            pid = self.gateway.start()
        except GatewayError as exc:
            self.relaunch_at = now + self.backoff
            self.backoff = min(RELAUNCH_BACKOFF_S[1], self.backoff * 2)
            self.log.error("%s; trying again in %.0f s", exc, self.relaunch_at - now)
            self.status.set("error", error=str(exc))
            return
        self.ctx.session = Session()
        if restarting:
            self.ctx.session.restart_until = time.monotonic() + AUTORESTART_WAIT_S
            self.log.info("the gateway restarts itself (autorestart token present): it logs in by itself")
        self.exit_reported = False
        self._last = None
        self.log.info("gateway launched (pid %d): %s", pid, " ".join(self.gateway.command()))
        self.status.set("starting")
        if not self._warm:
            self._warm = True
            readback.warm_up()  # while the gateway starts
            with contextlib.suppress(DisplayError):  # input's first use costs ~70 ms: not at the login window
                self.screen.move(0, 0)

    def _shut_down(self, code: int) -> None:
        if self.gateway.running:
            self.log.info("closing the gateway")
        self.gateway.stop()
        if code == 0:
            self.status.set("stopped")
        self.screen.close()
        self.log.info("ibga runner stopped")


def _rss() -> str:
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
        line = next(ln for ln in lines if ln.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return "unknown"
    return f"{int(line.split()[1]) // 1024} MB"


def _on_signals_set(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM and SIGINT set `stop` (main thread only); returns what puts the old handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def on_signal(signum, _frame) -> None:
        stop.set()

    for sig in previous:
        signal.signal(sig, on_signal)

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
