"""The Flightsayer flight catalog: generated statuses obey the contract and agree with themselves; search is exact."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api_contract import load_spec
from api_contract.examples import schema_validator
from mock_server.flights import FlightCatalog, Prediction, load_catalog
from mock_server.flights.serialise import airport_time, airport_time_by_orjson, utc_time, utc_time_by_orjson
from mock_server.response_check import SchemaCheck

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
AIRPORT_ZONES = {a["iata"]: ZoneInfo(a["tz"]) for a in
                 yaml.safe_load((FIXTURES / "flightsayer" / "airports.yaml").read_text(encoding="utf-8"))["airports"]}
BUNDLED = yaml.safe_load((FIXTURES / "flightsayer" / "schedule.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> FlightCatalog:
    """The bundled catalog, shared by the tests that only read it."""
    return load_catalog(FIXTURES)


@pytest.fixture(scope="module")
def statuses(catalog: FlightCatalog) -> dict[str, dict[str, Any]]:
    return {flight_id: catalog.status(flight_id) for flight_id in catalog.flight_ids()}


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def chain(status: dict[str, Any]) -> list[dict[str, Any]]:
    """The status and every inbound nested in it, outermost first."""
    found = []
    while status is not None:
        found.append(status)
        status = status["inbound"]
    return found


def canonical(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


# -- every status on its own -------------------------------------------------------------------------------------


def test_bundled_catalog_has_the_schedule_files_count(catalog: FlightCatalog) -> None:
    assert len(catalog) == BUNDLED["count"] == len(catalog.flight_ids()) == len(set(catalog.flight_ids()))


def test_every_bundled_flight_status_is_valid_against_the_flightstatus_schema(statuses) -> None:
    validator = schema_validator(load_spec("flightsayer", "mock"), {"$ref": "#/components/schemas/FlightStatus"})
    for flight_id, status in statuses.items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(status)]
        assert not errors, (flight_id, errors)


def test_status_json_is_the_compact_serialisation_of_status(catalog: FlightCatalog, statuses) -> None:
    for flight_id, status in statuses.items():
        assert catalog.status_json(flight_id) == canonical(status)
        assert json.loads(catalog.status_json(flight_id)) == status


def test_unknown_flight_has_no_status(catalog: FlightCatalog) -> None:
    assert "DL1GTRATL1608260204" not in catalog
    assert catalog.status("DL1GTRATL1608260204") is None
    assert catalog.status_json("DL1GTRATL1608260204") is None


def test_flight_id_agrees_with_carrier_number_airports_and_utc_departure(statuses) -> None:
    for flight_id, status in statuses.items():
        flight = status["flight"]
        departure = instant(flight["scheduled_departure"])
        assert departure.second == 0 and departure.microsecond == 0
        expected = (f"{flight['carrier']['iata']}{flight['number']}{flight['origin']['iata']}"
                    f"{flight['destination']['iata']}{departure.astimezone(UTC):%y%m%d%H%M}")
        assert flight["id"] == flight_id == expected
        assert 1 <= flight["number"] <= 9999
        assert flight["origin"]["iata"] != flight["destination"]["iata"]


def assert_airport_offsets(status: dict[str, Any]) -> None:
    """Departure times carry the origin's zoneinfo offset at that instant, arrival times the destination's."""
    flight, realtime = status["flight"], status["status"]
    origin, destination = AIRPORT_ZONES[flight["origin"]["iata"]], AIRPORT_ZONES[flight["destination"]["iata"]]
    for text, zone in ((flight["scheduled_departure"], origin), (realtime["departure"]["scheduled"], origin),
                       (realtime["departure"]["latest"], origin), (flight["scheduled_arrival"], destination),
                       (realtime["arrival"]["scheduled"], destination), (realtime["arrival"]["latest"], destination)):
        moment = instant(text)
        assert not text.endswith("Z") and text[-6] in "+-" and text[-3] == ":", text
        assert moment.utcoffset() == zone.utcoffset(moment.astimezone(zone).replace(tzinfo=None)), text
        assert moment.utcoffset() == moment.astimezone(zone).utcoffset(), text
    if realtime["last_updated"] is not None:
        assert realtime["last_updated"].endswith("Z")


def test_airport_times_carry_the_airports_zoneinfo_offset_at_that_instant(statuses) -> None:
    for status in statuses.values():
        assert_airport_offsets(status)
    offsets = {(s["flight"]["origin"]["iata"], s["flight"]["scheduled_departure"][-6:]) for s in statuses.values()}
    assert ("GTR", "-05:00") in offsets or ("ATL", "-04:00") in offsets  # June: GTR on CDT, ATL on EDT


def test_offsets_follow_zoneinfo_across_a_daylight_saving_change() -> None:
    # US clocks go forward on 2026-03-08: the same airports show two offsets within this window.
    fingerprint = load_catalog(FIXTURES, flights=1).to_state()["reference"]
    state = {"format": 1, "seed": 7, "count": 600, "first_day": "2026-03-07", "days": 2, "reference": fingerprint,
             "realtime": {}}
    spring = FlightCatalog.from_state(state, FIXTURES)
    offsets: dict[str, set[str]] = {}
    for flight_id in spring.flight_ids():
        status = spring.status(flight_id)
        assert_airport_offsets(status)
        offsets.setdefault(status["flight"]["origin"]["iata"], set()).add(status["flight"]["scheduled_departure"][-6:])
    assert any(len(seen) == 2 for code, seen in offsets.items() if code not in ("PHX", "HNL"))
    assert offsets.get("PHX", {"-07:00"}) == {"-07:00"}  # Arizona keeps standard time


def test_arrival_is_after_departure_both_scheduled_and_latest(statuses) -> None:
    for status in statuses.values():
        flight, realtime = status["flight"], status["status"]
        assert instant(flight["scheduled_arrival"]) - instant(flight["scheduled_departure"]) >= timedelta(minutes=30)
        assert instant(flight["scheduled_arrival"]) - instant(flight["scheduled_departure"]) <= timedelta(hours=17)
        assert instant(realtime["arrival"]["latest"]) > instant(realtime["departure"]["latest"])
        assert realtime["departure"]["scheduled"] == flight["scheduled_departure"]
        assert realtime["arrival"]["scheduled"] == flight["scheduled_arrival"]
        assert realtime["source"] == "swim"


def test_distribution_sums_to_one_and_delay_index_follows_the_documented_formula(statuses) -> None:
    for status in statuses.values():
        prediction = status["prediction"]
        distribution = prediction["distribution"]
        assert len(distribution) == 4 and all(0 <= p <= 1 for p in distribution)
        assert abs(sum(distribution) - 1) <= 1e-9
        expected = 0 * distribution[0] + 1 * distribution[1] + 2 * distribution[2] + 3 * distribution[3]
        assert prediction["delay_index"] == 1 + round(3 * expected)
        assert 1 <= len(prediction["reasons"]) <= 2 and all(r.endswith(".") for r in prediction["reasons"])


def test_reasons_agree_with_the_prediction_and_cancellation(statuses) -> None:
    for status in statuses.values():
        first = status["prediction"]["reasons"][0]
        if status["status"]["cancelled"]:
            assert "cancelled" in first
        elif status["prediction"]["delay_index"] <= 2:
            assert "on time" in first
        else:
            assert "delayed" in first


def test_some_flights_are_cancelled_and_some_lack_historical_performance(statuses) -> None:
    total = len(statuses)
    cancelled = sum(s["status"]["cancelled"] for s in statuses.values())
    no_history = sum(s["historical_performance"] is None for s in statuses.values())
    assert 0.005 * total <= cancelled <= 0.08 * total
    assert 0.1 * total <= no_history <= 0.3 * total


def test_inbound_arrives_at_origin_before_departure_and_equals_that_flights_own_status(catalog, statuses) -> None:
    with_inbound = 0
    for status in statuses.values():
        legs = chain(status)
        assert len(legs) <= 5
        inbound = status["inbound"]
        if inbound is None:
            continue
        with_inbound += 1
        assert inbound == catalog.status(inbound["flight"]["id"])
        assert inbound["flight"]["destination"]["iata"] == status["flight"]["origin"]["iata"]
        assert inbound["flight"]["carrier"] == status["flight"]["carrier"]
        turnaround = instant(status["flight"]["scheduled_departure"]) - instant(inbound["flight"]["scheduled_arrival"])
        assert timedelta(minutes=30) <= turnaround <= timedelta(minutes=120)
        if not inbound["status"]["cancelled"] and not status["status"]["cancelled"]:  # in before it can leave
            assert instant(inbound["status"]["arrival"]["latest"]) < instant(status["status"]["departure"]["latest"])
    assert with_inbound > len(statuses) // 3


# -- determinism ---------------------------------------------------------------------------------------------------


def test_same_seed_and_count_give_byte_identical_statuses(catalog: FlightCatalog) -> None:
    again = load_catalog(FIXTURES)
    assert again.flight_ids() == catalog.flight_ids()
    assert all(again.status_json(i) == catalog.status_json(i) for i in catalog.flight_ids())


def test_a_different_seed_gives_different_flights(catalog: FlightCatalog) -> None:
    other = load_catalog(FIXTURES, seed=BUNDLED["seed"] + 1)
    assert len(other) == len(catalog)
    assert set(other.flight_ids()) != set(catalog.flight_ids())


def test_flights_override_sets_the_count() -> None:
    assert len(load_catalog(FIXTURES, flights=37)) == 37
    assert len(load_catalog(FIXTURES, flights=0)) == 0


# -- search ----------------------------------------------------------------------------------------------------------


def brute_force(statuses, departure_airport, arrival_airport, earliest, latest) -> list[str]:
    rows = []
    for flight_id, status in statuses.items():
        flight = status["flight"]
        departure = instant(flight["scheduled_departure"])
        if departure_airport is not None and flight["origin"]["iata"] != departure_airport:
            continue
        if arrival_airport is not None and flight["destination"]["iata"] != arrival_airport:
            continue
        if earliest is not None and departure < earliest:
            continue
        if latest is not None and departure > latest:
            continue
        rows.append((departure.astimezone(UTC), flight_id))
    return [flight_id for _, flight_id in sorted(rows)]


_BUNDLED_IDS = sorted(load_catalog(FIXTURES).flight_ids())  # hypothesis strategies are built at import
_DEPARTURES = sorted({f[-10:] for f in _BUNDLED_IDS})
airports = st.sampled_from([None, None, "ZZZ", *sorted(AIRPORT_ZONES)])
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@st.composite
def bounds(draw) -> datetime | None:
    """None, a flight's exact scheduled departure (to prove inclusiveness) or any instant near the window."""
    kind = draw(st.sampled_from(["none", "exact", "exact", "near", "any"]))
    if kind == "none":
        return None
    zone = draw(st.sampled_from([UTC, ZoneInfo("America/Chicago"), ZoneInfo("Asia/Tokyo")]) | offsets)
    if kind == "any":
        moment = datetime(2026, 5, 30, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 7 * 86400)))
        return moment.astimezone(zone)
    moment = datetime.strptime(draw(st.sampled_from(_DEPARTURES)), "%y%m%d%H%M").replace(tzinfo=UTC)
    if kind == "near":
        moment += timedelta(seconds=draw(st.sampled_from([-60, -1, 1, 59])), microseconds=draw(st.sampled_from([0, 1])))
    return moment.astimezone(zone)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(departure_airport=airports, arrival_airport=airports, earliest=bounds(), latest=bounds())
