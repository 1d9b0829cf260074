"""The runner's configuration, read once from environment variables and checked before anything starts.

Users arrive with IBGA's docker-compose file, so IBGA's variables keep their names, defaults and
accepted values; ibga's own additions are all named ``IBGA_*``. Users of gnzsnz/ib-gateway-docker (IBC
underneath) arrive with its ``.env``, so its variables that mean the same as one of ibga's are aliases
(`ALIASES`), and the ones ibga does not implement are warned about by name (`UNIMPLEMENTED`), never
dropped in silence. Bad configuration stops at start-up with one `ConfigError` whose lines each name a
variable and say what is wrong. Secret values never appear in an error, in `Config.redacted`, in
`Config.describe` or in ``repr(config)``: they are held in `Secret` objects that only give their value
up through `Secret.reveal`.

Variables taken over from IBGA (heshiming/ibga ``docs/references/config-args.md``, ``scripts/_env.sh``):

==========================  ==================================  ==============================================
Variable                    Default                             Accepted values and meaning
==========================  ==================================  ==============================================
IB_USERNAME (secret)        unset: manual login (the real       account user name; without it the gateway
                            gateway, a person logs in over      waits for a person to log in over noVNC, and
                            noVNC)                              ibga keeps the session from then on
IB_PASSWORD (secret)        required with IB_USERNAME           account password
IB_REGION                   unset: leave the login combo        ``America``, ``Europe``, ``Asia``, ``China``
IB_TIMEZONE                 unset: leave the login combo        a tz database name, written as the gateway
                                                                shows it (``America/New York``) or with
                                                                underscores (``America/New_York``)
IB_LOGINTAB                 ``IB API`` (gateway's default)      ``IB API`` or ``FIX CTCI`` (the API Type
                                                                toggle)
IB_LOGINTYPE                ``Live Trading`` (gateway's         ``Live Trading`` or ``Paper Trading``; also
                            default; IBGA clicks ``Log In``)    ``live`` / ``paper``
IB_LOGOFF                   unset: leave Lock and Exit          12-hour ``hh:mm AM|PM`` (``11:45 PM``); AM/PM
                                                                in any case, as IBGA upper-cases it
IB_READONLY                 false                               ``true/yes/y`` or ``false/no/n`` (any case, as
                                                                IBGA); ``1/on`` and ``0/off`` too
IB_APILOG                   unset: no API message log           ``data`` also logs market data; any other
                                                                value turns the log on, as in IBGA, except
                                                                ``false/no/n/0/off``, which mean off
IB_LOGLEVEL                 unset: leave Logging Level          ``System``, ``Error``, ``Warning``, ``Info``
                                                                (or ``Information``), ``Detail``
IB_PREFER_IBKEY             false                               boolean: choose ``IB Key`` in the 2FA device
                                                                list
TOTP_KEY (secret)           unset                               base32 secret of the Mobile Authenticator app
                                                                (spaces allowed, at least 112 bits); choose
                                                                that device and type its codes
IBGA_RECONNECT_INTERVAL     0 (off)                             whole seconds >= 0 between checks that take
                                                                the session back (``Reconnect This Session``)
IBGA_EXPORT_LOGS            false                               boolean: export Gateway and API logs after
                                                                login
IBGA_LOG_EXPORT_DIR         ``exported_logs`` in                absolute path
                            IBG_SETTINGS_DIR
IBGA_VNC_PASSWORD (secret)  unset: no VNC password              any password; VNC uses only its first 8
                                                                characters
IBG_DIR                     ``/home/ibg``                       absolute path of the gateway installation
IBG_SETTINGS_DIR            ``/home/ibg_settings``              absolute path, the gateway's ``jtsConfigDir``
IBG_PORT_INTERNAL           9000                                port 1-65535, the gateway's Socket port
                                                                setting
IBG_PORT                    4000                                port 1-65535 published to API clients; must
                                                                differ from IBG_PORT_INTERNAL
IBG_DOWNLOAD_URL            IBKR's latest-standalone installer  http:// or https:// URL
                            for this machine (x64 or arm)
==========================  ==================================  ==============================================

ibga's extras (not in IBGA):

==========================  ==================================  ==============================================
Variable                    Default                             Accepted values and meaning
==========================  ==================================  ==============================================
IBGA_EXISTING_SESSION       ``primary`` (what IBGA does at      what to do at "Existing session detected":
                            login: it always takes over)        ``primary`` take the session over;
                                                                ``secondary`` do not take over, wait
                                                                IBGA_RECONNECT_INTERVAL seconds and try again
                                                                (0: give way for good); ``manual`` leave the
                                                                dialog for a person
IBGA_2FA_DEVICE             unset: as IBGA (``Mobile            second-factor device to choose, by its name in
                            Authenticator app`` with TOTP_KEY,  the device list (``IB Key``); wins over
                            ``IB Key`` with IB_PREFER_IBKEY)    TOTP_KEY's choice; with IB_PREFER_IBKEY=true
                                                                it can only be ``IB Key``
IBGA_MAX_LOGINS_PER_DAY     10                                  whole number >= 1: login attempts allowed in
                                                                any 24 hours, so a loop cannot lock the
                                                                account
IBGA_LOGOFF_MODE            ``restart`` when IB_LOGOFF is set   ``restart`` or ``logoff`` (also ``auto
                            (IBGA always selects Auto           restart`` / ``auto logoff``): the Lock and
                            restart); else unset: leave it      Exit choice. Restart keeps the login token, so
                                                                2FA is needed once a week; logoff needs it
                                                                every day
IBGA_WEBHOOK_URL (secret)   unset: no notifications             http:// or https:// URL that gets a POST when
                                                                a person must act or the gateway is not
                                                                usable, and when it is again (events:
                                                                ``ibga.runner.notify``; secret: it may hold
                                                                a token)
IBGA_PUSH_TIMEOUT           180 (IBKR's 2FA window; IBC's       whole seconds 10-3600 to wait for an IB Key
                            SecondFactorAuthenticationTimeout)  push to be approved
IBGA_PUSH_TIMEOUT_ACTION    ``retry`` (what IBGA does: the      ``retry``: log in again, which sends a new
                            gateway returns to the login        push (counted in IBGA_MAX_LOGINS_PER_DAY);
                            window and IBGA logs in again)      ``stop``: cancel and wait for a person
IBGA_DEMO                   false                               boolean: run the replica gateway with its
                                                                invented paper account instead of IB Gateway
                                                                (``ibga demo``, compose's ``demo`` profile);
                                                                never with IB_USERNAME. The replica never runs
                                                                unless asked for by this name
==========================  ==================================  ==============================================

Aliases: gnzsnz/ib-gateway-docker's variables (and IBC's start scripts' ``TWSUSERID``/``TWSPASSWORD``)
that mean the same as one of ibga's; a secret's alias may come from a file too (``TWS_PASSWORD_FILE``).
Set beside ibga's name with the same meaning, ibga's name is used; with another meaning (or a secret given
directly under one name and from a file under the other), that is one error naming both, never showing a
secret:

================================  ========================  ==================================================
Alias                             ibga's variable           Values, translated
================================  ========================  ==================================================
TWS_USERID (secret)               IB_USERNAME               as is
TWSUSERID (secret)                IB_USERNAME               as is (IBC's start scripts)
TWS_PASSWORD (secret)             IB_PASSWORD               as is
TWSPASSWORD (secret)              IB_PASSWORD               as is (IBC's start scripts)
VNC_SERVER_PASSWORD (secret)      IBGA_VNC_PASSWORD         as is (unset, gnzsnz runs no VNC; ibga runs one
                                                            for this machine only)
TRADING_MODE                      IB_LOGINTYPE              ``live``/``paper``; ``both`` (two gateways) is
                                                            refused: ibga runs one
READ_ONLY_API                     IB_READONLY               ``yes``/``no`` (IBC's ReadOnlyApi)
TIME_ZONE                         IB_TIMEZONE               a tz name (``Europe/Zurich``): gnzsnz writes it to
                                                            jts.ini's ``TimeZone``, the login window's Time
                                                            Zone, which IB_TIMEZONE sets
TWS_SETTINGS_PATH                 IBG_SETTINGS_DIR          absolute path: IBC's ``--tws-settings-path``, the
                                                            gateway's settings directory
TWOFA_DEVICE                      IBGA_2FA_DEVICE           the device's name as the list shows it (IBC's
                                                            SecondFactorDevice)
EXISTING_SESSION_DETECTED_ACTION  IBGA_EXISTING_SESSION     ``primary``, ``secondary``, ``manual``;
                                                            ``primaryoverride`` (take over at login, give way
                                                            later) is refused: ibga's primary takes back
RELOGIN_AFTER_TWOFA_TIMEOUT       IBGA_PUSH_TIMEOUT_ACTION  ``yes``: ``retry``, ``no``: ``stop`` (IBC logs in
                                                            again after an unapproved push, or leaves it)
AUTO_RESTART_TIME                 IB_LOGOFF                 ``hh:mm AM|PM``, and IBGA_LOGOFF_MODE=restart
AUTO_LOGOFF_TIME                  IB_LOGOFF                 ``hh:mm AM|PM``, and IBGA_LOGOFF_MODE=logoff; with
                                                            AUTO_RESTART_TIME as well, an error (IBC used the
                                                            restart time alone)
================================  ========================  ==================================================

Not aliases: ``TZ`` (the C library's clock zone, set by many images and hosts for their own reasons and in
POSIX forms the login window does not know; ibga sets the container's clock from IB_TIMEZONE) and
``TWOFA_TIMEOUT_ACTION`` (what IBC's start script does when the login stalls after an approved push:
``exit`` or ``restart`` IBC; ibga never exits over it, and RELOGIN_AFTER_TWOFA_TIMEOUT is the setting about
an unapproved push).

Known but not implemented, each warned about once by name when set (and ignored): gnzsnz's
TWS_USERID_PAPER, TWS_PASSWORD_PAPER (secrets, for TRADING_MODE=both), TWOFA_TIMEOUT_ACTION,
TWOFA_EXIT_INTERVAL, TWS_COLD_RESTART, SAVE_TWS_SETTINGS, ALLOW_BLIND_TRADING, TWS_MASTER_CLIENT_ID,
CUSTOM_CONFIG, JAVA_HEAP_SIZE, BYPASS_WARNING, TWS_ACCEPT_INCOMING, SSH_TUNNEL, SSH_OPTIONS,
SSH_ALIVE_INTERVAL, SSH_ALIVE_COUNT, SSH_REMOTE_PORT, SSH_USER_TUNNEL, SSH_RESTART, SSH_VNC_PORT,
SSH_RDP_PORT, PUID, PGID, START_SCRIPTS, X_SCRIPTS, IBC_SCRIPTS, SSH_PASSPHRASE, PASSWD (secrets); IBC's
start scripts' TWS_MAJOR_VRSN, IBC_INI, IBC_PATH, TWS_PATH, FIXUSERID, FIXPASSWORD (secrets); and every
setting of IBC's config.ini, which ibga does not read from the environment (the warning names ibga's
variable where there is one): IbLoginId, IbPassword, FIXLoginId, FIXPassword (secrets), FIX, TradingMode,
SecondFactorDevice, ReloginAfterSecondFactorAuthenticationTimeout, SecondFactorAuthenticationTimeout,
IbDir, ExistingSessionDetectedAction, OverrideTwsApiPort, ReadOnlyApi, AutoRestartTime, AutoLogoffTime,
AcceptNonBrokerageAccountWarning, SecondFactorAuthenticationExitInterval,
ExitAfterSecondFactorAuthenticationTimeout, LoginDialogDisplayTimeout, StoreSettingsOnServer,
MinimizeMainWindow, OverrideTwsMasterClientID, ReadOnlyLogin, the nine Bypass* precautions
(BypassOrderPrecautions, BypassBondWarning, BypassNegativeYieldToWorstConfirmation, BypassCalledBondWarning,
BypassSameActionPairTradeWarning, BypassPriceBasedVolatilityRiskWarning,
BypassUSStocksMarketDataInSharesWarning, BypassRedirectOrderWarning, BypassNoOverfillProtectionPrecaution),
AcceptBidAskLastSizeDisplayUpdateNotification, SendMarketDataInLotsForUSstocks, TrustedTwsApiClientIPs,
ResetOrderIdsAtStart, ConfirmOrderIdReset, ColdRestartTime, ClosedownAt, AcceptIncomingConnectionAction,
AllowBlindTrading, SaveTwsSettingsAt, ConfirmCryptoCurrencyOrders, DismissPasswordExpiryWarning,
DismissNSEComplianceNotice, CommandServerPort, ControlFrom, BindAddress, CommandPrompt,
SuppressInfoMessages, LogStructureScope, LogStructureWhen, LogComponents, IncludeStackTraceForExceptions,
ShowAllTrades. Every IBGA variable is implemented. Unknown names starting ``IB_``, ``IBG_``, ``IBGA_`` or
``TOTP_`` are warned about too (a typo?). `SECRET_VARIABLES` lists every secret name above and its
``_FILE`` form, so that none reaches a child process.

Every secret may instead come from a file named by ``<NAME>_FILE`` (Docker secrets), aliases included:
the file is read as UTF-8 and one trailing newline is removed. Setting both ``NAME`` and ``NAME_FILE`` is
an error. As in IBGA's scripts (and gnzsnz's compose file) an empty variable counts as unset. Non-secret
values are stripped of surrounding spaces and of one pair of surrounding quotes (``IB_LOGOFF="11:45 PM"``
in a compose list keeps its quotes). Choices are case-insensitive.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import os
import platform
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import urlsplit

import pyotp

DEFAULT_IBG_DIR = "/home/ibg"
DEFAULT_IBG_SETTINGS_DIR = "/home/ibg_settings"
DEFAULT_IBG_PORT_INTERNAL = 9000
DEFAULT_IBG_PORT = 4000
DEFAULT_RECONNECT_INTERVAL = 0
DEFAULT_MAX_LOGINS_PER_DAY = 10
DEFAULT_PUSH_TIMEOUT = 180
PUSH_TIMEOUT_RANGE = (10, 3600)
DOWNLOAD_URL_TEMPLATE = (
    "https://download2.interactivebrokers.com/installers/ibgateway/latest-standalone/"
    "ibgateway-latest-standalone-linux-{arch}.sh"
)
VNC_PASSWORD_LENGTH = 8  # the VNC protocol's DES challenge uses 8 bytes of the password

SECRET_NAMES = ("IB_USERNAME", "IB_PASSWORD", "TOTP_KEY", "IBGA_VNC_PASSWORD", "IBGA_WEBHOOK_URL")
PLAIN_NAMES = (
    "IB_REGION", "IB_TIMEZONE", "IB_LOGINTAB", "IB_LOGINTYPE", "IB_LOGOFF", "IB_READONLY", "IB_APILOG",
    "IB_LOGLEVEL", "IB_PREFER_IBKEY", "IBGA_RECONNECT_INTERVAL", "IBGA_EXPORT_LOGS", "IBGA_LOG_EXPORT_DIR",
    "IBG_DIR", "IBG_SETTINGS_DIR", "IBG_PORT_INTERNAL", "IBG_PORT", "IBG_DOWNLOAD_URL",
    "IBGA_EXISTING_SESSION", "IBGA_2FA_DEVICE", "IBGA_MAX_LOGINS_PER_DAY", "IBGA_LOGOFF_MODE",
    "IBGA_PUSH_TIMEOUT", "IBGA_PUSH_TIMEOUT_ACTION", "IBGA_STATUS_FILE", "IBGA_DEMO",
)
_OUR_PREFIXES = ("IB_", "IBG_", "IBGA_", "TOTP_")

_GNZSNZ = "gnzsnz/ib-gateway-docker"
_IBC_SCRIPTS = "IBC's start scripts"
_IBC_INI = "IBC's config.ini"


@dataclass(frozen=True)
class Alias:
    """Another tool's variable that means the same as one of ibga's (`target`), so ibga reads it too.

    `values` translates its vocabulary into ibga's (any case; None: it speaks ibga's own), `refused`
    holds the values no ibga setting can express, with the reason, and `implies` the further ibga
    variables it sets, as ``(name, value)``.
    """

    name: str
    target: str
    origin: str = _GNZSNZ
    values: Mapping[str, str] | None = None
    refused: Mapping[str, str] | None = None
    implies: tuple[tuple[str, str], ...] = ()


ALIASES: tuple[Alias, ...] = (
    Alias("TWS_USERID", "IB_USERNAME"),
    Alias("TWSUSERID", "IB_USERNAME", _IBC_SCRIPTS),
    Alias("TWS_PASSWORD", "IB_PASSWORD"),
    Alias("TWSPASSWORD", "IB_PASSWORD", _IBC_SCRIPTS),
    Alias("VNC_SERVER_PASSWORD", "IBGA_VNC_PASSWORD"),
    Alias("TRADING_MODE", "IB_LOGINTYPE", f"{_GNZSNZ} and {_IBC_SCRIPTS}",
          {"live": "Live Trading", "paper": "Paper Trading"},
          {"both": "two gateways, live and paper, in one container, which ibga does not do (yet); set 'live' "
                   "or 'paper' and run a second ibga for the other"}),
    Alias("READ_ONLY_API", "IB_READONLY"),
    Alias("TIME_ZONE", "IB_TIMEZONE"),
    Alias("TWS_SETTINGS_PATH", "IBG_SETTINGS_DIR", f"{_GNZSNZ} and {_IBC_SCRIPTS}"),
    Alias("TWOFA_DEVICE", "IBGA_2FA_DEVICE"),
    Alias("EXISTING_SESSION_DETECTED_ACTION", "IBGA_EXISTING_SESSION", _GNZSNZ,
          {"primary": "primary", "secondary": "secondary", "manual": "manual"},
          {"primaryoverride": "take the session over at login but give it up to a later one, which ibga "
                              "cannot do (its IBGA_EXISTING_SESSION=primary takes the session back); set "
                              "'primary', 'secondary' or 'manual', or use IBGA_EXISTING_SESSION"}),
    Alias("RELOGIN_AFTER_TWOFA_TIMEOUT", "IBGA_PUSH_TIMEOUT_ACTION", _GNZSNZ, {"yes": "retry", "no": "stop"}),
    Alias("AUTO_RESTART_TIME", "IB_LOGOFF", implies=(("IBGA_LOGOFF_MODE", "restart"),)),
    Alias("AUTO_LOGOFF_TIME", "IB_LOGOFF", implies=(("IBGA_LOGOFF_MODE", "logoff"),)),
)
"""Other tools' names for ibga's variables, one row each (the module docstring's alias table)."""


@dataclass(frozen=True)
class Unimplemented:
    """A variable of IBGA, gnzsnz/ib-gateway-docker or IBC that ibga knows but does not implement.

    Set, it gets one warning saying it is ignored, with `note` (what ibga does instead, or which of its
    variables to use). A `secret` one, and its ``_FILE`` form, is in `SECRET_VARIABLES`.
    """

    name: str
    origin: str
    secret: bool = False
    note: str = ""


def _unimplemented(origin: str, names: str, secret: bool = False,
                   note: str = "") -> tuple[Unimplemented, ...]:
    return tuple(Unimplemented(name, origin, secret, note) for name in names.split())


def _instead(name: str) -> str:
    return f"ibga reads {name} instead"


_BOTH = "it serves TRADING_MODE=both, two gateways, which ibga does not run"
UNIMPLEMENTED: tuple[Unimplemented, ...] = (
    *_unimplemented(_GNZSNZ, "TWS_USERID_PAPER TWS_PASSWORD_PAPER", secret=True, note=_BOTH),
    Unimplemented("TWOFA_TIMEOUT_ACTION", f"{_GNZSNZ} and {_IBC_SCRIPTS}", note=(
        "ibga neither exits nor restarts over a second factor: it keeps watching the screen and logs in "
        "again when the gateway asks; for a push nobody approved, see IBGA_PUSH_TIMEOUT_ACTION or "
        "RELOGIN_AFTER_TWOFA_TIMEOUT")),
    *_unimplemented(_GNZSNZ, "TWOFA_EXIT_INTERVAL TWS_COLD_RESTART SAVE_TWS_SETTINGS ALLOW_BLIND_TRADING "
                             "TWS_MASTER_CLIENT_ID CUSTOM_CONFIG JAVA_HEAP_SIZE"),
    Unimplemented("BYPASS_WARNING", _GNZSNZ, note="the API precautions stay as the gateway has them"),
    Unimplemented("TWS_ACCEPT_INCOMING", _GNZSNZ, note="ibga does not answer 'Accept incoming connection'; "
                                                       "API clients come through its relay from 127.0.0.1"),
    *_unimplemented(_GNZSNZ, "SSH_TUNNEL SSH_OPTIONS SSH_ALIVE_INTERVAL SSH_ALIVE_COUNT SSH_REMOTE_PORT "
                             "SSH_USER_TUNNEL SSH_RESTART SSH_VNC_PORT SSH_RDP_PORT PUID PGID START_SCRIPTS "
                             "X_SCRIPTS IBC_SCRIPTS"),
    *_unimplemented(_GNZSNZ, "SSH_PASSPHRASE PASSWD", secret=True),
    *_unimplemented(_IBC_SCRIPTS, "TWS_MAJOR_VRSN IBC_INI IBC_PATH TWS_PATH"),
    *_unimplemented(_IBC_SCRIPTS, "FIXUSERID FIXPASSWORD", secret=True),
    Unimplemented("IbLoginId", _IBC_INI, True, _instead("IB_USERNAME")),
    Unimplemented("IbPassword", _IBC_INI, True, _instead("IB_PASSWORD")),
    *_unimplemented(_IBC_INI, "FIXLoginId FIXPassword", secret=True),
    Unimplemented("FIX", _IBC_INI, note=_instead("IB_LOGINTAB")),
    Unimplemented("TradingMode", _IBC_INI, note=_instead("IB_LOGINTYPE")),
    Unimplemented("SecondFactorDevice", _IBC_INI, note=_instead("IBGA_2FA_DEVICE")),
    Unimplemented("ReloginAfterSecondFactorAuthenticationTimeout", _IBC_INI,
                  note=_instead("IBGA_PUSH_TIMEOUT_ACTION")),
    Unimplemented("SecondFactorAuthenticationTimeout", _IBC_INI, note=_instead("IBGA_PUSH_TIMEOUT")),
    Unimplemented("IbDir", _IBC_INI, note=_instead("IBG_SETTINGS_DIR")),
    Unimplemented("ExistingSessionDetectedAction", _IBC_INI, note=_instead("IBGA_EXISTING_SESSION")),
    Unimplemented("OverrideTwsApiPort", _IBC_INI, note=_instead("IBG_PORT_INTERNAL")),
    Unimplemented("ReadOnlyApi", _IBC_INI, note=_instead("IB_READONLY")),
    Unimplemented("AutoRestartTime", _IBC_INI, note=_instead("IB_LOGOFF")),
    Unimplemented("AutoLogoffTime", _IBC_INI, note=_instead("IB_LOGOFF with IBGA_LOGOFF_MODE=logoff")),
    Unimplemented("AcceptNonBrokerageAccountWarning", _IBC_INI,
                  note="ibga always accepts the paper-trading warning"),
    *_unimplemented(_IBC_INI, """
        SecondFactorAuthenticationExitInterval ExitAfterSecondFactorAuthenticationTimeout
        LoginDialogDisplayTimeout StoreSettingsOnServer MinimizeMainWindow OverrideTwsMasterClientID
        ReadOnlyLogin BypassOrderPrecautions BypassBondWarning BypassNegativeYieldToWorstConfirmation
        BypassCalledBondWarning BypassSameActionPairTradeWarning BypassPriceBasedVolatilityRiskWarning
        BypassUSStocksMarketDataInSharesWarning BypassRedirectOrderWarning
        BypassNoOverfillProtectionPrecaution AcceptBidAskLastSizeDisplayUpdateNotification
        SendMarketDataInLotsForUSstocks TrustedTwsApiClientIPs ResetOrderIdsAtStart ConfirmOrderIdReset
        ColdRestartTime ClosedownAt AcceptIncomingConnectionAction AllowBlindTrading SaveTwsSettingsAt
        ConfirmCryptoCurrencyOrders DismissPasswordExpiryWarning DismissNSEComplianceNotice CommandServerPort
        ControlFrom BindAddress CommandPrompt SuppressInfoMessages LogStructureScope LogStructureWhen
        LogComponents IncludeStackTraceForExceptions ShowAllTrades
    """),
)
"""Known variables ibga does not implement, one row each: each set one is warned about by name."""

_SECRET_BASES = (SECRET_NAMES + tuple(a.name for a in ALIASES if a.target in SECRET_NAMES)
                 + tuple(u.name for u in UNIMPLEMENTED if u.secret))
SECRET_VARIABLES: frozenset[str] = frozenset(_SECRET_BASES + tuple(f"{name}_FILE" for name in _SECRET_BASES))
"""Every variable that holds a secret or names its file: ibga's, their aliases', and those of IBGA,
gnzsnz/ib-gateway-docker and IBC that ibga ignores. None of them may reach a child process."""
KNOWN_NAMES = frozenset(PLAIN_NAMES + SECRET_NAMES + tuple(f"{name}_FILE" for name in SECRET_NAMES)
                        + tuple(a.name for a in ALIASES)
                        + tuple(f"{a.name}_FILE" for a in ALIASES if a.target in SECRET_NAMES))
"""Every variable ibga reads: its own and their aliases."""
_ALIASES_OF = {target: tuple(a for a in ALIASES if a.target == target)
               for target in {a.target for a in ALIASES}}

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")

_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "off"})


