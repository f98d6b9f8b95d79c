"""The backend under test: its base URL, config, one HTTP client, what the checks created there, and what they
claimed (:mod:`conformance.claims`) so concurrent checks keep to their own flights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from conformance.claims import Claims
from conformance.config import ConformanceConfig
from conformance.rate_limit import RateLimiter


@dataclass
class Target:
    base_url: str
    config: ConformanceConfig
    http: httpx.Client
    # Undo actions for what the checks created, run by the fixture's finalizer even when a check fails.
    undo: list[Callable[[], object]] = field(default_factory=list)
    claims: Claims = field(default_factory=Claims)

    def clean_up(self) -> list[str]:
        """Run every undo action, newest first; returns the errors instead of raising (cleanup must not mask)."""
        errors = []
        while self.undo:
            action = self.undo.pop()
            try:
                action()
            except Exception as error:  # report every failed cleanup, keep going
                errors.append(repr(error))
        return errors


def make_http_client(base_url: str, *, timeout: float = 30.0, limiter: RateLimiter | None = None) -> httpx.Client:
    hooks = {"request": [limiter.httpx_hook]} if limiter is not None else {}
    # Redirects are HTTP's own (RFC 9110, 15.4), followed as every client does: a Django backend's APPEND_SLASH
    # or FastAPI's redirect_slashes answers the other trailing-slash form with one, and the seeds are silent on it.
    return httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, follow_redirects=True, event_hooks=hooks)
