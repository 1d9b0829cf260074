"""The gateway process: find its launcher, start it on a display, tell when it ends, stop it.

IB Gateway is started the way IBGA starts it: the install4j launcher ``ibgateway`` from the
installation directory, with ``-J-DjtsConfigDir=<settings dir>`` so that its settings live on
the settings volume. It runs in its own process group (session), so stopping it reaches the
JVM behind the launcher script too. Nothing secret goes on its command line or into its
environment: credentials reach the gateway only as keystrokes. Relaunching, with backoff, is
the poll loop's job.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from ibga.runner.secrecy import child_environment

STOP_GRACE_S = 15.0
"""Seconds the gateway gets after SIGTERM to save its settings and exit before it is killed."""


class GatewayError(RuntimeError):
    """The gateway cannot be found or started."""


def find_launcher(ibg_dir: Path) -> Path:
    """The ``ibgateway`` launcher in `ibg_dir` itself or in ``ibg_dir/Jts/ibgateway`` (IBKR's layout).

    Raises
    ------
    GatewayError
        No executable launcher in either place; the message names both.
    """
    candidates = [ibg_dir / "ibgateway", ibg_dir / "Jts" / "ibgateway" / "ibgateway"]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    tried = " or ".join(str(p) for p in candidates)
    raise GatewayError(f"no IB Gateway launcher at {tried} (is IBG_DIR the installation directory?)")


class Gateway:
    """One gateway program, launched and stopped on demand.

    Parameters
    ----------
    ibg_dir : Path
        The installation directory (IBG_DIR).
    settings_dir : Path
        The gateway's settings directory (IBG_SETTINGS_DIR), passed as ``jtsConfigDir``.
    display : str
        The X display the gateway draws on.
    output : Path, optional
        File the gateway's stdout and stderr are appended to; default
        ``settings_dir/ibga/gateway-output.log``.
    """

    def __init__(self, ibg_dir: Path, settings_dir: Path, display: str, output: Path | None = None):
        self.ibg_dir = Path(ibg_dir)
        self.settings_dir = Path(settings_dir)
        self.display = display
        self.output = output or self.settings_dir / "ibga" / "gateway-output.log"
        self.process: subprocess.Popen | None = None
        self.started_at: float | None = None
        self._reaped = False

    def autorestart_pending(self) -> bool:
        """The gateway's own daily restart left its token (``autorestart``, in the settings directory or
        in its per-user folder, as IBC's ``find_auto_restart`` looks for it): the next launch logs in by
        itself, without credentials or a second factor (CATALOG §2.3)."""
        return any(self.settings_dir.glob("autorestart")) or any(self.settings_dir.glob("*/autorestart"))

    def command(self) -> list[str]:
        """The launcher and its arguments (no secrets: shown in logs and in ``ps``)."""
        return [str(find_launcher(self.ibg_dir)), f"-J-DjtsConfigDir={self.settings_dir}"]

    def start(self) -> int:
        """Launch the gateway in its own session; return its pid.

        Raises
        ------
        GatewayError
            The launcher is missing or cannot be executed.
        """
        if self.running:
            raise GatewayError(f"the gateway is already running (pid {self.process.pid})")
        command = self.command()
        self.settings_dir.mkdir(parents=True, exist_ok=True)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        with self.output.open("ab") as out:
            try:
                self.process = subprocess.Popen(
                    command, env=child_environment(self.display), stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.settings_dir,
                )
            except OSError as exc:
                raise GatewayError(f"cannot start {command[0]}: {exc.strerror or exc}") from None
        self.started_at = time.monotonic()
        self._reaped = False
        return self.process.pid

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def poll(self) -> int | None:
        """The exit code once the gateway has ended, else None (also when never started).

        When the launcher has ended, whatever it left in its process group (a JVM it forked
        instead of exec'ing) is killed, so a relaunch never finds two gateways on one display.
        """
        if self.process is None:
            return None
        code = self.process.poll()
        if code is not None and not self._reaped:
            self._reaped = True
            self._signal_group(signal.SIGKILL)
        return code

    def stop(self, grace: float = STOP_GRACE_S) -> int | None:
        """SIGTERM the gateway's process group, wait up to `grace` s, then SIGKILL it; the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        return self.poll()

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, sig)
