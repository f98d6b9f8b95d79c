"""``--rate-limit``: at most so many requests a second to the backend, for shared staging backends.

One limiter per process, shared by every client of the process (the checks' httpx clients and the requests session
schemathesis sends through). With ``--jobs N`` each of the N processes gets an N-th of the rate, so the run as a
whole stays within it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import requests
from requests.adapters import HTTPAdapter


class RateLimiter:
    """Requests spaced at least ``1 / per_second`` apart: so no second, wherever it starts, holds more than the
    rate. Each caller reserves its slot under the lock, then sleeps outside it."""

    def __init__(self, per_second: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if per_second <= 0:
            raise ValueError("the rate limit must be above 0 requests a second")
        self.per_second = per_second
        self._clock, self._sleep = clock, sleep
        self._next = clock()  # when the next request may go
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until one more request may go."""
        with self._lock:
            now = self._clock()
            at = max(self._next, now)
            self._next = at + 1 / self.per_second
        if at > now:
            self._sleep(at - now)

    def httpx_hook(self, request: httpx.Request) -> None:
        self.wait()

    def mount_on(self, session: requests.Session) -> None:
        limiter = self

        class LimitedAdapter(HTTPAdapter):
            def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
                limiter.wait()
                return super().send(request, **kwargs)

        for prefix in ("http://", "https://"):
            session.mount(prefix, LimitedAdapter())

