"""Every per-response check passes on the spec's own (self-consistent) examples and fails on a crafted broken one."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from api_contract import load_spec
from api_contract.examples import iter_examples
from conformance.checks import flightsayer_responses as fr
from conformance.checks import garuda_responses as gr


def _example(operation: str, where: str) -> Any:
    examples = iter_examples(load_spec("flightsayer"))
    return next(e.value for e in examples if e.operation == operation and e.where == where)


STATUS = _example("getFlightStatus", "response 200")
SUBSCRIPTION = _example("putSubscription", "response 200")
SESSION = next(e.value for e in iter_examples(load_spec("garuda"))
               if e.operation == "getFlightSession" and e.where == "response 200")["data"]


def broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    status = copy.deepcopy(STATUS)
    change(status)
    return status


def test_every_check_passes_on_the_seed_status_example() -> None:
    assert fr.response_violations(STATUS) == []
    assert fr.response_violations({"count": 1, "next": None, "previous": None, "results": [STATUS]}) == []


def set_path(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(status: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node = status
        for key in parents:
            node = node[key]
        node[last] = value
    return change


STATUS_CASES = {
    "flight_id_has_documented_form": [("leading_zero_number", set_path("flight/id", "DL05267GTRATL1608260204")),
                                      ("lowercase", set_path("flight/id", "dl5267gtratl1608260204"))],
    "flight_id_agrees_with_flight": [("departure_is_local_time", set_path("flight/id", "DL5267GTRATL1608252104")),
                                     ("carrier_differs", set_path("flight/carrier/iata", "UA")),
                                     ("number_differs", set_path("flight/number", 5268)),
                                     ("inbound_departure_is_local_time",
                                      set_path("inbound/flight/id", "DL5267ATLGTR1608251930"))],
    "status_times_match_schedule": [("departure_differs", set_path("status/departure/scheduled",
                                                                   "2016-08-25T21:05:00-05:00"))],
    "airport_times_carry_an_offset": [("no_offset", set_path("status/arrival/latest", "2016-08-25T22:19:00"))],
    "arrival_after_departure": [("arrival_before_departure", set_path("flight/scheduled_arrival",
                                                                     "2016-08-25T20:00:00-05:00"))],
    "distribution_sums_to_one": [("sums_to_point_nine", set_path("prediction/distribution", [0.8, 0.1, 0, 0])),
                                 ("three_entries", set_path("prediction/distribution", [0.9, 0.1, 0])),
                                 ("negative_entry", set_path("prediction/distribution", [1.1, -0.1, 0, 0])),
                                 ("inbound_sums_to_two", set_path("inbound/prediction/distribution", [1, 1, 0, 0]))],
    "delay_index_in_range": [("zero", set_path("prediction/delay_index", 0)),
                             ("eleven", set_path("prediction/delay_index", 11)),
                             ("fractional", set_path("prediction/delay_index", 1.5))],
    "status_types_are_documented": [("unknown_departure_type", set_path("status/departure/type", "delayed")),
                                    ("proposed_arrival", set_path("status/arrival/type", "proposed")),
                                    ("cancelled_as_string", set_path("status/cancelled", "false"))],
    "inbound_arrives_before_departure": [("arrives_after", set_path("inbound/flight/scheduled_arrival",
                                                                    "2016-08-25T21:30:00-05:00")),
                                         ("arrives_elsewhere", set_path("inbound/flight/destination/iata", "BOS"))],
    # GTR's departure instant written with +01:00 where flight/scheduled_departure writes it with -05:00
    "airport_keeps_one_offset_per_instant": [("same_instant_two_offsets",
                                              set_path("status/departure/scheduled", "2016-08-26T03:04:00+01:00"))],
}
CASES = [pytest.param(check, change, id=f"{check}-fails-when-{name}")
         for check, changes in STATUS_CASES.items() for name, change in changes]


@pytest.mark.parametrize(("check", "change"), CASES)
def test_status_check_fails_on_broken_status(check: str, change: Callable[[dict[str, Any]], None]) -> None:
    assert check in {v.check for v in fr.response_violations(broken(change))}


def test_every_status_check_has_a_broken_case() -> None:
    names = {c.__name__ for c in fr.FLIGHT_STATUS_CHECKS} | {fr.airport_keeps_one_offset_per_instant.__name__}
    assert names <= set(STATUS_CASES)


def test_flight_id_check_fails_when_departure_is_local_time() -> None:
    seed_as_written = broken(set_path("flight/id", "DL5267GTRATL1608252104"))
    assert [v.where for v in fr.flight_id_agrees_with_flight(seed_as_written)] == ["flight/id (departure)"]


def test_offset_check_fails_when_one_airport_instant_has_two_offsets_across_results() -> None:
    other = copy.deepcopy(STATUS)
    other["flight"]["scheduled_departure"] = "2016-08-26T02:04:00+00:00"  # GTR, same instant, UTC written
    assert fr.airport_keeps_one_offset_per_instant([STATUS, other])


@pytest.mark.parametrize(("page", "why"), [
    ({"count": -1, "next": None, "previous": None, "results": []}, "negative count"),
    ({"count": 1, "next": None, "previous": None, "results": [STATUS, STATUS]}, "more results than count"),
    ({"count": 3, "next": "/flights/v1/search?offset=1", "previous": None, "results": [STATUS]}, "relative link"),
    ({"count": 3, "next": None, "previous": None, "results": [STATUS]}, "only page short of count"),
    ({"count": 1, "next": None, "previous": None}, "no results"),
])
def test_page_shape_fails_on_broken_page(page: dict[str, Any], why: str) -> None:
    assert fr.page_shape(page), why


def test_page_shape_passes_on_a_middle_page() -> None:
    page = {"count": 3, "next": "http://h/flights/v1/search?offset=2&limit=1",
            "previous": "http://h/flights/v1/search?limit=1", "results": [STATUS]}
    assert fr.page_shape(page) == []


def test_subscription_check_passes_on_the_seed_example_and_fails_when_updated_precedes_created() -> None:
    assert fr.subscription_times_are_ordered(SUBSCRIPTION) == []
    assert fr.subscription_times_are_ordered({**SUBSCRIPTION, "updated": "2016-07-12T19:00:00Z"})
    assert fr.subscription_times_are_ordered({**SUBSCRIPTION, "created": "yesterday"})


def test_garuda_envelope_passes_on_success_and_error_forms() -> None:
    assert gr.garuda_envelope(200, {"success": True, "data": SESSION}) == []
    assert gr.garuda_envelope(404, {"success": False, "message": "Flight session not found"}) == []


@pytest.mark.parametrize(("status_code", "body"), [
    (200, SESSION), (200, {"success": False, "data": SESSION}), (200, {"success": True}),
    (404, {"detail": "Not found."}), (400, {"success": False, "message": ""}), (401, {"success": True, "data": None}),
    (500, "Internal Server Error"),
])
def test_garuda_envelope_fails_on_unwrapped_answers(status_code: int, body: Any) -> None:
    assert gr.garuda_envelope(status_code, body)


def test_session_fields_check_passes_on_the_seed_session() -> None:
    assert gr.session_fields_have_documented_form(SESSION) == []


@pytest.mark.parametrize(("field", "value"), [
    ("start_date_time", "1527469200000"), ("end_date_time", True),
    ("flight_session_id", "0B28DB84D57EA15B5C26E5C3FFCE67FC"),
    ("company_id", "ca42ab884a633d6a823b45e6ebe9534"), ("deployment_id", None),
])
def test_session_fields_check_fails_when_a_field_has_another_form(field: str, value: Any) -> None:
    assert gr.session_fields_have_documented_form({**SESSION, field: value})
