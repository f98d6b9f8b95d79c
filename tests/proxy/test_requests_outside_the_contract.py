"""Live traffic outside the contract (api_contract/scope.py) is judged by HTTP alone: a browser opening a framework's
browsable API, an OPTIONS answered with a framework's metadata, a method no spec has; never by the rules of the
operation the path would otherwise name."""

from __future__ import annotations

import json

from conformance.contract_validation import ContractValidator, RecordedRequest, RecordedResponse

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON = (("content-type", "application/json"),)
VALIDATOR = ContractValidator()


def response_violations(request: RecordedRequest, response: RecordedResponse) -> list[str]:
    return [v.check for v in VALIDATOR.judge(request, response).response]


def test_a_browsable_api_page_for_a_browser_breaks_nothing() -> None:
    request = RecordedRequest("GET", "/v2/flight_sessions", headers=(("accept", BROWSER),))
    page = RecordedResponse(200, (("content-type", "text/html; charset=utf-8"),), b"<html>Flight Session List</html>")
    assert response_violations(request, page) == []


def test_the_same_page_for_a_json_client_breaks_the_operation() -> None:
    request = RecordedRequest("GET", "/v2/flight_sessions", headers=(("accept", "application/json"),))
    page = RecordedResponse(200, (("content-type", "text/html; charset=utf-8"),), b"<html>Flight Session List</html>")
    assert response_violations(request, page) != []


def test_an_options_metadata_document_breaks_nothing() -> None:
    metadata = json.dumps({"name": "Flight Session List Create", "renders": ["application/json"]}).encode()
    request = RecordedRequest("OPTIONS", "/v2/flight_sessions")
    assert response_violations(request, RecordedResponse(200, JSON, metadata)) == []


def test_an_undocumented_method_is_held_to_http() -> None:
    request = RecordedRequest("PROPFIND", "/subscriptions/")
    assert response_violations(request, RecordedResponse(404, (("content-type", "text/html"),), b"Cannot")) == []
    assert response_violations(request, RecordedResponse(500, JSON, b'{"detail": "boom"}')) == ["no_server_error"]
    assert response_violations(request, RecordedResponse(405, JSON, b"{}")) == [
        "method_not_allowed_names_allowed_methods"]
