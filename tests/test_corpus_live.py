"""Recording a live session (ibga.corpus.live) and reviewing its proposals (ibga.corpus.review).

Recording runs against a real Xvfb with real Swing programs; review runs on proposals
written by the recorder, with scripted answers on an input stream.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from waiting import wait_for

from ibga.corpus.images import load_rgb
from ibga.corpus.live import LiveRecorder, Settler, changed_pixels, mask_secrets, record
from ibga.corpus.review import review
from ibga.recognition.contract import Element, Recognition, label_problems

ROOT = Path(__file__).resolve().parent.parent


def proposals(root: Path, source: str) -> list[Path]:
    return sorted((root / source / "_proposed").glob("*.png"))


def frame_with(colour=(30, 30, 30), size=(200, 120)) -> np.ndarray:
    width, height = size
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:] = colour
    return frame


# -- change detection and settling (no display) ---------------------------------------


def test_changed_pixels_counts_pixels_and_boxes_them():
    a = frame_with()
    b = a.copy()
    assert changed_pixels(a, b) == (0, None)
    b[10:20, 30:32] = (255, 255, 255)
    assert changed_pixels(a, b) == (20, (30, 10, 2, 10))


def test_settler_reports_a_frame_once_after_n_unchanged_polls():
    settler = Settler(settle_polls=3, tiny=30)
    a, b = frame_with((10, 10, 10)), frame_with((200, 0, 0))
    assert [settler.feed(a) is not None for _ in range(5)] == [False, False, False, True, False]
    assert settler.feed(b) is None  # a big change starts a new run
    assert [settler.feed(b) is not None for _ in range(3)] == [False, False, True]


def test_settler_ignores_a_blinking_caret():
    settler = Settler(settle_polls=3, tiny=30)
    on = frame_with()
    on[50:68, 100] = (255, 255, 255)  # an 18-pixel caret
    off = frame_with()
    settled = [settler.feed(on if i % 2 else off) is not None for i in range(6)]
    assert settled == [False, False, False, True, False, False]


# -- the password mask ------------------------------------------------------------------


def test_mask_fills_password_boxes_with_one_colour():
    frame = frame_with((40, 40, 40), (300, 100))
    frame[20:40, 50:150] = (250, 250, 250)  # the field
    frame[25:35, 60:120:3] = (0, 0, 0)  # its bullets
    label = {"elements": {"password": {"box": [50, 20, 100, 20]}, "fix_password": {"box": [0, 80, 10, 10]},
                          "username": {"box": [0, 0, 40, 10]}}}
    frame[0:10, 0:40:2] = (1, 2, 3)
    masked, names = mask_secrets(frame, label)
    assert names == ["fix_password", "password"]
    assert len(np.unique(masked[20:40, 50:150].reshape(-1, 3), axis=0)) == 1
    assert tuple(masked[30, 100]) == (250, 250, 250)  # the field's own background, not a loud colour
    assert np.array_equal(masked[0:10, 0:40], frame[0:10, 0:40])  # other elements untouched
    assert not np.array_equal(masked, frame) and frame[25, 60].tolist() == [0, 0, 0]  # a copy


def test_recorder_masks_the_password_field_of_a_real_swing_window(tmp_path, screen, run_java):
    run_java("EchoField")
    screen.click(400, 120)
    screen.type_text("s3cret-PASS")
    field = (100, 100, 600, 40)

    def fake_recognizer(frame):
        return Recognition("login", 0.9, field, {"password": Element(field)})

    def typed_frame():
        f = screen.grab()
        return [f] if len(np.unique(f[100:140, 100:700].reshape(-1, 3), axis=0)) > 2 else None

    time.sleep(0.5)  # let Swing paint the last character
    (frame,) = wait_for(typed_frame)
    recorder = LiveRecorder(tmp_path, "gw", recognizer=fake_recognizer)
    png = recorder.offer(frame)
    saved = load_rgb(png)
    x, y, w, h = field
    assert len(np.unique(saved[y:y + h, x:x + w].reshape(-1, 3), axis=0)) == 1
    assert np.array_equal(saved[:y], frame[:y])
    label = json.loads(png.with_suffix(".json").read_text())
    assert label["screen"] == "login" and label["capture"]["masked"] == ["password"]
    assert label["capture"]["proposed_by"] == "recognizer"


# -- recording a live session -----------------------------------------------------------


def test_live_session_proposes_each_settled_screen_once(tmp_path, xvfb, screen, run_java):
    stop = threading.Event()
    done: list = []
    thread = threading.Thread(target=lambda: done.append(
        record(screen.display, tmp_path, "gw-test", recognizer=None, stop=stop, log=lambda _m: None)))
    thread.start()
    try:
        time.sleep(1.0)
        assert proposals(tmp_path, "gw-test") == []  # an empty (one-colour) screen is not proposed
        run_java("Patches")
        wait_for(lambda: len(proposals(tmp_path, "gw-test")) == 1)
        program = run_java("EchoField")
        wait_for(lambda: len(proposals(tmp_path, "gw-test")) == 2)

        # focus the field: its caret blinks, a change of a few pixels, which proposes nothing
        screen.click(400, 120)
        frames = []
        for _ in range(12):
            frames.append(screen.grab())
            time.sleep(0.15)
        blinks = [changed_pixels(frames[0], f)[0] for f in frames]
        assert 0 < max(blinks) < 30, blinks
        time.sleep(1.0)
        assert len(proposals(tmp_path, "gw-test")) == 2
        second = proposals(tmp_path, "gw-test")[1].with_suffix(".json")
        volatile = wait_for(lambda: json.loads(second.read_text())["capture"].get("volatile"))
        vx, vy, vw, vh = volatile[0]
        assert vx >= 100 and vx + vw <= 700 and vy >= 100 and vy + vh <= 140  # inside the field
        assert program.process.poll() is None
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()

    first, second = proposals(tmp_path, "gw-test")
    assert [p.name for p in (first, second)] == ["0001.png", "0002.png"]
    assert tuple(load_rgb(first)[35, 45]) == (255, 0, 0)  # Patches' red block
    assert tuple(load_rgb(second)[120, 400]) != (0, 0, 0)  # EchoField over it
    for png in (first, second):
        label = json.loads(png.with_suffix(".json").read_text())
        assert label["screen"] == "unknown" and label["score"] == 0.0
        assert label["source"] == "gw-test" and label["review"] == "pending"
        capture = label["capture"]
        assert capture["variant"] == f"live-{png.stem}" and capture["proposed_by"] == "none"
        assert capture["screen_size"] == [1024, 768] and capture["depth"] == 24 and capture["recorded"]
        assert label_problems(label, (1024, 768)) == []
    assert done and [p.name for p in done[0]] == ["0001.png", "0002.png"]


def guarded_record(*args, **kwargs) -> tuple[list[Path], bool]:
    """`record` with a hang guard (its stop event, set after 60 s): what it wrote, and whether the guard
    ended it rather than its own duration or frame count."""
    guard = threading.Event()
    timer = threading.Timer(60, guard.set)
    timer.start()
    try:
        return record(*args, stop=guard, log=lambda _m: None, **kwargs), guard.is_set()
    finally:
        timer.cancel()


def test_recording_stops_after_duration_and_max_frames(tmp_path, screen, run_java):
    started = time.monotonic()
    assert guarded_record(screen.display, tmp_path, "gw", recognizer=None, duration=1.0) == ([], False)
    assert time.monotonic() - started >= 1.0  # not before its duration
    run_java("Patches")
    written, guarded = guarded_record(screen.display, tmp_path, "gw", recognizer=None, max_frames=1)
    assert [p.name for p in written] == ["0001.png"] and not guarded
    # numbering goes on after what is already there
    written, guarded = guarded_record(screen.display, tmp_path, "gw", recognizer=None, max_frames=1)
    assert [p.name for p in written] == ["0002.png"] and not guarded


def test_capture_live_cli_stops_cleanly_on_sigterm(tmp_path, xvfb, run_java):
    run_java("Patches")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "capture"), "--live", "--display", xvfb.display,
         "--source", "10.45.1j", "--out", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        wait_for(lambda: len(proposals(tmp_path, "10.45.1j")) == 1, timeout=30)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "1 proposal" in out and "tools/review" in out


# -- reviewing proposals ----------------------------------------------------------------


@pytest.fixture
def four_proposals(tmp_path):
    """Four proposals of one session: a good 'login' one and three unknown ones."""
    root = tmp_path / "screens"
    frame = frame_with((40, 40, 40), (320, 240))
    frame[20:200, 20:300] = (60, 60, 60)

    def login(_frame):
        return {"screen": "login", "score": 0.93, "window": [20, 20, 280, 180],
                "elements": {"username": {"box": [40, 40, 100, 20]}}, "state": {}, "also": []}

    LiveRecorder(root, "10.45.1j", recognizer=login).offer(frame)
    for shade in (90, 120, 150):
        other = frame.copy()
        other[60:120, 60:200] = (shade, shade, shade)
        LiveRecorder(root, "10.45.1j", recognizer=None).offer(other)
    return root


def run_review(folder: Path, answers: list[str], tmp_path: Path):
    out = io.StringIO()
    counts = review(folder, io.StringIO("\n".join(answers) + "\n"), out, annotated=tmp_path / "review")
    return counts, out.getvalue()


def test_review_accepts_corrects_drops_and_skips(four_proposals, tmp_path):
    source = four_proposals / "10.45.1j"
    answers = [
        "a",                                   # 0001: the recognizer's login is right
        "c", "nonsense", "main_window",        # 0002: an unknown id is refused, then corrected
        "window 10 10 300 220", "menu.file 15 15 30 14", "bogus line", "",
        "api_server=connected", "",
        "x", "d",                              # 0003: a wrong answer is asked again, then dropped
        "s",                                   # 0004: left for later
    ]
    counts, text = run_review(source, answers, tmp_path)
    assert counts == {"accepted": 1, "corrected": 1, "dropped": 1, "skipped": 1}
    assert "'nonsense' is not a screen id" in text
    assert "bogus line" in text  # told what was not understood
    for n in ("0001", "0002", "0003", "0004"):
        assert (tmp_path / "review" / f"{n}.png").exists()  # the annotated picture shown
    assert str(tmp_path / "review" / "0001.png") in text

    accepted = source / "login" / "live-0001.json"
    corrected = source / "main_window" / "live-0002.json"
    for path, verdict in ((accepted, "accepted"), (corrected, "corrected")):
        label = json.loads(path.read_text())
        assert label["review"] == verdict and label["source"] == "10.45.1j"
        frame = load_rgb(path.with_suffix(".png"))
        assert label_problems(label, (frame.shape[1], frame.shape[0])) == []
    label = json.loads(corrected.read_text())
    assert label["window"] == [10, 10, 300, 220]
    assert label["elements"] == {"menu.file": {"box": [15, 15, 30, 14]}}
    assert label["state"] == {"api_server": "connected"}
    assert label["capture"]["variant"] == "live-0002"
    assert [p.name for p in proposals(four_proposals, "10.45.1j")] == ["0004.png"]
    assert json.loads((source / "_proposed" / "0004.json").read_text())["review"] == "pending"
    assert not (source / "_proposed" / "0003.json").exists()


def test_review_refuses_to_accept_an_invalid_label(four_proposals, tmp_path):
    source = four_proposals / "10.45.1j"
    # 0002 is unknown; correcting it to 'login' without a window box cannot be valid
    counts, text = run_review(source, ["s", "c", "logn", "login", "", "", "q"], tmp_path)
    assert "'logn' is not a screen id; did you mean login" in text
    assert "window" in text and "not saved" in text
    assert counts == {"skipped": 1}
    assert len(proposals(four_proposals, "10.45.1j")) == 4


def test_review_deletes_an_element(four_proposals, tmp_path):
    source = four_proposals / "10.45.1j"
    counts, _ = run_review(source, ["c", "", "-username", "", "", "q"], tmp_path)
    assert counts == {"corrected": 1}
    assert json.loads((source / "login" / "live-0001.json").read_text())["elements"] == {}


def test_review_cli_ends_at_end_of_input(four_proposals, tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "review"), str(four_proposals),
                             "--annotated", str(tmp_path / "ann")],
                            input="a\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "accepted 1" in result.stdout
    assert (four_proposals / "10.45.1j" / "login" / "live-0001.png").exists()


def test_review_of_everything_leaves_no_proposed_folder(four_proposals, tmp_path):
    counts, text = run_review(four_proposals, ["a", "d", "d", "d"], tmp_path)
    assert counts == {"accepted": 1, "dropped": 3}
    assert not (four_proposals / "10.45.1j" / "_proposed").exists()
    assert "0 still pending" in text
