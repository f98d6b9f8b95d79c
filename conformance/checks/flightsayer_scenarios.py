"""Scenario checks of Flightsayer: status vs search, filters, bounds, pagination, subscriptions, auth, isolation.

Flights are discovered through search, never assumed. Subscriptions are made on flights the user has none on, and
deleted afterwards through the target's undo list.

Answers that the seed says describe one object are compared by what both show (:mod:`conformance.checks.agreement`):
a backend may leave optional fields out of a search result, add fields of its own, or write an instant in another
offset. Where a request must be refused, any 4xx will do: the seed names no error status. Pages are asked for at
most the seed's own 50 results, and a backend may serve fewer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.api_clients import FLIGHTSAYER_SEARCH, FlightsayerClient, flightsayer_client
from conformance.checks.agreement import differences
from conformance.checks.flightsayer_responses import (
    page_shape,
    response_violations,
    subscription_times_are_ordered,
)
from conformance.checks.query_matching import link_loses, search_filters_missed
from conformance.checks.scenario import (
    compact,
    expect,
    expect_credentials_refused,
    expect_no_violations,
    expect_refused,
    expect_status,
    json_body,
    read_only,
    scenario_check,
    short_body,
)
from conformance.checks.timestamps import parse_timestamp
from conformance.claims import Claims
from conformance.target import Target

MALFORMED_FLIGHT_IDS = ("not-a-flight", "DL05267GTRATL1608260204", "dl5267gtratl1608260204", "DL5267GTRATL16082602")
TARGETS = ("http://conformance.example/hook", "https://conformance.example/other?x=1")
INVALID_TARGETS = {"a relative URL": "/hooks/flight", "not a URL": "not a url", "an empty string": ""}
MAX_WALK_PAGES = 400
PAGE = 50  # the seed's own page size: the largest the suite asks for
SUBSCRIPTION_FIELDS = ("flight_id", "target", "created", "updated")
INBOUND = frozenset({"inbound"})


def subscription_view(body: Any) -> dict[str, Any] | None:
    """What the seed promises of a subscription ("FlightSubscription"): its four attributes."""
    return {field: body.get(field) for field in SUBSCRIPTION_FIELDS} if isinstance(body, dict) else None


def same_subscription(expected: dict[str, Any] | None, actual: Any) -> bool:
    view = subscription_view(actual)
    return expected is not None and view is not None and view.keys() == expected.keys() and not differences(
        expected, view)


def expect_agreement(expected: Any, actual: Any, what: str, response: httpx.Response) -> None:
    found = differences(expected, actual, skip=INBOUND)
    expect(not found, f"{what}, on every field both show", "; ".join(found[:5]), response)


def page(response: httpx.Response) -> dict[str, Any]:
    expect_status(response, 200)
    body = json_body(response)
    expect(isinstance(body, dict), "a page object", body, response)
    expect_no_violations(page_shape(body), response)
    return body


def ids_of(statuses: list[dict[str, Any]]) -> list[str]:
    return [(s.get("flight") or {}).get("id") for s in statuses]


def discover(client: FlightsayerClient, **filters: Any) -> list[dict[str, Any]]:
    """Up to a page of flights the backend knows (matching ``filters``); skips the check if it knows none."""
    import pytest

    results = page(client.search(limit=PAGE, **filters))["results"]
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
    return walk(client, client.search(limit=PAGE, **filters))[1]


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
    response = client.search(limit=PAGE)
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
    FlightStatus the search gave (on every field both show).
    """
    client = flightsayer_client(target)
    results = discover(client)
    step = max(1, len(results) // sample)
    for found in results[::step][:sample]:
        flight_id = found["flight"]["id"]
        response = client.status(flight_id)
        expect_status(response, 200)
        if differences(found, json_body(response), skip=INBOUND):
            found, response = searched_again(client, found), client.status(flight_id)
        expect_agreement(found, json_body(response), f"the search's result for {flight_id}", response)


def searched_again(client: FlightsayerClient, found: dict[str, Any]) -> Any:
    """``found``'s search result, read again (departure airport and the exact departure as both bounds).

    Flights change while a check reads them: a real flight moves on, and another check's trigger may delay a flight
    whose aircraft flies this one next. So where two reads disagree both are read once more; a backend that is
    merely live agrees then, one whose endpoints disagree does not.
    """
    flight = found["flight"]
    bounds = {"departure_airport": flight["origin"]["iata"], "earliest_departure": flight["scheduled_departure"],
              "latest_departure": flight["scheduled_departure"]}
    again = [s for s in search_all(client, **bounds) if (s.get("flight") or {}).get("id") == flight["id"]]
    return again[0] if again else found


@read_only
@scenario_check
def inbound_is_that_flights_own_status(target: Target, sample: int = 5) -> None:
    """"inbound (FlightStatus, optional) - flight status for the incoming flight": the inbound object is that flight's
    status as its own status endpoint answers it (on every field both show; how deep inbound flights nest is the
    backend's choice).
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
        if differences(inbound, json_body(response), skip=INBOUND):  # read both once more: see searched_again
            inbound = searched_again(client, status).get("inbound") or inbound
            response = client.status(inbound["flight"]["id"])
        expect_agreement(inbound, json_body(response), f"the inbound of {status['flight']['id']}", response)


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
           client.search(departure_airport=origin, limit=PAGE))
    to_destination = search_all(client, arrival_airport=destination)
    expect(all(s["flight"]["destination"]["iata"] == destination for s in to_destination),
           f"only flights arriving {destination}", sorted({s['flight']['destination']['iata'] for s in to_destination}),
           client.search(arrival_airport=destination, limit=PAGE))
    both = search_all(client, departure_airport=origin, arrival_airport=destination)
    wanted = [s for s in from_origin if s["flight"]["destination"]["iata"] == destination]
    expect(sorted(ids_of(both)) == sorted(ids_of(wanted)), f"the {origin} results arriving {destination}: "
           f"{sorted(ids_of(wanted))}", sorted(ids_of(both)),
           client.search(departure_airport=origin, arrival_airport=destination, limit=PAGE))
    expect(sample["id"] in ids_of(both), f"{sample['id']} among {origin}->{destination}", ids_of(both),
           client.search(departure_airport=origin, arrival_airport=destination, limit=PAGE))
    departures = sorted(parse_timestamp(s["flight"]["scheduled_departure"]) for s in from_origin)
    earliest, latest = departures[len(departures) // 4], departures[(3 * len(departures)) // 4]
    bounds = {"departure_airport": origin, "earliest_departure": earliest.isoformat(),
              "latest_departure": latest.isoformat()}
    bounded = search_all(client, **bounds)
    wanted = [s for s in from_origin if not search_filters_missed(s, bounds)]
    expect(sorted(ids_of(bounded)) == sorted(ids_of(wanted)), f"the {origin} results departing in [{earliest}, "
           f"{latest}]: {sorted(ids_of(wanted))}", sorted(ids_of(bounded)), client.search(limit=PAGE, **bounds))


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
        params = {"earliest_departure": written, "latest_departure": written}
        response = client.search(limit=PAGE, **params)
        found = search_all(client, **params)
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
    first, again = page(client.search(limit=PAGE)), client.search(limit=PAGE)
    expect(ids_of(page(again)["results"]) == ids_of(first["results"]), f"the same order: {ids_of(first['results'])}",
           ids_of(page(again)["results"]), again)


@read_only
@scenario_check
def pagination_walk_returns_every_match_once(target: Target) -> None:
    """"count (number, required) - number of flights matching the filter"; "next (string, optional) - url pointing to
    the next set of paginated results": following next from the first page yields every match exactly once, count
    stays the same on every page, and no page holds more than the page size asked for.
    """
    client = flightsayer_client(target)
    origin = discover(client)[0]["flight"]["origin"]["iata"]
    everything = search_all(client, departure_airport=origin)
    limit = max(1, min(PAGE, len(everything) // 3 or 1))
    first = client.search(departure_airport=origin, limit=limit)
    pages, results = walk(client, first)
    oversized = [len(p["results"]) for p in pages if len(p["results"]) > limit]
    expect(not oversized, f"at most limit={limit} results a page", oversized, first)
    ids = ids_of(results)
    expect(len(ids) == len(set(ids)), "no flight twice across pages",
           sorted({i for i in ids if ids.count(i) > 1}), first)
    expect(len(ids) == pages[0]["count"], f"count={pages[0]['count']} results in all", len(ids), first)
    expect(sorted(ids) == sorted(ids_of(everything)), f"the same flights as a walk of {PAGE}-result pages: "
           f"{sorted(ids_of(everything))}", sorted(ids), first)


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


def unsubscribed_flights(clients: tuple[FlightsayerClient, ...], count: int, claims: Claims, *,
                         fits: Callable[[dict[str, Any]], bool] = lambda status: True,
                         pages: int = MAX_WALK_PAGES) -> list[str]:
    """Up to ``count`` flights search finds (in its first ``pages`` pages) that ``fits`` and none of the clients'
    users has a subscription to, each claimed so no other check of the run uses it: the check owns what it creates
    on them. Fewer when search offers fewer."""
    subscribed = set().union(*(subscriptions_by_flight(client) for client in clients))
    found: list[str] = []
    response = clients[0].search(limit=PAGE)
    for _ in range(pages):
        body = page(response)
        for status in body["results"]:
            flight_id = (status.get("flight") or {}).get("id") if isinstance(status, dict) else None
            if (isinstance(flight_id, str) and flight_id not in subscribed and flight_id not in found and fits(status)
                    and claims.claim_flight(flight_id)):
                found.append(flight_id)
                if len(found) == count:
                    return found
        if not body.get("next"):
            break
        response = clients[0].follow(body["next"])
    return found


def unsubscribed_flight(*clients: FlightsayerClient) -> str:
    """One of :func:`unsubscribed_flights`, from every flight search finds; skips the check if there is none."""
    import pytest

    found = unsubscribed_flights(clients, 1, clients[0].target.claims)
    if not found:
        pytest.skip("every flight the backend's search finds already has a subscription of these users")
    return found[0]


def subscriptions_by_flight(client: FlightsayerClient) -> dict[str, dict[str, Any]]:
    return {s.get("flight_id"): subscription_view(s) for s in walk(client, client.subscriptions(limit=PAGE))[1]}


@scenario_check
def subscription_lifecycle(target: Target, pause: float = 1.1) -> None:
    """"+ Response 201 (application/json) New subscription created." / "+ Response 200 (application/json) Existing
    subscription updated": PUT creates (201) then replaces (200, created kept, updated moves); GET and the list show
    it; DELETE answers 204 with no body, after which GET and DELETE are refused (any 4xx) and the list drops it.
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
    seen = subscription_view(updated)
    read = client.subscription(flight_id)
    expect(read.status_code == 200 and same_subscription(seen, json_body(read)), f"GET answers {compact(seen)}",
           short_body(read), read)
    listed = subscriptions_by_flight(client).get(flight_id)
    expect(same_subscription(seen, listed), f"the list holds {compact(seen)}", compact(listed),
           client.subscriptions(limit=PAGE))
    deleted = client.unsubscribe(flight_id)
    expect_status(deleted, 204)
    expect(deleted.content == b"", "an empty body with 204", short_body(deleted), deleted)
    expect_refused(client.subscription(flight_id), "a deleted subscription")
    expect_refused(client.unsubscribe(flight_id), "a deleted subscription")
    expect(flight_id not in subscriptions_by_flight(client), f"the list without {flight_id}", "still listed",
           client.subscriptions(limit=PAGE))


def _rejected_without_trace(client: FlightsayerClient, flight_id: str, body: Any, why: str) -> None:
    expect_refused(client.subscribe(flight_id, body), why)
    _expect_not_subscribed(client, [flight_id], why)


def _expect_not_subscribed(client: FlightsayerClient, flight_ids: list[str], why: str) -> None:
    """None of ``flight_ids`` (flights only this check uses, or no flight at all) is subscribed, read or listed."""
    listed = subscriptions_by_flight(client)
    for flight_id in flight_ids:
        expect_refused(client.subscription(flight_id), f"a subscription never made ({why})")
        expect(flight_id not in listed, f"no subscription to {flight_id} listed after {why}", "listed",
               client.subscriptions(limit=PAGE))


@scenario_check
def subscription_rejects_invalid_targets(target: Target) -> None:
    """"target (string, required) - url to which POST requests indicating change to flight status will be sent." A
    target that is not a URL POST requests can be sent to (relative, not a URL, empty), or none, is refused (any
    4xx) and stores nothing.
    """
    client = flightsayer_client(target)
    flight_id = unsubscribed_flight(client)
    for why, value in INVALID_TARGETS.items():
        _rejected_without_trace(client, flight_id, {"target": value}, f"a target that is {why}")
    _rejected_without_trace(client, flight_id, {}, "no target")


@scenario_check
def subscription_to_unknown_flight_is_refused(target: Target) -> None:
    """"flight_id: UA576BOSSFO1606092145 (FlightId, required)": a FlightId of the documented form that names no flight
    the service knows is refused (any 4xx) and no subscription is made; its status is refused too.
    """
    client = flightsayer_client(target)
    sample = discover(client)[0]["flight"]
    unknown = unknown_flight_id(sample)
    _rejected_without_trace(client, unknown, {"target": TARGETS[0]}, "an unknown flight")
    expect_refused(client.status(unknown), "an unknown flight")


@scenario_check
def subscriptions_are_per_user(target: Target) -> None:
    """"When you subscribe to a flight status update, you will receive push notifications": a subscription is the
    subscribing user's. A user sees, reads and deletes only their own, and two users subscribing to one flight hold
    two independent subscriptions.
    """
    alice, bob = flightsayer_client(target), flightsayer_client(target, "other_token")
    flight_id = unsubscribed_flight(alice, bob)
    mine_response = alice.subscribe(flight_id, {"target": TARGETS[0]})
    expect_status(mine_response, 201)
    mine = subscription_view(json_body(mine_response))
    expect_refused(bob.subscription(flight_id), "another user's subscription")
    expect(flight_id not in subscriptions_by_flight(bob), f"{flight_id} not in the other user's list", "listed",
           bob.subscriptions(limit=PAGE))
    expect_refused(bob.unsubscribe(flight_id), "another user's subscription")
    theirs = bob.subscribe(flight_id, {"target": TARGETS[1]})
    expect_status(theirs, 201)
    expect(json_body(theirs).get("target") == TARGETS[1], f"the other user's target {TARGETS[1]}",
           json_body(theirs).get("target"), theirs)
    read = alice.subscription(flight_id)
    expect(read.status_code == 200 and same_subscription(mine, json_body(read)), f"the first user's subscription "
           f"unchanged: {compact(mine)}", short_body(read), read)
    expect_status(bob.unsubscribe(flight_id), 204)
    read = alice.subscription(flight_id)
    expect(read.status_code == 200 and same_subscription(mine, json_body(read)), f"the first user's subscription "
           f"survives the other's DELETE: {compact(mine)}", short_body(read), read)


@scenario_check
def every_endpoint_refuses_missing_or_wrong_token(target: Target) -> None:
    """"curl -v https://api.flightsayer.com/flights/v1/status/9K1037BOSSLK1606102040 -H 'Authorization: Token <insert
    token>'": without a valid token every endpoint refuses the request (401 with a WWW-Authenticate challenge, or
    403), and changes nothing.
    """
    own = flightsayer_client(target)
    flight_id = unsubscribed_flight(own)
    subscribed = own.subscribe(flight_id, {"target": TARGETS[0]})
    expect_status(subscribed, 201)
    mine = subscription_view(json_body(subscribed))
    for token in (None, "conformance-wrong-token"):
        client = FlightsayerClient(target, token)
        for response in (client.status(flight_id), client.search(), client.subscriptions(),
                         client.subscribe(flight_id, {"target": TARGETS[1]}), client.subscription(flight_id),
                         client.unsubscribe(flight_id)):
            expect_credentials_refused(response, "without a token" if token is None else "for a wrong token")
    after = own.subscription(flight_id)
    expect(after.status_code == 200 and same_subscription(mine, json_body(after)),
           f"the user's subscription to {flight_id} unchanged: {compact(mine)}", short_body(after), after)


@scenario_check
def malformed_or_unknown_flight_id_is_refused(target: Target) -> None:
    """"flight id in the form of <IATA carrier code><flight number><departure airport><arrival airport><scheduled
    departure time as YYMMDDHHMM in UTC time>": an id not of this form, or of this form but of no known flight,
    names no flight: every operation refuses it (any 4xx) and nothing is subscribed.
    """
    client = flightsayer_client(target)
    sample = discover(client)[0]["flight"]
    named = [*MALFORMED_FLIGHT_IDS, unknown_flight_id(sample, reverse=True)]
    for flight_id in named:
        for response in (client.status(flight_id), client.subscription(flight_id), client.unsubscribe(flight_id),
                         client.subscribe(flight_id, {"target": TARGETS[0]})):
            expect_refused(response, f"the flight id {flight_id}")
    _expect_not_subscribed(client, named, "refusing them")
