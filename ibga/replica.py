"""Install, launch and inspect the replica gateway (``tools/replica``) from Python.

The replica stands in for IB Gateway in tests, in corpus capture and in ``ibga demo``.
It is installed like the real one (``printf 'DIR\\n\\n' | installer.sh``), launched with
``-J-DjtsConfigDir=...``, and tells its truth on request: the window stack and
component tree over a loopback control port, and a JSON-lines event log.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ibga.runner.secrecy import child_environment

SOURCE_TREE = Path(__file__).resolve().parent.parent
INSTALLER = SOURCE_TREE / "tools" / "replica" / "installer.sh"


class ReplicaError(RuntimeError):
    """The replica could not be installed, launched or reached."""


def install(target: Path, installer: Path = INSTALLER) -> Path:
    """Install the replica into `target` as the real installer would; return the launcher."""
    if not installer.exists():
        raise ReplicaError(f"replica installer not found at {installer} (needs ibga's source tree)")
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(  # the installer's shell and javac get no secret (the demo's VNC password)
        ["bash", str(installer)], input=f"{target}\n\n", capture_output=True, text=True, timeout=300,
        env=child_environment(),
    )
    launcher = target / "Jts" / "ibgateway" / "ibgateway"
    if result.returncode != 0 or not launcher.exists():
        raise ReplicaError(f"replica install failed ({result.returncode}): {result.stderr[-2000:]}")
    return launcher


@dataclass
class Component:
    """One control of a replica window, as its component tree reports it."""

    kind: str
    role: str | None
    text: str
    box: tuple[int, int, int, int]
    raw: dict[str, Any]

    @property
    def centre(self) -> tuple[int, int]:
        x, y, w, h = self.box
        return x + w // 2, y + h // 2

    def __getitem__(self, key: str) -> Any:
        return self.raw.get(key)


class Replica:
    """The truth of a replica gateway that uses `settings_dir`, whoever launched it (this process, or
    ibga's runner): its window stack and component tree, and its event log."""

    def __init__(self, settings_dir: Path):
        self.settings_dir = Path(settings_dir)
        self._control_file = self.settings_dir / "replica" / "control.port"

    def exited(self) -> int | None:
        """The exit code once the replica is known to have ended (only for one this process started)."""
        return None

    # -- truth ---------------------------------------------------------------

    @property
    def events_path(self) -> Path:
        return self.settings_dir / "replica" / "events.jsonl"

    def events(self, name: str | None = None) -> list[dict]:
        """The event log so far, optionally only events called `name`."""
        if not self.events_path.exists():
            return []
        out = []
        for line in self.events_path.read_text().splitlines():
            if line.strip():
                event = json.loads(line)
                if name is None or event.get("event") == name:
                    out.append(event)
        return out

    def _request(self, command: str, timeout: float = 5.0) -> str:
        if not self._control_file.exists():
            raise ReplicaError("the replica has not opened its control port yet")
        port = int(self._control_file.read_text().strip())
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(command.encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        return data.decode()

    def tree(self) -> dict:
        """The window stack and component tree (see tools/replica/README.md)."""
        return json.loads(self._request("tree"))

    def windows(self) -> list[dict]:
        return sorted(self.tree()["windows"], key=lambda w: w.get("z", 0))

    def top_screen(self) -> str | None:
        """Screen id of the topmost window, or None when no window shows."""
        windows = self.windows()
        return windows[0]["screen"] if windows else None

    def window(self, screen: str) -> dict:
        for window in self.windows():
            if window["screen"] == screen:
                return window
        raise ReplicaError(f"no window {screen!r} is showing")

    def component(self, screen: str, role: str) -> Component:
        for c in self.window(screen)["components"]:
            if c.get("role") == role:
                return Component(c["kind"], c.get("role"), c.get("text", ""), tuple(c["box"]), c)
        raise ReplicaError(f"window {screen!r} has no component {role!r}")

    def wait_for(self, screen: str, timeout: float = 30.0, top: bool = True) -> dict:
        """Wait until `screen` shows (as the topmost window when `top`); return its window."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.exited() is not None:
                raise ReplicaError(f"replica exited with {self.exited()} while waiting for {screen!r}")
            try:
                windows = self.windows()
                last = [w["screen"] for w in windows]
                candidates = windows[:1] if top else windows
                for window in candidates:
                    if window["screen"] == screen:
                        return window
            except (ReplicaError, OSError, ValueError):
                pass
            time.sleep(0.05)
        raise ReplicaError(f"{screen!r} did not show within {timeout} s (showing: {last})")

    def wait_event(self, name: str, timeout: float = 30.0, **match) -> dict:
        """Wait for an event called `name` whose fields include `match`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events(name):
                if all(event.get(k) == v for k, v in match.items()):
                    return event
            time.sleep(0.05)
        raise ReplicaError(f"no event {name!r} {match or ''} within {timeout} s")


class ReplicaProcess(Replica):
    """A replica gateway launched by this process on one X display."""

    _live: weakref.WeakSet[ReplicaProcess] = weakref.WeakSet()

    @classmethod
    def running(cls) -> list[ReplicaProcess]:
        """Replicas started by this process that have not exited."""
        return [r for r in list(cls._live) if r.process.poll() is None]

    def __init__(self, launcher: Path, settings_dir: Path, display: str,
                 scenario: dict | None = None, extra_env: dict | None = None):
        super().__init__(settings_dir)
        self.settings_dir.mkdir(parents=True, exist_ok=True)
        env = child_environment(display)
        env.pop("IBG_REPLICA_SCENARIO", None)
        if scenario is not None:
            path = self.settings_dir / "scenario.json"
            path.write_text(json.dumps(scenario))
            env["IBG_REPLICA_SCENARIO"] = str(path)
        env.update(extra_env or {})
        self._control_file.unlink(missing_ok=True)
        self.stdout_path = self.settings_dir / "replica-stdout.log"
        self.process = subprocess.Popen(
            [str(launcher), f"-J-DjtsConfigDir={self.settings_dir}"],
            env=env, stdin=subprocess.DEVNULL,
            stdout=self.stdout_path.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        ReplicaProcess._live.add(self)

    def exited(self) -> int | None:
        return self.process.poll()

    def wait_exit(self, timeout: float = 30.0) -> int:
        return self.process.wait(timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()

    def __enter__(self) -> ReplicaProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