class ConfigError(ValueError):
    """The configuration is wrong; `problems` holds one line per variable, each starting with its name."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems or (message,)


class Secret:
    """A secret string that does not show itself: ``repr``/``str``/f-strings print a mask.

    Not a dataclass on purpose, so `dataclasses.asdict` on a `Config` copies it whole instead of
    turning it into a dict that shows the value.
    """

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str):
        self._value = value
        self.source = source  # where it came from, safe to show: "IB_PASSWORD" or "IB_PASSWORD_FILE (path)"

    def reveal(self) -> str:
        """The secret itself: only for typing it into the gateway or handing it to a library."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret(<hidden>, from {self.source})"

    def __str__(self) -> str:
        return "<hidden>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and (self._value, self.source) == (other._value, other.source)

    def __hash__(self) -> int:
        return hash((self._value, self.source))


class ApiType(StrEnum):
    """IB_LOGINTAB: the login window's API Type toggle, by its label."""

    IB_API = "IB API"
    FIX_CTCI = "FIX CTCI"


class TradingMode(StrEnum):
    """IB_LOGINTYPE: the login window's Trading Mode toggle, by its label."""

    LIVE = "Live Trading"
    PAPER = "Paper Trading"


class Region(StrEnum):
    """IB_REGION: the Region combo under More Options."""

    AMERICA = "America"
    EUROPE = "Europe"
    ASIA = "Asia"
    CHINA = "China"


