"""Turn the replica's window stack and component tree into a corpus label.

The replica reports every window it shows, with its screen id, its box, its state and
each control's role, box, text and states. The label of a screenshot is the topmost
window's part of that, in the recognition contract, plus `also` for windows behind it.
"""

from __future__ import annotations

from typing import Any


def _clip(box, size) -> list[int] | None:
    """`box` clipped to the image; None when nothing of it is inside."""
    x, y, w, h = box
    width, height = size
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(width, x + w), min(height, y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    return [x0, y0, x1 - x0, y1 - y0]


def _element(component: dict[str, Any], size) -> dict[str, Any] | None:
    """A control's label: its box, or for a checkbox or radio button the tick box or circle it
    draws (what the real gateway's labelled screenshots mark; a click there toggles it)."""
    box = _clip(component["box"], size)
    if box is None or box != list(component["box"]):
        return None  # a control not wholly on screen is no click target
    indicator = component.get("indicator")
    if indicator is not None:
        if not _inside(indicator, box):
            return None  # its indicator is scrolled or clipped out of view
        box = list(indicator)
    out: dict[str, Any] = {"box": box}
    text = component.get("text")
    if text and component.get("kind") != "password":
        out["text"] = text
    for flag in ("selected", "enabled"):
        if isinstance(component.get(flag), bool):
            out[flag] = component[flag]
    return out


def _inside(a, b) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def _overlaps(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def label_from_tree(tree: dict[str, Any], size: tuple[int, int]) -> dict[str, Any]:
    """The contract label for a frame of `size` (width, height) showing `tree`.

    The topmost window is the screen; its controls with a role become elements (only
    those wholly inside the image); the other windows on screen are `also`, topmost first.
    """
    windows = sorted((w for w in tree["windows"] if _clip(w["box"], size)), key=lambda w: w.get("z", 0))
    if not windows:
        return {"screen": "unknown", "score": 1.0, "window": None, "elements": {}, "state": {}, "also": []}
    top = windows[0]
    elements = {}
    for component in top.get("components", []):
        role = component.get("role")
        if not role or role in elements:
            continue
        element = _element(component, size)
        if element is not None:
            elements[role] = element
    also = []
    for window in windows[1:]:
        if window["screen"] not in also and window["screen"] != top["screen"]:
            also.append(window["screen"])
    return {
        "screen": top["screen"],
        "score": 1.0,
        "window": _clip(top["box"], size),
        "elements": dict(sorted(elements.items())),
        "state": dict(top.get("state", {})),
        "also": also,
    }


def covered_by(box, others) -> bool:
    """True when `box` overlaps any of the `others` boxes (e.g. a foreign window over a control)."""
    return any(_overlaps(box, o) for o in others)
