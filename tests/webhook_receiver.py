"""A real webhook receiver for the runner's end-to-end tests: `http.server` in a thread on a free port,
keeping every POST (path, headers, body). Its URL carries a token in its path and in its query, as
Slack's or ntfy's do, so that a test can prove the URL never reaches a log, a file or a process.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading

import pytest
from waiting import wait_for

TOKEN = "hOOk7okenXq93"
"""In the URL's path: a secret, like the whole URL."""
QUERY_TOKEN = "qTok3nZr51"


class Receiver:
    """What the runner POSTed, in order."""

    def __init__(self):
        self.posts: list[dict] = []
        received = self.posts

        class Handle(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/{TOKEN}?key={QUERY_TOKEN}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self, name: str | None = None) -> list[dict]:
        """The JSON bodies posted (of event `name`), checked to be what the README promises."""
        out = []
        for post in list(self.posts):
            data = checked(post)
            if name is None or data["event"] == name:
                out.append(data)
        return out

    def wait_event(self, name: str, timeout: float = 90) -> dict:
        return wait_for(lambda: next(iter(self.events(name)), None), timeout, 0.2)

    def assert_no_secret(self, *secrets: str) -> None:
        """No secret in what was posted (headers and body); the URL's tokens only in the request line."""
        assert self.posts, "nothing was posted"
        for post in self.posts:
            text = json.dumps(post["headers"]) + post["body"].decode("utf-8", "replace")
            for secret in (*secrets, TOKEN, QUERY_TOKEN, self.url):
                assert secret not in text, f"a secret was posted to the webhook: {post['body']!r}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def checked(post: dict) -> dict:
    """The body of `post` as JSON, after checking the request: the full URL (tokens included), JSON
    content, and exactly the fields event, message and time (ISO 8601, UTC, within a minute of now)."""
    assert post["path"] == f"/hooks/{TOKEN}?key={QUERY_TOKEN}", post["path"]
    assert post["headers"].get("Content-Type") == "application/json", post["headers"]
    data = json.loads(post["body"])
    assert sorted(data) == ["event", "message", "time"], data
    assert isinstance(data["event"], str) and data["event"] and isinstance(data["message"], str)
    assert data["message"].strip(), data
    when = dt.datetime.fromisoformat(data["time"])
    assert when.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.UTC) - when).total_seconds()) < 600
    return data


@pytest.fixture
def webhook():
    receiver = Receiver()
    yield receiver
    receiver.close()
