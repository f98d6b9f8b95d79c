"""Which legs a carrier plausibly flies, and how long they take.

Kept apart from the generator so the rules of the route network (home-country rule, range, distance-weighted
choice, block time from great-circle distance) are readable on their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import accumulate

from mock_server.flights.reference import Airport, Carrier, Reference

EARTH_RADIUS_KM = 6371.0
MIN_LEG_KM = 100.0  # shorter hops are not scheduled airline legs
MAX_LEG_KM = 12_000.0  # the longest routes the mock generates (about 15 hours)
CRUISE_KM_PER_MIN = 13.0  # ~780 km/h average over the airborne part
TAXI_AND_CLIMB_MIN = 35
SCHEDULE_STEP_MIN = 5  # schedules are published on 5-minute marks


def distance_km(a: Airport, b: Airport) -> float:
    """Great-circle distance (haversine) between two airports."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def block_minutes(km: float) -> int:
    """Scheduled gate-to-gate time for a leg of ``km``, on the 5-minute grid schedules use."""
    raw = TAXI_AND_CLIMB_MIN + km / CRUISE_KM_PER_MIN
    return max(SCHEDULE_STEP_MIN, round(raw / SCHEDULE_STEP_MIN) * SCHEDULE_STEP_MIN)


@dataclass(frozen=True, slots=True)
class Hops:
    """A carrier's possible next legs from one airport: destinations, cumulative weights and block times."""

    destinations: tuple[Airport, ...]
    cum_weights: tuple[float, ...]
    block_minutes: tuple[int, ...]


class RouteNetwork:
    """Every carrier's possible legs, precomputed once so generating a leg is a weighted draw, not a search.

    A leg must touch the carrier's home country (no foreign-to-foreign legs), lie within its range, and is chosen
    with a weight that favours shorter legs, as real schedules have many more short than long flights.
    """

    def __init__(self, reference: Reference) -> None:
        airports = list(reference.airports.values())
        self._hops: dict[tuple[str, str], Hops] = {}
        self._starts: dict[str, tuple[Airport, ...]] = {}
        for carrier in reference.carriers.values():
            starts: list[Airport] = []
            for origin in airports:
                hops = self._hops_from(carrier, origin, airports)
                if hops.destinations:
                    self._hops[carrier.iata, origin.iata] = hops
                    if origin.country == carrier.country:
                        starts.append(origin)
            self._starts[carrier.iata] = tuple(starts)

    @staticmethod
    def _hops_from(carrier: Carrier, origin: Airport, airports: list[Airport]) -> Hops:
        reach = min(MAX_LEG_KM, carrier.max_range_km or MAX_LEG_KM)
        chosen: list[tuple[Airport, float]] = []
        for destination in airports:
            if destination is origin or carrier.country not in (origin.country, destination.country):
                continue
            km = distance_km(origin, destination)
            if MIN_LEG_KM <= km <= reach:
                chosen.append((destination, km))
        weights = [1.0 / (1.0 + km / 1500.0) for _, km in chosen]
        return Hops(tuple(a for a, _ in chosen), tuple(accumulate(weights)),
                    tuple(block_minutes(km) for _, km in chosen))

    def starts(self, carrier: Carrier) -> tuple[Airport, ...]:
        """Home-country airports from which ``carrier`` has at least one leg (where its rotations begin)."""
        return self._starts[carrier.iata]

    def hops(self, carrier: Carrier, origin: Airport) -> Hops | None:
        """``carrier``'s possible legs out of ``origin``, or None when it cannot fly on from there."""
        return self._hops.get((carrier.iata, origin.iata))
