"""The validating proxy: an ASGI app that forwards both APIs to a real backend and says who breaks the contract.

For each request to either API it checks the request against that API's spec (the frontend's side), forwards it,
then checks the answer (the backend's side) against the same operation's documented responses and the seeds'
per-answer rules, then beside its request and beside the same caller's earlier calls (:mod:`conformance.live`: a
bounded memory keyed by hashed credentials; ``exclusive_tenants`` when no client bypasses the proxy). Violations
travel back in ``X-Contract-Violations``, are logged, and are kept in a bounded journal
at ``GET /_mock/violations`` on the proxy itself. With ``strict`` a request that breaks the contract is answered 400
in its API's own error format and never reaches the backend. Paths outside both APIs pass through unchecked (so the
mock's own ``/_mock/...`` controls still work through the proxy).

Its front door is the mock's: a foreign ``Host`` is refused (:mod:`mock_server.allowed_hosts`), every ``/_mock`` path
follows the control API's browser rules (:mod:`mock_server.control.browsers`), and a page on an origin the proxy's
:class:`~mock_server.cors.CorsPolicy` does not allow has its preflight refused and every ``Access-Control-*`` header
of the upstream's answer removed, however permissive the upstream is. For an allowed origin the upstream's CORS
answer is relayed as it was sent.
"""

from __future__ import annotations

import json
import time
from typing import Any

import anyio.to_thread
import httpx
from starlette.types import Receive, Scope, Send

from api_contract.routing import Api, api_of_path
from conformance.contract_validation import ContractValidator, ContractViolation, RecordedRequest, RecordedResponse
from conformance.live import Pending, TrafficMonitor
from mock_server.allowed_hosts import AllowedHosts
from mock_server.control.access import is_control_path
from mock_server.control.browsers import check_browser_rules, without_origin
from mock_server.cors import PRIVATE_NETWORK_REQUEST, CorsPolicy, preflight_refused
from mock_server.errors import ApiError, error_body
from mock_server.proxy.forwarding import (
    DEFAULT_TIMEOUTS,
    RawHeaders,
    Timeouts,
    Upstream,
    UpstreamAnswer,
    UpstreamUnavailable,
)
from mock_server.proxy.journal import DEFAULT_SIZE, ViolationJournal
from mock_server.proxy.reporting import VIOLATIONS_HEADER, log_violations, logger, violations_header

VIOLATIONS_PATH = "/_mock/violations"


def _text_headers(headers: RawHeaders) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]


def _forwarded_for(scope: Scope, headers: RawHeaders) -> RawHeaders:
    """The de-facto X-Forwarded-* headers, so the upstream can still tell who called and through which host."""
    client = (scope.get("client") or ("unknown", 0))[0]
    previous = next((v.decode("latin-1") for k, v in headers if k.lower() == b"x-forwarded-for"), "")
    host = next((v for k, v in headers if k.lower() == b"host"), b"")
    kept = [(k, v) for k, v in headers if k.lower() not in (b"x-forwarded-for", b"x-forwarded-proto",
                                                             b"x-forwarded-host")]
    return [*kept, (b"x-forwarded-for", f"{previous}, {client}".lstrip(", ").encode("latin-1")),
            (b"x-forwarded-proto", scope.get("scheme", "http").encode()), (b"x-forwarded-host", host)]


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


_VIOLATIONS_ALLOW = (b"allow", b"DELETE, GET, HEAD, OPTIONS")


