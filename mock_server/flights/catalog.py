"""The flight catalog: every generated flight, its current status, a search index and a cache of serialised statuses.

Flights are read far more often than they change, so each flight's FlightStatus bytes are built on first read and
kept until :meth:`FlightCatalog.update` changes that flight or any flight its ``inbound`` chain embeds. Nothing is
serialised at load, which keeps a 100,000-flight catalog quick to build; the cache keeps the most recently read
:data:`JSON_CACHE_SIZE` flights, because all 100,000 serialised would take over 200 MB. How a status becomes bytes is
:attr:`FlightCatalog.encode_status`: the mock sets it to its response check's encoding, which proves each status valid
as it builds it (same bytes), so the statuses of a search page need not be parsed back to be checked.
"""

from __future__ import annotations

import dataclasses
import gc
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mock_server.flights.generator import GeneratedSchedule, generate
from mock_server.flights.model import REALTIME_FIELDS, Flight, Prediction, RealtimeStatus, check_realtime
from mock_server.flights.reference import Reference, load_reference
from mock_server.flights.search_index import SearchIndex
from mock_server.flights.serialise import (
    StatusBuilder,
    realtime_from_state,
    realtime_state,
    status_bytes,
    status_without_inbound,
)
from mock_server.persistence import MEMORY_ONLY, Persistence

STATE_FORMAT = 1
# (a FlightStatus dict without ``inbound``, the inbound's encoded status or None) -> the status's bytes
StatusEncoding = Callable[[dict[str, Any], bytes | None], bytes]
JSON_CACHE_SIZE = 50_000  # serialised statuses kept (about 2 kB each, inbound chain included)


