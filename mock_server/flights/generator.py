"""Deterministic generation of a day-by-day Flightsayer schedule and a snapshot of its realtime status.

Flights come in aircraft rotations: a carrier, drawn by its fleet weight, flies one aircraft 1-5 legs, each
departing from the previous leg's destination a 30-120 minute turnaround after its scheduled arrival, under one
flight number. Each leg's ``inbound`` is the previous leg. A late inbound pushes the next leg's departure and
prediction, so statuses agree with each other.

Statuses describe the world at ``as_of``, the middle of the schedule window: earlier flights have departed or landed
("actual"), imminent ones carry estimates, later ones are as scheduled. Everything is drawn from one
``random.Random(seed)`` in a fixed order, with no wall clock and no iteration over sets or hashes, so one seed and
count always give the same flights.
"""

from __future__ import annotations

import random
import sys
from bisect import bisect
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from mock_server.flights.model import Flight, HistoricalPerformance, Prediction, RealtimeStatus, delay_index
from mock_server.flights.network import RouteNetwork
from mock_server.flights.reference import Airport, Carrier, Reference

MAX_LEGS = 5
TURNAROUND_MIN = (30, 120)
FIRST_DEPARTURE_LOCAL_MIN = (6 * 60, 21 * 60 + 55)  # rotations start between 06:00 and 21:55 local time
MIN_TURN_MIN = 25  # the quickest turn a late inbound allows: it sets a floor under the next leg's departure
CANCEL_RATE = 0.03
NO_HISTORY_RATE = 0.2
ESTIMATE_HORIZON = timedelta(hours=6)  # departures this close to ``as_of`` carry estimates
PROPOSAL_HORIZON = timedelta(hours=24)
BUCKET_FLOORS_MIN = (0, 30, 60, 120)  # delay buckets of the distribution: <30, 30-60, 60-120, 2h+
TERMINALS = ("1", "2", "3", "4", "5", "A", "B", "C", "D", "E", "I", "M", "N", "S")
_MINUTE = timedelta(minutes=1)

ON_TIME = "Flight is predicted to be on time based on forecast airport conditions and current flight status."
CAUSES = ("airport conditions at {destination}", "forecast weather at {origin}", "congestion at {destination}",
          "an air traffic control program at {destination}", "forecast thunderstorms near {origin}")
LATE_INBOUND = "a late incoming flight"


@dataclass(frozen=True, slots=True)
class GeneratedSchedule:
    """Flights in generation order, their realtime status (same order) and the instant the statuses describe."""

    flights: list[Flight]
    realtime: list[RealtimeStatus]
    as_of: datetime


def window_start(first_day: date) -> datetime:
    """Midnight UTC of ``first_day``, the anchor of ``as_of``."""
    return datetime.combine(first_day, time(), UTC)


def snapshot_instant(first_day: date, days: int) -> datetime:
    """``as_of``: halfway through the window, so the snapshot holds landed, airborne and future flights."""
    return window_start(first_day) + timedelta(hours=12 * days)


def flight_id(carrier: str, number: int, origin: str, destination: str, departure_utc: datetime) -> str:
    """The FlightId: carrier, number, both airports and the scheduled departure in UTC as YYMMDDHHMM."""
    d = departure_utc.astimezone(UTC)
    return f"{carrier}{number}{origin}{destination}{d.year % 100:02}{d.month:02}{d.day:02}{d.hour:02}{d.minute:02}"


