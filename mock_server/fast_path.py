"""Reads answered without connexion's per-request machinery, with the same checks and the same answers.

Frontend teams and CI fleets mostly read: list sessions, poll a flight's status, search. Through connexion each read
crosses about ten middleware layers that rebuild per request what never changes (the route, the parameter schemas, a
request object, a validator). Here every GET operation of both specs is compiled once into a route, its parameters and
a reader, and a request is answered in a few dictionary lookups, while keeping what makes the mock the mock:

- authentication, on every request, by the same functions as the connexion path (:mod:`mock_server.auth`);
- request validation: parameters are parsed and validated by connexion's own URI parser and our parameter validator,
  once per distinct (operation, path parameters, query string), then remembered;
- the live state, read per request through the same handler functions;
- response validation against the spec (:mod:`mock_server.response_check`).

Anything that is not a plain success is handed, untouched, to the full connexion stack, which answers it as it always
has: failed authentication, invalid parameters, unknown resources, ``HEAD``, a ``Prefer`` header, a request with a
body. Answers to browsers get their CORS headers from the same middleware as the full stack's. So the fast path can
only ever answer what the full stack would have answered the same way.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from types import MappingProxyType
from typing import Any

from connexion.json_schema import resolve_refs
from connexion.jsonifier import Jsonifier
from connexion.uri_parsing import OpenAPIURIParser
from starlette.datastructures import URL, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from api_contract import API_NAMES, load_spec
from api_contract.examples import operations
from api_contract.routing import OPERATION_API, ROUTES
from mock_server.auth import AUTHENTICATORS, Principal
from mock_server.cors import ApiCorsMiddleware
from mock_server.errors import ApiError, FieldProblem
from mock_server.flights import FlightCatalog
from mock_server.flightsayer import handlers as flightsayer
from mock_server.flightsayer.pages import page_json
from mock_server.garuda import handlers as garuda
from mock_server.garuda.store import SessionNotFound
from mock_server.response_check import PageCheck, SchemaCheck, items_pointer
from mock_server.state import MockState
from mock_server.validation import FieldParameterValidator

# Connexion's serialiser, so a body is byte for byte what the connexion path sends.
_JSON = Jsonifier()
# Request headers that change the answer in ways only the full stack implements.
HANDED_ON_HEADERS = frozenset({b"prefer", b"transfer-encoding"})
_HEADERS = [(b"content-type", b"application/json")]
# What CORSMiddleware adds to the answer to a request without Origin (with one, the middleware itself answers).
_NO_ORIGIN_HEADERS = [*_HEADERS, (b"vary", b"Origin")]
_ANSWER = "mock.fast_path.answer"  # where a body waits for the CORS middleware to send it
PARSED_QUERIES = 20_000  # distinct queries, and distinct parameter values, remembered per operation


@dataclass(frozen=True)
class Call:
    """One request, authenticated and with its parameters validated, and the check its answer will get."""

    state: MockState
    principal: Principal
    params: Mapping[str, Any]
    scope: Scope
    check: SchemaCheck | PageCheck

    def url(self) -> URL:
        return URL(scope=self.scope)

    def query(self) -> list[tuple[str, str]]:
        return list(query_items(self.scope.get("query_string", b"")))


# Query strings parsed into their (name, value) pairs, for the parameters and again for a page's links.
_QUERY_ITEMS: OrderedDict[bytes, tuple[tuple[str, str], ...]] = OrderedDict()


def query_items(query_string: bytes) -> tuple[tuple[str, str], ...]:
    """The query string's (name, value) pairs as Starlette parses them, remembered for the last
    :data:`PARSED_QUERIES` query strings."""
    items = _QUERY_ITEMS.get(query_string)
    if items is None:
        items = _QUERY_ITEMS[query_string] = tuple(QueryParams(query_string).multi_items())
        if len(_QUERY_ITEMS) > PARSED_QUERIES:
            _QUERY_ITEMS.popitem(last=False)
    return items


@dataclass(frozen=True)
class Json:
    """A reply to serialise with connexion's serialiser."""

    value: Any


@dataclass(frozen=True)
class Encoded:
    """A reply already serialised (a flight status from the catalog's cache)."""

    body: bytes


@dataclass(frozen=True)
class Page:
    """A page assembled from its head and results already serialised."""

    head: dict[str, Any]
    results: list[bytes]


Reply = Json | Encoded | Page
Reader = Callable[[Call], Reply | None]  # None: not a plain success; the full stack answers


# Session lists already serialised, by (store revision, company, filters): the list is the most polled read, and
# rebuilding and serialising it was half of its cost. Any change to the sessions moves the revision on.
_SESSION_LISTS: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
SESSION_LISTS = 1024


def _list_sessions(call: Call) -> Reply:
    store, company_id = call.state.garuda, call.principal.tenant
    key = (store.revision, company_id, call.params.get("deployment_id"), call.params.get("flight_plan_id"))
    body = _SESSION_LISTS.get(key)
    if body is None:
        body = _JSON.dumps(garuda.sessions_reply(store, company_id, **call.params)).encode()
        _SESSION_LISTS[key] = body
        if len(_SESSION_LISTS) > SESSION_LISTS:
            _SESSION_LISTS.popitem(last=False)
    return Encoded(body)


