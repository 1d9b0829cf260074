"""Is the gateway healthy? Usable (the status file says ``logged_in``, which the runner writes only once
the settings are applied and the API has answered) and its API socket answers.

"Container up" and "port open" are not health: a gateway sitting at a 2FA prompt can have
a stale port, and socat accepts connections with nothing behind it. The API check here
speaks the first step of the TWS API protocol with the standard library only, so it works
in a Docker HEALTHCHECK without a client library:

    client → "API\\0" + length + "v<min>..<max>"        (4-byte big-endian lengths)
    server → length + "<server version>\\0<connection time>\\0"

and then closes. Without `startApi` the gateway registers no client (no client id is
used up, nothing shows in its client list); it just sees a client that went away.
"""

from __future__ import annotations

import os
import socket
import struct
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ibga.runner.status import Status, StatusError, read_status

# v100 is the first version with length-prefixed handshakes; the upper bound is what we
# claim to speak. The server answers with the highest version both sides know.
VERSION_RANGE = "v100..187"
DEFAULT_TIMEOUT = 5.0
# IBGA's IBG_PORT_INTERNAL default: the port written into the gateway's "Socket port".
DEFAULT_API_PORT = 9000
# A handshake reply is a number and a time stamp; anything longer is not a TWS server.
MAX_REPLY = 1024


@dataclass(frozen=True)
class HandshakeResult:
    """What the API handshake found.

    Attributes
    ----------
    ok : bool
        The server answered with a server version.
    server_version : int or None
        The version the server chose.
    connection_time : str or None
        The server's time stamp from the reply (e.g. "20240102 10:00:00 EST").
    elapsed_ms : float
        From the start of the connect to the reply (or the failure).
    error : str or None
        Why not, in one line, when not `ok`.
    """

    ok: bool
    server_version: int | None
    connection_time: str | None
    elapsed_ms: float
    error: str | None

    def to_dict(self) -> dict:
        return asdict(self)


class _HandshakeFailed(Exception):
    """Internal: carries the one-line reason out of the protocol steps."""


def api_handshake(host: str, port: int, timeout: float = DEFAULT_TIMEOUT) -> HandshakeResult:
    """Open a TCP connection, do the TWS API handshake, close.

    Parameters
    ----------
    host, port : str, int
        Where the gateway's API socket listens.
    timeout : float
        Seconds for the whole exchange (connect, send, reply).

    Returns
    -------
    HandshakeResult
        Never raises for network trouble: a refused port, a closed or reset connection,
        a timeout or a reply that is not a handshake are reported in `error`.
    """
    start = time.monotonic()
    deadline = start + timeout

    def result(ok=False, version=None, when=None, error=None) -> HandshakeResult:
        return HandshakeResult(ok, version, when, round((time.monotonic() - start) * 1000, 1), error)

    where = f"{host}:{port}"
    if not 0 < port < 65536:
        return result(error=f"port {port} is not a TCP port (1-65535)")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            payload = VERSION_RANGE.encode("ascii")
            sock.settimeout(_remaining(deadline))
            sock.sendall(b"API\0" + struct.pack(">I", len(payload)) + payload)
            head = _recv_exact(sock, 4, deadline)
            (length,) = struct.unpack(">I", head)
            if length == 0 or length > MAX_REPLY:
                raise _HandshakeFailed(f"{where} is not a TWS API server (reply starts with {head!r})")
            body = _recv_exact(sock, length, deadline)
    except _HandshakeFailed as exc:
        return result(error=str(exc))
    except ConnectionRefusedError:
        return result(error=f"connection refused on {where} (nothing listening)")
    except ConnectionResetError:
        return result(error=f"connection reset by {where} during the handshake")
    except TimeoutError:
        return result(error=f"no handshake reply from {where} within {timeout:g} s")
    except socket.gaierror as exc:
        return result(error=f"cannot resolve host {host!r}: {exc.strerror or exc}")
    except OSError as exc:
        return result(error=f"cannot talk to {where}: {exc.strerror or exc}")
    fields = body.decode("utf-8", errors="replace").split("\0")
    version = fields[0].strip()
    if not (version.isascii() and version.isdigit()):
        return result(error=f"{where} is not a TWS API server (reply {body[:40]!r})")
    when = fields[1] if len(fields) > 1 and fields[1] else None
    return result(ok=True, version=int(version), when=when)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _recv_exact(sock: socket.socket, n: int, deadline: float) -> bytes:
    """Exactly `n` bytes before `deadline`, however the server splits them."""
    buf = b""
    while len(buf) < n:
        sock.settimeout(_remaining(deadline))
        chunk = sock.recv(n - len(buf))
        if not chunk:
            got = f" after {len(buf)} bytes" if buf else ""
            raise _HandshakeFailed(f"connection closed by the server before the handshake reply{got}")
        buf += chunk
    return buf


