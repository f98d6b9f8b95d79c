"""uvicorn's HTTP/1.1 protocol (httptools), answering a request it cannot parse in the API's own error format.

A request whose bytes break HTTP itself (a malformed chunked body, a broken request line or header) is refused by
uvicorn's protocol, not by the app, which never reads those bytes: the protocol catches the parser's error, writes
``400 Invalid HTTP request received.`` as text/plain, and closes the connection. That answer is written by
``send_400_response(msg)``, the one method both of uvicorn's HTTP/1.1 protocols call for it, so a subclass overriding
it (handed to uvicorn as ``http=``) changes the body and nothing else: still 400, uvicorn's message and log line, the
connection closed. The body is the error format of the API whose path the request named, or the plain
``{"detail": ...}`` when the head broke before its path was read. Proven against a real server by
``tests/robustness/test_malformed_http.py``.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from api_contract.routing import api_of_path
from mock_server.errors import error_body


class ApiErrorHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        if self.cycle is not None and not self.cycle.response_complete and self.cycle.response_started:
            self.transport.close()  # the app has begun its own answer: a second status line would corrupt it
            return
        path = (self.scope or {}).get("path", "")
        body = json.dumps(error_body(api_of_path(path), 400, msg)).encode()
        head = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(body),
                 b"connection: close\r\n", b"\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
