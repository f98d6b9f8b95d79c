"""Scenario checks of Garuda: round trips, filters, deletion, validation, authentication and tenant isolation.

Each takes the :class:`~conformance.target.Target`, creates what it needs (registered for deletion) and raises a
ConformanceFailure naming itself when the backend disagrees with the seed sentence its docstring quotes.
"""

from __future__ import annotations

import random
from typing import Any

import httpx

from conformance.api_clients import GarudaClient, garuda_client
from conformance.checks.garuda_responses import ID, SESSION_FIELDS, garuda_envelope, session_fields_have_documented_form
from conformance.checks.query_matching import session_matches_filters
from conformance.checks.scenario import (
    compact,
    expect,
    expect_no_violations,
    expect_status,
    json_body,
    scenario_check,
)
from conformance.target import Target

UNKNOWN_ID = "0" * 31 + "1"  # well-formed; an id no backend hands out in practice
REQUIRED_FIELDS = ("deployment_id", "flight_plan_id", "start_date_time", "end_date_time")


def new_session_body(target: Target, company: str = "") -> dict[str, Any]:
    """A creatable session: the config's deployment and approved plan, a random hour-long flight in ms."""
    prefix = f"garuda.{company}." if company else "garuda."
    return new_session_body_from({"deployment_id": target.config.need(prefix + "deployment_id"),
                                  "approved_flight_plan_id": target.config.need(prefix + "approved_flight_plan_id")})


def new_session_body_from(company: dict[str, Any]) -> dict[str, Any]:
    start = 1_500_000_000_000 + random.randrange(10**11)
    return {"deployment_id": company["deployment_id"], "flight_plan_id": company["approved_flight_plan_id"],
            "start_date_time": start, "end_date_time": start + 3_600_000 + random.randrange(3_600_000)}


def data_of(response: httpx.Response) -> Any:
    body = json_body(response)
    expect(isinstance(body, dict) and "data" in body, '{"success": true, "data": ...}', body, response)
    return body["data"]


