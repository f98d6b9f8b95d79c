"""Writes answered without connexion's per-request machinery, with the same checks, changes and answers.

Frontend suites and CI workers create, change and delete flight sessions and subscriptions all day; through connexion
each write crosses the same ten middleware layers as a read, plus a body validator rebuilt per request and
jsonschema walking the reply. As :mod:`mock_server.fast_path` does for reads, every write operation of both specs
(POST, PATCH, DELETE session; PUT, DELETE subscription) is compiled once into its path parameters, a request body
check, the shared handler function that makes the change, and the checks of its replies; a request then keeps what
makes the mock the mock:

- authentication, by the same functions as the connexion path (:mod:`mock_server.auth`);
- path parameters parsed and validated as for reads (:class:`mock_server.fast_path.Operation`);
- the body validated against the mock view's schema: compiled by jsonschema-rs, which is trusted only to say
  "valid"; anything else is judged by connexion's own request validator (:class:`mock_server.response_check.
  SchemaCheck`);
- the change made by the very functions the connexion handlers call (``*_reply`` in the handlers modules), so the
  stores report it to persistence (``--state-file`` commits it) before the answer leaves;
- the reply checked against the spec's schema for its status, as connexion's response validation does.

The front door (Host allow-list, size limits), the journal, faults and latency sit outside this layer and see both
paths alike. Anything that is not a plain success is handed to the full connexion stack before anything changes,
with the body it was sent replayed: failed authentication, an invalid path parameter or body, a body that is not one
plain JSON object sent as ``Content-Type: application/json`` with a ``Content-Length``, an unknown resource, a
rejected change, a ``Prefer`` header, or any fault or latency rule set. So the fast path only ever answers what the
full stack would have answered the same way, and never answers a request the full stack would refuse.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connexion.json_schema import Draft4RequestValidator, resolve_refs
from connexion.jsonifier import JSONEncoder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api_contract import API_NAMES, load_spec
from api_contract.examples import operations
from api_contract.routing import OPERATION_API, ROUTES
from mock_server.auth import AUTHENTICATORS, Principal
from mock_server.cors import ApiCorsMiddleware
from mock_server.errors import ApiError, error_body
from mock_server.fast_path import HANDED_ON_HEADERS, Call, Operation
from mock_server.flightsayer import handlers as flightsayer
from mock_server.garuda import handlers as garuda
from mock_server.limits import BodyTooLarge
from mock_server.persistence import PersistenceFailed
from mock_server.response_check import SchemaCheck
from mock_server.state import MockState

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
# A session or a subscription is well under 1 KiB; a larger body is read by the full stack, not buffered here twice.
BODY_LIMIT = 64 * 1024
# Connexion's serialiser (its Jsonifier's defaults, built once rather than per call): the same bytes as its path.
_ENCODER = JSONEncoder()
_JSON_TYPE = b"application/json"
_ANSWER = "mock.fast_writes.answer"  # where an answer waits for the CORS middleware to send it


@dataclass(frozen=True)
class WriteCall:
    """One write, authenticated, with its path parameters and body validated."""

    state: MockState
    principal: Principal
    params: Mapping[str, Any]
    body: dict[str, Any] | None


# The reply's value and status; raises ApiError (or PersistenceFailed) only when nothing was changed.
Writer = Callable[[WriteCall], tuple[Any, int]]


def _create_session(call: WriteCall) -> tuple[Any, int]:
    return garuda.created_session_reply(call.state.garuda, call.principal.tenant, call.body or {}), 200


def _update_session(call: WriteCall) -> tuple[Any, int]:
    return garuda.updated_session_reply(call.state.garuda, call.principal.tenant, body=call.body or {},
                                        **call.params), 200


def _delete_session(call: WriteCall) -> tuple[Any, int]:
    return garuda.deleted_session_reply(call.state.garuda, call.principal.tenant, **call.params), 200


def _put_subscription(call: WriteCall) -> tuple[Any, int]:
    return flightsayer.put_subscription_reply(call.state.catalog, call.state.subscriptions, call.principal.tenant,
                                              body=call.body or {}, **call.params)


def _delete_subscription(call: WriteCall) -> tuple[Any, int]:
    return flightsayer.delete_subscription_reply(call.state.subscriptions, call.principal.tenant, **call.params)


WRITERS: dict[str, Writer] = {
    "createFlightSession": _create_session,
    "updateFlightSession": _update_session,
    "deleteFlightSession": _delete_session,
    "putSubscription": _put_subscription,
    "deleteSubscription": _delete_subscription,
}


def _no_reader(call: Call) -> None:
    return None


def _no_read_check() -> SchemaCheck:
    raise TypeError("a write has no read check")


def _has_key(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        return key in node or any(_has_key(value, key) for value in node.values())
    if isinstance(node, list):
        return any(_has_key(item, key) for item in node)
    return False


class WriteOperation:
    """One write operation, compiled: its path parameters, body check, writer and the checks of its replies."""

    def __init__(self, spec: dict[str, Any], resolved: dict[str, Any], path: str, method: str,
                 writer: Writer) -> None:
        operation = spec["paths"][path][method]
        self.operation_id: str = operation["operationId"]
        self.api = OPERATION_API[self.operation_id]
        self.writer = writer
        item = resolved["paths"][path]
        parameters = item.get("parameters", []) + item[method].get("parameters", [])
        # Only its parameter parsing is used: readers and their checks belong to GETs.
        self.parameters = Operation(self.operation_id, parameters, _no_reader, _no_read_check)
        self.body_check: SchemaCheck | None = None
        body = operation.get("requestBody")
        if body is not None:
            if set(body["content"]) != {"application/json"} or not body.get("required"):
                raise ValueError(f"{self.operation_id}: no fast path but for one required application/json body")
            schema = body["content"]["application/json"]["schema"]
            if "$ref" not in schema or _has_key(resolved["paths"][path][method]["requestBody"], "readOnly"):
                # readOnly means something else in a request (connexion's request validator); keep it simple.
                raise ValueError(f"{self.operation_id}: the body schema must be a $ref without readOnly")
            self.body_check = SchemaCheck(spec, schema["$ref"], reference=Draft4RequestValidator)
        self.reply_checks: dict[int, SchemaCheck | None] = {}
        for status, response in operation["responses"].items():
            if status.isdigit() and 200 <= int(status) < 300:
                content = response.get("content", {}).get("application/json")
                self.reply_checks[int(status)] = (SchemaCheck(spec, content["schema"]["$ref"])
                                                  if content is not None else None)


def _compile() -> dict[str, WriteOperation]:
    compiled: dict[str, WriteOperation] = {}
    for api in API_NAMES:
        spec = load_spec(api, "mock")
        resolved = resolve_refs(spec)
        for path, method, operation, _ in operations(spec):
            writer = WRITERS.get(operation["operationId"])
            if writer is not None and method.upper() in WRITE_METHODS:
                compiled[operation["operationId"]] = WriteOperation(spec, resolved, path, method, writer)
    missing = set(WRITERS) - set(compiled)
    if missing:
        raise ValueError(f"writers for operations the specs do not have as writes: {sorted(missing)}")
    return compiled


@dataclass(frozen=True)
class Written:
    """A write's answer: its status, and its body (empty for a 204)."""

    status: int
    body: bytes


