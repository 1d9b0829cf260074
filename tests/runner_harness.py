"""What the runner's end-to-end tests share: `start_runner` runs `ibga.runner.loop.run` in a thread
against the replica installed by its installer, on the session's Xvfb, and gives the tests the
replica's truth (events, saved settings), the runner's status file and everything it logged.

A scenario reaches the replica launched by the runner through IBG_REPLICA_SCENARIO, which the
runner's gateway inherits from this process's environment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import socket
import threading
from pathlib import Path

import pytest
from waiting import wait_for

from ibga.runner.config import load_config
from ibga.runner.loop import LOGGER_NAME, run

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "s3cret<pw>é€"
LOGIN_TIMEOUT = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_answers(port: int, real_clock: bool = True) -> bool:
    """A real ib_async client connects and gets the server's time (close to ours unless the scenario
    runs a fast clock)."""
    from ib_async import IB

    ib = IB()
    try:
        ib.connect("127.0.0.1", port, clientId=11, timeout=10)
        now = ib.reqCurrentTime()
        return not real_clock or abs((now - dt.datetime.now(dt.UTC)).total_seconds()) < 30
    finally:
        ib.disconnect()


class Captured(logging.Handler):
    """Every line the runner logs, formatted, in memory."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record):
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class RunningRunner:
    """`run` in a thread, with what the tests look at."""

    def __init__(self, settings_dir: Path, port: int, env: dict, display: str, log: Captured):
        self.settings_dir, self.port, self.env, self.log = settings_dir, port, env, log
        self.stop_event = threading.Event()
        self.codes: list[int] = []
        config = load_config(env)
        self.thread = threading.Thread(
            target=lambda: self.codes.append(run(config, display, self.stop_event)), daemon=True)
        self.thread.start()

    # -- what happened ------------------------------------------------------------------

    def status(self) -> dict:
        try:
            return json.loads((self.settings_dir / "ibga" / "status.json").read_text())
        except (OSError, ValueError):
            return {}

    def wait_status(self, state: str, timeout: float = LOGIN_TIMEOUT) -> dict:
        return wait_for(lambda: self.status() if self.status().get("state") == state else None, timeout, 0.2)

    def wait_log(self, text: str, timeout: float = LOGIN_TIMEOUT) -> str:
        return wait_for(lambda: next((line for line in list(self.log.lines) if text in line), None),
                        timeout, 0.1)

    def events(self, name: str | None = None, previous: bool = False) -> list[dict]:
        """The replica's event log of its current launch (and the one before, with `previous`)."""
        files = ["events.prev.jsonl", "events.jsonl"] if previous else ["events.jsonl"]
        out = []
        for file in files:
            path = self.settings_dir / "replica" / file
            if path.exists():
                for line in path.read_text().splitlines():
                    if line.strip():
                        event = json.loads(line)
                        if name is None or event.get("event") == name:
                            out.append(event)
        return out

    def replica_settings(self) -> dict:
        return json.loads((self.settings_dir / "replica-settings.json").read_text())

    def gateway_pid(self) -> int:
        return self.events("started")[-1]["pid"]

    def wait_exit(self, timeout: float = 60) -> int:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the runner did not end"
        return self.codes[0]

    def stop(self, timeout: float = 60) -> int:
        self.stop_event.set()
        return self.wait_exit(timeout)


@pytest.fixture
def start_runner(replica_launcher, xvfb, tmp_path, monkeypatch):
    """Start the runner against the replica installed by its installer; scenario and environment per test."""
    started: list[RunningRunner] = []
    logger = logging.getLogger(LOGGER_NAME)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    captured = Captured()
    logger.addHandler(captured)
    ibg_dir = replica_launcher.parents[2]  # DIR/Jts/ibgateway/ibgateway

    def start(scenario: dict, env: dict | None = None, settings: dict | None = None,
              before=None) -> RunningRunner:
        settings_dir = tmp_path / "settings"
        settings_dir.mkdir(exist_ok=True)
        replica_settings = {"api_port": str(free_port()), "time_zone": "UTC"}
        replica_settings.update(settings or {})
        (settings_dir / "replica-settings.json").write_text(json.dumps(replica_settings))
        scenario_path = settings_dir / "scenario.json"
        scenario_path.write_text(json.dumps(scenario))
        monkeypatch.setenv("IBG_REPLICA_SCENARIO", str(scenario_path))
        port = free_port()
        full_env = {
            "IB_USERNAME": scenario.get("username", "demo"), "IB_PASSWORD": scenario.get("password", "demo"),
            "IB_LOGINTYPE": "paper" if scenario.get("account", "paper") == "paper" else "live",
            "IBG_DIR": str(ibg_dir), "IBG_SETTINGS_DIR": str(settings_dir),
            "IBG_PORT_INTERNAL": str(port), "IBG_PORT": str(free_port()),
        }
        full_env.update(env or {})
        if before:
            before(settings_dir)
        runner = RunningRunner(settings_dir, port, full_env, xvfb.display, captured)
        started.append(runner)
        return runner

    yield start
    for runner in started:
        runner.stop_event.set()
        runner.thread.join(60)
    logger.removeHandler(captured)
    logger.setLevel(level)


def logoff_in_12_hours() -> str:
    at = dt.datetime.now(dt.UTC) + dt.timedelta(hours=12)
    return at.strftime("%I:%M %p")


def assert_no_secret_anywhere(runner: RunningRunner, *secrets: str) -> None:
    """Not in the runner's log, its files, the gateway's argv or environment, nor any process's argv."""
    texts = {"the runner's log": runner.log.text}
    for path in (runner.settings_dir / "ibga").rglob("*"):
        if path.is_file():
            texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    for path in (runner.settings_dir / "replica").glob("*.jsonl"):
        texts[str(path)] = path.read_text()
    pid = runner.gateway_pid()
    for what in ("cmdline", "environ"):
        with contextlib.suppress(OSError):  # the gateway may be gone already (a stopped runner)
            texts[f"/proc/{pid}/{what}"] = Path(f"/proc/{pid}/{what}").read_bytes().decode("utf-8", "replace")
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            texts[f"{proc}/cmdline"] = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
    assert len(texts) > 3
    for secret in secrets:
        leaks = [where for where, text in texts.items() if secret in text]
        assert not leaks, f"a secret appears in {leaks}"
