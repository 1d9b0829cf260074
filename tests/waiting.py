"""Polling helper for tests that wait on a real screen or process."""

from __future__ import annotations

import time


def wait_for(predicate, timeout: float = 15.0, step: float = 0.05):
    """Return `predicate()`'s first truthy value, polling every `step` s; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout:.1f} s")
