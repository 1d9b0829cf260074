"""ibga.runner.config: IBGA's variables read as IBGA reads them, ibga's extras, secrets that never show."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from ibga.runner.config import (
    ApiType,
    ClockTime,
    ConfigError,
    ExistingSession,
    LogLevel,
    LogoffMode,
    PushTimeoutAction,
    Region,
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

@pytest.mark.parametrize("env", [{}, {"IB_USERNAME": ""}, {"IB_USERNAME": "  "}, {"IB_LOGINTYPE": "paper"}])
def test_no_username_is_the_demo(env):
    config = load(env)
    assert config.is_demo and config.username is None and config.password is None
    assert "demo" in config.describe()[0]


def test_a_username_and_password_are_an_account():
    config = load(ACCOUNT | {"IB_USERNAME": f" {USER} "})
    assert not config.is_demo
    assert (config.username.reveal(), config.password.reveal()) == (USER, PASSWORD)


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
    for name in ("IB_USERNAME", "IB_USERNAME_FILE", "IB_PASSWORD", "IB_PASSWORD_FILE", "TOTP_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert load_config().trading_mode is TradingMode.PAPER


def test_config_is_frozen():
    config = load(ACCOUNT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.port = 1
