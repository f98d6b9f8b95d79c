"""Garuda operations: parse, call the store, wrap the answer in the envelope."""

from __future__ import annotations

from typing import Any

from mock_server.context import caller, state
from mock_server.errors import ApiError
from mock_server.garuda.store import FlightSessionStore, InvalidSession, SessionNotFound


def _ok(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data}


def _not_found() -> ApiError:
    return ApiError(404, "Flight session not found")


def _invalid(exc: InvalidSession) -> ApiError:
    return ApiError(400, exc.message, field=exc.field)


def sessions_reply(store: FlightSessionStore, company_id: str, deployment_id: str | None = None,
                   flight_plan_id: str | None = None) -> dict[str, Any]:
    return _ok(store.list(company_id, deployment_id=deployment_id, flight_plan_id=flight_plan_id))


def session_reply(store: FlightSessionStore, company_id: str, flight_session_id: str) -> dict[str, Any]:
    """The envelope of one session; ``SessionNotFound`` when the company has no such session."""
    return _ok(store.get(company_id, flight_session_id))


async def list_flight_sessions(deployment_id: str | None = None, flight_plan_id: str | None = None):
    return sessions_reply(state().garuda, caller().tenant, deployment_id, flight_plan_id), 200


def created_session_reply(store: FlightSessionStore, company_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Create a session from ``body``; the envelope of the new session. ``ApiError`` (400) when it cannot be
    stored, and then nothing changed."""
    try:
        return _ok(store.create(company_id, body))
    except InvalidSession as exc:
        raise _invalid(exc) from exc


def updated_session_reply(store: FlightSessionStore, company_id: str, flight_session_id: str,
                          body: dict[str, Any]) -> dict[str, Any]:
    """Apply ``body`` to the session; its envelope. ``ApiError`` (404, 400) when not, and then nothing changed."""
    try:
        return _ok(store.update(company_id, flight_session_id, body))
    except SessionNotFound as exc:
        raise _not_found() from exc
    except InvalidSession as exc:
        raise _invalid(exc) from exc


def deleted_session_reply(store: FlightSessionStore, company_id: str, flight_session_id: str) -> dict[str, Any]:
    """Delete the session; the envelope of what it was. ``ApiError`` (404) when the company has no such session."""
    try:
        return _ok(store.delete(company_id, flight_session_id))
    except SessionNotFound as exc:
        raise _not_found() from exc


async def create_flight_session(body: dict[str, Any]):
    return created_session_reply(state().garuda, caller().tenant, body), 200


async def get_flight_session(flight_session_id: str):
    try:
        return session_reply(state().garuda, caller().tenant, flight_session_id), 200
    except SessionNotFound as exc:
        raise _not_found() from exc


async def update_flight_session(flight_session_id: str, body: dict[str, Any]):
    return updated_session_reply(state().garuda, caller().tenant, flight_session_id, body), 200


async def delete_flight_session(flight_session_id: str):
    return deleted_session_reply(state().garuda, caller().tenant, flight_session_id), 200