def test_search_equals_a_brute_force_filter_over_all_flights(catalog, statuses, departure_airport, arrival_airport,
                                                              earliest, latest) -> None:
    count, ids = catalog.search(departure_airport=departure_airport, arrival_airport=arrival_airport,
                                earliest=earliest, latest=latest, limit=10**6)
    expected = brute_force(statuses, departure_airport, arrival_airport, earliest, latest)
    assert ids == expected
    assert count == len(expected)


def test_search_bounds_are_inclusive_whatever_their_offset(catalog: FlightCatalog, statuses) -> None:
    flight_id = catalog.flight_ids()[len(catalog) // 2]
    departure = instant(statuses[flight_id]["flight"]["scheduled_departure"])
    for zone in (UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9, minutes=30))):
        bound = departure.astimezone(zone)
        count, ids = catalog.search(earliest=bound, latest=bound, limit=100)
        assert flight_id in ids and count == len(ids)
        _, after = catalog.search(earliest=bound + timedelta(microseconds=1), latest=bound + timedelta(minutes=1))
        assert flight_id not in after


def test_earliest_after_latest_matches_nothing(catalog: FlightCatalog) -> None:
    moment = datetime(2026, 6, 1, 18, tzinfo=UTC)
    assert catalog.search(earliest=moment, latest=moment - timedelta(seconds=1)) == (0, [])


