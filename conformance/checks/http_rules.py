"""What HTTP and JSON themselves require of any answer, whatever the request: pure functions over one exchange.

These are the only rules a request outside the contract (``api_contract/scope.py``: a method the specs do not
document, an ``Accept`` preferring another media type, a value beyond anything the seeds show) is judged by. Each
takes the request's method, the answer's status, headers (a mapping with case-insensitive keys, such as httpx's or
requests') and raw body, and returns its violations, empty when it holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from conformance.checks.violation import Violation

Rule = Callable[[str, int, Mapping[str, str], bytes], list[Violation]]


def _violation(rule: Callable[..., Any], where: str, expected: str, actual: Any) -> Violation:
    return Violation(rule.__name__, where, expected, repr(actual))


def no_server_error(method: str, status: int, headers: Mapping[str, str], body: bytes) -> list[Violation]:
    """"The 5xx (Server Error) class of status code indicates that the server is aware that it has erred" (RFC 9110,
    15.6): a request the server merely does not serve is a client's error. "501 (Not Implemented) ... is the
    appropriate response when the server does not recognize the request method" (15.6.2), so 501 is one answer to
    a method the server lacks."""
    if status < 500 or status == 501:
        return []
    return [_violation(no_server_error, "status", "no 5xx (501 only for a method the server does not implement)",
                       status)]


def json_body_is_json(method: str, status: int, headers: Mapping[str, str], body: bytes) -> list[Violation]:
    """"A JSON text is a serialized value" (RFC 8259, 2): a body the answer labels ``application/json`` (or
    ``+json``) must parse as JSON. A HEAD answer and an empty 204 or 304 carry no body."""
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if not (content_type == "application/json" or content_type.endswith("+json")):
        return []
    if method.upper() == "HEAD" or (not body and status in (204, 304)):
        return []
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        return [_violation(json_body_is_json, "body", f"JSON, as its Content-Type {content_type} says",
                           f"{error}: {body[:80]!r}")]
    return []


def method_not_allowed_names_allowed_methods(method: str, status: int, headers: Mapping[str, str],
                                             body: bytes) -> list[Violation]:
    """"The origin server MUST generate an Allow header field in a 405 response containing a list of the target
    resource's currently supported methods" (RFC 9110, 15.5.6): present, and not naming the very method refused."""
    if status != 405:
        return []
    allow = headers.get("allow")
    if allow is None:
        return [_violation(method_not_allowed_names_allowed_methods, "headers/Allow", "an Allow header on a 405",
                           None)]
    allowed = {part.strip().upper() for part in allow.split(",") if part.strip()}
    if method.upper() in allowed:
        return [_violation(method_not_allowed_names_allowed_methods, "headers/Allow",
                           f"the supported methods, not {method.upper()} which this 405 refuses", allow)]
    return []


def unauthorized_carries_a_challenge(method: str, status: int, headers: Mapping[str, str],
                                     body: bytes) -> list[Violation]:
    """"A server generating a 401 (Unauthorized) response MUST send a WWW-Authenticate header field containing at
    least one challenge applicable to the target resource" (RFC 9110, 11.6.1)."""
    if status != 401 or (headers.get("www-authenticate") or "").strip():
        return []
    return [_violation(unauthorized_carries_a_challenge, "headers/WWW-Authenticate", "a challenge on a 401", None)]


HTTP_RULES: tuple[Rule, ...] = (no_server_error, json_body_is_json, method_not_allowed_names_allowed_methods,
                                unauthorized_carries_a_challenge)


def http_violations(method: str, status: int, headers: Mapping[str, str], body: bytes) -> list[Violation]:
    """Every HTTP rule on one answer; empty when it holds."""
    return [v for rule in HTTP_RULES for v in rule(method, status, headers, body)]


def missing_header(violation: Violation) -> str | None:
    """The header a violation says the answer lacks (``WWW-Authenticate``, ``Allow``), or None when it says else."""
    if violation.where.startswith("headers/") and violation.actual == repr(None):
        return violation.where.removeprefix("headers/")
    return None
