"""Authentication, checked after routing and before anything else looks at the request.

Garuda: "-H 'Authorization: Bearer <AUTH_TOKEN>' -H 'X-API-Key: <API_KEY>'" on every call; both must belong to one
company. Flightsayer: "-H 'Authorization: Token <insert token>'". A 401 never says which credential was wrong.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from api_contract.routing import OPERATION_API
from mock_server.errors import ApiError
from mock_server.state import MockState

GARUDA_DENIED = "Invalid or missing credentials"
DRF_MISSING = "Authentication credentials were not provided."
DRF_INVALID = "Invalid token."


@dataclass(frozen=True)
class Principal:
    """Who is calling: a Garuda company or a Flightsayer user."""

    api: str
    tenant: str  # company_id or username


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v for k, v in scope.get("headers", []) if k.lower() == name]
    if len(values) != 1:  # absent, or sent twice: ambiguous either way
        return None
    try:
        return values[0].decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        return None


def _matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode())


def authenticate_garuda(state: MockState, scope: Scope) -> Principal:
    authorization = _header(scope, b"authorization") or ""
    scheme, _, token = authorization.partition(" ")
    api_key = _header(scope, b"x-api-key") or ""
    company_id = None
    # Compare against every company so the time taken does not reveal which one (or which credential) matched.
    for company in state.garuda.companies.values():
        token_ok = _matches(token.strip(), company.token)
        key_ok = _matches(api_key.strip(), company.api_key)
        if token_ok and key_ok:
            company_id = company.company_id
    if scheme.lower() != "bearer" or company_id is None:
        raise ApiError(401, GARUDA_DENIED)
    return Principal("garuda", company_id)


def authenticate_flightsayer(state: MockState, scope: Scope) -> Principal:
    authorization = _header(scope, b"authorization")
    if not authorization:
        raise ApiError(401, DRF_MISSING)
    words = authorization.split()
    if not words or words[0].lower() != "token":
        raise ApiError(401, DRF_MISSING)
    if len(words) != 2:
        raise ApiError(401, "Invalid token header. Token string should not contain spaces." if len(words) > 2
                       else "Invalid token header. No credentials provided.")
    username = None
    for user, token in state.flightsayer_users.items():
        if _matches(words[1], token):
            username = user
    if username is None:
        raise ApiError(401, DRF_INVALID)
    return Principal("flightsayer", username)


AUTHENTICATORS = {"garuda": authenticate_garuda, "flightsayer": authenticate_flightsayer}


class AuthMiddleware:
    """Connexion middleware: identify the caller of a routed operation and hand it to the handlers' context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            api = OPERATION_API.get(routing.get("operation_id", ""))
            if api is not None:
                state: MockState = scope["mock.state"]
                principal = AUTHENTICATORS[api](state, scope)
                context = scope.setdefault("extensions", {}).setdefault("connexion_context", {})
                context["principal"] = principal
                context["state"] = state
        await self.app(scope, receive, send)
