"""Handlers of the simulation control endpoints (control/simulation.yaml): thin, onto SimulationService."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from connexion.resolver import Resolver

from mock_server.errors import ApiError
from mock_server.resolver import snake_case
from mock_server.simulation.service import SimulationService

MAX_ADVANCE = timedelta(days=30)
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration of days, hours, minutes and seconds (the spec's pattern has checked its form)."""
    match = _DURATION.match(text)
    if match is None or text in ("P", "PT"):
        raise ApiError(400, f"'{text}' is not an ISO 8601 duration such as PT2H30M", field="advance")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


class SimulationHandlers:
    """One method per operationId of the simulation control spec."""

    def __init__(self, service: SimulationService) -> None:
        self.service = service

    async def get_clock(self) -> dict[str, Any]:
        return self.service.clock_state()

    async def move_clock(self, body: dict[str, Any]) -> dict[str, Any]:
        if "advance" in body and "to" in body:
            raise ApiError(400, "give either advance or to, not both")
        by = parse_duration(body["advance"]) if "advance" in body else None
        if by is not None and by > MAX_ADVANCE:
            raise ApiError(400, "at most 30 days at a time", field="advance")
        to = datetime.fromisoformat(body["to"].upper()) if "to" in body else None
        try:
            changes = self.service.move_clock(by=by, to=to, speed=body.get("speed"))
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        listed = [{"flight_id": c.flight_id, "at": (c.status.get("status") or {}).get("last_updated")}
                  for c in changes]
        return {**self.service.clock_state(), "changes": listed}

    async def list_flight_events(self, flight_id: str) -> dict[str, Any]:
        self._known(flight_id)
        return {"events": self.service.pending(flight_id)}

    async def force_flight_event(self, flight_id: str, body: dict[str, Any]) -> dict[str, Any]:
        self._known(flight_id)
        args = {k: v for k, v in body.items() if k != "kind"}
        try:
            return self.service.force(flight_id, body["kind"], **args)
        except (ValueError, TypeError) as exc:
            raise ApiError(400, str(exc)) from None

    async def list_deliveries(self, flight_id: str | None = None, limit: int | None = None) -> dict[str, Any]:
        found = [d for d in self.service.deliveries() if flight_id is None or d.get("flight_id") == flight_id]
        return {"deliveries": found[-limit:] if limit else found}

    def _known(self, flight_id: str) -> None:
        if flight_id not in self.service.state.catalog:
            raise ApiError(404, f"no flight {flight_id}")


def simulation_resolver(handlers: SimulationHandlers) -> Resolver:
    return Resolver(function_resolver=lambda operation_id: getattr(handlers, snake_case(operation_id)))