def test_naive_bounds_are_refused(catalog: FlightCatalog) -> None:
    with pytest.raises(ValueError, match="aware"):
        catalog.search(earliest=datetime(2026, 6, 1, 18))


def test_flight_ids_and_unfiltered_search_are_ordered_by_utc_departure_then_id(catalog, statuses) -> None:
    ids = catalog.flight_ids()
    keys = [(instant(statuses[i]["flight"]["scheduled_departure"]).astimezone(UTC), i) for i in ids]
    assert keys == sorted(keys)
    assert catalog.search(limit=len(ids)) == (len(ids), ids)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(departure_airport=st.sampled_from([None, "ATL", "ORD", "LHR"]), limit=st.integers(1, 60))
def test_pages_concatenate_to_the_full_result_with_a_constant_count(catalog, departure_airport, limit) -> None:
    total, everything = catalog.search(departure_airport=departure_airport, limit=10**6)
    walked, offset = [], 0
    while True:
        count, page = catalog.search(departure_airport=departure_airport, offset=offset, limit=limit)
        assert count == total
        assert len(page) <= limit
        if not page:
            break
        walked += page
        offset += limit
    assert walked == everything
    assert catalog.search(departure_airport=departure_airport, offset=total + 5, limit=limit) == (total, [])


# -- changes and saved state ---------------------------------------------------------------------------------------


