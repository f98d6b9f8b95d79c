"""Backends for the live checks to judge: the mock broken in one way each, and the mock differing in ways the seeds
allow (seed-rule.md), each as a :class:`~tests.conformance.breakage.Breakage` around the mock.

``broken(other_flight)``: name -> (breakage, the live checks that must catch it, whether only exclusive tenants can
tell). ``legitimate()``: name -> breakage, which no live check may flag, exclusive tenants or not.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.conformance.breakage import SESSIONS, Breakage, Exchange
from tests.mock.conftest import ALICE, BOB, GARUDA, GARUDA_OTHER

SEEDED_SESSION = "0b28db84d57ea15b5c26e5c3ffce67fc"  # the seed's own session, in the fixtures
KEYS = {GARUDA["Authorization"]: GARUDA["X-API-Key"], GARUDA_OTHER["Authorization"]: GARUDA_OTHER["X-API-Key"]}
Variant = tuple[Breakage, set[str], bool]


def _by_id(x: Exchange) -> str | None:
    return x.path.removeprefix(SESSIONS + "/") if x.path.startswith(SESSIONS + "/") else None


def _not_found(x: Exchange) -> None:
    x.status, x.response = 404, {"success": False, "message": "Flight session not found"}


def _links(change: Callable[[str], str]) -> Callable[[Exchange], None]:
    def response(x: Exchange) -> None:
        for name in ("next", "previous"):
            if isinstance(x.response, dict) and isinstance(x.response.get(name), str):
                x.response[name] = change(x.response[name])
    return response


def _without(parameter: str) -> Callable[[str], str]:
    def change(link: str) -> str:
        parts = urlsplit(link)
        return urlunsplit(parts._replace(query="&".join(p for p in parts.query.split("&")
                                                        if not p.startswith(parameter + "="))))
    return change


def broken(other_flight: str) -> dict[str, Variant]:
    """Each breaks one rule a live check enforces; ``other_flight`` is a real flight's id, for a wrong answer."""
    created: set[str] = set()
    deleted: dict[str, Any] = {}
    first_targets: dict[str, str] = {}

    def list_ignores_deployment(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS:
            x.query.pop("deployment_id", None)

    def filters_or(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS and len(x.query) == 2:
            x.query.pop("deployment_id")  # the plan's sessions, whatever their deployment

    def times_in_seconds(x: Exchange) -> None:
        if x.method in ("POST", "PATCH"):
            for session in x.sessions():
                for field in ("start_date_time", "end_date_time"):
                    session[field] //= 1000

    def patch_not_stored(x: Exchange) -> None:
        if x.method == "PATCH" and isinstance(x.body, dict):
            x.headers["x-sent"], x.body = json.dumps(x.body), {}

    def patch_echoes_sent(x: Exchange) -> None:
        if x.method == "PATCH" and "x-sent" in x.headers and isinstance(x.data, dict):
            x.response["data"].update(json.loads(x.headers["x-sent"]))

    def delete_keeps(x: Exchange) -> None:
        if x.method == "DELETE" and _by_id(x):
            x.method = "GET"

    def remember_created(x: Exchange) -> None:
        if x.method == "POST" and isinstance(x.data, dict):
            created.add(x.response["data"]["flight_session_id"])
        elif x.method == "GET" and _by_id(x) in created:
            _not_found(x)

    def second_delete_200(x: Exchange) -> None:
        if x.method != "DELETE" or not _by_id(x):
            return
        if x.status == 200:
            deleted[x.path] = x.response
        elif x.status == 404 and x.path in deleted:
            x.status, x.response = 200, deleted[x.path]

    def key_ignored(x: Exchange) -> None:
        token = x.headers.get("authorization", "")
        if x.path.startswith(SESSIONS) and token in KEYS and not x.headers.get("x-api-key"):
            x.headers["x-api-key"] = KEYS[token]

    def mixed_companies(x: Exchange) -> None:
        token = x.headers.get("authorization", "")
        if x.path.startswith(SESSIONS) and token in KEYS and x.headers.get("x-api-key") in KEYS.values():
            x.headers["x-api-key"] = KEYS[token]  # the token decides; the key is only checked to exist

    def other_company_listed(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS and x.headers.get("authorization") == GARUDA["Authorization"]:
            x.headers["authorization"], x.headers["x-api-key"] = GARUDA_OTHER["Authorization"], GARUDA_OTHER[
                "X-API-Key"]

    def id_never_stored(x: Exchange) -> None:
        if x.method == "POST" and isinstance(x.data, dict):
            x.response["data"]["flight_session_id"] = secrets.token_hex(16)

    def another_session(x: Exchange) -> None:
        if x.method == "GET" and _by_id(x) and _by_id(x) != SEEDED_SESSION:
            x.path = f"{SESSIONS}/{SEEDED_SESSION}"

    def subscription_of_another_flight(x: Exchange) -> None:
        if x.path.startswith("/subscriptions/") and isinstance(x.response, dict) and "flight_id" in x.response:
            x.response["flight_id"] = other_flight

    def created_moves(x: Exchange) -> None:
        if x.method == "PUT" and x.status == 200:
            x.response["created"] = x.response["updated"]

    def other_target(x: Exchange) -> None:
        if x.method == "PUT" and isinstance(x.response, dict) and "target" in x.response:
            x.response["target"] = "https://elsewhere.example.com/"

    def another_flight(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/status/"):
            x.path = f"/flights/v1/status/{other_flight}"

    def bounds_ignored(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search"):
            x.query.pop("earliest_departure", None)
            x.query.pop("latest_departure", None)

    def offset_ignored(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search"):
            x.query.pop("offset", None)

    def limit_ignored(x: Exchange) -> None:
        if x.path.startswith("/flights/v1/search"):
            x.query.pop("limit", None)

    def subscription_kept(x: Exchange) -> None:
        if x.method == "DELETE" and x.path.startswith("/subscriptions/"):
            x.method, x.headers["x-fake-delete"] = "GET", "1"

    def subscription_kept_answer(x: Exchange) -> None:
        if x.headers.get("x-fake-delete") and x.status == 200:
            x.status, x.response = 204, None

    def token_ignored(x: Exchange) -> None:
        if x.path.startswith(("/flights/", "/subscriptions")) and not x.headers.get("authorization"):
            x.headers["authorization"] = ALICE["Authorization"]

    def target_not_stored(x: Exchange) -> None:
        if x.method == "PUT" and isinstance(x.body, dict) and "target" in x.body:
            first = first_targets.setdefault(x.path, x.body["target"])
            x.headers["x-sent"], x.body["target"] = x.body["target"], first

    def target_echoed(x: Exchange) -> None:
        if x.method == "PUT" and "x-sent" in x.headers and isinstance(x.response, dict):
            x.response["target"] = x.headers["x-sent"]

    def shared_between_users(x: Exchange) -> None:
        if x.headers.get("authorization") == BOB["Authorization"]:
            x.headers["authorization"] = ALICE["Authorization"]

    b = Breakage
    return {
        "Garuda list ignores deployment_id": (b("dep", request=list_ignores_deployment),
                                              {"garuda_list_honours_every_filter"}, False),
        "Garuda filters combine with OR": (b("or", request=filters_or), {"garuda_list_honours_every_filter"}, False),
        "Garuda times echoed in seconds": (b("seconds", response=times_in_seconds),
                                           {"garuda_write_echoes_what_was_sent"}, False),
        "Garuda PATCH answered but not stored": (b("patch", request=patch_not_stored, response=patch_echoes_sent),
                                                 {"patched_values_persist"}, True),
        "Garuda DELETE keeps the session": (b("keep", request=delete_keeps), {"deleted_session_stays_deleted"},
                                            False),
        "Garuda created id answers 404 but is listed": (b("404", response=remember_created),
                                                        {"deleted_session_stays_deleted"}, False),
        "Garuda second DELETE answers 200": (b("twice", response=second_delete_200),
                                             {"deleted_session_stays_deleted"}, False),
        "Garuda POST answers an id it never stored": (b("phantom", response=id_never_stored),
                                                      {"created_session_stays_readable"}, True),
        "Garuda 2xx without the API key": (b("key", request=key_ignored),
                                           {"garuda_success_needs_both_credentials"}, False),
        "Garuda 2xx to two companies' credentials": (b("mixed", request=mixed_companies),
                                                     {"credentials_answer_for_one_company"}, False),
        "Garuda lists another company's sessions": (b("listed", request=other_company_listed),
                                                    {"credentials_answer_for_one_company"}, False),
        "Garuda GET answers another session": (b("another", request=another_session),
                                               {"garuda_answer_is_the_session_asked"}, False),
        "subscription answers another flight": (b("subflight", response=subscription_of_another_flight),
                                                {"subscription_is_the_flight_asked"}, False),
        "status answers another flight": (b("other", request=another_flight), {"status_is_the_flight_asked"}, False),
        "search ignores its bounds": (b("bounds", request=bounds_ignored), {"search_results_honour_every_filter"},
                                      False),
        "search ignores offset": (b("offset", request=offset_ignored),
                                  {"page_respects_limit_and_offset", "page_links_keep_the_query"}, False),
        "search ignores limit": (b("limit", request=limit_ignored), {"page_respects_limit_and_offset"}, False),
        "page links drop the filters": (b("links", response=_links(_without("departure_airport"))),
                                        {"page_links_keep_the_query"}, False),
        "Flightsayer 2xx without a token": (b("token", request=token_ignored), {"flightsayer_success_needs_a_token"},
                                            False),
        "PUT answers another target": (b("target", response=other_target), {"put_subscription_echoes_the_target"},
                                       False),
        "subscription created moves on update": (b("created", response=created_moves),
                                                 {"subscription_created_is_kept"}, False),
        "subscription DELETE keeps it": (b("subkeep", request=subscription_kept, response=subscription_kept_answer),
                                         {"deleted_subscription_stays_deleted"}, False),
        "subscription target answered but not stored": (b("subtarget", request=target_not_stored,
                                                          response=target_echoed),
                                                        {"subscription_target_reads_back"}, True),
        "subscriptions shared between users": (b("shared", request=shared_between_users),
                                               {"subscriptions_stay_with_their_user"}, True),
    }


def legitimate() -> dict[str, Breakage]:
    """Backends that differ from the mock only where the seeds are silent or allow either reading."""
    gone: set[str] = set()

    def extra_fields(x: Exchange) -> None:
        for session in x.sessions():
            session["updated_at"] = datetime.now().isoformat()
        if isinstance(x.response, dict) and not x.path.startswith(SESSIONS):
            x.response["served_by"] = "replica-2"
            for item in x.response.get("results") or []:
                if isinstance(item, dict):
                    item["extra"] = {"note": None}

    def forbidden_not_unauthorized(x: Exchange) -> None:
        if x.status == 401:
            x.status = 403
            x.response_headers.pop("www-authenticate", None)

    def gone_after_delete(x: Exchange) -> None:
        if x.method == "DELETE" and x.status == 200 and _by_id(x):
            gone.add(x.path)
        elif x.status == 404 and x.path in gone:
            x.status, x.response = 410, {"success": False, "message": "Gone"}

    def times_as_digit_strings(x: Exchange) -> None:
        for session in x.sessions():
            for field in ("start_date_time", "end_date_time"):
                session[field] = str(session[field])

    def capped_page_size(x: Exchange) -> None:
        if x.path.startswith(("/flights/v1/search", "/subscriptions")) and x.query.get("limit", "").isdigit():
            x.query["limit"] = str(min(int(x.query["limit"]), 1))

    def trailing_slash(link: str) -> str:
        parts = urlsplit(link)
        return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/"))

    def any_error_body(x: Exchange) -> None:
        if x.status >= 400:
            x.response = {"errors": [{"code": x.status}]}

    def offsets_and_whole_seconds(x: Exchange) -> None:
        subscriptions = [x.response] if x.path.startswith("/subscriptions/") and isinstance(x.response, dict) else []
        if x.path.rstrip("/") == "/subscriptions" and isinstance(x.response, dict):
            subscriptions = x.response.get("results") or []
        for subscription in subscriptions:
            for field in ("created", "updated"):
                if isinstance(subscription.get(field), str):
                    moment = datetime.fromisoformat(subscription[field]).replace(microsecond=0)
                    subscription[field] = moment.isoformat()  # "+00:00", whole seconds as in the seed

    def normalised_target(x: Exchange) -> None:
        if x.method == "PUT" and isinstance(x.response, dict) and isinstance(x.response.get("target"), str):
            parts = urlsplit(x.response["target"])
            x.response["target"] = urlunsplit(parts._replace(netloc=parts.netloc.upper() + ":443"))

    def list_reversed(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS and isinstance(x.data, list):
            x.response["data"].reverse()

    b = Breakage
    return {
        "the mock": b("none"),
        "extra fields everywhere": b("extra", response=extra_fields),
        "403 instead of 401": b("403", response=forbidden_not_unauthorized),
        "410 after delete": b("410", response=gone_after_delete),
        "Garuda times as digit strings": b("digits", response=times_as_digit_strings),
        "a page size capped at 1": b("cap", request=capped_page_size),
        "page links with a trailing slash": b("slash", response=_links(trailing_slash)),
        "any error body": b("errors", response=any_error_body),
        "subscription times in whole seconds and +00:00": b("seconds", response=offsets_and_whole_seconds),
        "subscription target normalised": b("normal", response=normalised_target),
        "Garuda list in another order": b("order", response=list_reversed),
    }
