"""The control API's handlers, served by connexion from ``openapi.yaml`` under ``/_mock``.

The handlers are methods of one object bound to the app's :class:`MockState` and :class:`ControlState`, so two apps
in one process (as in the tests) never share rules or journals.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from connexion import request as current_request
from connexion.resolver import Resolver
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api_contract import read_yaml
from api_contract.routing import OPERATION_API
from mock_server.apis import CONTROL_BASE_PATH, CONTROL_SPEC
from mock_server.control.journal import BODY_LIMIT
from mock_server.control.latency import LatencyRule
from mock_server.control.state import ControlState
from mock_server.errors import ApiError
from mock_server.resolver import snake_case
from mock_server.state import MockState

BASE_PATH = CONTROL_BASE_PATH
SPEC_FILE = CONTROL_SPEC


@cache
def _parsed() -> dict[str, Any]:
    spec = read_yaml(SPEC_FILE)
    # The operation ids come from the API specs, so the control spec can never name one that does not exist.
    spec["components"]["schemas"]["Operation"]["enum"] = sorted(OPERATION_API)
    return spec


def control_spec() -> dict[str, Any]:
    """A fresh copy of the control API's spec, with the ``Operation`` enum filled in."""
    return copy.deepcopy(_parsed())


def _bad_request(message: str) -> ApiError:
    return ApiError(400, message)


class ControlHandlers:
    """One method per operationId of the control spec (``getHealth`` -> :meth:`get_health`)."""

    def __init__(self, state: MockState, control: ControlState) -> None:
        self.state = state
        self.control = control

    # -- health and data -----------------------------------------------------------------------------------------
    async def get_health(self) -> dict[str, Any]:
        exported = self.state.export()
        return {
            "status": "ok",
            "flights": len(self.state.catalog),
            "flight_sessions": len(exported["garuda"]["flight_sessions"]),
            "subscriptions": len(exported["flightsayer"]["subscriptions"]),
            "journal": {"entries": len(self.control.journal), "size": self.control.journal.size},
            "latency_rules": len(self.control.latency),
            "pending_faults": len(self.control.faults),
        }

    async def reset_state(self, body: dict[str, Any] | None = None) -> dict[str, Any]:
        self.state.reset(seed=(body or {}).get("seed"))
        return await self.get_health()

    async def export_state(self) -> dict[str, Any]:
        return self.state.export()

    async def import_state(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            self.state.restore(body)
        except (LookupError, TypeError, ValueError, AttributeError) as exc:
            # MockState.restore builds everything before swapping it in, so the state is unchanged here.
            raise _bad_request(f"invalid state snapshot: {type(exc).__name__}: {exc}") from None
        return self.state.export()

    # -- journal -------------------------------------------------------------------------------------------------
    async def list_requests(self, operation: str | None = None, limit: int | None = None,
                            after: int | None = None) -> dict[str, Any]:
        journal = self.control.journal
        entries = journal.entries(operation=operation, limit=limit, after=after)
        return {"size": journal.size, "dropped": journal.dropped, "requests": [e.public() for e in entries]}

    async def get_request(self, request_id: str) -> dict[str, Any]:
        found = self.control.journal.detail(int(request_id))
        if found is None:
            raise ApiError(404, f"no request {request_id} in the journal (it keeps the newest "
                                f"{self.control.journal.size})")
        return found

    async def get_journal_settings(self) -> dict[str, Any]:
        journal = self.control.journal
        return {"bodies": journal.keep_bodies, "body_limit_bytes": BODY_LIMIT, "size": journal.size}

    async def set_journal_settings(self, body: dict[str, Any]) -> dict[str, Any]:
        self.control.journal.keep_bodies = body["bodies"]
        return await self.get_journal_settings()

    async def clear_requests(self) -> tuple[None, int]:
        self.control.journal.clear()
        return None, 204

    # -- latency -------------------------------------------------------------------------------------------------
    async def list_latency(self) -> dict[str, Any]:
        return {"rules": [r.public() for r in self.control.latency.rules()]}

    async def set_latency(self, body: dict[str, Any]) -> dict[str, Any]:
        fixed, low, high = body.get("fixed_ms"), body.get("min_ms"), body.get("max_ms")
        if fixed is not None and (low is not None or high is not None):
            raise _bad_request("give either fixed_ms, or min_ms and max_ms, not both")
        if fixed is None and (low is None or high is None):
            raise _bad_request("give fixed_ms, or both min_ms and max_ms")
        try:
            rule = LatencyRule(fixed if fixed is not None else low, fixed if fixed is not None else high,
                               body.get("operation"))
        except ValueError as exc:
            raise _bad_request(str(exc)) from None
        self.control.latency.set(rule)
        return await self.list_latency()

    async def clear_latency(self, operation: str | None = None) -> tuple[None, int]:
        self.control.latency.clear(operation)
        return None, 204

    # -- faults --------------------------------------------------------------------------------------------------
    async def list_faults(self) -> dict[str, Any]:
        return {"faults": [f.public() for f in self.control.faults.pending()]}

    async def add_fault(self, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        operation = body["operation"]
        if operation not in OPERATION_API:  # the spec's enum says so too; this keeps the store honest without it
            raise _bad_request(f"unknown operation {operation!r}")
        try:
            fault = self.control.faults.add(operation, body.get("count", 1), status=body.get("status"),
                                            hangup=body.get("action") == "hangup", message=body.get("message"))
        except ValueError as exc:
            raise _bad_request(str(exc)) from None
        return fault.public(), 201

    async def clear_faults(self) -> tuple[None, int]:
        self.control.faults.clear()
        return None, 204

    # -- inboxes -------------------------------------------------------------------------------------------------
    async def list_inboxes(self) -> dict[str, Any]:
        return {"size": self.control.inboxes.size, "inboxes": self.control.inboxes.summary()}

    async def list_inbox(self, name: str, after: int | None = None) -> dict[str, Any]:
        return {"name": name, "messages": self.control.inboxes.messages(name, after=after)}

    async def post_to_inbox(self, name: str) -> tuple[dict[str, Any], int]:
        # The raw bytes and headers: an inbox shows what arrived, as it arrived. (With no body argument connexion
        # leaves the body unread for us.)
        try:
            message = self.control.inboxes.record(name, method=current_request.method,
                                                  headers=list(current_request.headers.items()),
                                                  body=await current_request.body())
        except ValueError as exc:
            raise _bad_request(str(exc)) from None
        return {"id": message["id"], "time": message["time"]}, 201

    async def clear_inbox(self, name: str) -> tuple[None, int]:
        self.control.inboxes.clear(name)
        return None, 204


def control_resolver(handlers: ControlHandlers) -> Resolver:
    return Resolver(function_resolver=lambda operation_id: getattr(handlers, snake_case(operation_id)))


async def _spec_endpoint(request: Request) -> Response:
    document = control_spec()
    document["servers"] = [{"url": str(request.base_url).rstrip("/") + BASE_PATH, "description": "This mock"}]
    return Response(json.dumps(document), media_type="application/json")


def control_routes() -> list[BaseRoute]:
    """The control API's raw spec at ``/_mock/openapi.json`` (our middleware stack has no connexion spec route)."""
    return [Route(f"{BASE_PATH}/openapi.json", _spec_endpoint, methods=["GET"])]