def _get_session(call: Call) -> Reply | None:
    try:
        return Json(garuda.session_reply(call.state.garuda, call.principal.tenant, **call.params))
    except SessionNotFound:
        return None


def _checking_catalog(call: Call) -> FlightCatalog:
    """The catalog, set to encode statuses with the FlightStatus check, which proves each valid as it builds it: a
    status is walked once, as it is built, instead of parsed back with its whole inbound chain on every page that
    first lists it. The same bytes either way."""
    check = call.check.items if isinstance(call.check, PageCheck) else call.check
    catalog = call.state.catalog
    if catalog.encode_status != check.encode_nested:  # a bound method: equal, not identical, from one call to the next
        catalog.encode_status = check.encode_nested
    return catalog


def _flight_status(call: Call) -> Reply | None:
    body = _checking_catalog(call).status_json(call.params["flight_id"])
    return Encoded(body) if body is not None else None


def _search(call: Call) -> Reply:
    return Page(*flightsayer.search_page(_checking_catalog(call), call.url(), call.query(), **call.params))


def _list_subscriptions(call: Call) -> Reply:
    return Json(flightsayer.subscriptions_page(call.state.subscriptions, call.principal.tenant, call.url(),
                                               call.query(), **call.params))


def _get_subscription(call: Call) -> Reply | None:
    subscription = call.state.subscriptions.get(call.principal.tenant, call.params["flight_id"])
    return Json(subscription.public()) if subscription is not None else None


READERS: dict[str, Reader] = {
    "listFlightSessions": _list_sessions,
    "getFlightSession": _get_session,
    "getFlightStatus": _flight_status,
    "searchFlights": _search,
    "listSubscriptions": _list_subscriptions,
    "getSubscription": _get_subscription,
}


class _Invalid(Exception):
    """The parameters are not valid: the full stack answers with its 400."""


class Operation:
    """One GET operation, compiled: its parameters, its reader and the check of its 200 answer."""

    def __init__(self, operation_id: str, parameters: list[dict[str, Any]], reader: Reader,
                 check: Callable[[], SchemaCheck | PageCheck]) -> None:
        unsupported = [p["name"] for p in parameters if p["in"] not in ("path", "query")]
        if unsupported:
            raise ValueError(f"{operation_id}: no fast path for header or cookie parameters {unsupported}")
        self.operation_id = operation_id
        self.api = OPERATION_API[operation_id]
        self.parameters = parameters
        self.reader = reader
        self._make_check = check
        self._parser = OpenAPIURIParser(parameters, {})
        self._query_names = {p["name"] for p in parameters if p["in"] == "query"}
        self._defaults = {p["name"]: p["schema"]["default"] for p in parameters if "default" in p.get("schema", {})}
        self._path_names = [p["name"] for p in parameters if p["in"] == "path"]
        self._parsed: OrderedDict[tuple[tuple[str, ...], bytes], Mapping[str, Any] | None] = OrderedDict()
        self._values: OrderedDict[tuple[str, str], tuple[bool, Any]] = OrderedDict()

    @cached_property
    def check(self) -> SchemaCheck | PageCheck:
        # Compiled on first use: compiling every schema up front would add to the mock's start-up time.
        return self._make_check()

    def params(self, path_values: tuple[str, ...], query_string: bytes) -> Mapping[str, Any] | None:
        """The handler's arguments, as connexion would pass them; None when connexion would answer 400."""
        key = (path_values, query_string)
        try:
            found = self._parsed[key]
        except KeyError:
            try:
                found = self._parse(path_values, query_string)
            except (_Invalid, FieldProblem):
                found = None
            self._parsed[key] = found
            if len(self._parsed) > PARSED_QUERIES:
                self._parsed.popitem(last=False)
        return found

    def _parse(self, path_values: tuple[str, ...], query_string: bytes) -> Mapping[str, Any]:
        items = query_items(query_string)
        names = [name for name, _ in items]
        if any(names.count(name) > 1 for name in self._query_names):
            raise _Invalid  # the full stack names the repeated parameter
        given = {**{name: value for name, value in items if name in self._query_names},
                 **dict(zip(self._path_names, path_values, strict=True))}
        params = dict(self._defaults)
        for param in self.parameters:
            raw = given.get(param["name"])
            if raw is None:
                if param.get("required"):
                    raise _Invalid
                continue
            value = self._value(param, raw)
            if value is not None:
                params[param["name"]] = value
        return MappingProxyType(params)  # remembered and shared between requests: nobody may change it

    def _value(self, param: dict[str, Any], raw: str) -> Any:
        """One parameter's value as connexion coerces it; ``_Invalid`` when connexion would refuse it. Remembered:
        the same airport, limit or flight comes back in many different queries."""
        key = (param["name"], raw)
        try:
            found = self._values[key]
        except KeyError:
            name = param["name"]
            if param["in"] == "path":
                value = self._parser.resolve_path({name: raw}).get(name)
            else:
                value = self._parser.resolve_query({name: [raw]}).get(name)
            try:
                FieldParameterValidator.validate_parameter(param["in"], value, param)
                found = (True, value)
            except FieldProblem:
                found = (False, None)
            self._values[key] = found
            if len(self._values) > PARSED_QUERIES:
                self._values.popitem(last=False)
        if not found[0]:
            raise _Invalid
        return found[1]


