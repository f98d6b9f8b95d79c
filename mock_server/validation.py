"""Connexion's request validators, changed to name the offending field and never to fail with a 500.

Connexion decodes bodies without catching ``UnicodeDecodeError`` and reports errors as bare strings; these
subclasses turn both into :class:`FieldProblem`, which the error handler renders in each API's own format.
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
import json
import re
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qsl

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseBody
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, format_error_with_path
from connexion.validators import (
    VALIDATOR_MAP,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Receive, Scope

from mock_server.errors import ApiError, FieldProblem

# Spec schemas may carry a human message for any failure inside them (e.g. "Enter a valid URL.").
MESSAGE_KEY = "x-error-message"

# RFC 3986's URI grammar. jsonschema checks ``format: uri`` only when the optional rfc3987 package is installed, so
# without this the mock accepted (and stored, and sent back) targets with control or non-ASCII characters that
# clients' validators reject.
_UNRESERVED_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED_SUB}:@]|{_PCT})"
_URI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.\-]*:"  # scheme
    rf"(?://(?:(?:[{_UNRESERVED_SUB}:]|{_PCT})*@)?"  # userinfo
    rf"(?P<host>\[(?P<literal>[^\]/]*)\]|(?:[{_UNRESERVED_SUB}]|{_PCT})*)(?::[0-9]*)?"  # host, port
    rf"(?:/{_PCHAR}*)*"  # path-abempty
    rf"|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"  # path-absolute, path-rootless, path-empty
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"  # query, fragment
)
_IP_FUTURE = re.compile(rf"v[0-9A-Fa-f]+\.[{_UNRESERVED_SUB}:]+")


def is_uri(value: object) -> bool:
    """True for an RFC 3986 URI (non-strings pass: the ``type`` keyword judges them)."""
    if not isinstance(value, str):
        return True
    match = _URI.fullmatch(value)
    if match is None:
        return False
    literal = match.group("literal")
    if literal is None:
        return True
    if _IP_FUTURE.fullmatch(literal):
        return True
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


FORMAT_CHECKER: FormatChecker = copy.deepcopy(Draft4Validator.FORMAT_CHECKER)
FORMAT_CHECKER.checks("uri")(is_uri)


def _describe(error: ValidationError) -> tuple[str | None, str]:
    """The field an error is about and a message for the client."""
    path = [str(p) for p in error.absolute_path]
    field = path[0] if path else None
    if error.validator == "required" and not path:
        field = error.message.split("'")[1] if error.message.count("'") >= 2 else None
        return field, "This field is required."
    if error.validator == "additionalProperties" and not path:
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (extra[0] if extra else None), "is not a property that can be sent here."
    custom = error.schema.get(MESSAGE_KEY) if isinstance(error.schema, dict) else None
    where = "/".join(path[1:])
    message = custom or error.message
    return field, f"{where}: {message}" if where and not custom else message


class FieldJSONBodyValidator(JSONRequestBodyValidator):
    @property
    def _validator(self) -> Draft4RequestValidator:
        return Draft4RequestValidator(self._schema, format_checker=FORMAT_CHECKER)

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        headers = Headers(scope=scope)
        chunked = "content-length" not in headers and "chunked" in headers.get("transfer-encoding", "").lower()
        if "content-type" not in headers and (chunked or headers.get("content-length", "0") != "0"):
            # Connexion would guess JSON, validate it, and then hand the handler raw bytes (a 500). DRF answers 415.
            raise ApiError(415, "Content-Type must be application/json for a request body")
        if chunked:
            # Connexion takes a body without Content-Length for a missing one. Read it (the front door's limit
            # stops an oversized one) and hand it on with its length.
            chunks = []
            while True:
                message = await receive()
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            scope = {**scope, "headers": list(scope["headers"])}
            MutableHeaders(scope=scope)["content-length"] = str(len(body))
            receive = self._insert_messages(receive, messages=[{"type": "http.request", "body": body,
                                                                "more_body": False}])
        return await super().wrap_receive(receive, scope=scope)

    async def _parse(self, stream, scope) -> Any:
        raw = b"".join([message async for message in stream])
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError as exc:
            raise FieldProblem(None, f"Request body is not valid {self._encoding}: {exc.reason}") from exc
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FieldProblem(None, f"Request body is not valid JSON: {exc}") from exc
        except RecursionError as exc:
            raise FieldProblem(None, "Request body is nested too deeply") from exc
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            raise FieldProblem(None, f"Request body is not acceptable JSON: {exc}") from exc

    def _validate(self, body: Any) -> dict | None:
        if body is None:
            raise FieldProblem(None, "Request body must be a JSON object; it is empty")
        if not isinstance(body, dict):
            raise FieldProblem(None, f"Request body must be a JSON object, not {type(body).__name__}")
        try:
            return self._validator.validate(body)
        except ValidationError as exc:
            best = min(exc.context or [exc], key=lambda e: len(e.absolute_path)) if exc.validator == "anyOf" else exc
            raise FieldProblem(*_describe(best)) from exc


_PARAMETER_VALIDATORS: dict[int, Draft4Validator] = {}


def _parameter_validator(schema: dict) -> Draft4Validator:
    # Connexion deep-copies the schema and builds a validator on every request; the schemas never change.
    validator = _PARAMETER_VALIDATORS.get(id(schema))
    if validator is None:
        validator = Draft4Validator(schema, format_checker=FORMAT_CHECKER)
        _PARAMETER_VALIDATORS[id(schema)] = validator
    return validator


class FieldParameterValidator(ParameterValidator):
    def validate_query_parameter(self, param: dict, request: Any) -> None:
        # None of the specs' query parameters is an array: `?limit=1&limit=2` is ambiguous, so say so.
        names = [name for name, _ in parse_qsl(request.scope["query_string"].decode("latin-1"),
                                               keep_blank_values=True)]
        if names.count(param["name"]) > 1:
            raise FieldProblem(param["name"], "may be given only once")
        return super().validate_query_parameter(param, request)

    @staticmethod
    def validate_parameter(parameter_type: str, value: Any, param: dict, param_name: str | None = None) -> None:
        name = param["name"]
        if value is None:
            if param.get("required"):
                raise FieldProblem(name, f"This {parameter_type} parameter is required.")
            return
        schema = param.get("schema", param)
        error = best_match(_parameter_validator(schema).iter_errors(value))
        if error is None:
            return
        message = schema.get(MESSAGE_KEY) or error.message
        if isinstance(value, str) and " " in value and schema.get("format") == "date-time":
            message += " (a '+' in a query string must be sent as %2B)"
        raise FieldProblem(name, message)


class RememberingResponseValidator(JSONResponseBodyValidator):
    """Validate each distinct response body once per schema.

    Flights are read far more often than they change, and an unchanged flight serialises to the same bytes; walking
    the recursive FlightStatus schema again for bytes already proven valid is most of a request's cost. Any change
    to a body changes its digest, so a changed body is always validated.
    """

    MAX_REMEMBERED = 50_000
    _valid: OrderedDict[tuple[int, bytes], None] = OrderedDict()
    _validators: dict[int, Any] = {}

    def _parse(self, stream) -> bytes | None:
        return b"".join(stream) or None  # parsed in _validate, and only when the body is new

    def _validate(self, body: Any) -> None:
        body = body or b""
        key = (id(self._schema), hashlib.blake2b(body, digest_size=16).digest())
        if key in self._valid:
            self._valid.move_to_end(key)
            return
        validator = self._validators.get(id(self._schema))
        if validator is None:
            validator = Draft4ResponseValidator(self._schema, format_checker=FORMAT_CHECKER)
            self._validators[id(self._schema)] = validator
        try:
            validator.validate(super()._parse(iter([body])))
        except ValidationError as exception:
            raise NonConformingResponseBody(
                detail="Response body does not conform to specification. "
                       f"{exception.message}{format_error_with_path(exception=exception)}"
            ) from exception
        self._valid[key] = None
        if len(self._valid) > self.MAX_REMEMBERED:
            self._valid.popitem(last=False)


def validator_map() -> dict[str, Any]:
    body = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    body["*/*json"] = FieldJSONBodyValidator
    response = MediaTypeDict(dict(VALIDATOR_MAP["response"]))
    response["*/*json"] = RememberingResponseValidator
    return {**VALIDATOR_MAP, "parameter": FieldParameterValidator, "body": body, "response": response}
