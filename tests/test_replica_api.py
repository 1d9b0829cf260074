"""The replica gateway's TWS API socket (tools/replica/src/replica/ApiServer.java).

Compiles ApiServer with the standalone harness tools/replica/apitest/ApiServerMain.java,
connects a real client (ib_async) and checks the handshake, the sync phase, the time,
the managed accounts, the duplicate-client-id refusal and that stop() closes everything.
"""

import json
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path

import ib_async  # the test extra installs it
import pytest

ROOT = Path(__file__).resolve().parents[1]
REPLICA = ROOT / "tools" / "replica"
ACCOUNT = "DU7654321"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


def _fields(*fields) -> bytes:
    return _frame("".join(f"{f}\0" for f in fields).encode())


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def _recv_msg(sock):
    head = _recv_exact(sock, 4)
    if head is None:
        return None
    body = _recv_exact(sock, struct.unpack(">I", head)[0])
    return body.decode().split("\0")[:-1]


def _raw_client(port, client_id):
    """Handshake + startApi by hand; returns (socket, handshake fields)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"API\0" + _frame(b"v157..178"))
    hello = _recv_msg(s)
    s.sendall(_fields(71, 2, client_id, ""))
    return s, hello


@pytest.fixture
def server(tmp_path):
    assert shutil.which("javac") and shutil.which("java"), "javac/java not installed: run tools/setup"
    classes = tmp_path / "classes"
    subprocess.run(
        [
            "javac",
            "-d",
            str(classes),
            "-cp",
            str(classes),
            "-sourcepath",
            str(REPLICA / "src"),
            str(REPLICA / "src" / "replica" / "ApiServer.java"),
            str(REPLICA / "apitest" / "ApiServerMain.java"),
        ],
        check=True,
    )
    port = _free_port()
    events = tmp_path / "events.jsonl"
    proc = subprocess.Popen(
        ["java", "-cp", str(classes), "ApiServerMain", str(port), ACCOUNT, str(events)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"LISTENING {port} listening=true"), line
        yield proc, port, events
    finally:
        if proc.poll() is None:
            proc.stdin.close()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_ib_async_connects_and_stop_closes(server):
    proc, port, events = server

    ib = ib_async.IB()
    t0 = time.monotonic()
    ib.connect("127.0.0.1", port, clientId=1, timeout=10)
    connect_s = time.monotonic() - t0
    print(f"ib_async connect time: {connect_s * 1000:.1f} ms")
    try:
        assert ib.isConnected()
        assert ib.client.serverVersion() == 178
        server_time = ib.reqCurrentTime()
        assert abs(server_time.timestamp() - time.time()) < 5
        assert ib.managedAccounts() == [ACCOUNT]
        assert connect_s < 5  # nothing in the sync phase may wait for a timeout

        # A second client with the same id is refused as by the real gateway (error 326).
        dup, hello = _raw_client(port, 1)
        assert hello[0] == "178" and len(hello) == 2
        msg = _recv_msg(dup)
        assert msg[:4] == ["4", "2", "-1", "326"], msg
        assert _recv_msg(dup) is None  # then the server hangs up
        dup.close()

        # A raw client with another id gets the accounts and a next order id.
        other, _ = _raw_client(port, 7)
        got = {tuple(_recv_msg(other)[:1]) for _ in range(2)}
        assert got == {("15",), ("9",)}
    finally:
        ib.disconnect()

    proc.stdin.write("stop\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "STOPPED listening=false"

    # stop() closed the connected client's socket ...
    other.settimeout(5)
    try:
        while _recv_msg(other) is not None:  # farm notices still queued, then EOF
            pass
    except ConnectionResetError:
        pass
    other.close()
    # ... and the listening socket. (A connect to a free port in the ephemeral range can, rarely,
    # pick that very port as its source and connect to itself: that is no listener.)
    try:
        probe = socket.create_connection(("127.0.0.1", port), timeout=2)
    except ConnectionRefusedError:
        return
    with probe:
        assert probe.getsockname() == probe.getpeername(), "something still listens on the API port"

    log = [json.loads(line) for line in events.read_text().splitlines()]
    names = [e["event"] for e in log]
    assert {"event": "api_listening", "port": port}.items() <= log[0].items()
    connected = [e for e in log if e["event"] == "api_client_connected"]
    assert [e["client_id"] for e in connected] == [1, 7]
    assert names.count("api_closed") == 1
    assert "api_request_ignored" not in names  # ib_async's sync phase is fully answered
