"""Scenario checks of Garuda: round trips, filters, deletion, validation, authentication and tenant isolation.

Each takes the :class:`~conformance.target.Target`, creates what it needs (registered for deletion) and raises a
ConformanceFailure naming itself when the backend disagrees with the seed sentence its docstring quotes.

Sessions are compared by what the seed promises: its six properties, times as the epoch milliseconds they stand for
(an integer or its digits). Extra fields a backend adds (an ``updated_at`` that moves on PATCH) are its own
business. Where a request must be refused, any 4xx will do: the seed names no error status.

Other clients of the company (other checks of a ``--jobs`` run, other teams on a shared staging backend) create and
delete sessions at the same time. So a check judges the sessions it made itself, and a session it did not make only
by what no other client could explain (one that is still there, read by its id, but missing from a list it matches).
"""

from __future__ import annotations

import random
from typing import Any

import httpx

from conformance.api_clients import GarudaClient, garuda_client
from conformance.checks.garuda_responses import (
    SESSION_FIELDS,
    TIME_FIELDS,
    epoch_millis,
    garuda_envelope,
    session_fields_have_documented_form,
)
from conformance.checks.query_matching import session_matches_filters
from conformance.checks.scenario import (
    compact,
    expect,
    expect_credentials_refused,
    expect_no_violations,
    expect_refused,
    expect_status,
    json_body,
    scenario_check,
)
from conformance.target import Target

UNKNOWN_ID = "0" * 31 + "1"  # of the seed's form; an id no backend hands out in practice
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
    return {s.get("flight_session_id"): seed_view(s) for s in listed(client, **filters)}


def seed_view(session: Any) -> dict[str, Any] | None:
    """What the seed promises of a session: its six properties, times as integers."""
    if not isinstance(session, dict):
        return None
    return {field: epoch_millis(session.get(field)) if field in TIME_FIELDS else session.get(field)
            for field in SESSION_FIELDS}


def the_session(response: httpx.Response) -> dict[str, Any] | None:
    return seed_view(data_of(response))


@scenario_check
def garuda_answers_in_envelope(target: Target) -> None:
    """"{"success": true, "data": [...]}": every successful answer, of every operation, is wrapped in the envelope.
    The seed shows no error body, so errors may take any form.
    """
    client = garuda_client(target)
    created = client.create(new_session_body(target))
    body = json_body(created)
    session_id = (body.get("data") or {}).get("flight_session_id", UNKNOWN_ID) if isinstance(body, dict) else None
    responses = [client.list(), created, client.get(session_id), client.patch(session_id, {}),
                 client.delete(session_id)]
    for response in responses:
        expect_status(response, 200)
        expect_no_violations(garuda_envelope(response.status_code, json_body(response)), response)


@scenario_check
def created_session_reads_back_equal(target: Target) -> None:
    """"Each drone flight is represented by a flight session": what POST stores is what was sent (times as the same
    epoch milliseconds), and GET and the list answer the same session.
    """
    client = garuda_client(target)
    body = new_session_body(target)
    response = client.create(body)
    expect_status(response, 200)
    raw = data_of(response)
    expect(isinstance(raw, dict) and set(SESSION_FIELDS) <= set(raw), f"every property {SESSION_FIELDS}",
           sorted(raw) if isinstance(raw, dict) else raw, response)
    session = seed_view(raw)
    assert session is not None
    for field, sent in body.items():
        expect(session[field] == sent, f"{field} = {sent!r} as sent", f"{field} = {raw.get(field)!r}", response)
    read = client.get(session["flight_session_id"])
    expect_status(read, 200)
    expect(the_session(read) == session, f"GET answers the created session {compact(session)}",
           compact(data_of(read)), read)
    in_list = listed_by_id(client).get(session["flight_session_id"])
    expect(in_list == session, f"the list holds the created session {compact(session)}", compact(in_list),
           client.list())


