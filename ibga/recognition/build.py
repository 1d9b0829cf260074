"""Build the recognition model from the labelled corpus: ``python -m ibga.recognition.build``.

The model is a list of *classes*, one per screen kind and categorical state (login in IB API /
Paper Trading, settings on the API/Settings panel, ...). For each class the build learns,
from every labelled screenshot of it:

- where the window's true top-left is (labels clip windows to the screen; the true origin is
  recovered from element boxes of an unclipped sample), the window size, and whether that
  size varies with free text (then element boxes are fitted as ``a + b * size``);
- which pixels are *stable*: identical in every sample once aligned on the window origin, in
  RGB565 codes so that 24-bit and 16-bit screenshots agree;
- anchors: 16x16 stable, textured patches. First a greedy set cover picks patches that differ
  from every other class at the same place (so a class can be told from its siblings,
  e.g. the FIX CTCI login from the IB API one), then spread-out patches fill up to `N_ANCHORS`
  so that partly covered or partly off-screen windows are still verified;
- a hash index of 8x8 stable blocks (a few per alignment phase): at run time the frame's
  8x8 tiles are hashed and looked up, each hit votes for a (class, window origin);
- elements' boxes relative to the origin, their constant text and selected/enabled flags;
- the words Tesseract reads on the window (in most samples, at the same place) and which of
  them label each element: the evidence of the tolerant path (`ibga.recognition.tolerant`)
  for frames whose pixels the model does not know.

Deterministic: same corpus in, same bytes out (no randomness beyond a fixed seed).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ibga.corpus.images import load_rgb
from ibga.recognition.pixels import BLOCK, block_hash, codes, grid_hashes, match_mask
from ibga.recognition.tolerant import is_indicator, label_span, learn_words

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "screens"
MODEL_DIR = Path(__file__).resolve().parent / "model"

ANCHOR = 16
"""Side of a verification anchor."""
N_ANCHORS = 32
"""Most anchors per class."""
COVER_NEED = 2
"""Anchors wanted that differ from each other class (where such patches exist)."""
DIFFER = 0.12
"""Fraction of an anchor's pixels that must differ from another class for it to tell them apart."""
PER_PHASE = 12
"""Hash-index blocks per class and alignment phase (BLOCK*BLOCK phases)."""
MAX_DUP = 40
"""Hashes shared by more index entries than this are dropped (flat, common content)."""
PATCH_MAX = (400, 48)
"""Largest width and height of a control whose look is kept (bigger ones are found by their words)."""
PATCH_TEXT_MAX = 100
"""Largest width of a control with a text whose look is kept (a button, not a field or a combo)."""
INDICATOR_LOOK = 110
"""How wide (px, from its left) the look of a tick box or radio circle with its text is kept."""
WORD_SAMPLES = 3
"""Samples per class read by OCR to learn its words (24-bit ones, spread over the variants)."""


@dataclass
class Sample:
    """One labelled screenshot."""

    path: Path
    label: dict[str, Any]
    group: str
    """Its variant group: screen size, window position and depth, e.g. ``1024x768-centre-24``."""

    @property
    def screen(self) -> str:
        return self.label["screen"]


def variant_group(label: dict[str, Any]) -> str:
    """The configuration a screenshot was taken in (held out as a whole by the evaluation)."""
    cap = label.get("capture", {})
    w, h = cap.get("screen_size", [0, 0])
    return f"{w}x{h}-{cap.get('window_position', '?')}-{cap.get('depth', 24)}"


def corpus_samples(corpus: Path = CORPUS) -> list[Sample]:
    """Every labelled standard-look screenshot of ``replica-*`` sources, except drift and proposals."""
    out = []
    for source in sorted(corpus.iterdir()):
        if not source.is_dir() or not source.name.startswith("replica-") or source.name.endswith("-drift"):
            continue
        for png in sorted(source.rglob("*.png")):
            if any(part.endswith("_proposed") for part in png.parts):
                continue
            label_path = png.with_suffix(".json")
            if not label_path.exists():
                continue
            label = json.loads(label_path.read_text())
            if label.get("capture", {}).get("look", "standard") != "standard" or label["screen"] == "unknown":
                continue
            out.append(Sample(png, label, variant_group(label)))
    return out


