"""Who is calling, without keeping any secret: each credential is remembered only as a salted hash.

The salt is random per monitor, so the hashes mean nothing outside the process that made them and cannot be tried
against guessed credentials. The two checks here read a success beside the credentials its request carried.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from api_contract.routing import Api
from conformance.checks.violation import Violation
from conformance.contract_validation import HeaderPairs
from conformance.live.exchange import Exchange

GARUDA_CREDENTIALS = ("authorization", "x-api-key")
FLIGHTSAYER_CREDENTIALS = ("authorization",)
CREDENTIALS: dict[Api, tuple[str, ...]] = {"garuda": GARUDA_CREDENTIALS, "flightsayer": FLIGHTSAYER_CREDENTIALS}


@dataclass(frozen=True)
class Caller:
    """One set of credentials of one API: ``key`` hashes them together, ``parts`` each alone (in the order of
    :data:`CREDENTIALS`; None for one the request did not carry)."""

    api: Api
    key: bytes
    parts: tuple[bytes | None, ...]


def header_value(headers: HeaderPairs, name: str) -> str:
    """The value of header ``name`` (lower case), blank when absent; a repeated header's values joined."""
    return ", ".join(value.strip() for key, value in headers if key.lower() == name).strip()


class Hasher:
    """Salted hashes of credentials (BLAKE2b, keyed with a random per-process salt)."""

    def __init__(self, salt: bytes | None = None) -> None:
        self._salt = salt or secrets.token_bytes(16)

    def digest(self, *values: str) -> bytes:
        return hashlib.blake2b("\x00".join(values).encode("utf-8", "surrogateescape"), digest_size=16,
                               key=self._salt).digest()

    def caller(self, api: Api, headers: HeaderPairs) -> Caller | None:
        """The caller behind ``headers``, or None when they carry none of the API's credentials."""
        values = [header_value(headers, name) for name in CREDENTIALS[api]]
        if not any(values):
            return None
        parts = tuple(self.digest(api, name, value) if value else None
                      for name, value in zip(CREDENTIALS[api], values, strict=True))
        return Caller(api, self.digest(api, *values), parts)


def _missing(exchange: Exchange, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if not header_value(exchange.request.headers, name)]


def garuda_success_needs_both_credentials(exchange: Exchange) -> list[Violation]:
    """"-H 'Authorization: Bearer <AUTH_TOKEN>' -H 'X-API-Key: <API_KEY>'": every call carries both; a backend that
    answers 2xx without one of them serves data to a caller the seed would not let in (a refusal may be any 4xx).
    """
    missing = _missing(exchange, GARUDA_CREDENTIALS) if exchange.succeeded else []
    if not missing:
        return []
    return [Violation(garuda_success_needs_both_credentials.__name__, "request headers",
                      "a 4xx refusal of a request without " + " and ".join(missing), f"HTTP {exchange.status}")]


def flightsayer_success_needs_a_token(exchange: Exchange) -> list[Violation]:
    """"curl -v https://api.flightsayer.com/flights/v1/status/9K1037BOSSLK1606102040 -H 'Authorization: Token <insert
    token>'": a call without the token is refused (401 or 403), never answered 2xx.
    """
    if not exchange.succeeded or not _missing(exchange, FLIGHTSAYER_CREDENTIALS):
        return []
    return [Violation(flightsayer_success_needs_a_token.__name__, "request headers",
                      "a 4xx refusal of a request without authorization", f"HTTP {exchange.status}")]