def create_session(client: GarudaClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.create(body)
    expect_status(response, 200)
    session = data_of(response)
    expect_no_violations(session_fields_have_documented_form(session), response)
    return session


def listed(client: GarudaClient, **filters: str) -> list[dict[str, Any]]:
    response = client.list(**filters)
    expect_status(response, 200)
    sessions = data_of(response)
    expect(isinstance(sessions, list), "an array of flight sessions in data", sessions, response)
    return sessions


def listed_by_id(client: GarudaClient, **filters: str) -> dict[str, dict[str, Any]]:
    return {s.get("flight_session_id"): s for s in listed(client, **filters)}


@scenario_check
def garuda_answers_in_envelope(target: Target) -> None:
    """"{"success": true, "data": [...]}": every answer, success or error, is wrapped in the envelope
    (`"success": false` and a message on errors, docs/decisions.md "Error body").
    """
    client = garuda_client(target)
    created = client.create(new_session_body(target))
    session_id = (json_body(created).get("data") or {}).get("flight_session_id", UNKNOWN_ID)
    responses = [
        client.list(), created, client.get(session_id), client.patch(session_id, {}), client.delete(session_id),
        client.get(UNKNOWN_ID), client.create({}),
        GarudaClient(target, client.token, None).list(),
    ]
    for response in responses:
        expect_no_violations(garuda_envelope(response.status_code, json_body(response)), response)


@scenario_check
def created_session_reads_back_equal(target: Target) -> None:
    """"Each drone flight is represented by a flight session": what POST stores is what was sent (times exactly as
    sent, in ms), and GET and the list answer the same object.
    """
    client = garuda_client(target)
    body = new_session_body(target)
    response = client.create(body)
    expect_status(response, 200)
    session = data_of(response)
    for field, sent in body.items():
        expect(session.get(field) == sent and type(session.get(field)) is type(sent),
               f"{field} = {sent!r} as sent", f"{field} = {session.get(field)!r}", response)
    expect(set(SESSION_FIELDS) <= set(session), f"every property {SESSION_FIELDS}", sorted(session), response)
    read = client.get(session["flight_session_id"])
    expect_status(read, 200)
    expect(data_of(read) == session, f"GET answers the created session {compact(session)}",
           compact(data_of(read)), read)
    in_list = listed_by_id(client).get(session["flight_session_id"])
    expect(in_list == session, f"the list holds the created session {compact(session)}", compact(in_list),
           client.list())


@scenario_check
def new_session_id_is_32_lowercase_hex(target: Target) -> None:
    """"flight_session_id": "0b28db84d57ea15b5c26e5c3ffce67fc": a new session's id has the form every id in the seed
    has, 32 lowercase hexadecimal characters, and two sessions never share one.
    """
    client = garuda_client(target)
    ids = []
    for _ in range(2):
        response = client.create(new_session_body(target))
        expect_status(response, 200)
        session_id = data_of(response).get("flight_session_id")
        expect(isinstance(session_id, str) and ID.match(session_id), "32 lowercase hexadecimal characters",
               session_id, response)
        ids.append(session_id)
    expect(ids[0] != ids[1], "two different ids for two sessions", ids)


@scenario_check
def list_filters_match_exactly(target: Target) -> None:
    """"If both query strings are specified, only `flight sessions` that match both will be fetched. If none of the
    queries are specified, all flight sessions belonging to your company will be retrieved."
    """
    client = garuda_client(target)
    create_session(client, new_session_body(target))
    everything = listed(client)
    deployments = {s.get("deployment_id") for s in everything} | {UNKNOWN_ID}
    plans = {s.get("flight_plan_id") for s in everything} | {UNKNOWN_ID}
    cases: list[dict[str, str]] = [{"deployment_id": d} for d in sorted(deployments)]
    cases += [{"flight_plan_id": p} for p in sorted(plans)]
    cases += [{"deployment_id": d, "flight_plan_id": p} for d in sorted(deployments) for p in sorted(plans)][:12]
    for filters in cases:
        wanted = sorted(s["flight_session_id"] for s in everything if session_matches_filters(s, filters))
        response = client.list(**filters)
        expect_status(response, 200)
        got = sorted(s.get("flight_session_id") for s in data_of(response))
        expect(got == wanted, f"exactly the sessions of the full list matching {filters}: {wanted}", got, response)


@scenario_check
def patch_changes_only_what_was_sent(target: Target) -> None:
    """"To update a flight session, you can pass in any subset of the properties of the flight session in the request
    body. All properties are optional." What is sent changes and persists; what is not sent is kept.
    """
    client = garuda_client(target)
    session = create_session(client, new_session_body(target))
    session_id = session["flight_session_id"]
    for change in ({"end_date_time": session["end_date_time"] + 1000},
                   {"start_date_time": session["start_date_time"] - 1000}, {}):
        response = client.patch(session_id, change)
        expect_status(response, 200)
        session = {**session, **change}
        expect(data_of(response) == session, f"the session with only {change} changed: {compact(session)}",
               compact(data_of(response)), response)
        read = client.get(session_id)
        expect(read.status_code == 200 and data_of(read) == session, f"GET shows the change persisted: "
               f"{compact(session)}", read.text, read)


@scenario_check
def delete_returns_the_session_then_forgets_it(target: Target) -> None:
    """"A successful deletion will return a `200 OK` status and the deleted flight session object in the response
    body." Afterwards the session is gone: GET, PATCH and DELETE answer 404 and the list drops it.
    """
    client = garuda_client(target)
    session = create_session(client, new_session_body(target))
    session_id = session["flight_session_id"]
    response = client.delete(session_id)
    expect_status(response, 200)
    expect(data_of(response) == session, f"the deleted session {compact(session)}", compact(data_of(response)),
           response)
    for after in (client.get(session_id), client.patch(session_id, {"end_date_time": session["end_date_time"] + 1}),
                  client.delete(session_id)):
        expect_status(after, 404)
    expect(session_id not in listed_by_id(client), f"the list without {session_id}", "it is still listed",
           client.list())


def _rejected_without_trace(client: GarudaClient, body: dict[str, Any], why: str) -> None:
    before = listed_by_id(client)
    response = client.create(body)
    expect(400 <= response.status_code < 500 and response.status_code not in (401, 403),
           f"a 4xx rejection of a body with {why}", f"HTTP {response.status_code}: {response.text[:200]}", response)
    after = listed_by_id(client)
    expect(after == before, f"the list unchanged after rejecting {why}",
           f"new or changed: {sorted(set(after) ^ set(before))}", client.list())


@scenario_check
def create_rejects_missing_fields(target: Target) -> None:
    """"You should pass in at minimum the following details in the request body": deployment_id, flight_plan_id,
    start_date_time and end_date_time; without one, nothing is created.
    """
    client = garuda_client(target)
    complete = new_session_body(target)
    for missing in REQUIRED_FIELDS:
        _rejected_without_trace(client, {k: v for k, v in complete.items() if k != missing}, f"no {missing}")


@scenario_check
def create_rejects_unknown_references(target: Target) -> None:
    """"Each `flight session` must be tagged to a valid and approved `flight plan` and an existing `deployment`."
    """
    client = garuda_client(target)
    for field in ("deployment_id", "flight_plan_id"):
        _rejected_without_trace(client, {**new_session_body(target), field: UNKNOWN_ID}, f"an unknown {field}")


@scenario_check
def create_rejects_unapproved_flight_plan(target: Target) -> None:
    """"Each `flight session` must be tagged to a valid and approved `flight plan` and an existing `deployment`."
    """
    client = garuda_client(target)
    plan = target.config.need("garuda.unapproved_flight_plan_id")
    _rejected_without_trace(client, {**new_session_body(target), "flight_plan_id": plan}, "an unapproved flight plan")


@scenario_check
def create_rejects_other_companys_references(target: Target) -> None:
    """"deployment_id ... A valid deployment ID belonging to your company": another company's deployment or flight
    plan cannot carry your session.
    """
    client = garuda_client(target)
    for field, key in (("deployment_id", "deployment_id"), ("flight_plan_id", "approved_flight_plan_id")):
        foreign = target.config.need(f"garuda.other_company.{key}")
        _rejected_without_trace(client, {**new_session_body(target), field: foreign}, f"another company's {field}")


@scenario_check
def both_credentials_required(target: Target) -> None:
    """"-H 'Authorization: Bearer <AUTH_TOKEN>' -H 'X-API-Key: <API_KEY>'": every call needs both credentials, valid
    and of one company; anything else is 401 before the request is looked at.
    """
    own = garuda_client(target)
    wrong = "conformance-wrong-credential"
    variants = {"no token": (None, own.api_key), "no API key": (own.token, None), "neither": (None, None),
                "a wrong token": (wrong, own.api_key), "a wrong API key": (own.token, wrong)}
    other_key = target.config.get("garuda.other_company.api_key")
    if other_key:
        variants["a token of one company and the API key of another"] = (own.token, other_key)
    session = create_session(own, new_session_body(target))
    session_id = session["flight_session_id"]
    for why, (token, key) in variants.items():
        client = GarudaClient(target, token, key)
        for response in (client.list(), client.get(session_id), client.patch(session_id, {"end_date_time": 1}),
                         client.delete(session_id), client.create(new_session_body(target))):
            expect(response.status_code == 401, f"HTTP 401 with {why}", f"HTTP {response.status_code}", response)
    read = own.get(session_id)
    expect(read.status_code == 200 and data_of(read) == session, f"the session untouched: {compact(session)}",
           read.text, read)


@scenario_check
def other_companys_sessions_are_invisible(target: Target) -> None:
    """"Get a specific flight session for a deployment belonging to the company of the user." Another company's
    session answers exactly as an unknown one (404) to GET, PATCH and DELETE, is not listed, and stays unchanged.
    """
    own, other = garuda_client(target), garuda_client(target, "other_company")
    theirs = create_session(other, new_session_body(target, "other_company"))
    their_id = theirs["flight_session_id"]
    expect_status(own.get(their_id), 404)
    expect_status(own.patch(their_id, {"end_date_time": theirs["end_date_time"] + 1}), 404)
    expect_status(own.delete(their_id), 404)
    for filters in ({}, {"deployment_id": theirs["deployment_id"]}, {"flight_plan_id": theirs["flight_plan_id"]}):
        expect(their_id not in listed_by_id(own, **filters), f"another company's session not in the list {filters}",
               f"{their_id} listed", own.list(**filters))
    read = other.get(their_id)
    expect(read.status_code == 200 and data_of(read) == theirs, f"their session unchanged: {compact(theirs)}",
           read.text, read)


@scenario_check
def unknown_session_is_404(target: Target) -> None:
    """"Get a specific flight session for a deployment belonging to the company of the user." An id that names no
    session of the company answers 404 to GET, PATCH and DELETE; a malformed id answers 400 or 404.
    """
    client = garuda_client(target)
    for response in (client.get(UNKNOWN_ID), client.patch(UNKNOWN_ID, {"end_date_time": 1}),
                     client.delete(UNKNOWN_ID)):
        expect_status(response, 404)
    for response in (client.get("not-an-id"), client.delete("NOT-AN-ID")):
        expect_status(response, 400, 404)