def is_categorical(value: Any) -> bool:
    """State values that name one of a few looks (readable from pixels without OCR).

    Numbers, dates and paths are free text: they are not learned (OCR is for later).
    """
    if isinstance(value, bool):
        return True
    return (isinstance(value, str) and len(value) <= 60 and not value.startswith(("/", "~"))
            and not any(ch.isdigit() for ch in value))


def class_key(label: dict[str, Any]) -> tuple:
    """(screen, categorical state, look): a gateway build's look is a class of its own (its
    controls sit elsewhere), learned alongside the others when its screenshots are given."""
    state = label.get("state", {})
    look = label.get("capture", {}).get("look", "standard")
    return (label["screen"], tuple(sorted((k, v) for k, v in state.items() if is_categorical(v))), look)


@dataclass
class Klass:
    """A screen kind in one categorical state, as learned."""

    screen: str
    state: dict[str, Any]
    samples: list[Sample]
    unread: list[str] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    variable: bool = False
    origins: list[tuple[int, int]] = field(default_factory=list)
    sizes: list[tuple[int, int]] = field(default_factory=list)
    ref: np.ndarray | None = None
    stable: np.ndarray | None = None
    steady: np.ndarray | None = None
    """Alike in the samples, volatile or not (a control's look may be learned where no anchor may rest)."""
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _touches(window, shape) -> bool:
    x, y, w, h = window
    return x <= 0 or y <= 0 or x + w >= shape[1] or y + h >= shape[0]


def _geometry(k: Klass, frames: list[np.ndarray]) -> None:
    """True origins and sizes; fixed or variable size."""
    free = [i for i, s in enumerate(k.samples) if not _touches(s.label["window"], frames[i].shape)]
    free_sizes = {tuple(k.samples[i].label["window"][2:]) for i in free}
    all_sizes = [tuple(s.label["window"][2:]) for s in k.samples]
    if len(free_sizes) > 1:
        k.variable = True
        k.origins = [tuple(s.label["window"][:2]) for s in k.samples]
        k.sizes = all_sizes
        k.size = (min(w for w, _ in all_sizes), min(h for _, h in all_sizes))
        return
    k.size = next(iter(free_sizes)) if free_sizes else max(all_sizes, key=lambda s: s[0] * s[1])
    if not free_sizes:
        k.notes.append("no unclipped sample: window size taken from the largest")
    ref = k.samples[free[0]].label if free else None
    for s in k.samples:
        x, y, w, h = s.label["window"]
        if (w, h) == k.size or ref is None:
            k.origins.append((x, y))
        else:  # clipped by the screen edge: recover the origin from the elements
            rx, ry = ref["window"][:2]
            dx = [e["box"][0] - (ref["elements"][n]["box"][0] - rx)
                  for n, e in s.label["elements"].items() if n in ref["elements"]]
            dy = [e["box"][1] - (ref["elements"][n]["box"][1] - ry)
                  for n, e in s.label["elements"].items() if n in ref["elements"]]
            k.origins.append((int(np.median(dx)), int(np.median(dy))) if dx else (x, y))
        k.sizes.append(k.size)


def _looks(k: Klass, frames: list[np.ndarray]) -> list[list[int]]:
    """Split samples of one kind and state into looks (e.g. the live and paper backgrounds).

    A sample joins the first look whose first sample agrees with it on at least half of the
    pixels both show; otherwise it starts a new look.
    """
    w, h = k.size
    crops = []
    for (ox, oy), frame in zip(k.origins, frames, strict=True):
        v = np.zeros((h, w), np.int32) - 1
        x0, y0 = max(0, -ox), max(0, -oy)
        x1, y1 = min(w, frame.shape[1] - ox), min(h, frame.shape[0] - oy)
        v[y0:y1, x0:x1] = codes(frame[oy + y0: oy + y1, ox + x0: ox + x1])
        crops.append(v)
    parts: list[list[int]] = []
    for i, c in enumerate(crops):
        for part in parts:
            first = crops[part[0]]
            both = (c >= 0) & (first >= 0)
            if (c[both] == first[both]).mean() >= 0.5:
                part.append(i)
                break
        else:
            parts.append([i])
    return parts