class Dice(random.Random):
    """``random.Random`` with cheap integer draws: ``randint``/``randrange`` cost ~10x a ``random()`` call, which
    dominates generating 100,000 flights. Still one seeded stream, so still deterministic."""

    def below(self, n: int) -> int:
        """An integer in [0, n)."""
        return int(self.random() * n)

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi], both included."""
        return lo + int(self.random() * (hi - lo + 1))

    def step(self, lo: int, hi: int, step: int) -> int:
        """One of lo, lo + step, ... up to hi."""
        return lo + step * int(self.random() * ((hi - lo) // step + 1))


class _Generator:
    def __init__(self, reference: Reference, seed: int, first_day: date, days: int) -> None:
        self.rng = Dice(seed)
        self.network = RouteNetwork(reference)
        self.carriers = [c for c in reference.carriers.values() if self.network.starts(c)]
        if not self.carriers:
            raise ValueError("no carrier can fly any leg between the fixture airports")
        self.carrier_weights = list(accumulate(c.weight for c in self.carriers))
        self.first_day = first_day
        self.days = days
        self.as_of = snapshot_instant(first_day, days)
        self.window_ends: dict[str, datetime] = {}
        self.ids: set[str] = set()  # membership only; never iterated, so its order cannot leak into the output
        self.flights: list[Flight] = []
        self.realtime: list[RealtimeStatus] = []

    def run(self, count: int) -> GeneratedSchedule:
        while len(self.flights) < count:
            self._rotation(count)
        return GeneratedSchedule(self.flights, self.realtime, self.as_of)

    def _rotation(self, count: int) -> None:
        rng = self.rng
        carrier = self.carriers[bisect(self.carrier_weights, rng.random() * self.carrier_weights[-1])]
        starts = self.network.starts(carrier)
        origin = starts[rng.below(len(starts))]
        legs = rng.between(1, MAX_LEGS)
        number = rng.between(1, 9999)
        day = self.first_day + timedelta(days=rng.below(self.days))
        minute = rng.step(*FIRST_DEPARTURE_LOCAL_MIN, 5)
        local = datetime.combine(day, time(), origin.tz) + timedelta(minutes=minute)
        departure = local.astimezone(UTC)
        inbound: tuple[Flight, RealtimeStatus] | None = None
        for _ in range(legs):
            hops = self.network.hops(carrier, origin)
            if hops is None or len(self.flights) >= count or departure >= self._window_end(origin):
                return  # the aircraft cannot fly on, or would leave after the window's last local day
            pick = bisect(hops.cum_weights, rng.random() * hops.cum_weights[-1])
            destination = hops.destinations[pick]
            arrival = departure + hops.block_minutes[pick] * _MINUTE
            fid = flight_id(carrier.iata, number, origin.iata, destination.iata, departure)
            while fid in self.ids:  # another aircraft already flies this number, route and minute
                number = rng.between(1, 9999)
                fid = flight_id(carrier.iata, number, origin.iata, destination.iata, departure)
            self.ids.add(fid)
            flight, status = self._leg(fid, carrier, number, origin, destination, departure, arrival, inbound)
            self.flights.append(flight)
            self.realtime.append(status)
            inbound = (flight, status)
            departure = arrival + rng.step(*TURNAROUND_MIN, 5) * _MINUTE
            origin = destination

    def _window_end(self, airport: Airport) -> datetime:
        """The UTC instant the window's last local day ends at ``airport``."""
        end = self.window_ends.get(airport.iata)
        if end is None:
            last = datetime.combine(self.first_day + timedelta(days=self.days), time(), airport.tz)
            end = self.window_ends[airport.iata] = last.astimezone(UTC)
        return end

    def _leg(self, fid: str, carrier: Carrier, number: int, origin: Airport, destination: Airport,
             departure: datetime, arrival: datetime,
             inbound: tuple[Flight, RealtimeStatus] | None) -> tuple[Flight, RealtimeStatus]:
        rng = self.rng
        pushed = 0  # minutes a late inbound forces onto this departure
        if inbound is not None and not inbound[1].cancelled:
            ready = inbound[1].arrival_latest + MIN_TURN_MIN * _MINUTE
            pushed = max(0, (ready - departure) // _MINUTE)
        distribution = self._distribution(pushed)
        history = self._history(distribution)
        cancelled = rng.random() < CANCEL_RATE
        index = delay_index(distribution)
        reasons = self._reasons(carrier, origin, destination, index, pushed, history, cancelled)
        prediction = Prediction(index, distribution, reasons)
        flight = Flight(fid, number, carrier, origin, destination, departure, arrival, history,
                        inbound[0].id if inbound is not None else None)
        return flight, self._status(departure, arrival, distribution, pushed, cancelled, prediction)

    def _distribution(self, pushed: int) -> tuple[float, float, float, float]:
        """Four bucket probabilities on a 0.01 grid summing to 1; a late inbound empties the buckets below its delay."""
        rng = self.rng
        risk = rng.random() ** 2.5  # most flights are very likely on time
        w1, w2, w3 = rng.random() + 0.2, (rng.random() + 0.1) * 0.6, rng.random() * 0.4
        total = w1 + w2 + w3
        raw = [1.0 - risk, risk * w1 / total, risk * w2 / total, risk * w3 / total]
        floor = _bucket(pushed)
        for i in range(floor):
            raw[floor] += raw[i]
            raw[i] = 0.0
        rounded = [round(p, 2) for p in raw]
        largest = 0
        for i in (1, 2, 3):
            if rounded[i] > rounded[largest]:
                largest = i
        others = sum(rounded) - rounded[largest]
        rounded[largest] = round(1.0 - others, 2)  # the rounding remainder goes to the largest probability
        return rounded[0], rounded[1], rounded[2], rounded[3]

    def _history(self, distribution: tuple[float, ...]) -> HistoricalPerformance | None:
        rng = self.rng
        if rng.random() < NO_HISTORY_RATE:
            return None
        n_months = rng.between(1, 12)
        samples = rng.between(n_months * 4, n_months * 30)
        on_time = min(100.0, max(0.0, round(distribution[0] * 100 + rng.uniform(-12.0, 6.0), 1)))
        cancel = round(rng.random() ** 3 * 6.0, 1)
        return HistoricalPerformance(samples, n_months, on_time, cancel)

    def _reasons(self, carrier: Carrier, origin: Airport, destination: Airport, index: int, pushed: int,
                 history: HistoricalPerformance | None, cancelled: bool) -> tuple[str, ...]:
        """One or two sentences that agree with the prediction (and the cancellation, when there is one)."""
        rng = self.rng
        if cancelled:
            who = carrier.friendly_name or carrier.name
            return (sys.intern(f"Flight has been cancelled by {who}."),)
        if index <= 2:
            first = ON_TIME
        else:
            causes = [LATE_INBOUND] if _bucket(pushed) > 0 else []
            causes.append(CAUSES[rng.below(len(CAUSES))].format(origin=origin.iata, destination=destination.iata))
            verb = "is likely to be" if index >= 6 else "may be"
            first = sys.intern(f"Flight {verb} delayed because of {' and '.join(causes)}.")
        if history is not None and rng.random() < 0.5:
            second = (f"Over the last {history.n_months} month{'s' if history.n_months > 1 else ''} this flight "
                      f"was on time {history.on_time_percentage:g}% of the time.")
            return first, sys.intern(second)
        return (first,)

    def _status(self, departure: datetime, arrival: datetime, distribution: tuple[float, ...], pushed: int,
                cancelled: bool, prediction: Prediction) -> RealtimeStatus:
        rng = self.rng
        as_of = self.as_of
        delay = max(_sample_delay(rng, distribution), pushed)
        dep_latest = departure + delay * _MINUTE
        block = arrival - departure
        arr_latest = dep_latest + block + rng.between(-15, 10) * _MINUTE
        dep_terminal, dep_gate = _terminal_and_gate(rng)
        arr_terminal, arr_gate = _terminal_and_gate(rng)
        claim = sys.intern(str(rng.between(1, 12))) if rng.random() < 0.6 else None
        if cancelled:
            dep_type, arr_type = "scheduled", "scheduled"
            dep_latest, arr_latest, claim = departure, arrival, None
            last_updated = as_of - rng.between(5, 600) * _MINUTE
        elif dep_latest <= as_of:
            dep_type = "actual"
            if arr_latest <= as_of:
                arr_type = "actual"
                last_updated = min(as_of, arr_latest + rng.between(0, 10) * _MINUTE)
            else:
                arr_type = "estimated"
                last_updated = max(dep_latest, as_of - rng.between(0, 10) * _MINUTE)
        elif departure - as_of <= ESTIMATE_HORIZON:
            dep_type, arr_type = "estimated", "estimated"
            last_updated = as_of - rng.between(0, 30) * _MINUTE
        elif departure - as_of <= PROPOSAL_HORIZON and (pushed > 0 or rng.random() < 0.3):
            shift = max(rng.between(0, 20), pushed) * _MINUTE  # a late inbound already moves the proposed time
            dep_type, arr_type = "proposed", "estimated"
            dep_latest, arr_latest = departure + shift, arrival + shift
            last_updated = as_of - rng.between(0, 180) * _MINUTE
        else:
            dep_type, arr_type = "scheduled", "scheduled"
            dep_latest, arr_latest, last_updated = departure, arrival, None
        if arr_type != "actual":
            claim = None  # bags are assigned a carousel once the aircraft is in
        return RealtimeStatus(dep_latest, dep_type, dep_terminal, dep_gate, arr_latest, arr_type, arr_terminal,
                              arr_gate, claim, cancelled, last_updated, prediction)


def _bucket(delay_min: int) -> int:
    return bisect(BUCKET_FLOORS_MIN, delay_min) - 1 if delay_min > 0 else 0


def _sample_delay(rng: Dice, distribution: tuple[float, ...]) -> int:
    """A delay in whole minutes drawn from the predicted buckets (on-time flights may leave a few minutes early)."""
    u = rng.random()
    bucket, acc = 3, 0.0
    for i, p in enumerate(distribution):
        acc += p
        if u < acc:
            bucket = i
            break
    if bucket == 0:
        return int(rng.triangular(-5, 29, 0))
    if bucket == 1:
        return rng.between(30, 59)
    if bucket == 2:
        return rng.between(60, 119)
    return rng.between(120, 300)


def _terminal_and_gate(rng: Dice) -> tuple[str | None, str | None]:
    terminal = TERMINALS[rng.below(len(TERMINALS))] if rng.random() < 0.75 else None
    if rng.random() < 0.3:
        return terminal, None
    letter = terminal if terminal is not None and terminal.isalpha() else "ABCDE"[rng.below(5)]
    return terminal, sys.intern(f"{letter}{rng.between(1, 60)}")


def generate(reference: Reference, *, seed: int, count: int, first_day: date, days: int) -> GeneratedSchedule:
    """``count`` flights in rotations starting on ``days`` local days from ``first_day``, all drawn from ``seed``."""
    if count < 0 or days < 1:
        raise ValueError(f"need count >= 0 and days >= 1, not count={count}, days={days}")
    return _Generator(reference, seed, first_day, days).run(count)
