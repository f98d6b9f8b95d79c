"""Predictions that agree with a flight's realtime status as the simulation moves it.

The four buckets are minutes of *departure* delay (<30, 30-60, 60-120, 2h+), as in the generator, where a delay drawn
from the distribution moves the departure. So:

- before departure, the bucket of the currently estimated delay carries most of the mass and the rest sits in later
  buckets ("delay -> probability mass moves to later buckets"); the closer the departure, the surer the estimate;
- once departed (and after landing) the bucket of the actual departure delay is certain;
- a cancelled flight is represented as 2h+ certain (``[0, 0, 0, 1]``, delay index 10), because a passenger on it will
  not leave within two hours of schedule, with the reason "Flight has been cancelled by <carrier>.".
"""

from __future__ import annotations

import zlib
from bisect import bisect
from datetime import timedelta

from mock_server.flights import Flight, Prediction
from mock_server.flights.generator import BUCKET_FLOORS_MIN, CAUSES, ON_TIME

LATER_SHARES = (2 / 3, 2 / 9, 1 / 9)  # how the uncertain mass spreads over the buckets after the estimated one


def bucket(delay_min: int) -> int:
    """The distribution bucket of a delay in minutes (early or on time is bucket 0)."""
    return bisect(BUCKET_FLOORS_MIN, delay_min) - 1 if delay_min > 0 else 0


def delay_minutes(early_or_late: timedelta) -> int:
    """Whole minutes of a delay (negative when early)."""
    return int(early_or_late.total_seconds() // 60)


def estimated(flight: Flight, delay_min: int, until_departure: timedelta) -> Prediction:
    """Before departure: the estimated delay's bucket is likely, later buckets share the rest."""
    certainty = 0.95 if until_departure <= timedelta(minutes=30) else 0.85 if until_departure <= timedelta(hours=2) \
        else 0.7
    likely = bucket(delay_min)
    distribution = [0.0, 0.0, 0.0, 0.0]
    later = range(likely + 1, 4)
    shares = LATER_SHARES[:len(later)]
    for i, share in zip(later, shares, strict=True):
        distribution[i] = round((1 - certainty) * share / sum(shares), 2)
    distribution[likely] = round(1.0 - sum(distribution), 2)
    prediction = Prediction.of(distribution, ())
    if prediction.delay_index <= 2:
        reasons = (ON_TIME,)
    else:
        verb = "is likely to be" if prediction.delay_index >= 6 else "may be"
        reasons = (f"Flight {verb} delayed because of {_cause(flight)}; departure is estimated "
                   f"{_minutes(delay_min)} late.",)
    return Prediction.of(distribution, reasons)


def departed(delay_min: int) -> Prediction:
    """After departure: the actual delay is known, so its bucket is certain."""
    return Prediction.of(_certain(bucket(delay_min)), (_departure_sentence(delay_min),))


def landed(departure_delay_min: int, arrival_delay_min: int) -> Prediction:
    """After landing: still the departure delay's bucket, certain; the reasons add how the arrival went."""
    if arrival_delay_min > 0:
        arrival = f"Flight arrived {_minutes(arrival_delay_min)} late."
    elif arrival_delay_min < 0:
        arrival = f"Flight arrived {_minutes(-arrival_delay_min)} early."
    else:
        arrival = "Flight arrived on time."
    return Prediction.of(_certain(bucket(departure_delay_min)), (_departure_sentence(departure_delay_min), arrival))


def cancelled(flight: Flight) -> Prediction:
    """A cancelled flight: 2h+ certain, with the carrier named as the generator names it."""
    who = flight.carrier.friendly_name or flight.carrier.name
    return Prediction.of((0.0, 0.0, 0.0, 1.0), (f"Flight has been cancelled by {who}.",))


def _certain(index: int) -> tuple[float, float, float, float]:
    values = [0.0, 0.0, 0.0, 0.0]
    values[index] = 1.0
    return values[0], values[1], values[2], values[3]


def _departure_sentence(delay_min: int) -> str:
    return f"Flight departed {_minutes(delay_min)} late." if delay_min >= 1 else "Flight departed on time."


def _minutes(count: int) -> str:
    return f"{count} minute{'s' if count != 1 else ''}"


def _cause(flight: Flight) -> str:
    # Stable per flight (crc32, not hash(), which is salted per process), so replays give identical reasons.
    cause = CAUSES[zlib.crc32(flight.id.encode()) % len(CAUSES)]
    return cause.format(origin=flight.origin.iata, destination=flight.destination.iata)
