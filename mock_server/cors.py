"""Which browser origins may read the two APIs: the pages a frontend developer serves on their own machine.

By default any ``http(s)://localhost``, ``127.0.0.1`` or ``[::1]`` origin on any port (Vite, webpack, Next.js dev
servers), and no other: a page on some website the developer visits cannot read the mock's answers (Vite closed the
same hole in CVE-2025-24010). ``--cors-origin ORIGIN`` adds origins; ``--cors-origin '*'`` allows any, as the mock did
before. A Private Network Access preflight (a page on a public address asking to reach a private one) is never
granted: a page that needs the mock is served from the developer's machine, or the mock is deployed where the page's
users reach it anyway.

The rules are starlette's ``CORSMiddleware``'s, configured here once for both the connexion stack and the fast path;
only a refused preflight is answered differently: 403 in the API's own error format, naming the option, instead of
starlette's plain-text 400. The control API (``/_mock``) grants no origin at all (:mod:`mock_server.control.browsers`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api_contract.routing import api_of_path
from mock_server.errors import ApiError, error_body

ANY = "*"
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"
_LOCAL = re.compile(LOCAL_ORIGINS)
PRIVATE_NETWORK_REQUEST = b"access-control-request-private-network"


class CorsPolicy:
    """The local origins, plus ``origins`` (``*``: any)."""

    def __init__(self, origins: Iterable[str] = ()) -> None:
        self.origins = tuple(origin.strip().rstrip("/") for origin in origins if origin.strip())
        self.any = ANY in self.origins

    def allows(self, origin: str) -> bool:
        return self.any or origin in self.origins or _LOCAL.fullmatch(origin) is not None

    def middleware_options(self) -> dict[str, Any]:
        """Starlette ``CORSMiddleware`` settings for this policy."""
        return {"allow_origins": [ANY] if self.any else list(self.origins),
                "allow_origin_regex": None if self.any else LOCAL_ORIGINS,
                "allow_methods": ["*"], "allow_headers": ["*"], "expose_headers": ["WWW-Authenticate"]}


def preflight_refused(origin: str, origin_allowed: bool) -> ApiError:
    """The 403 a refused preflight gets."""
    if origin_allowed:
        return ApiError(403, f"Private Network Access is not granted, not even to {origin[:100]!r}")
    return ApiError(403, f"Cross-origin requests from {origin[:100]!r} are not allowed; start with --cors-origin "
                         f"{origin[:100]} to allow them")


class ApiCorsMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, refusing a preflight in the API's own format."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and "access-control-request-method" in headers:
                answer = self.preflight_response(request_headers=headers)
                if answer.status_code != 200:
                    refused = preflight_refused(origin, self.is_allowed_origin(origin))
                    body = json.dumps(error_body(api_of_path(scope["path"]), 403, refused.message)).encode()
                    kept = {k: v for k, v in answer.headers.items() if not k.startswith("access-control-")
                            and k not in ("content-type", "content-length")}
                    answer = Response(body, 403, headers=kept, media_type="application/json")
                await answer(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