def _replaying(messages: list[Message], failure: Exception | None, receive: Receive) -> Receive:
    """``receive`` as it was before this layer read from it: the messages read first, then the failure met, if
    any, then the rest."""
    pending = deque(messages)

    async def replay() -> Message:
        if pending:
            return pending.popleft()
        if failure is not None:
            raise failure
        return await receive()

    return replay


async def _read_body(receive: Receive, length: int) -> tuple[list[Message], bytes | None, Exception | None]:
    """The messages read, the body (None when it did not arrive whole) and the failure that stopped the reading."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        try:
            message = await receive()
        except BodyTooLarge as too_large:
            return messages, None, too_large
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None, None  # the client left: the full stack meets it as it would have
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            body = b"".join(chunks)
            return messages, body if len(body) == length else None, None


def _plain_request(scope: Scope, with_body: bool) -> int | None:
    """The declared body length of a request this layer may answer; None when the full stack must."""
    length = content_type = None
    for name, value in scope["headers"]:
        if name in HANDED_ON_HEADERS:
            return None
        if name == b"content-length":
            if length is not None or not value.isdigit():
                return None
            length = int(value)
        elif name == b"content-type":
            if content_type is not None:
                return None
            content_type = value
    if not with_body:
        return 0 if not length else None  # a DELETE with a body: what the full stack makes of it, it says
    if content_type != _JSON_TYPE or not length or length > BODY_LIMIT:
        return None
    return length


def _json_object(body: bytes) -> dict[str, Any] | None:
    """``body`` parsed as connexion parses it, if it is one JSON object."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


