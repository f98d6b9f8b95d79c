"""The request-aware checks on single exchanges: what each tolerates that the traffic tests do not reach."""

from __future__ import annotations

import json
from typing import Any

from conformance.contract_validation import CallRef, RecordedRequest, RecordedResponse
from conformance.live.exchange import Exchange, Span
from conformance.live.flightsayer_exchanges import (
    page_links_keep_the_query,
    put_subscription_echoes_the_target,
    search_results_honour_every_filter,
)
from conformance.live.garuda_exchanges import garuda_list_honours_every_filter, garuda_write_echoes_what_was_sent
from tests.proxy.payloads import flight_status

SEARCH = "/flights/v1/search"


def exchange(method: str, path: str, query: str, answer: Any, sent: Any = None, status: int = 200) -> Exchange:
    request = RecordedRequest(method, path, query, [("authorization", "Token x")],
                              None if sent is None else json.dumps(sent).encode())
    route = request.route
    assert route is not None
    return Exchange(request, RecordedResponse(status, [], json.dumps(answer).encode()),
                    Span(CallRef(method, path, "2026-01-01T00:00:00.000Z"), 0, 1), route[0].operation_id, route[1])


def page(results: list[Any], **links: str) -> dict[str, Any]:
    return {"count": 40, "next": None, "previous": None, "results": results, **links}


def test_a_bound_written_in_another_offset_is_the_same_instant_and_inclusive() -> None:
    status = flight_status()
    departure = status["flight"]["scheduled_departure"]  # 2016-08-25T21:04:00-05:00
    assert search_results_honour_every_filter(exchange(
        "GET", SEARCH, "earliest_departure=2016-08-26T02:04:00Z&latest_departure=2016-08-26T07:34:00%2B05:30",
        page([status]))) == []
    late = exchange("GET", SEARCH, "earliest_departure=2016-08-26T02:04:01Z", page([status]))
    assert [v.where for v in search_results_honour_every_filter(late)] == ["results/0/flight"]
    assert departure in search_results_honour_every_filter(late)[0].actual


def test_a_bound_that_is_no_timestamp_and_a_repeated_filter_are_not_judged() -> None:
    status = flight_status()
    assert search_results_honour_every_filter(exchange("GET", SEARCH, "earliest_departure=2016-08-27",
                                                       page([status]))) == []
    assert search_results_honour_every_filter(exchange("GET", SEARCH, "departure_airport=BOS&departure_airport=GTR",
                                                       page([status]))) == []


def test_links_may_lower_the_limit_add_a_slash_and_reorder_but_keep_filters_and_move_the_right_way() -> None:
    fine = page([], next="https://a.example/flights/v1/search/?offset=20&departure_airport=bos&limit=10",
                previous="https://a.example/flights/v1/search/?departure_airport=BOS&limit=10")
    assert page_links_keep_the_query(exchange("GET", SEARCH, "departure_airport=BOS&limit=20&offset=10", fine)) == []
    wrong = page([], next="https://a.example/flights/v1/search?limit=50&offset=0",
                 previous="https://a.example/flights/v1/search?departure_airport=BOS&limit=20&offset=30")
    found = page_links_keep_the_query(exchange("GET", SEARCH, "departure_airport=BOS&limit=20&offset=10", wrong))
    assert [(v.where, v.expected.split()[0]) for v in found] == [("next", "a"), ("next", "limit"), ("next", "an"),
                                                                  ("previous", "an")]


def test_a_target_may_come_back_trimmed_and_normalised_but_not_another() -> None:
    path = "/subscriptions/DL5267GTRATL1608260204"
    answer = {"flight_id": "DL5267GTRATL1608260204", "target": "http://status.example.com/",
              "created": "2016-07-11T21:54:22Z", "updated": "2016-07-11T21:54:22Z"}
    assert put_subscription_echoes_the_target(exchange("PUT", path, "", answer,
                                                       {"target": " HTTP://Status.Example.com:80 "}, 201)) == []
    assert put_subscription_echoes_the_target(exchange("PUT", path, "", answer,
                                                       {"target": "http://status.example.com/x"}, 201)) != []


def test_garuda_times_compare_as_numbers_and_filters_in_any_case() -> None:
    session = {"flight_session_id": "a" * 32, "deployment_id": "b" * 32, "flight_plan_id": "c" * 32,
               "company_id": "d" * 32, "start_date_time": "1527469200000", "end_date_time": 1527479200000}
    sent = {key: session[key] for key in ("deployment_id", "flight_plan_id")} | {
        "start_date_time": 1527469200000, "end_date_time": "1527479200000"}
    created = exchange("POST", "/v2/flight_sessions", "", {"success": True, "data": session}, sent)
    assert garuda_write_echoes_what_was_sent(created) == []
    listed = exchange("GET", "/v2/flight_sessions", f"deployment_id={'B' * 32}", {"success": True, "data": [session]})
    assert garuda_list_honours_every_filter(listed) == []
    in_seconds = exchange("POST", "/v2/flight_sessions", "", {"success": True, "data": {
        **session, "start_date_time": 1527469200}}, sent)
    assert [v.where for v in garuda_write_echoes_what_was_sent(in_seconds)] == ["data/start_date_time"]


def test_the_subscription_list_need_not_keep_parameters_it_does_not_have() -> None:
    listed = page([], next="https://a.example/subscriptions/?limit=1&offset=1")
    assert page_links_keep_the_query(exchange("GET", "/subscriptions/", "limit=1&departure_airport=BOS", listed)) == []
