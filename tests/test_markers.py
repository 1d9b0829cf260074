"""The `display` marker is exact: tests/conftest.py marks what uses the xvfb fixture and fails a test that
starts Xvfb unmarked, or is marked and needs no screen. Checked on a small session of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

PROBES = textwrap.dedent('''
    import subprocess
    import sys

    import pytest

    from ibga.runner.xvfb import start_xvfb

    START_IN_A_CHILD = "from ibga.runner.xvfb import start_xvfb; start_xvfb(320, 240, 24).stop()"


    def test_starts_xvfb_unmarked():
        start_xvfb(320, 240, 24).stop()


    def test_starts_xvfb_in_a_child_unmarked():
        subprocess.run([sys.executable, "-c", START_IN_A_CHILD], check=True)


    @pytest.mark.display
    def test_starts_xvfb_marked():
        start_xvfb(320, 240, 24).stop()


    @pytest.mark.display
    def test_marked_without_a_screen():
        pass


    def test_no_screen():
        pass


    def test_the_fixture_marks_it(screen):
        assert screen.grab().shape == (768, 1024, 3)


    def test_fails_on_its_own_after_starting_xvfb_unmarked():
        start_xvfb(320, 240, 24).stop()
        assert False, "its own failure"
''')


def inner_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.display  # its inner session starts Xvfb
def test_the_display_marker_is_exact(tmp_path):
    shutil.copy(TESTS / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\nmarkers = display: screen\n")
    (tmp_path / "test_probes.py").write_text(PROBES)

    result = inner_pytest(tmp_path, "-rA")
    outcomes = {line.split()[1].split("::")[1]: line.split()[0] for line in result.stdout.splitlines()
                if line.startswith(("PASSED ", "FAILED ", "ERROR "))}
    assert outcomes == {
        "test_starts_xvfb_unmarked": "FAILED",
        "test_starts_xvfb_in_a_child_unmarked": "FAILED",
        "test_starts_xvfb_marked": "PASSED",
        "test_marked_without_a_screen": "FAILED",
        "test_no_screen": "PASSED",
        "test_the_fixture_marks_it": "PASSED",
        "test_fails_on_its_own_after_starting_xvfb_unmarked": "FAILED",
    }, result.stdout[-3000:]
    out = result.stdout
    assert "test_starts_xvfb_unmarked started Xvfb but is not marked display" in out
    assert "test_starts_xvfb_in_a_child_unmarked started Xvfb but is not marked display" in out
    assert "test_marked_without_a_screen is marked display but started no Xvfb" in out
    assert "its own failure" in out  # kept, with the marker's complaint beside it
    assert "test_fails_on_its_own_after_starting_xvfb_unmarked started Xvfb but is not marked display" in out

    selected = inner_pytest(tmp_path, "--collect-only", "-q", "-m", "display")
    assert sorted(line.split("::")[1] for line in selected.stdout.splitlines() if "::" in line) == [
        "test_marked_without_a_screen", "test_starts_xvfb_marked", "test_the_fixture_marks_it"]
