"""Recognition by the words on screen, for frames the exact pixel path does not know.

The pixel path needs the model's exact pixels: it is blind to a new gateway build (moved
controls, renamed buttons, other colours), to screenshots at another scale (HiDPI, VNC
viewers, documentation images) and to another machine's fonts. Words survive all of those.

1. Tesseract reads the frame (`ibga.recognition.ocr`), at 1x and, when the words found are
   small, enlarged.
2. Each class of the model carries the words the build read on its windows, with their places
   in window coordinates. Every read word that matches a class word proposes a similarity
   transform (scale from the two widths, then the offset); the transform most words agree
   with, weighted by how rare each word is among screens, wins for that class. Its score is
   the weight found over the weight that should be visible.
3. Among sibling classes of one screen (states that share most words), the pixels decide:
   the class anchors are compared, resampled, at the transform's place.
4. Elements are placed by the transform, then moved with what is next to them: a control with
   a label to the words of its label, any other with its nearest matched words (a new build
   that moves a group of controls moves their words too).

Slower than the pixel path (a few hundred milliseconds), so `recognize` calls it only when
the pixel path says ``unknown``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from ibga.recognition.contract import Element, Recognition
from ibga.recognition.ocr import Word, normalize, read_words
from ibga.recognition.pixels import normalized_correlation

ACCEPT = 0.45
"""Least word score (the rarity-weighted share of a class's visible words found in place) for a
window to be recognized."""
MIN_WORDS = 3
"""... and least number of distinct class words found in place (another program's dialog
shares one or two words with the gateway's: 'Warning', 'OK', 'Cancel')."""
TITLE_BAND = 22
"""Words whose centre is this close to the window's top are its title."""
ACCEPT_TITLED = 0.3
"""Least word score when the whole title (two words or more) is found (a new build rewords a
dialog's message but keeps its title)."""
WORD_SHARE = 0.6
"""Weight of the words in the reported score; the rest is the pixels' agreement at the words'
transform."""
ACCEPT_OWN_TITLE = 0.25
"""Least word score when the whole title is found and no other screen has that title (a dialog
showing a message the model has not seen keeps its title: 'Login failed')."""
CONSIDER = 0.25
"""Least word score for a class to be judged by its pixels too."""
DOUBT = 0.3
"""Word score of a smaller window, over the one found, that makes the frame unknown."""
CLEARLY_MORE = 0.08
"""Relative margin by which a state's word evidence must lead for it to decide."""
RIVALS = 0.6
"""Overlap (intersection over union) above which two windows found cannot both be there."""
PIXEL_TOLERANCE = 40
"""Grey-level difference within which a resampled anchor pixel agrees."""
LABEL_REACH = 160
"""How far (model px) an element's label may have moved in a new build."""
PATCH_REACH = 60
"""How far (model px) a small unlabelled control (icon, check box) is searched around its place."""
PATCH_MATCH = 0.45
"""Least normalized correlation for a control's look to be found."""
INDICATOR_GAP, TEXT_ADVANCE = 12, 9
"""A tick box's or radio circle's text: how far (model px) right of it it starts, and at most how
wide a character of it is."""
PLACE_TOLERANCE = 45
"""How far (model px, scaled) a word may sit from where the transform puts it: a new build moves
controls by tens of pixels."""
TIGHT_TOLERANCE = 10
"""Tolerance (model px, scaled) when choosing the transform: the largest group of words that kept
their places decides it, not the loose tolerance that would favour larger scales."""
SNAP = 0.08
"""Scales measured from word places this close to 1 are taken as 1 (see `_snap`)."""
NEAR_ONE = 0.25
"""A word whose width gives a scale this close to 1 also proposes 1 (a new build's fonts are
a pixel larger or smaller: widths differ by up to 20 %)."""
SMALL_TEXT = 10
"""Median word height (px) under which a frame nothing was found on is read again enlarged."""
ENLARGE = (2.0, 2.5)
"""The enlargements tried, in turn (Tesseract reads 6 px text best at one or the other)."""
ENLARGED_MAX = 2_000_000
"""Most pixels an enlarged frame may have (reading costs ~0.1 s per 1 M pixels per pass)."""


@dataclass
class _Fit:
    ci: int
    words: float
    found: int
    scale: float
    offset: tuple[float, float]
    pairs: list[tuple[int, Word]]
    """(model word index, read word) for every class word found in place."""
    evidence: float = 0.0
    """The rarity-weighted sum of the class words found in place."""
    pixels: float = 0.0
    keys: float = 0.0

    @property
    def score(self) -> float:
        return WORD_SHARE * self.words + (1 - WORD_SHARE) * self.pixels


def _similar(a: str, b: str) -> bool:
    """Equal, or one edit apart for words of five letters or more (OCR slips: 'Trading'/'Tradlng')."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


def _weights(classes: list[dict[str, Any]]) -> dict[str, float]:
    """Rarity of each word among screen kinds (words on every screen weigh nothing)."""
    screens_with: dict[str, set[str]] = {}
    for c in classes:
        for w in c.get("words", []):
            screens_with.setdefault(w[0], set()).add(c["screen"])
    n = len({c["screen"] for c in classes})
    return {word: math.log((n + 1) / len(s)) for word, s in screens_with.items()}


def _split(word: Word, parts: list[str]) -> list[Word]:
    """`word` cut into `parts`, each with the share of the box its letters take."""
    x, y, w, h = word.box
    total = sum(len(p) for p in parts) or 1
    out, at = [], 0
    for p in parts:
        share = len(p) / total
        out.append(Word(p, (round(x + w * at / total), y, max(1, round(w * share)), h), word.confidence))
        at += len(p)
    return out


def _same_line(a, b, ah: float, bh: float) -> bool:
    return abs(a - b) <= 0.5 * max(ah, bh)


def _variants(words: list[Word]) -> list[Word]:
    """The words read, plus their hyphenated parts and adjacent pairs joined.

    A new build writes 'Live-Trading' for 'Live Trading' and 'Login' for 'Log In'.
    """
    out = list(words)
    for w in words:
        parts = [p for p in re.split(r"[-_/]", w.text) if normalize(p)]
        if len(parts) > 1:
            out.extend(_split(w, parts))
    ordered = sorted(words, key=lambda w: (w.box[1], w.box[0]))
    for a in ordered:
        for b in ordered:
            gap = b.box[0] - (a.box[0] + a.box[2])
            if b is not a and 0 <= gap <= 1.2 * max(a.box[3], b.box[3]) \
                    and _same_line(a.centre[1], b.centre[1], a.box[3], b.box[3]):
                x0, y0 = a.box[0], min(a.box[1], b.box[1])
                x1, y1 = b.box[0] + b.box[2], max(a.box[1] + a.box[3], b.box[1] + b.box[3])
                out.append(Word(a.text + b.text, (x0, y0, x1 - x0, y1 - y0), min(a.confidence, b.confidence)))
    return out


def _model_pairs(model_words: list) -> list[tuple[int, int, str]]:
    """Adjacent class words on one line, as (left, right, joined norm)."""
    out = []
    for i, a in enumerate(model_words):
        for j, b in enumerate(model_words):
            gap = (b[1] - b[3] / 2) - (a[1] + a[3] / 2)
            if i != j and 0 <= gap <= 1.2 * max(a[4], b[4]) and _same_line(a[2], b[2], a[4], b[4]):
                out.append((i, j, a[0] + b[0]))
    return out


def _matches(model_words: list, read: list[Word]) -> list[tuple[int, Word]]:
    """Every (class word, read word) pair that may be the same word."""
    out = [(i, w) for i, m in enumerate(model_words) for w in read if _similar(m[0], w.norm)]
    for i, j, joined in _model_pairs(model_words):
        for w in read:
            if len(joined) >= 5 and _similar(joined, w.norm):
                left, right = _split(w, [model_words[i][0], model_words[j][0]])
                out += [(i, left), (j, right)]
    return out


def _fit_class(ci: int, c: dict[str, Any], read: list[Word], weight: dict[str, float], shape) -> _Fit | None:
    model_words = c.get("words", [])
    if not model_words:
        return None
    matches = _matches(model_words, read)
    if not matches:
        return None
    best = None
    for i, w in matches:
        m = model_words[i]
        if len(m[0]) < 3:
            continue
        raw = w.box[2] / m[3]
        for s in {raw, 1.0} if abs(raw - 1.0) <= NEAR_ONE else {raw}:
            if not 0.35 <= s <= 3.0:
                continue
            ox, oy = w.centre[0] - s * m[1], w.centre[1] - s * m[2]
            pairs = _in_place(model_words, matches, s, ox, oy, TIGHT_TOLERANCE)
            total = sum(weight.get(model_words[j][0], 0.0) for j, _ in pairs)
            total *= 1.05 if s == 1.0 else 1.0
            if best is None or total > best[0]:
                best = (total, s, ox, oy, pairs)
    if best is None:
        return None
    _, s, ox, oy, pairs = best
    if s != 1.0:  # 1x is taken as it is: a new build's moved controls would pull the fit off it
        s, ox, oy = _refine(model_words, pairs, s, ox, oy)
    pairs = _in_place(model_words, matches, s, ox, oy)
    if pairs:  # the offset most words agree with (a few may have moved in a new build)
        ox = float(np.median([w.centre[0] - s * model_words[j][1] for j, w in pairs]))
        oy = float(np.median([w.centre[1] - s * model_words[j][2] for j, w in pairs]))
        pairs = _in_place(model_words, matches, s, ox, oy)
    h, w = shape[:2]
    visible = [j for j, m in enumerate(model_words)
               if 0 <= s * m[1] + ox < w and 0 <= s * m[2] + oy < h]
    expected = sum(weight.get(model_words[j][0], 0.0) for j in visible)
    found = sum(weight.get(model_words[j][0], 0.0) for j, _ in pairs)
    score = found / expected if expected > 0 else 0.0
    return _Fit(ci, min(1.0, score), len({model_words[j][0] for j, _ in pairs}), s, (ox, oy), pairs,
                evidence=found)


def _snap(scale: float) -> float:
    """1 when near 1: true 1x is by far the commonest, and places measured over a window whose
    controls moved in a new build are off by a few per cent."""
    return 1.0 if abs(scale - 1.0) <= SNAP else scale


def _in_place(model_words, matches, s, ox, oy, tolerance: float = 0.0) -> list[tuple[int, Word]]:
    """The matches the transform puts within tolerance: one read word per model word, nearest first."""
    tol = (tolerance or PLACE_TOLERANCE) * s
    best: dict[int, tuple[float, Word]] = {}
    for i, w in matches:
        m = model_words[i]
        d = math.hypot(w.centre[0] - (s * m[1] + ox), w.centre[1] - (s * m[2] + oy))
        if d <= tol and (i not in best or d < best[i][0]):
            best[i] = (d, w)
    out, used = [], set()
    for i, (_, w) in sorted(best.items(), key=lambda kv: kv[1][0]):
        if w.box not in used:
            used.add(w.box)
            out.append((i, w))
    return out


def _refine(model_words, pairs, s, ox, oy) -> tuple[float, float, float]:
    """Least-squares scale and offset over the words in place (when they are spread enough)."""
    if len(pairs) < 3:
        return s, ox, oy
    m = np.array([[model_words[i][1], model_words[i][2]] for i, _ in pairs], float)
    f = np.array([w.centre for _, w in pairs], float)
    mc, fc = m - m.mean(0), f - f.mean(0)
    spread = (mc ** 2).sum()
    if spread < 100 * 100:
        return s, ox, oy
    s2 = _snap(float((mc * fc).sum() / spread))
    if not 0.8 * s <= s2 <= 1.25 * s:
        return s, ox, oy
    off = f.mean(0) - s2 * m.mean(0)
    return s2, float(off[0]), float(off[1])


def _pixel_agreement(model, ci: int, gray: np.ndarray, s: float, ox: float, oy: float) -> tuple[float, float]:
    """How well the class's anchors agree, resampled, with the frame at the transform (0..1).

    Returns the agreement over all anchors on screen and over the anchors that tell the class
    from its siblings (the same when it has none).
    """
    c = model.classes[ci]
    pos = np.array(c["anchors"], float).reshape(-1, 2)
    if not len(pos):
        return 0.0, 0.0
    tr, tg, tb = model.templates[ci]
    a = model.anchor
    dy, dx = np.mgrid[0:a, 0:a]
    xs = np.round((pos[:, 0, None] + dx.ravel()[None] + 0.5) * s + ox - 0.5).astype(int)
    ys = np.round((pos[:, 1, None] + dy.ravel()[None] + 0.5) * s + oy - 0.5).astype(int)
    rows = ((xs >= 0) & (ys >= 0) & (xs < gray.shape[1]) & (ys < gray.shape[0])).all(1)
    if not rows.any():
        return 0.0, 0.0
    want = (0.299 * tr * (255 / 31) + 0.587 * tg * (255 / 63) + 0.114 * tb * (255 / 31))[rows]
    close = (np.abs(gray[ys[rows], xs[rows]] - want) <= PIXEL_TOLERANCE).mean(1)
    keys = np.array(c["key_anchors"], bool)[rows]
    return float(close.mean()), float(close[keys].mean() if keys.any() else close.mean())


def _element_label_place(c, e, read: list[Word], s, ox, oy, guess) -> tuple[float, float] | None:
    """Shift that puts the element's label words where they are read, nearest to `guess`."""
    x0, y0, x1, y1 = label_span(e)
    mine = [m for m in c["words"] if m[0] in e["label_words"] and x0 <= m[1] <= x1 and y0 <= m[2] <= y1]
    if not mine:
        return None
    count = Counter(m[0] for m in c["words"])
    targets = [(m[0], m[1], m[2]) for m in mine if count[m[0]] == 1]  # 'trading' is everywhere
    for m in mine if len(mine) == 1 else []:  # a label the class shows several times ('Later'): by rank
        if count[m[0]] > 1:
            row = 12 * s  # reading order: rows first, then left to right
            ranked = sorted((r for r in c["words"] if r[0] == m[0]),
                            key=lambda r: (round(r[2] * s / row), r[1]))
            seen = sorted((w for w in read if w.norm == m[0]),
                          key=lambda w: (round(w.centre[1] / row), w.centre[0]))
            if len(seen) == len(ranked):
                w = seen[ranked.index(m)]
                return w.centre[0] - (s * m[1] + ox), w.centre[1] - (s * m[2] + oy)
    joined = len(targets)
    if len(mine) > 1:  # 'Log In' may be read as one word in a new build
        targets.append(("".join(m[0] for m in sorted(mine, key=lambda m: m[1])),
                        float(np.mean([m[1] for m in mine])), float(np.mean([m[2] for m in mine]))))
    reach = LABEL_REACH * s
    found = []  # (support, -distance, shift)
    for n, m in enumerate(targets):
        want = (s * m[1] + ox + guess[0], s * m[2] + oy + guess[1])
        for w in read:
            if len(m[0]) >= 2 and _similar(m[0], w.norm):
                d = math.hypot(w.centre[0] - want[0], w.centre[1] - want[1])
                if d <= reach:
                    shift = (w.centre[0] - (s * m[1] + ox), w.centre[1] - (s * m[2] + oy))
                    support = len(mine) if n == joined else _support(mine, read, s, ox, oy, shift)
                    found.append((support, -d, shift))
    found = [f for f in found if f[0] >= min(2, len(mine))]  # one word of 'Show log' may be another's
    return max(found)[2] if found else None


def _indicator_place(c, e, read: list[Word], s, ox, oy, guess) -> tuple[float, float] | None:
    """Shift of a tick box or radio circle from its text read on screen: the words of the text in
    order on one line, the first one's left edge where the model has it (Swing draws the text a
    fixed gap right of the indicator, however the words around it moved or the text changed)."""
    x0, y0, x1, y1 = label_span(e)
    learned = [m for m in c["words"] if x0 <= m[1] <= x1 and y0 <= m[2] <= y1]
    tokens = [t for t in (normalize(t) for t in e["text"].split()) if t]
    while tokens and not any(_similar(m[0], tokens[0]) for m in learned):
        tokens = tokens[1:]  # its first word was not learned (read unreliably): from the next one
    if not tokens:
        return None
    m = min((m for m in learned if _similar(m[0], tokens[0])), key=lambda m: m[1] - m[3] / 2)
    bx, by, bw, bh = e["box"]
    gap, drop = m[1] - m[3] / 2 - bx, m[2] - (by + bh / 2)  # from the box's left and middle to the word
    best = None  # (words in order, -distance, shift)
    for w in read:
        if not _similar(tokens[0], w.norm):
            continue
        # the gap at the word's own scale: a new build may lay a window out larger without scaling its text
        local = min(1.3 * s, max(s / 1.3, w.box[2] / m[3])) if w.norm == m[0] and len(m[0]) >= 3 else s
        shift = (w.box[0] - local * gap - (s * bx + ox),
                 w.centre[1] - local * drop - s * bh / 2 - (s * by + oy))
        d = math.hypot(shift[0] - guess[0], shift[1] - guess[1])
        if d > LABEL_REACH * s:
            continue
        line = sorted((r for r in read if r.box[0] > w.box[0]
                       and abs(r.centre[1] - w.centre[1]) <= w.box[3] / 2), key=lambda r: r.box[0])
        agree, k = 1, 1
        for r in line[:len(tokens) + 2]:
            if k < len(tokens) and _similar(tokens[k], r.norm):
                agree, k = agree + 1, k + 1
        if agree >= min(2, len(tokens)) and (best is None or (agree, -d) > best[:2]):
            best = (agree, -d, shift)
    return best[2] if best else None


def label_span(e: dict[str, Any]) -> tuple[float, float, float, float]:
    """Where an element's label words are (x0, y0, x1, y1, model pixels): inside its box, or for a
    tick box or radio circle (labelled by itself, about square) in its text to its right."""
    x, y, bw, bh = e["box"]
    if is_indicator(e):
        bw += INDICATOR_GAP + TEXT_ADVANCE * len(e["text"])
    return x - 2, y - 2, x + bw + 2, y + bh + 2


def is_indicator(e: dict[str, Any]) -> bool:
    """A tick box or radio circle: about square, with the text of the button it belongs to."""
    return bool(e.get("text")) and e["box"][2] < 1.5 * e["box"][3]


def _support(label: list, read: list[Word], s, ox, oy, shift) -> int:
    """How many of a label's words are read where `shift` puts them (a label moves as a whole)."""
    tol = 8 * s
    return sum(any(_similar(m[0], w.norm) and math.hypot(w.centre[0] - (s * m[1] + ox + shift[0]),
                                                        w.centre[1] - (s * m[2] + oy + shift[1])) <= tol
                   for w in read) for m in label)


def _element_patch_place(patch: np.ndarray, gray: np.ndarray, box, s) -> tuple[int, int, int, int] | None:
    """Box of the best match of the element's look near `box`, at the transform's scale or at 1x
    (a new build may lay a window out larger without scaling its buttons)."""
    best = None
    for scale in sorted({s, s * 1.08, s * 0.93, 1.0}):  # a new build's fonts are a pixel larger or smaller
        ph, pw = max(3, round(patch.shape[0] * scale)), max(3, round(patch.shape[1] * scale))
        t = Image.fromarray(patch.astype(np.float32), "F").resize((pw, ph), Image.Resampling.BILINEAR)
        t = np.asarray(t)
        r = round(PATCH_REACH * s)
        x0, y0 = max(0, box[0] - r), max(0, box[1] - r)
        x1, y1 = min(gray.shape[1], box[0] + box[2] + r), min(gray.shape[0], box[1] + box[3] + r)
        region = gray[y0:y1, x0:x1]
        if region.shape[0] < ph or region.shape[1] < pw or t.std() < 1:
            continue
        ncc = normalized_correlation(region, t)
        iy, ix = np.unravel_index(int(np.argmax(ncc)), ncc.shape)
        if ncc[iy, ix] >= PATCH_MATCH and (best is None or ncc[iy, ix] > best[0]):
            best = (float(ncc[iy, ix]), (x0 + int(ix), y0 + int(iy), pw, ph))
    return best[1] if best else None


def _window_size(c: dict[str, Any], fit: _Fit, read: list[Word]) -> tuple[float, float]:
    """The window's size in model pixels: the class's, or for a window whose size follows its text
    (a message dialog) the size its size-following labelled controls are read at ('OK' stays centred).
    """
    w, h = c["size"]
    if not c.get("variable"):
        return w, h
    s, (ox, oy) = fit.scale, fit.offset
    widths, heights = [], []
    for e in c["elements"].values():
        text = normalize(e.get("text") or "")
        if "fit" not in e or not text or " " in (e.get("text") or "").strip():
            continue
        (x, y, bw, bh), (fx, fy) = e["box"], e["fit"]
        want = (s * (x + fx * w + bw / 2) + ox, s * (y + fy * h + bh / 2) + oy)
        near = [r for r in read if r.norm == text
                and math.hypot(r.centre[0] - want[0], r.centre[1] - want[1]) <= LABEL_REACH * s]
        if not near:
            continue
        r = min(near, key=lambda r: math.hypot(r.centre[0] - want[0], r.centre[1] - want[1]))
        if fx > 0:
            widths.append(((r.centre[0] - ox) / s - x - bw / 2) / fx)
        if fy > 0:
            heights.append(((r.centre[1] - oy) / s - y - bh / 2) / fy)
    return (float(np.median(widths)) if widths else w), (float(np.median(heights)) if heights else h)


def _window_box(c: dict[str, Any], fit: _Fit, size: tuple[float, float]) -> tuple[int, int, int, int]:
    """The window's box: its top from the title's words when they are found (a new build may move
    the content under an unmoved title bar)."""
    w, h = size
    s, (ox, oy) = fit.scale, fit.offset
    title = [w_.centre[1] - s * c["words"][i][2] for i, w_ in fit.pairs if c["words"][i][2] < TITLE_BAND]
    if title:
        oy = float(np.median(title))
    return round(ox), round(oy), round(w * s), round(h * s)


def _place_elements(model, fit: _Fit, read: list[Word], gray: np.ndarray, window,
                    size: tuple[float, float]) -> dict[str, Element]:
    """Element boxes: by their labels first; the others move with their nearest placed neighbours
    (words found in place, labelled controls) or are found by their look. `size`: the window's, in
    model pixels (see `_window_size`)."""
    c = model.classes[fit.ci]
    s, (ox, oy) = fit.scale, fit.offset
    # model (x, y) of a word or control -> its shift from where the transform puts it
    moved: list[tuple[float, float, float, float]] = [
        (c["words"][i][1], c["words"][i][2], w.centre[0] - (s * c["words"][i][1] + ox),
         w.centre[1] - (s * c["words"][i][2] + oy)) for i, w in fit.pairs]
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for name, e in c["elements"].items():
        x, y, bw, bh = e["box"]
        if "fit" in e:
            x, y = x + e["fit"][0] * size[0], y + e["fit"][1] * size[1]
        boxes[name] = (x, y, bw, bh)

    def near_shift(cx: float, cy: float, pool) -> tuple[float, float]:
        if not pool:
            return 0.0, 0.0
        near = sorted(pool, key=lambda p: math.hypot(p[0] - cx, p[1] - cy))[:2]
        return float(np.median([p[2] for p in near])), float(np.median([p[3] for p in near]))

    def centre(name: str) -> tuple[float, float]:
        """Where an element is, to find its neighbours: a tick box's is its text's (a page of them has
        the tick box of the next row as near as its own text)."""
        x0, y0, x1, y1 = label_span({**c["elements"][name], "box": boxes[name]})
        return (x0 + x1) / 2, (y0 + y1) / 2

    shifts: dict[str, tuple[float, float]] = {}
    for name, e in c["elements"].items():  # pass 1: controls with a label read on screen
        guess = near_shift(*centre(name), moved)
        placed = _indicator_place(c, e, read, s, ox, oy, guess) if is_indicator(e) else None
        if placed is None and e.get("label_words"):
            placed = _element_label_place(c, e, read, s, ox, oy, guess)
        if placed is not None:
            shifts[name] = placed
    pool = moved + [(*centre(n), *d) for n, d in shifts.items()]
    out = {}
    for name, e in c["elements"].items():  # pass 2: the others
        x, y, bw, bh = boxes[name]
        size = (max(1, round(s * bw)), max(1, round(s * bh)))
        d = shifts.get(name) or near_shift(*centre(name), pool)
        box = (round(s * x + ox + d[0]), round(s * y + oy + d[1]), *size)
        if name not in shifts and e.get("patch") in model.patches:
            dx, dy, lw, lh = e.get("look") or (0, 0, bw, bh)  # a tick box is sought with its text
            look = (box[0] + round(s * dx), box[1] + round(s * dy), round(s * lw), round(s * lh))
            at = _element_patch_place(model.patches[e["patch"]], gray, look, s)
            if at is not None:
                scale = at[2] / model.patches[e["patch"]].shape[1]
                box = (at[0] - round(scale * dx), at[1] - round(scale * dy),
                       max(1, round(scale * bw)), max(1, round(scale * bh)))
        box = _clip(box, window)  # a control a new build pushed past the window's edge: its visible part
        if box[2] < 2 or box[3] < 2 or box[0] < 0 or box[1] < 0 \
                or box[0] + box[2] > gray.shape[1] or box[1] + box[3] > gray.shape[0]:
            continue
        out[name] = Element(box, e.get("text"), e.get("selected"), e.get("enabled"))
    return out


def _clip(box, window) -> tuple[int, int, int, int]:
    x0, y0 = max(box[0], window[0]), max(box[1], window[1])
    x1 = min(box[0] + box[2], window[0] + window[2])
    y1 = min(box[1] + box[3], window[1] + window[3])
    return x0, y0, x1 - x0, y1 - y0


def _convincing(model, f: _Fit) -> bool:
    """Enough of the class's words in place: most of them, or its whole title.

    Pixels are no evidence here: dark flat dialogs of other programs agree with most anchors
    within a tolerance loose enough for a new build's palette.
    """
    c = model.classes[f.ci]
    if f.words >= ACCEPT and f.found >= MIN_WORDS:
        return True
    if _own_title(model, f) and f.words >= ACCEPT_OWN_TITLE:
        return True
    return _whole_title(c, f) and f.words >= ACCEPT_TITLED


def _title(c: dict[str, Any]) -> frozenset[str]:
    return frozenset(m[0] for m in c["words"] if m[2] < TITLE_BAND and len(m[0]) >= 3)


def _whole_title(c: dict[str, Any], f: _Fit) -> bool:
    """All of the class's title words (two or more) are found in place."""
    title = _title(c)
    got = {c["words"][i][0] for i, _ in f.pairs if c["words"][i][0] in title}
    return len(title) >= 2 and got == title


def _own_title(model, f: _Fit) -> bool:
    """The whole title is found and no other screen has it ('Login failed', not 'IBKR Gateway')."""
    c = model.classes[f.ci]
    return _whole_title(c, f) and not any(
        o["screen"] != c["screen"] and _title(o) == _title(c) for o in model.classes)


def _window_of(model, f: _Fit) -> tuple[float, float, float, float]:
    w, h = model.classes[f.ci]["size"]
    return (f.offset[0], f.offset[1], w * f.scale, h * f.scale)


def _words_in(model, f: _Fit, box, shape, others: list[Word]) -> tuple[int, int]:
    """(expected, found) of a fit's words whose places fall inside `box`; words read that are
    also the `others` window's do not count (two dialogs may share 'Exit', 'Gateway', 'OK')."""
    c = model.classes[f.ci]
    s, (ox, oy) = f.scale, f.offset

    def theirs(w: Word) -> bool:
        x, y = w.centre
        return any(o.box[0] <= x < o.box[0] + o.box[2] and o.box[1] <= y < o.box[1] + o.box[3]
                   for o in others)

    found = {i for i, w in f.pairs if not theirs(w)}
    inside = [i for i, m in enumerate(c["words"]) if len(m[0]) >= 3
              and box[0] <= s * m[1] + ox < box[0] + box[2] and box[1] <= s * m[2] + oy < box[1] + box[3]
              and 0 <= s * m[1] + ox < shape[1] and 0 <= s * m[2] + oy < shape[0]]
    return len(inside), sum(i in found for i in inside)


def _covers(model, f: _Fit, g: _Fit, shape) -> bool:
    """Whether `f` lies over `g`: where they overlap, f's words are read and g's are not."""
    a, b = _window_of(model, f), _window_of(model, g)
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 <= x0 or y1 <= y0:
        return False
    box = (x0, y0, x1 - x0, y1 - y0)
    fe, ff = _words_in(model, f, box, shape, [])
    ge, gf = _words_in(model, g, box, shape, [w for _, w in f.pairs])
    if fe == 0 or ff / fe < 0.5:
        return False  # f shows nothing there, or not enough of it
    return ge == 0 or gf / ge < 0.5 * ff / fe


def _rivals(words_a: set, words_b: set, overlap: float) -> bool:
    """Two windows found that cannot both be there: nearly the same place, or much the same place
    and the same words (a dialog over a frame overlaps it too, but with words of its own)."""
    return overlap >= RIVALS or (overlap >= RIVALS / 2 and len(words_a & words_b) * 2 >= len(words_a))


def _inside(a, b) -> bool:
    """Whether box `a` lies mostly within box `b`."""
    iw = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    ih = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0.0, iw) * max(0.0, ih) >= 0.8 * a[2] * a[3]


def _overlap(a, b) -> float:
    """Intersection over union of two boxes."""
    iw = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    ih = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    inter = max(0.0, iw) * max(0.0, ih)
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def read_frame(frame: np.ndarray, scale: float = 1.0) -> list[Word]:
    """The frame's words (read enlarged by `scale`; boxes in the frame's pixels)."""
    return read_words(frame, scale=scale)


def recognize_by_words(frame: np.ndarray, model, words: list[Word] | None = None) -> Recognition:
    """Recognize `frame` from its words (see the module docstring); ``unknown`` when unsure.

    The words are read at 1x; when that finds nothing and the text is small (a reduced
    screenshot: a VNC viewer, a documentation image), they are read again enlarged.

    Parameters
    ----------
    frame : (H, W, 3) uint8 array
    model : Model
        A loaded model whose classes carry ``words``.
    words : list of Word, optional
        Words already read on `frame` (else read here).
    """
    if words is not None:
        return _recognize_words(frame, model, words)
    words = read_frame(frame)
    r = _recognize_words(frame, model, words)
    heights = [w.box[3] for w in words if len(w.norm) >= 3]
    if r.screen == "unknown" and (len(heights) < 5 or float(np.median(heights)) < SMALL_TEXT):
        more: list[Word] = []
        for scale in ENLARGE:  # each enlargement reads some words the other misses: pool them
            if frame.shape[0] * frame.shape[1] * scale * scale > ENLARGED_MAX:
                break  # a full-size frame with small text is not a reduced gateway: keep within budget
            more = _pooled(more, read_frame(frame, scale))
            again = _recognize_words(frame, model, more)
            if again.screen != "unknown":
                return again
            r = again if again.score > r.score else r
    return r


def _pooled(words: list[Word], more: list[Word]) -> list[Word]:
    """`words` plus those of `more` not read at the same place already."""
    out = list(words)
    for w in more:
        if not any(o.norm == w.norm and math.hypot(o.centre[0] - w.centre[0], o.centre[1] - w.centre[1]) <= 5
                   for o in words):
            out.append(w)
    return out


def _recognize_words(frame: np.ndarray, model, words: list[Word]) -> Recognition:
    read = _variants([w for w in words if w.norm])
    weight = _weights(model.classes)
    gray = frame.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    fits = []
    for ci, c in enumerate(model.classes):
        f = _fit_class(ci, c, read, weight, frame.shape)
        if f is None:
            continue
        if f.words >= CONSIDER:
            f.pixels, f.keys = _pixel_agreement(model, ci, gray, f.scale, *f.offset)
        fits.append(f)
    best_per_screen: dict[str, float] = {}
    for f in fits:
        screen = model.classes[f.ci]["screen"]
        best_per_screen[screen] = max(best_per_screen.get(screen, 0.0), f.score)
    ranked = sorted(best_per_screen.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    candidates = [(k, round(v, 3)) for k, v in ranked]
    accepted = [f for f in fits if _convincing(model, f)]
    if not accepted:
        return Recognition("unknown", candidates[0][1] if candidates else 0.0, candidates=candidates)

    def area(f: _Fit) -> float:
        w, h = model.classes[f.ci]["size"]
        return w * h * f.scale * f.scale

    # per screen, its state: the one whose own words are found (the More Options login shows
    # 'Region'), else the one missing fewest words (FIX CTCI's 'FIX Login' is not on the IB API
    # login), else the one whose pixels agree (states that read alike)
    per_screen: dict[str, _Fit] = {}
    for screen in sorted({model.classes[f.ci]["screen"] for f in accepted}):
        mine = [f for f in accepted if model.classes[f.ci]["screen"] == screen]
        most = max(f.evidence for f in mine)
        mine = [f for f in mine if f.evidence >= (1 - CLEARLY_MORE) * most]
        best = max(f.words for f in mine)
        mine = [f for f in mine if f.words >= best - CLEARLY_MORE * best]
        per_screen[screen] = max(mine, key=lambda f: (f.keys, f.words, -f.ci))
    # windows in the same place, or explained by the same words, are rivals: the better fit wins
    windows: list[_Fit] = []
    for f in sorted(per_screen.values(), key=lambda f: (-f.score, f.ci)):
        mine = {w.box for _, w in f.pairs}
        if not any(_rivals(mine, {w.box for _, w in g.pairs},
                           _overlap(_window_of(model, f), _window_of(model, g))) for g in windows):
            windows.append(f)
    # where two windows overlap, the one on top shows its words there and hides the other's
    hidden = {id(g) for f in windows for g in windows if f is not g and _covers(model, f, g, frame.shape)}
    shown = [f for f in windows if id(f) not in hidden] or windows
    # the top window: of those not covered, the best; but a window inside it is a dialog on it
    fit = max(shown, key=lambda f: (f.score, -f.ci))
    while inner := [g for g in shown if g is not fit and area(g) < area(fit)
                    and _inside(_window_of(model, g), _window_of(model, fit))]:
        fit = max(inner, key=lambda f: (f.score, -f.ci))
    order = [fit] + sorted((f for f in windows if f is not fit), key=lambda f: (-f.score, f.ci))
    # a smaller window half made out over it may be a dialog on top: never act on the one behind
    top_box = _window_of(model, fit)
    top_words = {id(w) for _, w in fit.pairs}
    for f in fits:
        # (a dialog with a message the model has not seen keeps its title: 'Login failed'; but the
        # top window's own title, 'IBKR Gateway', is no other window's)
        titled = _own_title(model, f) and not top_words & {id(w) for _, w in f.pairs}
        doubtful = f not in accepted and f.found >= 2 and (f.words >= DOUBT or titled)
        if doubtful and area(f) < area(fit) and model.classes[f.ci]["screen"] not in per_screen \
                and _inside(_window_of(model, f), top_box):
            return Recognition("unknown", candidates[0][1], candidates=candidates)
    c = model.classes[fit.ci]
    size = _window_size(c, fit, read)
    window = _window_box(c, fit, size)
    x0, y0 = max(0, window[0]), max(0, window[1])
    x1, y1 = min(frame.shape[1], window[0] + window[2]), min(frame.shape[0], window[1] + window[3])
    return Recognition(
        screen=c["screen"], score=round(fit.score, 3), window=(x0, y0, max(0, x1 - x0), max(0, y1 - y0)),
        elements=_place_elements(model, fit, read, gray, window, size), state=dict(c["state"]),
        also=[model.classes[f.ci]["screen"] for f in order[1:]], candidates=candidates,
    )


def learn_words(samples, elements, min_share: float = 0.5) -> tuple[list, dict[str, list[str]]]:
    """The words a class shows in most of its samples, in window coordinates (for the build).

    Parameters
    ----------
    samples : list of (frame, (ox, oy, w, h))
        Samples of one class and where their window is (the true origin, even off screen).
    elements : dict
        The class's element descriptions (``box``, ``text``).
    min_share : float
        Least share of samples a word must be read in (at the same place, within 6 px).

    Returns
    -------
    words : list of [norm, cx, cy, w, h]
    label_words : dict
        For each element with a text, the learned words inside its box.
    """
    seen: list[list] = []  # [norm, cx, cy, w, h, count]
    for frame, (ox, oy, w, h) in samples:
        got = read_words(frame, box=(ox, oy, w, h))
        for word in got:
            n = word.norm
            if len(n) < 2 or not any(ch.isalpha() for ch in n):
                continue
            cx, cy = word.centre[0] - ox, word.centre[1] - oy
            for row in seen:
                if row[0] == n and abs(row[1] - cx) <= 6 and abs(row[2] - cy) <= 6:
                    row[5] += 1
                    break
            else:
                seen.append([n, cx, cy, word.box[2], word.box[3], 1])
    need = max(1, math.ceil(min_share * len(samples)))
    words = sorted([[r[0], round(r[1], 1), round(r[2], 1), r[3], r[4]] for r in seen if r[5] >= need],
                   key=lambda r: (r[2], r[1], r[0]))
    label_words = {}
    for name, e in elements.items():
        text = e.get("text")
        if not text:
            continue
        if "fit" in e:
            continue  # moves with the window's size: placed by its neighbours instead
        x0, y0, x1, y1 = label_span(e)
        tokens = {normalize(t) for t in text.split()} | {normalize(text)}
        inside = [r[0] for r in words if x0 <= r[1] <= x1 and y0 <= r[2] <= y1
                  and (r[0] in tokens or any(_similar(r[0], t) for t in tokens))]
        if inside:
            label_words[name] = sorted(set(inside))
    return words, label_words
