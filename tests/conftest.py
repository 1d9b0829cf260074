"""Shared fixtures: a private Xvfb per test session, and small Java programs to look at."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from ibga.runner.display import Screen
from ibga.runner.xvfb import start_xvfb

PROGRAMS = Path(__file__).parent / "programs"


@pytest.fixture(scope="session")
def xvfb():
    """A real Xvfb (1024x768x24) on a free display number; stopped after the session."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed: run tools/setup")
    server = start_xvfb(1024, 768, 24)
    yield server
    server.stop()


@pytest.fixture
def screen(xvfb):
    with Screen(xvfb.display) as s:
        yield s


class JavaProgram:
    """A running Java program whose stdout lines can be awaited."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout: float = 10.0) -> str:
        return self.lines.get(timeout=timeout)

    def stop(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="session")
def java_classes(tmp_path_factory):
    """tests/programs/*.java compiled once per session."""
    if shutil.which("javac") is None:
        pytest.fail("javac is not installed: run tools/setup")
    out = tmp_path_factory.mktemp("java-classes")
    subprocess.run(["javac", "-d", str(out), *map(str, PROGRAMS.glob("*.java"))], check=True)
    return out


@pytest.fixture
def run_java(xvfb, java_classes):
    """Start a program of tests/programs on the test's Xvfb; wait for its READY line."""
    started: list[JavaProgram] = []

    def run(name: str) -> JavaProgram:
        env = dict(os.environ, DISPLAY=xvfb.display)
        process = subprocess.Popen(
            ["java", "-cp", str(java_classes), name],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        program = JavaProgram(process)
        started.append(program)
        assert program.next_line(timeout=30) == "READY"
        return program

    yield run
    for program in started:
        program.stop()


@pytest.fixture(scope="session")
def replica_launcher(tmp_path_factory):
    """The replica gateway installed once per session by its installer, as the real one is."""
    from ibga.replica import install

    return install(tmp_path_factory.mktemp("replica") / "ibg")