def _stable(k: Klass, frames: list[np.ndarray]) -> None:
    """Reference codes (the per-pixel majority) and the mask of pixels that agree in 3/4 of samples
    and are in no sample's volatile box (`capture.volatile`: a clock, the user's time zone).

    A majority rather than unanimity: another program's window may cover a corner of one sample.
    """
    w, h = k.size
    stack = np.full((len(frames), h, w), -1, np.int32)
    for n, ((ox, oy), frame) in enumerate(zip(k.origins, frames, strict=True)):
        x0, y0 = max(0, -ox), max(0, -oy)
        x1, y1 = min(w, frame.shape[1] - ox), min(h, frame.shape[0] - oy)
        stack[n, y0:y1, x0:x1] = codes(frame[oy + y0: oy + y1, ox + x0: ox + x1])
    volatile = np.zeros((h, w), bool)
    for s, (ox, oy), (sw, sh) in zip(k.samples, k.origins, k.sizes, strict=True):
        for x, y, bw, bh in s.label.get("capture", {}).get("volatile", []):  # clocks, the user's values
            if ox <= x and oy <= y and x + bw <= ox + sw and y + bh <= oy + sh:  # its own, not behind it
                volatile[y - oy: y - oy + bh, x - ox: x - ox + bw] = True
    seen = (stack >= 0).sum(0)
    ref = np.ma.median(np.ma.masked_less(stack, 0), axis=0).filled(0).astype(np.int64)
    agree = (stack == ref[None]).sum(0)
    k.ref = ref.astype(np.uint16)
    k.steady = (seen > 0) & (agree * 4 >= seen * 3) & (stack[:, :, :] == ref[None]).any(0)
    k.stable = k.steady & ~volatile


def _elements(k: Klass) -> None:
    """Element boxes relative to the origin (fitted to the size when it varies), constant attributes."""
    per: dict[str, list] = defaultdict(list)
    for s, (ox, oy), (w, h) in zip(k.samples, k.origins, k.sizes, strict=True):
        for name, e in s.label["elements"].items():
            x, y, bw, bh = e["box"]
            per[name].append(((x - ox, y - oy, bw, bh), (w, h), e))
    for name, rows in sorted(per.items()):
        out: dict[str, Any] = {}
        boxes = [r[0] for r in rows]
        if not k.variable:
            box, count = Counter(boxes).most_common(1)[0]
            if count != len(boxes):
                k.notes.append(f"{name}: box varies {sorted(set(boxes))}, using the most common")
            out["box"] = list(box)
        else:
            fit = []
            for axis in (0, 1):
                best = None
                for b in (0.0, 0.5, 1.0):
                    a = [r[0][axis] - b * r[1][axis] for r in rows]
                    spread = max(a) - min(a)
                    if best is None or spread < best[0]:
                        best = (spread, b, float(np.median(a)))
                fit.append(best)
            out["box"] = [fit[0][2], fit[1][2], Counter(b[2] for b in boxes).most_common(1)[0][0],
                          Counter(b[3] for b in boxes).most_common(1)[0][0]]
            out["fit"] = [fit[0][1], fit[1][1]]
            if max(f[0] for f in fit) > 1:
                k.notes.append(f"{name}: position does not follow the window size well")
        for attr in ("text", "selected", "enabled"):
            values = {json.dumps(r[2].get(attr)) for r in rows}
            if len(values) == 1 and rows[0][2].get(attr) is not None:
                out[attr] = rows[0][2][attr]
        k.elements[name] = out


def _box_sums(mask: np.ndarray, size: int, step: int) -> np.ndarray:
    """Sum of `mask` over every size x size box at positions multiple of `step` (rows, cols)."""
    ii = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), np.int64)
    ii[1:, 1:] = mask.astype(np.int64).cumsum(0).cumsum(1)
    ys = np.arange(0, mask.shape[0] - size + 1, step)
    xs = np.arange(0, mask.shape[1] - size + 1, step)
    return (ii[ys[:, None] + size, xs[None, :] + size] - ii[ys[:, None], xs[None, :] + size]
            - ii[ys[:, None] + size, xs[None, :]] + ii[ys[:, None], xs[None, :]]), ys, xs


def _changes(ref: np.ndarray) -> np.ndarray:
    """1 where a pixel differs from its right or lower neighbour: a cheap texture measure."""
    ch = np.zeros(ref.shape, bool)
    ch[:, :-1] |= ref[:, 1:] != ref[:, :-1]
    ch[:-1, :] |= ref[1:, :] != ref[:-1, :]
    return ch


