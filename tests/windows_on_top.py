"""Another program's window that keeps itself above the gateway's (tests/programs/StayOnTop.java).

With no window manager the window mapped last is on top, and the replica raises its own windows again
for a moment after it shows them (`Gateway.grabFocus`, 120 and 400 ms later): a window of another
program shown in that moment ends up under the gateway's. StayOnTop raises itself every 100 ms, so
what it covers stays covered, whenever it was started.
"""

from __future__ import annotations

import os
import subprocess

import pytest


@pytest.fixture
def on_top(xvfb, java_classes):
    """Start StayOnTop at x y w h; the process, to kill when the window must go."""
    started: list[subprocess.Popen] = []

    def show(x: int, y: int, w: int, h: int) -> subprocess.Popen:
        command = ["java", "-cp", str(java_classes), "StayOnTop", str(x), str(y), str(w), str(h)]
        process = subprocess.Popen(command, env=dict(os.environ, DISPLAY=xvfb.display),
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started.append(process)
        assert process.stdout.readline().strip() == "READY"
        return process

    yield show
    for process in started:
        process.kill()
        process.wait()
