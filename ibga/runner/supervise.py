"""``ibga supervise``: everything the container runs, started in order and stopped in reverse.

Start: the time zone from IB_TIMEZONE; Xvfb 1024x768x24 (retried when it does not come up);
x11vnc and noVNC on it; the API relay IBG_PORT → 127.0.0.1:IBG_PORT_INTERNAL; IB Gateway
installed from IBG_DOWNLOAD_URL when IBG_DIR has none (with a message on the screen); then the
runner, in a thread, watched. Xvfb that dies later is started again with VNC and the runner
(a few times); VNC that dies alone is started again alone. When the runner must not go on
(refused credentials), the container stays up with the reason on the screen, as IBGA's does,
rather than exit into a restart loop.

Stop (SIGTERM from ``docker stop``, or Ctrl-C): the runner first, which closes the gateway
gracefully (a killed gateway strands its IB session), then the relay, VNC and Xvfb — well within
a 30 s stop grace period.

Never a fake gateway: without IB_USERNAME the real gateway runs all the same, for a person to log in
over noVNC (a manual login, said loudly in the log), and ibga keeps that session as any other. The
replica demo (`ibga.runner.demo`), whose API answers with an invented paper account, runs only when
asked for by name: IBGA_DEMO=true.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ibga.runner import secrecy
from ibga.runner.banner import Banner
from ibga.runner.config import Config, ConfigError, load_config
from ibga.runner.install import InstallError, InstallStopped, ensure_installed
from ibga.runner.relay import Relay, RelayError
from ibga.runner.vnc import DEFAULT_NOVNC_PORT, DEFAULT_VNC_PORT, VncError, VncServers, start_vnc
from ibga.runner.xvfb import Xvfb, XvfbError, start_xvfb

SCREEN = (1024, 768, 24)
MAX_DISPLAY_RESTARTS = 5
WATCH_S = 0.5

log = logging.getLogger("ibga.supervise")


@dataclass(frozen=True)
class ScreenOptions:
    """How the screen is shown: ports, and who may reach it."""

    vnc_port: int = DEFAULT_VNC_PORT
    novnc_port: int = DEFAULT_NOVNC_PORT
    allow_open_vnc: bool = False
    """Listen on every interface even without IBGA_VNC_PASSWORD."""
    local_only: bool = False
    """Listen on 127.0.0.1 whatever the password."""


class Display:
    """Xvfb and the VNC servers that show it, started and restarted together."""

    def __init__(self, password, options: ScreenOptions):
        self.password, self.options = password, options
        self.xvfb: Xvfb | None = None
        self.vnc: VncServers | None = None

    @property
    def name(self) -> str:
        return self.xvfb.display

    def start(self) -> Display:
        self.xvfb = start_xvfb(*SCREEN)
        log.info("Xvfb %dx%dx%d on display %s", *SCREEN, self.xvfb.display)
        try:
            self.start_vnc()
        except BaseException:
            self.xvfb.stop()
            raise
        return self

    def start_vnc(self) -> None:
        o = self.options
        self.vnc = start_vnc(self.xvfb.display, password=self.password, allow_open=o.allow_open_vnc,
                             local_only=o.local_only, vnc_port=o.vnc_port, novnc_port=o.novnc_port)

    def xvfb_alive(self) -> bool:
        return self.xvfb is not None and self.xvfb.process.poll() is None

    def keep_vnc_up(self) -> None:
        """Start VNC again when it died while Xvfb lives (a crash must not leave people blind)."""
        if self.vnc is not None and not self.vnc.running() and self.xvfb_alive():
            log.warning("VNC or noVNC exited; starting them again")
            self.vnc.stop()
            try:
                self.start_vnc()
            except VncError as exc:
                log.error("%s", exc)
                self.vnc = None

    def stop(self) -> None:
        if self.vnc is not None:
            self.vnc.stop()
            self.vnc = None
        if self.xvfb is not None:
            self.xvfb.stop()
            self.xvfb = None


def on_stop_signals(stop: threading.Event, said: Callable[[], None] | None = None) -> Callable[[], None]:
    """SIGTERM and SIGINT set `stop` (from the main thread only); returns what restores the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def handler(signum, _frame) -> None:
        if not stop.is_set() and said:
            said()
        stop.set()

    for sig in previous:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


def run_runner_on(display: Display, config: Config, stop: threading.Event, status_path: Path | None) -> int:
    """The runner in a thread on `display`, until it ends or `stop` is set; Xvfb restarted if it dies.

    Returns the runner's exit code (0 when stopped on request).
    """
    restarts = 0
    while True:
        runner_stop = threading.Event()
        thread, codes = _start_runner(config, display.name, runner_stop, status_path)
        display_died = False
        while thread.is_alive():
            thread.join(WATCH_S)
            if stop.is_set():
                runner_stop.set()
            elif not display.xvfb_alive():
                display_died = True
                runner_stop.set()
            else:
                display.keep_vnc_up()
        code = codes[0] if codes else 1
        display_died = display_died or not display.xvfb_alive()
        if stop.is_set() or not display_died:
            return code
        restarts += 1
        if restarts > MAX_DISPLAY_RESTARTS:
            log.error("Xvfb died %d times; giving up", restarts)
            return 1
        log.error("Xvfb died (display %s); starting the screen and the runner again (%d of %d)",
                  display.name, restarts, MAX_DISPLAY_RESTARTS)
        display.stop()
        if stop.wait(min(30.0, 2.0 ** restarts)):
            return 0
        try:
            display.start()
        except (XvfbError, VncError) as exc:
            log.error("%s", exc)
            return 1


