"""Honest figures for the recognizer: ``python -m ibga.recognition.evaluate [PART...]``.

Parts (all by default):

- ``heldout``: a model built on the 1024x768 centre and origin variants only, tested on the
  variants it never saw (another window position, another screen size);
- ``insample``: the shipped model on its own corpus (every standard screenshot);
- ``drift``: the shipped model, built from the replica's usual look only, on the drifted look
  (a gateway build it was not made from: renamed titles and buttons, moved controls, other
  colours and font sizes);
- ``drift-rebuilt``: a model built from both looks, on the drifted look (speed back);
- ``scaled``: one screenshot per class at 0.5x, 0.75x, 1.5x and 2x;
- ``references``: the real gateway screenshots of ``../shared/reference-screens``.

A screen id is right when it equals the label's; a click point is right when the centre of
the element found lies inside the labelled box (a labelled element not found is a miss).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ibga.corpus.images import load_rgb
from ibga.recognition.build import CORPUS, Sample, build, corpus_samples, variant_group, write
from ibga.recognition.contract import Recognition
from ibga.recognition.recognize import Model, load_model, recognize

REFERENCES = Path(__file__).resolve().parents[3] / "shared" / "reference-screens"
TRAIN_GROUPS = ("1024x768-centre-24", "1024x768-centre-16", "1024x768-origin-24", "1024x768-origin-16")
"""The variant groups the held-out model is built from; every other group is held out."""
SCALES = (0.5, 0.75, 1.5, 2.0)

Case = tuple[str, np.ndarray, dict[str, Any]]
"""(name, frame, label)"""


@dataclass
class Report:
    """What a part of the evaluation found."""

    name: str
    frames: int = 0
    ids_right: int = 0
    ids_wrong: int = 0
    """Frames given another screen's id (worse than unknown: a runner would act on it)."""
    points: int = 0
    points_right: int = 0
    states_right: int = 0
    states: int = 0
    also: int = 0
    also_found: int = 0
    """Windows behind labelled in ``also``, and how many of them were reported."""
    problems: list[str] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return self.frames > 0 and self.ids_right == self.frames and self.points_right == self.points

    def line(self) -> str:
        t = np.array(self.times_ms) if self.times_ms else np.zeros(1)
        return (f"{self.name:14s} frames {self.frames:4d}  ids {_pct(self.ids_right, self.frames)} "
                f"(wrong {self.ids_wrong})  "
                f"click points {_pct(self.points_right, self.points)} of {self.points:5d}  "
                f"states {_pct(self.states_right, self.states)}  also {_pct(self.also_found, self.also)}  "
                f"p50 {np.percentile(t, 50):6.1f} ms  p95 {np.percentile(t, 95):6.1f} ms")


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:6.2f} %" if b else "   n/a  "


def check(r: Recognition, label: dict[str, Any]) -> tuple[bool, int, int, list[str]]:
    """(id right, points, points right, problems) of one recognition against its label."""
    problems = []
    if r.screen != label["screen"]:
        return False, len(label.get("elements", {})), 0, [f"screen {r.screen} ({r.score:.2f}), "
                                                          f"candidates {r.candidates[:3]}"]
    right = 0
    elements = label.get("elements", {})
    for name, e in elements.items():
        box = e["box"] if isinstance(e, dict) else e
        found = r.elements.get(name)
        if found is None:
            problems.append(f"{name} not found")
            continue
        cx, cy = found.centre
        if box[0] <= cx < box[0] + box[2] and box[1] <= cy < box[1] + box[3]:
            right += 1
        else:
            problems.append(f"{name} at {list(found.box)}, labelled {list(box)}")
    return True, len(elements), right, problems


def run(name: str, cases: Iterable[Case], model: Model | None = None, tolerant: bool = True,
        log=None) -> Report:
    """Recognize every case and tally the results."""
    report = Report(name)
    for case_name, frame, label in cases:
        t = time.perf_counter()
        r = recognize(frame, model, tolerant=tolerant)
        report.times_ms.append((time.perf_counter() - t) * 1000)
        ok, points, right, problems = check(r, label)
        report.frames += 1
        report.ids_right += ok
        report.ids_wrong += not ok and r.screen != "unknown"
        report.points += points
        report.points_right += right
        wanted = {k: v for k, v in label.get("state", {}).items() if k in r.state}
        if ok and wanted:
            report.states += 1
            report.states_right += all(r.state[k] == v for k, v in wanted.items())
        if ok:
            report.also += len(label.get("also", []))
            report.also_found += len(set(label.get("also", [])) & set(r.also))
        report.problems += [f"{case_name}: {p}" for p in problems]
        if log and problems:
            for p in problems:
                log(f"  {case_name}: {p}")
    return report


def sample_cases(samples: Iterable[Sample]) -> Iterator[Case]:
    for s in samples:
        yield f"{s.path.parent.name}/{s.path.name}", load_rgb(s.path), s.label


