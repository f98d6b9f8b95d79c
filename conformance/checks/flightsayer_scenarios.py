"""Scenario checks of Flightsayer: status vs search, filters, bounds, pagination, subscriptions, auth, isolation.

Flights are discovered through search, never assumed. Subscriptions are made on flights the user has none on, and
deleted afterwards through the target's undo list.
"""

from __future__ import annotations

import time
from datetime import timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.api_clients import FLIGHTSAYER_SEARCH, FlightsayerClient, flightsayer_client
from conformance.checks.flightsayer_responses import (
    FLIGHT_ID,
    page_shape,
    response_violations,
    subscription_times_are_ordered,
)
from conformance.checks.query_matching import link_loses, search_filters_missed
from conformance.checks.scenario import (
    compact,
    expect,
    expect_no_violations,
    expect_status,
    json_body,
    read_only,
    scenario_check,
    short_body,
)
from conformance.checks.timestamps import parse_timestamp
from conformance.target import Target

MALFORMED_FLIGHT_IDS = ("not-a-flight", "DL05267GTRATL1608260204", "dl5267gtratl1608260204", "DL5267GTRATL16082602")
TARGETS = ("http://conformance.example/hook", "https://conformance.example/other?x=1")
INVALID_TARGETS = {"a relative URL": "/hooks/flight", "an ftp URL": "ftp://conformance.example/hook",
                   "not a URL": "not a url", "an empty string": ""}
MAX_WALK_PAGES = 200


def page(response: httpx.Response) -> dict[str, Any]:
    expect_status(response, 200)
    body = json_body(response)
    expect(isinstance(body, dict), "a page object", body, response)
    expect_no_violations(page_shape(body), response)
    return body


def ids_of(statuses: list[dict[str, Any]]) -> list[str]:
    return [(s.get("flight") or {}).get("id") for s in statuses]


def discover(client: FlightsayerClient, **filters: Any) -> list[dict[str, Any]]:
    """Up to 100 flights the backend knows (matching ``filters``); skips the check if it knows none."""
    import pytest

    results = page(client.search(limit=100, **filters))["results"]
    if not results:
        pytest.skip(f"the backend's search {filters or ''} found no flight to check against")
    return results


def walk(client: FlightsayerClient, first: httpx.Response) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(every page, every result) from ``first`` following ``next``, checking ``count`` stays the same."""
    pages, body, response = [], page(first), first
    while True:
        pages.append(body)
        expect(body["count"] == pages[0]["count"], f"count {pages[0]['count']} on every page", body["count"],
               response)
        if body.get("next") is None:
            break
        expect(len(pages) < MAX_WALK_PAGES, f"fewer than {MAX_WALK_PAGES} pages", "more", response)
        response = client.follow(body["next"])
        body = page(response)
    return pages, [result for p in pages for result in p["results"]]


def search_all(client: FlightsayerClient, **filters: Any) -> list[dict[str, Any]]:
    return walk(client, client.search(limit=100, **filters))[1]


def unknown_flight_id(flight: dict[str, Any], *, reverse: bool = False) -> str:
    """A well-formed FlightId of a discovered flight's route that departs on 2000-01-01 00:01Z: no backend has it."""
    ends = [flight["origin"]["iata"], flight["destination"]["iata"]]
    ends = ends[::-1] if reverse else ends
    return f"{flight['carrier']['iata']}{flight['number']}{ends[0]}{ends[1]}0001010001"


def other_offset(value: str) -> timezone:
    """A fixed offset different from both UTC and the one ``value`` is written in."""
    parsed = parse_timestamp(value)
    assert parsed is not None
    for hours, minutes in ((9, 30), (-3, -30), (5, 45)):
        zone = timezone(timedelta(hours=hours, minutes=minutes))
        if parsed.utcoffset() != zone.utcoffset(None):
            return zone
    raise AssertionError("unreachable")


@read_only
@scenario_check
def every_flight_status_is_self_consistent(target: Target, pages: int = 3, sample: int = 5) -> None:
    """"A flight id uniquely represents a flight, and takes the form: <IATA carrier code><flight number><departure
    airport><arrival airport><scheduled departure time as YYMMDDHHMM in UTC time>." Every status, searched or read,
    nested inbound included, passes every per-response check (conformance/checks/flightsayer_responses.py).
    """
    client = flightsayer_client(target)
    response = client.search(limit=50)
    for _ in range(pages):
        body = page(response)
        expect_no_violations(response_violations(body), response)
        if not body.get("next"):
            break
        response = client.follow(body["next"])
    for flight_id in ids_of(discover(client))[:sample]:
        status = client.status(flight_id)
        expect_status(status, 200)
        expect_no_violations(response_violations(json_body(status)), status)


