"""OPTIONS is a method every path has: a plain ``OPTIONS`` (not a CORS preflight) is answered ``204`` with the path's
``Allow`` (Django REST framework, Express, Flask and Spring answer it too, with a 200), so ``Allow``, here and in a
405, lists no method that is refused.

It sits in connexion's stack inside the CORS middleware: a preflight (``Origin`` and
``Access-Control-Request-Method``) never gets here, and an OPTIONS from a page still gets its CORS headers. It answers
before routing and authentication: which methods a path has is in the public specs, so it needs no credentials, as a
preflight needs none. Paths of neither spec go on, to their 404.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.apis import allowed_methods


def allow_header(methods: list[str]) -> tuple[bytes, bytes]:
    return b"allow", ", ".join(methods).encode("latin-1")


async def send_allow(send: Send, methods: list[str]) -> None:
    """The answer to a plain OPTIONS: no content, the methods in ``Allow``."""
    await send({"type": "http.response.start", "status": 204, "headers": [allow_header(methods)]})
    await send({"type": "http.response.body", "body": b""})


class OptionsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            methods = allowed_methods(scope["path"])
            if methods:
                await send_allow(send, methods)
                return
        await self.app(scope, receive, send)
