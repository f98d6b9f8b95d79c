"""Every flight's real-time state beside its schedule, and the changes the admin trigger makes to it."""

import threading
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flightapp import mutants
from flightapp.flightsayer import models
from flightapp.flightsayer.catalog import Leg, build_schedule

# (delay limit in minutes, probabilities in percent of <30, 30-60, 60-120 and 120+ minutes of delay, reason)
OUTLOOKS = (
    (0, (90, 10, 0, 0), "Flight is predicted to be on time based on forecast airport conditions."),
    (30, (55, 30, 10, 5), "Flight may be delayed because of a late incoming flight."),
    (60, (10, 50, 30, 10), "Flight is delayed; further delay is likely because of airport congestion."),
    (120, (0, 10, 60, 30), "Flight is highly delayed because of airport conditions and traffic."),
    (None, (0, 0, 10, 90), "Flight is highly delayed."),
)


class FlightClosed(Exception):
    """The flight was cancelled: nothing further changes."""


@dataclass
class Realtime:
    delay: timedelta = timedelta(0)
    cancelled: bool = False
    last_updated: datetime | None = None
    outlook: int = 0
    history: models.HistoricalPerformance | None = None
    gate: str | None = None

    @property
    def final(self) -> bool:
        return self.cancelled


@dataclass
class FlightBoard:
    legs: dict[str, Leg] = field(default_factory=dict)
    realtime: dict[str, Realtime] = field(default_factory=dict)
    inbound_of: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_schedule(cls, legs: list[Leg]) -> "FlightBoard":
        board = cls()
        for leg in legs:
            spread = zlib.crc32(leg.flight_id.encode())
            history = None if spread % 3 == 0 else models.HistoricalPerformance(
                samples=20 + spread % 40, n_months=6, on_time_percentage=60 + spread % 35,
                cancel_percentage=(spread % 5) / 2)
            board.legs[leg.flight_id] = leg
            board.realtime[leg.flight_id] = Realtime(outlook=1 if spread % 4 == 0 else 0, history=history,
                                                     gate=f"{'ABC'[spread % 3]}{spread % 40 + 1}")
        for leg in legs:
            inbound = find_inbound(leg, legs)
            if inbound is not None:
                board.inbound_of[leg.flight_id] = inbound.flight_id
        return board

    def ordered(self) -> list[Leg]:
        return sorted(self.legs.values(), key=lambda leg: (leg.departure, leg.flight_id))

    def status(self, flight_id: str) -> models.FlightStatus:
        leg, now = self.legs[flight_id], self.realtime[flight_id]
        inbound = self.inbound_of.get(flight_id)
        return render(leg, now, self.status(inbound) if inbound else None)

    def delay(self, flight_id: str, minutes: int) -> models.FlightStatus:
        with self.lock:
            now = self.realtime[flight_id]
            if now.final:
                raise FlightClosed(flight_id)
            now.delay += timedelta(minutes=minutes)
            now.outlook = next(n for n, (limit, *_) in enumerate(OUTLOOKS)
                               if limit is None or now.delay <= timedelta(minutes=limit))
            now.last_updated = datetime.now(UTC)
            return self.status(flight_id)

    def cancel(self, flight_id: str) -> models.FlightStatus:
        with self.lock:
            now = self.realtime[flight_id]
            if now.final:
                raise FlightClosed(flight_id)
            now.cancelled = True
            now.last_updated = datetime.now(UTC)
            return self.status(flight_id)


def find_inbound(leg: Leg, legs: list[Leg]) -> Leg | None:
    """The same aircraft's previous leg: the latest arriving at this origin before this departure."""
    if mutants.active("inbound_arrives_after_departure"):
        later = [o for o in legs if o.tail == leg.tail and o.destination == leg.origin and o.arrival > leg.departure]
        return min(later, key=lambda o: o.arrival, default=None)
    earlier = [o for o in legs if o.tail == leg.tail and o.destination == leg.origin and o.arrival <= leg.departure]
    return max(earlier, key=lambda o: o.arrival, default=None)


def render(leg: Leg, now: Realtime, inbound: models.FlightStatus | None) -> models.FlightStatus:
    origin, destination = leg.origin, leg.destination
    departs, arrives = leg.departure.astimezone(origin.zone), leg.arrival.astimezone(destination.zone)
    estimated = now.delay > timedelta(0)
    _, percents, reason = OUTLOOKS[now.outlook]
    distribution = [p / 100 for p in percents]
    if mutants.active("distribution_sums_1_1"):
        distribution[0] += 0.1
    expected = sum(bucket * p for bucket, p in enumerate(distribution)) / 3
    return models.FlightStatus(
        flight=models.FlightInfo(
            id=leg.flight_id, number=leg.number,
            carrier=models.CarrierInfo(iata=leg.carrier.iata, name=leg.carrier.name),
            scheduled_departure=departs, scheduled_arrival=arrives,
            origin=models.AirportInfo(iata=origin.iata, city=origin.city, name=origin.name),
            destination=models.AirportInfo(iata=destination.iata, city=destination.city, name=destination.name)),
        prediction=models.Prediction(delay_index=min(10, 1 + round(9 * expected)), distribution=distribution,
                                     reasons=[reason]),
        historical_performance=now.history,
        status=models.RealtimeStatus(
            departure=models.DepartureStatus(scheduled=departs, latest=(leg.departure + now.delay).astimezone(
                origin.zone), type="estimated" if estimated else "scheduled", gate=now.gate),
            arrival=models.ArrivalStatus(scheduled=arrives, latest=(leg.arrival + now.delay).astimezone(
                destination.zone), type="estimated" if estimated else "scheduled"),
            cancelled=now.cancelled, source="swim", last_updated=now.last_updated),
        inbound=inbound)


def default_board() -> FlightBoard:
    return FlightBoard.from_schedule(build_schedule())
