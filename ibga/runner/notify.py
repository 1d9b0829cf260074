"""Telling a person that they must act: the log, and a POST to IBGA_WEBHOOK_URL when set.

The webhook gets ``{"event": ..., "message": ..., "time": ...}`` as JSON, sent from a
background thread so that a slow receiver never holds up the poll loop. The URL is a secret
(it may carry a token): it is never logged, only whether the POST worked.

Events: a person must act (``second_factor_push``, ``second_factor_code``, ``second_factor_device``,
``existing_session``, ``login_messages``, ``login_needed``, ``login_refused``, ``unknown_screen``);
the gateway is logged in but cannot be used (``settings_failed``, ``api_silent``), then usable
again (``gateway_usable``), as the status file and `ibga health` say.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request

from ibga.runner.config import Secret
from ibga.runner.status import now_iso

TIMEOUT_S = 10.0


class Notifier:
    def __init__(self, webhook: Secret | None, log: logging.Logger):
        self.webhook = webhook
        self.log = log
        self.said_unusable = False
        """The last word on the gateway's use was that it is not usable: `usable_again` says when it is."""

    def unusable(self, event: str, message: str) -> threading.Thread | None:
        """Say that the gateway, logged in, cannot be used (`notify`), and remember it for `usable_again`."""
        self.said_unusable = True
        return self.notify(event, message)

    def usable_again(self, message: str) -> threading.Thread | None:
        """Say ``gateway_usable`` if `unusable` was the last word, so that the webhook agrees with the
        status file and `ibga health`; nothing otherwise."""
        if not self.said_unusable:
            return None
        self.said_unusable = False
        return self.notify("gateway_usable", message)

    def notify(self, event: str, message: str) -> threading.Thread | None:
        """Send `message` (never a secret) to the webhook, if any; the sending thread, for tests."""
        if self.webhook is None:
            return None
        body = json.dumps({"event": event, "message": message, "time": now_iso()}).encode()
        thread = threading.Thread(target=self._post, args=(event, body), daemon=True, name="ibga-webhook")
        thread.start()
        return thread

    def _post(self, event: str, body: bytes) -> None:
        request = urllib.request.Request(self.webhook.reveal(), data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                self.log.info("webhook notified (%s): HTTP %s", event, response.status)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "code", None) or type(exc).__name__
            self.log.warning("webhook notification (%s) failed: %s", event, reason)
