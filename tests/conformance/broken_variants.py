"""The broken backends: each breaks one behaviour of the mock, and names the scenario checks that must catch it."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from conformance.checks import flightsayer_scenarios as fs
from conformance.checks import garuda_scenarios as gs
from tests.conformance.breakage import SESSIONS, Breakage, Exchange


def _single_session(x: Exchange) -> bool:
    return x.path.startswith(SESSIONS + "/")


def _on_statuses(change: Callable[[dict[str, Any]], None], *, search: bool = True, status: bool = True):
    def response(x: Exchange) -> None:
        if x.status != 200 or (x.path.startswith("/flights/v1/search") and not search) or (
                x.path.startswith("/flights/v1/status/") and not status):
            return
        for item in x.statuses():
            change(item)
    return response


def _local_time_id(status: dict[str, Any]) -> None:
    flight = status["flight"]
    local = datetime.fromisoformat(flight["scheduled_departure"])
    flight["id"] = flight["id"][:-10] + local.strftime("%y%m%d%H%M")


def _shift(value: str, minutes: int) -> str:
    return (datetime.fromisoformat(value) + timedelta(minutes=minutes)).isoformat()


def _inbound_late(status: dict[str, Any]) -> None:
    if isinstance(status.get("inbound"), dict):
        status["inbound"]["flight"]["scheduled_arrival"] = _shift(status["flight"]["scheduled_departure"], 5)


def _link_change(change: Callable[[str], str], link: str = "next"):
    def response(x: Exchange) -> None:
        if isinstance(x.response, dict) and isinstance(x.response.get(link), str):
            x.response[link] = change(x.response[link])
    return response


def _host_localhost(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"localhost:{parts.port}"))


def _drop_filter(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if not p.startswith("departure_airport="))
    return urlunsplit(parts._replace(query=query))


def variants(config: dict[str, Any]) -> dict[str, tuple[Breakage, list[Callable[..., Any]]]]:
    """name -> (breakage, the checks that must fail against it)."""
    g, other, fsay = config["garuda"], config["garuda"]["other_company"], config["flightsayer"]
    own_key_of = {g["token"]: g["api_key"], other["token"]: other["api_key"]}
    memory: dict[str, Any] = {}

    def garuda_success_without_envelope(x: Exchange) -> None:
        if x.path.startswith(SESSIONS) and x.method == "GET" and x.status == 200 and isinstance(x.response, dict):
            x.response = x.response["data"]

    def echo_shifted_end(x: Exchange) -> None:
        if x.method == "POST" and x.status == 200 and isinstance(x.data, dict):
            x.response["data"]["end_date_time"] += 1

    def get_drops_company(x: Exchange) -> None:
        if x.method == "GET" and _single_session(x) and x.status == 200:
            x.response["data"].pop("company_id", None)

    def uppercase_ids(x: Exchange) -> None:
        if x.method == "POST" and x.status == 200 and isinstance(x.data, dict):
            x.response["data"]["flight_session_id"] = x.response["data"]["flight_session_id"].upper()

    def shared_ids(x: Exchange) -> None:
        if x.method == "POST" and x.status == 200 and isinstance(x.data, dict):
            x.response["data"]["flight_session_id"] = memory.setdefault("first_id",
                                                                        x.response["data"]["flight_session_id"])

    def ignore_plan_filter(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS:
            x.query.pop("flight_plan_id", None)

    def or_filters(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS and len(x.query) == 2:
            x.query.pop("deployment_id")

    def patch_ignored(x: Exchange) -> None:
        if x.method == "PATCH":
            x.body = {}

    def patch_moves_deployment(x: Exchange) -> None:
        if x.method == "PATCH" and x.status == 200:
            x.response["data"]["deployment_id"] = "f" * 32

    def delete_keeps(x: Exchange) -> None:
        if x.method == "DELETE" and x.path.startswith(SESSIONS):
            x.method = "GET"

    def delete_204(x: Exchange) -> None:
        if x.method == "DELETE" and x.path.startswith(SESSIONS) and x.status == 200:
            x.status, x.response = 204, None

    def accept_plan(plan_key: str) -> Callable[[Exchange], None]:
        def change(x: Exchange) -> None:
            if x.method == "POST" and isinstance(x.body, dict) and x.body.get("flight_plan_id") == plan_key:
                x.body["flight_plan_id"] = g["approved_flight_plan_id"]
        return change

    def accept_unknown_references(x: Exchange) -> None:
        if x.method == "POST" and isinstance(x.body, dict):
            good_ids = (("deployment_id", g["deployment_id"]), ("flight_plan_id", g["approved_flight_plan_id"]))
            for field, good in good_ids:
                if x.body.get(field) == gs.UNKNOWN_ID:
                    x.body[field] = good

    def accept_foreign_references(x: Exchange) -> None:
        if x.method == "POST" and isinstance(x.body, dict) and x.headers.get("authorization") == f"Bearer {g['token']}":
            if x.body.get("deployment_id") == other["deployment_id"]:
                x.body["deployment_id"] = g["deployment_id"]
            if x.body.get("flight_plan_id") == other["approved_flight_plan_id"]:
                x.body["flight_plan_id"] = g["approved_flight_plan_id"]

    def fill_missing(x: Exchange) -> None:
        if x.method == "POST" and x.path == SESSIONS and isinstance(x.body, dict) and x.body:
            x.body = {**gs.new_session_body_from(g), **x.body}

    def api_key_ignored(x: Exchange) -> None:
        token = x.headers.get("authorization", "").removeprefix("Bearer ")
        if x.path.startswith(SESSIONS) and token in own_key_of and x.headers.get("x-api-key") != own_key_of[token]:
            x.headers["x-api-key"] = own_key_of[token]

    def mixed_companies(x: Exchange) -> None:
        token = x.headers.get("authorization", "").removeprefix("Bearer ")
        if x.path.startswith(SESSIONS) and token in own_key_of and x.headers.get("x-api-key") in own_key_of.values():
            x.headers["x-api-key"] = own_key_of[token]

    def other_company_visible(x: Exchange) -> None:
        if _single_session(x) and x.headers.get("authorization") == f"Bearer {g['token']}" and x.method == "GET":
            x.headers["authorization"], x.headers["x-api-key"] = f"Bearer {other['token']}", other["api_key"]
            memory["swapped"] = True

    def other_company_listed(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS and x.headers.get("authorization") == f"Bearer {g['token']}":
            x.headers["authorization"], x.headers["x-api-key"] = f"Bearer {other['token']}", other["api_key"]

    def unknown_found(x: Exchange) -> None:
        if _single_session(x) and x.status == 404 and x.method == "GET":
            x.status = 200
            x.response = {"success": True, "data": {"flight_session_id": x.path.rsplit("/", 1)[1]}}

    def distribution_off(status: dict[str, Any]) -> None:
        status["prediction"]["distribution"] = [0.5, 0.1, 0, 0]

    def delay_zero(status: dict[str, Any]) -> None:
        status["prediction"]["delay_index"] = 0

    def status_differs(status: dict[str, Any]) -> None:
        status["prediction"]["reasons"] = ["differs from search"]

    def inbound_differs(status: dict[str, Any]) -> None:
        if isinstance(status.get("inbound"), dict):
            status["inbound"]["prediction"]["reasons"] = ["not its own status"]

    def ignore_arrival(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search"):
            x.query.pop("arrival_airport", None)

    def exclusive_bounds(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search") and "earliest_departure" in x.query:
            x.query["earliest_departure"] = _shift(x.query["earliest_departure"], 1)

    def offset_ignored(x: Exchange) -> None:
        for bound in ("earliest_departure", "latest_departure"):
            if x.path.startswith("/flights/v1/search") and bound in x.query:
                x.query[bound] = datetime.fromisoformat(x.query[bound]).replace(tzinfo=UTC).isoformat()

    def shuffled(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search") and x.status == 200:
            random.shuffle(x.response["results"])

    def drops_item(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search") and x.status == 200 and x.response.get("next"):
            x.response["results"] = x.response["results"][:-1]

    def count_moves(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search") and x.status == 200 and "offset" in x.query:
            x.response["count"] += 1

    def previous_forward(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search") and x.status == 200 and x.response.get("previous"):
            x.response["previous"] = x.response.get("next") or x.response["previous"].replace("offset=", "offset=9")

    def put_always_201(x: Exchange) -> None:
        if x.method == "PUT" and x.status == 200:
            x.status = 201

    def created_moves(x: Exchange) -> None:
        if x.method == "PUT" and x.status == 200:
            x.response["created"] = x.response["updated"]

    def updated_frozen(x: Exchange) -> None:
        if x.method == "PUT" and x.status == 200:
            x.response["updated"] = x.response["created"]

    def delete_with_body(x: Exchange) -> None:
        if x.method == "DELETE" and x.path.startswith("/subscriptions/") and x.status == 204:
            x.status, x.response = 200, {"detail": "deleted"}

    def subscription_kept(x: Exchange) -> None:
        if x.method == "DELETE" and x.path.startswith("/subscriptions/"):
            x.method, memory["fake_delete"] = "GET", True

    def subscription_kept_answer(x: Exchange) -> None:
        if memory.pop("fake_delete", False) and x.status == 200:
            x.status, x.response = 204, None

    def any_target(x: Exchange) -> None:
        if x.method == "PUT" and isinstance(x.body, dict):
            x.body["target"] = "http://accepted.example/anything"

    def unknown_flight_subscribed(x: Exchange) -> None:
        if x.method == "PUT" and x.status == 404:
            x.status = 201
            x.response = {"flight_id": x.path.rsplit("/", 1)[1], "target": "http://x.example", "created":
                          "2020-01-01T00:00:00Z", "updated": "2020-01-01T00:00:00Z"}

    def shared_subscriptions(x: Exchange) -> None:
        if x.headers.get("authorization") == f"Token {fsay['other_token']}":
            x.headers["authorization"] = f"Token {fsay['token']}"

    def no_challenge(x: Exchange) -> None:
        if x.status == 401 and not x.path.startswith(SESSIONS):
            x.response_headers.pop("www-authenticate", None)

    def wrong_token_accepted(x: Exchange) -> None:
        if x.headers.get("authorization") == "Token conformance-wrong-token":
            x.headers["authorization"] = f"Token {fsay['token']}"

    def unknown_flight_found(x: Exchange) -> None:
        if x.status in (400, 404) and x.method == "GET" and x.path.startswith("/flights/v1/status/"):
            x.status = 200

    b = Breakage
    return {
        "garuda reads answer without the envelope": (b("env", response=garuda_success_without_envelope),
                                                     [gs.garuda_answers_in_envelope,
                                                      gs.created_session_reads_back_equal]),
        "garuda create echoes a shifted end time": (b("shift", response=echo_shifted_end),
                                                    [gs.created_session_reads_back_equal]),
        "garuda GET drops company_id": (b("drop", response=get_drops_company), [gs.created_session_reads_back_equal,
                                                                              gs.patch_changes_only_what_was_sent]),
        "garuda answers new ids its GET does not know": (b("upper", response=uppercase_ids),
                                                         [gs.new_sessions_get_ids_of_their_own,
                                                          gs.created_session_reads_back_equal]),
        "garuda new sessions share an id": (b("shared", response=shared_ids), [gs.new_sessions_get_ids_of_their_own]),
        "garuda ignores the flight_plan_id filter": (b("plan", request=ignore_plan_filter),
                                                     [gs.list_filters_match_exactly]),
        "garuda combines filters with OR": (b("or", request=or_filters), [gs.list_filters_match_exactly]),
        "garuda PATCH ignores the body": (b("patch", request=patch_ignored), [gs.patch_changes_only_what_was_sent]),
        "garuda PATCH answers another deployment": (b("patchdep", response=patch_moves_deployment),
                                                    [gs.patch_changes_only_what_was_sent]),
        "garuda DELETE keeps the session": (b("keep", request=delete_keeps),
                                            [gs.delete_returns_the_session_then_forgets_it]),
        "garuda DELETE answers 204": (b("204", response=delete_204), [gs.delete_returns_the_session_then_forgets_it,
                                                                     gs.garuda_answers_in_envelope]),
        "garuda accepts an unapproved plan": (b("unapproved", request=accept_plan(g["unapproved_flight_plan_id"])),
                                              [gs.create_rejects_unapproved_flight_plan]),
        "garuda accepts unknown references": (b("unknownref", request=accept_unknown_references),
                                              [gs.create_rejects_unknown_references]),
        "garuda accepts another company's references": (b("foreignref", request=accept_foreign_references),
                                                        [gs.create_rejects_other_companys_references]),
        "garuda fills missing fields": (b("fill", request=fill_missing), [gs.create_rejects_missing_fields]),
        "garuda ignores the API key": (b("key", request=api_key_ignored), [gs.both_credentials_required]),
        "garuda mixes companies' credentials": (b("mixed", request=mixed_companies), [gs.both_credentials_required]),
        "garuda shows another company's session": (b("visible", request=other_company_visible),
                                                   [gs.other_companys_sessions_are_invisible]),
        "garuda lists another company's sessions": (b("listed", request=other_company_listed),
                                                    [gs.other_companys_sessions_are_invisible,
                                                     gs.created_session_reads_back_equal]),
        "garuda finds unknown sessions": (b("found", response=unknown_found),
                                          [gs.unknown_session_is_refused,
                                           gs.delete_returns_the_session_then_forgets_it]),
        "flight ids in local time": (b("local", response=_on_statuses(_local_time_id)),
                                     [fs.every_flight_status_is_self_consistent]),
        "distribution not summing to one": (b("dist", response=_on_statuses(distribution_off)),
                                            [fs.every_flight_status_is_self_consistent]),
        "delay index 0": (b("delay", response=_on_statuses(delay_zero)), [fs.every_flight_status_is_self_consistent]),
        "inbound arrives after departure": (b("late", response=_on_statuses(_inbound_late)),
                                            [fs.every_flight_status_is_self_consistent]),
        "status endpoint differs from search": (b("differs", response=_on_statuses(status_differs, search=False)),
                                                [fs.status_endpoint_agrees_with_search,
                                                 fs.inbound_is_that_flights_own_status]),
        "inbound differs from its own status": (b("inb", response=_on_statuses(inbound_differs, status=False)),
                                                [fs.inbound_is_that_flights_own_status]),
        "search ignores arrival_airport": (b("arr", request=ignore_arrival), [fs.search_filters_match_exactly]),
        "search bounds exclusive": (b("excl", request=exclusive_bounds), [fs.search_bounds_are_inclusive,
                                                                          fs.search_filters_match_exactly]),
        "search bounds read as UTC": (b("utc", request=offset_ignored), [fs.search_bounds_are_inclusive]),
        "search order shuffled": (b("shuffle", response=shuffled), [fs.search_order_is_stable]),
        "search page drops an item": (b("dropitem", response=drops_item),
                                      [fs.pagination_walk_returns_every_match_once]),
        "search count moves across pages": (b("count", response=count_moves),
                                            [fs.pagination_walk_returns_every_match_once]),
        "links name another host": (b("host", response=_link_change(_host_localhost)),
                                    [fs.page_links_point_at_the_server_and_keep_filters]),
        "links drop the filters": (b("nofilter", response=_link_change(_drop_filter)),
                                   [fs.page_links_point_at_the_server_and_keep_filters,
                                    fs.pagination_walk_returns_every_match_once]),
        "previous leads forward": (b("prev", response=previous_forward), [fs.previous_leads_back]),
        "PUT answers 201 twice": (b("201", response=put_always_201), [fs.subscription_lifecycle]),
        "PUT moves created": (b("created", response=created_moves), [fs.subscription_lifecycle]),
        "PUT freezes updated": (b("updated", response=updated_frozen), [fs.subscription_lifecycle]),
        "subscription DELETE answers a body": (b("delbody", response=delete_with_body),
                                               [fs.subscription_lifecycle, fs.subscriptions_are_per_user]),
        "subscription DELETE keeps it": (b("delkeep", request=subscription_kept, response=subscription_kept_answer),
                                         [fs.subscription_lifecycle]),
        "any subscription target accepted": (b("target", request=any_target),
                                             [fs.subscription_rejects_invalid_targets]),
        "unknown flight subscribed": (b("unknownflight", response=unknown_flight_subscribed),
                                      [fs.subscription_to_unknown_flight_is_refused]),
        "subscriptions shared between users": (b("shared", request=shared_subscriptions),
                                               [fs.subscriptions_are_per_user]),
        "401 without WWW-Authenticate": (b("challenge", response=no_challenge),
                                         [fs.every_endpoint_refuses_missing_or_wrong_token]),
        "wrong token accepted": (b("wrongtoken", request=wrong_token_accepted),
                                 [fs.every_endpoint_refuses_missing_or_wrong_token]),
        "a status for an unknown or malformed FlightId": (b("found", response=unknown_flight_found),
                                                          [fs.malformed_or_unknown_flight_id_is_refused,
                                                           fs.subscription_to_unknown_flight_is_refused]),
    }