def longest_rotation(catalog: FlightCatalog) -> list[str]:
    """FlightIds of the deepest inbound chain, first leg first."""
    deepest = max(catalog.flight_ids(), key=lambda i: (len(chain(catalog.status(i))), i))
    return [leg["flight"]["id"] for leg in reversed(chain(catalog.status(deepest)))]


def test_update_invalidates_cached_json_of_the_flight_and_of_flights_embedding_it() -> None:
    fresh = load_catalog(FIXTURES)
    legs = longest_rotation(fresh)
    assert len(legs) >= 3
    before = {i: fresh.status_json(i) for i in fresh.flight_ids()}  # warm every cache
    answer = fresh.update(legs[0], departure_gate="Z99", departure_terminal="Z")
    assert answer == fresh.status(legs[0])
    assert answer["status"]["departure"]["gate"] == "Z99"
    for depth, flight_id in enumerate(legs):
        encoded = fresh.status_json(flight_id)
        assert encoded != before[flight_id]
        assert encoded == canonical(fresh.status(flight_id))
        nested = json.loads(encoded)
        for _ in range(depth):
            nested = nested["inbound"]
        assert nested["status"]["departure"]["gate"] == "Z99"
    unrelated = [i for i in fresh.flight_ids() if i not in legs]
    assert all(fresh.status_json(i) == before[i] for i in unrelated)


def test_update_accepts_times_in_any_offset_and_a_new_prediction() -> None:
    fresh = load_catalog(FIXTURES)
    flight_id = fresh.flight_ids()[0]
    departure = fresh.flight(flight_id).scheduled_departure + timedelta(minutes=47)
    arrival = fresh.flight(flight_id).scheduled_arrival + timedelta(minutes=52)
    status = fresh.update(flight_id, departure_latest=departure.astimezone(timezone(timedelta(hours=-3))),
                          departure_type="estimated", arrival_latest=arrival, arrival_type="estimated",
                          last_updated=departure - timedelta(hours=1),
                          prediction={"distribution": [0.1, 0.6, 0.2, 0.1], "reasons": ["Late incoming flight."]})
    assert instant(status["status"]["departure"]["latest"]) == departure
    assert_airport_offsets(status)
    assert status["prediction"]["delay_index"] == 1 + round(3 * (0.6 + 0.4 + 0.3))
    assert fresh.realtime(flight_id).prediction == Prediction.of([0.1, 0.6, 0.2, 0.1], ["Late incoming flight."])