def _response_check(spec: dict[str, Any], operation: dict[str, Any],
                    compiled: dict[str, SchemaCheck]) -> SchemaCheck | PageCheck:
    """The check of the operation's 200 answer; ``compiled``: the API's schema checks by pointer, shared, so a status
    one operation proved valid is known to the others (a status by id and the same status in a page)."""
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    pointer = schema.get("$ref")
    if pointer is None:
        raise ValueError(f"{operation['operationId']}: the 200 schema must be a $ref to a named schema")

    def check(of: str) -> SchemaCheck:
        if of not in compiled:
            compiled[of] = SchemaCheck(spec, of)
        return compiled[of]

    if pointer.endswith("Page"):
        return PageCheck(spec, pointer, check(items_pointer(spec, pointer)))
    return check(pointer)


def _compile() -> dict[str, Operation]:
    """Every GET operation with a reader, compiled, by operationId."""
    compiled: dict[str, Operation] = {}
    for api in API_NAMES:
        spec = load_spec(api, "mock")
        resolved = resolve_refs(spec)  # parameters as connexion sees them
        checks: dict[str, SchemaCheck] = {}
        for path, method, operation, _ in operations(spec):
            reader = READERS.get(operation["operationId"])
            if method != "get" or reader is None:
                continue
            item = resolved["paths"][path]
            parameters = item.get("parameters", []) + item[method].get("parameters", [])
            compiled[operation["operationId"]] = Operation(operation["operationId"], parameters, reader,
                                                           partial(_response_check, spec, operation, checks))
    missing = set(READERS) - set(compiled)
    if missing:
        raise ValueError(f"readers for operations the specs do not have as GET: {sorted(missing)}")
    return compiled


async def _send_ok(send: Send, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _send_answer(scope: Scope, receive: Receive, send: Send) -> None:
    await _send_ok(send, scope[_ANSWER], _HEADERS)


class FastPath:
    """ASGI middleware in front of connexion: answer plain successful reads, hand everything else on.

    ``cors``: the settings of the CORS middleware in connexion's stack; answers to browsers (requests with
    ``Origin``) go through an instance of the same middleware, so they carry the same headers.
    """

    def __init__(self, app: ASGIApp, cors: dict[str, Any]) -> None:
        self.app = app
        self._operations = _compile()
        self._cors = ApiCorsMiddleware(_send_answer, **cors)

    def route(self, path: str) -> tuple[Operation, tuple[str, ...]] | None:
        """The compiled GET operation at ``path`` (routed by the contract layer) and its path parameters."""
        routed = ROUTES.match("GET", path)
        if routed is None:
            return None
        operation = self._operations.get(routed[0].operation_id)
        return (operation, routed[1]) if operation is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            answer = self.answer(scope)
            if answer is not None:
                if any(name == b"origin" for name, _ in scope["headers"]):
                    await self._cors({**scope, _ANSWER: answer}, receive, send)
                else:
                    await _send_ok(send, answer, _NO_ORIGIN_HEADERS)
                return
        await self.app(scope, receive, send)

    def answer(self, scope: Scope) -> bytes | None:
        """The 200 body for ``scope``, or None when the full stack must answer."""
        routed = self.route(scope["path"])
        if routed is None:
            return None
        operation, path_values = routed
        for name, value in scope["headers"]:
            if name in HANDED_ON_HEADERS or (name == b"content-length" and value != b"0"):
                return None
        state: MockState = scope["mock.state"]
        try:
            principal = AUTHENTICATORS[operation.api](state, scope)
        except ApiError:
            return None
        params = operation.params(path_values, scope.get("query_string", b""))
        if params is None:
            return None
        try:
            reply = operation.reader(Call(state, principal, params, scope, operation.check))
        except ApiError:
            return None
        return _checked(operation, reply) if reply is not None else None


def _checked(operation: Operation, reply: Reply) -> bytes | None:
    """The reply's bytes if they conform to the operation's 200 schema; None (the full stack answers, and reports
    the nonconforming body as connexion does) if not."""
    check = operation.check
    if isinstance(reply, Page):
        assert isinstance(check, PageCheck)
        return page_json(reply.head, reply.results) if check.error(reply.head, reply.results) is None else None
    if isinstance(reply, Encoded):
        assert isinstance(check, SchemaCheck)
        return reply.body if check.body_error(reply.body) is None else None
    body = _JSON.dumps(reply.value).encode()
    problem = check.value_error(reply.value) if isinstance(check, PageCheck) else check.body_error(body, reply.value)
    return body if problem is None else None
