"""Health: the TWS API handshake over real sockets, the status file, `ibga health`.

Small in-test TCP servers play a TWS API server and the ways a port can fail (refuse,
close, hang, garbage); one test runs the real replica through a paper login and checks
`ibga health` before login, while the paper warning holds the API, and once logged in.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from test_replica_flows import (
    api_answers,
    api_port_of,
    click,
    gateway,  # noqa: F401  (a fixture: pytest passes it by name)
    log_in,
)

from ibga.runner.health import DEFAULT_API_PORT, VERSION_RANGE, api_handshake, check, health, port_from_env
from ibga.runner.status import Status, StatusError, default_status_path, read_status, write_status

CONNECTION_TIME = "20240102 10:00:00 EST"


# -- servers that play the other side ------------------------------------------------------


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("client went away")
        buf += chunk
    return buf


def _frame(text: str) -> bytes:
    payload = text.encode()
    return struct.pack(">I", len(payload)) + payload


class FakeServer:
    """A loopback TCP server that runs `behave(conn, server)` for each connection in a thread."""

    def __init__(self, behave):
        self.behave = behave
        self.received: list[bytes] = []  # what each client sent before the server answered
        self.stop_event = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(t)
            t.start()

    def _serve(self, conn):
        try:
            self.behave(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def read_handshake(self, conn) -> None:
        """Read "API\\0" + a length-prefixed version range, as the gateway does."""
        magic = _recv_exact(conn, 4)
        (n,) = struct.unpack(">I", _recv_exact(conn, 4))
        self.received.append(magic + struct.pack(">I", n) + _recv_exact(conn, n))

    def close(self):
        self.stop_event.set()
        self.sock.close()
        for t in self.threads:
            t.join(5)


def tws(conn, server):
    server.read_handshake(conn)
    tws_reply(conn, server)


def tws_reply(conn, server):
    conn.sendall(_frame(f"176\0{CONNECTION_TIME}\0"))
    conn.recv(1)  # wait until the client hangs up


def tws_after(delay: float):
    """A TWS server that waits `delay` seconds after the client's handshake before it answers."""
    def behave(conn, server):
        server.read_handshake(conn)
        time.sleep(delay)
        tws_reply(conn, server)
    return behave


def tws_byte_by_byte(conn, server):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    server.read_handshake(conn)
    for byte in _frame(f"176\0{CONNECTION_TIME}\0"):
        conn.sendall(bytes([byte]))


def close_at_once(conn, server):
    pass  # _serve closes it


def close_after_two_bytes(conn, server):
    server.read_handshake(conn)
    conn.sendall(_frame("176\0")[:2])


def hang(conn, server):
    server.read_handshake(conn)
    server.stop_event.wait(30)


def http(conn, server):
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def not_a_version(conn, server):
    server.read_handshake(conn)
    conn.sendall(_frame("hello\0world\0"))


