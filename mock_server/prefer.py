"""Prism's ``Prefer`` header: answer a documented example straight from the spec instead of the live data.

``Prefer: code=404`` answers the operation's first example for 404; ``Prefer: example=seed`` the example named
``seed`` (looked for in the success responses first, lowest status first, then in the others); both together
(``Prefer: code=200, example=seed``) that example of that status. A status the operation documents without a body
(Flightsayer's 204) answers with no body.

It runs after authentication, so a 401 still wins, and before request validation and the handlers, so nothing is
stored or checked beyond the credentials. What cannot be honoured (an undocumented status, an unknown example name,
an unreadable ``code``) is a 400 in the API's own error format that lists what is available: never a plausible
answer the client did not ask for. Preferences other than ``code`` and ``example`` (``return=minimal``, Prism's
``dynamic``) are ignored, as RFC 7240 tells servers to do with preferences they do not support.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api_contract import API_NAMES, load_spec
from api_contract.examples import iter_examples, operations, resolve
from mock_server.errors import ApiError


@dataclass
class DocumentedResponse:
    """One status of one operation, as its spec documents it."""

    status: int
    content_type: str | None  # None: no body
    headers: dict[str, str] = field(default_factory=dict)
    examples: dict[str, Any] = field(default_factory=dict)  # name -> value, in spec order


def _fixed_header_value(schema: dict[str, Any], header: dict[str, Any]) -> str | None:
    if "example" in header:
        return str(header["example"])
    if len(schema.get("enum", [])) == 1:
        return str(schema["enum"][0])
    return None


def _index() -> dict[str, dict[int, DocumentedResponse]]:
    index: dict[str, dict[int, DocumentedResponse]] = {}
    for api in API_NAMES:
        spec = load_spec(api, "mock")
        for _, _, operation, _ in operations(spec):
            documented: dict[int, DocumentedResponse] = {}
            for code, response in operation["responses"].items():
                if not str(code).isdigit():
                    continue  # "default" and "4XX" ranges name no one status to answer with
                response = resolve(spec, response)
                headers = {}
                for name, header in response.get("headers", {}).items():
                    header = resolve(spec, header)
                    value = _fixed_header_value(resolve(spec, header.get("schema", {})), header)
                    if value is not None:
                        headers[name] = value
                content_type = next(iter(response.get("content", {})), None)
                documented[int(code)] = DocumentedResponse(int(code), content_type, headers)
            index[operation["operationId"]] = documented
        for example in iter_examples(spec):
            if example.where.startswith("response "):
                status = int(example.where.removeprefix("response "))
                index[example.operation][status].examples.setdefault(example.name, example.value)
    return index


RESPONSES = _index()


@dataclass(frozen=True)
class Preference:
    code: int | None
    example: str | None


def parse_prefer(values: list[str]) -> Preference:
    """The ``code`` and ``example`` preferences of ``Prefer`` header values (RFC 7240 syntax, case-insensitive names).

    ``ValueError`` when ``code`` is not a three-digit status.
    """
    code: int | None = None
    example: str | None = None
    for value in values:
        for preference in value.split(","):
            token, _, rest = preference.split(";", 1)[0].partition("=")
            name, argument = token.strip().lower(), rest.strip().strip('"')
            if name == "code" and code is None:
                if not (len(argument) == 3 and argument.isdigit()):
                    raise ValueError(f"Prefer: code must be a three-digit HTTP status, not {argument!r}")
                code = int(argument)
            elif name == "example" and example is None:
                example = argument
    return Preference(code, example)


def _available(responses: dict[int, DocumentedResponse]) -> str:
    names = [f"{name} ({status})" for status in sorted(responses) for name in responses[status].examples]
    return ", ".join(names) or "none"


def choose(operation_id: str, preference: Preference) -> tuple[DocumentedResponse, Any]:
    """The documented response and example value the preference asks for; ``ApiError`` 400 when there is none."""
    responses = RESPONSES[operation_id]
    code, name = preference.code, preference.example
    if code is not None:
        response = responses.get(code)
        if response is None:
            documented = ", ".join(str(s) for s in sorted(responses))
            raise ApiError(400, f"Prefer: {operation_id} does not document status {code}; documented: {documented}")
        if name is None:
            if response.content_type is None:
                return response, None
            if not response.examples:
                raise ApiError(400, f"Prefer: no example documented for status {code} of {operation_id}; "
                                    f"available: {_available(responses)}")
            return response, next(iter(response.examples.values()))
        if name not in response.examples:
            available = ", ".join(response.examples) or "none"
            raise ApiError(400, f"Prefer: no example named {name!r} for status {code} of {operation_id}; "
                                f"available: {available}")
        return response, response.examples[name]
    assert name is not None
    ordered = sorted(responses, key=lambda status: (not 200 <= status < 300, status))
    for status in ordered:
        if name in responses[status].examples:
            return responses[status], responses[status].examples[name]
    raise ApiError(400, f"Prefer: no example named {name!r} for {operation_id}; available: {_available(responses)}")


def render(response: DocumentedResponse, value: Any, preference: Preference) -> Response:
    applied = ", ".join(f"{k}={v}" for k, v in (("code", preference.code), ("example", preference.example)) if v)
    headers = {**response.headers, "Preference-Applied": applied}
    if response.content_type is None:
        return Response(status_code=response.status, headers=headers)
    return Response(json.dumps(value).encode(), status_code=response.status, headers=headers,
                    media_type=response.content_type)


class PreferMiddleware:
    """Connexion middleware, right after authentication: answer ``Prefer``-ed examples of the routed operation."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"prefer"]
            operation_id = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
            if values and operation_id in RESPONSES:
                try:
                    preference = parse_prefer(values)
                except ValueError as exc:
                    raise ApiError(400, str(exc)) from None
                if preference.code is not None or preference.example is not None:
                    response, value = choose(operation_id, preference)
                    await render(response, value, preference)(scope, receive, send)
                    return
        await self.app(scope, receive, send)