class LogLevel(StrEnum):
    """IB_LOGLEVEL: a row of the API settings' Logging Level combo."""

    SYSTEM = "System"
    ERROR = "Error"
    WARNING = "Warning"
    INFORMATION = "Information"
    DETAIL = "Detail"


class ExistingSession(StrEnum):
    """IBGA_EXISTING_SESSION: the answer to "Existing session detected"."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    MANUAL = "manual"


class LogoffMode(StrEnum):
    """IBGA_LOGOFF_MODE: the radio button chosen in Configuration/Lock and Exit."""

    RESTART = "restart"
    LOGOFF = "logoff"


class PushTimeoutAction(StrEnum):
    """IBGA_PUSH_TIMEOUT_ACTION: what to do when an IB Key push was not approved in time."""

    RETRY = "retry"
    STOP = "stop"


@dataclass(frozen=True)
class ClockTime:
    """A 12-hour wall-clock time as the Lock and Exit panel takes it: a ``hh:mm`` field and AM/PM."""

    hour: int  # 1..12
    minute: int  # 0..59
    meridiem: str  # "AM" or "PM"

    @property
    def field_text(self) -> str:
        """What goes into the time field, e.g. ``"11:45"``."""
        return f"{self.hour:02d}:{self.minute:02d}"

    def to_time(self) -> datetime.time:
        """The same time on a 24-hour clock."""
        return datetime.time((self.hour % 12) + (12 if self.meridiem == "PM" else 0), self.minute)

    def __str__(self) -> str:
        return f"{self.field_text} {self.meridiem}"


@dataclass(frozen=True, repr=False)
class Config:
    """Everything the runner needs to know, checked; see the module docstring for each variable."""

    username: Secret | None
    password: Secret | None
    region: Region | None
    timezone: str | None  # as the gateway's combo shows it: "America/New York"
    api_type: ApiType
    trading_mode: TradingMode
    logoff: ClockTime | None
    logoff_mode: LogoffMode | None
    read_only_api: bool
    api_log: bool
    api_log_market_data: bool
    log_level: LogLevel | None
    prefer_ib_key: bool
    totp_key: Secret | None  # upper case, without spaces or padding
    reconnect_interval: int
    export_logs: bool
    log_export_dir: Path
    vnc_password: Secret | None
    ibg_dir: Path
    ibg_settings_dir: Path
    port_internal: int
    port: int
    download_url: str
    existing_session: ExistingSession
    second_factor_device: str | None  # IBGA_2FA_DEVICE as given, without surrounding spaces
    max_logins_per_day: int
    webhook_url: Secret | None
    push_timeout: int
    push_timeout_action: PushTimeoutAction
    demo: bool = False  # IBGA_DEMO: the replica with its invented paper account, only when asked for by name
    warnings: tuple[str, ...] = ()  # safe to log: settings that are ignored, unknown variable names

    @property
    def manual_login(self) -> bool:
        """No account and no demo: the real gateway runs, and a person logs in over noVNC."""
        return self.username is None and not self.demo

    @property
    def zoneinfo_name(self) -> str | None:
        """IB_TIMEZONE as the tz database spells it (``America/New_York``), for the container's clock."""
        return None if self.timezone is None else self.timezone.replace(" ", "_")

    @property
    def device_to_choose(self) -> str | None:
        """The row to pick in the second-factor device list, or None to leave the list to a person.

        IBGA_2FA_DEVICE first; then IBGA's rules: TOTP_KEY picks the Mobile Authenticator app,
        IB_PREFER_IBKEY picks IB Key.
        """
        if self.second_factor_device:
            return self.second_factor_device
        if self.totp_key is not None:
            return "Mobile Authenticator app"
        if self.prefer_ib_key:
            return "IB Key"
        return None

    def redacted(self) -> dict[str, object]:
        """Every setting by field name, secrets replaced by ``"<hidden>"`` (None when unset)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Secret):
                value = "<hidden>"
            elif isinstance(value, StrEnum | Path | ClockTime):
                value = str(value)
            elif f.name == "download_url":
                value = _safe_url(value)
            out[f.name] = value
        return out

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.redacted().items())
        return f"Config({inner})"

    def describe(self) -> list[str]:
        """Lines for the start-up log: what ibga will do, without any secret value."""

        def secret(s: Secret | None) -> str:
            return "not set" if s is None else f"set (hidden, from {s.source})"

        lines = []
        if self.demo:
            lines.append("mode: DEMO (IBGA_DEMO=true): the replica of IB Gateway with its invented paper "
                         "account, not a brokerage account; its API answers with made-up data")
        elif self.manual_login:
            from ibga.runner.vnc import DEFAULT_NOVNC_PORT  # vnc imports this module

            lines.append(f"mode: MANUAL LOGIN (IB_USERNAME is not set): the real IB Gateway runs and a "
                         f"person must log in over noVNC at port {DEFAULT_NOVNC_PORT}; ibga keeps the "
                         "session alive after that")
        else:
            lines.append("mode: AUTOMATIC LOGIN with the account below")
            lines.append(f"account: IB_USERNAME {secret(self.username)}; IB_PASSWORD {secret(self.password)}")
        lines.append(
            f"login: {self.api_type}, {self.trading_mode}; region {self.region or 'as the gateway has it'}; "
            f"time zone {self.timezone or 'as the gateway has it'}"
        )
        device = self.device_to_choose or "left to a person"
        lines.append(
            f"second factor: TOTP_KEY {secret(self.totp_key)}; device {device}; IB Key push: wait "
            f"{self.push_timeout} s, then {self.push_timeout_action}"
        )
        if self.existing_session is ExistingSession.SECONDARY:
            retry = (f"retry every {self.reconnect_interval} s" if self.reconnect_interval
                     else "give way for good (IBGA_RECONNECT_INTERVAL=0)")
            lines.append(f"existing session: secondary (do not take over; {retry})")
        elif self.existing_session is ExistingSession.PRIMARY:
            check = (f"take it back every {self.reconnect_interval} s if lost" if self.reconnect_interval
                     else "no periodic reconnect")
            lines.append(f"existing session: primary (take over; {check})")
        else:
            lines.append("existing session: manual (leave the dialog for a person)")
        lines.append(f"login attempts: at most {self.max_logins_per_day} in 24 hours")
        if self.logoff is None and self.logoff_mode is None:
            lines.append("daily: Lock and Exit left as the gateway has it")
        else:
            mode = {LogoffMode.RESTART: "auto restart", LogoffMode.LOGOFF: "auto logoff"}.get(
                self.logoff_mode, "mode as the gateway has it")
            lines.append(f"daily: {mode} at {self.logoff or 'the time the gateway has'}")
        api_log = ("on, with market data" if self.api_log_market_data else "on") if self.api_log else "off"
        lines.append(
            f"API: socket port {self.port_internal} in the gateway, published on {self.port}; read-only API "
            f"{'on' if self.read_only_api else 'off'}; API message log {api_log}; logging level "
            f"{self.log_level or 'as the gateway has it'}"
        )
        lines.append(f"log export: {'on' if self.export_logs else 'off'} (to {self.log_export_dir})")
        lines.append(f"VNC password: {secret(self.vnc_password)}")
        if self.webhook_url is None:
            lines.append("notifications: none (IBGA_WEBHOOK_URL is not set)")
        else:
            lines.append(f"notifications: webhook {_url_host_only(self.webhook_url.reveal())} "
                         f"(from {self.webhook_url.source})")
        lines.append(
            f"gateway: installed in {self.ibg_dir}, settings in {self.ibg_settings_dir}, installer "
            f"{_safe_url(self.download_url)}"
        )
        lines.extend(f"warning: {w}" for w in self.warnings)
        return lines


def load_config(environ: Mapping[str, str] | None = None, *, machine: str | None = None) -> Config:
    """Read and check the runner's configuration.

    Parameters
    ----------
    environ
        The variables to read; `os.environ` when None. Not modified.
    machine
        The CPU architecture that picks the default installer (``platform.machine()`` when None).

    Returns
    -------
    Config
        The checked configuration: ``config.demo`` when IBGA_DEMO asks for the demo,
        ``config.manual_login`` when no IB_USERNAME (nor an alias of it) is given.

    Raises
    ------
    ConfigError
        One error listing every problem found, each line naming its variable. It never contains a
        secret value, and it is raised outside any ``except`` block, so no chained exception does either.
    """
    env = os.environ if environ is None else environ
    r = _Reader(env)
    r.translate_aliases()

    username = r.secret_group("IB_USERNAME", str.strip)
    if username is not None and any(c.isspace() for c in username.reveal()):
        r.problem(_variable(username), "contains spaces; a user name has none")
    password = r.secret_group("IB_PASSWORD")
    totp_key = _totp_key(r)
    vnc_password = r.secret_group("IBGA_VNC_PASSWORD")
    webhook_url = r.secret("IBGA_WEBHOOK_URL")
    if webhook_url is not None:
        webhook_url = Secret(webhook_url.reveal().strip(), webhook_url.source)
        wrong = _url_problem(webhook_url.reveal())
        if wrong:
            r.problem("IBGA_WEBHOOK_URL", wrong + " (the value is not shown: a webhook URL may hold a token)")

    demo = r.boolean("IBGA_DEMO")
    if username is not None and password is None and not r.has_problem(*_group("IB_PASSWORD")):
        r.problem("IB_PASSWORD", f"is not set, but {_variable(username)} is (set IB_PASSWORD or "
                                 "IB_PASSWORD_FILE)")
    if username is None and not r.has_problem(*_group("IB_USERNAME")):
        for value in (password, totp_key):
            if value is not None:
                name = _variable(value)
                r.problem(name, "is set, but IB_USERNAME is not (set IB_USERNAME or IB_USERNAME_FILE, or "
                                f"unset {name} " + ("to run the demo)" if demo else "for a manual login)"))
    if demo and username is not None:
        r.problem("IBGA_DEMO", f"is true, and {_variable(username)} is set: the demo logs the replica in "
                               "with its invented paper account, never yours; unset one of them")

    region = r.choice("IB_REGION", Region)
    timezone = r.read("IB_TIMEZONE", lambda name: _timezone(r, name))
    api_type = r.choice("IB_LOGINTAB", ApiType) or ApiType.IB_API
    trading_mode = r.read("IB_LOGINTYPE", lambda name: r.choice(
        name, TradingMode, {"live": TradingMode.LIVE, "paper": TradingMode.PAPER}))
    trading_mode = trading_mode or TradingMode.LIVE
    logoff = r.read("IB_LOGOFF", lambda name: _clock_time(r, name))
    logoff_mode = r.read("IBGA_LOGOFF_MODE", lambda name: r.choice(
        name, LogoffMode, {"auto restart": LogoffMode.RESTART, "auto logoff": LogoffMode.LOGOFF,
                           "auto log off": LogoffMode.LOGOFF}))
    if logoff_mode is None and logoff is not None:
        logoff_mode = LogoffMode.RESTART
    read_only_api = r.read("IB_READONLY", r.boolean)
    api_log_text = r.text("IB_APILOG")
    api_log_market_data = api_log_text is not None and api_log_text.lower() == "data"
    api_log = api_log_text is not None and api_log_text.lower() not in _FALSE_WORDS
    log_level = r.choice("IB_LOGLEVEL", LogLevel, {"info": LogLevel.INFORMATION})
    prefer_ib_key = r.boolean("IB_PREFER_IBKEY")
    reconnect_interval = r.integer("IBGA_RECONNECT_INTERVAL", DEFAULT_RECONNECT_INTERVAL, minimum=0)
    export_logs = r.boolean("IBGA_EXPORT_LOGS")
    ibg_dir = r.path("IBG_DIR", DEFAULT_IBG_DIR)
    ibg_settings_dir = r.read("IBG_SETTINGS_DIR", lambda name: r.path(name, DEFAULT_IBG_SETTINGS_DIR))
    log_export_dir = r.path("IBGA_LOG_EXPORT_DIR", str(ibg_settings_dir / "exported_logs"))
    port_internal = r.integer("IBG_PORT_INTERNAL", DEFAULT_IBG_PORT_INTERNAL, minimum=1, maximum=65535)
    port = r.integer("IBG_PORT", DEFAULT_IBG_PORT, minimum=1, maximum=65535)
    if port == port_internal and not r.has_problem("IBG_PORT", "IBG_PORT_INTERNAL"):
        r.problem("IBG_PORT", f"is {port}, the same as IBG_PORT_INTERNAL; the published port forwards to the "
                              "gateway's port, so they must differ")
    download_url = r.text("IBG_DOWNLOAD_URL") or default_download_url(machine)
    wrong = _url_problem(download_url)
    if wrong:
        r.problem("IBG_DOWNLOAD_URL", wrong)

    existing_session = r.read("IBGA_EXISTING_SESSION", lambda name: r.choice(name, ExistingSession))
    existing_session = existing_session or ExistingSession.PRIMARY
    device = r.read("IBGA_2FA_DEVICE", lambda name: _device(r, name))
    max_logins = r.integer("IBGA_MAX_LOGINS_PER_DAY", DEFAULT_MAX_LOGINS_PER_DAY, minimum=1)
    push_timeout = r.integer("IBGA_PUSH_TIMEOUT", DEFAULT_PUSH_TIMEOUT, *PUSH_TIMEOUT_RANGE)
    push_timeout_action = r.read("IBGA_PUSH_TIMEOUT_ACTION", lambda name: r.choice(name, PushTimeoutAction))
    push_timeout_action = push_timeout_action or PushTimeoutAction.RETRY

    if prefer_ib_key and device is not None and device.lower() != "ib key":
        r.problem("IB_PREFER_IBKEY", f"is true but {r.chosen['IBGA_2FA_DEVICE']} names another device; "
                                     "keep one of them")
    if prefer_ib_key and totp_key is not None and device is None:
        r.warn("IB_PREFER_IBKEY is ignored: TOTP_KEY is set, so the Mobile Authenticator app is chosen "
               "(as in IBGA)")
    if existing_session is ExistingSession.MANUAL and reconnect_interval:
        r.warn(f"IBGA_RECONNECT_INTERVAL is ignored: {r.chosen['IBGA_EXISTING_SESSION']}=manual leaves the "
               "dialog to a person")
    if vnc_password is not None and len(vnc_password.reveal()) > VNC_PASSWORD_LENGTH:
        r.warn(f"{_variable(vnc_password)} is longer than {VNC_PASSWORD_LENGTH} characters; VNC uses only "
               f"the first {VNC_PASSWORD_LENGTH}")
    for row in UNIMPLEMENTED:
        for name in (row.name, f"{row.name}_FILE") if row.secret else (row.name,):
            if (env.get(name) or "").strip():
                note = f" ({row.note})" if row.note else ""
                r.warn(f"{name} is a setting of {row.origin} that ibga does not implement; it is "
                       f"ignored{note}")
    unimplemented = {row.name for row in UNIMPLEMENTED}
    for name in sorted(env):
        if name.startswith(_OUR_PREFIXES) and name not in KNOWN_NAMES and name not in unimplemented:
            r.warn(f"{name} is not a variable ibga knows; it is ignored (a typo?)")

    if r.problems:
        problems = tuple(r.problems)
        if len(problems) == 1:
            message = problems[0]
        else:
            message = f"{len(problems)} configuration problems:\n" + "\n".join(f"  {p}" for p in problems)
        raise ConfigError(message, problems)

    return Config(
        username=username, password=password, region=region, timezone=timezone, api_type=api_type,
        trading_mode=trading_mode, logoff=logoff, logoff_mode=logoff_mode, read_only_api=read_only_api,
        api_log=api_log, api_log_market_data=api_log_market_data, log_level=log_level,
        prefer_ib_key=prefer_ib_key, totp_key=totp_key, reconnect_interval=reconnect_interval,
        export_logs=export_logs, log_export_dir=log_export_dir, vnc_password=vnc_password, ibg_dir=ibg_dir,
        ibg_settings_dir=ibg_settings_dir, port_internal=port_internal, port=port, download_url=download_url,
        existing_session=existing_session, second_factor_device=device, max_logins_per_day=max_logins,
        webhook_url=webhook_url, push_timeout=push_timeout, push_timeout_action=push_timeout_action,
        demo=demo, warnings=tuple(r.warnings),
    )


def default_download_url(machine: str | None = None) -> str:
    """IBGA's default installer URL: the arm build on aarch64/arm64 machines, else the x64 build."""
    machine = (machine if machine is not None else platform.machine()).lower()
    return DOWNLOAD_URL_TEMPLATE.format(arch="arm" if machine in ("aarch64", "arm64") else "x64")


