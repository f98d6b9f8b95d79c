"""Who may use the control API (``/_mock``): everyone (the default, for a developer's laptop), nobody
(``--no-control``), or whoever sends the token (``--control-token``), for a mock shared by a team.

Anyone who can reach the control API can wipe or replace every tenant's data, read the request journal and make the
mock fail on purpose; on a shared deployment that must not be one request away from any client.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from starlette.types import Scope

from mock_server.apis import CONTROL_BASE_PATH
from mock_server.console import CONSOLE_PATH
from mock_server.errors import ApiError

TOKEN_REQUIRED = "Control API token missing or invalid; send 'Authorization: Bearer <control token>'."
NO_SUCH_ENDPOINT = "No such endpoint"


def is_control_path(path: str) -> bool:
    return path == CONTROL_BASE_PATH or path.startswith(CONTROL_BASE_PATH + "/")


INBOX_PREFIX = CONTROL_BASE_PATH + "/inbox/"


def _needs_no_token(scope: Scope) -> bool:
    """The console's own files (HTML, script, style: no data; the page then asks for the token), and a POST into an
    inbox: the mock's own webhook deliveries cannot carry the token, and writing one bounded inbox reveals nothing.
    Reading an inbox back needs the token like the rest."""
    path, method = scope.get("path", ""), scope.get("method")
    if method in ("GET", "HEAD") and (path in (CONTROL_BASE_PATH + "/", CONSOLE_PATH)
                                      or path.startswith(CONSOLE_PATH + "/")):
        return True
    return method == "POST" and path.startswith(INBOX_PREFIX) and "/" not in path[len(INBOX_PREFIX):]


@dataclass(frozen=True)
class ControlAccess:
    enabled: bool = True
    token: str | None = None  # None: no token needed

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            raise ValueError("the control token must not be empty")

    def check(self, scope: Scope) -> None:
        """Raise the answer a control request gets when it may not pass: 404 when switched off, 401 without the
        token. The token is compared in constant time, so timing does not reveal how much of a guess was right."""
        if not self.enabled:
            raise ApiError(404, NO_SUCH_ENDPOINT)
        if self.token is None or _needs_no_token(scope):
            return
        given = [v for k, v in scope.get("headers", []) if k.lower() == b"authorization"]
        scheme, _, credential = (given[0] if len(given) == 1 else b"").partition(b" ")
        ok = hmac.compare_digest(credential.strip(), self.token.encode())
        if scheme.lower() != b"bearer" or not ok:
            raise ApiError(401, TOKEN_REQUIRED, headers={"WWW-Authenticate": 'Bearer realm="mock control"'})
