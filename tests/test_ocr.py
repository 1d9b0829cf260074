"""Reading words (ibga.recognition.ocr): nothing of the C libraries on the user's terminal, boxes kept
inside the frame."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from ibga.corpus.images import load_rgb
from ibga.recognition.ocr import read_words

ROOT = Path(__file__).resolve().parent.parent
PRECAUTIONS = ROOT / "fixtures" / "screens" / "replica-10.41.1" / "settings" / \
    "1024x768-origin-paper-api-precautions.png"
"""A screen on which Tesseract's own layout analysis makes Leptonica print ``Error in
boxClipToRectangle: box outside rectangle`` (Leptonica 1.87, Tesseract 5.5)."""


def test_reading_words_writes_nothing_on_stderr():
    """The word path as the model build and the runner take it, in two threads (one engine each), in a
    child process: Leptonica writes to file descriptor 2 from C, where only a process's own stderr
    sees it."""
    code = textwrap.dedent(f"""
        import threading
        from ibga.corpus.images import load_rgb
        from ibga.recognition.ocr import read_words
        from ibga.recognition.tolerant import learn_words

        frame = load_rgb({str(PRECAUTIONS)!r})
        counts = []
        worker = threading.Thread(target=lambda: counts.append(len(read_words(frame))))
        worker.start()
        words, _ = learn_words([(frame, (-80, -35, 860, 620))], {{}})  # the build's window box, off screen
        worker.join()
        print(len(words), counts[0])
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            timeout=300)  # a hang guard
    assert result.returncode == 0, result.stderr
    learned, read = map(int, result.stdout.split())
    assert learned > 50 and read > 50  # the words were read: a quiet failure would prove nothing
    assert [line for line in result.stderr.splitlines() if "Error in" in line] == []
    assert result.stderr == ""


def test_a_box_outside_the_frame_reads_nothing():
    """A box above and left of the frame holds no pixel; a negative end must not count from the far side."""
    frame = load_rgb(PRECAUTIONS)
    inside = read_words(frame, box=(0, 0, 400, 300))
    assert inside  # words there ...
    assert read_words(frame, box=(-100, -50, 500, 350)) == inside  # ... read alike from a box that sticks out
    assert read_words(frame, box=(-500, -400, 400, 300)) == []  # none in a box that ends before the frame
