"""The flight simulation: a deterministic clock and flight lives, applied in time order, always within the contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api_contract import load_spec
from api_contract.examples import schema_validator
from mock_server.flights import FlightCatalog, load_catalog
from mock_server.simulation import FlightSimulator, SimClock
from mock_server.simulation.predictions import bucket
from mock_server.simulation.transitions import AIRBORNE, SCHEDULED, phase

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
THREE_DAYS = timedelta(days=3)


@pytest.fixture(scope="module")
def flight_status_validator():
    return schema_validator(load_spec("flightsayer", "mock"), {"$ref": "#/components/schemas/FlightStatus"})


@pytest.fixture
def catalog() -> FlightCatalog:
    """A fresh bundled catalog: the simulation changes it."""
    return load_catalog(FIXTURES)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def first(catalog: FlightCatalog, wanted: str, *, hours_ahead: float = -48) -> str:
    """The first flight (in search order) in phase ``wanted`` departing at least ``hours_ahead`` after as_of."""
    horizon = catalog.as_of + timedelta(hours=hours_ahead)
    return next(fid for fid in catalog.flight_ids()
                if phase(catalog.realtime(fid)) == wanted and catalog.flight(fid).scheduled_departure >= horizon)


class FakeWall:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


# -- the clock ---------------------------------------------------------------------------------------------------

def test_a_manual_clock_moves_only_when_told() -> None:
    wall = FakeWall()
    start = datetime(2026, 6, 2, tzinfo=UTC)
    clock = SimClock(start, wall=wall)
    wall.seconds += 3600
    assert clock.mode == "manual" and clock.now() == start
    assert clock.advance(timedelta(minutes=5)) == start + timedelta(minutes=5)
    assert clock.advance_to(start + timedelta(hours=1)) == clock.now() == start + timedelta(hours=1)


def test_an_accelerated_clock_runs_an_hour_per_real_minute_and_real_time_runs_at_one() -> None:
    wall = FakeWall()
    start = datetime(2026, 6, 2, tzinfo=UTC)
    clock = SimClock(start, speed=60, wall=wall)
    assert clock.mode == "accelerated"
    wall.seconds += 60
    assert clock.now() == start + timedelta(hours=1)
    clock.set_speed(1)
    assert clock.mode == "realtime" and clock.now() == start + timedelta(hours=1)
    wall.seconds += 10
    assert clock.now() == start + timedelta(hours=1, seconds=10)
    clock.advance(timedelta(hours=1))  # a running clock can still jump ahead
    assert clock.now() == start + timedelta(hours=2, seconds=10)
    clock.set_speed(0)
    wall.seconds += 100
    assert clock.mode == "manual" and clock.now() == start + timedelta(hours=2, seconds=10)


def test_the_clock_never_runs_backwards_and_needs_aware_instants() -> None:
    start = datetime(2026, 6, 2, tzinfo=UTC)
    clock = SimClock(start)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="backwards"):
        clock.advance_to(start - timedelta(minutes=1))
    with pytest.raises(ValueError, match="offset"):
        clock.advance_to(datetime(2026, 6, 3))
    with pytest.raises(ValueError, match="speed"):
        clock.set_speed(-1)
    with pytest.raises(ValueError, match="aware"):
        SimClock(datetime(2026, 6, 2))


def test_the_simulator_starts_at_the_catalog_as_of(catalog: FlightCatalog) -> None:
    assert FlightSimulator(catalog).clock.now() == catalog.as_of


# -- planned flight lives ----------------------------------------------------------------------------------------

def replay(step: timedelta, total: timedelta) -> list[tuple[str, dict[str, Any]]]:
    simulator = FlightSimulator(load_catalog(FIXTURES))
    changes = []
    elapsed = timedelta(0)
    while elapsed < total:
        changes.extend(simulator.advance(step))
        elapsed += step
    return [tuple(c) for c in changes]


def test_the_same_seed_gives_the_same_event_sequence_whatever_the_step() -> None:
    in_one_go = replay(timedelta(hours=30), timedelta(hours=30))
    assert len(in_one_go) > 500
    assert replay(timedelta(hours=30), timedelta(hours=30)) == in_one_go
    assert replay(timedelta(minutes=45), timedelta(hours=30)) == in_one_go


def test_advancing_applies_changes_in_time_order_and_every_status_stays_valid(catalog, flight_status_validator) -> None:
    simulator = FlightSimulator(catalog)
    seen: list[tuple[str, dict[str, Any]]] = []
    simulator.add_listener(lambda flight_id, status: seen.append((flight_id, status)))
    changes = simulator.advance(timedelta(hours=12))
    assert [tuple(c) for c in changes] == seen
    moments = [instant(status["status"]["last_updated"]) for _, status in changes]
    assert moments == sorted(moments)
    assert catalog.as_of < moments[0] and moments[-1] <= simulator.clock.now() == catalog.as_of + timedelta(hours=12)
    for flight_id, status in changes:
        assert status["flight"]["id"] == flight_id
        errors = [e.message for e in flight_status_validator.iter_errors(status)]
        assert errors == [], (flight_id, errors)
    latest = {flight_id: status for flight_id, status in changes}
    for flight_id, status in latest.items():  # ``inbound`` may have moved on since: it is another flight's change
        assert {**catalog.status(flight_id), "inbound": None} == {**status, "inbound": None}


def test_predictions_agree_with_the_status(catalog) -> None:
    simulator = FlightSimulator(catalog)
    estimate = {fid: catalog.realtime(fid).departure_latest for fid in catalog.flight_ids()}
    changes = simulator.advance(timedelta(hours=30))
    kinds = set()
    for flight_id, status in changes:
        realtime, distribution = status["status"], status["prediction"]["distribution"]
        departure = realtime["departure"]
        delay = int((instant(departure["latest"]) - instant(departure["scheduled"])).total_seconds() // 60)
        if realtime["cancelled"]:
            kinds.add("cancelled")
            assert distribution == [0, 0, 0, 1] and status["prediction"]["delay_index"] == 10
            assert departure["type"] == realtime["arrival"]["type"] == "scheduled"
            assert departure["latest"] == departure["scheduled"]
        elif departure["type"] == "actual":
            kinds.add("departed")
            assert distribution[bucket(delay)] == 1  # the actual delay's bucket is certain
        elif departure["type"] == "estimated" and instant(departure["latest"]) != estimate[flight_id]:
            kinds.add("estimated")  # a new estimate (not a gate change on a generated status)
            estimate[flight_id] = instant(departure["latest"])
            likely = bucket(delay)
            assert sum(distribution[:likely]) == 0 and distribution[likely] == max(distribution)
    assert kinds == {"cancelled", "departed", "estimated"}


def test_every_flight_ends_landed_or_cancelled(catalog, flight_status_validator) -> None:
    simulator = FlightSimulator(catalog)
    waiting = {fid for fid in catalog.flight_ids() if phase(catalog.realtime(fid)) == SCHEDULED}
    simulator.advance(THREE_DAYS)
    assert simulator.next_event_at() is None
    for flight_id in catalog.flight_ids():
        realtime = catalog.realtime(flight_id)
        assert realtime.cancelled or realtime.arrival_type == "actual", flight_id
        if flight_id in waiting and not realtime.cancelled:
            assert realtime.baggage_claim is not None and realtime.departure_gate is not None


# -- forced events -----------------------------------------------------------------------------------------------

def test_forced_events_move_a_flight_through_its_life(catalog, flight_status_validator) -> None:
    simulator = FlightSimulator(catalog)
    flight_id = first(catalog, SCHEDULED, hours_ahead=12)
    before = catalog.realtime(flight_id)
    now = simulator.clock.now()

    delayed = simulator.force(flight_id, "delay", minutes=95)
    assert instant(delayed["status"]["departure"]["latest"]) == before.departure_latest + timedelta(minutes=95)
    assert delayed["status"]["departure"]["type"] == "estimated"
    assert instant(delayed["status"]["last_updated"]) == now
    assert delayed["prediction"]["distribution"][0] == 0 and delayed["prediction"]["delay_index"] >= 6

    gated = simulator.force(flight_id, "gate", terminal="B", gate="B7")
    assert (gated["status"]["departure"]["terminal"], gated["status"]["departure"]["gate"]) == ("B", "B7")

    simulator.advance(timedelta(minutes=1))
    departed = simulator.force(flight_id, "departure")
    assert departed["status"]["departure"]["type"] == "actual"
    assert instant(departed["status"]["departure"]["latest"]) == simulator.clock.now()
    with pytest.raises(ValueError, match="already departed"):
        simulator.force(flight_id, "departure")
    with pytest.raises(ValueError, match="already departed"):
        simulator.force(flight_id, "cancellation")

    simulator.advance(timedelta(minutes=40))
    landed = simulator.force(flight_id, "arrival", baggage_claim="7")
    assert landed["status"]["arrival"]["type"] == "actual" and landed["status"]["arrival"]["baggage_claim"] == "7"
    for status in (delayed, gated, departed, landed):
        assert list(flight_status_validator.iter_errors(status)) == []
    for kind, args in (("delay", {"minutes": 5}), ("gate", {"terminal": "A", "gate": "A1"}), ("arrival", {}),
                       ("cancellation", {})):
        with pytest.raises(ValueError, match="already landed"):
            simulator.force(flight_id, kind, **args)
    assert simulator.pending(flight_id) == []
    simulator.advance(THREE_DAYS)
    assert catalog.realtime(flight_id).arrival_latest == instant(landed["status"]["arrival"]["latest"])


def test_forced_events_that_make_no_sense_are_refused(catalog) -> None:
    simulator = FlightSimulator(catalog)
    flight_id = first(catalog, SCHEDULED, hours_ahead=12)
    with pytest.raises(ValueError, match="cannot arrive before it departs"):
        simulator.force(flight_id, "arrival")
    with pytest.raises(ValueError, match="unknown event kind"):
        simulator.force(flight_id, "teleport")
    for minutes in (0, -5, "10", 2.5, True, None):
        with pytest.raises(ValueError, match="positive integer"):
            simulator.force(flight_id, "delay", minutes=minutes)
    with pytest.raises(ValueError, match="unexpected"):
        simulator.force(flight_id, "departure", at="now")
    with pytest.raises(ValueError, match="only its arrival gate"):
        simulator.force(first(catalog, AIRBORNE), "gate", terminal="A", gate="A1", side="departure")
    with pytest.raises(KeyError):
        simulator.force("XX1AAABBB2601010000", "delay", minutes=5)

    cancelled = simulator.force(flight_id, "cancellation")
    assert cancelled["status"]["cancelled"] is True
    with pytest.raises(ValueError, match="was cancelled"):
        simulator.force(flight_id, "departure")
    simulator.advance(THREE_DAYS)
    assert catalog.realtime(flight_id).cancelled


def test_an_arrival_is_never_before_the_departure(catalog) -> None:
    simulator = FlightSimulator(catalog)
    flight_id = first(catalog, SCHEDULED, hours_ahead=12)
    simulator.force(flight_id, "departure")
    with pytest.raises(ValueError, match="not after its departure"):
        simulator.force(flight_id, "arrival")  # the same instant


def test_a_forced_delay_is_kept_and_a_late_inbound_holds_the_next_leg(catalog) -> None:
    simulator = FlightSimulator(catalog)
    inbound_of = {catalog.flight(f).inbound_id: f for f in catalog.flight_ids() if catalog.flight(f).inbound_id}
    inbound = next(f for f in catalog.flight_ids() if f in inbound_of and phase(catalog.realtime(f)) == SCHEDULED
                   and catalog.flight(f).scheduled_departure > catalog.as_of + timedelta(hours=10))
    forced = simulator.force(inbound, "delay", minutes=240)
    simulator.advance(THREE_DAYS)
    mine, nxt = catalog.realtime(inbound), catalog.realtime(inbound_of[inbound])
    if not mine.cancelled:
        assert mine.departure_latest >= instant(forced["status"]["departure"]["latest"])
        if not nxt.cancelled:
            assert nxt.departure_latest >= mine.arrival_latest + timedelta(minutes=25)


def test_a_simulator_on_a_restored_catalog_starts_after_its_latest_change(catalog) -> None:
    simulator = FlightSimulator(catalog)
    simulator.advance(timedelta(hours=5))
    latest = max(catalog.realtime(f).last_updated for f in catalog.flight_ids() if catalog.realtime(f).last_updated)
    restored = FlightCatalog.from_state(catalog.to_state(), FIXTURES)
    again = FlightSimulator(restored)
    assert again.clock.now() == latest > catalog.as_of
    changes = again.advance(timedelta(hours=1))
    assert changes and all(instant(s["status"]["last_updated"]) > latest for _, s in changes)
