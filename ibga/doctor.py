"""`ibga doctor`: check that this machine has what ibga needs, one line per item."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ibga.runner.secrecy import child_environment


@dataclass
class Check:
    name: str
    required: bool
    run: Callable[[], tuple[bool, str]]  # (ok, detail or what to install)


def _binary(name: str, package: str) -> Callable[[], tuple[bool, str]]:
    def run():
        path = shutil.which(name)
        return (True, path) if path else (False, f"apt-get install {package}")

    return run


def _python() -> tuple[bool, str]:
    ok = sys.version_info >= (3, 11)
    return ok, sys.version.split()[0] + ("" if ok else " (ibga needs Python 3.11 or newer)")


def _java_swing() -> tuple[bool, str]:
    java = shutil.which("java")
    if java is None:
        return False, "apt-get install openjdk-17-jdk"
    try:
        out = subprocess.run(
            [java, "-XshowSettings:properties", "-version"],
            capture_output=True, text=True, timeout=30, env=child_environment(),
        ).stderr
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"java does not run: {exc}"
    home = next((ln.split("=", 1)[1].strip() for ln in out.splitlines()
                 if ln.strip().startswith("java.home =")), None)
    version = next((ln.split("=", 1)[1].strip() for ln in out.splitlines()
                    if ln.strip().startswith("java.version =")), "?")
    if home is None or not (Path(home) / "lib" / "libawt_xawt.so").exists():
        return False, f"java {version} is headless (no libawt_xawt.so): apt-get install openjdk-17-jdk"
    return True, f"java {version} at {home}"


def _javac() -> tuple[bool, str]:
    path = shutil.which("javac")
    if path:
        return True, path
    return False, "apt-get install openjdk-17-jdk (the replica compiles at install)"


def _fonts() -> tuple[bool, str]:
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    return (True, str(font)) if font.exists() else (False, "apt-get install fonts-dejavu-core")


def _tesseract() -> tuple[bool, str]:
    from ibga.recognition import ocr

    try:
        import tesserocr
    except ImportError as exc:
        return False, f"pip install tesserocr ({exc})"
    data = ocr.tessdata_dir()
    if data is None:
        return False, "apt-get install tesseract-ocr-eng"
    return True, f"tesserocr {tesserocr.tesseract_version().split()[1]}, {data}"


def _python_module(module: str, package: str, minimum: tuple[int, ...] | None = None):
    def run():
        try:
            mod = __import__(module)
        except Exception as exc:  # an import can fail in more ways than ImportError
            return False, f"pip install {package} ({type(exc).__name__}: {exc})"
        version = getattr(mod, "__version__", None)
        if isinstance(version, tuple):  # python-xlib says (0, 33)
            version = ".".join(map(str, version))
        if not isinstance(version, str):
            try:
                version = importlib.metadata.version(package)
            except importlib.metadata.PackageNotFoundError:
                version = "?"
        if minimum is not None:
            parts = tuple(int(p) for p in str(version).split(".")[:len(minimum)] if p.isdigit())
            if parts < minimum:
                return False, (f"{module} {version} is too old: "
                               f"pip install --force-reinstall --no-deps {package}")
        return True, f"{module} {version}"

    return run


def _tkinter() -> tuple[bool, str]:
    try:
        import tkinter
    except ImportError:
        return False, "apt-get install python3-tk (pyautogui's mouseinfo imports tkinter)"
    return True, f"Tk {tkinter.TkVersion}"


def _display() -> tuple[bool, str]:
    display = os.environ.get("DISPLAY")
    if not display:
        return True, "DISPLAY not set (nothing to check)"
    try:
        from Xlib.display import Display

        d = Display(display)
        screen = d.screen()
        detail = f"{display} answers: {screen.width_in_pixels}x{screen.height_in_pixels}x{screen.root_depth}"
        d.close()
        return True, detail
    except Exception as exc:
        return False, f"DISPLAY={display} does not answer ({type(exc).__name__}: {exc})"


CHECKS = [
    Check("python", True, _python),
    Check("Xvfb", True, _binary("Xvfb", "xvfb")),
    Check("java (Swing)", True, _java_swing),
    Check("javac", True, _javac),
    Check("fonts (DejaVu Sans)", True, _fonts),
    Check("python-xlib", True, _python_module("Xlib", "python-xlib", (0, 33))),
    Check("mss", True, _python_module("mss", "mss")),
    Check("numpy", True, _python_module("numpy", "numpy")),
    Check("Pillow", True, _python_module("PIL", "Pillow")),
    Check("pyotp", True, _python_module("pyotp", "pyotp")),
    Check("tkinter", True, _tkinter),
    Check("tesseract (OCR)", True, _tesseract),
    Check("display", True, _display),
]


def doctor(out=sys.stdout) -> int:
    """Print one line per check; return 1 when a required item is missing, else 0."""
    missing = []
    width = max(len(c.name) for c in CHECKS)
    for check in CHECKS:
        ok, detail = check.run()
        if ok:
            status = "ok"
        elif check.required:
            status = "MISSING"
            missing.append(check.name)
        else:
            status = "optional"
        print(f"{status:8} {check.name:{width}}  {detail}", file=out)
    if missing:
        print(f"missing: {', '.join(missing)}; tools/setup (as root) installs the packages", file=out)
    return 1 if missing else 0
