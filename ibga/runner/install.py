"""Install IB Gateway into IBG_DIR from IBG_DOWNLOAD_URL when IBG_DIR has no launcher.

As IBGA does (``scripts/_install_ibg.sh``): the installer is downloaded once and kept in
IBG_DIR (``ibgateway.sh``, IBGA's name, so a volume that IBGA filled is re-used), then run with
no display. It runs unattended (install4j's ``-q -dir IBG_DIR``), with the console answers on
stdin as well (the directory, then Enter: IBGA's way, for an installer that asks anyway).
IBKR's installer puts its launcher in the directory given (``IBG_DIR/ibgateway``), the replica's
under it (``IBG_DIR/Jts/ibgateway/ibgateway``, the layout IBGA's installations have): both are
places `ibga.runner.gateway.find_launcher` looks.

The download is retried with backoff, logs its progress every 10 %, and is written to a
``.part`` file renamed only when complete, so an interrupted download is never run. An
``ibgateway.sh.url`` file beside the installer remembers where it came from: another
IBG_DOWNLOAD_URL downloads again (a pinned version changed); IBGA's installer, without it, is re-used.
An installer that fails is deleted, as IBGA does, so the next start downloads it again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from ibga.runner.gateway import GatewayError, find_launcher
from ibga.runner.secrecy import child_environment

INSTALLER_NAME = "ibgateway.sh"
DOWNLOAD_ATTEMPTS = 4
RETRY_WAIT_S = (5.0, 15.0, 45.0)
READ_TIMEOUT_S = 60.0
CHUNK = 256 * 1024
INSTALL_TIMEOUT_S = 900.0
UNKNOWN_SIZE_STEP = 10 * 1024 * 1024
"""Without a Content-Length, a progress line every this many bytes."""

log = logging.getLogger("ibga.runner.install")


class InstallError(RuntimeError):
    """IB Gateway could not be downloaded or installed; the message says which step and why."""


class InstallStopped(InstallError):
    """Stopped on request (SIGTERM) before the installation was complete."""


def shown_url(url: str) -> str:
    """`url` fit for a log line: without user:password@ and without its query (a signed URL's token)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" + ("?…" if parts.query else "")


def ensure_installed(ibg_dir: Path, url: str, *, stop: threading.Event | None = None,
                     on_step: Callable[[str], None] | None = None) -> Path:
    """The gateway's launcher in `ibg_dir`, installing the gateway from `url` first when there is none.

    Parameters
    ----------
    ibg_dir : Path
        IBG_DIR, the installation directory (created when missing).
    url : str
        IBG_DOWNLOAD_URL, the installer (IBKR's ``ibgateway-*-standalone-linux-*.sh``).
    stop : threading.Event, optional
        Set it to give up early (between download chunks, during the waits between attempts, or
        by ending the installer).
    on_step : callable, optional
        Called with a short text at each step ("Downloading IB Gateway ...", "Installing ..."),
        for a message on the screen.

    Returns
    -------
    Path
        The launcher.

    Raises
    ------
    InstallError
        The download failed after its retries, or the installer failed or left no launcher.
    InstallStopped
        `stop` was set.
    """
    stop = stop or threading.Event()
    ibg_dir = Path(ibg_dir)
    with contextlib.suppress(GatewayError):
        launcher = find_launcher(ibg_dir)
        log.info("IB Gateway found at %s", launcher)
        return launcher
    try:
        ibg_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InstallError(f"cannot create IBG_DIR {ibg_dir}: {exc.strerror or exc}") from None
    installer = ibg_dir / INSTALLER_NAME
    if _cached_installer_fits(installer, url):
        log.info("IB Gateway is not installed in %s; using the installer kept at %s", ibg_dir, installer)
    else:
        log.info("IB Gateway is not installed in %s; downloading it from %s", ibg_dir, shown_url(url))
        if on_step:
            on_step("Downloading IB Gateway ...")
        download(url, installer, stop=stop)
        installer.with_name(INSTALLER_NAME + ".url").write_text(url + "\n", encoding="utf-8")
    if on_step:
        on_step("Installing IB Gateway ...")
    try:
        return run_installer(installer, ibg_dir, stop=stop)
    except InstallStopped:
        raise
    except InstallError:  # as IBGA: a failed installer is not kept (it may be a broken download)
        installer.unlink(missing_ok=True)
        installer.with_name(INSTALLER_NAME + ".url").unlink(missing_ok=True)
        raise


def _cached_installer_fits(installer: Path, url: str) -> bool:
    if not installer.is_file() or installer.stat().st_size == 0:
        return False
    source = installer.with_name(INSTALLER_NAME + ".url")
    if not source.is_file():
        return True  # IBGA's: it keeps no URL
    return source.read_text(encoding="utf-8").strip() == url


def download(url: str, target: Path, *, attempts: int = DOWNLOAD_ATTEMPTS,
             stop: threading.Event | None = None) -> Path:
    """Download `url` to `target` (through ``target.part``), retrying on network and server errors.

    Raises
    ------
    InstallError
        Every attempt failed, or the server said the file does not exist (4xx: no retry).
    """
    stop = stop or threading.Event()
    part = target.with_name(target.name + ".part")
    last = ""
    for attempt in range(1, attempts + 1):
        try:
            _download_once(url, part, stop)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                part.unlink(missing_ok=True)
                raise InstallError(f"cannot download the IB Gateway installer from {shown_url(url)}: {last} "
                                   "(check IBG_DOWNLOAD_URL)") from None
        except (OSError, ValueError) as exc:  # URLError, timeouts, resets, short reads
            last = _reason(exc)
        else:
            os.replace(part, target)
            target.chmod(0o755)
            return target
        part.unlink(missing_ok=True)
        if attempt < attempts:
            wait = RETRY_WAIT_S[min(attempt - 1, len(RETRY_WAIT_S) - 1)]
            log.warning("download attempt %d of %d failed (%s); trying again in %.0f s", attempt, attempts,
                        last, wait)
            if stop.wait(wait):
                break
    if stop.is_set():
        raise InstallStopped("stopped while downloading the IB Gateway installer")
    raise InstallError(f"cannot download the IB Gateway installer from {shown_url(url)} after {attempts} "
                       f"attempts: {last}")


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None)  # URLError wraps the socket's error
    if isinstance(reason, OSError):
        exc = reason
    elif reason:
        return str(reason)
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def _download_once(url: str, part: Path, stop: threading.Event) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "ibga"})
    with urllib.request.urlopen(request, timeout=READ_TIMEOUT_S) as response, part.open("wb") as out:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        done, next_report = 0, 10
        started = time.monotonic()
        while chunk := response.read(CHUNK):
            if stop.is_set():
                raise ValueError("stopped")
            out.write(chunk)
            done += len(chunk)
            if total:
                percent = done * 100 // total
                if percent >= next_report:
                    log.info("downloading IB Gateway: %3d %% (%.1f of %.1f MB)", percent, done / 1e6,
                             total / 1e6)
                    next_report = (percent // 10 + 1) * 10
            elif done // UNKNOWN_SIZE_STEP > (done - len(chunk)) // UNKNOWN_SIZE_STEP:
                log.info("downloading IB Gateway: %.0f MB so far", done / 1e6)
        if total is not None and done != total:
            raise ValueError(f"the download ended after {done} of {total} bytes")
        if done == 0:
            raise ValueError("the server sent an empty file")
        log.info("downloaded %.1f MB in %.0f s", done / 1e6, time.monotonic() - started)


def run_installer(installer: Path, ibg_dir: Path, timeout: float = INSTALL_TIMEOUT_S,
                  stop: threading.Event | None = None) -> Path:
    """Run `installer` unattended into `ibg_dir` (no display); the launcher it left.

    Raises
    ------
    InstallError
        The installer failed, did not finish in time, or left no launcher.
    InstallStopped
        `stop` was set: the installer was ended.
    """
    stop = stop or threading.Event()
    log.info("installing IB Gateway into %s", ibg_dir)
    env = child_environment()  # no DISPLAY: no GUI installer, as IBGA runs it (DISPLAY="")
    program = [str(installer)] if os.access(installer, os.X_OK) else ["bash", str(installer)]
    command = [*program, "-q", "-dir", str(ibg_dir)]
    output = ibg_dir / (INSTALLER_NAME + ".log")
    started = time.monotonic()
    try:
        with output.open("wb") as out:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                                       env=env, cwd=ibg_dir, start_new_session=True)
    except OSError as exc:
        raise InstallError(f"cannot run the IB Gateway installer {installer}: "
                           f"{exc.strerror or exc}") from None
    with contextlib.suppress(OSError):  # an installer that does not read its stdin
        process.stdin.write(f"{ibg_dir}\n\n".encode())
        process.stdin.close()
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline and not stop.wait(0.2):
        pass
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if stop.is_set():
            raise InstallStopped("stopped while installing IB Gateway")
        raise InstallError(f"the IB Gateway installer did not finish within {timeout:.0f} s "
                           f"(its output: {output})")
    try:
        launcher = find_launcher(ibg_dir)
    except GatewayError:
        tail = _tail(output)
        raise InstallError(f"the IB Gateway installer exited with code {process.returncode} and left no "
                           f"launcher in {ibg_dir}: {tail} (full output: {output})") from None
    log.info("IB Gateway installed in %.0f s: %s", time.monotonic() - started, launcher)
    return launcher


def _tail(path: Path) -> str:
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no output"
    return " / ".join(lines[-3:]) if lines else "no output"
