"""``ibga demo``: the whole thing on a machine without an IBKR account, to watch in a browser.

A private Xvfb; the replica gateway (``tools/replica``, ibga's test double of IB Gateway)
installed by its installer into a temporary directory; a paper account scenario (user ``demo``,
password ``demo``, the replica's defaults); the runner logging it in by looking at the screen;
noVNC at http://127.0.0.1:5800 to watch; the API published on 127.0.0.1:4000 through the relay.
Progress goes to stdout, the runner's log to stderr. Ctrl-C (or SIGTERM) stops the runner, which
closes the gateway, then the relay, VNC and Xvfb, and removes the temporary directory.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from ibga.runner import logs, secrecy
from ibga.runner.config import ConfigError, Secret, load_config
from ibga.runner.relay import Relay, RelayError
from ibga.runner.supervise import Display, ScreenOptions, on_stop_signals, run_runner_on
from ibga.runner.vnc import DEFAULT_NOVNC_PORT, VncError
from ibga.runner.xvfb import XvfbError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # the replica's default account: not a secret
DEFAULT_API_PORT = 4000
SCENARIO = {"account": "paper", "username": DEMO_USERNAME, "password": DEMO_PASSWORD}


def say(text: str) -> None:
    """One progress line for the person running the demo."""
    print(f"ibga demo: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo(novnc_port: int = DEFAULT_NOVNC_PORT, api_port: int = DEFAULT_API_PORT, *, public: bool = False,
         stop: threading.Event | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the demo until Ctrl-C, SIGTERM or `stop`.

    Parameters
    ----------
    novnc_port : int
        Where noVNC serves the screen.
    api_port : int
        Where the gateway's API is published (through the relay).
    public : bool
        Listen on every interface (in a container) instead of 127.0.0.1.
    stop : threading.Event, optional
        Set it to stop.
    environ : Mapping, optional
        Read for IBGA_VNC_PASSWORD (or its _FILE) only; `os.environ` when None.

    Returns
    -------
    int
        0 when stopped on request, 1 when something could not start or the runner gave up.
    """
    env = os.environ if environ is None else environ
    stop = stop or threading.Event()
    if not logging.getLogger().handlers:
        logs.setup()
    restore = on_stop_signals(stop, lambda: say("stopping: the runner closes the gateway first ..."))
    try:
        # not "demo" in the name: the runner blanks the account name ("demo") in its log lines
        with tempfile.TemporaryDirectory(prefix="ibga-replica-") as workdir:
            return _demo(Path(workdir), novnc_port, api_port, public, stop, env)
    finally:
        restore()


def _demo(workdir: Path, novnc_port: int, api_port: int, public: bool, stop: threading.Event,
          env: Mapping[str, str]) -> int:
    from ibga.replica import ReplicaError, install

    started = time.monotonic()
    try:
        vnc_password = _vnc_password(env)
    except ConfigError as exc:
        say(str(exc))
        return 1
    secrecy.hide([vnc_password.reveal() if vnc_password else None])
    with contextlib.ExitStack() as running:
        options = ScreenOptions(vnc_port=free_port(), novnc_port=novnc_port, allow_open_vnc=public,
                                local_only=not public)
        try:
            display = Display(vnc_password, options).start()
        except (XvfbError, VncError) as exc:
            say(f"{exc}" + (" (choose another port with --port)" if "in use" in str(exc) else ""))
            return 1
        running.callback(display.stop)
        say(f"virtual screen {display.name} (1024x768); watch it at {display.vnc.url}")
        internal_port = free_port()
        try:
            relay = Relay(api_port, internal_port, "0.0.0.0" if public else "127.0.0.1").start()
        except RelayError as exc:
            say(f"{exc} (choose another port with --api-port)")
            return 1
        running.callback(relay.stop)
        say("installing the replica gateway from its installer (it compiles itself: a few seconds) ...")
        try:
            launcher = install(workdir / "ibg")
        except ReplicaError as exc:
            if stop.is_set():  # Ctrl-C from a terminal reaches the installer too
                return 0
            say(str(exc))
            return 1
        if stop.is_set():
            return 0
        settings_dir = workdir / "settings"
        config = _config(launcher, settings_dir, internal_port, api_port, env)
        say(f"replica installed at {launcher}; account: paper, user {DEMO_USERNAME!r}, password "
            f"{DEMO_PASSWORD!r} (the replica's demo account)")
        status_path = settings_dir / "ibga" / "status.json"
        say(f"API: 127.0.0.1:{api_port} once logged in (the gateway's own port is {internal_port}); "
            f"check with: ibga health --port {internal_port} --status {status_path}")
        say("the runner starts the gateway and logs it in by looking at the screen; Ctrl-C stops")
        watcher = threading.Thread(target=_report_progress, args=(status_path, stop, api_port), daemon=True)
        watcher.start()
        with _replica_scenario(workdir / "scenario.json"):
            code = run_runner_on(display, config, stop, status_path)
        stop.set()
        watcher.join(2)
        say("stopping the API relay, VNC and the virtual screen ...")
    say(f"stopped after {time.monotonic() - started:.0f} s")
    return code


