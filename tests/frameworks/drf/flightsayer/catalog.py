"""A deterministic catalog of a few hundred 2016 flights: aircraft flying out and back from their carrier's hub.

Every leg departs after the same aircraft's previous leg arrived, so that leg is its inbound flight.
"""

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flightsite import mutants

from .prediction import delay_index_for, distribution_for, reasons_for

# iata: (city, name, IANA zone, latitude, longitude)
AIRPORTS = {
    "BOS": ("Boston", "General Edward Lawrence Logan Intl", "America/New_York", 42.36, -71.01),
    "JFK": ("New York", "John F Kennedy Intl", "America/New_York", 40.64, -73.78),
    "ATL": ("Atlanta", "Hartsfield - Jackson Atlanta Intl", "America/New_York", 33.64, -84.43),
    "GTR": ("Columbus/W Point/Starkville", "Golden Triangle Rgnl", "America/Chicago", 33.45, -88.59),
    "ORD": ("Chicago", "Chicago O'Hare Intl", "America/Chicago", 41.98, -87.90),
    "DEN": ("Denver", "Denver Intl", "America/Denver", 39.86, -104.67),
    "PHX": ("Phoenix", "Phoenix Sky Harbor Intl", "America/Phoenix", 33.43, -112.01),
    "SFO": ("San Francisco", "San Francisco Intl", "America/Los_Angeles", 37.62, -122.38),
    "SEA": ("Seattle", "Seattle-Tacoma Intl", "America/Los_Angeles", 47.45, -122.31),
    "HNL": ("Honolulu", "Honolulu Intl", "Pacific/Honolulu", 21.32, -157.92),
    "LHR": ("London", "Heathrow", "Europe/London", 51.47, -0.45),
}
# iata: (name, hub, outstations, first flight number)
CARRIERS = {
    "UA": ("United Airlines", "SFO", ["BOS", "ORD", "DEN", "HNL", "SEA", "LHR"], 500),
    "DL": ("Delta Air Lines", "ATL", ["GTR", "BOS", "JFK", "ORD", "PHX"], 5200),
    "B6": ("JetBlue Airways", "BOS", ["JFK", "SFO", "ATL", "PHX"], 100),
    "AS": ("Alaska Airlines", "SEA", ["SFO", "PHX", "HNL", "DEN"], 300),
    "WN": ("Southwest Airlines", "PHX", ["DEN", "SFO", "ORD", "ATL"], 2300),
}
AIRCRAFT_PER_CARRIER = 6
LEGS_PER_AIRCRAFT = 10
FIRST_DAY = datetime(2016, 6, 9, tzinfo=UTC)


@dataclass
class Leg:
    flight_id: str
    carrier: str
    number: int
    origin: str
    destination: str
    aircraft: str
    departure: datetime
    arrival: datetime
    delay_minutes: int
    historical_performance: dict | None
    previous: "Leg | None"

    def prediction(self) -> tuple[int, list[float], list[str]]:
        distribution = distribution_for(self.delay_minutes)
        return delay_index_for(distribution), distribution, reasons_for(self.delay_minutes)


def flight_id(carrier: str, number: int, origin: str, destination: str, departure: datetime) -> str:
    """The seed's form: carrier, number, origin, destination, scheduled departure as YYMMDDHHMM in UTC."""
    moment = departure.astimezone(ZoneInfo(AIRPORTS[origin][2]) if mutants.active("local_time_flight_ids") else UTC)
    return f"{carrier}{number}{origin}{destination}{moment:%y%m%d%H%M}"


def block_minutes(origin: str, destination: str) -> int:
    """Gate-to-gate time from the great-circle distance at about 800 km/h, plus taxi."""
    (lat1, lon1), (lat2, lon2) = (AIRPORTS[origin][3:], AIRPORTS[destination][3:])
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    km = 6371 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))
    return 5 * round((30 + km / 800 * 60) / 5)


def legs() -> Iterator[Leg]:
    rng = random.Random(2016)
    for carrier, (_name, hub, outstations, first_number) in CARRIERS.items():
        for plane in range(AIRCRAFT_PER_CARRIER):
            aircraft = f"N{rng.randint(100, 999)}{carrier}"
            departure = FIRST_DAY + timedelta(days=plane % 3, hours=rng.randint(10, 16), minutes=5 * rng.randint(0, 11))
            here, previous = hub, None
            for leg in range(LEGS_PER_AIRCRAFT):
                there = hub if here != hub else outstations[(plane + leg // 2) % len(outstations)]
                number = first_number + plane * LEGS_PER_AIRCRAFT + leg
                arrival = departure + timedelta(minutes=block_minutes(here, there))
                delay = rng.choice([0, 0, 0, 0, 5, 12, 25, 45, 90])
                history = None if rng.random() < 0.3 else {
                    "samples": rng.randint(20, 90), "n_months": 6,
                    "on_time_percentage": round(rng.uniform(60, 95), 1),
                    "cancel_percentage": round(rng.uniform(0, 3), 1),
                }
                current = Leg(flight_id(carrier, number, here, there, departure), carrier, number, here, there,
                              aircraft, departure, arrival, delay, history, previous)
                yield current
                previous, here = current, there
                departure = arrival + timedelta(minutes=5 * rng.randint(9, 24))
