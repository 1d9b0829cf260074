"""Screens that are not IB Gateway screens are `unknown`: the negative set of fixtures/negatives.

The set is made by tools/make-negatives (other programs' windows and dialogs captured from a real
Xvfb, many of them near misses in look, and a few drawn documents and charts); its README lists
what each image shows. A recognizer that names any of them as a gateway screen would click blindly.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ibga.recognition import recognize

ROOT = Path(__file__).resolve().parent.parent
NEGATIVES = ROOT / "fixtures" / "negatives"
GENERATOR = ROOT / "tools" / "make-negatives"
PROGRAM = ROOT / "tools" / "negatives" / "OtherApps.java"
PNGS = sorted(NEGATIVES.glob("*.png"))


@pytest.mark.parametrize("png", PNGS, ids=lambda p: p.stem)
def test_negative_is_unknown(png: Path):
    r = recognize(png)
    assert r.screen == "unknown", f"{png.name} recognized as {r.screen} (score {r.score:.3f})"


def _readme_files() -> list[str]:
    rows = (NEGATIVES / "README.md").read_text().splitlines()
    return [m.group(1) for row in rows if (m := re.match(r"\|\s*(\S+\.png)\s*\|", row))]


def test_listing_readme_and_files_agree():
    files = sorted(p.name for p in PNGS)
    listed = subprocess.run([sys.executable, str(GENERATOR), "--list"], capture_output=True, text=True,
                            check=True).stdout.split()
    assert len(listed) == len(set(listed)), "the generator lists a name twice"
    assert sorted(listed) == files, {"listed, no file": sorted(set(listed) - set(files)),
                                     "file, not listed": sorted(set(files) - set(listed))}
    readme = _readme_files()
    assert sorted(readme) == files, {"README row, no file": sorted(set(readme) - set(files)),
                                     "file, no README row": sorted(set(files) - set(readme))}


def test_negative_programs_show_no_gateway_title():
    """Honest negatives: no text the programs put on screen names the gateway or its maker."""
    for text in re.findall(r'"((?:[^"\\]|\\.)*)"', PROGRAM.read_text()):
        for name in ("IBKR", "IB Gateway", "Interactive Brokers", "TWS"):
            assert name.lower() not in text.lower(), f"{name!r} in {text[:60]!r}"
