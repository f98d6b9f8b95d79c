"""Flights to the contract's JSON: FlightStatus objects, their bytes, and the realtime part of a saved state.

Airport times carry the airport's real UTC offset at that instant (origin for departures, destination for
arrivals), written ``±HH:MM``; times tied to no airport (``last_updated``) are UTC with ``Z`` (docs/decisions.md,
"Timestamps and offsets").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from mock_server.flights.model import Flight, Prediction, RealtimeStatus


def airport_time(instant: datetime, zone: ZoneInfo) -> str:
    """``instant`` as local time at an airport, with that zone's offset then, e.g. ``2016-08-25T21:04:00-05:00``."""
    return instant.astimezone(zone).isoformat()


def utc_time(instant: datetime) -> str:
    """``instant`` in UTC with a ``Z``, e.g. ``2016-09-09T15:00:00Z``."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def parse_time(text: str) -> datetime:
    """Inverse of :func:`utc_time` (and of :func:`airport_time`): an aware datetime, normalised to UTC."""
    instant = datetime.fromisoformat(text)
    if instant.utcoffset() is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return instant.astimezone(UTC)


def airport_time_by_orjson(instant: datetime, zone: ZoneInfo) -> str:
    """:func:`airport_time`, written by orjson (a third of ``isoformat``'s cost), except for an offset of odd seconds
    (local mean time, before 1900), which orjson would round and ``isoformat`` keeps."""
    local = instant.astimezone(zone)
    offset = local.utcoffset()
    if offset is None or offset.seconds % 60:
        return local.isoformat()
    return orjson.dumps(local)[1:-1].decode()


def utc_time_by_orjson(instant: datetime) -> str:
    """:func:`utc_time`, written by orjson."""
    return orjson.dumps(instant.astimezone(UTC), option=orjson.OPT_UTC_Z)[1:-1].decode()


def _scheduled(flight: Flight) -> tuple[str, str]:
    return (airport_time_by_orjson(flight.scheduled_departure, flight.origin.tz),
            airport_time_by_orjson(flight.scheduled_arrival, flight.destination.tz))


def _own_info(thing: Any) -> dict[str, str]:
    return thing.info()


def flight_json(flight: Flight, scheduled: tuple[str, str] | None = None,
                info: Callable[[Any], dict[str, str]] = _own_info) -> dict[str, Any]:
    """The Flight JSON object (``scheduled``: its departure and arrival times, when the caller has them; ``info``:
    the JSON object of its carrier or an airport, a fresh one unless told otherwise)."""
    departure, arrival = scheduled or _scheduled(flight)
    return {
        "id": flight.id,
        "number": flight.number,
        "carrier": info(flight.carrier),
        "scheduled_departure": departure,
        "scheduled_arrival": arrival,
        "origin": info(flight.origin),
        "destination": info(flight.destination),
    }


def realtime_json(flight: Flight, status: RealtimeStatus, scheduled: tuple[str, str] | None = None) -> dict[str, Any]:
    """The RealtimeStatus JSON object of ``flight`` (``scheduled`` as in :func:`flight_json`)."""
    origin, destination = flight.origin.tz, flight.destination.tz
    departure, arrival = scheduled or _scheduled(flight)
    return {
        "departure": {
            "scheduled": departure,
            "latest": airport_time_by_orjson(status.departure_latest, origin),
            "type": status.departure_type,
            "terminal": status.departure_terminal,
            "gate": status.departure_gate,
        },
        "arrival": {
            "scheduled": arrival,
            "latest": airport_time_by_orjson(status.arrival_latest, destination),
            "type": status.arrival_type,
            "terminal": status.arrival_terminal,
            "gate": status.arrival_gate,
            "baggage_claim": status.baggage_claim,
        },
        "cancelled": status.cancelled,
        "source": status.source,
        "last_updated": utc_time_by_orjson(status.last_updated) if status.last_updated is not None else None,
    }


def status_without_inbound(flight: Flight, status: RealtimeStatus,
                           info: Callable[[Any], dict[str, str]] = _own_info) -> dict[str, Any]:
    """A FlightStatus object minus ``inbound``, which is always the last key and is attached by the caller
    (``info`` as in :func:`flight_json`)."""
    history = flight.historical_performance
    scheduled = _scheduled(flight)  # both the flight and its realtime status show them
    return {
        "flight": flight_json(flight, scheduled, info),
        "prediction": status.prediction.to_json(),
        "historical_performance": history.to_json() if history is not None else None,
        "status": realtime_json(flight, status, scheduled),
    }


class StatusBuilder:
    """:func:`status_without_inbound`, built for encoding straight away: each airport's and carrier's JSON object is
    shared between the statuses that show it, so its dicts must only be read (encoded, checked)."""

    def __init__(self) -> None:
        self._infos: dict[tuple[type, str], tuple[Any, dict[str, str]]] = {}

    def _info(self, thing: Any) -> dict[str, str]:
        key = (type(thing), thing.iata)
        known = self._infos.get(key)
        if known is None or known[0] is not thing:  # another reference's airport or carrier under the same code
            known = self._infos[key] = (thing, thing.info())
        return known[1]

    def build(self, flight: Flight, status: RealtimeStatus) -> dict[str, Any]:
        """Equal to ``status_without_inbound(flight, status)``."""
        return status_without_inbound(flight, status, self._info)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON in the dict's own key order (which the builders above fix), hence stable bytes.

    orjson: serialising flights is most of the cost of a search page nobody asked for before (~4x faster than the
    standard library's, same bytes for these values).
    """
    return orjson.dumps(value)


def status_bytes(without_inbound: dict[str, Any], inbound: bytes | None) -> bytes:
    """Bytes of a FlightStatus, with the inbound flight's already serialised (and cached) status embedded verbatim.

    Equal to ``dumps`` of the full nested dict (``inbound`` is the last key); it saves re-serialising the whole inbound
    chain for every flight.
    """
    return dumps({**without_inbound, "inbound": orjson.Fragment(inbound) if inbound is not None else None})


def realtime_state(status: RealtimeStatus) -> dict[str, Any]:
    """The realtime status as JSON-able values, for a saved state (times in UTC, exact to the microsecond)."""
    return {
        "departure_latest": utc_time(status.departure_latest),
        "departure_type": status.departure_type,
        "departure_terminal": status.departure_terminal,
        "departure_gate": status.departure_gate,
        "arrival_latest": utc_time(status.arrival_latest),
        "arrival_type": status.arrival_type,
        "arrival_terminal": status.arrival_terminal,
        "arrival_gate": status.arrival_gate,
        "baggage_claim": status.baggage_claim,
        "cancelled": status.cancelled,
        "last_updated": utc_time(status.last_updated) if status.last_updated is not None else None,
        "prediction": status.prediction.to_json(),
        "source": status.source,
    }


def realtime_from_state(value: dict[str, Any]) -> RealtimeStatus:
    """Inverse of :func:`realtime_state`."""
    return RealtimeStatus(
        departure_latest=parse_time(value["departure_latest"]),
        departure_type=value["departure_type"],
        departure_terminal=value["departure_terminal"],
        departure_gate=value["departure_gate"],
        arrival_latest=parse_time(value["arrival_latest"]),
        arrival_type=value["arrival_type"],
        arrival_terminal=value["arrival_terminal"],
        arrival_gate=value["arrival_gate"],
        baggage_claim=value["baggage_claim"],
        cancelled=value["cancelled"],
        last_updated=parse_time(value["last_updated"]) if value["last_updated"] is not None else None,
        prediction=Prediction.from_json(value["prediction"]),
        source=value["source"],
    )