async def _send_written(send: Send, written: Written, extra: list[tuple[bytes, bytes]]) -> None:
    if written.status == 204:
        headers = list(extra)
    else:
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(written.body)).encode()),
                   *extra]
    await send({"type": "http.response.start", "status": written.status, "headers": headers})
    await send({"type": "http.response.body", "body": written.body})


async def _send_answer(scope: Scope, receive: Receive, send: Send) -> None:
    await _send_written(send, scope[_ANSWER], [])


class FastWrites:
    """ASGI middleware in front of connexion: answer plain successful writes, hand everything else on.

    ``cors``: the settings of the CORS middleware in connexion's stack; answers to browsers go through an instance
    of the same middleware, so they carry the same headers.
    """

    def __init__(self, app: ASGIApp, cors: dict[str, Any]) -> None:
        self.app = app
        self._operations = _compile()
        self._cors = ApiCorsMiddleware(_send_answer, **cors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITE_METHODS:
            written, receive = await self.answer(scope, receive)
            if written is not None:
                if any(name == b"origin" for name, _ in scope["headers"]):
                    await self._cors({**scope, _ANSWER: written}, receive, send)
                else:
                    await _send_written(send, written, [(b"vary", b"Origin")])
                return
        await self.app(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive) -> tuple[Written | None, Receive]:
        """The answer to the write in ``scope`` once made, or None and the ``receive`` the full stack must read the
        request's body from (nothing was changed then)."""
        routed = ROUTES.match(scope["method"], scope["path"])
        operation = self._operations.get(routed[0].operation_id) if routed is not None else None
        if operation is None:
            return None, receive
        length = _plain_request(scope, operation.body_check is not None)
        if length is None or _rules_set(scope):
            return None, receive
        state: MockState = scope["mock.state"]
        try:
            principal = AUTHENTICATORS[operation.api](state, scope)
        except ApiError:
            return None, receive
        params = operation.parameters.params(routed[1], scope.get("query_string", b""))  # type: ignore[index]
        if params is None:
            return None, receive
        body = None
        if operation.body_check is not None:
            messages, raw, failure = await _read_body(receive, length)
            receive = _replaying(messages, failure, receive)
            body = _json_object(raw) if raw is not None else None
            if body is None or operation.body_check.error(body) is not None:
                return None, receive
        try:
            value, status = operation.writer(WriteCall(state, principal, params, body))
        except (ApiError, PersistenceFailed):
            return None, receive  # nothing changed: the full stack answers it in its own words
        return _checked(operation, status, value), receive


def _rules_set(scope: Scope) -> bool:
    """Whether any fault or latency rule is set: then every request takes the full stack, as before this layer."""
    control = scope.get("mock.control")
    return control is not None and (len(control.faults) > 0 or len(control.latency) > 0)


def _checked(operation: WriteOperation, status: int, value: Any) -> Written:
    """The reply as connexion's serialiser writes it, once it conforms to the spec's schema for its status.

    The change is made by then, so a reply that does not conform cannot be handed on; it is answered as connexion's
    response validation answers one, a 500 in the API's format (the stores only keep values that conform, so this
    is a bug's report, not an answer a client should ever see)."""
    if status not in operation.reply_checks:
        return _nonconforming(operation, f"status {status} is not documented")
    check = operation.reply_checks[status]
    if check is None:
        return Written(status, b"") if value is None else _nonconforming(operation, "a body where none is documented")
    problem = check.error(value)  # replies are new every time (ids, timestamps): none is remembered
    if problem is not None:
        return _nonconforming(operation, problem)
    return Written(status, (_ENCODER.encode(value) + "\n").encode())


def _nonconforming(operation: WriteOperation, problem: str) -> Written:
    message = f"Response body does not conform to specification. {problem}"
    return Written(500, json.dumps(error_body(operation.api, 500, message)).encode())
