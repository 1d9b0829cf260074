"""What must stay hidden: the secret values this process knows, text with them blanked, and clean
environments for the programs ibga starts.

One home for both rules of DESIGN.md: secrets never reach a log (`redact`, used by the log filter of
`ibga.runner.logs`) and never reach a child process's environment (`child_environment`, used for
every program ibga starts: Xvfb, x11vnc, websockify, the banner, the installer, the gateway, the
replica's installer). A child's environment loses a variable when its name says it holds a secret
(ibga's, IBGA's, gnzsnz's or IBC's secret names and their ``_FILE`` forms, anything named like a
password, token or key) or when its value is one of the secrets `hide` was told about, whatever its
name. The configuration variables themselves (``IB_*``, ``IBGA_*``, ``TWS_*``, ``TOTP_*``) go too: no
child needs them.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping

MIN_SECRET_LENGTH = 4
"""Shorter secret values are not blanked in text (they would blank ordinary words); they are still
kept out of children's environments by name."""
HIDDEN = "<hidden>"

CONFIG_PREFIXES = ("IB_", "IBGA_", "TOTP_", "TWS_")
"""ibga's and IBGA's configuration (``IBG_`` paths and ports are not secret, and the replica reads
``IBG_REPLICA_*``), and gnzsnz's ``TWS_*``."""
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|TOTP|CREDENTIAL|(^|_)(KEY|PW|PASS)($|_)",
                         re.IGNORECASE)
"""A name that says it holds a secret (``VNC_SERVER_PASSWORD``, ``API_TOKEN``, ``TOTP_KEY_FILE``)."""

_lock = threading.Lock()
_values: set[str] = set()
_ordered: tuple[str, ...] = ()


def hide(values: Iterable[str | None]) -> None:
    """Remember secret values for the life of this process: `redact` blanks them and
    `child_environment` drops any variable that holds one. Empty values are ignored."""
    global _ordered
    with _lock:
        _values.update(v for v in values if v)
        _ordered = tuple(sorted(_values, key=len, reverse=True))


def hide_config(config) -> None:
    """Hide every `Secret` of a `ibga.runner.config.Config`."""
    from dataclasses import fields

    from ibga.runner.config import Secret

    values = (getattr(config, f.name) for f in fields(config))
    hide(value.reveal() for value in values if isinstance(value, Secret))


def redact(text: str) -> str:
    """`text` with every hidden value of at least `MIN_SECRET_LENGTH` characters replaced by ``<hidden>``
    (the longest first, so a secret that contains another is blanked whole)."""
    for value in _ordered:
        if len(value) >= MIN_SECRET_LENGTH and value in text:
            text = text.replace(value, HIDDEN)
    return text


def is_secret_name(name: str) -> bool:
    """True for a variable whose name says it holds a secret or ibga's configuration."""
    from ibga.runner.config import SECRET_VARIABLES

    return name in SECRET_VARIABLES or name.startswith(CONFIG_PREFIXES) or bool(SECRET_NAME.search(name))


def child_environment(display: str | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for a program ibga starts: `base` (default ``os.environ``) without any secret, with
    DISPLAY set to `display`, or without DISPLAY when None.

    Parameters
    ----------
    display : str, optional
        The X display the program draws on.
    base : Mapping, optional
        The environment to start from.
    """
    base = os.environ if base is None else base
    values = _values
    env = {k: v for k, v in base.items()
           if k != "DISPLAY" and not is_secret_name(k) and v not in values}
    if display:
        env["DISPLAY"] = display
    return env
