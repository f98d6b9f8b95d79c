"""The outermost layer: the mock's own routes (docs, control API), then both APIs through connexion.

It also hands every request the mock's state, and accepts both trailing-slash forms of Flightsayer's paths
(:func:`api_contract.routing.canonical_path` says why). Rather than redirect (a redirect would answer before
authentication), each request is rewritten to the form the spec declares.

Before any of that it enforces the front door: the ``Host`` a request may name (:mod:`mock_server.allowed_hosts`),
the size limits (:mod:`mock_server.limits`), who may use the control API (:mod:`mock_server.control.access`) and
that no other origin's page may (:mod:`mock_server.control.browsers`), so a foreign, oversized or unauthorised
request is refused before anything reads or buffers it.
"""

from __future__ import annotations

import json

from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api_contract.routing import api_of_path, canonical_path
from mock_server.allow import send_allow
from mock_server.allowed_hosts import AllowedHosts
from mock_server.control import ControlState
from mock_server.control.access import is_control_path
from mock_server.control.browsers import check_browser_rules, without_origin
from mock_server.errors import ApiError, error_body
from mock_server.limits import BodyTooLarge, check_request_head, limited_receive
from mock_server.state import MockState
from mock_server.traffic import SERVER_SEND


class FrontMiddleware:
    def __init__(self, app: ASGIApp, state: MockState, routes: list[BaseRoute],
                 control: ControlState | None = None, allowed_hosts: AllowedHosts | None = None) -> None:
        self.state = state
        self.allowed_hosts = allowed_hosts  # None: any Host (in-process use); the command line passes its own
        self.control = control
        self.app = app
        self.router = Router(routes, redirect_slashes=False, default=app)
        # Most requests are API calls no front route serves; they skip the router's walk over every route.
        self._own_paths = frozenset(route.path for route in routes if isinstance(route, Route))
        # A plain OPTIONS on a front route is answered here (mock_server.allow answers it on the APIs' paths), so the
        # router's 405s list it too.
        self._own_allow: dict[str, list[str]] = {}
        for route in routes:
            if isinstance(route, Route) and route.methods is not None:
                route.methods.add("OPTIONS")
                self._own_allow[route.path] = sorted(route.methods)
        self._own_prefixes = tuple(route.path + "/" for route in routes if isinstance(route, Mount))
        if any("{" in path for path in self._own_paths):
            raise ValueError("front routes must be plain paths")

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
        control = self.control or ControlState()
        try:
            if self.allowed_hosts is not None:
                self.allowed_hosts.check(scope)
            check_request_head(scope, control.max_body_bytes)
            if is_control_path(path):
                control.access.check(scope)
                check_browser_rules(scope)
                scope = without_origin(scope)
        except ApiError as refused:
            await send_error(scope, send, refused)
            return
        scope["mock.state"] = self.state
        scope["mock.control"] = self.control
        scope[SERVER_SEND] = send  # the server's own, for an injected hangup
        started = False

        async def send_without_body_type(message: Message) -> None:
            nonlocal started
            # A 204 has no body, so it has no content type either (connexion adds the operation's).
            if message["type"] == "http.response.start":
                started = True
                if message["status"] == 204:
                    message = {**message, "headers": [(k, v) for k, v in message["headers"] if k != b"content-type"]}
            await send(message)

        if scope["method"] == "OPTIONS" and path in self._own_allow:
            await send_allow(send, self._own_allow[path])
            return
        try:
            target = self.router if path in self._own_paths or path.startswith(self._own_prefixes) else self.app
            await target(scope, limited_receive(receive, control.max_body_bytes), send_without_body_type)
        except BodyTooLarge as too_large:
            # Connexion renders it when its validators read the body; a route outside connexion lets it through.
            if started:
                raise
            await send_error(scope, send, too_large)


async def send_error(scope: Scope, send: Send, error: ApiError) -> None:
    """Answer ``error`` in the format of the API ``scope``'s path belongs to, without calling the app."""
    body = json.dumps(error_body(api_of_path(scope.get("path", "")), error.status, error.message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
