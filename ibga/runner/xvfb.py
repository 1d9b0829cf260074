"""Start and stop a private Xvfb server.

Used by the test fixture, the demo and the container's supervisor. Xvfb sometimes
dies right at start (a display number raced by another process, a stale lock):
`start_xvfb` picks a free display number, waits until the server answers, and
retries with another number when it does not.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ibga.runner.secrecy import child_environment

X11_SOCKET_DIR = Path("/tmp/.X11-unix")


class XvfbError(RuntimeError):
    """Xvfb is missing or could not be started."""


@dataclass
class Xvfb:
    """A running Xvfb server; stop it with `stop()` (or use it as a context manager)."""

    display: str
    width: int
    height: int
    depth: int
    process: subprocess.Popen

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Xvfb:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _display_in_use(number: int) -> bool:
    """A socket or lock file in /tmp, or a server on the abstract socket, which a server
    in another mount namespace (a chroot, a container sharing the network) also holds."""
    if (X11_SOCKET_DIR / f"X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        return True
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(f"\0/tmp/.X11-unix/X{number}")
    except OSError:
        return False
    finally:
        sock.close()
    return True


def free_display_number(start: int = 100, stop: int = 1000) -> int:
    """Return the lowest display number in [start, stop) with no socket and no lock file."""
    for number in range(start, stop):
        if not _display_in_use(number):
            return number
    raise XvfbError(f"no free X display number in {start}..{stop - 1}")


def display_answers(display: str) -> bool:
    """True when an X server accepts a connection on `display` (":N")."""
    number = display.lstrip(":").split(".")[0]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(0.5)
    try:
        sock.connect(str(X11_SOCKET_DIR / f"X{number}"))
    except OSError:
        return False
    finally:
        sock.close()
    return True


def start_xvfb(
    width: int = 1024,
    height: int = 768,
    depth: int = 24,
    number: int | None = None,
    attempts: int = 3,
    ready_timeout: float = 10.0,
) -> Xvfb:
    """Start Xvfb on a free display (or `number`) and wait until it answers.

    Depth 24 is the default because Pillow and mss cannot grab a 16-bit screen.
    """
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbError("Xvfb is not installed (apt-get install xvfb)")
    last_error = ""
    start = 100
    for _ in range(attempts):
        n = number if number is not None else free_display_number(start)
        start = n + 1  # a number that failed is not tried again
        display = f":{n}"
        process = subprocess.Popen(
            [binary, display, "-screen", "0", f"{width}x{height}x{depth}",
             "-nolisten", "tcp", "-noreset"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=child_environment(),
            start_new_session=True,  # a terminal's Ctrl-C reaches the demo, not its screen under the gateway
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline and process.poll() is None:
            if display_answers(display):
                return Xvfb(display, width, height, depth, process)
            time.sleep(0.01)
        if process.poll() is None:
            process.kill()
        stderr = process.communicate()[1].decode(errors="replace").strip()
        last_error = stderr.splitlines()[-1] if stderr else f"no answer within {ready_timeout} s"
    raise XvfbError(f"Xvfb did not start after {attempts} attempts: {last_error}")
