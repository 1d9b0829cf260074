"""Show the X display to people: x11vnc (VNC) and noVNC (the same screen in a web browser).

x11vnc serves the display over VNC; websockify serves noVNC's pages and carries its WebSocket
to x11vnc. Opening the noVNC port in a browser lands on ``vnc.html?autoconnect=true&resize=scale``
(an ``index.html`` in a private web root redirects there; the rest of the root links to
Debian's ``/usr/share/novnc``).

Security (USER-NEEDS §8): the VNC password reaches x11vnc through a file in a private
directory (mode 0600, read once and deleted by x11vnc: ``-passwdfile rm:FILE``), never through
its arguments. Without a password both servers listen on 127.0.0.1 only, unless the caller
explicitly allows an open screen; anyone who reaches an open VNC port can click in the gateway.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ibga.runner.config import Secret
from ibga.runner.secrecy import child_environment

NOVNC_DIR = Path("/usr/share/novnc")
DEFAULT_VNC_PORT = 5900
DEFAULT_NOVNC_PORT = 5800
LANDING_PAGE = "vnc.html?autoconnect=true&resize=scale"
READY_TIMEOUT_S = 15.0
STOP_GRACE_S = 5.0
RFB_GREETING = b"RFB 003.008\n"

log = logging.getLogger("ibga.runner.vnc")

_INDEX_HTML = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ibga: IB Gateway screen</title>
<meta http-equiv="refresh" content="0; url={LANDING_PAGE.replace('&', '&amp;')}">
</head><body><script>location.replace("{LANDING_PAGE}");</script>
<p><a href="{LANDING_PAGE.replace('&', '&amp;')}">Open the IB Gateway screen (noVNC)</a></p></body></html>
"""


class VncError(RuntimeError):
    """x11vnc or noVNC is missing or did not start."""


