"""A deterministic schedule of 2016 flights: aircraft flying a few legs a day between real airports.

Each airport keeps its IANA zone, so its times carry the local UTC offset of that instant (DST included); FlightIds
carry the scheduled departure in UTC, as the seed defines them.
"""

import itertools
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flightapp import mutants


@dataclass(frozen=True)
class Airport:
    iata: str
    city: str
    name: str
    zone: ZoneInfo
    lat: float
    lon: float


@dataclass(frozen=True)
class Carrier:
    iata: str
    name: str


def _airport(iata: str, city: str, name: str, zone: str, lat: float, lon: float) -> Airport:
    return Airport(iata, city, name, ZoneInfo(zone), lat, lon)


AIRPORTS = {a.iata: a for a in (
    _airport("BOS", "Boston", "General Edward Lawrence Logan Intl", "America/New_York", 42.36, -71.01),
    _airport("JFK", "New York", "John F Kennedy Intl", "America/New_York", 40.64, -73.78),
    _airport("ATL", "Atlanta", "Hartsfield - Jackson Atlanta Intl", "America/New_York", 33.64, -84.43),
    _airport("ORD", "Chicago", "Chicago Ohare Intl", "America/Chicago", 41.98, -87.90),
    _airport("GTR", "Columbus/W Point/Starkville", "Golden Triangle Rgnl", "America/Chicago", 33.45, -88.59),
    _airport("DEN", "Denver", "Denver Intl", "America/Denver", 39.86, -104.67),
    _airport("PHX", "Phoenix", "Phoenix Sky Harbor Intl", "America/Phoenix", 33.43, -112.01),
    _airport("SFO", "San Francisco", "San Francisco Intl", "America/Los_Angeles", 37.62, -122.38),
    _airport("SJC", "San Jose", "Norman Y Mineta San Jose Intl", "America/Los_Angeles", 37.36, -121.93),
    _airport("SEA", "Seattle", "Seattle Tacoma Intl", "America/Los_Angeles", 47.45, -122.31),
    _airport("HNL", "Honolulu", "Honolulu Intl", "Pacific/Honolulu", 21.32, -157.92),
)}

CARRIERS = {c.iata: c for c in (
    Carrier("UA", "United Airlines"),
    Carrier("DL", "Delta Air Lines"),
    Carrier("AA", "American Airlines"),
    Carrier("WN", "Southwest Airlines"),
    Carrier("B6", "JetBlue Airways"),
    Carrier("AS", "Alaska Airlines"),
)}


@dataclass(frozen=True)
class Leg:
    carrier: Carrier
    number: int
    origin: Airport
    destination: Airport
    departure: datetime  # scheduled, UTC
    arrival: datetime  # scheduled, UTC
    tail: str  # the aircraft flying it

    @property
    def flight_id(self) -> str:
        at = self.departure.astimezone(self.origin.zone) if mutants.active("local_time_flight_ids") else self.departure
        return f"{self.carrier.iata}{self.number}{self.origin.iata}{self.destination.iata}{at:%y%m%d%H%M}"


def block_time(origin: Airport, destination: Airport) -> timedelta:
    """Taxi plus cruise at ~780 km/h over the great-circle distance, to the nearest 5 minutes."""
    la1, lo1, la2, lo2 = map(math.radians, (origin.lat, origin.lon, destination.lat, destination.lon))
    km = 6371 * math.acos(min(1.0, math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(lo2 - lo1)))
    return timedelta(minutes=5 * round((30 + km / 780 * 60) / 5))


def build_schedule(first_day: date = date(2016, 6, 20), days: int = 5, aircraft: int = 18,
                   seed: int = 2016) -> list[Leg]:
    """Every aircraft starts its day between 06:00 and 09:00 local time and flies 3 to 5 legs, 40 to 90 minutes
    on the ground between them; the same flight numbers fly the same rotation every day."""
    rng = random.Random(seed)
    codes = sorted(AIRPORTS)
    rotations = []
    for n in range(aircraft):
        carrier = CARRIERS[sorted(CARRIERS)[n % len(CARRIERS)]]
        stops = [rng.choice(codes)]
        while len(stops) < rng.randint(4, 6):
            stops.append(rng.choice([c for c in codes if c != stops[-1]]))
        start = time(rng.randint(6, 8), rng.choice((0, 15, 30, 45)))
        turns = [timedelta(minutes=rng.choice((40, 55, 70, 90))) for _ in stops]
        rotations.append((carrier, 100 + 37 * n, stops, start, turns))
    legs = []
    for d, day in enumerate(first_day + timedelta(days=d) for d in range(days)):
        for n, (carrier, first_number, stops, start, turns) in enumerate(rotations):
            tail = f"N{400 + n * days + d}{carrier.iata}"  # a long rotation runs into the next day: another aircraft
            departure = datetime.combine(day, start, AIRPORTS[stops[0]].zone).astimezone(UTC)
            for leg_no, (here, there) in enumerate(itertools.pairwise(stops)):
                origin, destination = AIRPORTS[here], AIRPORTS[there]
                arrival = departure + block_time(origin, destination)
                legs.append(Leg(carrier, first_number + leg_no, origin, destination, departure, arrival, tail))
                departure = arrival + turns[leg_no]
    return legs
