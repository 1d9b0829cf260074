"""Secrets stay where the user put them: not in a child process's environment, not in any log line or
traceback. The processes of `ibga supervise` and `ibga demo` are read from /proc in test_demo.py."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ibga.runner import secrecy

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Pa55-word-é"
TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
USERNAME = "trader7q"


@pytest.mark.parametrize(("name", "value", "kept"), [
    ("PATH", "/usr/bin:/bin", True),
    ("LANG", "C.UTF-8", True),
    ("HOME", "/home/ibg", True),
    ("IBG_DIR", "/home/ibg", True),
    ("IBG_REPLICA_SCENARIO", "/tmp/scenario.json", True),  # the replica's, not a secret
    ("JAVA_TOOL_OPTIONS", "-Xmx768m", True),
    ("IB_USERNAME", USERNAME, False),
    ("IB_PASSWORD", PASSWORD, False),
    ("IB_PASSWORD_FILE", "/run/secrets/ib_password", False),
    ("TOTP_KEY", TOTP_KEY, False),
    ("TOTP_KEY_FILE", "/run/secrets/totp", False),
    ("IBGA_VNC_PASSWORD", "vnc-pass", False),
    ("IBGA_WEBHOOK_URL", "https://hooks.example/T0KEN", False),
    ("IB_LOGINTYPE", "paper", False),  # configuration: no child needs it
    ("TWS_USERID", USERNAME, False),  # gnzsnz's names
    ("TWS_PASSWORD", PASSWORD, False),
    ("TWS_PASSWORD_FILE", "/run/secrets/tws", False),
    ("VNC_SERVER_PASSWORD", "vnc-pass", False),
    ("TWSUSERID", USERNAME, False),  # IBC's start scripts and config.ini
    ("IbLoginId", USERNAME, False),
    ("FIXUSERID", USERNAME, False),
    ("MY_BROKER_API_TOKEN", "abc", False),  # named like a secret
    ("GPG_KEY", "abc", False),
    ("DB_PASS", "abc", False),
    ("SOME_COPY", "the-hidden-value-42", False),  # a hidden value under any name
])
def test_a_child_gets_no_secret_in_its_environment(name, value, kept):
    secrecy.hide(["the-hidden-value-42"])
    env = secrecy.child_environment(":7", {name: value, "DISPLAY": ":0"})
    assert (name in env) is kept
    assert env["DISPLAY"] == ":7"
    assert "DISPLAY" not in secrecy.child_environment(None, {"DISPLAY": ":0"})


def test_hidden_values_are_blanked_longest_first_and_short_ones_left():
    secrecy.hide(["hunter22", "hunter22-extra", "abc", None, ""])
    assert secrecy.redact("typed hunter22-extra, then hunter22 and abc") == \
        "typed <hidden>, then <hidden> and abc"


PLANTED = """
import logging, os, sys, threading
import ibga.runner.loop as loop
from ibga.runner.gateway import GatewayError

secret = os.environ["IB_PASSWORD"]

def planted(ibg_dir):
    logging.getLogger("ibga.runner.install").error("child logger says %s", secret)
    logging.getLogger("urllib3.connectionpool").warning("third party says " + os.environ["TOTP_KEY"])
    try:
        raise RuntimeError("exception says " + secret)
    except RuntimeError:
        logging.getLogger("ibga.supervise").exception("a child's traceback follows")
    def fail():
        raise ValueError("thread says " + os.environ["IB_USERNAME"])
    thread = threading.Thread(target=fail, name="planted")
    thread.start()
    thread.join()
    raise GatewayError("the runner's own logger says " + secret)

loop.find_launcher = planted
from ibga.cli import main
code = main(["run"])
print("exit code", code, flush=True)
raise RuntimeError("uncaught in main: " + secret)
"""


def test_no_secret_reaches_the_log_from_children_third_parties_or_tracebacks(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IB_", "IBG_", "IBGA_", "TOTP_"))}
    env.update(IB_USERNAME=USERNAME, IB_PASSWORD=PASSWORD, TOTP_KEY=TOTP_KEY, DISPLAY=":9999",
               IBG_DIR=str(tmp_path / "ibg"), IBG_SETTINGS_DIR=str(tmp_path / "settings"))
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(PLANTED)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    out = result.stdout + result.stderr
    # every planted record got through, blanked: the check can see a leak if there is one
    for said in ("child logger says <hidden>", "third party says <hidden>", "exception says <hidden>",
                 "a child's traceback follows", "thread says <hidden>",
                 "the runner's own logger says <hidden>", "uncaught in main: <hidden>", "exit code 1"):
        assert said in out, f"{said!r} missing from:\n{out}"
    for secret in (PASSWORD, TOTP_KEY, USERNAME):
        assert secret not in out, f"a secret leaked:\n{out}"
