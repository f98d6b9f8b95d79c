"""Judge one recorded or live HTTP exchange against the specs: which side, request or response, breaks the contract.

Shared by the validating proxy (live traffic) and ``python -m conformance.traffic`` (recorded HAR files), so both
report the same violations for the same exchange. Schemas are checked by openapi-core, each API against its own spec
(chosen by path); on top of that every answer runs the suite's per-response semantic checks
(:func:`conformance.checks.seed_rules.answer_violations`), which need no extra request.

Messages never carry credential values: whatever the request sent as ``Authorization`` or ``X-API-Key`` is masked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.exceptions import (
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_core.validation.response.exceptions import DataValidationError, HeaderValidationError
from werkzeug.datastructures import Headers, ImmutableMultiDict

from api_contract import API_NAMES, load_spec
from api_contract.routing import ROUTES, Api, Operation, api_of_path, canonical_path, operation_of
from api_contract.scope import prefers_other_than_json
from conformance.checks.http_rules import http_violations
from conformance.checks.seed_rules import answer_violations

Side = Literal["request", "response"]
BLAME: dict[Side, str] = {"request": "frontend", "response": "backend"}
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "proxy-authorization", "cookie")
HeaderPairs = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class CallRef:
    """One call a violation points at: what was asked, and when the request arrived (ISO 8601, UTC)."""

    method: str
    path: str
    time: str
    entry: int | None = None  # its position in a recorded file, when it came from one

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"method": self.method, "path": self.path, "time": self.time}
        if self.entry is not None:
            found["entry"] = self.entry
        return found

    def describe(self) -> str:
        where = f"#{self.entry} " if self.entry is not None else ""
        return f"{where}{self.method} {self.path} at {self.time}"


@dataclass(frozen=True)
class ContractViolation:
    """One way one side of an exchange breaks the contract.

    Checks that read an answer beside its request or beside earlier calls also quote the seed sentence they enforce
    and name the calls they relate (the earlier one first); the per-answer checks leave both empty.
    """

    side: Side
    check: str
    message: str
    seed: str = ""
    calls: tuple[CallRef, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"side": self.side, "check": self.check, "message": self.message}
        if self.seed:
            found["seed"] = self.seed
        if self.calls:
            found["calls"] = [call.as_dict() for call in self.calls]
        return found


@dataclass(frozen=True)
class RecordedRequest:
    """A request as seen on the wire: ``path`` without the query, ``query`` still encoded, body as sent."""

    method: str
    path: str
    query: str = ""
    headers: HeaderPairs = ()
    body: bytes | None = None

    @cached_property
    def api(self) -> Api | None:
        return api_of_path(self.path)

    @cached_property
    def operation(self) -> str | None:
        """The operationId this request calls, with the path in the spec's trailing-slash form."""
        return operation_of(self.method.upper(), canonical_path(self.path))

    @cached_property
    def route(self) -> tuple[Operation, tuple[str, ...]] | None:
        """The operation this request calls and its path parameters, percent-decoded."""
        found = ROUTES.match(self.method.upper(), canonical_path(self.path))
        return None if found is None else (found[0], tuple(unquote(value) for value in found[1]))

    @cached_property
    def validated(self) -> bool:
        """Whether the specs speak about this request at all: API paths only, and never CORS preflights or HEAD,
        which HTTP and the browser add on their own and no spec documents, nor a request preferring a media type the
        specs do not document (a browser opening a framework's browsable page: ``api_contract/scope.py``)."""
        method = self.method.upper()
        return (self.api is not None and method not in ("OPTIONS", "HEAD")
                and not prefers_other_than_json(_header(self.headers, "accept")))

    def secrets(self) -> list[str]:
        """The credential values this request carries, to be masked wherever a message could echo them."""
        values = [value for name, value in self.headers if name.lower() in CREDENTIAL_HEADERS]
        parts = [part for value in values for part in value.split() if len(part) >= 4]
        return sorted(set(values + parts), key=len, reverse=True)


@dataclass(frozen=True)
class RecordedResponse:
    """A response as the client received it, body already decoded from any content-encoding."""

    status: int
    headers: HeaderPairs = ()
    body: bytes | None = None

    def json(self) -> Any:
        """The parsed body, or None when it is absent or not JSON (the schema check reports that)."""
        return self._parsed

    @cached_property
    def _parsed(self) -> Any:  # parsed once, though several checks read it
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def _header(headers: HeaderPairs, name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


class _OpenApiRequest:
    """openapi-core's Request protocol over a :class:`RecordedRequest`.

    ``host_url`` is the spec's own server: the specs name the production hosts, while traffic goes to a mock, a
    proxy or a staging host, and which host answered is not part of the contract.
    """

    def __init__(self, request: RecordedRequest, server_url: str) -> None:
        self.host_url = server_url
        self.path = canonical_path(request.path)
        self.method = request.method.lower()
        self.body = request.body or None
        self.content_type = _header(request.headers, "content-type").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(request.query, keep_blank_values=True)),
            header=Headers([(k, v) for k, v in request.headers if not k.startswith(":")]),
        )

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path


class _OpenApiResponse:
    """openapi-core's Response protocol over a :class:`RecordedResponse`."""

    def __init__(self, response: RecordedResponse) -> None:
        self.status_code = response.status
        self.headers = Headers([(k, v) for k, v in response.headers if not k.startswith(":")])
        self.content_type = _header(response.headers, "content-type").lower()
        self.data = response.body


