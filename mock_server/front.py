"""The outermost layer: the mock's own routes (docs, control API), then both APIs through connexion.

It also hands every request the mock's state, and accepts both trailing-slash forms: Django REST framework routes end
in a slash (`/subscriptions/`) and its links keep it (the seed's `next` link points at `/flights/v1/search/`), and
clients write both. Rather than redirect (a redirect would answer before authentication), each request is rewritten
to the form the spec declares.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.control import ControlState
from mock_server.state import MockState
from mock_server.traffic import SERVER_SEND

_CANONICAL = {"/subscriptions": "/subscriptions/", "/flights/v1/search/": "/flights/v1/search"}


def canonical_path(path: str) -> str:
    if path in _CANONICAL:
        return _CANONICAL[path]
    if path.startswith(("/subscriptions/", "/flights/v1/status/")) and path.endswith("/") and path.count("/") == 4:
        return path[:-1]
    return path


class FrontMiddleware:
    def __init__(self, app: ASGIApp, state: MockState, routes: list[BaseRoute],
                 control: ControlState | None = None) -> None:
        self.state = state
        self.control = control
        self.app = app
        self.router = Router(routes, redirect_slashes=False, default=app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            # A Router answers lifespan events itself; the app behind it (its delivery worker) must see them.
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        path = canonical_path(scope["path"])
        if path != scope["path"]:
            scope = {**scope, "path": path, "raw_path": path.encode()}
        scope["mock.state"] = self.state
        scope["mock.control"] = self.control
        scope[SERVER_SEND] = send  # the server's own, for an injected hangup

        async def send_without_body_type(message: Message) -> None:
            # A 204 has no body, so it has no content type either (connexion adds the operation's).
            if message["type"] == "http.response.start" and message["status"] == 204:
                message = {**message, "headers": [(k, v) for k, v in message["headers"] if k != b"content-type"]}
            await send(message)

        await self.router(scope, receive, send_without_body_type)