@dataclass
class VncServers:
    """x11vnc and websockify serving one display; `stop()` ends both and removes their files."""

    display: str
    listen_host: str
    vnc_port: int
    novnc_port: int
    private_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where a person on this machine opens the screen."""
        host = "127.0.0.1" if self.listen_host in ("0.0.0.0", "127.0.0.1") else self.listen_host
        return f"http://{host}:{self.novnc_port}/{LANDING_PAGE}"

    def running(self) -> bool:
        return bool(self.processes) and all(p.poll() is None for p in self.processes)

    def stop(self) -> None:
        """noVNC first, then x11vnc: SIGTERM to each process group, SIGKILL after a grace period."""
        for process in reversed(self.processes):
            _stop_group(process)
        self.processes.clear()
        shutil.rmtree(self.private_dir, ignore_errors=True)

    def __enter__(self) -> VncServers:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def listen_host_for(password: Secret | None, allow_open: bool, local_only: bool = False) -> str:
    """Where VNC and noVNC listen: everywhere with a password (or when an open screen is allowed),
    else 127.0.0.1 only."""
    if local_only or (password is None and not allow_open):
        return "127.0.0.1"
    return "0.0.0.0"


def start_vnc(display: str, *, password: Secret | None = None, allow_open: bool = False,
              local_only: bool = False, vnc_port: int = DEFAULT_VNC_PORT,
              novnc_port: int = DEFAULT_NOVNC_PORT, novnc_dir: Path = NOVNC_DIR) -> VncServers:
    """Start x11vnc on `display` and noVNC in front of it; return once both answer.

    Parameters
    ----------
    display : str
        The X display to show (``":0"``).
    password : Secret, optional
        The VNC password (IBGA_VNC_PASSWORD); VNC uses its first 8 characters.
    allow_open : bool
        Listen on every interface even without a password.
    local_only : bool
        Listen on 127.0.0.1 whatever the password (the demo on a desktop machine).
    vnc_port, novnc_port : int
        The VNC (RFB) port and the noVNC web port.
    novnc_dir : Path
        noVNC's files (Debian's ``novnc`` package).

    Raises
    ------
    VncError
        A program is missing, a port is taken, or a server did not answer in time.
    """
    x11vnc, websockify = shutil.which("x11vnc"), shutil.which("websockify")
    missing = [name for name, path in (("x11vnc", x11vnc), ("websockify", websockify)) if path is None]
    if not (novnc_dir / "vnc.html").is_file():
        missing.append(f"novnc ({novnc_dir}/vnc.html)")
    if missing:
        raise VncError(f"not installed: {', '.join(missing)} (apt-get install x11vnc novnc websockify)")
    host = listen_host_for(password, allow_open, local_only)
    for port, what in ((vnc_port, "VNC"), (novnc_port, "noVNC")):
        if not port_is_free(host, port):
            raise VncError(f"the {what} port {host}:{port} is already in use")
    private_dir = Path(tempfile.mkdtemp(prefix="ibga-vnc-"))  # mode 0700
    servers = VncServers(display, host, vnc_port, novnc_port, private_dir)
    try:
        servers.processes.append(_start_x11vnc(x11vnc, display, host, vnc_port, password, private_dir))
        _wait(lambda: rfb_greeting("127.0.0.1", vnc_port) == RFB_GREETING, servers.processes[-1],
              "x11vnc", private_dir / "x11vnc.log")
        web_root = _web_root(private_dir, novnc_dir)
        servers.processes.append(_start_websockify(websockify, web_root, host, novnc_port, vnc_port,
                                                   private_dir))
        _wait(lambda: http_status(f"http://127.0.0.1:{novnc_port}/vnc.html") == 200, servers.processes[-1],
              "noVNC (websockify)", private_dir / "websockify.log")
    except BaseException:
        servers.stop()
        raise
    if host == "127.0.0.1" and password is None and not local_only:
        log.warning("VNC and noVNC listen on 127.0.0.1 only: IBGA_VNC_PASSWORD is not set (set it to reach "
                    "the screen from other machines, or allow an open screen explicitly)")
    log.info("screen: VNC on %s:%d, noVNC on %s:%d (%s)", host, vnc_port, host, novnc_port,
             "password set" if password is not None else "no password")
    return servers


def _start_x11vnc(binary: str, display: str, host: str, port: int, password: Secret | None,
                  private_dir: Path) -> subprocess.Popen:
    command = [binary, "-display", display, "-rfbport", str(port), "-forever", "-shared", "-quiet",
               "-no6"]  # -no6: a taken IPv4 port must fail, not fall back to IPv6 alone
    if host == "127.0.0.1":
        command.append("-localhost")
    if password is None:
        command.append("-nopw")
    else:
        password_file = private_dir / "vncpasswd"
        descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(password.reveal() + "\n")
        command += ["-passwdfile", f"rm:{password_file}"]
    return _spawn(command, display, private_dir / "x11vnc.log")


def _start_websockify(binary: str, web_root: Path, host: str, port: int, vnc_port: int,
                      private_dir: Path) -> subprocess.Popen:
    command = [binary, "--web", str(web_root), f"{host}:{port}", f"127.0.0.1:{vnc_port}"]
    return _spawn(command, None, private_dir / "websockify.log")


def _spawn(command: list[str], display: str | None, log_path: Path) -> subprocess.Popen:
    with log_path.open("ab") as out:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=child_environment(display), start_new_session=True)


def _web_root(private_dir: Path, novnc_dir: Path) -> Path:
    """noVNC's files (linked) plus an index.html that opens the screen."""
    root = private_dir / "web"
    root.mkdir()
    for entry in novnc_dir.iterdir():
        if entry.name != "index.html":
            (root / entry.name).symlink_to(entry)
    (root / "index.html").write_text(_INDEX_HTML, encoding="utf-8")
    return root


def _wait(ready, process: subprocess.Popen, what: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise VncError(f"{what} exited with code {process.returncode}: {_last_line(log_path)}")
        if ready():
            if process.poll() is None:  # the answer came from our server, not from one that held the port
                return
            continue
        time.sleep(0.05)
    raise VncError(f"{what} did not answer within {READY_TIMEOUT_S:.0f} s: {_last_line(log_path)}")


def _last_line(path: Path) -> str:
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1] if lines else "no output"


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(STOP_GRACE_S)
    # children of the group (websockify forks one per client) go too, even when the leader has ended
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


# -- small probes, also used by tests ---------------------------------------------------------


def port_is_free(host: str, port: int) -> bool:
    """True when a TCP server could listen on `host:port` now."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def rfb_greeting(host: str, port: int, timeout: float = 1.0) -> bytes | None:
    """The first 12 bytes a VNC server sends (``RFB 003.008\\n``), or None."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            data = b""
            while len(data) < len(RFB_GREETING):
                chunk = sock.recv(len(RFB_GREETING) - len(data))
                if not chunk:
                    break
                data += chunk
            return data
    except OSError:
        return None


def http_status(url: str, timeout: float = 1.0) -> int | None:
    """The HTTP status of a GET (redirects followed, no proxy), or None when nothing answers."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError):
        return None
