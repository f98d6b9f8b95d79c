"""The console at ``/_mock/ui/``: static files (one page, one script, one style sheet) shipped with the package, as
connexion ships Swagger UI. The page is a client of the control API under ``/_mock``; nothing here serves data."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.apis import CONTROL_BASE_PATH

CONSOLE_PATH = CONTROL_BASE_PATH + "/ui"
STATIC = Path(__file__).with_name("static")
# Only the mock's own files may run or load in the page, and no other site may frame it (it acts on the mock).
_HEADERS = [(b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"cache-control", b"no-cache")]


class _WithHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def console_url() -> str:
    return CONSOLE_PATH + "/"


def console_routes() -> list[BaseRoute]:
    def to_console(_request: object) -> RedirectResponse:
        return RedirectResponse(console_url())

    return [
        Mount(CONSOLE_PATH, app=_WithHeaders(StaticFiles(directory=STATIC, html=True)), name="console"),
        Route(CONSOLE_PATH, to_console, methods=["GET"]),
        Route(CONTROL_BASE_PATH + "/", to_console, methods=["GET"]),
    ]