def _start_runner(config: Config, display: str, stop: threading.Event,
                  status_path: Path | None) -> tuple[threading.Thread, list[int]]:
    from ibga.runner.loop import run

    codes: list[int] = []

    def target() -> None:
        try:
            codes.append(run(config, display, stop, status_path=status_path))
        except Exception:
            log.exception("the runner failed")
            codes.append(1)

    thread = threading.Thread(target=target, name="ibga-runner")
    thread.start()
    return thread, codes


def supervise(environ: Mapping[str, str] | None = None, options: ScreenOptions = ScreenOptions(),
              stop: threading.Event | None = None) -> int:
    """Run the container: screen, VNC, API relay, installation, runner; stop it all on SIGTERM.

    Parameters
    ----------
    environ : Mapping, optional
        The configuration (IBGA's variables); `os.environ` when None.
    options : ScreenOptions
        VNC and noVNC ports and exposure.
    stop : threading.Event, optional
        Set it to stop; SIGTERM and SIGINT set it too.

    Returns
    -------
    int
        0 when stopped on request; 1 when something could not start or the runner must not go on;
        2 for bad configuration.
    """
    env = os.environ if environ is None else environ
    try:
        config = load_config(env)
    except ConfigError as exc:
        print(f"ibga supervise: {exc}", file=sys.stderr, flush=True)
        return 2
    secrecy.hide_config(config)
    if config.demo:
        from ibga.runner.demo import demo

        log.warning("IBGA_DEMO=true: running the demo against ibga's replica of IB Gateway, a test double "
                    "whose API answers with an invented paper account; never point a trading bot at it")
        return demo(novnc_port=options.novnc_port, api_port=config.port, public=not options.local_only,
                    stop=stop)
    stop = stop or threading.Event()
    restore = on_stop_signals(stop, lambda: log.info("stopping: the runner and the gateway first"))
    try:
        return _supervise(config, env, options, stop)
    finally:
        restore()


def _supervise(config: Config, env: Mapping[str, str], options: ScreenOptions, stop: threading.Event) -> int:
    from ibga.runner.status import default_status_path

    if config.zoneinfo_name:
        os.environ["TZ"] = config.zoneinfo_name
        time.tzset()
        log.info("time zone %s (IB_TIMEZONE)", config.zoneinfo_name)
    started = time.monotonic()
    with contextlib.ExitStack() as running:
        try:
            display = Display(config.vnc_password, options).start()
            running.callback(_stopping("the screen (VNC, Xvfb)", display.stop))
            relay = Relay(config.port, config.port_internal).start()
            running.callback(_stopping("the API relay", relay.stop))
        except (XvfbError, VncError, RelayError) as exc:
            log.error("%s", exc)
            return 1
        if not _install(config, display, stop):
            return 0 if stop.is_set() else 1
        if stop.is_set():
            return 0
        status_path = default_status_path(env)
        code = run_runner_on(display, config, stop, status_path)
        if code != 0 and not stop.is_set():
            _wait_for_a_person(display, status_path, stop)
    log.info("stopped after %.0f s (exit code %d)", time.monotonic() - started, code)
    return code


def _wait_for_a_person(display: Display, status_path: Path, stop: threading.Event) -> None:
    """As IBGA: after a fatal stop (refused credentials) the container stays up, showing why, instead
    of exiting into a restart loop; `ibga health` says unhealthy meanwhile."""
    from ibga.runner.status import StatusError, read_status

    try:
        reason = read_status(status_path).last_error or "see the log"
    except StatusError:
        reason = "see the log"
    log.error("the runner stopped and will not log in again by itself: %s. Fix the configuration and "
              "restart the container.", reason)
    banner = Banner(display.name)
    banner.say(f"ibga stopped: {reason}")
    try:
        while not stop.wait(WATCH_S):
            if display.xvfb_alive():
                display.keep_vnc_up()
    finally:
        banner.close()


def _install(config: Config, display: Display, stop: threading.Event) -> bool:
    banner = Banner(display.name)
    try:
        ensure_installed(config.ibg_dir, config.download_url, stop=stop, on_step=banner.say)
    except InstallStopped:
        log.info("stopped during the installation")
        return False
    except InstallError as exc:
        log.error("%s", exc)
        return False
    finally:
        banner.close()
    return True


def _stopping(what: str, stop: Callable[[], None]) -> Callable[[], None]:
    def stop_and_say() -> None:
        log.info("stopping %s", what)
        stop()

    return stop_and_say