class _Reader:
    """Reads variables one by one, collecting problems so that one error can name them all."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.candidates: dict[str, list[tuple[str, str]]] = {}  # ibga's name -> (alias, value in its words)
        self.chosen: dict[str, str] = {}  # ibga's name -> the variable its value came from
        self._overrides: dict[str, str] = {}  # an alias's value in ibga's words, while it is parsed
        self._conflicts: set[frozenset[str]] = set()  # pairs already reported, so a pair is one problem

    def problem(self, name: str, what: str) -> None:
        self.problems.append(f"{name}: {what}")

    def has_problem(self, *names: str) -> bool:
        return any(p.split(":", 1)[0] in names for p in self.problems)

    def warn(self, what: str) -> None:
        self.warnings.append(what)

    def translate_aliases(self) -> None:
        """Put each set non-secret alias in ibga's words under the ibga variables it stands for."""
        for alias in ALIASES:
            if alias.target in SECRET_NAMES:
                continue  # read by secret_group, as given
            value = self.text(alias.name)
            if value is None:
                continue
            if alias.values is not None:
                key = _choice_key(value)
                refused = {_choice_key(k): why for k, why in (alias.refused or {}).items()}
                if key in refused:
                    self.problem(alias.name, f"is {_shown(value)}: {refused[key]}")
                    continue
                table = {_choice_key(k): v for k, v in alias.values.items()}
                if key not in table:
                    accepted = ", ".join(f"'{k}'" for k in alias.values)
                    self.problem(alias.name, f"is {_shown(value)}; use one of {accepted}")
                    continue
                value = table[key]
            self.candidates.setdefault(alias.target, []).append((alias.name, value))
            for target, implied in alias.implies:
                self.candidates.setdefault(target, []).append((alias.name, implied))

    def read(self, target: str, parse: Callable[[str], _T]) -> _T:
        """ibga's variable `target` or an alias of it, parsed by `parse(name)`; two that disagree: a problem.

        Each one set is parsed on its own, so a wrong value is named by the variable that holds it; the
        first that parses (ibga's own name, then the aliases in table order) gives the value.
        """
        entries = [(target, None)] if self.text(target) is not None else []
        entries += self.candidates.get(target, [])
        results: list[tuple[str, _T]] = []
        for name, value in entries:
            if value is not None:
                self._overrides[name] = value
            before = len(self.problems)
            try:
                result = parse(name)
            finally:
                self._overrides.pop(name, None)
            if len(self.problems) == before:
                results.append((name, result))
        if not results:
            return parse("")  # nothing usable: the default, as when unset
        first_name, first = results[0]
        for name, result in results[1:]:
            if result != first:
                self._conflict(first_name, name, target)
        self.chosen[target] = first_name
        return first

    def _conflict(self, first: str, other: str, target: str) -> None:
        pair = frozenset((first, other))
        if pair not in self._conflicts:
            self._conflicts.add(pair)
            self.problem(first, f"is {self._said(first, target)}, and {other} is "
                                f"{self._said(other, target)}: they disagree; keep one of them")

    def _said(self, name: str, target: str) -> str:
        """A variable's value as its user wrote it, and what it means for `target` when it is implied."""
        said = _shown(self.text(name) or "")
        for alias in ALIASES:
            if alias.name == name:
                said += "".join(f" (which means {t}={v})" for t, v in alias.implies if t == target)
        return said

    def secret_group(self, target: str, normalize: Callable[[str], str] = str) -> Secret | None:
        """ibga's secret `target` or an alias of it (each NAME or NAME_FILE), normalised.

        The same value under several names is accepted (ibga's own name is kept); a different one, or
        one given directly beside another from a file, is a problem naming both, never the values.
        """
        found = []
        for name in (target, *(alias.name for alias in _ALIASES_OF.get(target, ()))):
            secret = self.secret(name)
            if secret is not None and normalize(secret.reveal()):
                found.append(Secret(normalize(secret.reveal()), secret.source))
        if not found:
            return None
        first = found[0]
        for other in found[1:]:
            a, b = _variable(first), _variable(other)
            if a.endswith("_FILE") != b.endswith("_FILE"):
                self.problem(a, f"is set, and so is {b}; keep one of them")
            elif first.reveal() != other.reveal():
                self.problem(a, f"is set, and so is {b}, to a different value (neither is shown); keep "
                                "one of them")
        return first

    def text(self, name: str) -> str | None:
        """A non-secret value: surrounding spaces and one pair of quotes removed; empty means unset."""
        value = self._overrides.get(name, self.env.get(name, "")).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].strip()
        return value or None

    def secret(self, name: str) -> Secret | None:
        """NAME or NAME_FILE, never both; the value is kept as given (a file loses one trailing newline)."""
        direct = self.env.get(name) or None
        file_name = f"{name}_FILE"
        path = (self.env.get(file_name) or "").strip() or None
        if direct is not None and path is not None:
            self.problem(name, f"is set, and so is {file_name}; keep one of them")
            return None
        if path is not None:
            value, wrong = _read_secret_file(path)
            if wrong:
                self.problem(file_name, wrong)
                return None
            secret = Secret(value, f"{file_name} ({path})")
            where = f"{file_name} ({path})"
        elif direct is not None:
            secret = Secret(direct, name)
            where = name
        else:
            return None
        if any(unicodedata.category(c) == "Cc" for c in secret.reveal()):
            self.problem(name, f"from {where} contains a line break or another control character "
                               "(the value is not shown)")
            return None
        return secret

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in _TRUE_WORDS:
            return True
        if value.lower() in _FALSE_WORDS:
            return False
        self.problem(name, f"is {_shown(value)}; use true/yes/y or false/no/n")
        return default

    def choice(self, name: str, kind: type[_E], aliases: Mapping[str, _E] | None = None) -> _E | None:
        value = self.text(name)
        if value is None:
            return None
        key = _choice_key(value)
        table = {_choice_key(member.value): member for member in kind}
        table.update({_choice_key(alias): member for alias, member in (aliases or {}).items()})
        if key in table:
            return table[key]
        accepted = ", ".join(f"'{member.value}'" for member in kind)
        self.problem(name, f"is {_shown(value)}; use one of {accepted}")
        return None

    def integer(self, name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.text(name)
        if value is None:
            return default
        if not re.fullmatch(r"[0-9]+", value):
            self.problem(name, f"is {_shown(value)}; {_range_text(minimum, maximum)}")
            return default
        number = int(value)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.problem(name, f"is {number}; {_range_text(minimum, maximum)}")
            return default
        return number

    def path(self, name: str, default: str) -> Path:
        value = self.text(name)
        if value is None:
            return Path(default)
        if "\0" in value or not PurePosixPath(value).is_absolute():
            self.problem(name, f"is {_shown(value)}; use an absolute path (starting with /)")
            return Path(default)
        return Path(value)


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"use a whole number from {minimum} to {maximum}"
    if minimum is not None:
        return f"use a whole number of at least {minimum}"
    return "use a whole number"


def _choice_key(value: str) -> str:
    """Case, hyphens, underscores and repeated spaces do not matter in choices ("paper-trading")."""
    return " ".join(value.lower().replace("-", " ").replace("_", " ").split())


def _shown(value: str, limit: int = 40) -> str:
    """A non-secret value quoted for a message, cut short so a pasted blob does not flood the log."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _read_secret_file(path: str) -> tuple[str, str | None]:
    """(value, None), or ("", what is wrong); the message names the path, never the content."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return "", f"cannot read {path}: {exc.strerror or type(exc).__name__}"
    try:
        value = data.decode("utf-8")
    except UnicodeDecodeError:
        return "", f"{path} is not UTF-8 text"
    if value.endswith("\n"):
        value = value[:-2] if value.endswith("\r\n") else value[:-1]
    if not value:
        return "", f"{path} is empty"
    return value, None


_LOGOFF_PATTERN = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*([AaPp][Mm])")


def _clock_time(r: _Reader, name: str) -> ClockTime | None:
    value = r.text(name)
    if value is None:
        return None
    match = _LOGOFF_PATTERN.fullmatch(value)
    if match:
        hour, minute = int(match[1]), int(match[2])
        if 1 <= hour <= 12 and minute <= 59:
            return ClockTime(hour, minute, match[3].upper())
    r.problem(name, f"is {_shown(value)}; use a 12-hour time hh:mm AM|PM, e.g. '11:45 PM'")
    return None


def _variable(secret: Secret) -> str:
    """The variable a secret came from: ``TWS_PASSWORD`` or ``TWS_PASSWORD_FILE``."""
    return secret.source.split(" ", 1)[0]


def _group(target: str) -> tuple[str, ...]:
    """ibga's secret variable `target`, its aliases, and their ``_FILE`` forms."""
    names = (target, *(alias.name for alias in _ALIASES_OF.get(target, ())))
    return names + tuple(f"{name}_FILE" for name in names)


def _device(r: _Reader, name: str) -> str | None:
    """IBGA_2FA_DEVICE (or an alias), as the device list shows it."""
    device = r.text(name)
    if device is not None and any(unicodedata.category(c) == "Cc" for c in device):
        r.problem(name, "contains a control character; give the device's name as the list shows it")
        return None
    return device


def _timezone(r: _Reader, name: str) -> str | None:
    """IB_TIMEZONE (or an alias) as the gateway spells it; checked against the tz database if there is one."""
    value = r.text(name)
    if value is None:
        return None
    known = {zone.lower(): zone for zone in zoneinfo.available_timezones()}
    if not known:
        return " ".join(value.replace("_", " ").split())
    zone = known.get("_".join(value.replace("_", " ").split()).lower())
    if zone is None:
        r.problem(name, f"is {_shown(value)}, not a name of the tz database; use e.g. 'America/New York' or "
                        "'Europe/London'")
        return None
    return zone.replace("_", " ")


def _totp_key(r: _Reader) -> Secret | None:
    """TOTP_KEY normalised (no spaces, upper case, no padding), checked to be base32 that pyotp accepts."""
    secret = r.secret("TOTP_KEY")
    if secret is None:
        return None
    where = secret.source.split(" ", 1)[0]
    key = "".join(secret.reveal().split()).upper().rstrip("=")
    what = None
    if not key:
        what = "is empty"
    elif any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in key):
        what = "is not base32: use only the letters A-Z and the digits 2-7"
    elif not _decodes_as_base32(key):
        what = "is not base32: its length is impossible (a character is missing or extra)"
    elif not _pyotp_accepts(key):
        what = ("is too short: pyotp, which makes the codes, needs at least 112 bits "
                "(23 base32 characters)")
    if what:
        r.problem(where, what + " (the value is not shown)")
        return None
    return Secret(key, secret.source)


def _decodes_as_base32(key: str) -> bool:
    try:
        base64.b32decode(key + "=" * (-len(key) % 8))
    except binascii.Error:
        return False
    return True


def _pyotp_accepts(key: str) -> bool:
    try:
        pyotp.TOTP(key).at(0)
    except ValueError:
        return False
    return True


def _url_problem(url: str) -> str | None:
    """What is wrong with an http(s) URL, in words that do not repeat it; None when it is fine."""
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return "is not a valid URL (check the brackets and the port)"
    if parts.scheme.lower() not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host name after http(s)://"
    return None


def _url_host(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _url_host_only(url: str) -> str:
    """Scheme and host of a URL whose path or query may hold a token."""
    return _url_host(url) + "/…"


def _safe_url(url: str) -> str:
    """A URL with any user:password@ and query (a signed mirror URL's signature) hidden."""
    parts = urlsplit(url)
    credentials = "<hidden>@" if "@" in parts.netloc else ""
    scheme, rest = _url_host(url).split("://", 1)
    return f"{scheme}://{credentials}{rest}{parts.path}" + ("?<hidden>" if parts.query else "")
