"""Telling a person that they must act: the log, and a POST to IBGA_WEBHOOK_URL when set.

The webhook gets ``{"event": ..., "message": ..., "time": ...}`` as JSON, sent from a
background thread so that a slow receiver never holds up the poll loop. The URL is a secret
(it may carry a token): it is never logged, only whether the POST worked.
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
