"""A flight's planned life: the realtime changes it will go through, drawn deterministically.

Each plan is drawn from ``random.Random(f"{seed}:{flight_id}:{revision}")``: the catalog seed and the FlightId fix
what happens, and the revision (bumped when a forced event or a late inbound makes the flight re-plan) keeps a
re-plan deterministic too. Nothing depends on wall time or iteration order, so the same seed and the same forced
events give the same event sequence.

A plan starts from the flight's current status at ``start`` and holds only events after it: gate assignment, one
to three departure estimates converging on the final delay, then either the actual departure, an arrival gate and
the actual arrival, or a cancellation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mock_server.flights import Flight, RealtimeStatus
from mock_server.flights.generator import CANCEL_RATE, TERMINALS
from mock_server.simulation import predictions
from mock_server.simulation.transitions import AIRBORNE, SCHEDULED, current_delay, phase

ESTIMATE_WINDOW = timedelta(hours=4)  # departure estimates start this long before the scheduled departure
LAST_ESTIMATE_BEFORE = timedelta(minutes=10)
GATE_CHANGE_RATE = 0.1
PLAN_LEAD = timedelta(hours=8)  # a flight's plan is drawn this long before its scheduled departure
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """One change at a simulated instant: ``kind`` is a transition name, ``args`` its keyword arguments."""

    at: datetime
    kind: str  # "estimate", "gate", "departure", "arrival" or "cancellation"
    args: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """A JSON-able description (for a control API listing upcoming events)."""
        return {"at": self.at.isoformat(), "kind": self.kind, **self.args}


def plan_flight(flight: Flight, status: RealtimeStatus, *, seed: int, start: datetime, revision: int = 0,
                min_departure: datetime | None = None) -> list[PlannedEvent]:
    """The events of ``flight`` after ``start``, in time order; none once it landed or was cancelled.

    ``min_departure`` is a floor under the actual departure: a late inbound aircraft's ready time, or an estimate
    someone forced.
    """
    rng = random.Random(f"{seed}:{flight.id}:{revision}")
    current = phase(status)
    if current == AIRBORNE:
        return _arrival_events(rng, flight, status, start, status.departure_latest,
                               status.arrival_latest - status.departure_latest)
    if current != SCHEDULED:
        return []
    events: list[PlannedEvent] = []
    delay_now = current_delay(flight, status)
    final_delay = max(_sample_delay(rng, status.prediction.distribution), delay_now if delay_now > 0 else -5)
    departure = flight.scheduled_departure + final_delay * _MINUTE
    if min_departure is not None and departure < min_departure:
        departure = min_departure
    if departure <= start:  # overdue at ``start``: the departure is reported shortly
        departure = start + rng.randint(1, 15) * _MINUTE
    final_delay = predictions.delay_minutes(departure - flight.scheduled_departure)

    if status.departure_gate is None:
        at = flight.scheduled_departure - rng.randint(60, 150) * _MINUTE
        at = max(at, min(start + rng.randint(1, 5) * _MINUTE, departure - _MINUTE))  # overdue: assign at once
        events.append(PlannedEvent(at, "gate", _draw_gate(rng, status.departure_terminal)))
    elif rng.random() < GATE_CHANGE_RATE:
        at = departure - rng.randint(20, 50) * _MINUTE
        events.append(PlannedEvent(at, "gate", _draw_gate(rng, status.departure_terminal)))

    first = max(start, flight.scheduled_departure - ESTIMATE_WINDOW)
    last = departure - LAST_ESTIMATE_BEFORE
    if last > first:
        count = rng.randint(1, 3)
        span = int((last - first).total_seconds() // 60)
        times = sorted(first + rng.randint(1, max(1, span)) * _MINUTE for _ in range(count))
        previous = delay_now
        for step, at in enumerate(times, start=1):
            delay = delay_now + round((final_delay - delay_now) * step / count)
            if delay != previous:
                events.append(PlannedEvent(at, "estimate", {"delay_min": delay}))
                previous = delay

    if rng.random() < CANCEL_RATE:
        latest = min(departure, flight.scheduled_departure) - 5 * _MINUTE
        earliest = max(start, flight.scheduled_departure - timedelta(hours=5))
        span = int((latest - earliest).total_seconds() // 60)
        at = earliest + rng.randint(1, span) * _MINUTE if span >= 1 else start + rng.randint(1, 30) * _MINUTE
        events = [e for e in events if e.at < at]
        events.append(PlannedEvent(at, "cancellation"))
        return _after(start, events)

    events.append(PlannedEvent(departure, "departure"))
    block = status.arrival_latest - status.departure_latest
    events.extend(_arrival_events(rng, flight, status, start, departure, block))
    return _after(start, events)


def _arrival_events(rng: random.Random, flight: Flight, status: RealtimeStatus, start: datetime,
                    departure: datetime, block: timedelta) -> list[PlannedEvent]:
    arrival = departure + block + rng.randint(-12, 10) * _MINUTE
    arrival = max(arrival, departure + 20 * _MINUTE, start + _MINUTE)
    events = []
    if status.arrival_gate is None:
        events.append(PlannedEvent(departure + (arrival - departure) / 2, "gate",
                                   {**_draw_gate(rng, status.arrival_terminal), "side": "arrival"}))
    events.append(PlannedEvent(arrival, "arrival", {"baggage_claim": str(rng.randint(1, 12))}))
    return _after(start, events)


def _after(start: datetime, events: list[PlannedEvent]) -> list[PlannedEvent]:
    # Stable sort: events at one instant keep their logical order (an estimate before the departure it leads to).
    return sorted((e for e in events if e.at > start), key=lambda e: e.at)


def _draw_gate(rng: random.Random, terminal: str | None) -> dict[str, Any]:
    terminal = terminal or TERMINALS[rng.randrange(len(TERMINALS))]
    letter = terminal if terminal.isalpha() else "ABCDE"[rng.randrange(5)]
    return {"terminal": terminal, "gate": f"{letter}{rng.randint(1, 60)}"}


def _sample_delay(rng: random.Random, distribution: tuple[float, ...]) -> int:
    """A departure delay in minutes drawn from the predicted buckets, as the generator draws one."""
    u, acc, chosen = rng.random(), 0.0, 3
    for i, p in enumerate(distribution):
        acc += p
        if u < acc:
            chosen = i
            break
    return (rng.randint(-5, 15), rng.randint(30, 59), rng.randint(60, 119), rng.randint(120, 300))[chosen]
