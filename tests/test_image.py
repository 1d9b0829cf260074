"""The container image, built for real from the Dockerfile (tools/image-test --short).

No Docker engine runs on these machines, so tools/image-test makes the Dockerfile's base with
debootstrap and builds with podman's chroot isolation, then runs `ibga --version` and `ibga doctor`
inside the built image: the apt-get, pip and COPY steps all work on Debian 12 and every program
ibga needs is in the image. The full run (entrypoint, install from IBG_DOWNLOAD_URL, login, health,
ib_async on 4000, noVNC) takes ~4 minutes more and is run by hand: `tools/image-test`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ibga

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("debootstrap", "podman", "buildah")


def test_image_builds_and_has_everything_ibga_needs() -> None:
    if os.geteuid() != 0:
        pytest.skip("building the image needs root (debootstrap, chroot)")
    if not shutil.which("apt-get") and not all(shutil.which(t) for t in TOOLS):
        pytest.skip("needs apt-get to install debootstrap, podman and buildah")
    tool = [sys.executable, str(ROOT / "tools" / "image-test")]
    host = subprocess.run([*tool, "--check-host"], capture_output=True, text=True, timeout=900)
    if host.returncode == 3:  # e.g. a chroot whose / is no mount point: podman cannot unpack layers
        pytest.skip(host.stdout.strip().splitlines()[-1])
    assert host.returncode == 0, host.stdout + host.stderr
    result = subprocess.run([*tool, "--short"], capture_output=True, text=True, timeout=1800)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-4000:]
    assert "image-test: OK" in out
    assert f"ibga {ibga.__version__}" in out, out[-4000:]
    doctor = [line for line in out.splitlines() if line.startswith(("ok ", "MISSING ", "optional "))]
    assert len(doctor) >= 10, out[-4000:]
    assert not [line for line in doctor if line.startswith("MISSING")], "\n".join(doctor)