async def _answer(send: Send, status: int, headers: RawHeaders, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _violations_field(violations: list[ContractViolation]) -> RawHeaders:
    if not violations:
        return []
    return [(VIOLATIONS_HEADER.lower().encode(), violations_header(violations).encode("ascii"))]


def _exposed_to_scripts(headers: RawHeaders) -> RawHeaders:
    """A cross-origin answer lets the page's scripts read the violations header too (CORS hides unlisted headers
    from them); the upstream's own exposed headers stay listed."""
    if not any(name.lower() == b"access-control-allow-origin" for name, _ in headers):
        return headers
    exposed = [value for name, value in headers if name.lower() == b"access-control-expose-headers"]
    kept = [(name, value) for name, value in headers if name.lower() != b"access-control-expose-headers"]
    listed = b", ".join([*exposed, VIOLATIONS_HEADER.encode()])
    return [*kept, (b"access-control-expose-headers", listed)]


async def _answer_json(send: Send, status: int, payload: Any, extra: RawHeaders | None = None) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await _answer(send, status, headers, body)


def _without_cors(headers: RawHeaders) -> RawHeaders:
    return [(name, value) for name, value in headers if not name.lower().startswith(b"access-control-")]


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


class ProxyApp:
    """Forward to ``upstream``, validating both directions; see the module docstring."""

    def __init__(self, upstream: str, *, strict: bool = False, timeouts: Timeouts = DEFAULT_TIMEOUTS,
                 journal_size: int = DEFAULT_SIZE, transport: httpx.AsyncBaseTransport | None = None,
                 validator: ContractValidator | None = None, monitor: TrafficMonitor | None = None,
                 live_checks: bool = True, allowed_hosts: AllowedHosts | None = None,
                 cors: CorsPolicy | None = None) -> None:
        self.upstream = Upstream(upstream, timeouts, transport)
        self.allowed_hosts = allowed_hosts  # None: any Host (in process); the command line passes its default
        self.cors = cors or CorsPolicy()
        self.strict = strict
        self.journal = ViolationJournal(journal_size)
        self.validator = validator or ContractValidator()
        self.monitor = (monitor or TrafficMonitor()) if live_checks else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            try:
                scope, cors_kept = self._front_door(scope)
            except ApiError as refused:
                payload = error_body(api_of_path(scope["path"]), refused.status, refused.message)
                await _answer_json(send, refused.status, payload)
                return
            if scope["path"] == VIOLATIONS_PATH:
                await self._violations_endpoint(scope, send)
            else:
                await self._proxy(scope, receive, send, cors_kept)

    def _front_door(self, scope: Scope) -> tuple[Scope, bool]:
        """The request as it may go on, and whether the answer may keep the upstream's CORS headers; raise the
        refusal of a foreign Host, of a control request from another origin, or of a preflight not allowed."""
        if self.allowed_hosts is not None:
            self.allowed_hosts.check(scope)
        if is_control_path(scope["path"]):
            check_browser_rules(scope)
            return without_origin(scope), False
        origin = _header(scope, b"origin")
        if origin is None:
            return scope, True
        text = origin.decode("latin-1")
        allowed = self.cors.allows(text)
        preflight = scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method") is not None
        if preflight and (not allowed or _header(scope, PRIVATE_NETWORK_REQUEST) is not None):
            raise preflight_refused(text, allowed)
        return scope, allowed

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.upstream.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _violations_endpoint(self, scope: Scope, send: Send) -> None:
        if scope["method"] in ("GET", "HEAD"):
            await _answer_json(send, 200, self.journal.snapshot())
        elif scope["method"] == "DELETE":
            self.journal.clear()
            await _answer(send, 204, [], b"")
        elif scope["method"] == "OPTIONS":  # answered, as the mock answers it on every path
            await _answer(send, 204, [_VIOLATIONS_ALLOW], b"")
        else:
            await _answer_json(send, 405, {"detail": f"Method {scope['method']} is not allowed here"},
                               [_VIOLATIONS_ALLOW])

    async def _proxy(self, scope: Scope, receive: Receive, send: Send, cors_kept: bool) -> None:
        body = await _read_body(receive)
        headers: RawHeaders = list(scope["headers"])
        query = scope.get("query_string", b"").decode("latin-1")
        recorded = RecordedRequest(scope["method"], scope["path"], query, _text_headers(headers), body or None)
        pending = self.monitor.begin(recorded) if self.monitor is not None else None
        try:
            found = await anyio.to_thread.run_sync(self.validator.check_request, recorded)
            self._report(recorded, found)
            if found and self.strict:
                await self._refuse(send, recorded, found)
                return
            target = scope.get("raw_path", scope["path"].encode()).decode("latin-1") + (f"?{query}" if query else "")
            try:
                answer = await self.upstream.forward(scope["method"], target, _forwarded_for(scope, headers), body)
            except UpstreamUnavailable as exc:
                logger.warning("bad gateway: %s %s: %s", scope["method"], scope["path"], exc)
                await self._bad_gateway(send, recorded.api, str(exc), found)
                return
            answered = RecordedResponse(answer.status, _text_headers(answer.headers), answer.body)
            backend = await anyio.to_thread.run_sync(self._judge_answer, recorded, answered, pending, time.monotonic())
        finally:
            if self.monitor is not None and pending is not None:
                self.monitor.abandon(pending)  # refused, unanswered or failed: nothing to judge; once judged, a no-op
        self._report(recorded, backend)
        await self._relay(send, answer, found + backend, cors_kept)

    def _judge_answer(self, request: RecordedRequest, response: RecordedResponse, pending: Pending | None,
                      ended: float) -> list[ContractViolation]:
        """The answer against the spec and the per-answer rules, then beside its request and earlier calls."""
        found = self.validator.check_response(request, response)
        if self.monitor is not None and pending is not None:
            found += self.monitor.finish(pending, response, ended=ended)
        return found

    def _report(self, request: RecordedRequest, violations: list[ContractViolation]) -> None:
        if violations:
            self.journal.record(request.method, request.path, request.operation, violations)
            log_violations(request.method, request.path, request.operation, violations)

    async def _relay(self, send: Send, answer: UpstreamAnswer, violations: list[ContractViolation],
                     cors_kept: bool) -> None:
        headers = [*(answer.headers if cors_kept else _without_cors(answer.headers)), *_violations_field(violations)]
        await _answer(send, answer.status, _exposed_to_scripts(headers) if violations else headers, answer.raw_body)

    async def _refuse(self, send: Send, request: RecordedRequest, violations: list[ContractViolation]) -> None:
        """Strict mode: 400 in the API's own format, naming what the request broke."""
        message = "Request breaks the contract: " + "; ".join(f"{v.check}: {v.message}" for v in violations)
        await _answer_json(send, 400, error_body(request.api, 400, message), _violations_field(violations))

    async def _bad_gateway(self, send: Send, api: Api | None, reason: str,
                           violations: list[ContractViolation]) -> None:
        await _answer_json(send, 502, error_body(api, 502, f"Bad gateway: the upstream did not answer ({reason})"),
                           _violations_field(violations))
