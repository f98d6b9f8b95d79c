"""A generic ASGI middleware that wraps the mock and changes exactly one behaviour, chosen per test.

A :class:`Breakage` may rewrite the request (method, path, query, headers, body) before the mock sees it, answer it
itself (by setting ``status``), answer it from several calls to the mock (``respond``), and rewrite the answer
(status, headers, JSON body, or raw bytes) after. The same middleware makes broken backends (one behaviour breaks
a seed rule) and legitimate ones (one choice the seeds leave open is made differently). ``notification`` rewrites
what the mock pushes to subscribers, for servers that route the delivery worker through it; ``config`` rewrites the
suite's config (ids of another form, for instance). :func:`stacked` layers several breakages into one, as
middlewares stacked in front of the mock would be.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSIONS = "/v2/flight_sessions"
STATUS = "/flights/v1/status/"
SEARCH = "/flights/v1/search"


@dataclass
class Exchange:
    """One request as the wrapper will forward it, and then the answer it got."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # parsed JSON, or None
    status: int = 0  # set by a request rewrite to answer without calling the mock
    response_headers: dict[str, str] = field(default_factory=dict)
    response: Any = None  # parsed JSON, or None for an empty / non-JSON body
    raw_response: bytes | None = None  # sent as is when set (compressed, pretty-printed...)

    @property
    def data(self) -> Any:
        """The ``data`` of a Garuda envelope, None when the answer has none."""
        return self.response.get("data") if isinstance(self.response, dict) else None

    def sessions(self) -> list[dict[str, Any]]:
        """The flight sessions of a successful Garuda answer (one or a list), each to rewrite in place."""
        data = self.data if self.path.startswith(SESSIONS) and 200 <= self.status < 300 else None
        return [s for s in (data if isinstance(data, list) else [data]) if isinstance(s, dict)]

    def statuses(self) -> list[dict[str, Any]]:
        """The FlightStatus objects of a status or search answer (not their inbound ones), each to rewrite in place."""
        if not isinstance(self.response, dict):
            return []
        if self.path.startswith(STATUS) and "flight" in self.response:
            return [self.response]
        if self.path.startswith(SEARCH):
            return [r for r in self.response.get("results", []) if isinstance(r, dict)]
        return []


Call = Callable[..., Awaitable[Exchange]]  # (method, path, query=, headers=, body=) -> the mock's answer


def _unchanged(exchange: Exchange) -> None:
    return None


@dataclass
class Breakage:
    name: str
    request: Callable[[Exchange], None] = _unchanged
    response: Callable[[Exchange], None] = _unchanged
    respond: Callable[[Exchange, Call], Awaitable[None]] | None = None
    notification: Callable[[dict[str, Any]], None] | None = None
    config: Callable[[dict[str, Any]], dict[str, Any]] | None = None


NO_BREAKAGE = Breakage("none")


def stacked(name: str, *layers: Breakage) -> Breakage:
    """The breakages ``layers`` as one, outermost first, as that many middlewares stacked in front of the mock.

    A request passes the layers' request rewrites in order; the first layer to answer it itself (by setting
    ``status``) stops it there, so the layers inside it never see it. The answer passes back out through the
    response rewrites of the layers it went through, innermost first. Only the innermost layer may ``respond``
    (answer from calls to the mock): any layer inside it would sit between it and the mock, which a ``Call`` skips.
    What the mock pushes and the suite's config come out through the layers likewise, innermost first.
    """
    answering = [layer for layer in layers if layer.respond is not None]
    if len(answering) > 1 or (answering and layers[-1].respond is None):
        raise ValueError(f"{name}: only one layer, the innermost, may respond; "
                         f"these do: {[layer.name for layer in answering]}")
    depth: dict[int, int] = {}  # id of an exchange in flight -> how many layers its request went through

    def request(x: Exchange) -> None:
        reached = len(layers)
        for index, layer in enumerate(layers):
            layer.request(x)
            if x.status:
                reached = index + 1
                break
        depth[id(x)] = reached

    def response(x: Exchange) -> None:
        for layer in reversed(layers[:depth.pop(id(x), len(layers))]):
            layer.response(x)

    pushes = [layer.notification for layer in reversed(layers) if layer.notification is not None]
    configs = [layer.config for layer in reversed(layers) if layer.config is not None]

    def notification(status: dict[str, Any]) -> None:
        for rewrite in pushes:
            rewrite(status)

    def config(original: dict[str, Any]) -> dict[str, Any]:
        for rewrite in configs:
            original = rewrite(original)
        return original

    return Breakage(name, request=request, response=response, respond=answering[0].respond if answering else None,
                    notification=notification if pushes else None, config=config if configs else None)


class BreakingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.breakage = NO_BREAKAGE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = await Request(scope, receive).body()
        exchange = Exchange(
            method=scope["method"], path=scope["path"],
            query=dict(parse_qsl(scope["query_string"].decode(), keep_blank_values=True)),
            headers={k.decode().lower(): v.decode() for k, v in scope["headers"]},
            body=_parse(raw),
        )
        breakage = self.breakage
        breakage.request(exchange)
        original = b""
        if not exchange.status:
            call = self._caller(scope)
            if breakage.respond is not None:
                await breakage.respond(exchange, call)
            else:
                body = json.dumps(exchange.body).encode() if exchange.body is not None else raw if raw and _parse(
                    raw) is None else b""
                answered, original = await self._forward(scope, exchange, body)
                exchange.status, exchange.response_headers = answered.status, answered.response_headers
                exchange.response = answered.response
        breakage.response(exchange)
        if exchange.raw_response is not None:
            out = exchange.raw_response
        elif exchange.response is not None:
            out = json.dumps(exchange.response).encode()
        else:
            out = b"" if _parse(original) is not None else original
        out_headers = {k: v for k, v in exchange.response_headers.items() if k != "content-length"}
        out_headers["content-length"] = str(len(out))
        await send({"type": "http.response.start", "status": exchange.status,
                    "headers": [(k.encode(), v.encode()) for k, v in out_headers.items()]})
        await send({"type": "http.response.body", "body": out})

    async def _forward(self, scope: Scope, exchange: Exchange, body: bytes) -> tuple[Exchange, bytes]:
        headers = {k: v for k, v in exchange.headers.items() if k != "content-length"}
        if body:
            headers["content-length"] = str(len(body))
        inner = {**scope, "method": exchange.method, "path": exchange.path, "raw_path": exchange.path.encode(),
                 "query_string": urlencode(exchange.query).encode(),
                 "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
        status, response_headers, chunks = await _collect(self.app, inner, body)
        raw = b"".join(chunks)
        answered = Exchange(exchange.method, exchange.path, exchange.query, exchange.headers, exchange.body, status,
                            response_headers, _parse(raw))
        return answered, raw

    def _caller(self, scope: Scope) -> Call:
        async def call(method: str, path: str, *, query: dict[str, str] | None = None,
                       headers: dict[str, str] | None = None, body: Any = None) -> Exchange:
            exchange = Exchange(method, path, dict(query or {}), dict(headers or {}), body)
            encoded = json.dumps(body).encode() if body is not None else b""
            return (await self._forward(scope, exchange, encoded))[0]
        return call


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


async def _collect(app: ASGIApp, scope: Scope, body: bytes) -> tuple[int, dict[str, str], list[bytes]]:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status, headers, chunks = 0, {}, []

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, headers, chunks
