"""Backends for the proxy to stand in front of: one that answers whatever a test sets, one that never answers."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.types import Receive, Scope, Send


@dataclass
class Received:
    method: str
    path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name.lower()]


@dataclass
class CannedUpstream:
    """An ASGI backend that answers the status, body and headers a test sets, and keeps every request it got."""

    status: int = 200
    body: bytes = b"{}"
    headers: list[tuple[bytes, bytes]] = field(default_factory=lambda: [(b"content-type", b"application/json")])
    received: list[Received] = field(default_factory=list)

    def answer(self, status: int, payload: Any, *, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.status = status
        self.body = b"" if payload is None else json.dumps(payload).encode()
        self.headers = headers if headers is not None else [(b"content-type", b"application/json")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await Request(scope, receive).body()
        self.received.append(Received(scope["method"], scope["path"], scope["query_string"].decode(),
                                      [(k.decode().lower(), v.decode()) for k, v in scope["headers"]], body))
        length = [(b"content-length", str(len(self.body)).encode())]
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers + length})
        await send({"type": "http.response.body", "body": self.body})


class StalledUpstream:
    """Accepts connections and never answers, until released (so its server can stop at once)."""

    def __init__(self) -> None:
        self.released = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        while scope["type"] == "http" and not self.released.is_set():
            await asyncio.sleep(0.05)
