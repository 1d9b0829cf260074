"""Recognize the gateway window on a screenshot: ``recognize(image) -> Recognition``.

How, and why this way:

1. The frame is reduced to RGB565 codes (so 24-bit and 16-bit screens look the same) and cut
   into 8x8 tiles; each tile's hash is looked up in the model's index of stable window blocks.
   A hit says "class C's block at (rx, ry) is here", i.e. a window of class C with its
   origin at (tile - (rx, ry)). Votes give a short list of (class, origin) hypotheses: a few
   milliseconds for a whole 1024x768 frame, wherever the window is, on any screen size.
2. Each hypothesis is verified by comparing the class's anchors (16x16 patches, learned to be
   stable for the class and different from the other classes) at their exact offsets:
   microseconds each. Its score is the fraction of visible anchors that match, capped by
   the fraction of the anchors that tell it from its sibling states.
3. The best verified window is the one that needs action; the other verified windows, their
   anchors hidden by the windows above excluded, are reported in ``also``.
4. Nothing at or above `ACCEPT` hands the frame to the tolerant path, which reads its words
   (`ibga.recognition.tolerant`); when that finds nothing either: ``unknown`` with the best
   candidates, never a guess.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ibga.recognition import ocr
from ibga.recognition.contract import Element, Recognition
from ibga.recognition.pixels import BLOCK, TOL_G, TOL_RB, as_rgb, codes, grid_hashes
from ibga.recognition.tolerant import recognize_by_words

MODEL_DIR = Path(__file__).resolve().parent / "model"
ACCEPT = 0.9
"""Least score for a window to be recognized."""
ANCHOR_MATCH = 0.95
"""Least fraction of an anchor's pixels that must match for the anchor to count."""
MAX_HYPOTHESES = 60
"""Most (class, origin) hypotheses verified per frame, by votes."""
PER_CLASS = 4
"""Most hypotheses verified per class (repetitive content must not crowd out the others)."""
MIN_VISIBLE = 0.3
"""Least fraction of a class's anchors that must be on screen (and not covered) to judge it."""


class Model:
    """The loaded model: class descriptions plus arrays ready for fast verification."""

    def __init__(self, description: dict[str, Any], arrays: dict[str, np.ndarray]):
        self.description = description
        self.classes: list[dict[str, Any]] = description["classes"]
        self.anchor = int(description["anchor"])
        self.index_hash = arrays["index_hash"]
        self.index_cls = arrays["index_cls"].astype(np.int64)
        self.index_rx = arrays["index_rx"].astype(np.int64)
        self.index_ry = arrays["index_ry"].astype(np.int64)
        self.patches = {k: v for k, v in arrays.items() if k.startswith("p")}
        """Grey looks of small unlabelled controls, by the name their element gives."""
        a = self.anchor
        dy, dx = np.mgrid[0:a, 0:a]
        self.templates, self.offsets, self.keys, self.edges = [], [], [], []
        for i, c in enumerate(self.classes):
            t = arrays[f"a{i}"].reshape(len(c["anchors"]), a * a).astype(np.int32)
            pos = np.array(c["anchors"], np.int64).reshape(-1, 2)
            self.templates.append((t >> 11, (t >> 5) & 63, t & 31))
            self.offsets.append((pos[:, 1, None] + dy.ravel()[None], pos[:, 0, None] + dx.ravel()[None]))
            self.keys.append(np.array(c["key_anchors"], bool))
            self.edges.append((arrays[f"e{i}_ref"], arrays[f"e{i}_mask"]) if f"e{i}_ref" in arrays else None)


@lru_cache(maxsize=4)
def load_model(directory: str | None = None) -> Model:
    """Load (once per directory) the model written by ``python -m ibga.recognition.build``."""
    d = Path(directory) if directory else MODEL_DIR
    description = json.loads((d / "model.json").read_text())
    with np.load(d / "templates.npz") as z:
        arrays = {k: z[k] for k in z.files}
    return Model(description, arrays)


