"""The changes a flight can go through, as ``FlightCatalog.update`` arguments, each checked against the flight's phase.

Shared by the planned simulation and by forced events, so both obey the same rules: nothing happens to a flight after
it landed or was cancelled, it cannot arrive before it departed, depart twice, or be cancelled in the air.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mock_server.flights import Flight, RealtimeStatus
from mock_server.simulation import predictions

SCHEDULED, AIRBORNE, LANDED, CANCELLED = "scheduled", "airborne", "landed", "cancelled"
FINAL_PHASES = (LANDED, CANCELLED)


def phase(status: RealtimeStatus) -> str:
    """Where a flight is in its life: ``scheduled`` (not yet departed), ``airborne``, ``landed`` or ``cancelled``."""
    if status.cancelled:
        return CANCELLED
    if status.arrival_type == "actual":
        return LANDED
    return AIRBORNE if status.departure_type == "actual" else SCHEDULED


def is_final(status: RealtimeStatus) -> bool:
    """True once the flight landed or was cancelled: the seed's "final POST" has been triggered."""
    return phase(status) in FINAL_PHASES


def current_delay(flight: Flight, status: RealtimeStatus) -> int:
    """Minutes between the scheduled and the latest departure."""
    return predictions.delay_minutes(status.departure_latest - flight.scheduled_departure)


def estimate(flight: Flight, status: RealtimeStatus, at: datetime, delay_min: int) -> dict[str, Any]:
    """A new departure estimate ``delay_min`` minutes after schedule; the arrival moves with it."""
    _require(flight, status, SCHEDULED, "get a new departure estimate")
    departure = flight.scheduled_departure + timedelta(minutes=delay_min)
    block = status.arrival_latest - status.departure_latest
    return {"departure_latest": departure, "departure_type": "estimated", "arrival_latest": departure + block,
            "arrival_type": "estimated", "last_updated": at,
            "prediction": predictions.estimated(flight, delay_min, departure - at)}


def gate(flight: Flight, status: RealtimeStatus, at: datetime, terminal: str | None, gate: str | None,
         side: str | None = None) -> dict[str, Any]:
    """Assign a terminal and gate: the departure's until the flight leaves, then the arrival's."""
    current = phase(status)
    if current in FINAL_PHASES:
        _require(flight, status, SCHEDULED, "change gate")
    side = side or ("departure" if current == SCHEDULED else "arrival")
    if side not in ("departure", "arrival"):
        raise ValueError(f"side is 'departure' or 'arrival', not {side!r}")
    if side == "departure" and current != SCHEDULED:
        raise ValueError(f"flight {flight.id} has already departed; only its arrival gate can change")
    for name, value in (("terminal", terminal), ("gate", gate)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{name} is a non-empty string or None, not {value!r}")
    changes: dict[str, Any] = {f"{side}_terminal": terminal, f"{side}_gate": gate, "last_updated": at}
    if current == AIRBORNE:  # keep the prediction true to the status even if it came from elsewhere
        changes["prediction"] = predictions.departed(current_delay(flight, status))
    return changes


def depart(flight: Flight, status: RealtimeStatus, at: datetime) -> dict[str, Any]:
    """Actual departure at ``at``; the arrival is estimated one planned block time later."""
    _require(flight, status, SCHEDULED, "depart")
    block = status.arrival_latest - status.departure_latest
    delay = predictions.delay_minutes(at - flight.scheduled_departure)
    return {"departure_latest": at, "departure_type": "actual", "arrival_latest": at + block,
            "arrival_type": "estimated", "last_updated": at, "prediction": predictions.departed(delay)}


def arrive(flight: Flight, status: RealtimeStatus, at: datetime, baggage_claim: str | None = None) -> dict[str, Any]:
    """Actual arrival at ``at``, after the actual departure; bags get a carousel once the aircraft is in."""
    if phase(status) == SCHEDULED:
        raise ValueError(f"flight {flight.id} cannot arrive before it departs")
    _require(flight, status, AIRBORNE, "arrive")
    if at <= status.departure_latest:
        raise ValueError(f"flight {flight.id} cannot arrive at {at.isoformat()}, not after its departure at "
                         f"{status.departure_latest.isoformat()}")
    prediction = predictions.landed(current_delay(flight, status),
                                    predictions.delay_minutes(at - flight.scheduled_arrival))
    return {"arrival_latest": at, "arrival_type": "actual", "baggage_claim": baggage_claim, "last_updated": at,
            "prediction": prediction}


def cancel(flight: Flight, status: RealtimeStatus, at: datetime) -> dict[str, Any]:
    """Cancellation before departure: times go back to the schedule (no estimate applies to a flight that will not
    fly), types ``scheduled``, no baggage claim, prediction 2h+ certain (see :mod:`predictions`)."""
    if phase(status) == AIRBORNE:
        raise ValueError(f"flight {flight.id} has already departed and cannot be cancelled")
    _require(flight, status, SCHEDULED, "be cancelled")
    return {"cancelled": True, "departure_latest": flight.scheduled_departure, "departure_type": "scheduled",
            "arrival_latest": flight.scheduled_arrival, "arrival_type": "scheduled", "baggage_claim": None,
            "last_updated": at, "prediction": predictions.cancelled(flight)}


def _require(flight: Flight, status: RealtimeStatus, wanted: str, action: str) -> None:
    current = phase(status)
    if current == wanted:
        return
    if current == LANDED:
        raise ValueError(f"flight {flight.id} has already landed; it cannot {action}")
    if current == CANCELLED:
        raise ValueError(f"flight {flight.id} was cancelled; it cannot {action}")
    if current == AIRBORNE:
        raise ValueError(f"flight {flight.id} has already departed; it cannot {action}")
    raise ValueError(f"flight {flight.id} is {current}; it cannot {action}")
