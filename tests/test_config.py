"""ibga.runner.config: IBGA's variables read as IBGA reads them, ibga's extras, secrets that never show."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

import ibga.runner.config as config_module
from ibga.runner.config import (
    ApiType,
    ClockTime,
    ConfigError,
    ExistingSession,
    LogLevel,
    LogoffMode,
    PushTimeoutAction,
    Region,
    Secret,
    TradingMode,
    load_config,
)

# Distinctive secret values, so that finding one in a message cannot be a coincidence.
USER = "kestrel-user-4471"
PASSWORD = "Pw-9f$Kq!lantern"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
VNC = "vnc-Q7w!zebra"
WEBHOOK = "https://hooks.example.com/services/T000/B000/tok3n-wombat"
ACCOUNT = {"IB_USERNAME": USER, "IB_PASSWORD": PASSWORD}
X64_URL = ("https://download2.interactivebrokers.com/installers/ibgateway/latest-standalone/"
           "ibgateway-latest-standalone-linux-x64.sh")


def load(env: dict[str, str], machine: str = "x86_64"):
    return load_config(env, machine=machine)


def the_error(env: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load(env)
    return caught.value


# --- defaults ---------------------------------------------------------------------------------------

# IBGA's documented defaults: docs/references/config-args.md and scripts/_env.sh (CATALOG.md §6.2).
IBGA_DEFAULTS = {
    "ibg_dir": Path("/home/ibg"),
    "ibg_settings_dir": Path("/home/ibg_settings"),
    "port_internal": 9000,
    "port": 4000,
    "download_url": X64_URL,
    "log_export_dir": Path("/home/ibg_settings/exported_logs"),
    "reconnect_interval": 0,
    "read_only_api": False,  # unset = Read-Only API unchecked
    "api_log": False,
    "api_log_market_data": False,
    "log_level": None,
    "export_logs": False,
    "prefer_ib_key": False,
    "totp_key": None,
    "vnc_password": None,
    "region": None,
    "timezone": None,
    "logoff": None,
}


@pytest.mark.parametrize("field, expected", IBGA_DEFAULTS.items())
def test_defaults_are_ibgas(field, expected):
    assert getattr(load(ACCOUNT), field) == expected


@pytest.mark.parametrize("field, expected", [
    ("api_type", ApiType.IB_API),  # the gateway's own default toggle, which IBGA leaves when unset
    ("trading_mode", TradingMode.LIVE),  # IBGA clicks "Log In" unless IB_LOGINTYPE is "Paper Trading"
    ("existing_session", ExistingSession.PRIMARY),  # IBGA always takes the session over at login
    ("logoff_mode", None),  # Lock and Exit left alone without IB_LOGOFF, as IBGA
    ("second_factor_device", None),
    ("max_logins_per_day", 10),
    ("webhook_url", None),
    ("push_timeout", 180),
    ("push_timeout_action", PushTimeoutAction.RETRY),
    ("warnings", ()),
    ("demo", False),  # the replica runs only when asked for by name
    ("manual_login", False),
])
def test_defaults_of_the_rest(field, expected):
    assert getattr(load(ACCOUNT), field) == expected


@pytest.mark.parametrize("machine, suffix", [
    ("x86_64", "linux-x64.sh"), ("AMD64", "linux-x64.sh"), ("aarch64", "linux-arm.sh"),
    ("arm64", "linux-arm.sh"),
])
def test_the_default_installer_follows_the_machine_as_in_ibga(machine, suffix):
    url = load({}, machine=machine).download_url
    assert url.endswith("/latest-standalone/ibgateway-latest-standalone-" + suffix)


def test_the_log_export_dir_follows_the_settings_dir():
    assert load({"IBG_SETTINGS_DIR": "/data/ibg"}).log_export_dir == Path("/data/ibg/exported_logs")


# --- good values ------------------------------------------------------------------------------------

GOOD = [
    ({"IB_REGION": "Europe"}, "region", Region.EUROPE),
    ({"IB_REGION": "asia"}, "region", Region.ASIA),
    ({"IB_TIMEZONE": "America/New York"}, "timezone", "America/New York"),
    ({"IB_TIMEZONE": "America/New_York"}, "timezone", "America/New York"),
    ({"IB_TIMEZONE": "europe/london"}, "timezone", "Europe/London"),
    ({"IB_TIMEZONE": "America/New York"}, "zoneinfo_name", "America/New_York"),
    ({"IB_LOGINTAB": "FIX CTCI"}, "api_type", ApiType.FIX_CTCI),
    ({"IB_LOGINTAB": "fix-ctci"}, "api_type", ApiType.FIX_CTCI),
    ({"IB_LOGINTAB": "IB API"}, "api_type", ApiType.IB_API),
    ({"IB_LOGINTYPE": "Paper Trading"}, "trading_mode", TradingMode.PAPER),
    ({"IB_LOGINTYPE": "paper"}, "trading_mode", TradingMode.PAPER),
    ({"IB_LOGINTYPE": "LIVE TRADING"}, "trading_mode", TradingMode.LIVE),
    ({"IB_LOGINTYPE": "'Paper Trading'"}, "trading_mode", TradingMode.PAPER),
    ({"IB_LOGOFF": "11:45 PM"}, "logoff", ClockTime(11, 45, "PM")),
    ({"IB_LOGOFF": "11:55 pm"}, "logoff", ClockTime(11, 55, "PM")),  # IBGA upper-cases IB_LOGOFF
    ({"IB_LOGOFF": "9:05 AM"}, "logoff", ClockTime(9, 5, "AM")),
    ({"IB_LOGOFF": "12:00AM"}, "logoff", ClockTime(12, 0, "AM")),
    ({"IB_LOGOFF": '"11:45 PM"'}, "logoff", ClockTime(11, 45, "PM")),  # quotes kept by a compose list
    ({"IB_LOGOFF": "11:45 PM"}, "logoff_mode", LogoffMode.RESTART),  # IBGA always selects Auto restart
    ({"IB_LOGOFF": "11:45 PM", "IBGA_LOGOFF_MODE": "logoff"}, "logoff_mode", LogoffMode.LOGOFF),
    ({"IB_LOGOFF": "11:45 PM", "IBGA_LOGOFF_MODE": "Auto Logoff"}, "logoff_mode", LogoffMode.LOGOFF),
    ({"IBGA_LOGOFF_MODE": "restart"}, "logoff_mode", LogoffMode.RESTART),
    ({"IBGA_LOGOFF_MODE": "restart"}, "logoff", None),
    *[({"IB_READONLY": word}, "read_only_api", True)
      for word in ("true", "yes", "y", "TRUE", "Yes", "1", "on")],
    *[({"IB_READONLY": word}, "read_only_api", False) for word in ("false", "no", "n", "NO", "0", "off", "")],
    ({"IB_APILOG": "true"}, "api_log", True),
    ({"IB_APILOG": "anything"}, "api_log", True),  # IBGA: any value checks the box
    ({"IB_APILOG": "true"}, "api_log_market_data", False),
    ({"IB_APILOG": "data"}, "api_log", True),
    ({"IB_APILOG": "DATA"}, "api_log_market_data", True),
    ({"IB_APILOG": "false"}, "api_log", False),
    ({"IB_APILOG": ""}, "api_log", False),
    ({"IB_LOGLEVEL": "Info"}, "log_level", LogLevel.INFORMATION),
    ({"IB_LOGLEVEL": "Information"}, "log_level", LogLevel.INFORMATION),
    ({"IB_LOGLEVEL": "detail"}, "log_level", LogLevel.DETAIL),
    ({"IB_LOGLEVEL": "System"}, "log_level", LogLevel.SYSTEM),
    ({"IB_PREFER_IBKEY": "true"}, "prefer_ib_key", True),
    ({"IBGA_RECONNECT_INTERVAL": "600"}, "reconnect_interval", 600),
    ({"IBGA_RECONNECT_INTERVAL": "0"}, "reconnect_interval", 0),
    ({"IBGA_EXPORT_LOGS": "true"}, "export_logs", True),
    ({"IBGA_LOG_EXPORT_DIR": "/logs/ibg"}, "log_export_dir", Path("/logs/ibg")),
    ({"IBG_DIR": "/opt/ibg"}, "ibg_dir", Path("/opt/ibg")),
    ({"IBG_SETTINGS_DIR": " /srv/settings "}, "ibg_settings_dir", Path("/srv/settings")),
    ({"IBG_PORT_INTERNAL": "4001"}, "port_internal", 4001),
    ({"IBG_PORT": "1"}, "port", 1),
    ({"IBG_PORT": "65535"}, "port", 65535),
    ({"IBG_DOWNLOAD_URL": "https://mirror.example/ibg-10.37.sh"}, "download_url",
     "https://mirror.example/ibg-10.37.sh"),
    ({"IBG_DOWNLOAD_URL": "http://10.0.0.2:8080/ibg.sh"}, "download_url", "http://10.0.0.2:8080/ibg.sh"),
    ({"IBGA_EXISTING_SESSION": "secondary"}, "existing_session", ExistingSession.SECONDARY),
    ({"IBGA_EXISTING_SESSION": "MANUAL"}, "existing_session", ExistingSession.MANUAL),
    ({"IBGA_2FA_DEVICE": " IB Key "}, "second_factor_device", "IB Key"),
    ({"IBGA_MAX_LOGINS_PER_DAY": "1"}, "max_logins_per_day", 1),
    ({"IBGA_PUSH_TIMEOUT": "10"}, "push_timeout", 10),
    ({"IBGA_PUSH_TIMEOUT": "3600"}, "push_timeout", 3600),
    ({"IBGA_PUSH_TIMEOUT_ACTION": "Stop"}, "push_timeout_action", PushTimeoutAction.STOP),
]


@pytest.mark.parametrize("env, field, expected", GOOD)
def test_good_values(env, field, expected):
    assert getattr(load(ACCOUNT | env), field) == expected


@pytest.mark.parametrize("env, device", [
    ({}, None),
    ({"IB_PREFER_IBKEY": "true"}, "IB Key"),
    ({"TOTP_KEY": TOTP}, "Mobile Authenticator app"),
    ({"TOTP_KEY": TOTP, "IB_PREFER_IBKEY": "true"}, "Mobile Authenticator app"),  # TOTP wins, as in IBGA
    ({"TOTP_KEY": TOTP, "IBGA_2FA_DEVICE": "IB Key"}, "IB Key"),
    ({"IBGA_2FA_DEVICE": "SMS"}, "SMS"),
    ({"IB_PREFER_IBKEY": "true", "IBGA_2FA_DEVICE": "ib key"}, "ib key"),
])
def test_the_device_to_choose(env, device):
    assert load(ACCOUNT | env).device_to_choose == device


@pytest.mark.parametrize("text, hhmm", [("12:00 AM", (0, 0)), ("12:30 PM", (12, 30)), ("11:45 PM", (23, 45)),
                                        ("1:05 AM", (1, 5))])
def test_logoff_time_on_a_24_hour_clock(text, hhmm):
    logoff = load({"IB_LOGOFF": text}).logoff
    assert logoff.to_time() == datetime.time(*hhmm)
    assert logoff.field_text == f"{logoff.hour:02d}:{logoff.minute:02d}"


# --- bad values -------------------------------------------------------------------------------------

BAD = [
    ({"IB_REGION": "Mars"}, "IB_REGION", "'America'"),
    ({"IB_TIMEZONE": "Mars/Olympus Mons"}, "IB_TIMEZONE", "tz database"),
    ({"IB_TIMEZONE": "EST-ish"}, "IB_TIMEZONE", "tz database"),
    ({"IB_LOGINTAB": "IBAPI"}, "IB_LOGINTAB", "'IB API'"),
    ({"IB_LOGINTYPE": "demo"}, "IB_LOGINTYPE", "'Paper Trading'"),
    *[({"IB_LOGOFF": value}, "IB_LOGOFF", "hh:mm AM|PM")
      for value in ("23:45", "11:45", "13:00 PM", "0:30 AM", "11:60 PM", "11.45 PM", "noon", "11:45 PMX")],
    ({"IB_READONLY": "maybe"}, "IB_READONLY", "true/yes/y"),
    ({"IB_READONLY": "ture"}, "IB_READONLY", "true/yes/y"),
    ({"IB_PREFER_IBKEY": "always"}, "IB_PREFER_IBKEY", "true/yes/y"),
    ({"IBGA_EXPORT_LOGS": "daily"}, "IBGA_EXPORT_LOGS", "true/yes/y"),
    ({"IB_LOGLEVEL": "verbose"}, "IB_LOGLEVEL", "'Detail'"),
    ({"IBGA_RECONNECT_INTERVAL": "-5"}, "IBGA_RECONNECT_INTERVAL", "whole number"),
    ({"IBGA_RECONNECT_INTERVAL": "10s"}, "IBGA_RECONNECT_INTERVAL", "whole number"),
    ({"IBGA_RECONNECT_INTERVAL": "1.5"}, "IBGA_RECONNECT_INTERVAL", "whole number"),
    ({"IBG_PORT": "0"}, "IBG_PORT", "from 1 to 65535"),
    ({"IBG_PORT": "65536"}, "IBG_PORT", "from 1 to 65535"),
    ({"IBG_PORT": "http"}, "IBG_PORT", "from 1 to 65535"),
    ({"IBG_PORT": "-1"}, "IBG_PORT", "from 1 to 65535"),
    ({"IBG_PORT_INTERNAL": "70000"}, "IBG_PORT_INTERNAL", "from 1 to 65535"),
    ({"IBG_PORT_INTERNAL": "4000"}, "IBG_PORT", "must differ"),
    ({"IBG_DIR": "relative/ibg"}, "IBG_DIR", "absolute path"),
    ({"IBG_SETTINGS_DIR": "~/ibg"}, "IBG_SETTINGS_DIR", "absolute path"),
    ({"IBGA_LOG_EXPORT_DIR": "logs"}, "IBGA_LOG_EXPORT_DIR", "absolute path"),
    ({"IBG_DOWNLOAD_URL": "ftp://mirror.example/ibg.sh"}, "IBG_DOWNLOAD_URL", "http:// or https://"),
    ({"IBG_DOWNLOAD_URL": "mirror.example/ibg.sh"}, "IBG_DOWNLOAD_URL", "http:// or https://"),
    ({"IBG_DOWNLOAD_URL": "https://"}, "IBG_DOWNLOAD_URL", "no host name"),
    ({"IBG_DOWNLOAD_URL": "https://mirror.example:99999/ibg.sh"}, "IBG_DOWNLOAD_URL", "not a valid URL"),
    ({"IBG_DOWNLOAD_URL": "https://mirror.example/ib g.sh"}, "IBG_DOWNLOAD_URL", "spaces"),
    ({"IBGA_EXISTING_SESSION": "primaryoverride"}, "IBGA_EXISTING_SESSION", "'secondary'"),
    ({"IBGA_2FA_DEVICE": "IB\tKey"}, "IBGA_2FA_DEVICE", "control character"),
    ({"IBGA_2FA_DEVICE": "SMS", "IB_PREFER_IBKEY": "yes"}, "IB_PREFER_IBKEY", "IBGA_2FA_DEVICE"),
    ({"IBGA_MAX_LOGINS_PER_DAY": "0"}, "IBGA_MAX_LOGINS_PER_DAY", "at least 1"),
    ({"IBGA_MAX_LOGINS_PER_DAY": "many"}, "IBGA_MAX_LOGINS_PER_DAY", "at least 1"),
    ({"IBGA_LOGOFF_MODE": "shutdown"}, "IBGA_LOGOFF_MODE", "'restart'"),
    ({"IBGA_PUSH_TIMEOUT": "5"}, "IBGA_PUSH_TIMEOUT", "from 10 to 3600"),
    ({"IBGA_PUSH_TIMEOUT": "180000"}, "IBGA_PUSH_TIMEOUT", "from 10 to 3600"),
    ({"IBGA_PUSH_TIMEOUT_ACTION": "exit"}, "IBGA_PUSH_TIMEOUT_ACTION", "'retry'"),
    ({"IBGA_WEBHOOK_URL": "ftp://hooks.example.com/tok3n"}, "IBGA_WEBHOOK_URL", "http:// or https://"),
    ({"IBGA_WEBHOOK_URL": "hooks.example.com/tok3n"}, "IBGA_WEBHOOK_URL", "http:// or https://"),
    ({"IB_USERNAME": "kestrel user"}, "IB_USERNAME", "spaces"),
    ({"IB_PASSWORD": "line\nbreak"}, "IB_PASSWORD", "control character"),
]


@pytest.mark.parametrize("env, variable, fragment", BAD)
def test_bad_values_are_one_error_naming_the_variable(env, variable, fragment):
    error = the_error(ACCOUNT | env)
    assert len(error.problems) == 1, error.problems
    assert str(error) == error.problems[0]
    assert error.problems[0].startswith(variable + ": ")
    assert fragment in str(error)


def test_non_secret_values_are_quoted_in_the_error():
    assert str(the_error({"IB_LOGOFF": "23:45"})) == (
        "IB_LOGOFF: is '23:45'; use a 12-hour time hh:mm AM|PM, e.g. '11:45 PM'")


def test_every_problem_is_in_the_one_error():
    error = the_error(ACCOUNT | {"IB_REGION": "Mars", "IBG_PORT": "0", "IB_LOGOFF": "noon"})
    assert [p.split(":", 1)[0] for p in error.problems] == ["IB_REGION", "IB_LOGOFF", "IBG_PORT"]
    assert str(error).startswith("3 configuration problems:\n")
    assert all(p in str(error) for p in error.problems)


# --- the account ------------------------------------------------------------------------------------

@pytest.mark.parametrize("env", [{}, {"IB_USERNAME": ""}, {"IB_USERNAME": "  "}, {"IB_LOGINTYPE": "paper"},
                                 {"IBGA_DEMO": "false"}, {"IBGA_DEMO": "no"}, {"IBGA_DEMO": ""}])
def test_no_username_is_a_manual_login_never_the_demo(env):
    config = load(env)
    assert config.manual_login and not config.demo
    assert config.username is None and config.password is None
    first = config.describe()[0]
    assert first.startswith("mode: MANUAL LOGIN") and "noVNC" in first and "5800" in first
    assert "demo" not in first.lower() and "replica" not in first


@pytest.mark.parametrize("word", ["true", "yes", "Y", "1", "on", "'true'"])
def test_the_demo_runs_only_when_asked_for_by_name(word):
    config = load({"IBGA_DEMO": word})
    assert config.demo and not config.manual_login and config.username is None
    first = config.describe()[0]
    assert first.startswith("mode: DEMO (IBGA_DEMO=true)") and "replica" in first


def test_a_username_and_password_are_an_account():
    config = load(ACCOUNT | {"IB_USERNAME": f" {USER} "})
    assert not config.demo and not config.manual_login
    assert (config.username.reveal(), config.password.reveal()) == (USER, PASSWORD)
    assert config.describe()[0].startswith("mode: AUTOMATIC LOGIN")


@pytest.mark.parametrize("env, named", [
    ({"IBGA_DEMO": "true", **ACCOUNT}, "IB_USERNAME"),
    ({"IBGA_DEMO": "yes", "TWS_USERID": USER, "TWS_PASSWORD": PASSWORD}, "TWS_USERID"),
])
def test_the_demo_and_an_account_together_are_one_error(env, named):
    error = the_error(env)
    assert error.problems == (str(error),)
    assert str(error).startswith("IBGA_DEMO: is true, and " + named + " is set")
    assert USER not in str(error) and PASSWORD not in str(error)


def test_a_demo_switch_that_is_not_a_boolean_is_an_error():
    error = the_error({"IBGA_DEMO": "replica"})
    assert error.problems == ("IBGA_DEMO: is 'replica'; use true/yes/y or false/no/n",)


@pytest.mark.parametrize("env, variable", [
    ({"IB_PASSWORD": PASSWORD}, "IB_PASSWORD"), ({"TOTP_KEY": TOTP}, "TOTP_KEY"),
    ({"TWS_PASSWORD": PASSWORD}, "TWS_PASSWORD"),
])
def test_a_secret_without_a_username_says_to_unset_it_for_a_manual_login(env, variable):
    error = the_error(env)
    assert str(error).startswith(variable + ": is set, but IB_USERNAME is not")
    assert f"unset {variable} for a manual login" in str(error) and "demo" not in str(error)


def test_a_password_is_kept_exactly_as_given():
    assert load({"IB_USERNAME": USER, "IB_PASSWORD": " a b "}).password.reveal() == " a b "


@pytest.mark.parametrize("env, variable, fragment", [
    ({"IB_USERNAME": USER}, "IB_PASSWORD", "IB_USERNAME is"),
    ({"IB_USERNAME": USER, "IB_PASSWORD": ""}, "IB_PASSWORD", "IB_USERNAME is"),
    ({"IB_PASSWORD": PASSWORD}, "IB_PASSWORD", "IB_USERNAME is not"),
    ({"TOTP_KEY": TOTP}, "TOTP_KEY", "IB_USERNAME is not"),
])
def test_half_an_account_is_an_error(env, variable, fragment):
    error = the_error(env)
    assert error.problems == (str(error),)
    assert str(error).startswith(variable + ": ") and fragment in str(error)


# --- TOTP_KEY ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", [TOTP, TOTP.lower(), " ".join(TOTP[i:i + 4] for i in range(0, 32, 4)),
                                   "JBSWY3DPEHPK3PXPJBSWY3DPEH======"])
def test_totp_key_is_normalised(given):
    key = load(ACCOUNT | {"TOTP_KEY": given}).totp_key.reveal()
    assert key == given.replace(" ", "").upper().rstrip("=")
    assert set(key) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


@pytest.mark.parametrize("key, fragment", [
    ("NOT-BASE32-AT-ALL-8GXQLMNOPQRSTUVW", "only the letters A-Z and the digits 2-7"),
    ("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX1", "only the letters A-Z and the digits 2-7"),
    ("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPA", "length is impossible"),
    ("JBSWY3DPEHPK3PXP", "too short"),
])
def test_a_bad_totp_key_is_refused_without_showing_it(key, fragment):
    error = the_error(ACCOUNT | {"TOTP_KEY": key})
    assert str(error).startswith("TOTP_KEY: ") and fragment in str(error)
    for part in {key, key.upper(), key.replace("-", "")}:
        assert part not in str(error)


# --- *_FILE secrets ---------------------------------------------------------------------------------

SECRET_VALUES = {
    "IB_USERNAME": USER, "IB_PASSWORD": PASSWORD, "TOTP_KEY": TOTP, "IBGA_VNC_PASSWORD": VNC,
    "IBGA_WEBHOOK_URL": WEBHOOK,
}
FIELDS = {"IB_USERNAME": "username", "IB_PASSWORD": "password", "TOTP_KEY": "totp_key",
          "IBGA_VNC_PASSWORD": "vnc_password", "IBGA_WEBHOOK_URL": "webhook_url"}


@pytest.mark.parametrize("name", SECRET_VALUES)
@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_a_secret_from_a_file_loses_one_line_ending(tmp_path, name, ending):
    path = tmp_path / "secret"
    path.write_bytes((SECRET_VALUES[name] + ending).encode())
    env = ACCOUNT | {name + "_FILE": str(path)}
    env.pop(name, None)
    secret = getattr(load(env), FIELDS[name])
    assert secret.reveal() == SECRET_VALUES[name]
    assert secret.source == f"{name}_FILE ({path})"


def test_a_secret_file_keeps_everything_but_the_last_line_ending(tmp_path):
    path = tmp_path / "pw"
    path.write_text("  spaced pw  \n")
    assert load({"IB_USERNAME": USER, "IB_PASSWORD_FILE": str(path)}).password.reveal() == "  spaced pw  "


@pytest.mark.parametrize("name", SECRET_VALUES)
def test_a_secret_and_its_file_together_are_an_error(tmp_path, name):
    path = tmp_path / "secret"
    path.write_text(SECRET_VALUES[name] + "\n")
    error = the_error(ACCOUNT | {name: SECRET_VALUES[name], name + "_FILE": str(path)})
    assert error.problems == (f"{name}: is set, and so is {name}_FILE; keep one of them",)


@pytest.mark.parametrize("make, fragment", [
    (lambda tmp: tmp / "missing", "cannot read"),
    (lambda tmp: tmp, "cannot read"),  # a directory
    (lambda tmp: _file(tmp / "empty", b""), "is empty"),
    (lambda tmp: _file(tmp / "newline", b"\n"), "is empty"),
    (lambda tmp: _file(tmp / "latin1", b"caf\xe9-" + PASSWORD.encode()), "not UTF-8"),
])
@pytest.mark.parametrize("name", SECRET_VALUES)
def test_an_unusable_secret_file_names_the_variable_and_the_path(tmp_path, make, fragment, name):
    path = make(tmp_path)
    env = ACCOUNT | {name + "_FILE": str(path)}
    env.pop(name, None)
    error = the_error(env)
    assert len(error.problems) == 1, error.problems
    assert str(error).startswith(f"{name}_FILE: ") and str(path) in str(error) and fragment in str(error)
    assert PASSWORD not in str(error)


@pytest.mark.parametrize("name", SECRET_VALUES)
def test_two_line_endings_leave_a_line_break_in_the_secret(tmp_path, name):
    path = _file(tmp_path / "secret", (SECRET_VALUES[name] + "\n\n").encode())
    env = ACCOUNT | {name + "_FILE": str(path)}
    env.pop(name, None)
    error = the_error(env)
    assert str(error).startswith(f"{name}: from {name}_FILE ({path}) contains a line break")


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- no secret ever shows ---------------------------------------------------------------------------

SECRETS = (USER, PASSWORD, TOTP, VNC, WEBHOOK, "tok3n-wombat", "SECRETTOTPKEY1!", "kestrel user 77",
           "NewlineSecret")
FULL = {**ACCOUNT, "TOTP_KEY": TOTP, "IBGA_VNC_PASSWORD": VNC, "IBGA_WEBHOOK_URL": WEBHOOK,
        "IB_LOGOFF": "11:45 PM", "IBGA_FOO": "bar"}
SCANNED_BAD = [
    {**FULL, "TOTP_KEY": "SECRETTOTPKEY1!"},
    {**FULL, "IB_USERNAME": "kestrel user 77"},
    {**FULL, "IB_PASSWORD": "NewlineSecret\n"},
    {**FULL, "IBGA_VNC_PASSWORD": "NewlineSecret\r"},
    {**FULL, "IBGA_WEBHOOK_URL": "ftp://hooks.example.com/tok3n-wombat"},
    {**FULL, "IBGA_WEBHOOK_URL": "https://hooks.example.com:99999/tok3n-wombat"},
    {**FULL, "IB_USERNAME": "", "IB_REGION": "nowhere"},
    {**FULL, "IB_PASSWORD": ""},
    {**FULL, "IB_REGION": "Mars", "IBG_PORT": "0", "TOTP_KEY": "JBSWY3DPEHPK3PXP"},
]


def _chain(error: BaseException):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


@pytest.mark.parametrize("env", SCANNED_BAD)
def test_no_secret_in_any_error(env):
    error = the_error(env)
    texts = []
    for e in _chain(error):
        texts += [str(e), repr(e), *map(str, e.args)]
    texts += list(error.problems)
    for secret in SECRETS:
        assert not any(secret in text for text in texts), (secret, texts)


def test_no_secret_in_an_error_about_a_secret_file(tmp_path):
    path = _file(tmp_path / "pw", f"{PASSWORD}\n{PASSWORD}\n".encode())
    error = the_error({"IB_USERNAME": USER, "IB_PASSWORD_FILE": str(path)})
    assert PASSWORD not in str(error) and USER not in str(error)


@pytest.mark.parametrize("env", [FULL, {**FULL, "IBGA_EXISTING_SESSION": "manual",
                                        "IBGA_RECONNECT_INTERVAL": "60", "IB_PREFER_IBKEY": "y"}])
def test_no_secret_in_redacted_describe_or_repr(env):
    config = load(env)
    shown = [repr(config), str(config.redacted()), *config.describe(), repr(dataclasses.asdict(config)),
             str(config.password), f"{config.totp_key}", repr(config.vnc_password)]
    for secret in SECRETS:
        assert not any(secret in text for text in shown), secret
    assert config.redacted()["password"] == "<hidden>"
    assert config.redacted()["webhook_url"] == "<hidden>"
    assert config.redacted()["region"] is None


def test_a_secret_from_a_file_is_not_shown_either(tmp_path):
    paths = {name: _file(tmp_path / name, (value + "\n").encode()) for name, value in SECRET_VALUES.items()}
    config = load({f"{name}_FILE": str(path) for name, path in paths.items()})
    shown = "\n".join([repr(config), str(config.redacted()), *config.describe()])
    assert not any(secret in shown for secret in SECRETS)
    assert f"IB_PASSWORD set (hidden, from IB_PASSWORD_FILE ({paths['IB_PASSWORD']}))" in shown


def test_describe_shows_the_webhook_host_and_hides_credentials_in_the_installer_url():
    config = load(FULL | {"IBG_DOWNLOAD_URL": "https://joe:hunter2@mirror.example/ibg.sh?sig=abc123"})
    shown = "\n".join(config.describe())
    assert "webhook https://hooks.example.com/…" in shown
    assert "installer https://<hidden>@mirror.example/ibg.sh?<hidden>" in shown
    assert "hunter2" not in shown and "abc123" not in shown and "hunter2" not in repr(config)


# --- describe, warnings, purity ---------------------------------------------------------------------

def test_describe_says_what_will_happen():
    lines = load(FULL | {"IB_LOGINTYPE": "paper", "IBGA_RECONNECT_INTERVAL": "600"}).describe()
    shown = "\n".join(lines)
    assert "login: IB API, Paper Trading" in shown
    assert "daily: auto restart at 11:45 PM" in shown
    assert "existing session: primary (take over; take it back every 600 s if lost)" in shown
    assert "device Mobile Authenticator app" in shown
    assert "socket port 9000 in the gateway, published on 4000" in shown
    assert all(isinstance(line, str) and "\n" not in line for line in lines)


@pytest.mark.parametrize("env, warning", [
    ({"IBGA_FOO": "1"}, "IBGA_FOO is not a variable ibga knows"),
    ({"IB_LOGOF": "11:45 PM"}, "IB_LOGOF is not a variable ibga knows"),
    ({"IBGA_EXISTING_SESSION": "manual", "IBGA_RECONNECT_INTERVAL": "60"},
     "IBGA_RECONNECT_INTERVAL is ignored"),
    ({"IBGA_VNC_PASSWORD": "123456789"}, "only the first 8"),
    ({"TOTP_KEY": TOTP, "IB_PREFER_IBKEY": "true"}, "IB_PREFER_IBKEY is ignored"),
])
def test_ignored_settings_are_warned_about(env, warning):
    config = load(ACCOUNT | env)
    assert any(warning in w for w in config.warnings), config.warnings
    assert any(line.startswith("warning: ") and warning in line for line in config.describe())


def test_known_variables_are_not_warned_about(tmp_path):
    path = _file(tmp_path / "pw", b"pw\n")
    env = {"IB_USERNAME": USER, "IB_PASSWORD_FILE": str(path), "IB_REGION": "Europe", "TOTP_KEY": TOTP,
           "IBGA_PUSH_TIMEOUT": "60", "IBG_PORT": "4002", "PATH": "/usr/bin", "HOME": "/root"}
    assert load(env).warnings == ()


def test_the_environment_is_only_read(tmp_path):
    env = dict(FULL)
    before = dict(env)
    load(env)
    assert env == before


def test_os_environ_is_the_default(monkeypatch):
    monkeypatch.setenv("IB_LOGINTYPE", "Paper Trading")
    for name in ("IB_USERNAME", "IB_USERNAME_FILE", "IB_PASSWORD", "IB_PASSWORD_FILE", "TOTP_KEY",
                 "TWS_USERID", "TWS_PASSWORD", "TWS_PASSWORD_FILE", "TRADING_MODE", "IBGA_DEMO"):
        monkeypatch.delenv(name, raising=False)
    assert load_config().trading_mode is TradingMode.PAPER


def test_config_is_frozen():
    config = load(ACCOUNT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.port = 1


# --- gnzsnz/ib-gateway-docker's and IBC's names -----------------------------------------------------

@dataclasses.dataclass(frozen=True)
class File:
    """A secret file the test writes; the variable gets its path."""

    content: str


@dataclasses.dataclass(frozen=True)
class Gives:
    """The configuration loads, and `field` is `value` (a secret's revealed value, and where it came from)."""

    field: str
    value: object
    source: str | None = None


@dataclasses.dataclass(frozen=True)
class Refused:
    """One problem, naming `variable` first and mentioning each of `also`."""

    variable: str
    also: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Warned:
    """The configuration loads, with exactly one warning about `variable`, containing `fragment`."""

    variable: str
    fragment: str = "it is ignored"


OTHER_USER = "osprey-user-9902"
OTHER_PASSWORD = "Pw-other!heron-77"
SSH_PASSPHRASE = "ssh-Secret-4242"
VNC8 = "Vq7!zeb8"  # VNC uses 8 characters: a longer one is warned about
TABLE_SECRETS = {USER, PASSWORD, VNC, VNC8, OTHER_USER, OTHER_PASSWORD, SSH_PASSPHRASE}
GNZ_ACCOUNT = {"TWS_USERID": USER, "TWS_PASSWORD": PASSWORD}

P = pytest.param
A = ACCOUNT
NAMES = [
    # aliases: gnzsnz's (and IBC's start scripts') variables that mean the same as one of ibga's
    P(GNZ_ACCOUNT, Gives("username", USER, "TWS_USERID"), id="TWS_USERID"),
    P(GNZ_ACCOUNT, Gives("password", PASSWORD, "TWS_PASSWORD"), id="TWS_PASSWORD"),
    P({"TWS_USERID": USER, "TWS_PASSWORD_FILE": File(PASSWORD + "\n")},
      Gives("password", PASSWORD, "TWS_PASSWORD_FILE"), id="TWS_PASSWORD_FILE"),
    P({"TWS_USERID": f" {USER} ", "TWS_PASSWORD": PASSWORD}, Gives("username", USER),
      id="TWS_USERID-stripped"),
    P({"TWSUSERID": USER, "TWSPASSWORD": PASSWORD}, Gives("username", USER, "TWSUSERID"),
      id="TWSUSERID-IBC"),
    P({"TWSUSERID": USER, "TWSPASSWORD": PASSWORD}, Gives("password", PASSWORD, "TWSPASSWORD"),
      id="TWSPASSWORD-IBC"),
    P(A | {"VNC_SERVER_PASSWORD": VNC8}, Gives("vnc_password", VNC8, "VNC_SERVER_PASSWORD"),
      id="VNC_SERVER_PASSWORD"),
    P(A | {"VNC_SERVER_PASSWORD_FILE": File(VNC8)},
      Gives("vnc_password", VNC8, "VNC_SERVER_PASSWORD_FILE"), id="VNC_SERVER_PASSWORD_FILE"),
    P(A | {"TRADING_MODE": "paper"}, Gives("trading_mode", TradingMode.PAPER),
      id="TRADING_MODE=paper"),
    P(A | {"TRADING_MODE": "Live"}, Gives("trading_mode", TradingMode.LIVE),
      id="TRADING_MODE=live"),
    P(A | {"TRADING_MODE": ""}, Gives("trading_mode", TradingMode.LIVE), id="TRADING_MODE-empty"),
    P(A | {"READ_ONLY_API": "yes"}, Gives("read_only_api", True), id="READ_ONLY_API=yes"),
    P(A | {"READ_ONLY_API": "no"}, Gives("read_only_api", False), id="READ_ONLY_API=no"),
    P(A | {"TIME_ZONE": "America/New_York"}, Gives("timezone", "America/New York"),
      id="TIME_ZONE"),
    P(A | {"TIME_ZONE": "Etc/UTC"}, Gives("zoneinfo_name", "Etc/UTC"), id="TIME_ZONE-gnzsnz-default"),
    P(A | {"TWS_SETTINGS_PATH": "/home/ibgateway/Jts"},
      Gives("ibg_settings_dir", Path("/home/ibgateway/Jts")), id="TWS_SETTINGS_PATH"),
    P(A | {"TWS_SETTINGS_PATH": "/home/ibgateway/Jts"},
      Gives("log_export_dir", Path("/home/ibgateway/Jts/exported_logs")),
      id="TWS_SETTINGS_PATH-exports"),
    P(A | {"TWOFA_DEVICE": "IB Key"}, Gives("second_factor_device", "IB Key"), id="TWOFA_DEVICE"),
    *[P(A | {"EXISTING_SESSION_DETECTED_ACTION": given}, Gives("existing_session", ours),
      id=f"EXISTING_SESSION_DETECTED_ACTION={given}")
      for given, ours in (("primary", ExistingSession.PRIMARY), ("secondary", ExistingSession.SECONDARY),
                          ("MANUAL", ExistingSession.MANUAL))],
    P(A | {"RELOGIN_AFTER_TWOFA_TIMEOUT": "yes"},
      Gives("push_timeout_action", PushTimeoutAction.RETRY), id="RELOGIN_AFTER_TWOFA_TIMEOUT=yes"),
    P(A | {"RELOGIN_AFTER_TWOFA_TIMEOUT": "no"},
      Gives("push_timeout_action", PushTimeoutAction.STOP), id="RELOGIN_AFTER_TWOFA_TIMEOUT=no"),
    P(A | {"AUTO_RESTART_TIME": "11:59 PM"}, Gives("logoff", ClockTime(11, 59, "PM")),
      id="AUTO_RESTART_TIME"),
    P(A | {"AUTO_RESTART_TIME": '"11:59 PM"'}, Gives("logoff_mode", LogoffMode.RESTART),
      id="AUTO_RESTART_TIME-mode"),
    P(A | {"AUTO_LOGOFF_TIME": "10:30 PM"}, Gives("logoff", ClockTime(10, 30, "PM")),
      id="AUTO_LOGOFF_TIME"),
    P(A | {"AUTO_LOGOFF_TIME": "10:30 PM"}, Gives("logoff_mode", LogoffMode.LOGOFF),
      id="AUTO_LOGOFF_TIME-mode"),
    P(A | {"AUTO_LOGOFF_TIME": "10:30 PM", "AUTO_RESTART_TIME": ""},
      Gives("logoff_mode", LogoffMode.LOGOFF), id="AUTO_LOGOFF_TIME-with-an-empty-restart"),
    # the same meaning under both names is accepted; ibga's own name is the one used
    P(A | {"TWS_USERID": USER}, Gives("username", USER, "IB_USERNAME"), id="same-username"),
    P({"IB_USERNAME": USER, "TWS_USERID": f"{USER} ", "TWS_PASSWORD": PASSWORD},
      Gives("username", USER, "IB_USERNAME"), id="same-username-but-a-space"),
    P({"IB_USERNAME": USER, "IB_PASSWORD_FILE": File(PASSWORD), "TWS_PASSWORD_FILE": File(PASSWORD)},
      Gives("password", PASSWORD, "IB_PASSWORD_FILE"), id="same-password-files"),
    P(A | {"IB_LOGINTYPE": "Paper Trading", "TRADING_MODE": "paper"},
      Gives("trading_mode", TradingMode.PAPER), id="same-trading-mode"),
    P(A | {"IB_TIMEZONE": "America/New York", "TIME_ZONE": "America/New_York"},
      Gives("timezone", "America/New York"), id="same-time-zone"),
    P(A | {"IB_READONLY": "true", "READ_ONLY_API": "yes"}, Gives("read_only_api", True),
      id="same-read-only"),
    P(A | {"IB_LOGOFF": "11:59 PM", "AUTO_RESTART_TIME": "11:59 pm"},
      Gives("logoff_mode", LogoffMode.RESTART), id="same-restart-time"),
    P(A | {"IB_LOGOFF": "11:59 PM", "AUTO_LOGOFF_TIME": "11:59 PM"},
      Gives("logoff_mode", LogoffMode.LOGOFF), id="IB_LOGOFF-and-AUTO_LOGOFF_TIME"),
    P(A | {"IBGA_LOGOFF_MODE": "restart", "AUTO_RESTART_TIME": "11:59 PM"},
      Gives("logoff_mode", LogoffMode.RESTART), id="same-logoff-mode"),
    P(A | {"IBGA_EXISTING_SESSION": "secondary", "EXISTING_SESSION_DETECTED_ACTION": "secondary"},
      Gives("existing_session", ExistingSession.SECONDARY), id="same-existing-session"),
    # values an alias cannot express, and values it does not know
    P(A | {"TRADING_MODE": "both"}, Refused("TRADING_MODE", ("two gateways",)),
      id="TRADING_MODE=both"),
    P(A | {"TRADING_MODE": "demo"}, Refused("TRADING_MODE", ("'live'", "'paper'")),
      id="TRADING_MODE=demo"),
    P(A | {"EXISTING_SESSION_DETECTED_ACTION": "primaryoverride"},
      Refused("EXISTING_SESSION_DETECTED_ACTION", ("IBGA_EXISTING_SESSION",)),
      id="EXISTING_SESSION_DETECTED_ACTION=primaryoverride"),
    P(A | {"RELOGIN_AFTER_TWOFA_TIMEOUT": "sometimes"},
      Refused("RELOGIN_AFTER_TWOFA_TIMEOUT", ("'yes'", "'no'")), id="RELOGIN-bad"),
    P(A | {"READ_ONLY_API": "maybe"}, Refused("READ_ONLY_API", ("true/yes/y",)), id="READ_ONLY-bad"),
    P(A | {"AUTO_RESTART_TIME": "23:59"}, Refused("AUTO_RESTART_TIME", ("hh:mm AM|PM",)),
      id="AUTO_RESTART_TIME-bad"),
    P(A | {"TIME_ZONE": "Mars/Olympus Mons"}, Refused("TIME_ZONE", ("tz database",)),
      id="TIME_ZONE-bad"),
    P(A | {"TWS_SETTINGS_PATH": "Jts"}, Refused("TWS_SETTINGS_PATH", ("absolute path",)),
      id="TWS_SETTINGS_PATH-bad"),
    P(A | {"TWOFA_DEVICE": "IB\tKey"}, Refused("TWOFA_DEVICE", ("control character",)),
      id="TWOFA_DEVICE-bad"),
    P({"TWS_USERID": "kestrel user", "TWS_PASSWORD": PASSWORD}, Refused("TWS_USERID", ("spaces",)),
      id="TWS_USERID-bad"),
    P({"TWS_USERID": USER, "TWS_PASSWORD": PASSWORD, "TWS_PASSWORD_FILE": File(PASSWORD)},
      Refused("TWS_PASSWORD", ("TWS_PASSWORD_FILE",)), id="TWS_PASSWORD-and-its-file"),
    P({"TWS_USERID": USER}, Refused("IB_PASSWORD", ("TWS_USERID is",)), id="TWS_USERID-alone"),
    # conflicting pairs: one problem naming both, never a secret
    P(A | {"TWS_USERID": OTHER_USER}, Refused("IB_USERNAME", ("TWS_USERID", "different")),
      id="conflict-username"),
    P(A | {"TWS_PASSWORD": OTHER_PASSWORD}, Refused("IB_PASSWORD", ("TWS_PASSWORD", "different")),
      id="conflict-password"),
    P({"TWS_USERID": USER, "TWS_PASSWORD": PASSWORD, "TWSPASSWORD": OTHER_PASSWORD},
      Refused("TWS_PASSWORD", ("TWSPASSWORD",)), id="conflict-two-aliases"),
    P({"IB_USERNAME": USER, "IB_PASSWORD": PASSWORD, "TWS_PASSWORD_FILE": File(PASSWORD)},
      Refused("IB_PASSWORD", ("TWS_PASSWORD_FILE",)), id="conflict-direct-and-file-same-value"),
    P({"IB_USERNAME": USER, "IB_PASSWORD_FILE": File(PASSWORD), "TWS_PASSWORD": OTHER_PASSWORD},
      Refused("IB_PASSWORD_FILE", ("TWS_PASSWORD",)), id="conflict-file-and-direct"),
    P({"IB_USERNAME": USER, "IB_PASSWORD_FILE": File(PASSWORD), "TWS_PASSWORD_FILE": File(OTHER_PASSWORD)},
      Refused("IB_PASSWORD_FILE", ("TWS_PASSWORD_FILE", "different")), id="conflict-two-files"),
    P(A | {"IBGA_VNC_PASSWORD": VNC, "VNC_SERVER_PASSWORD": OTHER_PASSWORD},
      Refused("IBGA_VNC_PASSWORD", ("VNC_SERVER_PASSWORD",)), id="conflict-vnc"),
    P(A | {"IB_LOGINTYPE": "live", "TRADING_MODE": "paper"},
      Refused("IB_LOGINTYPE", ("TRADING_MODE", "'paper'")), id="conflict-trading-mode"),
    P(A | {"IB_READONLY": "yes", "READ_ONLY_API": "no"}, Refused("IB_READONLY", ("READ_ONLY_API",)),
      id="conflict-read-only"),
    P(A | {"IB_TIMEZONE": "Europe/London", "TIME_ZONE": "Europe/Zurich"},
      Refused("IB_TIMEZONE", ("TIME_ZONE",)), id="conflict-time-zone"),
    P(A | {"IBG_SETTINGS_DIR": "/home/ibg_settings", "TWS_SETTINGS_PATH": "/home/ibgateway/Jts"},
      Refused("IBG_SETTINGS_DIR", ("TWS_SETTINGS_PATH",)), id="conflict-settings-dir"),
    P(A | {"IBGA_2FA_DEVICE": "IB Key", "TWOFA_DEVICE": "SMS"},
      Refused("IBGA_2FA_DEVICE", ("TWOFA_DEVICE",)), id="conflict-device"),
    P(A | {"IBGA_EXISTING_SESSION": "manual", "EXISTING_SESSION_DETECTED_ACTION": "primary"},
      Refused("IBGA_EXISTING_SESSION", ("EXISTING_SESSION_DETECTED_ACTION",)),
      id="conflict-session"),
    P(A | {"IBGA_PUSH_TIMEOUT_ACTION": "retry", "RELOGIN_AFTER_TWOFA_TIMEOUT": "no"},
      Refused("IBGA_PUSH_TIMEOUT_ACTION", ("RELOGIN_AFTER_TWOFA_TIMEOUT",)),
      id="conflict-push-timeout"),
    P(A | {"IB_LOGOFF": "11:45 PM", "AUTO_RESTART_TIME": "11:59 PM"},
      Refused("IB_LOGOFF", ("AUTO_RESTART_TIME",)), id="conflict-logoff-time"),
    P(A | {"IBGA_LOGOFF_MODE": "logoff", "AUTO_RESTART_TIME": "11:59 PM"},
      Refused("IBGA_LOGOFF_MODE", ("AUTO_RESTART_TIME", "restart")), id="conflict-logoff-mode"),
    P(A | {"AUTO_RESTART_TIME": "11:59 PM", "AUTO_LOGOFF_TIME": "11:59 PM"},
      Refused("AUTO_RESTART_TIME", ("AUTO_LOGOFF_TIME",)), id="conflict-restart-and-logoff"),
    P(A | {"AUTO_RESTART_TIME": "11:59 PM", "AUTO_LOGOFF_TIME": "11:00 PM"},
      Refused("AUTO_RESTART_TIME", ("AUTO_LOGOFF_TIME",)), id="conflict-restart-and-logoff-times"),
    P({"IBGA_DEMO": "true", "TWS_USERID": USER, "TWS_PASSWORD": PASSWORD},
      Refused("IBGA_DEMO", ("TWS_USERID",)), id="conflict-demo-and-account"),
    # known names ibga does not implement: one warning each, by name, saying it is ignored
    *[P(A | {name: value}, Warned(name), id=f"ignored-{name}") for name, value in (
        ("TWOFA_EXIT_INTERVAL", "60"), ("BYPASS_WARNING", "yes"), ("TWS_COLD_RESTART", "05:00"),
        ("SAVE_TWS_SETTINGS", "08:00"), ("ALLOW_BLIND_TRADING", "no"), ("TWS_ACCEPT_INCOMING", "accept"),
        ("TWS_MASTER_CLIENT_ID", "1"), ("CUSTOM_CONFIG", "NO"), ("JAVA_HEAP_SIZE", "1024"),
            ("SSH_TUNNEL", "yes"),
        ("SSH_REMOTE_PORT", "4001"), ("SSH_PASSPHRASE", SSH_PASSPHRASE), ("PASSWD_FILE", "/run/secrets/x"),
        ("START_SCRIPTS", "init"), ("TWS_USERID_PAPER", OTHER_USER), ("TWS_PASSWORD_PAPER", OTHER_PASSWORD),
        ("TWS_PASSWORD_PAPER_FILE", "/run/secrets/paper"), ("FIXUSERID", OTHER_USER), ("IBC_INI", "/x.ini"),
        ("IbLoginId", OTHER_USER), ("IbPassword", OTHER_PASSWORD), ("AcceptIncomingConnectionAction",
            "accept"),
        ("BypassOrderPrecautions", "yes"), ("ColdRestartTime", "05:00"), ("CommandServerPort", "7462"),
    )],
    P(A | {"TWOFA_TIMEOUT_ACTION": "exit"}, Warned("TWOFA_TIMEOUT_ACTION", "logs in again"),
      id="ignored-TWOFA_TIMEOUT_ACTION"),
    P(A | {"TradingMode": "paper"}, Warned("TradingMode", "IB_LOGINTYPE"), id="ignored-TradingMode"),
    P(A | {"ExistingSessionDetectedAction": "primary"},
      Warned("ExistingSessionDetectedAction", "IBGA_EXISTING_SESSION"),
      id="ignored-ini-with-ours"),
    P(A | {"AutoRestartTime": "11:59 PM"}, Warned("AutoRestartTime", "IB_LOGOFF"),
      id="ignored-AutoRestartTime"),
    P(A | {"IBGA_FOO": "1"}, Warned("IBGA_FOO", "not a variable ibga knows"), id="unknown-IBGA_FOO"),
    P(A | {"VNC_SERVER_PASSWORD": "123456789"}, Warned("VNC_SERVER_PASSWORD", "only the first 8"),
      id="VNC_SERVER_PASSWORD-long"),
]


def _materialise(env: dict, tmp_path: Path) -> tuple[dict[str, str], set[str]]:
    """The environment with each `File` written and named by its path, and the secret values in it."""
    out, secrets = {}, set()
    for name, value in env.items():
        if isinstance(value, File):
            path = tmp_path / name
            path.write_text(value.content)
            out[name] = str(path)
            secrets.add(value.content.strip())
        else:
            out[name] = value
            if value.strip() in TABLE_SECRETS:
                secrets.add(value.strip())
    return out, secrets


@pytest.mark.parametrize("env, outcome", NAMES)
def test_other_tools_names_are_aliases_conflicts_or_warnings(tmp_path, env, outcome):
    env, secrets = _materialise(env, tmp_path)
    if isinstance(outcome, Refused):
        error = the_error(env)
        assert error.problems == (str(error),), error.problems
        assert str(error).startswith(outcome.variable + ": ")
        assert all(part in str(error) for part in outcome.also), str(error)
        shown = [str(error), repr(error)]
    else:
        config = load(env)
        shown = [*config.warnings, *config.describe(), repr(config)]
        if isinstance(outcome, Gives):
            value = getattr(config, outcome.field)
            if outcome.source is not None or isinstance(value, Secret):
                assert isinstance(value, Secret)
                assert value.reveal() == outcome.value
                if outcome.source is not None:
                    assert value.source.split(" ", 1)[0] == outcome.source
            else:
                assert value == outcome.value
            assert config.warnings == ()
        else:
            about = [w for w in config.warnings if w.split()[0] == outcome.variable]
            assert len(about) == 1, config.warnings
            assert outcome.fragment in about[0]
    for secret in secrets:
        assert not any(secret in text for text in shown), secret


def test_a_gnzsnz_env_file_is_understood():
    # gnzsnz/ib-gateway-docker's .env-dist, as its users have it, with their compose file's defaults
    env = {
        "TWS_USERID": USER, "TWS_PASSWORD": PASSWORD, "TIME_ZONE": "Europe/Zurich", "TWS_SETTINGS_PATH": "",
        "TRADING_MODE": "paper", "READ_ONLY_API": "no", "TWOFA_TIMEOUT_ACTION": "restart",
        "TWOFA_EXIT_INTERVAL": "",
        "TWOFA_DEVICE": "", "BYPASS_WARNING": "", "AUTO_RESTART_TIME": "11:59 PM", "AUTO_LOGOFF_TIME": "",
        "TWS_COLD_RESTART": "", "TWS_ACCEPT_INCOMING": "", "SAVE_TWS_SETTINGS": "",
        "RELOGIN_AFTER_TWOFA_TIMEOUT": "yes", "EXISTING_SESSION_DETECTED_ACTION": "primary",
        "ALLOW_BLIND_TRADING": "no", "VNC_SERVER_PASSWORD": VNC8, "SSH_TUNNEL": "", "SSH_PASSPHRASE": "",
        "TZ": "Europe/Zurich",
    }
    config = load(env)
    secrets = (config.username.reveal(), config.password.reveal(), config.vnc_password.reveal())
    assert secrets == (USER, PASSWORD, VNC8)
    assert config.trading_mode is TradingMode.PAPER and config.timezone == "Europe/Zurich"
    assert (config.logoff, config.logoff_mode) == (ClockTime(11, 59, "PM"), LogoffMode.RESTART)
    assert config.existing_session is ExistingSession.PRIMARY
    assert config.push_timeout_action is PushTimeoutAction.RETRY and not config.read_only_api
    assert config.ibg_settings_dir == Path("/home/ibg_settings")  # empty counts as unset
    # empty variables count as unset; TZ is the C library's, not a gateway setting
    assert [w.split()[0] for w in config.warnings] == ["TWOFA_TIMEOUT_ACTION", "ALLOW_BLIND_TRADING"]


def test_every_secret_name_and_its_file_are_in_secret_variables():
    secret_variables = config_module.SECRET_VARIABLES
    assert isinstance(secret_variables, frozenset)
    ours = set(config_module.SECRET_NAMES)
    aliases = {alias.name for alias in config_module.ALIASES if alias.target in ours}
    ignored = {row.name for row in config_module.UNIMPLEMENTED if row.secret}
    assert aliases == {"TWS_USERID", "TWSUSERID", "TWS_PASSWORD", "TWSPASSWORD", "VNC_SERVER_PASSWORD"}
    assert {"TWS_USERID_PAPER", "TWS_PASSWORD_PAPER", "SSH_PASSPHRASE", "PASSWD", "FIXUSERID", "FIXPASSWORD",
            "IbLoginId", "IbPassword", "FIXLoginId", "FIXPassword"} <= ignored
    for name in ours | aliases | ignored:
        assert {name, f"{name}_FILE"} <= secret_variables, name
    assert not {"TRADING_MODE", "TIME_ZONE", "IB_REGION", "IBG_DIR"} & secret_variables
    assert config_module.SECRET_NAMES == ("IB_USERNAME", "IB_PASSWORD", "TOTP_KEY", "IBGA_VNC_PASSWORD",
                                          "IBGA_WEBHOOK_URL")


def test_every_alias_and_ignored_name_is_documented_beside_ibgas_name():
    doc = config_module.__doc__.splitlines()
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0].splitlines()
    for alias in config_module.ALIASES:
        for lines, where in ((doc, "config.py's docstring"), (section, "README's Configuration section")):
            assert any(alias.name in line and alias.target in line for line in lines), (alias.name, where)
    for row in config_module.UNIMPLEMENTED:
        assert row.name in config_module.__doc__, row.name
    assert len({alias.name for alias in config_module.ALIASES}) == len(config_module.ALIASES)
    names = [row.name for row in config_module.UNIMPLEMENTED]
    assert len(set(names)) == len(names)
    assert not set(names) & (config_module.KNOWN_NAMES | {alias.name for alias in config_module.ALIASES})
