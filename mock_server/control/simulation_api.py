"""Handlers of the simulation control endpoints (control/simulation.yaml): thin, onto SimulationService."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from connexion.resolver import Resolver

from mock_server.errors import ApiError
from mock_server.flights.model import RealtimeStatus
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


def life_stage(scheduled_departure: datetime, now: RealtimeStatus) -> str:
    """One word for where a flight is in its life, for a picker (the FlightStatus itself says it in full)."""
    if now.cancelled:
        return "cancelled"
    if now.arrival_type == "actual":
        return "landed"
    if now.departure_type == "actual":
        return "departed"
    return "delayed" if now.departure_latest > scheduled_departure else "scheduled"


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

    async def pick_flights(self, departure_airport: str | None = None, arrival_airport: str | None = None,
                           subscribed: bool | None = None, limit: int = 50) -> dict[str, Any]:
        state = self.service.state
        catalog = state.catalog
        departure = departure_airport.upper() if departure_airport else None
        arrival = arrival_airport.upper() if arrival_airport else None
        subscribers: dict[str, list[dict[str, str]]] = {}
        for row in state.subscriptions.export():
            subscribers.setdefault(row["flight_id"], []).append({"username": row["username"],
                                                                 "target": row["target"]})
        if subscribed:
            flights = [f for f in (catalog.flight(i) for i in subscribers) if f is not None
                       and departure in (None, f.origin.iata) and arrival in (None, f.destination.iata)]
            flights.sort(key=lambda f: (f.scheduled_departure, f.id))
            total, ids = len(flights), [f.id for f in flights[:limit]]
        else:
            total, ids = catalog.search(departure_airport=departure, arrival_airport=arrival, limit=limit)
        return {"total": total, "flights": [self._picked(i, subscribers.get(i, [])) for i in ids]}

    def _picked(self, flight_id: str, subscribers: list[dict[str, str]]) -> dict[str, Any]:
        catalog = self.service.state.catalog
        flight, now = catalog.flight(flight_id), catalog.realtime(flight_id)
        assert flight is not None and now is not None  # ids come from the catalog itself
        return {"flight_id": flight.id, "carrier": flight.carrier.iata, "number": flight.number,
                "departure_airport": flight.origin.iata, "arrival_airport": flight.destination.iata,
                "scheduled_departure": flight.scheduled_departure.isoformat().replace("+00:00", "Z"),
                "state": life_stage(flight.scheduled_departure, now), "subscribers": subscribers}

    def _known(self, flight_id: str) -> None:
        if flight_id not in self.service.state.catalog:
            raise ApiError(404, f"no flight {flight_id}")


def simulation_resolver(handlers: SimulationHandlers) -> Resolver:
    return Resolver(function_resolver=lambda operation_id: getattr(handlers, snake_case(operation_id)))