def _hypotheses(model: Model, v: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(votes, class, ox, oy) from the tile-hash index, most votes first."""
    g = grid_hashes(v)
    flat = g.ravel()
    lo = np.searchsorted(model.index_hash, flat, "left")
    hi = np.searchsorted(model.index_hash, flat, "right")
    n = hi - lo
    tiles = np.flatnonzero(n)
    if not len(tiles):
        return []
    reps = n[tiles]
    tile = np.repeat(tiles, reps)
    start = np.repeat(lo[tiles], reps)
    within = np.arange(len(tile)) - np.repeat(np.cumsum(reps) - reps, reps)
    entry = start + within
    gw = g.shape[1]
    ox = (tile % gw) * BLOCK - model.index_rx[entry]
    oy = (tile // gw) * BLOCK - model.index_ry[entry]
    cls = model.index_cls[entry]
    key = (cls * 1_000_003 + (ox + 50_000)) * 1_000_003 + (oy + 50_000)
    uniq, counts = np.unique(key, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    out = []
    per_class: dict[int, int] = {}
    for i in order:
        k = int(uniq[i])
        oy_ = k % 1_000_003 - 50_000
        k //= 1_000_003
        ci = k // 1_000_003
        if per_class.get(ci, 0) >= PER_CLASS:
            continue
        per_class[ci] = per_class.get(ci, 0) + 1
        out.append((int(counts[i]), ci, k % 1_000_003 - 50_000, oy_))
        if len(out) >= MAX_HYPOTHESES:
            break
    return out


def _anchor_hits(model: Model, ci: int, v: np.ndarray, ox: int, oy: int) -> tuple[np.ndarray, np.ndarray]:
    """(visible, matched) per anchor of class `ci` with its window origin at (ox, oy)."""
    ys, xs = model.offsets[ci]
    if not len(ys):
        return np.zeros(0, bool), np.zeros(0, bool)
    ys = ys + oy
    xs = xs + ox
    h, w = v.shape
    visible = (ys[:, 0] >= 0) & (xs[:, 0] >= 0) & (ys[:, -1] < h) & (xs[:, -1] < w)
    matched = np.zeros(len(ys), bool)
    if visible.any():
        got = v[ys[visible], xs[visible]].astype(np.int32)
        tr, tg, tb = (t[visible] for t in model.templates[ci])
        ok = ((np.abs((got >> 11) - tr) <= TOL_RB) & (np.abs(((got >> 5) & 63) - tg) <= TOL_G)
              & (np.abs((got & 31) - tb) <= TOL_RB))
        matched[visible] = ok.mean(axis=1) >= ANCHOR_MATCH
    return visible, matched


def _score(model: Model, ci: int, visible: np.ndarray, matched: np.ndarray) -> float:
    n = len(visible)
    if n == 0 or visible.sum() < max(3, MIN_VISIBLE * n):
        return 0.0
    score = matched[visible].mean()
    keys = model.keys[ci] & visible
    if keys.any():
        score = min(score, matched[keys].mean())
    return float(score)


def _window_size(model: Model, ci: int, v: np.ndarray, ox: int, oy: int) -> tuple[int, int]:
    """The window's size; measured from its right border when the class's width varies."""
    c = model.classes[ci]
    w, h = c["size"]
    if model.edges[ci] is None:
        return w, h
    ref, mask = model.edges[ci]
    e = ref.shape[1]
    widths = [s[0] for s in c["sizes"]]
    best, best_w = -1.0, w
    lo, hi = max(e, int(min(widths) * 0.6)), int(max(widths) * 1.8)
    for cand in range(lo, hi):
        x0 = ox + cand - e
        if x0 < 0 or x0 + e > v.shape[1] or oy < 0 or oy + ref.shape[0] > v.shape[0]:
            continue
        score = (v[oy:oy + ref.shape[0], x0:x0 + e][mask] == ref[mask]).mean() if mask.any() else 0.0
        if score > best:
            best, best_w = score, cand
    return best_w, h


def _elements(c: dict[str, Any], ox: int, oy: int, w: int, h: int, shape) -> dict[str, Element]:
    out = {}
    for name, e in c["elements"].items():
        x, y, bw, bh = e["box"]
        if "fit" in e:
            x, y = x + e["fit"][0] * w, y + e["fit"][1] * h
        box = (int(round(ox + x)), int(round(oy + y)), int(bw), int(bh))
        if box[0] < 0 or box[1] < 0 or box[0] + box[2] > shape[1] or box[1] + box[3] > shape[0]:
            continue  # off screen: no point in offering a click there
        out[name] = Element(box, e.get("text"), e.get("selected"), e.get("enabled"))
    return out


def _clip(box, shape):
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(shape[1], x + w), min(shape[0], y + h)
    return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def _covered(model: Model, ci: int, ox: int, oy: int, boxes) -> np.ndarray:
    """Which anchors of class `ci` at (ox, oy) overlap any of `boxes` (windows above it)."""
    pos = np.array(model.classes[ci]["anchors"], np.int64).reshape(-1, 2) + (ox, oy)
    a = model.anchor
    hidden = np.zeros(len(pos), bool)
    for bx, by, bw, bh in boxes:
        hidden |= (pos[:, 0] < bx + bw) & (pos[:, 0] + a > bx) & (pos[:, 1] < by + bh) & (pos[:, 1] + a > by)
    return hidden


def recognize(image, model: Model | None = None, *, tolerant: bool = True) -> Recognition:
    """Recognize the topmost IB Gateway window in `image`.

    Parameters
    ----------
    image : numpy.ndarray (HxWx3 uint8), PIL.Image or path
        A screenshot of any size; the window may be anywhere, even partly off screen.
    model : Model, optional
        Defaults to the model shipped in the package (loaded once).
    tolerant : bool
        When the exact pixel path finds nothing, read the words (OCR, a few hundred ms) and
        recognize by them (`ibga.recognition.tolerant`): other scales, other gateway builds,
        other fonts. False keeps to the fast path (a poll loop may ask again later).

    Returns
    -------
    Recognition
        ``screen`` is the window needing action, or ``"unknown"`` when nothing scores at least
        `ACCEPT` (then ``candidates`` lists the best screen ids and scores, for diagnostics).
        Element boxes are in image pixels; a click at a box's centre lands in the control.

    Raises
    ------
    ValueError
        If `image` is not an image.
    """
    model = model or load_model()
    frame = as_rgb(image)
    v = codes(frame)
    scored = []  # (score, -area, ci, ox, oy)
    for _, ci, ox, oy in _hypotheses(model, v):
        visible, matched = _anchor_hits(model, ci, v, ox, oy)
        score = _score(model, ci, visible, matched)
        w, h = model.classes[ci]["size"]
        scored.append((score, -w * h, ci, ox, oy, visible, matched))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    best_per_screen: dict[str, float] = {}
    for s in scored:
        screen = model.classes[s[2]]["screen"]
        best_per_screen[screen] = max(best_per_screen.get(screen, 0.0), s[0])
    candidates = sorted(best_per_screen.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    accepted = [s for s in scored if s[0] >= ACCEPT]
    if not accepted:
        if tolerant and ocr.available() and any(c.get("words") for c in model.classes):
            return recognize_by_words(frame, model)
        return Recognition("unknown", candidates[0][1] if candidates else 0.0, candidates=candidates)
    # the top window: best score; among equals the smallest (dialogs sit on their frames)
    accepted.sort(key=lambda s: (-s[0], -s[1], s[2]))
    score, _, ci, ox, oy, _, _ = accepted[0]
    c = model.classes[ci]
    w, h = _window_size(model, ci, v, ox, oy)
    above = [(ox, oy, w, h)]
    also = []
    screens_seen = {c["screen"]}
    # windows behind: judged on the anchors the windows above leave visible
    for _, _, cj, bx, by, visible, matched in scored[1:]:
        other = model.classes[cj]
        if other["screen"] in screens_seen:
            continue
        vis = visible & ~_covered(model, cj, bx, by, above)
        if _score(model, cj, vis, matched) >= ACCEPT:
            also.append(other["screen"])
            screens_seen.add(other["screen"])
            above.append((bx, by, *other["size"]))
    return Recognition(
        screen=c["screen"], score=score, window=_clip((ox, oy, w, h), v.shape),
        elements=_elements(c, ox, oy, w, h, v.shape), state=dict(c["state"]), also=also,
        candidates=candidates,
    )
