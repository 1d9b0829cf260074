"""Shared fixtures: a private Xvfb per test session, and small Java programs to look at; the `display`
marker kept exact (see `pytest_collection_modifyitems` and `pytest_runtest_makereport`)."""

from __future__ import annotations

import os
import queue
import shlex
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from ibga.runner.display import Screen
from ibga.runner.xvfb import start_xvfb

PROGRAMS = Path(__file__).parent / "programs"


# -- the display marker: exactly the tests that start Xvfb -------------------------------------------


def pytest_collection_modifyitems(items):
    """Mark `display` every test that uses the xvfb fixture, directly or through another fixture
    (screen, run_java, gateway, start_runner ...). Tests that start Xvfb themselves (start_xvfb,
    `ibga demo`, `ibga supervise`) carry the mark in their own file; `pytest_runtest_makereport`
    fails them when they do not."""
    for item in items:
        if "xvfb" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.display)


_xvfb_log = pytest.StashKey[tuple[Path, str]]()
"""The log of Xvfb starts, and PATH as it was before."""
_xvfb_starts = pytest.StashKey[int]()
"""How many Xvfb starts the log held when the test's setup began."""


def pytest_configure(config):
    """Put first on PATH an ``Xvfb`` that notes each start in a log, then runs the real one in its place.

    Every way a test starts a screen finds Xvfb on PATH (start_xvfb in this process or in an `ibga`
    child), so the log tells which test started one, whatever the code path. Nothing is put in place
    when Xvfb is not installed: the tests that need it say so.
    """
    real = shutil.which("Xvfb")
    if real is None:
        return
    directory = Path(tempfile.mkdtemp(prefix="ibga-tests-xvfb-"))
    log = directory / "starts.log"
    log.touch()
    stand_in = directory / "Xvfb"
    stand_in.write_text(f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\nexec {shlex.quote(real)} "$@"\n')
    stand_in.chmod(0o755)
    config.stash[_xvfb_log] = (log, os.environ.get("PATH", ""))
    os.environ["PATH"] = f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"


def pytest_unconfigure(config):
    if _xvfb_log in config.stash:
        log, path = config.stash[_xvfb_log]
        os.environ["PATH"] = path
        shutil.rmtree(log.parent, ignore_errors=True)


def _xvfb_start_count(config) -> int | None:
    if _xvfb_log not in config.stash:
        return None
    return len(config.stash[_xvfb_log][0].read_text().splitlines())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    count = _xvfb_start_count(item.config)
    if count is not None:
        item.stash[_xvfb_starts] = count


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Fail a test that started Xvfb (in its setup or its body) without the `display` mark, and a
    passing test with the mark that neither uses the xvfb fixture nor started Xvfb: `-m display` and
    `-m "not display"` must select what they say."""
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or _xvfb_starts not in item.stash:
        return
    started = _xvfb_start_count(item.config) > item.stash[_xvfb_starts]
    marked = item.get_closest_marker("display") is not None
    if started and not marked:
        wrong = f"{item.nodeid} started Xvfb but is not marked display: add @pytest.mark.display"
    elif marked and not started and report.passed and "xvfb" not in item.fixturenames:
        wrong = f"{item.nodeid} is marked display but started no Xvfb, nor uses the xvfb fixture: unmark it"
    else:
        return
    if report.failed:  # keep the test's own failure in view
        report.sections.append(("display marker", wrong))
    else:
        report.outcome, report.longrepr = "failed", wrong


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
