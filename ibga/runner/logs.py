"""Where ibga's log goes, with every secret blanked on the way.

A filter on one logger sees only the records logged on that logger, not its children's, not other
libraries', and not the traceback text that a formatter adds later. So the filter here
(`SECRET_FILTER`) sits on handlers, where every record passes, and blanks the message, the
traceback and the stack of each record with `ibga.runner.secrecy.redact`. `setup` installs ibga's own
handler with it (the commands `run`, `supervise` and `demo`) and routes uncaught exceptions, of the
main thread and of others, through the log instead of Python's raw printing; `guard` puts the filter
on handlers someone else installed (ibga used as a library, or pytest) before the runner starts.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import IO

from ibga.runner.secrecy import redact

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TRACEBACKS = logging.Formatter()


class SecretFilter(logging.Filter):
    """Blanks hidden secret values in a record's message, traceback and stack (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit: logging would print them raw in its error report
            record.msg, record.args = f"{record.msg} (its arguments did not fit and are not shown)", ()
            message = record.msg
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


SECRET_FILTER = SecretFilter()


def setup(stream: IO[str] | None = None, level: int = logging.INFO, fmt: str = FORMAT) -> logging.Handler:
    """Log to `stream` (stderr by default) through `SECRET_FILTER`; uncaught exceptions are logged too.

    Returns the handler installed on the root logger.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(SECRET_FILTER)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    logging.captureWarnings(True)  # Python's warnings too pass the filter, instead of going to stderr raw
    return handler


def guard(logger_name: str = "ibga") -> None:
    """Put `SECRET_FILTER` on every handler that records of `logger_name` and its children reach."""
    logger: logging.Logger | None = logging.getLogger(logger_name)
    while logger is not None:
        for handler in logger.handlers:
            handler.addFilter(SECRET_FILTER)  # no duplicates: addFilter checks
        logger = logger.parent if logger.propagate else None
    logging.lastResort.addFilter(SECRET_FILTER)


def _log_uncaught(kind, value, traceback) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    logging.getLogger("ibga").critical("uncaught exception", exc_info=(kind, value, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("ibga").critical("uncaught exception in thread %s", name,
                                       exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