@pytest.fixture
def serve():
    servers: list[FakeServer] = []

    def start(behave) -> FakeServer:
        server = FakeServer(behave)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def refusing_port():
    """A port bound but not listening: connecting to it is refused, and nobody else can take it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


# -- the handshake -------------------------------------------------------------------------


def test_handshake_with_a_tws_server(serve):
    server = serve(tws)
    result = api_handshake("127.0.0.1", server.port, timeout=5)
    assert result.ok and result.error is None
    assert result.server_version == 176
    assert result.connection_time == CONNECTION_TIME
    # exactly what a TWS server expects: "API\0", then a 4-byte big-endian length and "v<min>..<max>"
    payload = VERSION_RANGE.encode()
    assert server.received == [b"API\0" + struct.pack(">I", len(payload)) + payload]
    assert VERSION_RANGE.startswith("v") and [int(v) for v in VERSION_RANGE[1:].split("..")] == [100, 187]


def test_the_handshake_time_is_what_the_server_took_within_the_wall_time(serve):
    """elapsed_ms counts from the connect to the reply: at least the server's delay, at most the wall time
    around the call (both bounds hold however slow the machine; rounded to 0.1 ms)."""
    delay_s = 0.3
    server = serve(tws_after(delay_s))
    started = time.monotonic()
    result = api_handshake("127.0.0.1", server.port, timeout=60)  # the timeout: a hang guard
    wall_ms = (time.monotonic() - started) * 1000
    assert result.ok, result.error
    assert delay_s * 1000 - 0.05 <= result.elapsed_ms <= wall_ms + 0.05


def test_handshake_reads_a_reply_split_in_pieces(serve):
    result = api_handshake("127.0.0.1", serve(tws_byte_by_byte).port, timeout=5)
    assert result.ok, result.error
    assert (result.server_version, result.connection_time) == (176, CONNECTION_TIME)


def test_refused_port(refusing_port):
    result = api_handshake("127.0.0.1", refusing_port, timeout=5)
    assert not result.ok and result.server_version is None
    assert result.error == f"connection refused on 127.0.0.1:{refusing_port} (nothing listening)"


def test_server_closes_at_once(serve):
    result = api_handshake("127.0.0.1", serve(close_at_once).port, timeout=5)
    assert not result.ok
    assert "closed by the server" in result.error or "reset" in result.error, result.error


def test_server_closes_in_the_middle_of_the_reply(serve):
    result = api_handshake("127.0.0.1", serve(close_after_two_bytes).port, timeout=5)
    assert not result.ok
    assert result.error == "connection closed by the server before the handshake reply after 2 bytes"


def test_server_that_never_answers(serve):
    server = serve(hang)
    result = api_handshake("127.0.0.1", server.port, timeout=0.3)
    assert not result.ok
    assert result.error == f"no handshake reply from 127.0.0.1:{server.port} within 0.3 s"
    assert len(server.received) == 1  # it did get our handshake


def test_http_server_is_not_a_tws_server(serve):
    port = serve(http).port
    result = api_handshake("127.0.0.1", port, timeout=5)
    assert not result.ok
    assert result.error.startswith(f"127.0.0.1:{port} is not a TWS API server (reply starts with b'HTTP'")


def test_a_reply_without_a_version_is_garbage(serve):
    port = serve(not_a_version).port
    result = api_handshake("127.0.0.1", port, timeout=5)
    assert not result.ok
    assert result.error == f"127.0.0.1:{port} is not a TWS API server (reply b'hello\\x00world\\x00')"


def test_a_port_out_of_range_is_an_error_not_an_exception():
    result = api_handshake("127.0.0.1", 70000, timeout=1)
    assert not result.ok and result.error == "port 70000 is not a TCP port (1-65535)"


# -- the status file -------------------------------------------------------------------------


def logged_in(port: int | None = None) -> Status:
    return Status("logged_in", "2024-01-02T15:00:00+00:00", None, 1, port, 4242)


def test_status_round_trip(tmp_path):
    path = tmp_path / "deep" / "er" / "status.json"  # the directory is created
    status = Status("error", "2024-01-02T15:00:00+00:00", "login failed: server disconnected", 3, 4002, 77)
    write_status(path, status)
    assert read_status(path) == status
    assert json.loads(path.read_text()) == {
        "state": "error", "since": "2024-01-02T15:00:00+00:00",
        "last_error": "login failed: server disconnected", "attempts_today": 3, "api_port": 4002, "pid": 77,
    }
    assert path.stat().st_mode & 0o777 == 0o644


def test_status_read_ignores_unknown_fields_and_defaults_the_optional_ones(tmp_path):
    path = tmp_path / "status.json"
    path.write_text(json.dumps({"state": "starting", "since": "2024-01-02T15:00:00+00:00", "extra": 1}))
    assert read_status(path) == Status("starting", "2024-01-02T15:00:00+00:00")


def test_moved_to_changes_since_only_on_a_new_state():
    status = Status("logging_in", "2020-01-01T00:00:00+00:00", attempts_today=1)
    same = status.moved_to("logging_in", attempts_today=2)
    assert same.since == status.since and same.attempts_today == 2
    moved = status.moved_to("waiting_2fa")
    assert moved.state == "waiting_2fa" and moved.since != status.since
    assert datetime.fromisoformat(moved.since).utcoffset() is not None
    assert datetime.fromisoformat(moved.since) > datetime.fromisoformat(status.since)


@pytest.mark.parametrize("content, why", [
    (None, "no status file at"),
    ("{not json", "is not valid JSON"),
    ('["logged_in"]', "must be a JSON object"),
    ('{"state": "dancing", "since": "x"}', "unknown state 'dancing'"),
    ('{"state": "logged_in"}', "'since' is missing"),
    ('{"state": "logged_in", "since": "x", "pid": "12"}', "'pid' must be an integer"),
    ('{"state": "logged_in", "since": "x", "api_port": true}', "'api_port' must be an integer"),
])
def test_bad_status_files_say_what_is_wrong(tmp_path, content, why):
    path = tmp_path / "status.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(StatusError) as err:
        read_status(path)
    assert why in str(err.value) and str(path) in str(err.value)


def test_unknown_state_cannot_be_written():
    with pytest.raises(StatusError):
        Status("logged-in", "2024-01-02T15:00:00+00:00")


def test_write_replaces_the_file_so_an_open_reader_keeps_the_old_status(tmp_path):
    path = tmp_path / "status.json"
    write_status(path, Status("logging_in", "2024-01-02T15:00:00+00:00"))
    with path.open() as reader:  # opened before the write, read after it
        write_status(path, logged_in(4002))
        assert json.loads(reader.read())["state"] == "logging_in"
    assert read_status(path).state == "logged_in"
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]  # no temporary file left


def test_a_failed_write_leaves_the_old_status_whole(tmp_path):
    path = tmp_path / "status.json"
    write_status(path, logged_in(4002))
    before = path.read_bytes()
    broken = Status("error", "2024-01-02T15:00:00+00:00", last_error=object())  # not JSON-serializable
    with pytest.raises(TypeError):
        write_status(path, broken)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]


def test_readers_never_see_half_a_status(tmp_path):
    path = tmp_path / "status.json"
    states = [Status("logging_in", "2024-01-02T15:00:00+00:00", "x" * 5000), logged_in(4002)]
    write_status(path, states[0])
    done = threading.Event()

    def writer():
        for i in range(200):
            write_status(path, states[i % 2])
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    reads = 0
    while not done.is_set() or reads == 0:
        assert read_status(path) in states
        reads += 1
    thread.join()


def test_default_status_path():
    assert default_status_path({"IBGA_STATUS_FILE": "/run/ibga.json", "IBG_SETTINGS_DIR": "/s"}) == \
        Path("/run/ibga.json")
    assert default_status_path({"IBG_SETTINGS_DIR": "/srv/ibg"}) == Path("/srv/ibg/ibga/status.json")
    assert default_status_path({}) == Path("/home/ibg_settings/ibga/status.json")
    assert default_status_path({"IBGA_STATUS_FILE": " ", "IBG_SETTINGS_DIR": ""}) == \
        Path("/home/ibg_settings/ibga/status.json")


def test_port_from_env():
    assert port_from_env({}) is None
    assert port_from_env({"IBG_PORT_INTERNAL": "4002"}) == 4002
    for bad in ("abc", "0", "65536", "-1", "40 02", "²"):
        with pytest.raises(ValueError, match=r"^IBG_PORT_INTERNAL="):
            port_from_env({"IBG_PORT_INTERNAL": bad})
    assert DEFAULT_API_PORT == 9000  # IBGA's IBG_PORT_INTERNAL default (CATALOG §6.2)


# -- health ------------------------------------------------------------------------------------


def test_healthy_when_logged_in_and_the_api_answers(tmp_path, serve):
    port = serve(tws).port
    write_status(tmp_path / "status.json", logged_in())
    code, message = health(tmp_path / "status.json", port)
    assert code == 0
    assert message.startswith("healthy: logged in since 2024-01-02T15:00:00+00:00; "
                              f"API on 127.0.0.1:{port} answered (server version 176)")
    assert "\n" not in message


def test_the_port_comes_from_the_status_when_not_given(tmp_path, serve):
    port = serve(tws).port
    write_status(tmp_path / "status.json", logged_in(port))
    report = check(tmp_path / "status.json")
    assert report.exit_code == 0 and report.port == port


def test_unhealthy_when_not_logged_in_even_if_the_api_answers(tmp_path, serve):
    port = serve(tws).port
    write_status(tmp_path / "status.json",
                 Status("waiting_2fa", "2024-01-02T15:00:00+00:00", "push not approved yet"))
    code, message = health(tmp_path / "status.json", port)
    assert code == 1
    assert message.startswith("unhealthy: not logged in (state waiting_2fa since 2024-01-02T15:00:00+00:00; "
                              "last error: push not approved yet)")


def test_unhealthy_when_logged_in_but_the_api_is_down(tmp_path, refusing_port):
    write_status(tmp_path / "status.json", logged_in())
    code, message = health(tmp_path / "status.json", refusing_port)
    assert code == 1
    assert message == ("unhealthy: logged in since 2024-01-02T15:00:00+00:00 but the API does not answer: "
                       f"connection refused on 127.0.0.1:{refusing_port} (nothing listening)")


def test_unhealthy_without_a_status_file(tmp_path, serve):
    code, message = health(tmp_path / "missing.json", serve(tws).port)
    assert code == 1
    missing = tmp_path / "missing.json"
    assert message.startswith(f"unhealthy: no status file at {missing} (is the runner running?)")


# -- `ibga health` -------------------------------------------------------------------------------


def ibga_health(*args: str, **env_changes: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for key in ("IBGA_STATUS_FILE", "IBG_PORT_INTERNAL", "IBG_SETTINGS_DIR"):
        env.pop(key, None)
    for key, value in env_changes.items():
        if value is not None:
            env[key] = value
    return subprocess.run([sys.executable, "-m", "ibga", "health", *args],
                          env=env, capture_output=True, text=True, timeout=60)


def test_cli_one_line_and_exit_codes(tmp_path, serve, refusing_port):
    path = tmp_path / "status.json"
    write_status(path, logged_in())
    port = serve(tws).port
    good = ibga_health("--port", str(port), "--status", str(path))
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count("\n") == 1 and good.stdout.startswith("healthy: ")
    bad = ibga_health("--port", str(refusing_port), "--status", str(path))
    assert bad.returncode == 1
    assert bad.stdout.count("\n") == 1 and "connection refused" in bad.stdout


def test_cli_takes_the_status_file_and_port_from_the_environment(tmp_path, serve):
    port = serve(tws).port
    write_status(tmp_path / "settings" / "ibga" / "status.json", logged_in())
    result = ibga_health(IBG_SETTINGS_DIR=str(tmp_path / "settings"), IBG_PORT_INTERNAL=str(port))
    assert result.returncode == 0, result.stdout
    write_status(tmp_path / "elsewhere.json", Status("stopped", "2024-01-02T15:00:00+00:00"))
    result = ibga_health(IBG_SETTINGS_DIR=str(tmp_path / "settings"), IBG_PORT_INTERNAL=str(port),
                         IBGA_STATUS_FILE=str(tmp_path / "elsewhere.json"))
    assert result.returncode == 1 and "state stopped" in result.stdout


def test_cli_json(tmp_path, serve):
    port = serve(tws).port
    write_status(tmp_path / "status.json", logged_in(port))
    result = ibga_health("--json", "--status", str(tmp_path / "status.json"))
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["healthy"] is True and report["port"] == port
    assert report["status"] == logged_in(port).to_dict()
    assert report["handshake"]["ok"] is True and report["handshake"]["server_version"] == 176
    assert report["handshake"]["connection_time"] == CONNECTION_TIME


def test_cli_bad_port_settings_are_named(tmp_path):
    result = ibga_health("--status", str(tmp_path / "status.json"), IBG_PORT_INTERNAL="api")
    assert result.returncode == 1
    assert result.stderr.strip() == "ibga health: IBG_PORT_INTERNAL='api' is not a TCP port number (1-65535)"
    assert "Traceback" not in result.stderr
    result = ibga_health("--port", "x")
    assert result.returncode == 2 and "'x' is not a TCP port number" in result.stderr
    assert "Traceback" not in result.stderr


# -- against the replica ---------------------------------------------------------------------------


@pytest.mark.display
def test_health_follows_a_real_paper_login(gateway, screen, tmp_path):  # noqa: F811 (the fixture)
    replica = gateway({"account": "paper"})
    port = int(json.loads((replica.settings_dir / "replica-settings.json").read_text())["api_port"])
    status_path = tmp_path / "status.json"
    status = Status("logging_in", "2024-01-02T15:00:00+00:00", attempts_today=1, api_port=port,
                    pid=os.getpid())
    write_status(status_path, status)
    replica.wait_for("login")

    before = ibga_health("--status", str(status_path))
    assert before.returncode == 1
    assert before.stdout.startswith("unhealthy: not logged in (state logging_in")
    assert f"connection refused on 127.0.0.1:{port}" in before.stdout

    log_in(screen, replica)
    replica.wait_for("paper_trading_warning", timeout=60)
    write_status(status_path, status.moved_to("logged_in"))  # a runner that says so too early
    held = ibga_health("--status", str(status_path))
    assert held.returncode == 1 and "but the API does not answer: connection refused" in held.stdout

    click(screen, replica, "paper_trading_warning", "accept_button")
    replica.wait_for("main_window", timeout=30)
    assert api_port_of(replica) == port
    shake = api_handshake("127.0.0.1", port)
    assert shake.ok, shake.error
    assert shake.server_version == 178  # the replica's highest, below our 187
    after = ibga_health("--status", str(status_path), "--json")
    assert after.returncode == 0, after.stdout
    assert json.loads(after.stdout)["handshake"]["server_version"] == 178

    # Probing without startApi does not upset the API server: no bad handshake, no client
    # registered, and a real client still connects afterwards.
    assert not replica.events("api_bad_handshake")
    assert not replica.events("api_client_connected")
    assert api_answers(port)
    assert [e["client_id"] for e in replica.events("api_client_connected")] == [7]
    assert replica.process.poll() is None