@scenario_check
def new_sessions_get_ids_of_their_own(target: Target) -> None:
    """"Each drone flight is represented by a flight session": every new session gets an id (a non-empty string)
    that no other session has, and that id reads it back.
    """
    client = garuda_client(target)
    ids = []
    for _ in range(3):
        response = client.create(new_session_body(target))
        expect_status(response, 200)
        session_id = data_of(response).get("flight_session_id")
        expect(isinstance(session_id, str) and session_id, "a non-empty string id", session_id, response)
        read = client.get(session_id)
        expect(read.status_code == 200 and (the_session(read) or {}).get("flight_session_id") == session_id,
               f"GET of {session_id} answers that session", read.text[:300], read)
        ids.append(session_id)
    expect(len(set(ids)) == len(ids), "a different id for each new session", ids)


@scenario_check
def list_filters_match_exactly(target: Target) -> None:
    """"If both query strings are specified, only `flight sessions` that match both will be fetched. If none of the
    queries are specified, all flight sessions belonging to your company will be retrieved."
    """
    client = garuda_client(target)
    mine = create_session(client, new_session_body(target))
    everything = listed(client)
    expect(mine["flight_session_id"] in {s.get("flight_session_id") for s in everything},
           f"the session just created ({mine['flight_session_id']}) in the unfiltered list", "missing", client.list())
    deployments = {s.get("deployment_id") for s in everything} | {UNKNOWN_ID}
    plans = {s.get("flight_plan_id") for s in everything} | {UNKNOWN_ID}
    cases: list[dict[str, str]] = [{"deployment_id": d} for d in sorted(deployments)]
    cases += [{"flight_plan_id": p} for p in sorted(plans)]
    cases += [{"deployment_id": d, "flight_plan_id": p} for d in sorted(deployments) for p in sorted(plans)][:12]
    for filters in cases:
        wanted = {s["flight_session_id"] for s in everything if session_matches_filters(s, filters)}
        response = client.list(**filters)
        if not wanted and UNKNOWN_ID in filters.values() and 400 <= response.status_code < 500:
            continue  # a filter naming nothing may be refused (as django-filter does for an unknown id)
        expect_status(response, 200)
        got = data_of(response)
        strays = [s.get("flight_session_id") for s in got if not session_matches_filters(s, filters)]
        expect(not strays, f"only sessions matching every filter of {filters}", f"{strays} do not", response)
        _expect_still_listed(client, wanted - {s.get("flight_session_id") for s in got}, filters, response)


def _expect_still_listed(client: GarudaClient, missing: set[str], filters: dict[str, str],
                         response: httpx.Response) -> None:
    """Sessions of the full list that a filtered list left out: gone meanwhile (another client may delete), or
    wrongly left out (still there, still matching)."""
    for session_id in sorted(missing)[:5]:
        read = client.get(session_id)
        if read.status_code == 200 and session_matches_filters(data_of(read), filters):
            expect(False, f"{session_id}, which matches {filters}, in the filtered list", "left out", response)


@scenario_check
def patch_changes_only_what_was_sent(target: Target) -> None:
    """"To update a flight session, you can pass in any subset of the properties of the flight session in the request
    body. All properties are optional." What is sent changes and persists; what is not sent is kept.
    """
    client = garuda_client(target)
    session = seed_view(create_session(client, new_session_body(target)))
    assert session is not None
    session_id = session["flight_session_id"]
    for change in ({"end_date_time": session["end_date_time"] + 1000},
                   {"start_date_time": session["start_date_time"] - 1000}, {}):
        response = client.patch(session_id, change)
        expect_status(response, 200)
        session = {**session, **change}
        expect(the_session(response) == session, f"the session with only {change} changed: {compact(session)}",
               compact(data_of(response)), response)
        read = client.get(session_id)
        expect(read.status_code == 200 and the_session(read) == session, f"GET shows the change persisted: "
               f"{compact(session)}", read.text, read)


@scenario_check
def delete_returns_the_session_then_forgets_it(target: Target) -> None:
    """"A successful deletion will return a `200 OK` status and the deleted flight session object in the response
    body." Afterwards the session is gone: GET, PATCH and DELETE are refused (404, or 410 Gone: any 4xx) and the
    list drops it.
    """
    client = garuda_client(target)
    session = seed_view(create_session(client, new_session_body(target)))
    assert session is not None
    session_id = session["flight_session_id"]
    response = client.delete(session_id)
    expect_status(response, 200)
    expect(the_session(response) == session, f"the deleted session {compact(session)}", compact(data_of(response)),
           response)
    for after in (client.get(session_id), client.patch(session_id, {"end_date_time": session["end_date_time"] + 1}),
                  client.delete(session_id)):
        expect_refused(after, "a deleted session")
    expect(session_id not in listed_by_id(client), f"the list without {session_id}", "it is still listed",
           client.list())