@dataclass
class Verdict:
    """What one exchange was found to break, each side apart."""

    operation: str | None
    request: list[ContractViolation] = field(default_factory=list)
    response: list[ContractViolation] = field(default_factory=list)

    @property
    def violations(self) -> list[ContractViolation]:
        return self.request + self.response


class ContractValidator:
    """Both specs loaded once, each with openapi-core; thread-safe to call from a pool once built."""

    def __init__(self) -> None:
        # The contract view: backends are judged by what the seeds state, never by the mock's own choices.
        self._specs: dict[str, OpenAPI] = {api: OpenAPI.from_dict(load_spec(api, "contract")) for api in API_NAMES}
        self._servers: dict[str, str] = {api: load_spec(api)["servers"][0]["url"] for api in API_NAMES}

    def check_request(self, request: RecordedRequest) -> list[ContractViolation]:
        """How the request (the frontend's side) breaks its API's spec: path, method, query, headers, security,
        body. Empty when it holds or when no spec speaks about it."""
        if not request.validated or request.api is None:
            return []
        spec = self._specs[request.api]
        errors = spec.iter_request_errors(_OpenApiRequest(request, self._servers[request.api]))
        return masked_violations(request, [ContractViolation("request", _check_name(e), _describe(e)) for e in errors])

    def check_response(self, request: RecordedRequest, response: RecordedResponse) -> list[ContractViolation]:
        """How the response (the backend's side) breaks the spec of the operation that was called: undocumented
        status, headers, body schema, then the seeds' per-answer rules. Empty when it holds or the operation is
        unknown (the request side reports that). An answer to a request outside the contract is judged by HTTP and
        JSON alone (``conformance/checks/http_rules.py``)."""
        if request.api is None:
            return []
        if not request.validated or request.operation is None:
            headers = _OpenApiResponse(response).headers
            return masked_violations(request, [
                ContractViolation("response", v.check, v.describe())
                for v in http_violations(request.method, response.status, headers, response.body or b"")])
        spec = self._specs[request.api]
        errors = spec.iter_response_errors(_OpenApiRequest(request, self._servers[request.api]),
                                           _OpenApiResponse(response))
        found = [ContractViolation("response", _check_name(e), _describe(e)) for e in errors]
        body = response.json()
        if body is not None:
            found += [ContractViolation("response", v.check, v.describe())
                      for v in answer_violations(request.operation, canonical_path(request.path), response.status,
                                                 body)]
        return masked_violations(request, found)

    def judge(self, request: RecordedRequest, response: RecordedResponse | None) -> Verdict:
        """Both sides of one exchange; ``response`` None when there was none to judge."""
        verdict = Verdict(request.operation if request.validated else None, self.check_request(request))
        if response is not None:
            verdict.response = self.check_response(request, response)
        return verdict


_CHECK_NAMES: tuple[tuple[type[Exception], str], ...] = (
    (PathError, "undocumented-operation"),
    (ResponseNotFound, "undocumented-status"),
    (SecurityValidationError, "security"),
    (ParameterValidationError, "parameter"),
    (RequestBodyValidationError, "request-body"),
    (HeaderValidationError, "response-header"),
    (DataValidationError, "response-body"),
)


def _check_name(error: Exception) -> str:
    """A stable, readable name for the kind of rule that broke; the message says which and how."""
    if isinstance(error.__cause__, MediaTypeNotFound):
        return "undocumented-media-type"
    for kind, name in _CHECK_NAMES:
        if isinstance(error, kind):
            return name
    return type(error).__name__


def _schema_errors(error: BaseException | None) -> list[str]:
    found = []
    for schema_error in getattr(error, "schema_errors", None) or ():
        where = "/".join(str(part) for part in getattr(schema_error, "absolute_path", ()) or ())
        message = getattr(schema_error, "message", str(schema_error))
        found.append(f"{where}: {message}" if where else message)
    return found


_HEADLINES: tuple[tuple[type[Exception], str], ...] = (
    (SecurityValidationError, "Credentials missing or malformed"),
    (DataValidationError, "Response body invalid"),
)


def _describe(error: Exception) -> str:
    """One line saying what broke and where, with the schema's own complaints when there are any."""
    cause = error.__cause__
    if isinstance(error, ResponseNotFound):
        return f"{error} (documented: {', '.join(map(str, error.availableresponses))})"
    if isinstance(error, ParameterValidationError):
        headline = f"{str(error).split(':', 1)[0]} {error.name}"
    elif cause is None:
        return str(error)
    else:
        headline = next((text for kind, text in _HEADLINES if isinstance(error, kind)), str(error).split(":", 1)[0])
    details = _schema_errors(cause)
    if details:
        return f"{headline}: {'; '.join(details)}"
    return f"{headline}: {cause}" if cause is not None else headline


def masked_violations(request: RecordedRequest, violations: Iterable[ContractViolation]) -> list[ContractViolation]:
    """``violations`` with every credential value ``request`` carried replaced by ``[redacted]`` in their messages."""
    secrets = request.secrets()
    if not secrets:
        return list(violations)
    masked = []
    for violation in violations:
        message = violation.message
        for secret in secrets:
            message = message.replace(secret, "[redacted]")
        masked.append(ContractViolation(violation.side, violation.check, message, violation.seed, violation.calls))
    return masked
