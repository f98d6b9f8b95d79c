"""Stacked breakages behave as middlewares stacked in front of the mock would: requests go in through the layers,
answers, pushes and the config come out through them, and a layer that answers itself hides the request from the
layers inside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conformance.breakage import Breakage, Exchange, stacked


def _exchange(path: str = "/v2/flight_sessions") -> Exchange:
    return Exchange("GET", path, {}, {}, None)


def _recording(name: str, seen: list[str], *, answers: bool = False) -> Breakage:
    def request(x: Exchange) -> None:
        seen.append(f"{name} request")
        if answers:
            x.status = 418

    def response(x: Exchange) -> None:
        seen.append(f"{name} response")

    return Breakage(name, request=request, response=response)


def test_requests_pass_the_layers_outermost_first_and_answers_innermost_first() -> None:
    seen: list[str] = []
    both = stacked("both", _recording("outer", seen), _recording("inner", seen))
    exchange = _exchange()
    both.request(exchange)
    both.response(exchange)
    assert seen == ["outer request", "inner request", "inner response", "outer response"]


def test_a_layer_answering_itself_hides_the_request_from_the_layers_inside_it() -> None:
    seen: list[str] = []
    three = stacked("three", _recording("outer", seen), _recording("middle", seen, answers=True),
                    _recording("inner", seen))
    exchange = _exchange()
    three.request(exchange)
    three.response(exchange)
    assert seen == ["outer request", "middle request", "middle response", "outer response"]


def test_only_the_innermost_layer_may_answer_from_calls_to_the_mock() -> None:
    async def respond(x: Exchange, call: Any) -> None:
        x.status = 200

    answering = Breakage("answering", respond=respond)
    assert stacked("fine", Breakage("outer"), answering).respond is respond
    with pytest.raises(ValueError, match="innermost"):
        stacked("outside", answering, Breakage("inner"))
    with pytest.raises(ValueError, match="innermost"):
        stacked("two", Breakage("other", respond=respond), answering)


def test_pushes_and_the_config_come_out_through_the_layers_innermost_first() -> None:
    def mark(name: str) -> Callable[[dict[str, Any]], Any]:
        def rewrite(value: dict[str, Any]) -> dict[str, Any]:
            value.setdefault("through", []).append(name)
            return value
        return rewrite

    both = stacked("both", Breakage("outer", notification=mark("outer"), config=mark("outer")),
                   Breakage("inner", notification=mark("inner"), config=mark("inner")))
    pushed: dict[str, Any] = {}
    both.notification(pushed)
    assert pushed["through"] == ["inner", "outer"]
    assert both.config({})["through"] == ["inner", "outer"]
    assert stacked("none", Breakage("a"), Breakage("b")).notification is None
