"""The webhook receiver: a tiny ASGI app, served by uvicorn in a thread, that records every POST it gets.

Each check subscribes with its own path (``new_path``), so what arrives can be told apart per check, and anything
arriving at a path of this run that no check expected is visible too. The server binds ``host:port`` (port 0 = a
free one); the URL handed to subscriptions is built on ``public_url`` when the backend must reach the receiver by
another address than the bound one (NAT, a container's published port).

A run is served by one receiver, whatever ``--jobs`` says: the backend reaches one address (the user's
``--webhook-port``, a published port), and "nothing arrives" is judged over everything that arrived. The process
that serves it hosts it; the suite's other processes read what arrived through :class:`RemoteReceiver`, which asks
the receiver itself (``GET /<run token>/_arrivals``, with a key only the run knows).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import uvicorn
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

STARTUP_SECONDS = 20.0
ARRIVALS = "_arrivals"  # the run's own query path, under the run token
KEY_HEADER = "x-receiver-key"
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Arrival:
    """One POST as it arrived: where, what (parsed JSON, or None with the raw text kept), and when."""

    path: str
    body: Any
    text: str
    at: float  # time.monotonic()

    @property
    def flight_id(self) -> Any:
        flight = self.body.get("flight") if isinstance(self.body, dict) else None
        return flight.get("id") if isinstance(flight, dict) else None


class Receiver(Protocol):
    """What the push-notification checks use of a receiver, hosted here or asked remotely."""

    def new_path(self, label: str) -> str: ...

    def url(self, path: str) -> str: ...

    def received(self, predicate: Callable[[Arrival], bool] = ...) -> list[Arrival]: ...

    def wait_for(self, predicate: Callable[[Arrival], bool], timeout: float) -> Arrival | None: ...


def _path_label(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", label)


@dataclass
class WebhookReceiver:
    """Records POSTs under ``/<run token>/...``; anything else answers 404 and is not recorded."""

    public_url: str = ""  # set by ``serve_receiver``
    local_url: str = ""  # where the run's own processes reach it; set by ``serve_receiver``
    token: str = field(default_factory=lambda: secrets.token_hex(6))
    key: str = field(default_factory=lambda: secrets.token_urlsafe(16))  # for the run's processes only
    arrivals: list[Arrival] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _counter: Iterator[int] = field(default_factory=itertools.count)

    def new_path(self, label: str) -> str:
        """A path of this run no other check uses, e.g. ``/3f9a.../notification_arrives-0``."""
        return f"/{self.token}/{_path_label(label)}-{next(self._counter)}"

    def url(self, path: str) -> str:
        return self.public_url.rstrip("/") + path

    def ours(self, path: str) -> bool:
        return path.startswith(f"/{self.token}/")

    def received(self, predicate: Callable[[Arrival], bool] = lambda arrival: True) -> list[Arrival]:
        with self._changed:
            return [arrival for arrival in self.arrivals if predicate(arrival)]

    def wait_for(self, predicate: Callable[[Arrival], bool], timeout: float) -> Arrival | None:
        """The first arrival matching ``predicate``, waiting up to ``timeout`` seconds for it; None if none came."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for arrival in self.arrivals:
                    if predicate(arrival):
                        return arrival
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def _record(self, path: str, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace")
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        with self._changed:
            self.arrivals.append(Arrival(path, body, text, time.monotonic()))
            self._changed.notify_all()

    def _listed(self, first: int) -> bytes:
        with self._changed:
            shown = self.arrivals[first:]
        return json.dumps([{"path": a.path, "text": a.text, "at": a.at} for a in shown]).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        if scope["method"] == "GET" and scope["path"] == f"/{self.token}/{ARRIVALS}":
            allowed = secrets.compare_digest(request.headers.get(KEY_HEADER, ""), self.key)
            first = request.query_params.get("from", "0")
            body = self._listed(int(first)) if allowed and first.isdigit() else b""
            await send({"type": "http.response.start", "status": 200 if body else 404,
                        "headers": [(b"content-type", b"application/json")] if body else []})
            await send({"type": "http.response.body", "body": body})
            return
        raw = await request.body()
        recorded = scope["method"] == "POST" and self.ours(scope["path"])
        if recorded:
            self._record(scope["path"], raw)
        await send({"type": "http.response.start", "status": 204 if recorded else 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@dataclass
class RemoteReceiver:
    """The run's receiver as another process of the run sees it: paths of its own (``prefix``), arrivals fetched
    from the hosting process as they are needed."""

    public_url: str
    local_url: str
    token: str
    key: str
    prefix: str  # this process's, so no two processes hand out one path
    arrivals: list[Arrival] = field(default_factory=list)
    _counter: Iterator[int] = field(default_factory=itertools.count)

    def new_path(self, label: str) -> str:
        return f"/{self.token}/{_path_label(self.prefix)}-{_path_label(label)}-{next(self._counter)}"

    def url(self, path: str) -> str:
        return self.public_url.rstrip("/") + path

    def _fetch(self) -> None:
        response = httpx.get(f"{self.local_url}/{self.token}/{ARRIVALS}", params={"from": len(self.arrivals)},
                             headers={KEY_HEADER: self.key}, timeout=10)
        response.raise_for_status()
        for row in response.json():
            text = row["text"]
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = None
            self.arrivals.append(Arrival(row["path"], body, text, row["at"]))

    def received(self, predicate: Callable[[Arrival], bool] = lambda arrival: True) -> list[Arrival]:
        self._fetch()
        return [arrival for arrival in self.arrivals if predicate(arrival)]

    def wait_for(self, predicate: Callable[[Arrival], bool], timeout: float) -> Arrival | None:
        deadline = time.monotonic() + timeout
        while True:
            found = next(iter(self.received(predicate)), None)
            if found is not None or time.monotonic() >= deadline:
                return found
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def describe(self) -> dict[str, str]:
        return {"public_url": self.public_url, "local_url": self.local_url, "token": self.token, "key": self.key}


@contextmanager
def serve_receiver(host: str = "127.0.0.1", port: int = 0, public_url: str | None = None) -> Iterator[WebhookReceiver]:
    """Serve a fresh receiver on ``host:port`` until the block ends; its ``public_url`` is ``public_url`` if given,
    else ``http://host:bound port``."""
    receiver = WebhookReceiver()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    receiver.public_url = (public_url or f"http://{shown}:{bound}").rstrip("/")
    local = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, shown)  # an address this machine's processes reach
    receiver.local_url = f"http://{local}:{bound}"
    server = uvicorn.Server(uvicorn.Config(receiver, log_level="error", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="webhook-receiver", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the webhook receiver did not start on {host}:{bound}")
            time.sleep(0.01)
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
