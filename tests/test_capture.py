"""Capturing the corpus from the replica: exact labels, repeatable runs."""

from __future__ import annotations

import json

import pytest

from ibga.corpus.capture import CaptureSession, CaptureStats, Config
from ibga.corpus.images import load_rgb
from ibga.corpus.tours import tour_login
from ibga.recognition.contract import label_problems
from ibga.replica import ReplicaProcess

pytestmark = pytest.mark.display


def capture_login(out, launcher, xvfb, screen, work, position=None):
    config = Config(1024, 768, "origin" if position else "centre", position)
    stats = CaptureStats()
    make = CaptureSession.factory(out, "replica-test", config, screen, stats)
    runs = []

    def start(scenario, settings=None):
        settings_dir = work / f"run-{len(runs)}"
        session = make(lambda full: ReplicaProcess(launcher, settings_dir, xvfb.display, full), scenario)
        runs.append(session.replica)
        return session

    try:
        tour_login(start)
    finally:
        for replica in runs:
            replica.stop()
    return stats


def test_login_tour_labels_are_exact_and_valid(replica_launcher, xvfb, screen, tmp_path):
    stats = capture_login(tmp_path / "corpus", replica_launcher, xvfb, screen, tmp_path / "work", (0, 0))
    assert len(stats.written) >= 10
    for png in stats.written:
        label = json.loads(png.with_suffix(".json").read_text())
        frame = load_rgb(png)
        assert label_problems(label, (frame.shape[1], frame.shape[0])) == []
        assert label["screen"] == "login"
        assert label["window"] == [0, 0, 790, 610]
        if label["capture"]["depth"] == 16:
            assert (frame[..., 0] & 0x07 == frame[..., 0] >> 5).all()  # RGB565 expanded
    typed = json.loads((tmp_path / "corpus/replica-test/login/1024x768-origin-paper-ibapi-typed.json")
                       .read_text())
    assert typed["elements"]["login_button"]["enabled"] is True
    assert typed["state"] == {**typed["state"], "api_type": "IB API", "trading_mode": "Paper Trading"}
    empty = json.loads((tmp_path / "corpus/replica-test/login/1024x768-origin-paper-ibapi-empty.json")
                       .read_text())
    assert empty["elements"]["login_button"]["enabled"] is False
    # the real gateway's labelled box (reference-screens) and the replica's differ by a few px at most
    x, y, w, h = empty["elements"]["username"]["box"]
    assert abs(x - 220) <= 4 and abs(y - 261) <= 4


def test_a_second_capture_gives_the_same_files_labels_and_pixels(replica_launcher, xvfb, screen, tmp_path):
    first = capture_login(tmp_path / "a", replica_launcher, xvfb, screen, tmp_path / "wa")
    second = capture_login(tmp_path / "b", replica_launcher, xvfb, screen, tmp_path / "wb")
    names_a = sorted(p.relative_to(tmp_path / "a") for p in first.written)
    names_b = sorted(p.relative_to(tmp_path / "b") for p in second.written)
    assert names_a == names_b
    for name in names_a:
        label_a = json.loads((tmp_path / "a" / name).with_suffix(".json").read_text())
        label_b = json.loads((tmp_path / "b" / name).with_suffix(".json").read_text())
        assert label_a == label_b, name
        assert (load_rgb(tmp_path / "a" / name) == load_rgb(tmp_path / "b" / name)).all(), name
