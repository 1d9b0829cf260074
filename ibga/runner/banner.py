"""A message across the X screen while nothing else shows (IBGA's ``show_text``: "Installing IBG ...").

A person who opens noVNC during the first start sees why the screen is not the gateway yet.
It is a separate small Tk program, so that it can be shown and taken away without touching
the supervisor's threads; it is never shown while the runner looks at the screen.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys

from ibga.runner.secrecy import child_environment

BACKGROUND = "#1c1c1c"
FOREGROUND = "#e8e8e8"


class Banner:
    """One message on `display`; `say` replaces it, `close` takes it away. Failures are silent:
    a missing Tk only means no message."""

    def __init__(self, display: str):
        self.display = display
        self.process: subprocess.Popen | None = None

    def say(self, text: str) -> None:
        self.close()
        with contextlib.suppress(OSError):
            self.process = subprocess.Popen([sys.executable, "-m", "ibga.runner.banner", text],
                                            env=child_environment(self.display),
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _show(text: str) -> None:
    import tkinter

    root = tkinter.Tk()
    root.overrideredirect(True)
    width, height = root.winfo_screenwidth(), root.winfo_screenheight()
    root.geometry(f"{width}x{height}+0+0")
    root.configure(background=BACKGROUND)
    tkinter.Label(root, text=text, background=BACKGROUND, foreground=FOREGROUND,
                  font=("DejaVu Sans", 18)).place(relx=0.5, rely=0.5, anchor="center")
    root.mainloop()


if __name__ == "__main__":
    _show(" ".join(sys.argv[1:]))