@dataclass(frozen=True)
class HealthReport:
    """Everything `health` looked at, for ``ibga health --json``."""

    exit_code: int
    message: str
    status_path: str
    status: Status | None
    status_error: str | None
    host: str
    port: int
    handshake: HandshakeResult

    def to_dict(self) -> dict:
        return {
            "healthy": self.exit_code == 0,
            "message": self.message,
            "status_path": self.status_path,
            "status": self.status.to_dict() if self.status else None,
            "status_error": self.status_error,
            "host": self.host,
            "port": self.port,
            "handshake": self.handshake.to_dict(),
        }


def check(status_path: Path | str, port: int | None = None, host: str = "127.0.0.1",
          timeout: float = DEFAULT_TIMEOUT, default_port: int = DEFAULT_API_PORT) -> HealthReport:
    """Read the status and try the API handshake; say whether both are good.

    Parameters
    ----------
    status_path : path
        The runner's status file.
    port : int or None
        The API port; None takes the status's `api_port`, else `default_port`.
    host : str
        Where the API listens (the gateway binds the loopback).
    timeout : float
        Seconds for the handshake.
    default_port : int
        Port when neither `port` nor the status names one.
    """
    status, status_error = None, None
    try:
        status = read_status(status_path)
    except StatusError as exc:
        status_error = str(exc)
    if port is None:
        port = status.api_port if status and status.api_port else default_port
    shake = api_handshake(host, port, timeout)
    api = (f"API on {host}:{port} answered (server version {shake.server_version}) "
           f"in {shake.elapsed_ms:.0f} ms" if shake.ok else f"API does not answer: {shake.error}")
    if status is None:
        code, message = 1, f"unhealthy: {status_error} (is the runner running?); {api}"
    elif status.state in ("error", "stopped"):  # logged in or not, the gateway is not usable
        why = f": {status.last_error}" if status.last_error else ""
        code, message = 1, f"unhealthy: state {status.state} since {status.since}{why}; {api}"
    elif status.state != "logged_in":
        why = f"; last error: {status.last_error}" if status.last_error else ""
        code, message = 1, f"unhealthy: not logged in (state {status.state} since {status.since}{why}); {api}"
    elif not shake.ok:
        code, message = 1, f"unhealthy: logged in since {status.since} but the {api}"
    else:
        code, message = 0, f"healthy: logged in since {status.since}; {api}"
    return HealthReport(code, message, str(status_path), status, status_error, host, port, shake)


def health(status_path: Path | str, port: int | None = None) -> tuple[int, str]:
    """0 and a line when logged in and the API answers; 1 and the reason otherwise.

    Parameters
    ----------
    status_path : path
        The runner's status file (see `ibga.runner.status.default_status_path`).
    port : int or None
        The API port on 127.0.0.1; None takes the status's `api_port`, else `DEFAULT_API_PORT`.
    """
    report = check(status_path, port)
    return report.exit_code, report.message


def port_from_env(env: Mapping[str, str] | None = None) -> int | None:
    """``IBG_PORT_INTERNAL`` as a port number, or None when it is not set.

    Raises
    ------
    ValueError
        The variable is set but is not a port; the message names it.
    """
    env = os.environ if env is None else env
    raw = env.get("IBG_PORT_INTERNAL", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
        raise ValueError(f"IBG_PORT_INTERNAL={raw!r} is not a TCP port number (1-65535)")
    return int(raw)
