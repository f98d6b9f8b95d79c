"""What HTTP and JSON require of any answer (conformance/checks/http_rules.py): each rule fails a broken answer and
passes the answers real frameworks give by default to requests outside the contract."""

from __future__ import annotations

import pytest

from conformance.checks.http_rules import http_violations

JSON = {"content-type": "application/json"}


def rules_broken(method: str, status: int, headers: dict[str, str], body: bytes = b"") -> set[str]:
    return {v.check for v in http_violations(method, status, headers, body)}


@pytest.mark.parametrize(("method", "status", "headers", "body"), [
    # Django REST framework's OPTIONS metadata
    ("OPTIONS", 200, {**JSON, "allow": "GET, POST, HEAD, OPTIONS"},
     b'{"name": "Flight Session List Create", "renders": ["application/json", "text/html"], "actions": {}}'),
    # Express's automatic OPTIONS answer
    ("OPTIONS", 200, {"content-type": "text/html; charset=utf-8", "allow": "GET,HEAD,POST"}, b"GET,HEAD,POST"),
    # FastAPI's 405 and Express's 404 for an unrouted method
    ("OPTIONS", 405, {**JSON, "allow": "GET"}, b'{"detail":"Method Not Allowed"}'),
    ("PROPFIND", 404, {"content-type": "text/html; charset=utf-8"}, b"<pre>Cannot PROPFIND /v2/flight_sessions</pre>"),
    ("TRACE", 501, {}, b""),
    # Django REST framework's browsable API, and its 403 from a non-challenging authenticator
    ("GET", 200, {"content-type": "text/html; charset=utf-8"}, b"<html>Flight Session List</html>"),
    ("GET", 403, JSON, b'{"detail": "Authentication credentials were not provided."}'),
    ("GET", 401, {**JSON, "www-authenticate": "Token"}, b'{"detail": "Invalid token."}'),
    ("DELETE", 204, JSON, b""),
    ("HEAD", 200, JSON, b""),
])
def test_framework_defaults_keep_every_http_rule(method: str, status: int, headers: dict[str, str],
                                                 body: bytes) -> None:
    assert rules_broken(method, status, headers, body) == set()


def test_a_server_error_breaks_no_server_error() -> None:
    assert rules_broken("OPTIONS", 500, {}) == {"no_server_error"}
    assert rules_broken("GET", 503, {}) == {"no_server_error"}


def test_a_body_labelled_json_that_is_not_breaks_json_body_is_json() -> None:
    assert rules_broken("GET", 200, JSON, b"<html>oops</html>") == {"json_body_is_json"}
    assert rules_broken("GET", 400, {"content-type": "application/problem+json"}, b"{") == {"json_body_is_json"}


def test_a_405_without_allow_breaks_its_rule() -> None:
    assert rules_broken("PUT", 405, JSON, b"{}") == {"method_not_allowed_names_allowed_methods"}


def test_a_405_whose_allow_names_the_refused_method_breaks_its_rule() -> None:
    broken = rules_broken("PUT", 405, {**JSON, "allow": "GET, PUT"}, b"{}")
    assert broken == {"method_not_allowed_names_allowed_methods"}


def test_a_401_without_a_challenge_breaks_its_rule() -> None:
    assert rules_broken("GET", 401, JSON, b'{"success": false}') == {"unauthorized_carries_a_challenge"}
