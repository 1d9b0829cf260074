"""What the runner remembers on disk: its status, its login attempts, and refused credentials.

All three live beside the status file (``IBG_SETTINGS_DIR/ibga/`` by default), so they survive
a restart of the container:

* the status file (`ibga.runner.status`), rewritten at each transition;
* ``logins.json``: the times of the login attempts of the last 24 hours, so that no loop, and
  no container restart policy, can try more than IBGA_MAX_LOGINS_PER_DAY times a day;
* ``credentials-refused.json``: written when the gateway said "Invalid username or password".
  IBKR locks accounts after repeated failures, so ibga then refuses to try the same
  credentials again, even after a restart, until they change. To tell "the same" it keeps a
  salted scrypt digest of them, never the credentials.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import time
from pathlib import Path

from ibga.runner.config import Config
from ibga.runner.status import Status, now_iso, write_status

DAY_S = 24 * 3600


class StatusKeeper:
    """The runner's status, written to `path` whenever it changes."""

    def __init__(self, path: Path, api_port: int, log: logging.Logger):
        self.path = Path(path)
        self.log = log
        self.status = Status(state="starting", since=now_iso(), api_port=api_port, pid=os.getpid())
        self._write()

    @property
    def state(self) -> str:
        return self.status.state

    def set(self, state: str, error: str | None = None, attempts: int | None = None) -> None:
        """Move to `state`; `error` replaces the last error when given (never a secret)."""
        changes: dict = {}
        if error is not None:
            changes["last_error"] = error
        if attempts is not None:
            changes["attempts_today"] = attempts
        new = self.status.moved_to(state, **changes)
        if new == self.status:
            return
        if new.state != self.status.state:
            self.log.info("status: %s -> %s%s", self.status.state, state, f" ({error})" if error else "")
        self.status = new
        self._write()

    def _write(self) -> None:
        try:
            write_status(self.path, self.status)
        except OSError as exc:
            self.log.warning("cannot write the status file %s: %s", self.path, exc.strerror or exc)


class LoginBudget:
    """Login attempts of the last 24 hours, persisted in ``logins.json`` beside the status file."""

    def __init__(self, directory: Path, limit: int, clock=time.time):
        self.path = Path(directory) / "logins.json"
        self.limit = limit
        self.clock = clock

    def _load(self) -> list[float]:
        try:
            data = json.loads(self.path.read_text())
            return [float(t) for t in data.get("attempts", [])]
        except (OSError, ValueError, TypeError, AttributeError):
            return []

    def attempts(self) -> list[float]:
        """Times (epoch seconds) of the attempts of the last 24 hours."""
        now = self.clock()
        return [t for t in self._load() if now - DAY_S < t <= now]

    def used(self) -> int:
        return len(self.attempts())

    def left(self) -> int:
        return max(0, self.limit - self.used())

    def next_allowed_in(self) -> float:
        """Seconds until one more attempt is allowed (0 when one is allowed now)."""
        attempts = sorted(self.attempts())
        if len(attempts) < self.limit:
            return 0.0
        return attempts[len(attempts) - self.limit] + DAY_S - self.clock()

    def record(self) -> int:
        """Count one attempt now; the number used in the last 24 hours."""
        attempts = self.attempts() + [self.clock()]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"attempts": attempts}))
        os.replace(tmp, self.path)
        return len(attempts)


class RefusedCredentials:
    """The memory that the gateway refused these credentials ("Invalid username or password")."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / "credentials-refused.json"

    @staticmethod
    def _digest(config: Config, salt: bytes) -> str:
        user = config.username.reveal() if config.username else ""
        password = config.password.reveal() if config.password else ""
        material = f"{user}\0{password}\0{config.trading_mode}".encode()
        return hashlib.scrypt(material, salt=salt, n=2**14, r=8, p=1, dklen=32).hex()

    def remember(self, config: Config, reason: str) -> None:
        salt = secrets.token_bytes(16)
        digest = self._digest(config, salt)
        data = {"since": now_iso(), "reason": reason, "salt": salt.hex(), "digest": digest}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=1) + "\n")
        os.chmod(self.path, 0o600)

    def refused(self, config: Config) -> str | None:
        """The earlier refusal ("since ...: reason") when these same credentials were refused, else None.

        A memory of other credentials is forgotten (the user fixed them).
        """
        try:
            data = json.loads(self.path.read_text())
            salt = bytes.fromhex(data["salt"])
            digest = data["digest"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.path.unlink(missing_ok=True)
            return None
        if secrets.compare_digest(self._digest(config, salt), digest):
            return f"since {data.get('since')}: {data.get('reason')}"
        self.path.unlink(missing_ok=True)
        return None
