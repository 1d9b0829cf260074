"""`ibga doctor` on this machine, on a machine without tools, and against displays."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_doctor(**env_changes):
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "ibga", "doctor"], env=env, capture_output=True, text=True, timeout=60
    )


def lines_by_item(output: str) -> dict[str, str]:
    return {line[9:].split("  ")[0].strip(): line[:8].strip() for line in output.splitlines()
            if line[:8].strip() in ("ok", "MISSING", "optional")}


def test_doctor_passes_on_a_set_up_machine():
    result = run_doctor(DISPLAY=None)
    assert result.returncode == 0, result.stdout
    items = lines_by_item(result.stdout)
    for name in ("Xvfb", "java (Swing)", "javac", "fonts (DejaVu Sans)", "python-xlib", "mss"):
        assert items[name] == "ok"


def test_doctor_names_what_to_install_when_tools_are_missing(tmp_path):
    result = run_doctor(PATH=str(tmp_path), DISPLAY=None)  # an empty PATH: no Xvfb, no java
    assert result.returncode == 1
    assert "MISSING  Xvfb" in result.stdout
    assert "apt-get install xvfb" in result.stdout
    assert "apt-get install openjdk-17-jdk" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("missing: Xvfb, java (Swing), javac")


@pytest.mark.display
def test_doctor_reaches_the_display(xvfb):
    result = run_doctor(DISPLAY=xvfb.display)
    assert result.returncode == 0, result.stdout
    assert f"{xvfb.display} answers: 1024x768x24" in result.stdout


def test_doctor_reports_a_dead_display():
    from ibga.runner.xvfb import free_display_number

    dead = f":{free_display_number(start=900)}"
    result = run_doctor(DISPLAY=dead)
    assert result.returncode == 1
    assert f"DISPLAY={dead} does not answer" in result.stdout
