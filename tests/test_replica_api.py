"""The replica gateway's TWS API socket (tools/replica/src/replica/ApiServer.java).

Compiles ApiServer with the standalone harness tools/replica/apitest/ApiServerMain.java,
connects a real client (ib_async) and checks the handshake, the sync phase, the time,
the managed accounts, the duplicate-client-id refusal and that stop() closes everything.
"""

import contextlib
import json
import os
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path

import ib_async  # the test extra installs it
import pytest
from waiting import wait_for

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


def _events(path, name):
    """The events called `name` in the replica's event log."""
    return [e for e in map(json.loads, path.read_text().splitlines()) if e["event"] == name]


def _listening_sockets(port: int) -> set[str]:
    """Inodes of the TCP sockets (IPv4 and IPv6) listening on `port`, from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                found.add(fields[9])
    return found


def _sockets_of(pid: int) -> set[str]:
    """Inodes of the sockets process `pid` holds open."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                found.add(target[len("socket:["):-1])
    return found


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
    # A sync-phase request left unanswered fails the connect (raiseSyncErrors) once the timeout, a hang
    # guard, is over: the sync phase is fully answered, as it is by the real gateway.
    ib.connect("127.0.0.1", port, clientId=1, timeout=60, raiseSyncErrors=True)
    try:
        assert ib.isConnected()
        assert ib.client.serverVersion() == 178
        before = int(time.time())
        server_time = ib.reqCurrentTime().timestamp()  # whole seconds
        assert before <= server_time <= time.time()
        assert ib.managedAccounts() == [ACCOUNT]

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
        # the server logs a client once it has sent all its welcome (the farm notices follow): stopping
        # before would close the connection in the middle of it
        wait_for(lambda: len(_events(events, "api_client_connected")) == 2, timeout=60)
    finally:
        ib.disconnect()

    assert _listening_sockets(port) & _sockets_of(proc.pid)  # what the check after stop() looks for
    proc.stdin.write("stop\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "STOPPED listening=false"

    # stop() closed the connected client's socket ...
    other.settimeout(30)  # a hang guard
    try:
        while _recv_msg(other) is not None:  # farm notices still queued, then EOF
            pass
    except ConnectionResetError:
        pass
    other.close()
    # ... and the listening socket (asked of the kernel: another program may take the freed port at once)
    assert not _listening_sockets(port) & _sockets_of(proc.pid), "the replica still listens on the API port"

    log = [json.loads(line) for line in events.read_text().splitlines()]
    names = [e["event"] for e in log]
    assert {"event": "api_listening", "port": port}.items() <= log[0].items()
    connected = [e for e in log if e["event"] == "api_client_connected"]
    assert [e["client_id"] for e in connected] == [1, 7]
    assert names.count("api_closed") == 1
    assert "api_request_ignored" not in names  # ib_async's sync phase is fully answered
