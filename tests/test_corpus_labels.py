"""Every label of the corpus (fixtures/screens) is valid: schema, boxes inside, catalog ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ibga.corpus.images import load_rgb, pixel_hash
from ibga.recognition.contract import label_problems

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "screens"
PNGS = sorted(CORPUS.rglob("*.png"))
LABELS = sorted(CORPUS.rglob("*.json"))


def test_corpus_is_not_empty():
    if not PNGS:
        pytest.skip("the corpus has not been captured yet (tools/capture)")
    assert LABELS


@pytest.mark.parametrize("png", PNGS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_label_is_valid(png: Path):
    label_path = png.with_suffix(".json")
    assert label_path.exists(), f"{png} has no label"
    label = json.loads(label_path.read_text())
    frame = load_rgb(png)
    height, width = frame.shape[:2]
    assert label_problems(label, (width, height)) == []
    assert label["source"] == png.relative_to(CORPUS).parts[0]
    if png.parent.name != "_proposed":  # reviewed or exact (replica) labels only
        assert label.get("review", "accepted") != "pending"
        assert png.parent.name == label["screen"], "a screenshot lives in its screen's folder"


def test_every_label_has_its_image():
    orphans = [p for p in LABELS if not p.with_suffix(".png").exists()]
    assert orphans == []


def test_no_screenshot_is_stored_twice():
    seen: dict[str, Path] = {}
    for png in PNGS:
        h = pixel_hash(load_rgb(png))
        assert h not in seen, f"{png} has the same pixels as {seen[h]}"
        seen[h] = png
