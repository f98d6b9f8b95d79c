"""The reference data flights are generated from: airports, carriers and the bundled schedule settings.

Read from ``<fixtures>/flightsayer/{airports,carriers,schedule}.yaml``. Airports carry their IANA time zone because
every departure and arrival timestamp must show the airport's real UTC offset at that instant.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when built; reset() reloads often


@dataclass(frozen=True, slots=True)
class Airport:
    """An airport as the contract's AirportInfo shows it, plus what the generator needs (zone, position)."""

    iata: str
    city: str
    name: str
    country: str
    tz: ZoneInfo
    lat: float
    lon: float

    def info(self) -> dict[str, str]:
        """The AirportInfo JSON object."""
        return {"iata": self.iata, "city": self.city, "name": self.name}


@dataclass(frozen=True, slots=True)
class Carrier:
    """An airline; ``country`` and ``max_range_km`` shape which legs it flies, ``weight`` its share of rotations."""

    iata: str
    name: str
    country: str
    friendly_name: str | None = None
    max_range_km: float | None = None
    weight: float = 1.0

    def info(self) -> dict[str, str]:
        """The Carrier JSON object (``friendly_name`` only when the fixture gives one, as in the seed)."""
        info = {"iata": self.iata, "name": self.name}
        if self.friendly_name is not None:
            info["friendly_name"] = self.friendly_name
        return info


@dataclass(frozen=True, slots=True)
class ScheduleDefaults:
    """schedule.yaml: the seed, flight count and local-day window used unless the caller overrides them."""

    seed: int
    count: int
    first_day: date
    days: int


@dataclass(frozen=True, slots=True)
class Reference:
    """Airports and carriers by IATA code (fixture order kept, so generation never depends on hashing)."""

    airports: dict[str, Airport]
    carriers: dict[str, Carrier]
    schedule: ScheduleDefaults
    fingerprint: str  # digest of airports and carriers: a saved state only fits the reference it was made from


def _read(folder: Path, name: str) -> Any:
    with (folder / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SafeLoader)


def load_reference(fixtures_dir: Path) -> Reference:
    """Parse the three Flightsayer fixture files under ``fixtures_dir / "flightsayer"``.

    Raises ``ValueError`` naming the entry when a fixture is inconsistent (duplicate code, unknown zone, bad carrier
    code), because a broken fixture would otherwise surface much later as a schema failure of some flight.
    """
    folder = Path(fixtures_dir) / "flightsayer"
    raw_airports = _read(folder, "airports.yaml")["airports"]
    raw_carriers = _read(folder, "carriers.yaml")["carriers"]
    raw_schedule = _read(folder, "schedule.yaml")

    airports: dict[str, Airport] = {}
    for entry in raw_airports:
        code = str(entry["iata"])
        if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper() or code in airports:
            raise ValueError(f"airports.yaml: bad or duplicate IATA code {code!r}")
        try:
            zone = ZoneInfo(entry["tz"])
        except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"airports.yaml: {code} has an unknown time zone {entry.get('tz')!r}") from exc
        airports[code] = Airport(code, str(entry["city"]), str(entry["name"]), str(entry["country"]), zone,
                                 float(entry["lat"]), float(entry["lon"]))

    carriers: dict[str, Carrier] = {}
    for entry in raw_carriers:
        code = str(entry["iata"])
        if len(code) != 2 or not code.isascii() or not code.isalnum() or code != code.upper() or code in carriers:
            raise ValueError(f"carriers.yaml: bad or duplicate IATA code {code!r}")
        max_range = entry.get("max_range_km")
        weight = float(entry.get("weight", 1.0))
        if weight <= 0:
            raise ValueError(f"carriers.yaml: {code} needs a positive weight, not {weight}")
        carriers[code] = Carrier(code, str(entry["name"]), str(entry["country"]), entry.get("friendly_name"),
                                 float(max_range) if max_range is not None else None, weight)
    if not airports or not carriers:
        raise ValueError("the Flightsayer fixtures need at least one airport and one carrier")

    first_day = raw_schedule["first_day"]
    schedule = ScheduleDefaults(
        seed=int(raw_schedule["seed"]),
        count=int(raw_schedule["count"]),
        first_day=first_day if isinstance(first_day, date) else date.fromisoformat(str(first_day)),
        days=int(raw_schedule["days"]),
    )
    canonical = json.dumps([raw_airports, raw_carriers], sort_keys=True, default=str, ensure_ascii=False)
    fingerprint = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return Reference(airports, carriers, schedule, fingerprint)
