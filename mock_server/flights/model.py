"""The Flightsayer flight model: what never changes about a flight, and the realtime status that does.

A :class:`Flight` is the schedule (FlightId, carrier, airports, scheduled times, history, which leg of the same
aircraft came before). A :class:`RealtimeStatus` is the mutable part a flight simulation moves along: latest times and
their type, terminal, gate, baggage claim, cancellation, the prediction and when it all last changed. All instants are
aware ``datetime`` values in UTC; each airport's local offset is applied only when a status is serialised.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

DEPARTURE_TYPES = ("scheduled", "proposed", "estimated", "actual")
ARRIVAL_TYPES = ("scheduled", "estimated", "actual")
DEFAULT_SOURCE = "swim"  # the seed's RealtimeStatusSource enum names only this value
DISTRIBUTION_TOLERANCE = 1e-9


def delay_index(distribution: tuple[float, ...] | list[float]) -> int:
    """The mock's documented delay index: 1 + round(3 * expected bucket), expected bucket = sum(i * p_i).

    1 means on time with certainty, 10 means 2+ hours late with certainty (docs/decisions.md, "Prediction wire name
    and numbers"). Python's ``round`` (half to even) is the rounding used.
    """
    expected = sum(i * p for i, p in enumerate(distribution))
    return 1 + round(3 * expected)


@dataclass(frozen=True, slots=True)
class Prediction:
    """Four delay-bucket probabilities (<30, 30-60, 60-120, 120+ minutes), the derived index and the reasons."""

    delay_index: int
    distribution: tuple[float, float, float, float]
    reasons: tuple[str, ...]

    @classmethod
    def of(cls, distribution: tuple[float, ...] | list[float], reasons: tuple[str, ...] | list[str]) -> Prediction:
        """A prediction whose delay index follows from ``distribution`` (which must be 4 probabilities summing to 1)."""
        values = tuple(float(p) for p in distribution)
        if len(values) != 4 or any(not 0.0 <= p <= 1.0 for p in values):
            raise ValueError(f"a distribution is 4 probabilities in [0, 1], not {distribution!r}")
        if abs(sum(values) - 1.0) > DISTRIBUTION_TOLERANCE:
            raise ValueError(f"a distribution sums to 1, not {sum(values)!r}")
        return cls(delay_index(values), values, tuple(str(r) for r in reasons))  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        """The Prediction JSON object."""
        return {"delay_index": self.delay_index, "distribution": list(self.distribution),
                "reasons": list(self.reasons)}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Prediction:
        """Inverse of :meth:`to_json`; the index is recomputed and must agree, so a saved state cannot contradict."""
        prediction = cls.of(value["distribution"], value["reasons"])
        if prediction.delay_index != value.get("delay_index", prediction.delay_index):
            raise ValueError(f"delay_index {value['delay_index']} does not follow from {value['distribution']}")
        return prediction


@dataclass(frozen=True, slots=True)
class HistoricalPerformance:
    """On-time history of similar flights (same carrier, number and airports) over the last ``n_months``."""

    samples: int
    n_months: int
    on_time_percentage: float
    cancel_percentage: float

    def to_json(self) -> dict[str, Any]:
        """The HistoricalPerformance JSON object."""
        return {"samples": self.samples, "n_months": self.n_months, "on_time_percentage": self.on_time_percentage,
                "cancel_percentage": self.cancel_percentage}


@dataclass(frozen=True, slots=True)
class Flight:
    """One scheduled leg. Immutable: the FlightId encodes carrier, number, airports and scheduled departure."""

    id: str
    number: int
    carrier: Any  # reference.Carrier (kept loose to avoid an import cycle in type checkers' eyes)
    origin: Any  # reference.Airport
    destination: Any  # reference.Airport
    scheduled_departure: datetime  # aware, UTC, whole minutes
    scheduled_arrival: datetime  # aware, UTC, after the departure
    historical_performance: HistoricalPerformance | None
    inbound_id: str | None  # the same aircraft's previous leg, arriving at ``origin`` before the departure


@dataclass(slots=True)
class RealtimeStatus:
    """The part of a flight's status that changes; change it through ``FlightCatalog.update`` only.

    The catalog caches each flight's serialised status, so mutating an instance directly would leave stale bytes;
    ``update`` validates the change and invalidates this flight and every flight whose ``inbound`` embeds it.
    """

    departure_latest: datetime
    departure_type: str
    departure_terminal: str | None
    departure_gate: str | None
    arrival_latest: datetime
    arrival_type: str
    arrival_terminal: str | None
    arrival_gate: str | None
    baggage_claim: str | None
    cancelled: bool
    last_updated: datetime | None
    prediction: Prediction
    source: str = DEFAULT_SOURCE


REALTIME_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(RealtimeStatus))
_TIME_FIELDS = ("departure_latest", "arrival_latest", "last_updated")
_TEXT_FIELDS = ("departure_terminal", "departure_gate", "arrival_terminal", "arrival_gate", "baggage_claim")


def check_realtime(status: RealtimeStatus) -> None:
    """Raise ``ValueError`` unless ``status`` can be served as a valid, self-consistent RealtimeStatus.

    Kept here rather than in the HTTP layer so a simulation cannot put a flight into a state the contract forbids
    (an unknown type, a naive time, an arrival not after the departure).
    """
    for name in _TIME_FIELDS:
        value = getattr(status, name)
        if value is None and name == "last_updated":
            continue
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime, not {value!r}")
    if status.departure_type not in DEPARTURE_TYPES:
        raise ValueError(f"departure_type must be one of {', '.join(DEPARTURE_TYPES)}, not {status.departure_type!r}")
    if status.arrival_type not in ARRIVAL_TYPES:
        raise ValueError(f"arrival_type must be one of {', '.join(ARRIVAL_TYPES)}, not {status.arrival_type!r}")
    for name in _TEXT_FIELDS:
        value = getattr(status, name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a string or None, not {value!r}")
    if not isinstance(status.cancelled, bool):
        raise ValueError(f"cancelled must be a bool, not {status.cancelled!r}")
    if not isinstance(status.source, str):
        raise ValueError(f"source must be a string, not {status.source!r}")
    if not isinstance(status.prediction, Prediction):
        raise ValueError("prediction must be a Prediction (build one with Prediction.of)")
    if status.arrival_latest - status.departure_latest <= timedelta(0):
        raise ValueError("arrival_latest must be after departure_latest")