def labelled_cases(folder: Path) -> Iterator[Case]:
    """Every labelled screenshot under `folder` (e.g. the drifted corpus)."""
    for png in sorted(folder.rglob("*.png")):
        label_path = png.with_suffix(".json")
        if label_path.exists():
            label = json.loads(label_path.read_text())
            if label["screen"] != "unknown":
                yield f"{png.parent.name}/{png.name}", load_rgb(png), label


def scaled(frame: np.ndarray, label: dict[str, Any], scale: float) -> tuple[np.ndarray, dict[str, Any]]:
    """`frame` resized by `scale` (as a viewer or a HiDPI capture would) and its label to match."""
    from PIL import Image

    h, w = frame.shape[:2]
    image = Image.fromarray(frame).resize((round(w * scale), round(h * scale)), Image.Resampling.LANCZOS)
    out = dict(label)
    out["elements"] = {}
    for name, e in label.get("elements", {}).items():
        x, y, bw, bh = e["box"]
        x0, y0 = int(np.ceil(x * scale)), int(np.ceil(y * scale))
        x1, y1 = int((x + bw) * scale), int((y + bh) * scale)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            out["elements"][name] = {**e, "box": [x0, y0, x1 - x0, y1 - y0]}
    return np.asarray(image), out


def scaled_cases(samples: list[Sample], scales=SCALES) -> Iterator[Case]:
    """One 1024x768 centre 24-bit screenshot per class, at each scale."""
    seen = set()
    for s in samples:
        key = (s.screen, json.dumps(s.label.get("state", {}), sort_keys=True))
        if variant_group(s.label) != "1024x768-centre-24" or key in seen:
            continue
        seen.add(key)
        frame = load_rgb(s.path)
        for scale in scales:
            f, label = scaled(frame, s.label, scale)
            yield f"{s.path.parent.name}/{s.path.name}@{scale}", f, label


def reference_cases(folder: Path = REFERENCES) -> Iterator[Case]:
    """The real gateway screenshots with their labels (``labels.json``)."""
    labels = json.loads((folder / "labels.json").read_text())
    for name, label in sorted(labels.items()):
        elements = {k: {"box": v} for k, v in label.get("elements", {}).items()}
        yield name, load_rgb(folder / name), {**label, "elements": elements}


def heldout_split(samples: list[Sample]) -> tuple[list[Sample], list[Sample]]:
    train = [s for s in samples if s.group in TRAIN_GROUPS]
    test = [s for s in samples if s.group not in TRAIN_GROUPS]
    return train, test


def built_model(samples: list[Sample], directory: Path) -> Model:
    """A model built from `samples` into `directory`, loaded."""
    model, arrays = build(samples, log=lambda *_: None)
    write(model, arrays, directory)
    return load_model(str(directory))


def main(argv: list[str] | None = None) -> int:
    parts = ("heldout", "insample", "drift", "drift-rebuilt", "scaled", "references")
    parser = argparse.ArgumentParser(prog="python -m ibga.recognition.evaluate",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"any of {', '.join(parts)} (default: all)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    unknown = set(args.parts) - set(parts)
    if unknown:
        parser.error(f"unknown part {', '.join(sorted(unknown))}; parts are {', '.join(parts)}")
    log = print if args.verbose else None
    samples = corpus_samples(args.corpus)
    drift = sorted(args.corpus.glob("replica-*-drift"))
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for part in args.parts or parts:
            if part == "heldout":
                train, test = heldout_split(samples)
                model = built_model(train, Path(tmp) / "heldout")
                print(f"heldout: built on {len(train)} screenshots ({', '.join(TRAIN_GROUPS)}), "
                      f"testing {len(test)} of {sorted({s.group for s in test})}")
                reports.append(run(part, sample_cases(test), model, log=log))
            elif part == "insample":
                reports.append(run(part, sample_cases(samples), log=log))
            elif part == "drift":
                for d in drift:
                    reports.append(run(part, labelled_cases(d), log=log))
            elif part == "drift-rebuilt":
                both = samples + [Sample(p, json.loads(p.with_suffix(".json").read_text()), "drift")
                                  for d in drift for p in sorted(d.rglob("*.png"))
                                  if p.with_suffix(".json").exists()]
                both = [s for s in both if s.screen != "unknown"]
                model = built_model(both, Path(tmp) / "rebuilt")
                for d in drift:
                    reports.append(run(part, labelled_cases(d), model, log=log))
            elif part == "scaled":
                for scale in SCALES:
                    reports.append(run(f"scaled {scale}x", scaled_cases(samples, (scale,)), log=log))
                    print(reports[-1].line(), flush=True)
            elif part == "references":
                if REFERENCES.exists():
                    reports.append(run(part, reference_cases(), log=log))
                else:
                    print(f"references: {REFERENCES} absent, skipped")
            print(reports[-1].line() if reports else "", flush=True)
    print()
    for r in reports:
        print(r.line())
    return 0 if all(r.perfect for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
