"""What the container and the demo are made of, with real sockets and real processes: the API relay,
the installation from an HTTP server, x11vnc and noVNC on a real Xvfb, and `ibga demo` and
`ibga supervise` run as commands until logged in, then stopped as a terminal or `docker stop` would.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import logging
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from waiting import wait_for

from ibga.runner import install
from ibga.runner.config import Secret
from ibga.runner.gateway import find_launcher
from ibga.runner.install import InstallError, InstallStopped, ensure_installed
from ibga.runner.relay import Relay, RelayError
from ibga.runner.vnc import VncError, http_status, start_vnc

ROOT = Path(__file__).resolve().parent.parent
IBGA = [sys.executable, "-m", "ibga"]
LOGIN_TIMEOUT = 120
STOP_LIMIT_S = 30  # with 10 s more, a hang guard for a command asked to stop; not a speed check
VNC_PASSWORD = "vnc-Pw7q"
TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WEBHOOK = "http://127.0.0.1:9/hook?token=wh-T0ken-77"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recv_all(sock: socket.socket, timeout: float = 10.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP socket listens on `port` with, from /proc/net/tcp (IPv4)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.add(socket.inet_ntoa(struct.pack("<I", int(address, 16))))
    return found


# -- the API relay ---------------------------------------------------------------------------------


class EchoServer:
    """Sends back what it gets; on the client's end of stream says "bye" and closes."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.peers: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            self.peers.append(peer[0])
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _serve(conn):
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)
            conn.sendall(b"bye")

    def close(self):
        self.sock.close()


@pytest.fixture
def echo():
    server = EchoServer()
    yield server
    server.close()


