"""One handler per screen kind: `handler_for(screen)` gives the one that acts on a recognized screen."""

from __future__ import annotations

from ibga.runner.handlers.base import ACTED, WAITING, Context, Handler, Outcome, Session
from ibga.runner.handlers.failures import LoginFailedHandler, RetryLaterHandler, TooManyAttemptsHandler
from ibga.runner.handlers.login import LoginHandler
from ibga.runner.handlers.main_window import MainWindowHandler
from ibga.runner.handlers.notices import AnswerHandler, LeaveAloneHandler, LoginMessagesHandler, WaitHandler
from ibga.runner.handlers.second_factor import DeviceChoiceHandler, PushHandler, TotpHandler
from ibga.runner.handlers.session import ExistingSessionHandler, ReloginHandler, TokenExpiredHandler
from ibga.runner.handlers.unknown import UnknownHandler

ALL: tuple[Handler, ...] = (
    LoginHandler(), TotpHandler(), PushHandler(), DeviceChoiceHandler(),
    ExistingSessionHandler(), ReloginHandler(), TokenExpiredHandler(),
    LoginFailedHandler(), TooManyAttemptsHandler(), RetryLaterHandler(),
    AnswerHandler(), LoginMessagesHandler(), WaitHandler(), LeaveAloneHandler(),
    MainWindowHandler(), UnknownHandler(),
)

_BY_SCREEN: dict[str, Handler] = {}
for _handler in ALL:
    for _screen in _handler.screens:
        if _screen in _BY_SCREEN:
            raise RuntimeError(f"two handlers for screen {_screen!r}")
        _BY_SCREEN[_screen] = _handler


def handler_for(screen: str) -> Handler | None:
    """The handler of `screen`, or None for a recognized screen that no handler knows (left alone)."""
    return _BY_SCREEN.get(screen)


__all__ = ["ACTED", "ALL", "WAITING", "Context", "Handler", "Outcome", "Session", "handler_for"]
