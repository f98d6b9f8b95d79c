"""Between the front door and connexion: injected latency and faults, and the request journal.

It sits before routing and authentication, like a slow or failing proxy in front of the real service would, so it
finds the operation itself from the method and the specs' path templates. Requests to the control API (``/_mock``)
pass straight through and are not recorded.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api_contract.routing import OPERATION_API, operation_of
from mock_server.control.faults import TakenFault
from mock_server.control.journal import BODY_LIMIT
from mock_server.control.state import ControlState
from mock_server.errors import challenge, error_body

CONTROL_PREFIX = "/_mock"
# Where the server's own ``send`` is kept (FrontMiddleware puts it there), for hanging up on a client.
SERVER_SEND = "mock.server_send"


class HangUp(ConnectionError):
    """Raised where the server gives no way to close the connection (e.g. in-process test clients)."""


async def send_fault(send: Send, fault: TakenFault) -> None:
    """Answer ``fault.status`` in the error format of the API the faulted operation belongs to."""
    api = OPERATION_API[fault.operation]
    status = fault.status or 500
    message = fault.message or _reason(status)
    body = json.dumps(error_body(api, status, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", challenge(api).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def hang_up(scope: Scope) -> None:
    """Close the client's connection without answering.

    ASGI has no message for this, and uvicorn answers 500 to an app that returns or raises before responding; so we
    close the transport of uvicorn's request cycle (the owner of its ``send``) and let the server see the loss, after
    which it neither answers nor complains. Anywhere else, raise :class:`HangUp`.
    """
    server_send = scope.get(SERVER_SEND)
    transport = getattr(getattr(server_send, "__self__", None), "transport", None)
    if transport is None or not hasattr(transport, "close"):
        raise HangUp("injected fault: connection closed without a response")
    transport.close()
    for _ in range(3):  # connection_lost runs on a later loop iteration
        await asyncio.sleep(0)


class BodyTap:
    """Keeps the first ``BODY_LIMIT + 1`` bytes of a request's and its response's bodies as they pass (the extra
    byte tells the journal the body was cut). Only used while the journal keeps bodies."""

    def __init__(self, receive: Receive, send: Send) -> None:
        self.request, self.response = bytearray(), bytearray()
        self._receive, self._send = receive, send

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request" and len(self.request) <= BODY_LIMIT:
            self.request += message.get("body", b"")[:BODY_LIMIT + 1 - len(self.request)]
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.body" and len(self.response) <= BODY_LIMIT:
            self.response += message.get("body", b"")[:BODY_LIMIT + 1 - len(self.response)]
        await self._send(message)

    def bodies(self) -> tuple[bytes, bytes]:
        return bytes(self.request), bytes(self.response)


class TrafficMiddleware:
    """Delay, fail and record API requests as the control state says; free when no rule is set."""

    def __init__(self, app: ASGIApp, control: ControlState) -> None:
        self.app = app
        self.control = control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        control = self.control
        arrived, started = datetime.now(UTC), time.perf_counter()
        operation = operation_of(scope["method"], path)
        delay_ms = control.latency.delay_ms(operation)
        fault = control.faults.take(operation)
        status: int | None = None

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        # Off unless asked for (PUT /_mock/journal): the journal's usual path stays as it was, one check added.
        tap = BodyTap(receive, recording_send) if control.journal.keep_bodies else None
        app_receive, app_send = (tap.receive, tap.send) if tap is not None else (receive, recording_send)

        try:
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            if fault is None:
                await self.app(scope, app_receive, app_send)
            elif fault.action == "hangup":
                await hang_up(scope)
            else:
                await send_fault(app_send, fault)
        finally:
            control.journal.record(
                method=scope["method"], path=path, query_string=scope.get("query_string", b""), operation=operation,
                status=status, arrived=arrived, latency_ms=(time.perf_counter() - started) * 1000,
                injected_delay_ms=delay_ms, fault=fault.label if fault else None,
                bodies=tap.bodies() if tap is not None else None,
            )