def test_relay_carries_bytes_both_ways_for_several_clients(echo):
    payload = os.urandom(1_000_000)
    with Relay(0, echo.port, "127.0.0.1") as relay:
        clients = [socket.create_connection(("127.0.0.1", relay.port)) for _ in range(3)]
        results: dict[int, bytes] = {}

        def send(n, sock):
            sock.sendall(payload[n:])
            sock.shutdown(socket.SHUT_WR)

        def talk(n, sock):
            sender = threading.Thread(target=send, args=(n, sock))
            sender.start()
            results[n] = recv_all(sock)
            sender.join()
            sock.close()

        threads = [threading.Thread(target=talk, args=(n, c)) for n, c in enumerate(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    for n in range(3):
        assert results[n] == payload[n:] + b"bye"  # the end of stream went through, and the reply after it
    assert echo.peers == ["127.0.0.1"] * 3  # the gateway sees local clients


def test_relay_closes_a_client_when_the_gateway_is_not_listening():
    with Relay(0, free_port(), "127.0.0.1") as relay, \
            socket.create_connection(("127.0.0.1", relay.port)) as client:
        assert recv_all(client) == b""


def test_relay_stop_closes_the_port_and_the_open_connections(echo):
    relay = Relay(0, echo.port, "127.0.0.1").start()
    client = socket.create_connection(("127.0.0.1", relay.port))
    client.sendall(b"ping")
    assert client.recv(4) == b"ping"
    wait_for(lambda: relay.connections == 1)
    relay.stop()
    with client:
        try:
            rest = recv_all(client)
        except ConnectionResetError:
            rest = b""
    assert rest == b""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", relay.port), timeout=2).close()


def test_relay_on_a_taken_port_is_one_clear_error(echo):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(RelayError, match=f"cannot listen on 127.0.0.1:{port}"):
            Relay(port, echo.port, "127.0.0.1").start()


def test_relay_listens_on_every_interface_by_default(echo):
    with Relay(0, echo.port) as relay:
        assert listening_addresses(relay.port) == {"0.0.0.0"}


# -- installing from IBG_DOWNLOAD_URL -------------------------------------------------------------


class InstallerServer:
    """Serves the replica's self-contained installer; can fail the first requests or cut the body short."""

    def __init__(self, path: Path):
        self.body = path.read_bytes()
        self.requests: list[str] = []
        self.fail_first = 0
        self.short = False
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if self.path.split("?")[0] != "/ibgateway-latest-standalone-linux-x64.sh":
                    self.send_error(404)
                    return
                if len(server.requests) <= server.fail_first:
                    self.send_error(503)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body[: len(server.body) // 2] if server.short else server.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/ibgateway-latest-standalone-linux-x64.sh"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def built_installer(tmp_path_factory):
    out = tmp_path_factory.mktemp("installer") / "ibgateway-replica.sh"
    subprocess.run([str(ROOT / "tools" / "replica" / "build-installer"), str(out)], check=True,
                   capture_output=True)
    return out


@pytest.fixture
def installer_server(built_installer, monkeypatch):
    monkeypatch.setattr(install, "RETRY_WAIT_S", (0.05,))
    server = InstallerServer(built_installer)
    yield server
    server.close()


def test_install_downloads_with_progress_keeps_the_installer_and_reuses_it(installer_server, tmp_path,
                                                                             monkeypatch, caplog):
    monkeypatch.setattr(install, "CHUNK", 4096)  # many chunks: progress lines to see
    ibg_dir = tmp_path / "ibg"
    steps: list[str] = []
    with caplog.at_level(logging.INFO, "ibga.runner.install"):
        launcher = ensure_installed(ibg_dir, installer_server.url, on_step=steps.append)
    assert launcher == find_launcher(ibg_dir) and os.access(launcher, os.X_OK)
    assert steps == ["Downloading IB Gateway ...", "Installing IB Gateway ..."]
    percents = [int(m[1]) for m in re.finditer(r"downloading IB Gateway: +(\d+) %", caplog.text)]
    assert percents[-1] == 100 and 9 <= len(percents) <= 11
    deciles = [p // 10 for p in percents]
    assert deciles == sorted(set(deciles))  # one line per 10 %
    kept = ibg_dir / "ibgateway.sh"
    assert kept.read_bytes() == installer_server.body
    assert not list(ibg_dir.glob("*.part"))
    assert len(installer_server.requests) == 1

    assert ensure_installed(ibg_dir, installer_server.url) == launcher  # installed: nothing to do
    subprocess.run(["rm", "-rf", str(ibg_dir / "Jts")], check=True)  # the program gone, the installer kept
    with pytest.raises(Exception, match="no IB Gateway launcher"):
        find_launcher(ibg_dir)
    assert ensure_installed(ibg_dir, installer_server.url) == launcher
    assert len(installer_server.requests) == 1  # installed again from the kept installer

    subprocess.run(["rm", "-rf", str(ibg_dir / "Jts")], check=True)
    ensure_installed(ibg_dir, installer_server.url + "?v=other")  # another URL: downloaded again
    assert len(installer_server.requests) == 2


def test_install_retries_a_failing_server(installer_server, tmp_path, caplog):
    installer_server.fail_first = 2
    with caplog.at_level(logging.WARNING, "ibga.runner.install"):
        launcher = ensure_installed(tmp_path / "ibg", installer_server.url)
    assert launcher.exists()
    assert len(installer_server.requests) == 3
    assert caplog.text.count("HTTP 503") == 2


def test_install_gives_up_on_a_missing_file_at_once_without_showing_the_token(installer_server, tmp_path):
    url = installer_server.url.replace("x64", "arm") + "?token=s3cr3t-t0ken"
    with pytest.raises(InstallError) as error:
        ensure_installed(tmp_path / "ibg", url)
    assert "HTTP 404" in str(error.value) and "IBG_DOWNLOAD_URL" in str(error.value)
    assert "s3cr3t-t0ken" not in str(error.value)
    assert len(installer_server.requests) == 1


def test_a_short_download_is_retried_and_never_run(installer_server, tmp_path):
    installer_server.short = True
    ibg_dir = tmp_path / "ibg"
    with pytest.raises(InstallError, match="after 4 attempts: the download ended after"):
        ensure_installed(ibg_dir, installer_server.url)
    assert len(installer_server.requests) == 4
    assert sorted(p.name for p in ibg_dir.iterdir()) == []


def test_a_failing_installer_is_reported_and_not_kept(tmp_path):
    ibg_dir = tmp_path / "ibg"
    ibg_dir.mkdir()
    (ibg_dir / "ibgateway.sh").write_text("#!/bin/sh\necho 'Unpacking JRE failed: disk full'\nexit 3\n")
    (ibg_dir / "ibgateway.sh").chmod(0o755)
    with pytest.raises(InstallError, match="exited with code 3 .*Unpacking JRE failed: disk full"):
        ensure_installed(ibg_dir, "http://127.0.0.1:9/never-asked.sh")
    assert not (ibg_dir / "ibgateway.sh").exists()


def test_install_stops_when_asked(tmp_path):
    ibg_dir = tmp_path / "ibg"
    ibg_dir.mkdir()
    (ibg_dir / "ibgateway.sh").write_text("#!/bin/sh\nsleep 60\ntouch finished\n")  # the sleep: a hang guard
    (ibg_dir / "ibgateway.sh").chmod(0o755)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    with pytest.raises(InstallStopped):
        ensure_installed(ibg_dir, "http://127.0.0.1:9/never-asked.sh", stop=stop)
    assert not (ibg_dir / "finished").exists()  # ended, not waited for


# -- x11vnc and noVNC --------------------------------------------------------------------------------


def websocket_rfb(port: int, answer: bool = False) -> bytes | list[int]:
    """Through http://127.0.0.1:port/websockify upgraded to a WebSocket (standard library only): the VNC
    server's greeting, or with `answer` the security types it offers after we answer the greeting."""
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall((f"GET /websockify HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Protocol: binary\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        frames = Frames(sock)
        greeting = frames.read(12)
        if not answer:
            return greeting
        reply, mask = b"RFB 003.008\n", os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(reply))
        sock.sendall(bytes([0x82, 0x80 | len(reply)]) + mask + masked)  # a masked binary frame
        count = frames.read(1)[0]
        return list(frames.read(count))


class Frames:
    """Payload bytes of the server's (unmasked) WebSocket frames, however they are split."""

    def __init__(self, sock):
        self.sock, self.buffer = sock, b""

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            assert chunk, "the server closed the WebSocket"
            data += chunk
        return data

    def read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            first, second = self._exact(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(length)
            if first & 0x0F == 2:
                self.buffer += payload
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data


def test_novnc_serves_its_page_and_reaches_x11vnc_locally_without_a_password(xvfb):
    vnc_port, novnc_port = free_port(), free_port()
    with start_vnc(xvfb.display, vnc_port=vnc_port, novnc_port=novnc_port) as servers:
        assert http_status(f"http://127.0.0.1:{novnc_port}/vnc.html") == 200
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                f"http://127.0.0.1:{novnc_port}/", timeout=5) as index:
            assert index.status == 200
            assert 'location.replace("vnc.html?autoconnect=true&resize=scale")' in index.read().decode()
        assert servers.url == f"http://127.0.0.1:{novnc_port}/vnc.html?autoconnect=true&resize=scale"
        assert websocket_rfb(novnc_port) == b"RFB 003.008\n"
        assert websocket_rfb(novnc_port, answer=True) == [1]  # None: no password
        assert listening_addresses(vnc_port) == {"127.0.0.1"}
        assert listening_addresses(novnc_port) == {"127.0.0.1"}
        pids = [p.pid for p in servers.processes]
    assert not listening_addresses(vnc_port) and not listening_addresses(novnc_port)
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)


def test_vnc_with_a_password_listens_everywhere_and_asks_for_it(xvfb):
    vnc_port, novnc_port = free_port(), free_port()
    password = Secret(VNC_PASSWORD, "IBGA_VNC_PASSWORD")
    with start_vnc(xvfb.display, password=password, vnc_port=vnc_port, novnc_port=novnc_port) as servers:
        assert websocket_rfb(novnc_port, answer=True) == [2]  # VNC authentication
        assert listening_addresses(vnc_port) == {"0.0.0.0"}
        assert listening_addresses(novnc_port) == {"0.0.0.0"}
        assert (servers.private_dir.stat().st_mode & 0o777) == 0o700
        assert not (servers.private_dir / "vncpasswd").exists()  # x11vnc read it and removed it
        assert_nowhere_in_argv(VNC_PASSWORD)


def test_vnc_without_a_password_may_be_opened_explicitly(xvfb):
    vnc_port, novnc_port = free_port(), free_port()
    with start_vnc(xvfb.display, allow_open=True, vnc_port=vnc_port, novnc_port=novnc_port):
        assert listening_addresses(novnc_port) == {"0.0.0.0"}


def test_a_taken_novnc_port_is_one_clear_error(xvfb):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(VncError, match=f"noVNC port 127.0.0.1:{port} is already in use"):
            start_vnc(xvfb.display, vnc_port=free_port(), novnc_port=port)


def assert_nowhere_in_argv(*secrets: str) -> None:
    argvs = {}
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            argvs[proc.name] = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
    assert len(argvs) > 5
    for secret in secrets:
        assert not [pid for pid, argv in argvs.items() if secret in argv], "a secret is in a process's argv"


# -- `ibga demo` and `ibga supervise` as commands ------------------------------------------------------


def descendants(pid: int) -> dict[int, tuple[str, str]]:
    """Every process below `pid`: pid -> (start time, argv)."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[str, str]] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
            argv = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(proc.name))
        info[int(proc.name)] = (fields[19], argv)
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        if child in info:
            found[child] = info[child]
        todo.extend(children.get(child, []))
    return found


def still_running(processes: dict[int, tuple[str, str]], pids: bool = False) -> list:
    """The argv (or pid) of each of `processes` that still runs (same start time: not a reused pid)."""
    alive = []
    for pid, (start, argv) in processes.items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2:].split()[19] == start and " (Z" not in stat:
            alive.append(pid if pids else argv)
    return alive


class ChildWatch:
    """Reads the environment and argv of every program below `pid` every 50 ms, until stopped: the short
    ones too (the banner, the installer, javac). A child caught between fork and exec still runs the
    parent's program, with the parent's environment: it is not a program of its own and is left out."""

    def __init__(self, pid: int):
        self.pid = pid
        self.parent_argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        self.seen: dict[tuple[int, str, str], bytes] = {}  # (pid, start, argv) -> environ
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self):
        while not self._stop.wait(0.05):
            for pid, (start, argv) in descendants(self.pid).items():
                if argv == self.parent_argv:
                    continue
                with contextlib.suppress(OSError):
                    environ = Path(f"/proc/{pid}/environ").read_bytes()
                    self.seen.setdefault((pid, start, argv), environ)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def kinds(self, *names: str) -> set[str]:
        """Which of `names` appear in the argv of a program seen."""
        return {name for name in names if any(name in argv for _, _, argv in self.seen)}

    def leaks(self, *secrets: str) -> list[str]:
        """'argv: environ|cmdline' for each program whose environment or arguments hold a secret."""
        found = []
        for (_, _, argv), environ in self.seen.items():
            for secret in secrets:
                if secret.encode() in environ:
                    found.append(f"{argv[:80]}: environ")
                if secret in argv:
                    found.append(f"{argv[:80]}: cmdline")
        return found


class Command:
    """An ibga command in its own session (as from a terminal), its output collected."""

    def __init__(self, args: list[str], env: dict):
        self.process = subprocess.Popen([*IBGA, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_line(self, pattern: str, timeout: float = LOGIN_TIMEOUT) -> re.Match:
        def found():
            if self.process.poll() is not None and not self._reader.is_alive():
                raise AssertionError(f"exited with {self.process.returncode}:\n{self.output[-3000:]}")
            return next((m for line in list(self.lines) if (m := re.search(pattern, line))), None)

        return wait_for(found, timeout, 0.1)

    def stop(self, sig: int, group: bool) -> tuple[int, float]:
        started = time.monotonic()
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        code = self.process.wait(STOP_LIMIT_S + 10)
        self._reader.join(5)
        return code, time.monotonic() - started

    def kill(self):
        """After a failed test: stop the command as `docker stop` would, then kill what is left, the
        gateway, Xvfb and VNC included (each runs in a session of its own, out of the command's group)."""
        if self.process.poll() is not None:
            return
        left = descendants(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_LIMIT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in still_running(left, pids=True):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def healthy(port: int, status: str) -> bool:
    result = subprocess.run([*IBGA, "health", "--port", str(port), "--status", status], capture_output=True,
                            text=True)
    return result.returncode == 0


def api_answers(port: int) -> list[str]:
    from ib_async import IB

    ib = IB()
    try:
        ib.connect("127.0.0.1", port, clientId=21, timeout=15)
        return ib.managedAccounts()
    finally:
        ib.disconnect()


@pytest.mark.display
def test_ibga_demo_logs_in_shows_the_screen_and_stops_cleanly_on_ctrl_c():
    novnc_port, api_port = free_port(), free_port()
    env = dict(os.environ, IBGA_VNC_PASSWORD=VNC_PASSWORD)
    for name in ("IBG_REPLICA_SCENARIO", "IB_USERNAME", "IB_PASSWORD", "DISPLAY"):
        env.pop(name, None)
    demo = Command(["demo", "--port", str(novnc_port), "--api-port", str(api_port)], env)
    children = ChildWatch(demo.process.pid)
    try:
        check = demo.wait_line(r"ibga health --port (\d+) --status (\S+)")
        internal_port, status = int(check[1]), check[2]
        wait_for(lambda: healthy(internal_port, status), LOGIN_TIMEOUT, 0.5)
        demo.wait_line("logged in: a TWS API client can connect", 10)
        assert api_answers(api_port) == ["DU1234567"]  # a paper account, through the relay
        assert http_status(f"http://127.0.0.1:{novnc_port}/vnc.html") == 200
        assert websocket_rfb(novnc_port) == b"RFB 003.008\n"
        assert f"http://127.0.0.1:{novnc_port}/vnc.html?autoconnect=true&resize=scale" in demo.output
        running = descendants(demo.process.pid)
        kinds = {kind for kind in ("Xvfb", "java", "x11vnc", "websockify")
                 if any(kind in argv for _, argv in running.values())}
        assert kinds == {"Xvfb", "java", "x11vnc", "websockify"}
        assert_nowhere_in_argv(VNC_PASSWORD)
        children.stop()
        assert children.kinds("Xvfb", "x11vnc", "websockify", "javac", "java") == \
            {"Xvfb", "x11vnc", "websockify", "javac", "java"}
        assert children.leaks(VNC_PASSWORD) == []  # the replica's installer and javac included
        workdir = Path(status).parents[2]
        code = demo.stop(signal.SIGINT, group=True)[0]  # Ctrl-C in a terminal reaches the whole group
    finally:
        demo.kill()
    assert code == 0, demo.output[-3000:]
    assert still_running(running) == []
    assert not workdir.exists()
    assert "closing the gateway" in demo.output
    assert demo.output.index("closing the gateway") < demo.output.index("stopping the API relay, VNC")
    assert VNC_PASSWORD not in demo.output
    assert "<hidden>-" not in demo.output  # the paths in the runner's log stay readable


@pytest.mark.display
def test_ibga_supervise_installs_logs_in_publishes_the_api_and_stops_on_sigterm(built_installer, tmp_path):
    server = InstallerServer(built_installer)
    settings_dir, ibg_dir = tmp_path / "settings", tmp_path / "ibg"
    settings_dir.mkdir()
    (settings_dir / "replica-settings.json").write_text(json.dumps({"api_port": str(free_port())}))
    scenario = tmp_path / "scenario.json"
    password = "Sup3r<pw> é"
    scenario.write_text(json.dumps({"account": "paper", "username": "supuser", "password": password}))
    internal_port, api_port, vnc_port, novnc_port = (free_port() for _ in range(4))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IB_", "IBG_", "IBGA_", "DISPLAY"))}
    env.update(IB_USERNAME="supuser", IB_PASSWORD=password, IB_LOGINTYPE="Paper Trading",
               IB_TIMEZONE="America/New_York", IBG_DIR=str(ibg_dir), IBG_SETTINGS_DIR=str(settings_dir),
               IBG_PORT_INTERNAL=str(internal_port), IBG_PORT=str(api_port), IBG_DOWNLOAD_URL=server.url,
               IBGA_VNC_PASSWORD=VNC_PASSWORD, IBG_REPLICA_SCENARIO=str(scenario))
    env.update(TOTP_KEY=TOTP_KEY, IBGA_WEBHOOK_URL=WEBHOOK)  # unused by a paper login; still secrets
    supervisor = Command(["supervise", "--vnc-port", str(vnc_port), "--novnc-port", str(novnc_port)], env)
    children = ChildWatch(supervisor.process.pid)
    try:
        status = str(settings_dir / "ibga" / "status.json")
        wait_for(lambda: healthy(internal_port, status), LOGIN_TIMEOUT, 0.5)
        children.stop()
        # every program ibga starts, the short-lived ones included, was read
        programs = ("Xvfb", "x11vnc", "websockify", "ibga.runner.banner", "ibgateway.sh", "javac", "java ")
        assert children.kinds(*programs) == set(programs)
        assert children.leaks(password, VNC_PASSWORD, TOTP_KEY, WEBHOOK, "supuser") == []
        assert api_answers(api_port) == ["DU1234567"]
        assert listening_addresses(api_port) == {"0.0.0.0"}
        assert (ibg_dir / "ibgateway.sh").exists() and len(server.requests) == 1
        assert "downloading IB Gateway: 100 %" in supervisor.output
        assert websocket_rfb(novnc_port, answer=True) == [2]
        running = descendants(supervisor.process.pid)
        java = [pid for pid, (_, argv) in running.items() if argv.startswith("java ")]
        assert len(java) == 1
        environ = Path(f"/proc/{java[0]}/environ").read_bytes().split(b"\0")
        assert b"TZ=America/New_York" in environ
        assert_nowhere_in_argv(password, VNC_PASSWORD)
        code = supervisor.stop(signal.SIGTERM, group=False)[0]  # docker stop signals PID 1 only
    finally:
        supervisor.kill()
        server.close()
    assert code == 0, supervisor.output[-3000:]
    assert still_running(running) == []
    out = supervisor.output
    order = [out.index(text) for text in ("closing the gateway", "stopping the API relay",
                                           "stopping the screen (VNC, Xvfb)")]
    assert order == sorted(order)
    assert password not in out and VNC_PASSWORD not in out


@pytest.mark.display
def test_ibga_supervise_without_credentials_runs_the_real_gateway_for_a_person_and_serves_no_api(
        built_installer, tmp_path):
    """Never a fake gateway: no IB_USERNAME means a manual login, not the replica demo's invented account.
    The gateway here is the replica installed from IBG_DOWNLOAD_URL, as the real one would be; nobody logs
    in, so nothing may answer the TWS handshake."""
    from ibga.runner.health import api_handshake

    server = InstallerServer(built_installer)
    settings_dir, ibg_dir = tmp_path / "settings", tmp_path / "ibg"
    internal_port, api_port, vnc_port, novnc_port = (free_port() for _ in range(4))
    settings_dir.mkdir()
    (settings_dir / "replica-settings.json").write_text(json.dumps({"api_port": str(internal_port)}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IB_", "IBG_", "IBGA_", "DISPLAY"))}
    env.update(IBG_DIR=str(ibg_dir), IBG_SETTINGS_DIR=str(settings_dir), IBG_PORT_INTERNAL=str(internal_port),
               IBG_PORT=str(api_port), IBG_DOWNLOAD_URL=server.url)
    supervisor = Command(["supervise", "--vnc-port", str(vnc_port), "--novnc-port", str(novnc_port)], env)
    status = settings_dir / "ibga" / "status.json"
    try:
        supervisor.wait_line("!!! manual login: IB_USERNAME is not set")
        wait_for(lambda: status.exists() and json.loads(status.read_text())["state"] == "waiting_for_person",
                 LOGIN_TIMEOUT, 0.2)
        supervisor.wait_line("manual login: the login window shows: log in through VNC", 10)
        for _ in range(10):  # the login window shows and stays; the API is published but nothing is behind it
            for port in (api_port, internal_port):
                assert not api_handshake("127.0.0.1", port, timeout=2.0).ok
            time.sleep(0.5)
        assert len(server.requests) == 1 and (ibg_dir / "ibgateway.sh").exists()
        assert not healthy(internal_port, str(status))
        code = supervisor.stop(signal.SIGTERM, group=False)[0]
    finally:
        supervisor.kill()
        server.close()
    assert code == 0, supervisor.output[-3000:]
    assert "replica" not in supervisor.output.lower() and "demo" not in supervisor.output.lower()


def test_the_replica_demo_runs_in_supervise_only_when_asked_for_by_name(monkeypatch):
    from ibga.runner import demo as demo_module
    from ibga.runner.supervise import supervise

    asked = []
    monkeypatch.setattr(demo_module, "demo", lambda **kwargs: asked.append(kwargs) or 0)
    assert supervise({"IBGA_DEMO": "true", "IBG_PORT": "4123"}) == 0
    assert [a["api_port"] for a in asked] == [4123]
    assert supervise({"IBGA_DEMO": "true", "IB_USERNAME": "someone", "IB_PASSWORD": "pw"}) == 2
    assert len(asked) == 1
