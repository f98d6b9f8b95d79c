"""How scenario checks fail: ``expect`` inside a ``@scenario_check`` function turns into a ConformanceFailure that
names the check, quotes its seed sentence, and gives a curl line for the request that showed it."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from conformance.checks.violation import ConformanceFailure, Violation, seed_sentence
from conformance.curl import curl_line

F = TypeVar("F", bound=Callable[..., Any])

SCENARIO_CHECKS: list[Callable[..., Any]] = []


class Mismatch(Exception):
    def __init__(self, expected: str, actual: str, response: httpx.Response | None) -> None:
        super().__init__(expected, actual)
        self.expected, self.actual, self.response = expected, actual, response


def expect(condition: object, expected: str, actual: object, response: httpx.Response | None = None) -> None:
    if not condition:
        raise Mismatch(expected, actual if isinstance(actual, str) else repr(actual), response)


def expect_status(response: httpx.Response, *allowed: int) -> None:
    expect(response.status_code in allowed, f"HTTP {' or '.join(map(str, allowed))} for {response.request.method} "
           f"{response.request.url.path}", f"HTTP {response.status_code}: {short_body(response)}", response)


def expect_refused(response: httpx.Response, why: str) -> None:
    """Some 4xx: the seeds name no error status, so where a request must be refused any client error will do."""
    expect(400 <= response.status_code < 500, f"a 4xx refusal of {response.request.method} "
           f"{response.request.url.path} ({why})", f"HTTP {response.status_code}: {short_body(response)}", response)


def expect_credentials_refused(response: httpx.Response, why: str) -> None:
    """401 or 403 (Django REST framework answers 403 in some set-ups); a 401 carries a challenge, as HTTP requires
    (RFC 9110, 15.5.2)."""
    expect(response.status_code in (401, 403), f"HTTP 401 or 403 {why}", f"HTTP {response.status_code}: "
           f"{short_body(response)}", response)
    if response.status_code == 401:
        expect(response.headers.get("WWW-Authenticate"), "a WWW-Authenticate challenge with the 401 (RFC 9110)",
               dict(response.headers), response)


def expect_no_violations(violations: list[Violation], response: httpx.Response | None) -> None:
    if violations:
        expect(False, "no violation", "; ".join(v.describe() for v in violations[:5]), response)


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise Mismatch("a JSON body", short_body(response), response) from None


def short_body(response: httpx.Response, limit: int = 300) -> str:
    text = response.text
    return text if len(text) <= limit else text[:limit] + "..."


def compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def scenario_check(func: F) -> F:
    """Mark ``func`` as a scenario check; its failures name it and quote its docstring's seed sentence."""
    return registered_check(func, SCENARIO_CHECKS)


def registered_check(func: F, registry: list[Any]) -> F:
    """Wrap ``func`` so a :class:`Mismatch` becomes a :class:`ConformanceFailure`, and list it in ``registry``."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Mismatch as mismatch:
            curl = curl_line(mismatch.response.request) if mismatch.response is not None else None
            raise ConformanceFailure(func.__name__, seed_sentence(func), mismatch.expected, mismatch.actual,
                                     curl) from None

    run.writes = True  # type: ignore[attr-defined]
    registry.append(run)
    return run  # type: ignore[return-value]


def read_only(check: F) -> F:
    """Mark a scenario check as writing nothing, so ``--read-only`` keeps it."""
    check.writes = False  # type: ignore[attr-defined]
    return check