def _vnc_password(env: Mapping[str, str]) -> Secret | None:
    """IBGA_VNC_PASSWORD or its _FILE, checked as the runner checks it; the rest of `env` is ignored."""
    names = ("IBGA_VNC_PASSWORD", "IBGA_VNC_PASSWORD_FILE")
    return load_config({k: env[k] for k in names if k in env}).vnc_password


def _config(launcher: Path, settings_dir: Path, internal_port: int, api_port: int, env: Mapping[str, str]):
    settings_dir.mkdir(parents=True)
    # the replica's API starts on its own default port (4002 for paper) until the runner sets
    # IBG_PORT_INTERNAL in its settings; a free port instead keeps the demo clear of other programs
    (settings_dir / "replica-settings.json").write_text(json.dumps({"api_port": str(free_port())}))
    ibg_dir = launcher.parents[2]  # DIR/Jts/ibgateway/ibgateway
    values = {
        "IB_USERNAME": DEMO_USERNAME, "IB_PASSWORD": DEMO_PASSWORD, "IB_LOGINTYPE": "paper",
        "IBG_DIR": str(ibg_dir), "IBG_SETTINGS_DIR": str(settings_dir),
        "IBG_PORT_INTERNAL": str(internal_port), "IBG_PORT": str(api_port),
    }
    values.update({k: env[k] for k in ("IBGA_VNC_PASSWORD", "IBGA_VNC_PASSWORD_FILE") if k in env})
    return load_config(values)


@contextlib.contextmanager
def _replica_scenario(path: Path):
    """The scenario reaches the replica through IBG_REPLICA_SCENARIO, which the gateway inherits."""
    path.write_text(json.dumps(SCENARIO))
    previous = os.environ.get("IBG_REPLICA_SCENARIO")
    os.environ["IBG_REPLICA_SCENARIO"] = str(path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("IBG_REPLICA_SCENARIO", None)
        else:
            os.environ["IBG_REPLICA_SCENARIO"] = previous


def _report_progress(status_path: Path, stop: threading.Event, api_port: int) -> None:
    """Say each change of the runner's state, and how to connect once logged in."""
    from ibga.runner.status import StatusError, read_status

    last = None
    while not stop.wait(0.5):
        try:
            status = read_status(status_path)
        except StatusError:
            continue
        if status.state == last:
            continue
        last = status.state
        detail = f" ({status.last_error})" if status.last_error and status.state != "logged_in" else ""
        say(f"state: {status.state}{detail}")
        if status.state == "logged_in":
            say(f"logged in: a TWS API client can connect to 127.0.0.1:{api_port} "
                f"(e.g. ib_async: IB().connect('127.0.0.1', {api_port}, clientId=1)); Ctrl-C stops")
