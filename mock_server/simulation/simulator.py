"""The flight simulation: every flight's planned life applied to the catalog as simulated time passes.

Pending events sit in one heap ordered by (instant, FlightId, step), so advancing costs O(log n) per event that falls
due and nothing per flight that does not: 100,000 flights advance as cheaply as ten. A flight's plan is drawn only
when it becomes relevant (:data:`~mock_server.simulation.plan.PLAN_LEAD` before its scheduled departure, or at once
when it is already airborne); until then the heap holds a single activation entry for it. A re-planned flight bumps
its revision, which turns its older heap entries stale: they are skipped when popped instead of searched for.

Every applied change is handed to the listeners (e.g. ``DeliveryWorker.notify``), because the seed promises
subscribers "push notifications whenever the status of the flight in question changes".
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from mock_server.flights import FlightCatalog
from mock_server.flights.generator import MIN_TURN_MIN
from mock_server.simulation import transitions
from mock_server.simulation.clock import SimClock
from mock_server.simulation.plan import PLAN_LEAD, PlannedEvent, plan_flight

FORCE_KINDS = ("delay", "gate", "departure", "arrival", "cancellation")
_ACTIVATE = -1  # heap step of a flight's "draw my plan now" entry
_log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]


class StatusChange(NamedTuple):
    """One applied change: the flight and its new FlightStatus (as ``GET /flights/v1/status/{id}`` answers it)."""

    flight_id: str
    status: dict[str, Any]


class FlightSimulator:
    """Moves the catalog's flights along their deterministic plans as :attr:`clock` advances.

    Synchronous and never yields, so under an event loop each call is atomic with respect to request handlers.
    """

    def __init__(self, catalog: FlightCatalog, clock: SimClock | None = None) -> None:
        self._listeners: list[Listener] = []
        self.reset(catalog, clock)

    def reset(self, catalog: FlightCatalog, clock: SimClock | None = None) -> None:
        """Start over on ``catalog`` (e.g. after ``MockState.reset`` or ``restore`` replaced it). Listeners are kept.

        Without a ``clock``, a manual one starts at the catalog's ``as_of``, or at the latest ``last_updated`` of its
        flights if later (a restored state that was simulated forward), so no change is ever dated before another.
        """
        self.catalog = catalog
        self.seed = catalog.seed
        self._heap: list[tuple[datetime, str, int, int, PlannedEvent | None]] = []
        self._revision: dict[str, int] = {}
        self._planned: dict[str, list[PlannedEvent]] = {}  # drawn plans, for pending() and late-inbound checks
        self._departure_floor: dict[str, datetime] = {}
        self._outbound: dict[str, str] = {}
        latest = catalog.as_of
        waiting = []
        for flight_id in catalog.flight_ids():
            flight = catalog.flight(flight_id)
            if flight.inbound_id is not None:  # type: ignore[union-attr]  # listed ids are known
                self._outbound[flight.inbound_id] = flight_id  # type: ignore[union-attr]
            status = catalog.realtime(flight_id)
            if status.last_updated is not None and status.last_updated > latest:  # type: ignore[union-attr]
                latest = status.last_updated  # type: ignore[union-attr]
            if not transitions.is_final(status):  # type: ignore[arg-type]
                waiting.append((flight_id, flight.scheduled_departure))  # type: ignore[union-attr]
        self.clock = clock or SimClock(latest)
        start = self.clock.now()
        self._heap = [(max(start, departure - PLAN_LEAD), flight_id, _ACTIVATE, 0, None)
                      for flight_id, departure in waiting]
        heapq.heapify(self._heap)

    # -- listening -----------------------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(flight_id, status)`` after every change, simulated or forced (e.g. a worker's notify)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # -- time ----------------------------------------------------------------------------------------------------

    def advance(self, delta: timedelta) -> list[StatusChange]:
        """Move the clock forward by ``delta`` and apply, in time order, every event due by then."""
        self.clock.advance(delta)
        return self._run_until(self.clock.now())

    def advance_to(self, instant: datetime) -> list[StatusChange]:
        """Move the clock forward to ``instant`` (``ValueError`` if earlier than now) and apply every due event."""
        self.clock.advance_to(instant)
        return self._run_until(self.clock.now())

    def catch_up(self) -> list[StatusChange]:
        """Apply the events due by the clock's current instant (what a running clock's ticker calls)."""
        return self._run_until(self.clock.now())

    def next_event_at(self) -> datetime | None:
        """When the next pending event (or plan draw) falls due, None when every flight is done."""
        while self._heap and self._is_stale(self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pending(self, flight_id: str) -> list[PlannedEvent]:
        """The flight's upcoming planned events (empty until its plan is drawn, or once it is over)."""
        now = self.clock.now()
        return [e for e in self._planned.get(flight_id, []) if e.at > now]

    # -- forcing -------------------------------------------------------------------------------------------------

    def force(self, flight_id: str, kind: str, **args: Any) -> dict[str, Any]:
        """Make something happen to a flight now, and answer its new FlightStatus.

        Kinds: ``delay`` (``minutes``: a positive int added to the current departure estimate), ``gate``
        (``terminal``, ``gate``, optional ``side`` "departure"/"arrival", by default the departure's until the
        flight leaves), ``departure``, ``arrival`` (optional ``baggage_claim``) and ``cancellation``. ``KeyError`` for
        an unknown flight; ``ValueError`` for an unknown kind or argument, or an event that makes no sense: anything
        after landing or cancellation, an arrival before the departure, departing twice, cancelling in the air.
        The rest of the flight's plan is redrawn from the new status.
        """
        if flight_id not in self.catalog:
            raise KeyError(f"unknown flight {flight_id}")
        if kind not in FORCE_KINDS:
            raise ValueError(f"unknown event kind {kind!r}; expected one of {', '.join(FORCE_KINDS)}")
        self.catch_up()  # a running clock may owe events that come before this one
        at = self.clock.now()
        flight = self.catalog.flight(flight_id)
        status = self.catalog.realtime(flight_id)
        try:
            if kind == "delay":
                minutes = args.pop("minutes", None)
                if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
                    raise ValueError(f"delay needs minutes, a positive integer, not {minutes!r}")
                _no_more(args)
                changes = transitions.estimate(flight, status, at, transitions.current_delay(flight, status) + minutes)
                self._departure_floor[flight_id] = changes["departure_latest"]
            elif kind == "gate":
                changes = transitions.gate(flight, status, at, **args)
            elif kind == "departure":
                _no_more(args)
                changes = transitions.depart(flight, status, at)
            elif kind == "arrival":
                changes = transitions.arrive(flight, status, at, **args)
            else:
                _no_more(args)
                changes = transitions.cancel(flight, status, at)
        except TypeError as error:  # an unexpected keyword argument
            raise ValueError(f"{kind}: {error}") from None
        change = self._update(flight_id, changes, at)
        self._replan(flight_id, at)
        return change.status

    # -- internals -----------------------------------------------------------------------------------------------

    def _is_stale(self, entry: tuple[datetime, str, int, int, PlannedEvent | None]) -> bool:
        return entry[3] != self._revision.get(entry[1], 0)

    def _run_until(self, until: datetime) -> list[StatusChange]:
        changes: list[StatusChange] = []
        heap = self._heap
        while heap and heap[0][0] <= until:
            entry = heapq.heappop(heap)
            at, flight_id, _step, _revision, event = entry
            if self._is_stale(entry):
                continue
            if event is None:
                self._schedule(flight_id, at)
                continue
            try:
                updates = self._transition(flight_id, event, at)
            except ValueError as error:
                # Someone changed the flight behind the plan's back (a state import, a direct catalog update):
                # the plan no longer fits, so draw a new one from what the flight is now.
                _log.info("re-planning %s: %s", flight_id, error)
                self._replan(flight_id, at)
                continue
            changes.append(self._update(flight_id, updates, at))
        return changes

    def _transition(self, flight_id: str, event: PlannedEvent, at: datetime) -> dict[str, Any]:
        flight = self.catalog.flight(flight_id)
        status = self.catalog.realtime(flight_id)
        if event.kind == "estimate":
            return transitions.estimate(flight, status, at, **event.args)
        if event.kind == "gate":
            return transitions.gate(flight, status, at, **event.args)
        if event.kind == "departure":
            return transitions.depart(flight, status, at)
        if event.kind == "arrival":
            return transitions.arrive(flight, status, at, **event.args)
        return transitions.cancel(flight, status, at)

    def _update(self, flight_id: str, changes: dict[str, Any], at: datetime) -> StatusChange:
        status = self.catalog.update(flight_id, **changes)
        change = StatusChange(flight_id, status)
        for listener in self._listeners:
            try:
                listener(flight_id, status)
            except Exception:  # one broken listener must not stop the simulated world
                _log.exception("status change listener failed for %s", flight_id)
        if "arrival_latest" in changes or changes.get("cancelled"):
            self._inbound_moved(flight_id, at)
        return change

    def _schedule(self, flight_id: str, start: datetime) -> None:
        revision = self._revision.get(flight_id, 0)
        status = self.catalog.realtime(flight_id)
        events = plan_flight(self.catalog.flight(flight_id), status, seed=self.seed, start=start,  # type: ignore[arg-type]
                             revision=revision, min_departure=self._min_departure(flight_id))
        self._planned[flight_id] = events
        for step, event in enumerate(events):
            heapq.heappush(self._heap, (event.at, flight_id, step, revision, event))

    def _replan(self, flight_id: str, at: datetime) -> None:
        self._revision[flight_id] = self._revision.get(flight_id, 0) + 1
        self._planned.pop(flight_id, None)
        status = self.catalog.realtime(flight_id)
        if not transitions.is_final(status):  # type: ignore[arg-type]
            self._schedule(flight_id, at)

    def _min_departure(self, flight_id: str) -> datetime | None:
        floors = [self._departure_floor[flight_id]] if flight_id in self._departure_floor else []
        inbound_id = self.catalog.flight(flight_id).inbound_id  # type: ignore[union-attr]
        if inbound_id is not None:
            inbound = self.catalog.realtime(inbound_id)
            if not inbound.cancelled:  # type: ignore[union-attr]
                floors.append(inbound.arrival_latest + timedelta(minutes=MIN_TURN_MIN))  # type: ignore[union-attr]
        return max(floors) if floors else None

    def _inbound_moved(self, inbound_id: str, at: datetime) -> None:
        """A late inbound aircraft delays the next leg: re-plan it if its planned departure is now too early."""
        outbound = self._outbound.get(inbound_id)
        if outbound is None or outbound not in self._planned:
            return  # no next leg, or its plan is not drawn yet (it will see the inbound when it is)
        ready = self._min_departure(outbound)
        departure = next((e.at for e in self._planned[outbound] if e.kind == "departure"), None)
        if ready is not None and departure is not None and departure < ready:
            self._replan(outbound, at)


def _no_more(args: dict[str, Any]) -> None:
    if args:
        raise ValueError(f"unexpected arguments: {', '.join(sorted(args))}")
