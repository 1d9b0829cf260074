"""The recognition contract: what a recognition and a corpus label look like.

Everything that recognizes a screen returns a `Recognition`, and every label in
``fixtures/screens`` has the same JSON shape (see DESIGN.md, "The recognition contract").
Boxes are ``[x, y, w, h]`` in the pixels of the image they describe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]

SCREEN_IDS: frozenset[str] = frozenset({
    # the login frame and what happens between "Log In" and the main window
    "login", "connecting_progress", "second_factor_push", "second_factor_device_choice",
    "second_factor_totp", "second_factor_code_card", "trading_login_handoff",
    "existing_session_detected", "relogin_required", "token_expired", "autorestart_token_rejected",
    "login_failed", "unrecognized_credentials", "too_many_failed_attempts",
    "server_disconnected_error", "use_ssl_encryption", "not_currently_available",
    "unsupported_version", "newer_version_available", "settings_download_disabled", "proxy_message",
    # after login
    "login_messages", "pending_tasks", "paper_trading_warning", "bid_ask_last_size_update",
    "api_not_available_free_trading", "password_expiry_notice", "nse_compliance_notice",
    "main_window", "settings", "auto_restart_notice", "api_change_confirmation",
    "exit_session_setting", "restart_now_prompt", "exit_confirmation", "shutdown_progress",
    "view_logs", "export_filename_chooser", "export_done_message", "accept_incoming_connection",
    "api_write_access_confirmation", "reconnect_confirmation", "generic_gateway_message",
    "order_time_dialogs", "about_gateway",
    # not IB Gateway windows, but seen on its screen
    "ibga_overlay_text", "restart_countdown_overlay",
    "unknown",
})
"""Screen ids of ../shared/ibg-screens/CATALOG.md §1. States of one window (login with More
Options or in FIX CTCI mode, the settings dialog's panels) share their window's id and are
told apart by ``state``."""


@dataclass
class Element:
    """A named control: its box and, where it has them, text and states."""

    box: Box
    text: str | None = None
    selected: bool | None = None
    enabled: bool | None = None

    @property
    def centre(self) -> tuple[int, int]:
        x, y, w, h = self.box
        return x + w // 2, y + h // 2

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"box": list(self.box)}
        for key in ("text", "selected", "enabled"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Element:
        return cls(tuple(int(v) for v in d["box"]), d.get("text"), d.get("selected"), d.get("enabled"))


@dataclass
class Recognition:
    """What was recognized in one image."""

    screen: str
    score: float
    window: Box | None = None
    elements: dict[str, Element] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    also: list[str] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)
    """Best screen ids and their scores, for diagnostics (also when `screen` is unknown)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "screen": self.screen,
            "score": round(float(self.score), 4),
            "window": list(self.window) if self.window else None,
            "elements": {name: e.to_dict() for name, e in sorted(self.elements.items())},
            "state": dict(self.state),
            "also": list(self.also),
        }
        if self.candidates:
            out["candidates"] = [[s, round(float(v), 4)] for s, v in self.candidates]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Recognition:
        window = d.get("window")
        return cls(
            screen=d["screen"],
            score=float(d.get("score", 1.0)),
            window=tuple(int(v) for v in window) if window else None,
            elements={k: Element.from_dict(v) for k, v in d.get("elements", {}).items()},
            state=dict(d.get("state", {})),
            also=list(d.get("also", [])),
            candidates=[(s, float(v)) for s, v in d.get("candidates", [])],
        )


def _box_problems(where: str, box: Any, size: tuple[int, int] | None) -> list[str]:
    if not (isinstance(box, list | tuple) and len(box) == 4 and all(isinstance(v, int) for v in box)):
        return [f"{where}: box must be four integers [x, y, w, h], got {box!r}"]
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return [f"{where}: box {box} has no area"]
    if size is not None:
        width, height = size
        if x < 0 or y < 0 or x + w > width or y + h > height:
            return [f"{where}: box {box} is outside the {width}x{height} image"]
    return []


def label_problems(label: dict[str, Any], size: tuple[int, int] | None = None) -> list[str]:
    """Everything wrong with a corpus label (empty when it is valid).

    Parameters
    ----------
    label : dict
        The parsed JSON label.
    size : (width, height), optional
        The image's size; when given, every box must lie inside it.
    """
    problems = []
    screen = label.get("screen")
    if screen not in SCREEN_IDS:
        problems.append(f"screen {screen!r} is not a catalog screen id")
    for key in ("also",):
        for other in label.get(key, []):
            if other not in SCREEN_IDS:
                problems.append(f"{key}: {other!r} is not a catalog screen id")
    window = label.get("window")
    if screen != "unknown" or window is not None:
        problems += _box_problems("window", window, size)
    if not isinstance(label.get("elements", {}), dict):
        problems.append("elements must be an object")
    else:
        for name, element in label.get("elements", {}).items():
            if not isinstance(element, dict):
                problems.append(f"element {name}: must be an object")
                continue
            problems += _box_problems(f"element {name}", element.get("box"), size)
            for flag in ("selected", "enabled"):
                if flag in element and not isinstance(element[flag], bool):
                    problems.append(f"element {name}: {flag} must be true or false")
    if not isinstance(label.get("state", {}), dict):
        problems.append("state must be an object")
    return problems
