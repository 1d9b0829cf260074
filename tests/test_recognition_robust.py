"""The recognizer where it was not built: held-out variants, another gateway build (the replica's
drifted look), other scales, real gateway screenshots; and snapshots of what it draws.

Figures for all of these, with timings, come from ``python -m ibga.recognition.evaluate``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ibga.corpus.images import load_rgb
from ibga.recognition import load_model, recognize
from ibga.recognition.annotate import annotate
from ibga.recognition.build import corpus_samples
from ibga.recognition.evaluate import (
    REFERENCES,
    SCALES,
    built_model,
    check,
    heldout_split,
    labelled_cases,
    reference_cases,
    run,
    scaled_cases,
)

ROOT = Path(__file__).resolve().parent.parent
DRIFT = ROOT / "fixtures" / "screens" / "replica-10.41.1-drift"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "annotated"


@pytest.fixture(scope="module")
def samples():
    return corpus_samples()


def test_heldout_variants_all_right(samples, tmp_path_factory):
    """Built on 1024x768 centre/origin only; tested on another position and another screen size."""
    train, test = heldout_split(samples)
    assert train and test and not {s.group for s in train} & {s.group for s in test}
    model = built_model(train, tmp_path_factory.mktemp("heldout"))
    report = run("heldout", ((s.path.name, load_rgb(s.path), s.label) for s in test), model)
    assert report.frames == len(test)
    assert report.ids_right == report.frames, report.problems[:10]
    assert report.points_right == report.points, report.problems[:10]


def test_drift_drill_every_screen_id(samples):
    """A gateway build the model was not made from: every screen id and every click point right."""
    report = run("drift", labelled_cases(DRIFT))
    assert report.frames >= 300
    assert report.ids_right == report.frames, report.problems[:10]
    assert report.points_right == report.points, report.problems[:10]


@pytest.mark.parametrize("scale", SCALES)
def test_scaled_screens_never_a_wrong_screen(samples, scale):
    """Other scales: unknown is allowed (slower paths are for a person), another screen id is not."""
    report = run(f"{scale}x", scaled_cases(samples, (scale,)))
    assert report.ids_wrong == 0, [p for p in report.problems if "screen " in p][:5]
    if scale >= 1.5:
        assert report.ids_right >= 0.95 * report.frames, report.problems[:10]


@pytest.mark.skipif(not REFERENCES.exists(), reason=f"{REFERENCES} absent (real screenshots, kept outside)")
@pytest.mark.parametrize("case", sorted(json.loads((REFERENCES / "labels.json").read_text()))
                         if REFERENCES.exists() else [])
def test_real_gateway_screenshot(case):
    name, frame, label = next(c for c in reference_cases() if c[0] == case)
    r = recognize(frame)
    ok, points, right, problems = check(r, label)
    assert ok, problems
    if label.get("state", {}).get("panel"):
        assert r.state.get("panel") == label["state"]["panel"]
    assert right == points, problems


def _one_per_kind(samples, per_kind=2):
    picked: dict[str, list] = {}
    for s in samples:
        if s.group == "1024x768-centre-24" and len(picked.setdefault(s.screen, [])) < per_kind:
            picked[s.screen].append(s)
    return [s for group in picked.values() for s in group]


@pytest.mark.parametrize("sample", _one_per_kind(corpus_samples()), ids=lambda s: f"{s.screen}-{s.path.stem}")
def test_annotated_recognition_snapshot(sample, image_snapshot, request):
    """What the recognizer finds, drawn: any change of a box, a name or a click point shows here."""
    from PIL import Image

    path = SNAPSHOTS / f"{sample.screen}--{sample.path.stem}.png"
    if not path.exists() and not request.config.getoption("--image-snapshot-update"):
        pytest.fail(f"{path.name} missing: make it with --image-snapshot-update and look at it")
    frame = load_rgb(sample.path)
    drawn = annotate(frame, recognize(frame, load_model(), tolerant=False), crop=True)
    image_snapshot(Image.fromarray(np.ascontiguousarray(drawn)), path)