@read_only
@scenario_check
def status_endpoint_agrees_with_search(target: Target, sample: int = 5) -> None:
    """"Retrieves the status of a specific flight." The status endpoint answers, for a flight found by search, the
    very FlightStatus the search gave.
    """
    client = flightsayer_client(target)
    results = discover(client)
    step = max(1, len(results) // sample)
    for found in results[::step][:sample]:
        response = client.status(found["flight"]["id"])
        expect_status(response, 200)
        expect(json_body(response) == found, f"the search's result {compact(found)[:400]}",
               compact(json_body(response))[:400], response)


@read_only
@scenario_check
def inbound_is_that_flights_own_status(target: Target, sample: int = 5) -> None:
    """"inbound (FlightStatus, optional) - flight status for the incoming flight": the inbound object is that flight's
    status exactly as its own status endpoint answers it.
    """
    client = flightsayer_client(target)
    with_inbound = [s for s in discover(client) if isinstance(s.get("inbound"), dict)][:sample]
    if not with_inbound:
        import pytest

        pytest.skip("no discovered flight has an inbound flight")
    for status in with_inbound:
        inbound = status["inbound"]
        response = client.status(inbound["flight"]["id"])
        expect_status(response, 200)
        expect(json_body(response) == inbound, f"the inbound of {status['flight']['id']}: {compact(inbound)[:400]}",
               compact(json_body(response))[:400], response)


@read_only
@scenario_check
def search_filters_match_exactly(target: Target) -> None:
    """"departure_airport: BOS (string, optional) - filters by departure airport"; "arrival_airport: DEN (string,
    optional) - filters by arrival airport": each result matches every filter given, and a narrower search is exactly
    the wider one's results that match the extra filter.
    """
    client = flightsayer_client(target)
    sample = discover(client)[0]["flight"]
    origin, destination = sample["origin"]["iata"], sample["destination"]["iata"]
    from_origin = search_all(client, departure_airport=origin)
    expect(all(s["flight"]["origin"]["iata"] == origin for s in from_origin),
           f"only flights departing {origin}", sorted({s['flight']['origin']['iata'] for s in from_origin}),
           client.search(departure_airport=origin, limit=100))
    to_destination = search_all(client, arrival_airport=destination)
    expect(all(s["flight"]["destination"]["iata"] == destination for s in to_destination),
           f"only flights arriving {destination}", sorted({s['flight']['destination']['iata'] for s in to_destination}),
           client.search(arrival_airport=destination, limit=100))
    both = search_all(client, departure_airport=origin, arrival_airport=destination)
    wanted = [s for s in from_origin if s["flight"]["destination"]["iata"] == destination]
    expect(sorted(ids_of(both)) == sorted(ids_of(wanted)), f"the {origin} results arriving {destination}: "
           f"{sorted(ids_of(wanted))}", sorted(ids_of(both)),
           client.search(departure_airport=origin, arrival_airport=destination, limit=100))
    expect(sample["id"] in ids_of(both), f"{sample['id']} among {origin}->{destination}", ids_of(both),
           client.search(departure_airport=origin, arrival_airport=destination, limit=100))
    departures = sorted(parse_timestamp(s["flight"]["scheduled_departure"]) for s in from_origin)
    earliest, latest = departures[len(departures) // 4], departures[(3 * len(departures)) // 4]
    bounds = {"departure_airport": origin, "earliest_departure": earliest.isoformat(),
              "latest_departure": latest.isoformat()}
    bounded = search_all(client, **bounds)
    wanted = [s for s in from_origin if not search_filters_missed(s, bounds)]
    expect(sorted(ids_of(bounded)) == sorted(ids_of(wanted)), f"the {origin} results departing in [{earliest}, "
           f"{latest}]: {sorted(ids_of(wanted))}", sorted(ids_of(bounded)), client.search(limit=100, **bounds))


@read_only
@scenario_check
def search_bounds_are_inclusive(target: Target) -> None:
    """"earliest_departure: 2016-06-24T18:30:00Z (timestamp, optional) - filters flights by minumum scheduled departure
    time (inclusive)", likewise latest_departure: a flight departing exactly at both bounds, written in any offset,
    is found, and only flights departing at that instant are.
    """
    client = flightsayer_client(target)
    for sample in discover(client)[:3]:
        departure = sample["flight"]["scheduled_departure"]
        instant = parse_timestamp(departure)
        written = instant.astimezone(other_offset(departure)).isoformat()
        params = {"earliest_departure": written, "latest_departure": written, "limit": 100}
        response = client.search(**params)
        found = page(response)["results"]
        expect(sample["flight"]["id"] in ids_of(found), f"{sample['flight']['id']} (departing {departure}) found with "
               f"both bounds {written}", ids_of(found), response)
        strays = [s["flight"]["id"] for s in found if parse_timestamp(s["flight"]["scheduled_departure"]) != instant]
        expect(not strays, f"only flights departing at {departure}", strays, response)


@read_only
@scenario_check
def search_order_is_stable(target: Target) -> None:
    """"next (string, optional) - url pointing to the next set of paginated results": paging only works if the same
    search answers in the same order every time.
    """
    client = flightsayer_client(target)
    first, again = page(client.search(limit=100)), client.search(limit=100)
    expect(ids_of(page(again)["results"]) == ids_of(first["results"]), f"the same order: {ids_of(first['results'])}",
           ids_of(page(again)["results"]), again)


@read_only
@scenario_check
def pagination_walk_returns_every_match_once(target: Target) -> None:
    """"count (number, required) - number of flights matching the filter"; "next (string, optional) - url pointing to
    the next set of paginated results": following next from the first page yields every match exactly once, and
    count stays the same on every page.
    """
    client = flightsayer_client(target)
    origin = discover(client)[0]["flight"]["origin"]["iata"]
    everything = page(client.search(departure_airport=origin, limit=100))
    limit = max(1, min(100, everything["count"] // 3 or 1))
    first = client.search(departure_airport=origin, limit=limit)
    pages, results = walk(client, first)
    ids = ids_of(results)
    expect(len(ids) == len(set(ids)), "no flight twice across pages",
           sorted({i for i in ids if ids.count(i) > 1}), first)
    expect(len(ids) == pages[0]["count"], f"count={pages[0]['count']} results in all", len(ids), first)
    if everything["count"] <= 100:
        expect(sorted(ids) == sorted(ids_of(everything["results"])), f"the same flights as one page of 100: "
               f"{sorted(ids_of(everything['results']))}", sorted(ids), first)


@read_only
@scenario_check
def page_links_point_at_the_server_and_keep_filters(target: Target) -> None:
    """"next": "https://api.flightsayer.com/flights/v1/search/?limit=50&earliest_departure=...&offset=50": links
    are absolute URLs of the server that answered, on the same route, keeping every filter and the page size.
    """
    client = flightsayer_client(target)
    origin = discover(client)[0]["flight"]["origin"]["iata"]
    base = urlsplit(target.base_url)
    filters = {"departure_airport": origin, "earliest_departure": "2000-01-01T00:00:00Z", "limit": 1}
    response = client.search(**filters)
    body = page(response)
    links = [body.get("next")]
    if body.get("next"):
        second = page(client.follow(body["next"]))
        links += [second.get("next"), second.get("previous")]
    for link in filter(None, links):
        parts = urlsplit(link)
        expect((parts.scheme, parts.hostname, parts.port or None) == (base.scheme, base.hostname, base.port or None),
               f"a link to {base.scheme}://{base.netloc}", link, response)
        expect(parts.path.rstrip("/") == FLIGHTSAYER_SEARCH, f"a link to {FLIGHTSAYER_SEARCH}", link, response)
        for name in link_loses(link, filters):
            expect(False, f"{name}={filters[name]} kept in the link", link, response)


@read_only
@scenario_check
def previous_leads_back(target: Target) -> None:
    """"previous (string, optional) - url pointing to the previous set of paginated results": from the second page,
    previous answers the first page again.
    """
    client = flightsayer_client(target)
    first_response = client.search(limit=2)
    first = page(first_response)
    if not first.get("next"):
        import pytest

        pytest.skip("the backend's search has a single page")
    expect(first.get("previous") is None, "no previous link on the first page", first.get("previous"), first_response)
    second_response = client.follow(first["next"])
    second = page(second_response)
    expect(second.get("previous"), "a previous link on the second page", second.get("previous"), second_response)
    back_response = client.follow(second["previous"])
    back = page(back_response)
    expect(ids_of(back["results"]) == ids_of(first["results"]), f"the first page {ids_of(first['results'])}",
           ids_of(back["results"]), back_response)


def unsubscribed_flight(client: FlightsayerClient, skip: int = 0) -> str:
    """A discovered flight the client's user has no subscription to (so the check owns what it creates)."""
    import pytest

    for flight_id in ids_of(discover(client))[skip:]:
        if client.subscription(flight_id).status_code == 404:
            return flight_id
    pytest.skip("every discovered flight already has a subscription of this user")


def subscriptions_by_flight(client: FlightsayerClient) -> dict[str, dict[str, Any]]:
    return {s.get("flight_id"): s for s in walk(client, client.subscriptions(limit=100))[1]}


@scenario_check
def subscription_lifecycle(target: Target, pause: float = 1.1) -> None:
    """"+ Response 201 (application/json) New subscription created." / "+ Response 200 (application/json) Existing
    subscription updated": PUT creates (201) then replaces (200, created kept, updated moves); GET and the list show
    it; DELETE answers 204 with no body, after which GET and DELETE answer 404.
    """
    client = flightsayer_client(target)
    flight_id = unsubscribed_flight(client)
    created_response = client.subscribe(flight_id, {"target": TARGETS[0]})
    expect_status(created_response, 201)
    created = json_body(created_response)
    expect_no_violations(subscription_times_are_ordered(created), created_response)
    expect(created.get("flight_id") == flight_id and created.get("target") == TARGETS[0],
           f"flight_id {flight_id} and target {TARGETS[0]}", compact(created), created_response)
    time.sleep(pause)  # timestamps may have one-second resolution; "updated" must be able to move
    updated_response = client.subscribe(flight_id, {"target": TARGETS[1]})
    expect_status(updated_response, 200)
    updated = json_body(updated_response)
    expect_no_violations(subscription_times_are_ordered(updated), updated_response)
    expect(updated.get("target") == TARGETS[1], f"target {TARGETS[1]}", updated.get("target"), updated_response)
    expect(parse_timestamp(updated.get("created")) == parse_timestamp(created.get("created")),
           f"created kept: {created.get('created')}", updated.get("created"), updated_response)
    expect(parse_timestamp(updated.get("updated")) > parse_timestamp(created.get("updated")),
           f"updated after the first PUT's {created.get('updated')}", updated.get("updated"), updated_response)
    read = client.subscription(flight_id)
    expect(read.status_code == 200 and json_body(read) == updated, f"GET answers {compact(updated)}",
           short_body(read), read)
    listed = subscriptions_by_flight(client).get(flight_id)
    expect(listed == updated, f"the list holds {compact(updated)}", compact(listed), client.subscriptions(limit=100))
    deleted = client.unsubscribe(flight_id)
    expect_status(deleted, 204)
    expect(deleted.content == b"", "an empty body with 204", short_body(deleted), deleted)
    expect_status(client.subscription(flight_id), 404)
    expect_status(client.unsubscribe(flight_id), 404)
    expect(flight_id not in subscriptions_by_flight(client), f"the list without {flight_id}", "still listed",
           client.subscriptions(limit=100))


def _rejected_without_trace(client: FlightsayerClient, flight_id: str, body: Any, status: int, why: str) -> None:
    before = subscriptions_by_flight(client)
    response = client.subscribe(flight_id, body)
    expect(response.status_code == status, f"HTTP {status} for {why}", f"HTTP {response.status_code}: "
           f"{short_body(response)}", response)
    expect_status(client.subscription(flight_id), 404 if status == 400 or FLIGHT_ID.match(flight_id) else 400)
    after = subscriptions_by_flight(client)
    expect(after == before, f"the subscription list unchanged after {why}",
           f"changed: {sorted(set(after) ^ set(before))}", client.subscriptions(limit=100))


@scenario_check
def subscription_rejects_invalid_targets(target: Target) -> None:
    """"target (string, required) - url to which POST requests indicating change to flight status will be sent." A
    target that is not an absolute http(s) URL, or none, is a 400 and stores nothing.
    """
    client = flightsayer_client(target)
    flight_id = unsubscribed_flight(client)
    for why, value in INVALID_TARGETS.items():
        _rejected_without_trace(client, flight_id, {"target": value}, 400, f"a target that is {why}")
    _rejected_without_trace(client, flight_id, {}, 400, "no target")


@scenario_check
def subscription_to_unknown_flight_is_404(target: Target) -> None:
    """"flight_id: UA576BOSSFO1606092145 (FlightId, required)": a well-formed FlightId the service does not know
    answers 404 and no subscription is made.
    """
    client = flightsayer_client(target)
    sample = discover(client)[0]["flight"]
    unknown = unknown_flight_id(sample)
    _rejected_without_trace(client, unknown, {"target": TARGETS[0]}, 404, "an unknown flight")
    expect_status(client.status(unknown), 404)


@scenario_check
def subscriptions_are_per_user(target: Target) -> None:
    """"Retrieve all current flight subscriptions": a user sees, reads and deletes only their own subscriptions, and
    two users subscribing to one flight hold two independent subscriptions.
    """
    alice, bob = flightsayer_client(target), flightsayer_client(target, "other_token")
    flight_id = unsubscribed_flight(alice)
    if bob.subscription(flight_id).status_code != 404:
        import pytest

        pytest.skip(f"the other user already subscribes to {flight_id}")
    mine_response = alice.subscribe(flight_id, {"target": TARGETS[0]})
    expect_status(mine_response, 201)
    mine = json_body(mine_response)
    expect_status(bob.subscription(flight_id), 404)
    expect(flight_id not in subscriptions_by_flight(bob), f"{flight_id} not in the other user's list", "listed",
           bob.subscriptions(limit=100))
    expect_status(bob.unsubscribe(flight_id), 404)
    theirs = bob.subscribe(flight_id, {"target": TARGETS[1]})
    expect_status(theirs, 201)
    expect(json_body(theirs).get("target") == TARGETS[1], f"the other user's target {TARGETS[1]}",
           json_body(theirs).get("target"), theirs)
    read = alice.subscription(flight_id)
    expect(read.status_code == 200 and json_body(read) == mine, f"the first user's subscription unchanged: "
           f"{compact(mine)}", short_body(read), read)
    expect_status(bob.unsubscribe(flight_id), 204)
    read = alice.subscription(flight_id)
    expect(read.status_code == 200 and json_body(read) == mine, f"the first user's subscription survives the other's "
           f"DELETE: {compact(mine)}", short_body(read), read)


@scenario_check
def every_endpoint_refuses_missing_or_wrong_token(target: Target) -> None:
    """"curl -v https://api.flightsayer.com/flights/v1/status/9K1037BOSSLK1606102040 -H 'Authorization: Token <insert
    token>'": without a valid token every endpoint answers 401 with a WWW-Authenticate challenge, and changes nothing.
    """
    own = flightsayer_client(target)
    flight_id = ids_of(discover(own))[0]
    before = own.subscription(flight_id)
    for token in (None, "conformance-wrong-token"):
        client = FlightsayerClient(target, token)
        for response in (client.status(flight_id), client.search(), client.subscriptions(),
                         client.subscribe(flight_id, {"target": TARGETS[0]}), client.subscription(flight_id),
                         client.unsubscribe(flight_id)):
            why = "without a token" if token is None else "for a wrong token"
            expect(response.status_code == 401, f"HTTP 401 {why}",
                   f"HTTP {response.status_code}", response)
            expect(response.headers.get("WWW-Authenticate"), "a WWW-Authenticate header with the 401",
                   dict(response.headers), response)
    after = own.subscription(flight_id)
    expect((after.status_code, after.content) == (before.status_code, before.content),
           f"the user's subscription state for {flight_id} unchanged", short_body(after), after)


@scenario_check
def malformed_flight_id_is_400_unknown_is_404(target: Target) -> None:
    """"flight id in the form of <IATA carrier code><flight number><departure airport><arrival airport><scheduled
    departure time as YYMMDDHHMM in UTC time>": an id not of this form is a client error (400), a well-formed id of
    no known flight is 404.
    """
    client = flightsayer_client(target)
    for flight_id in MALFORMED_FLIGHT_IDS:
        for response in (client.status(flight_id), client.subscription(flight_id), client.unsubscribe(flight_id),
                         client.subscribe(flight_id, {"target": TARGETS[0]})):
            expect_status(response, 400)
    sample = discover(client)[0]["flight"]
    unknown = unknown_flight_id(sample, reverse=True)
    for response in (client.status(unknown), client.subscription(unknown), client.unsubscribe(unknown)):
        expect_status(response, 404)