class FlightCatalog:
    """Generated Flightsayer flights: status by FlightId, search, realtime updates and a JSON-able saved state.

    Build one with :func:`load_catalog` (or :meth:`from_state`). Realtime changes go through :meth:`update`, which
    reports each to ``persistence`` before making it.
    """

    def __init__(self, reference: Reference, schedule: GeneratedSchedule, *, seed: int, first_day: date,
                 days: int) -> None:
        self.persistence: Persistence = MEMORY_ONLY
        self.reference = reference
        self.seed = seed
        self.first_day = first_day
        self.days = days
        self.as_of: datetime = schedule.as_of  # the instant the generated statuses describe
        self._flights: dict[str, Flight] = {f.id: f for f in schedule.flights}
        self._realtime: dict[str, RealtimeStatus] = {f.id: s for f, s in zip(schedule.flights, schedule.realtime,
                                                                              strict=True)}
        # A rotation is a chain, so each flight is the inbound of at most one other flight.
        self._outbound: dict[str, str] = {f.inbound_id: f.id for f in schedule.flights if f.inbound_id is not None}
        self._json: OrderedDict[str, bytes] = OrderedDict()  # least recently read first
        # How a status becomes bytes: serialise.status_bytes, or an encoding with the same bytes that also checks
        # what it encodes (the mock's response check: see mock_server.fast_path).
        self.encode_status: StatusEncoding = status_bytes
        self._builder = StatusBuilder()
        self._changed: dict[str, None] = {}  # insertion-ordered set of flights whose realtime status was updated
        self._index = SearchIndex((f.scheduled_departure, f.id, f.origin.iata, f.destination.iata)
                                  for f in schedule.flights)

    # -- reading -------------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._flights)

    def __contains__(self, flight_id: object) -> bool:
        return flight_id in self._flights

    def flight(self, flight_id: str) -> Flight | None:
        """The immutable schedule of a flight (carrier, airports, scheduled times, inbound id), None if unknown."""
        return self._flights.get(flight_id)

    def realtime(self, flight_id: str) -> RealtimeStatus | None:
        """A copy of the flight's realtime status (change it with :meth:`update`), None if unknown."""
        status = self._realtime.get(flight_id)
        return dataclasses.replace(status) if status is not None else None

    def status(self, flight_id: str) -> dict[str, Any] | None:
        """The FlightStatus as a fresh JSON-ready dict (``inbound`` nested recursively, null when none)."""
        flight = self._flights.get(flight_id)
        if flight is None:
            return None
        body = status_without_inbound(flight, self._realtime[flight_id])
        body["inbound"] = self.status(flight.inbound_id) if flight.inbound_id is not None else None
        return body

    def status_json(self, flight_id: str) -> bytes | None:
        """The FlightStatus as compact UTF-8 JSON, equal to serialising :meth:`status`; cached until changed."""
        cached = self._json.get(flight_id)
        if cached is not None:
            self._json.move_to_end(flight_id)
            return cached
        flight = self._flights.get(flight_id)
        if flight is None:
            return None
        inbound = self.status_json(flight.inbound_id) if flight.inbound_id is not None else None
        encoded = self.encode_status(self._builder.build(flight, self._realtime[flight_id]), inbound)
        self._json[flight_id] = encoded
        if len(self._json) > JSON_CACHE_SIZE:
            self._json.popitem(last=False)
        return encoded

    def search(self, *, departure_airport: str | None = None, arrival_airport: str | None = None,
               earliest: datetime | None = None, latest: datetime | None = None,
               offset: int = 0, limit: int = 50) -> tuple[int, list[str]]:
        """(total matches, FlightIds of this page) of the flights matching every given filter.

        Bounds are aware datetimes in any offset, inclusive, compared as instants with the scheduled departure;
        ``earliest`` after ``latest`` matches nothing. Results are ordered by (scheduled departure, FlightId). An
        unknown airport matches nothing. A naive bound, or a negative offset or limit, raises ``ValueError``.
        """
        return self._index.search(departure_airport=departure_airport, arrival_airport=arrival_airport,
                                  earliest=earliest, latest=latest, offset=offset, limit=limit)

    def flight_ids(self) -> list[str]:
        """Every FlightId, ordered by (scheduled departure, FlightId) as search results are."""
        return self._index.ordered_ids()

    # -- changing ------------------------------------------------------------------------------------------------

    def update(self, flight_id: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a flight's realtime status and answer its new FlightStatus dict.

        ``changes`` are :class:`RealtimeStatus` field names: ``departure_latest``, ``departure_type``,
        ``departure_terminal``, ``departure_gate``, ``arrival_latest``, ``arrival_type``, ``arrival_terminal``,
        ``arrival_gate``, ``baggage_claim``, ``cancelled``, ``last_updated``, ``prediction`` (a :class:`Prediction`
        or a mapping with ``distribution`` and ``reasons``, its index derived), ``source``. Times are aware
        datetimes (stored in UTC). The change is checked as a whole (``ValueError`` if the result would break the
        contract, e.g. arrival not after departure), reported to ``persistence``, and the cached JSON of this flight
        and of every flight whose ``inbound`` embeds it is dropped. ``KeyError`` for an unknown flight.
        """
        current = self._realtime[flight_id]
        unknown = sorted(set(changes) - set(REALTIME_FIELDS))
        if unknown:
            raise ValueError(f"not realtime status fields: {', '.join(unknown)}; expected {', '.join(REALTIME_FIELDS)}")
        prediction = changes.get("prediction")
        if isinstance(prediction, Mapping):
            changes["prediction"] = Prediction.from_json(dict(prediction))
        for name in ("departure_latest", "arrival_latest", "last_updated"):
            value = changes.get(name)
            if isinstance(value, datetime) and value.utcoffset() is not None:
                changes[name] = value.astimezone(UTC)
        updated = dataclasses.replace(current, **changes)
        check_realtime(updated)
        self.persistence.flight_status_saved(flight_id, updated)
        self._realtime[flight_id] = updated
        self._changed[flight_id] = None
        self._invalidate(flight_id)
        return self.status(flight_id)  # type: ignore[return-value]  # known: it was just updated

    def _invalidate(self, flight_id: str | None) -> None:
        while flight_id is not None:
            self._json.pop(flight_id, None)
            flight_id = self._outbound.get(flight_id)

    # -- saving and restoring ------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """A JSON-able description from which :meth:`from_state` rebuilds an identical catalog.

        The schedule is deterministic, so the state holds the generator's inputs, a fingerprint of the airports and
        carriers it used, and only the realtime statuses that :meth:`update` changed.
        """
        return {
            "format": STATE_FORMAT,
            "seed": self.seed,
            "count": len(self),
            "first_day": self.first_day.isoformat(),
            "days": self.days,
            "reference": self.reference.fingerprint,
            "realtime": {fid: realtime_state(self._realtime[fid]) for fid in sorted(self._changed)},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], fixtures_dir: Path) -> FlightCatalog:
        """Rebuild the catalog :meth:`to_state` described, regenerating flights from the fixtures in ``fixtures_dir``.

        ``ValueError`` if the state is of another format, or the airports/carriers fixtures changed since it was
        saved (the same seed would then give other flights), or it names a flight the schedule does not have.
        """
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported flight catalog state format {state.get('format')!r}")
        reference = load_reference(fixtures_dir)
        if state["reference"] != reference.fingerprint:
            raise ValueError("the airports or carriers fixtures changed since this flight catalog state was saved")
        catalog = _build(reference, seed=int(state["seed"]), count=int(state["count"]),
                         first_day=date.fromisoformat(state["first_day"]), days=int(state["days"]))
        for flight_id, saved in state["realtime"].items():
            if flight_id not in catalog:
                raise ValueError(f"saved state names unknown flight {flight_id}")
            restored = realtime_from_state(saved)
            check_realtime(restored)
            catalog._realtime[flight_id] = restored
            catalog._changed[flight_id] = None
        return catalog


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building: the flights form no cycles, and its repeated full passes
    over hundreds of thousands of fresh objects would otherwise nearly double the time a large catalog takes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(reference: Reference, *, seed: int, count: int, first_day: date, days: int) -> FlightCatalog:
    with _collector_paused():
        schedule = generate(reference, seed=seed, count=count, first_day=first_day, days=days)
        return FlightCatalog(reference, schedule, seed=seed, first_day=first_day, days=days)


def load_catalog(fixtures_dir: Path, *, flights: int | None = None, seed: int | None = None) -> FlightCatalog:
    """Generate the catalog from ``fixtures_dir/"flightsayer"/{airports,carriers,schedule}.yaml``.

    schedule.yaml gives the bundled defaults (seed, flight count, first day, number of days); ``flights`` and
    ``seed`` override them. Same inputs, byte-identical statuses.
    """
    reference = load_reference(fixtures_dir)
    defaults = reference.schedule
    return _build(reference, seed=defaults.seed if seed is None else seed,
                  count=defaults.count if flights is None else flights,
                  first_day=defaults.first_day, days=defaults.days)
