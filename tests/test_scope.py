"""Which requests the contract speaks about (api_contract/scope.py): the rule every judge of an answer follows."""

from __future__ import annotations

import pytest

from api_contract.scope import outside_contract, prefers_other_than_json


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v2/flight_sessions"), ("POST", "/v2/flight_sessions"), ("PATCH", "/v2/flight_sessions/abc"),
    ("GET", "/flights/v1/search"), ("GET", "/flights/v1/search/"), ("HEAD", "/flights/v1/status/UA576BOSSFO1606092145"),
    ("PUT", "/subscriptions/UA576BOSSFO1606092145"), ("GET", "/subscriptions/"), ("GET", "/subscriptions"),
])
def test_documented_calls_are_inside_the_contract(method: str, path: str) -> None:
    assert outside_contract(method, path) is None


@pytest.mark.parametrize(("method", "path"), [
    ("OPTIONS", "/v2/flight_sessions"), ("TRACE", "/flights/v1/search"), ("PROPFIND", "/subscriptions/"),
    ("PUT", "/v2/flight_sessions"), ("POST", "/flights/v1/status/UA576BOSSFO1606092145"),
])
def test_an_undocumented_method_is_outside_the_contract(method: str, path: str) -> None:
    assert method in outside_contract(method, path)


def test_a_path_of_neither_api_is_outside_both() -> None:
    assert outside_contract("GET", "/admin/") is not None


@pytest.mark.parametrize("accept", [None, "", "application/json", "*/*", "application/*",
                                    "application/json, text/html", "text/html;q=0.5, application/json",
                                    "application/json; charset=utf-8"])
def test_an_accept_that_takes_json_first_is_inside(accept: str | None) -> None:
    assert not prefers_other_than_json(accept)
    assert outside_contract("GET", "/flights/v1/search", accept) is None


@pytest.mark.parametrize("accept", [
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser opening the URL
    "text/html", "application/xml", "application/json;q=0", "text/csv, application/json;q=0.1",
])
def test_an_accept_preferring_another_media_type_is_outside(accept: str) -> None:
    assert prefers_other_than_json(accept)
    assert "Accept" in outside_contract("GET", "/v2/flight_sessions", accept)
