"""Every per-response check passes on the spec's own (self-consistent) examples and on what other backends may
legitimately send, and fails on a crafted broken one."""

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
    "flight_id_has_documented_form": [("five_digit_number", set_path("flight/id", "DL52670GTRATL1608260204")),
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
                                 ("named_prediction_summing_to_point_nine",
                                  lambda s: s["prediction"].update(prediction=[0.8, 0.1, 0, 0]) or s["prediction"].pop(
                                      "distribution")),
                                 ("three_entries", set_path("prediction/distribution", [0.9, 0.1, 0])),
                                 ("negative_entry", set_path("prediction/distribution", [1.1, -0.1, 0, 0])),
                                 ("inbound_sums_to_two", set_path("inbound/prediction/distribution", [1, 1, 0, 0]))],
    "delay_index_in_range": [("zero", set_path("prediction/delay_index", 0)),
                             ("eleven", set_path("prediction/delay_index", 11)),
                             ("a_word", set_path("prediction/delay_index", "high"))],
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


LEGITIMATE = {
    "a fractional delay index (the seed's type is number)": set_path("prediction/delay_index", 1.5),
    "the probabilities named prediction (the seed's attribute list)":
        lambda s: s["prediction"].update(prediction=s["prediction"].pop("distribution")),
    "probabilities rounded to two decimals, summing to 1.02": set_path("prediction/distribution",
                                                                      [0.13, 0.13, 0.38, 0.38]),
    "a flight number written with a leading zero in the id":
        lambda s: s["flight"].update(number=526, id="DL0526GTRATL1608260204"),
    "the flight number as a JSON float": set_path("flight/number", 5267.0),
    "no realtime status": lambda s: s.pop("status"),
    "no inbound, no weather, no historical performance": lambda s: [s.pop(k) for k in
                                                                     ("inbound", "weather", "historical_performance")],
    "extra fields": lambda s: s.update(aircraft={"type": "CRJ9"}),
    "fractional seconds and +00:00 for a UTC time": set_path("status/last_updated", "2016-08-25T20:00:00.000+00:00"),
}


@pytest.mark.parametrize("change", LEGITIMATE.values(), ids=list(LEGITIMATE))
def test_status_checks_pass_what_another_backend_may_legitimately_send(
        change: Callable[[dict[str, Any]], None]) -> None:
    assert fr.response_violations(broken(change)) == []


def test_flight_id_check_fails_when_departure_is_local_time() -> None:
    seed_as_written = broken(set_path("flight/id", "DL5267GTRATL1608252104"))
    assert [v.where for v in fr.flight_id_agrees_with_flight(seed_as_written)] == ["flight/id (departure)"]


def test_offset_check_fails_when_one_airport_instant_has_two_offsets_across_results() -> None:
    other = copy.deepcopy(STATUS)
    other["flight"]["scheduled_departure"] = "2016-08-26T02:04:00+00:00"  # GTR, same instant, UTC written
    assert fr.airport_keeps_one_offset_per_instant([STATUS, other])


@pytest.mark.parametrize(("page", "why"), [
    ({"count": -1, "next": None, "previous": None, "results": []}, "negative count"),
    ({"count": 3, "next": "/flights/v1/search?offset=1", "previous": None, "results": [STATUS]}, "relative link"),
    ({"count": 1, "next": None, "previous": None}, "no results"),
])
def test_page_shape_fails_on_broken_page(page: dict[str, Any], why: str) -> None:
    assert fr.page_shape(page), why


@pytest.mark.parametrize(("page", "why"), [
    ({"count": 1, "next": None, "previous": None, "results": [STATUS, STATUS]}, "more results than count"),
    ({"count": 3, "next": "http://h/flights/v1/search?offset=1", "previous": None, "results": [STATUS] * 4},
     "a middle page longer than count"),
    ({"count": 3, "next": None, "previous": None, "results": [STATUS]}, "only page short of count"),
])
def test_page_count_check_fails_when_results_disagree_with_count(page: dict[str, Any], why: str) -> None:
    assert fr.page_results_agree_with_count(page), why


def test_page_shape_passes_on_a_middle_page() -> None:
    page = {"count": 3, "next": "http://h/flights/v1/search?offset=2&limit=1",
            "previous": "http://h/flights/v1/search?limit=1", "results": [STATUS]}
    assert fr.page_shape(page) == []
    assert fr.page_results_agree_with_count(page) == []


def test_subscription_check_passes_on_the_seed_example_and_fails_when_updated_precedes_created() -> None:
    assert fr.subscription_times_are_ordered(SUBSCRIPTION) == []
    assert fr.subscription_times_are_ordered({**SUBSCRIPTION, "updated": "2016-07-12T19:00:00Z"})
    assert fr.subscription_times_are_ordered({**SUBSCRIPTION, "created": "yesterday"})


@pytest.mark.parametrize(("status_code", "body"), [
    (200, {"success": True, "data": SESSION}), (404, {"success": False, "message": "Flight session not found"}),
    (404, {"detail": "Not found."}), (422, {"errors": [{"field": "end_date_time"}]}), (500, "Internal Server Error"),
])
def test_garuda_envelope_passes_on_success_and_any_error_form(status_code: int, body: Any) -> None:
    # The seed shows no error body: any is legitimate (a 5xx is another check's business).
    assert gr.garuda_envelope(status_code, body) == []


@pytest.mark.parametrize(("status_code", "body"), [
    (200, SESSION), (200, {"success": False, "data": SESSION}), (200, {"success": True}), (201, [SESSION]),
])
def test_garuda_envelope_fails_on_unwrapped_answers(status_code: int, body: Any) -> None:
    assert gr.garuda_envelope(status_code, body)


def test_session_fields_check_passes_on_the_seed_session() -> None:
    assert gr.session_fields_have_documented_form(SESSION) == []


@pytest.mark.parametrize(("field", "value"), [
    ("start_date_time", "2018-05-28T01:00:00Z"), ("end_date_time", True), ("end_date_time", 1527479200000.5),
    ("start_date_time", "1527469200000 ms"), ("flight_session_id", ""), ("company_id", 42), ("deployment_id", None),
])
def test_session_fields_check_fails_when_a_field_has_another_form(field: str, value: Any) -> None:
    assert gr.session_fields_have_documented_form({**SESSION, field: value})


@pytest.mark.parametrize(("field", "value"), [
    ("start_date_time", "1527469200000"),  # the seed's tables say String
    ("flight_session_id", "5b1f0c8e-9d0a-4c55-8a8e-0d3c1f6b2a11"),  # a UUID: the seed gives ids no form
    ("company_id", "acme"),
])
def test_session_fields_check_passes_legitimate_forms(field: str, value: Any) -> None:
    assert gr.session_fields_have_documented_form({**SESSION, field: value}) == []


@pytest.mark.parametrize("value", ["1527469200000\n", "\uff11\uff15\uff12\uff17", "1.5", "", "0x10", True])
def test_epoch_milliseconds_are_an_integer_or_exactly_its_digits(value: Any) -> None:
    assert gr.epoch_millis(value) is None
    assert gr.epoch_millis("-86400000") == -86400000 and gr.epoch_millis(1527469200000) == 1527469200000
