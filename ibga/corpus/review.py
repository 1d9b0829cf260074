"""Review proposals of a live session: accept, correct or drop each one.

`ibga.corpus.live` saves every settled screen of a real gateway with the label the
recognizer proposed (or "unknown"). Nothing enters the corpus until a person has looked
at it: for each pending proposal this writes a picture with the proposed boxes and names
drawn, prints the label, and asks what to do. Accepted and corrected labels are checked
against the contract (`label_problems`, with the image's size) and moved to
``<source>/<screen>/live-NNNN.png`` beside the other captures; dropped ones are deleted.

Prompts read from and write to streams given by the caller, so a test can script a
review and the command line (``tools/review``) passes stdin and stdout.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from PIL import Image, ImageDraw

from ibga.corpus.live import PROPOSED
from ibga.recognition.contract import SCREEN_IDS, label_problems

CONTRACT_KEYS = ("screen", "score", "window", "elements", "state", "also")
NAME = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*")
HELP_ELEMENTS = ("element edits, one a line: 'name x y w h' sets a box, '-name' deletes it, "
                 "'window x y w h' sets the window; an empty line ends")
HELP_STATE = "state edits, one a line: 'key=value' sets, '-key' deletes; an empty line ends"


class Quit(Exception):
    """The person asked to stop, or the input ended."""


def proposal_folders(folder: Path) -> list[Path]:
    """The ``_proposed`` folders meant by `folder`: itself, its own, or those of its sources."""
    folder = Path(folder)
    if folder.name == PROPOSED:
        return [folder]
    if (folder / PROPOSED).is_dir():
        return [folder / PROPOSED]
    return sorted(p for p in folder.glob(f"*/{PROPOSED}") if p.is_dir())


def pending(folder: Path) -> list[Path]:
    """Proposal PNGs under `folder` whose label is still ``"review": "pending"``, oldest first."""
    out = []
    for proposed in proposal_folders(folder):
        for png in sorted(proposed.glob("*.png")):
            label_path = png.with_suffix(".json")
            if label_path.exists() and json.loads(label_path.read_text()).get("review") == "pending":
                out.append(png)
    return out


def annotate(png: Path, label: dict[str, Any]) -> Image.Image:
    """The screenshot at full size with the window (blue) and each element (green, named) drawn."""
    image = Image.open(png).convert("RGB")
    draw = ImageDraw.Draw(image)
    if label.get("window"):
        x, y, w, h = label["window"]
        draw.rectangle([x, y, x + w - 1, y + h - 1], outline=(0, 128, 255), width=2)
    for name, element in sorted(label.get("elements", {}).items()):
        x, y, w, h = element["box"]
        draw.rectangle([x, y, x + w - 1, y + h - 1], outline=(0, 255, 0))
        tx, ty = x, max(0, y - 11)
        draw.rectangle(draw.textbbox((tx, ty), name), fill=(0, 0, 0))
        draw.text((tx, ty), name, fill=(255, 255, 0))
    caption = f"{label.get('screen')} ({label.get('score')})"
    draw.rectangle(draw.textbbox((3, 2), caption), fill=(0, 0, 0))
    draw.text((3, 2), caption, fill=(255, 255, 0))
    return image


def summary(label: dict[str, Any]) -> str:
    """The proposed label as JSON, one element a line, so a person can read it at a glance."""
    head = ", ".join(f"{json.dumps(k)}: {json.dumps(label.get(k))}" for k in ("screen", "score", "window"))
    elements = [f"  {json.dumps(n)}: {json.dumps(e)}" for n, e in sorted(label.get("elements", {}).items())]
    tail = ", ".join(f"{json.dumps(k)}: {json.dumps(label.get(k))}" for k in ("state", "also"))
    body = ",\n".join(elements)
    return "{" + head + ',\n "elements": {' + (f"\n{body}\n " if elements else "") + "},\n " + tail + "}"


def ask(prompt: str, inp: TextIO, out: TextIO) -> str:
    """One answer line (stripped); `Quit` at the end of the input."""
    out.write(prompt)
    out.flush()
    line = inp.readline()
    if not line:
        out.write("\n")
        raise Quit
    return line.strip()


def _box(values: list[str]) -> list[int]:
    box = [int(v) for v in values]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise ValueError
    return box


def edit_elements(label: dict[str, Any], inp: TextIO, out: TextIO) -> None:
    """Apply the person's element and window edits to `label` until an empty line."""
    out.write(HELP_ELEMENTS + "\n")
    while line := ask("element> ", inp, out):
        parts = line.split()
        try:
            if len(parts) == 1 and parts[0].startswith("-") and parts[0][1:] in label["elements"]:
                del label["elements"][parts[0][1:]]
            elif parts[0] == "-window" and len(parts) == 1:
                label["window"] = None
            elif parts[0] == "window":
                label["window"] = _box(parts[1:])
            elif NAME.fullmatch(parts[0]):
                box = _box(parts[1:])
                label["elements"].setdefault(parts[0], {})["box"] = box
            else:
                raise ValueError
        except ValueError:
            out.write(f"not understood: {line!r} ({HELP_ELEMENTS})\n")