def _rejected_without_trace(client: GarudaClient, body: dict[str, Any], why: str) -> None:
    expect_refused(client.create(body), f"a body with {why}")
    _expect_never_stored(client, [body], f"rejecting {why}")


def _expect_never_stored(client: GarudaClient, bodies: list[dict[str, Any]], after: str) -> None:
    """No session of the company holds any of ``bodies`` (each has times of its own, drawn at random)."""
    for body in bodies:
        sent = {field: body[field] for field in TIME_FIELDS if field in body}
        stored = [s["flight_session_id"] for s in listed_by_id(client).values()
                  if s is not None and sent and all(s.get(field) == value for field, value in sent.items())]
        expect(not stored, f"no session stored after {after}", f"{stored} holds {compact(sent)}", client.list())


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
    and of one company; anything else is refused (401 with a challenge, or 403) and changes nothing.
    """
    own = garuda_client(target)
    wrong = "conformance-wrong-credential"
    variants = {"no token": (None, own.api_key), "no API key": (own.token, None), "neither": (None, None),
                "a wrong token": (wrong, own.api_key), "a wrong API key": (own.token, wrong)}
    other_key = target.config.get("garuda.other_company.api_key")
    if other_key:
        variants["a token of one company and the API key of another"] = (own.token, other_key)
    session = seed_view(create_session(own, new_session_body(target)))
    assert session is not None
    session_id = session["flight_session_id"]
    refused_bodies = []
    for why, (token, key) in variants.items():
        client = GarudaClient(target, token, key)
        refused_bodies.append(new_session_body(target))
        for response in (client.list(), client.get(session_id), client.patch(session_id, {"end_date_time": 1}),
                         client.delete(session_id), client.create(refused_bodies[-1])):
            expect_credentials_refused(response, f"with {why}")
    read = own.get(session_id)
    expect(read.status_code == 200 and the_session(read) == session, f"the session untouched: {compact(session)}",
           read.text, read)
    _expect_never_stored(own, refused_bodies, "the refused calls")


@scenario_check
def other_companys_sessions_are_invisible(target: Target) -> None:
    """"Get a specific flight session for a deployment belonging to the company of the user." Another company's
    session is refused (404 as if unknown, or 403: any 4xx) to GET, PATCH and DELETE, is not listed, and stays
    unchanged.
    """
    own, other = garuda_client(target), garuda_client(target, "other_company")
    theirs = seed_view(create_session(other, new_session_body(target, "other_company")))
    assert theirs is not None
    their_id = theirs["flight_session_id"]
    expect_refused(own.get(their_id), "another company's session")
    expect_refused(own.patch(their_id, {"end_date_time": theirs["end_date_time"] + 1}), "another company's session")
    expect_refused(own.delete(their_id), "another company's session")
    for filters in ({}, {"deployment_id": theirs["deployment_id"]}, {"flight_plan_id": theirs["flight_plan_id"]}):
        response = own.list(**filters)
        if filters and 400 <= response.status_code < 500:
            continue  # a filter naming another company's deployment or plan may be refused: nothing is listed
        expect(their_id not in listed_by_id(own, **filters), f"another company's session not in the list {filters}",
               f"{their_id} listed", response)
    read = other.get(their_id)
    expect(read.status_code == 200 and the_session(read) == theirs, f"their session unchanged: {compact(theirs)}",
           read.text, read)


@scenario_check
def unknown_session_is_refused(target: Target) -> None:
    """"Get a specific flight session for a deployment belonging to the company of the user." An id that names no
    session of the company, of any form, is refused (any 4xx) by GET, PATCH and DELETE.
    """
    client = garuda_client(target)
    for session_id in (UNKNOWN_ID, "not-an-id"):
        for response in (client.get(session_id), client.patch(session_id, {"end_date_time": 1}),
                         client.delete(session_id)):
            expect_refused(response, f"the unknown session {session_id}")
