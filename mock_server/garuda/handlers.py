"""Garuda operations: parse, call the store, wrap the answer in the envelope."""

from __future__ import annotations

from typing import Any

from mock_server.context import caller, state
from mock_server.errors import ApiError
from mock_server.garuda.store import InvalidSession, SessionNotFound


def _ok(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data}


def _not_found() -> ApiError:
    return ApiError(404, "Flight session not found")


def _invalid(exc: InvalidSession) -> ApiError:
    return ApiError(400, exc.message, field=exc.field)


async def list_flight_sessions(deployment_id: str | None = None, flight_plan_id: str | None = None):
    sessions = state().garuda.list(caller().tenant, deployment_id=deployment_id, flight_plan_id=flight_plan_id)
    return _ok(sessions), 200


async def create_flight_session(body: dict[str, Any]):
    try:
        return _ok(state().garuda.create(caller().tenant, body)), 200
    except InvalidSession as exc:
        raise _invalid(exc) from exc


async def get_flight_session(flight_session_id: str):
    try:
        return _ok(state().garuda.get(caller().tenant, flight_session_id)), 200
    except SessionNotFound as exc:
        raise _not_found() from exc


async def update_flight_session(flight_session_id: str, body: dict[str, Any]):
    try:
        return _ok(state().garuda.update(caller().tenant, flight_session_id, body)), 200
    except SessionNotFound as exc:
        raise _not_found() from exc
    except InvalidSession as exc:
        raise _invalid(exc) from exc


async def delete_flight_session(flight_session_id: str):
    try:
        return _ok(state().garuda.delete(caller().tenant, flight_session_id)), 200
    except SessionNotFound as exc:
        raise _not_found() from exc
