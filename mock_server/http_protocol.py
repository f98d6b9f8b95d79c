"""uvicorn's HTTP/1.1 protocol (httptools), answering in the API's own error format what uvicorn answers itself, and
shedding connections that hold a descriptor without making a request.

**Requests that break HTTP.** A request whose bytes break HTTP itself (a malformed chunked body, a broken request
line or header) is refused by uvicorn's protocol, not by the app, which never reads those bytes: the protocol catches
the parser's error, writes ``400 Invalid HTTP request received.`` as text/plain, and closes the connection. That
answer is written by ``send_400_response(msg)``, the one method both of uvicorn's HTTP/1.1 protocols call for it, so
overriding it changes the body and nothing else: still 400, uvicorn's message and log line, the connection closed.
The body is the error format of the API whose path the request named, or the plain ``{"detail": ...}`` when the
head broke before its path was read. Proven against a real server by ``tests/robustness/test_malformed_http.py``.

**Idle and slow connections** (:mod:`mock_server.connections` says why and the bounds). Each connection holds one
deadline at a time: from its first moment, and again after each answer, ``idle_seconds`` to begin a request (after
an answer it is uvicorn's own keep-alive timer, only taken out of uvicorn's hands so that bytes which begin no
request, such as stray blank lines, do not cancel it); once a request has begun and its head did not arrive in the
same read, ``head_seconds`` to complete the head, else 408. A head that arrives whole in one read (nearly every
request) arms no timer at all. Beyond ``max_connections`` a connection's requests are answered 503 with
``Connection: close``, in the API's format. Proven by ``tests/robustness/test_slow_and_idle_connections.py``.
"""

from __future__ import annotations

import json
from asyncio import TimerHandle

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from api_contract.routing import api_of_path
from mock_server.connections import ConnectionLimits
from mock_server.errors import error_body


class ApiErrorHttpProtocol(HttpToolsProtocol):
    limits = ConnectionLimits()

    @classmethod
    def with_limits(cls, limits: ConnectionLimits) -> type[ApiErrorHttpProtocol]:
        """This protocol with ``limits`` (uvicorn makes one instance per connection from the class it is given)."""
        return type(cls.__name__, (cls,), {"limits": limits})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: TimerHandle | None = None
        self._in_head = False
        self._over_cap = False

    # -- answers uvicorn writes itself -------------------------------------------------------------------------------
    def send_400_response(self, msg: str) -> None:
        if self.cycle is not None and not self.cycle.response_complete and self.cycle.response_started:
            self.transport.close()  # the app has begun its own answer: a second status line would corrupt it
            return
        self._write_error_and_close(400, (self.scope or {}).get("path", ""), msg)

    def _write_error_and_close(self, status: int, path: str, message: str) -> None:
        body = json.dumps(error_body(api_of_path(path), status, message)).encode()
        head = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(body),
                 b"connection: close\r\n", b"\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    async def _busy(self, scope, receive, send) -> None:
        """The app a connection beyond the cap is served by."""
        message = (f"The server has {self.limits.max_connections} connections open, its limit; retry on a new "
                   "connection later")
        body = json.dumps(error_body(api_of_path(scope["path"]), 503, message)).encode()
        await send({"type": "http.response.start", "status": 503,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body)),
                                (b"retry-after", b"1"), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    # -- deadlines -----------------------------------------------------------------------------------------------
    def _set_deadline(self, handle: TimerHandle | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = handle

    def _close_idle(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def _head_too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # an earlier pipelined request's answer is due first: no room for a 408
            return
        path = self.url.partition(b"?")[0].decode("latin-1")
        self._write_error_and_close(408, path, f"Request head not complete within {self.limits.head_seconds:g} "
                                               "seconds")

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        cap = self.limits.max_connections
        self._over_cap = cap is not None and len(self.connections) > cap
        self._set_deadline(self.loop.call_later(self.limits.idle_seconds, self._close_idle))

    def connection_lost(self, exc: Exception | None) -> None:
        self._set_deadline(None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._in_head and self._deadline is None and not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.limits.head_seconds, self._head_too_slow)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        if self._deadline is not None:  # the idle deadline: a request has begun
            self._set_deadline(None)

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._deadline is not None:
            self._set_deadline(None)
        if not self._over_cap:
            super().on_headers_complete()
            return
        app, self.app = self.app, self._busy  # uvicorn reads self.app here to start the request's task
        try:
            super().on_headers_complete()
        finally:
            self.app = app

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.timeout_keep_alive_task is not None and not self._in_head:
            # uvicorn's keep-alive timer becomes the idle deadline, which only a request's first byte cancels.
            self._set_deadline(self.timeout_keep_alive_task)
            self.timeout_keep_alive_task = None


def server_config(app: object, host: str, port: int, log_level: str, limits: ConnectionLimits) -> uvicorn.Config:
    """uvicorn's settings for the mock and the proxy: this protocol, with ``limits``; keep-alive as idle."""
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                          http=ApiErrorHttpProtocol.with_limits(limits), timeout_keep_alive=limits.idle_seconds)
