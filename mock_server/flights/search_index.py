"""Sorted indexes that answer a flight search without scanning.

Every index is a pair of parallel lists (scheduled departures in UTC, FlightIds) sorted by (departure, FlightId):
one over all flights, one per origin, one per destination and one per (origin, destination) pair. A search picks the
narrowest index its airport filters allow and bisects it for the departure bounds, so the total is ``hi - lo`` and a
page is a slice: O(log n + page size) whatever the filters.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class _Sorted:
    departures: list[datetime] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


_EMPTY = _Sorted()


class SearchIndex:
    """Immutable once built: scheduled departures, airports and FlightIds never change after generation."""

    def __init__(self, flights: Iterable[tuple[datetime, str, str, str]]) -> None:
        """``flights``: (scheduled departure in UTC, FlightId, origin IATA, destination IATA), in any order."""
        ordered = sorted(flights)  # FlightIds are unique, so tuples never compare past (departure, FlightId)
        self._all = _Sorted([f[0] for f in ordered], [f[1] for f in ordered])
        self._by_origin: dict[str, _Sorted] = {}
        self._by_destination: dict[str, _Sorted] = {}
        self._by_route: dict[tuple[str, str], _Sorted] = {}
        for departure, flight_id, origin, destination in ordered:  # appending in global order keeps every index sorted
            for index, key in ((self._by_origin, origin), (self._by_destination, destination),
                               (self._by_route, (origin, destination))):
                bucket = index.get(key)
                if bucket is None:
                    bucket = index[key] = _Sorted()
                bucket.departures.append(departure)
                bucket.ids.append(flight_id)

    def __len__(self) -> int:
        return len(self._all.ids)

    def ordered_ids(self) -> list[str]:
        """Every FlightId by (scheduled departure, FlightId)."""
        return list(self._all.ids)

    def _narrowest(self, origin: str | None, destination: str | None) -> _Sorted:
        if origin is not None and destination is not None:
            return self._by_route.get((origin, destination), _EMPTY)
        if origin is not None:
            return self._by_origin.get(origin, _EMPTY)
        if destination is not None:
            return self._by_destination.get(destination, _EMPTY)
        return self._all

    def search(self, *, departure_airport: str | None = None, arrival_airport: str | None = None,
               earliest: datetime | None = None, latest: datetime | None = None,
               offset: int = 0, limit: int = 50) -> tuple[int, list[str]]:
        """(total matches, FlightIds of the page ``[offset, offset + limit)``); see ``FlightCatalog.search``."""
        if offset < 0 or limit < 0:
            raise ValueError(f"offset and limit must be >= 0, not offset={offset}, limit={limit}")
        for name, bound in (("earliest", earliest), ("latest", latest)):
            if bound is not None and bound.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime (an instant), not naive {bound.isoformat()}")
        index = self._narrowest(departure_airport, arrival_airport)
        # Aware datetimes compare as instants whatever their offsets, so a -05:00 bound needs no conversion.
        lo = bisect_left(index.departures, earliest) if earliest is not None else 0
        hi = bisect_right(index.departures, latest) if latest is not None else len(index.departures)
        total = max(0, hi - lo)
        start = lo + offset
        return total, index.ids[start:max(start, min(hi, start + limit))]