def edit_state(label: dict[str, Any], inp: TextIO, out: TextIO) -> None:
    """Apply the person's ``key=value`` / ``-key`` edits to ``label["state"]`` until an empty line."""
    out.write(HELP_STATE + "\n")
    while line := ask("state> ", inp, out):
        if line.startswith("-") and line[1:] in label["state"]:
            del label["state"][line[1:]]
        elif "=" in line and NAME.fullmatch(key := line.split("=", 1)[0].strip()):
            label["state"][key] = line.split("=", 1)[1].strip()
        else:
            out.write(f"not understood: {line!r} ({HELP_STATE})\n")


def correct(label: dict[str, Any], inp: TextIO, out: TextIO) -> dict[str, Any]:
    """A corrected copy of `label`: screen id (checked against the catalog), elements, state."""
    fixed = json.loads(json.dumps(label))
    fixed.setdefault("elements", {})
    fixed.setdefault("state", {})
    while True:
        screen = ask(f"screen id [{fixed['screen']}]: ", inp, out) or fixed["screen"]
        if screen in SCREEN_IDS:
            break
        close = difflib.get_close_matches(screen, SCREEN_IDS, n=5, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else f"known ids: {', '.join(sorted(SCREEN_IDS))}"
        out.write(f"{screen!r} is not a screen id; {hint}\n")
    fixed["screen"] = screen
    edit_elements(fixed, inp, out)
    edit_state(fixed, inp, out)
    return fixed


def save(png: Path, label: dict[str, Any], verdict: str, proposed: dict[str, Any]) -> Path:
    """Move a reviewed proposal to ``<source>/<screen>/live-NNNN.png`` with its final label."""
    source_dir = png.parent.parent
    target = source_dir / label["screen"] / f"live-{png.stem}.png"
    if target.exists() or target.with_suffix(".json").exists():
        raise FileExistsError(f"{target} exists already")
    final = {k: label[k] for k in CONTRACT_KEYS if k in label}
    final["score"] = 1.0  # a person has confirmed it
    capture = dict(label.get("capture", {}))
    capture["proposed_score"] = proposed.get("score")
    if verdict == "corrected":
        capture["proposed_screen"] = proposed.get("screen")
    capture["reviewed"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    final.update(source=source_dir.name, capture=capture, review=verdict)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_suffix(".json").write_text(json.dumps(final, indent=1) + "\n")
    png.replace(target)
    png.with_suffix(".json").unlink()
    _remove_if_empty(png.parent)
    return target


def _remove_if_empty(folder: Path) -> None:
    """Remove a ``_proposed`` folder once everything in it is reviewed, so the corpus stays tidy."""
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def review_one(png: Path, inp: TextIO, out: TextIO, annotated: Path) -> str:
    """Show one proposal and act on the answer; returns accepted/corrected/dropped/skipped."""
    proposed = json.loads(png.with_suffix(".json").read_text())
    label, verdict = proposed, "accepted"
    with Image.open(png) as image:
        size = image.size
    while True:
        picture = annotated / f"{png.stem}.png"
        annotated.mkdir(parents=True, exist_ok=True)
        annotate(png, label).save(picture)
        out.write(f"\n{png}  ({size[0]}x{size[1]}, proposed by "
                  f"{label.get('capture', {}).get('proposed_by', '?')})\nsee {picture}\n{summary(label)}\n")
        answer = ask("[a]ccept, [c]orrect, [d]rop, [s]kip, [q]uit? ", inp, out).lower()
        if answer in ("q", "quit"):
            raise Quit
        if answer in ("s", "skip"):
            return "skipped"
        if answer in ("d", "drop"):
            png.unlink()
            png.with_suffix(".json").unlink()
            _remove_if_empty(png.parent)
            out.write("dropped\n")
            return "dropped"
        if answer in ("c", "correct"):
            label, verdict = correct(label, inp, out), "corrected"
        elif answer not in ("a", "accept"):
            out.write(f"not understood: {answer!r}\n")
            continue
        problems = label_problems(label, size)
        if problems:
            out.write("not saved, the label is not valid:\n" + "".join(f"  {p}\n" for p in problems))
            continue
        target = save(png, label, verdict, proposed)
        out.write(f"{verdict}: {target}\n")
        return verdict


def review(folder: Path, inp: TextIO, out: TextIO, annotated: Path = Path("out") / "review") -> Counter:
    """Review every pending proposal under `folder`; returns how many got each verdict."""
    counts: Counter = Counter()
    todo = pending(folder)
    if not todo:
        out.write(f"no pending proposals under {folder}\n")
    try:
        for png in todo:
            counts[review_one(png, inp, out, annotated)] += 1
    except Quit:
        pass
    out.write(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing reviewed")
    out.write(f"; {len(pending(folder))} still pending\n")
    return counts
