"""noVNC in a real browser: the page connects by itself and shows the gateway's window as Xvfb has it.

The replica's login window on a real Xvfb, x11vnc and noVNC in front of it (`ibga.runner.vnc`),
and Debian's headless Chromium driven by `tools/novnc-shot` (DevTools protocol): the remote
screen in the page's screenshot must match a frame grabbed from Xvfb where the window is.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ibga.replica import ReplicaProcess
from ibga.runner.vnc import start_vnc

pytestmark = [
    pytest.mark.display,
    pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                       reason="chromium is not installed (apt-get install chromium): no browser to load "
                              "noVNC's page in"),
]

NOVNC_SHOT = Path(__file__).resolve().parent.parent / "tools" / "novnc-shot"
# x11vnc sends the 24-bit screen losslessly (raw/zlib/tight without JPEG at this quality), so the
# window should come through unchanged; a few pixels may differ where a cursor or a late update is.
LEVELS = 24
MAX_DIFFERENT = 0.01


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def different(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of pixels whose colour differs by more than LEVELS in some channel."""
    return float((np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > LEVELS).mean())


def test_novnc_page_shows_the_login_window_as_xvfb_has_it(replica_launcher, xvfb, screen, tmp_path):
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "replica-settings.json").write_text(json.dumps({"api_port": str(free_port())}))
    shot_path = tmp_path / "novnc.png"
    # a lit caret instead of a blinking one: the browser's frame and Xvfb's are taken apart in time
    with ReplicaProcess(replica_launcher, settings, xvfb.display, {"caret_blink": False}) as replica:
        x, y, w, h = replica.wait_for("login")["box"]
        with start_vnc(xvfb.display, local_only=True, vnc_port=free_port(), novnc_port=free_port()) as vnc:
            result = subprocess.run(
                [sys.executable, str(NOVNC_SHOT), "--port", str(vnc.novnc_port), "--out", str(shot_path)],
                capture_output=True, text=True, timeout=120)
        frame = screen.grab()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    print(f"novnc-shot: connected after {report['connected_ms']} ms, {report['total_ms']} ms in all")

    shot = np.asarray(Image.open(shot_path).convert("RGB"))
    cx, cy, cw, ch = report["canvas"]
    assert report["screen"] == [1024, 768] == [cw, ch]  # 1:1, the whole Xvfb screen in the page
    assert cx >= 0 and cy >= 0 and cx + cw <= shot.shape[1] and cy + ch <= shot.shape[0]
    remote = shot[cy:cy + ch, cx:cx + cw]

    window = frame[y:y + h, x:x + w]
    assert window.std() > 20  # the login window has content: matching it means something
    assert different(remote[y:y + h, x:x + w], window) < MAX_DIFFERENT
    # ... and the comparison tells places apart: the window 40 px lower in the page does not match
    assert y + 40 + h <= ch
    assert different(remote[y + 40:y + 40 + h, x:x + w], window) > 0.05