def _anchors(k: Klass, others: list[Klass]) -> tuple[list[tuple[int, int]], list[bool]]:
    """Pick anchor positions: a set cover telling this class from the others, then spread fill."""
    step = ANCHOR // 2
    full, ys, xs = _box_sums(k.stable, ANCHOR, step)
    tex, _, _ = _box_sums(_changes(k.ref), ANCHOR, step)
    cands = [(int(y), int(x), iy, ix) for iy, y in enumerate(ys) for ix, x in enumerate(xs)
             if full[iy, ix] == ANCHOR * ANCHOR and tex[iy, ix] >= 24]
    if not cands:
        k.notes.append("no stable textured anchor")
        return [], []
    texture = np.array([min(int(tex[iy, ix]), 999) for _, _, iy, ix in cands])
    # which candidate tells this class from which other class (same place, other look)
    differs = np.zeros((len(cands), len(others)), bool)
    sibling = np.array([o.screen == k.screen for o in others], bool)
    iys = np.array([c[2] for c in cands])
    ixs = np.array([c[3] for c in cands])
    for j, o in enumerate(others):
        h = min(k.size[1], o.size[1])
        w = min(k.size[0], o.size[0])
        d = np.zeros(k.stable.shape, bool)
        cover = np.zeros(k.stable.shape, bool)
        d[:h, :w] = ~match_mask(k.ref[:h, :w], o.ref[:h, :w]) & o.stable[:h, :w]
        cover[:h, :w] = o.stable[:h, :w]
        dsum, _, _ = _box_sums(d, ANCHOR, step)
        csum, _, _ = _box_sums(cover, ANCHOR, step)
        area = ANCHOR * ANCHOR
        differs[:, j] = (csum[iys, ixs] >= area * 0.75) & (dsum[iys, ixs] >= area * DIFFER)
    need = np.minimum(differs.sum(0), COVER_NEED)
    for j in np.flatnonzero(sibling & (differs.sum(0) == 0)):
        k.notes.append(f"no anchor tells it from {others[j].screen} {others[j].state}")
    chosen: list[int] = []
    while len(chosen) < N_ANCHORS and need.any():
        gain = (differs[:, need > 0]).sum(1) * 1000 + texture
        gain[chosen] = -1
        i = int(np.argmax(gain))
        if gain[i] < 1000:
            break
        chosen.append(i)
        need = np.maximum(need - differs[i], 0)
    keys = set(chosen)
    # spread fill: round-robin over a 4x4 grid of cells, most textured first, no overlaps
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in np.argsort(-texture, kind="stable"):
        y, x, _, _ = cands[i]
        cells[(4 * y // k.size[1], 4 * x // k.size[0])].append(int(i))
    taken = {(cands[i][0], cands[i][1]) for i in chosen}

    def free(i):
        y, x, _, _ = cands[i]
        return all(abs(y - ty) >= ANCHOR or abs(x - tx) >= ANCHOR for ty, tx in taken)

    progress = True
    while len(chosen) < N_ANCHORS and progress:
        progress = False
        for cell in sorted(cells):
            queue = cells[cell]
            while queue and (queue[0] in chosen or not free(queue[0])):
                queue.pop(0)
            if queue and len(chosen) < N_ANCHORS:
                i = queue.pop(0)
                chosen.append(i)
                taken.add((cands[i][0], cands[i][1]))
                progress = True
    sib_keys = [i in keys and bool(differs[i, sibling].any()) for i in chosen]
    return [(cands[i][1], cands[i][0]) for i in chosen], sib_keys


def _index_entries(k: Klass) -> list[tuple[int, int, int]]:
    """(hash, rx, ry) of spread-out stable textured 8x8 blocks, `PER_PHASE` per alignment phase."""
    full, _, _ = _box_sums(k.stable, BLOCK, 1)
    tex, _, _ = _box_sums(_changes(k.ref), BLOCK, 1)
    good = (full == BLOCK * BLOCK) & (tex >= 10)
    # a block whose content repeats elsewhere in the window would vote for wrong origins
    every = np.zeros(good.shape, np.uint64)
    for py in range(BLOCK):
        for px in range(BLOCK):
            g = grid_hashes(k.ref[py:, px:])
            every[py::BLOCK, px::BLOCK][: g.shape[0], : g.shape[1]] = g
    _, inv, counts = np.unique(every, return_inverse=True, return_counts=True)
    good &= (counts[inv].reshape(every.shape) == 1)
    out = []
    for py in range(BLOCK):
        for px in range(BLOCK):
            gy, gx = np.nonzero(good[py::BLOCK, px::BLOCK])
            pos = list(zip((gy * BLOCK + py).tolist(), (gx * BLOCK + px).tolist(), strict=True))
            if not pos:
                continue
            picks = sorted(set(np.linspace(0, len(pos) - 1, min(PER_PHASE, len(pos))).round().astype(int)))
            for i in picks:
                y, x = pos[i]
                out.append((block_hash(k.ref[y:y + BLOCK, x:x + BLOCK]), x, y))
    return out


def _patches(k: Klass, words: list) -> list[tuple[str, np.ndarray, list[int] | None]]:
    """Grey looks of small controls (icons, check boxes, small buttons), to find them when moved.

    A tick box or radio circle looks like every other: its look takes in the start of its text
    (`INDICATOR_LOOK` px), and the third item says where that look lies from the box."""
    out = []
    for name, e in sorted(k.elements.items()):
        x, y, w, h = (int(round(v)) for v in e["box"])
        look = _indicator_look(e, words) if is_indicator(e) else None
        if look is not None:
            x, y, w, h = x + look[0], y + look[1], look[2], look[3]
        elif "fit" in e or w > PATCH_MAX[0] or h > PATCH_MAX[1] or x < 0 or y < 0 \
                or (e.get("text") and w > PATCH_TEXT_MAX):  # twin combo boxes: found by their labels
            continue
        crop, seen = k.ref[y:y + h, x:x + w], k.steady[y:y + h, x:x + w]
        if crop.shape != (h, w) or seen.mean() < 0.9:
            continue
        r, g, b = (crop >> 11) * (255 / 31), ((crop >> 5) & 63) * (255 / 63), (crop & 31) * (255 / 31)
        gray = (0.299 * r + 0.587 * g + 0.114 * b).round().astype(np.uint8)
        if gray.std() >= 8:
            out.append((name, gray, look))
    return out


def _indicator_look(e: dict[str, Any], words: list) -> list[int] | None:
    """Where a tick box's look lies from its box, [dx, dy, w, h]: the box and its text's first words."""
    if "fit" in e:
        return None
    x, y, w, h = (int(round(v)) for v in e["box"])
    x0, y0, x1, y1 = label_span(e)
    mine = [m for m in words if m[0] in e.get("label_words", ()) and x0 <= m[1] <= x1 and y0 <= m[2] <= y1]
    if not mine:
        return None
    top = min(y, *(int(m[2] - m[4] / 2) for m in mine))
    bottom = max(y + h, *(int(math.ceil(m[2] + m[4] / 2)) for m in mine))
    right = min(x + INDICATOR_LOOK, max(int(math.ceil(m[1] + m[3] / 2)) for m in mine) + 1)
    return [0, top - y, right - x, bottom - top]


def _words(k: Klass, frames: list[np.ndarray]) -> tuple[list, dict[str, list[str]]]:
    """The class's words, read on a few 24-bit samples spread over its variants."""
    deep = [i for i, s in enumerate(k.samples) if s.label.get("capture", {}).get("depth", 24) == 24] \
        or list(range(len(k.samples)))
    spread = np.linspace(0, len(deep) - 1, min(WORD_SAMPLES, len(deep))).round()
    picks = sorted({deep[int(j)] for j in spread})
    return learn_words([(frames[i], (*k.origins[i], *k.sizes[i])) for i in picks], k.elements)


def _edge(k: Klass, frames: list[np.ndarray]) -> dict[str, np.ndarray] | None:
    """For variable-size windows: the right edge's look (columns aligned on the right border)."""
    if not k.variable:
        return None
    e, h = 6, k.size[1]
    crops = []
    for (ox, oy), (w, _), frame in zip(k.origins, k.sizes, frames, strict=True):
        crops.append(codes(frame)[oy:oy + h, ox + w - e: ox + w])
    ref = crops[0]
    mask = np.ones(ref.shape, bool)
    for c in crops[1:]:
        mask &= c == ref
    return {"ref": ref, "mask": mask}


def build(samples: list[Sample], log=print) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Learn the model from `samples`; returns (JSON-able description, arrays)."""
    groups: dict[tuple, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[class_key(s.label)].append(s)
    klasses: list[Klass] = []
    frames_of: list[list[np.ndarray]] = []
    for (screen, state, _look), members in sorted(groups.items(), key=lambda kv: json.dumps(kv[0])):
        k = Klass(screen, dict(state), members)
        k.unread = sorted({key for s in members for key, v in s.label.get("state", {}).items()
                           if not is_categorical(v)})
        frames = [load_rgb(s.path) for s in members]
        _geometry(k, frames)
        for part in _looks(k, frames):
            sub = Klass(screen, dict(state), [members[i] for i in part], k.unread, k.size, k.variable,
                        [k.origins[i] for i in part], [k.sizes[i] for i in part], notes=list(k.notes))
            sub_frames = [frames[i] for i in part]
            _stable(sub, sub_frames)
            _elements(sub)
            klasses.append(sub)
            frames_of.append(sub_frames)
    classes_json = []
    arrays: dict[str, np.ndarray] = {}
    index = []
    for ci, k in enumerate(klasses):
        others = [o for o in klasses if o is not k]
        anchors, keys = _anchors(k, others)
        arrays[f"a{ci}"] = np.stack([k.ref[y:y + ANCHOR, x:x + ANCHOR] for x, y in anchors]) if anchors \
            else np.zeros((0, ANCHOR, ANCHOR), np.uint16)
        for h, x, y in _index_entries(k):
            index.append((h, ci, x, y))
        words, label_words = _words(k, frames_of[ci])
        for name, lw in label_words.items():
            k.elements[name]["label_words"] = lw
        for j, (name, patch, look) in enumerate(_patches(k, words)):
            arrays[f"p{ci}_{j}"] = patch
            k.elements[name]["patch"] = f"p{ci}_{j}"
            if look is not None:
                k.elements[name]["look"] = look
        edge = _edge(k, frames_of[ci])
        if edge is not None:
            arrays[f"e{ci}_ref"], arrays[f"e{ci}_mask"] = edge["ref"], edge["mask"]
        entry = {
            "screen": k.screen, "state": k.state, "unread_state": k.unread,
            "size": list(k.size), "variable": k.variable,
            "sizes": sorted({tuple(s) for s in k.sizes}),
            "anchors": [[x, y] for x, y in anchors], "key_anchors": keys,
            "elements": k.elements, "samples": len(k.samples), "words": words,
        }
        classes_json.append(entry)
        log(f"{ci:3d} {k.screen:30s} {json.dumps(k.state)[:60]:60s} n={len(k.samples):2d} "
            f"size={k.size}{' variable' if k.variable else ''} anchors={len(anchors)} keys={sum(keys)} "
            f"words={len(words)}")
        for note in k.notes:
            log(f"      note: {note}")
    index.sort()
    hashes = np.array([e[0] for e in index], np.uint64)
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    keep = counts[inverse] <= MAX_DUP
    arrays["index_hash"] = hashes[keep]
    arrays["index_cls"] = np.array([e[1] for e in index], np.int16)[keep]
    arrays["index_rx"] = np.array([e[2] for e in index], np.int16)[keep]
    arrays["index_ry"] = np.array([e[3] for e in index], np.int16)[keep]
    model = {"format": 1, "anchor": ANCHOR, "block": BLOCK, "classes": classes_json,
             "sources": sorted({s.path.parent.parent.name for s in samples}), "samples": len(samples)}
    return model, arrays


def write(model: dict[str, Any], arrays: dict[str, np.ndarray], out: Path = MODEL_DIR) -> int:
    """Write model.json and templates.npz into `out`; returns their size in bytes."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(model, indent=None, separators=(",", ":"), sort_keys=True)
    (out / "model.json").write_text(text + "\n")
    import io
    import zipfile

    # np.savez_compressed stamps the time into the zip; write the members ourselves to stay deterministic
    with zipfile.ZipFile(out / "templates.npz", "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.save(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue())
    return sum(p.stat().st_size for p in out.iterdir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ibga.recognition.build",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    samples = corpus_samples(args.corpus)
    if not samples:
        print(f"no labelled screenshots under {args.corpus}", file=sys.stderr)
        return 2
    model, arrays = build(samples)
    size = write(model, arrays, args.out)
    print(f"{len(model['classes'])} classes from {len(samples)} screenshots; "
          f"index {len(arrays['index_hash'])} blocks; model {size / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
