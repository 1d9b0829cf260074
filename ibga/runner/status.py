"""The runner's status file: what state the gateway is in, for `ibga health` and for people.

The runner rewrites one small JSON file at each transition; `ibga health`, a Docker
HEALTHCHECK or a curious person reads it. Writes are atomic (a temporary file in the same
directory, then `os.replace`), so a reader sees the old status or the new one, never half.

``logged_in`` means usable: logged in, the settings applied and the API answering on its port. A
gateway logged in whose settings could not be applied, or whose API went silent, is ``error`` with
the reason in ``last_error`` (``logging_in`` while a failed settings step waits to be tried again).

Where the file is: ``$IBGA_STATUS_FILE`` when set, else ``$IBG_SETTINGS_DIR/ibga/status.json``
(``IBG_SETTINGS_DIR`` defaults to ``/home/ibg_settings`` as in IBGA). The settings volume
is where IBGA keeps its own files, it is writable by the runner, and ``docker exec``
sees it. The file holds no secrets; callers must not put any in ``last_error``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

STATES = ("starting", "logging_in", "waiting_2fa", "waiting_for_person", "logged_in", "stopped", "error")
"""``waiting_for_person``: nothing moves until a person acts through VNC (a manual login)."""
DEFAULT_SETTINGS_DIR = "/home/ibg_settings"


class StatusError(RuntimeError):
    """The status file is missing, unreadable or not a status."""


def now_iso() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Status:
    """What the runner says about the gateway.

    Attributes
    ----------
    state : str
        One of `STATES`.
    since : str
        ISO 8601 time of the last change of `state`.
    last_error : str or None
        The last thing that went wrong, in one line (never a secret).
    attempts_today : int
        Login attempts made today (the daily cap protects the account).
    api_port : int or None
        The port the gateway's API socket is configured to listen on.
    pid : int or None
        The runner's process id.
    """

    state: str
    since: str
    last_error: str | None = None
    attempts_today: int = 0
    api_port: int | None = None
    pid: int | None = None

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise StatusError(f"unknown state {self.state!r} (expected one of {', '.join(STATES)})")

    def moved_to(self, state: str, **changes) -> Status:
        """This status in `state`; `since` moves only when the state really changes."""
        since = self.since if state == self.state else now_iso()
        return replace(self, state=state, since=since, **changes)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Status:
        """Build from parsed JSON; unknown keys are ignored so newer runners stay readable."""
        if not isinstance(data, Mapping):
            raise StatusError("a status must be a JSON object")
        for key in ("state", "since"):
            if not isinstance(data.get(key), str):
                raise StatusError(f"status field {key!r} is missing or not a string")
        for key in ("attempts_today", "api_port", "pid"):
            value = data.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise StatusError(f"status field {key!r} must be an integer, not {value!r}")
        last_error = data.get("last_error")
        if last_error is not None and not isinstance(last_error, str):
            raise StatusError("status field 'last_error' must be a string")
        return cls(state=data["state"], since=data["since"], last_error=last_error,
                   attempts_today=data.get("attempts_today") or 0, api_port=data.get("api_port"),
                   pid=data.get("pid"))


def default_status_path(env: Mapping[str, str] | None = None) -> Path:
    """``$IBGA_STATUS_FILE``, else ``$IBG_SETTINGS_DIR/ibga/status.json``."""
    env = os.environ if env is None else env
    explicit = env.get("IBGA_STATUS_FILE", "").strip()
    if explicit:
        return Path(explicit)
    settings = env.get("IBG_SETTINGS_DIR", "").strip() or DEFAULT_SETTINGS_DIR
    return Path(settings) / "ibga" / "status.json"


def write_status(path: Path | str, status: Status) -> None:
    """Write `status` to `path` atomically, creating the directory if needed.

    Raises
    ------
    OSError
        The directory cannot be created or written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(status.to_dict(), f, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # no secrets inside; monitoring as another user may read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_status(path: Path | str) -> Status:
    """Read the status at `path`.

    Raises
    ------
    StatusError
        The file is missing, unreadable, not JSON or not a status; the message names the path.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StatusError(f"no status file at {path}") from None
    except OSError as exc:
        raise StatusError(f"cannot read the status file {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise StatusError(f"the status file {path} is not valid JSON") from None
    try:
        return Status.from_dict(data)
    except StatusError as exc:
        raise StatusError(f"the status file {path} is not a status: {exc}") from None