@pytest.mark.parametrize("changes", [
    {"arrival_latest": datetime(2000, 1, 1, tzinfo=UTC)},
    {"departure_type": "delayed"},
    {"arrival_type": "proposed"},
    {"departure_latest": datetime(2026, 6, 1, 12)},
    {"prediction": {"distribution": [0.5, 0.5, 0.5, 0], "reasons": []}},
    {"gate": "A1"},
])
def test_update_refuses_changes_that_would_break_the_contract(changes: dict[str, Any]) -> None:
    fresh = load_catalog(FIXTURES, flights=5)
    flight_id = fresh.flight_ids()[0]
    before = fresh.status_json(flight_id)
    with pytest.raises(ValueError):
        fresh.update(flight_id, **changes)
    assert fresh.status_json(flight_id) == before


def test_to_state_and_from_state_round_trip_losslessly() -> None:
    fresh = load_catalog(FIXTURES, flights=150, seed=99)
    legs = longest_rotation(fresh)
    fresh.update(legs[0], cancelled=True, last_updated=datetime(2026, 6, 1, 9, 30, 15, 123456, tzinfo=UTC))
    fresh.update(legs[-1], baggage_claim="7", arrival_gate=None, source="flghtview")
    state = json.loads(json.dumps(fresh.to_state()))
    restored = FlightCatalog.from_state(state, FIXTURES)
    assert restored.to_state() == fresh.to_state()
    assert restored.flight_ids() == fresh.flight_ids()
    assert all(restored.status_json(i) == fresh.status_json(i) for i in fresh.flight_ids())
    assert restored.realtime(legs[0]) == fresh.realtime(legs[0])


def test_from_state_refuses_a_state_made_from_other_reference_data() -> None:
    state = load_catalog(FIXTURES, flights=3).to_state()
    with pytest.raises(ValueError, match="fixtures changed"):
        FlightCatalog.from_state({**state, "reference": "0" * 16}, FIXTURES)


def test_a_fresh_catalog_starts_from_the_bundled_window() -> None:
    fresh = load_catalog(FIXTURES, flights=50)
    first_day = date.fromisoformat(str(BUNDLED["first_day"]))
    assert fresh.to_state()["first_day"] == first_day.isoformat()
    assert fresh.as_of == datetime.combine(first_day, datetime.min.time(), UTC) + timedelta(days=BUNDLED["days"] / 2)


def test_a_bounded_json_cache_still_answers_every_flight_correctly(monkeypatch) -> None:
    monkeypatch.setattr("mock_server.flights.catalog.JSON_CACHE_SIZE", 3)
    fresh = load_catalog(FIXTURES, flights=120)
    legs = longest_rotation(fresh)
    for flight_id in fresh.flight_ids() + fresh.flight_ids()[::-1]:
        assert fresh.status_json(flight_id) == canonical(fresh.status(flight_id))
    fresh.update(legs[0], departure_gate="Q1")
    assert all(fresh.status_json(i) == canonical(fresh.status(i)) for i in legs)


def test_statuses_encoded_by_the_response_check_are_the_same_bytes_and_change_when_a_status_does() -> None:
    plain, checked = load_catalog(FIXTURES, flights=300), load_catalog(FIXTURES, flights=300)
    spec = load_spec("flightsayer", "mock")
    check = SchemaCheck(spec, "#/components/schemas/FlightStatus")
    checked.encode_status = check.encode_nested
    assert all(checked.status_json(i) == plain.status_json(i) for i in plain.flight_ids())
    assert all(check.remembers(checked.status_json(i)) for i in plain.flight_ids())  # every one proven as built
    legs = longest_rotation(plain)
    before = checked.status_json(legs[-1])
    for catalog in (plain, checked):
        catalog.update(legs[0], departure_gate="Z42")
    after = checked.status_json(legs[-1])
    assert after != before and after == plain.status_json(legs[-1]) == canonical(plain.status(legs[-1]))
    assert b'"gate":"Z42"' in after and check.remembers(after)


@settings(max_examples=500)
@given(instant=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)),
       zone=st.sampled_from(sorted({*AIRPORT_ZONES.values(), ZoneInfo("Africa/Monrovia"), ZoneInfo("Asia/Kolkata")},
                                   key=str)))
def test_times_a_status_is_built_with_are_written_as_isoformat_writes_them(instant: datetime, zone: ZoneInfo) -> None:
    # orjson writes them for the catalog's encoding; local mean time (offsets of odd seconds) is where it would differ
    assert airport_time_by_orjson(instant, zone) == airport_time(instant, zone)
    assert utc_time_by_orjson(instant) == utc_time(instant)
