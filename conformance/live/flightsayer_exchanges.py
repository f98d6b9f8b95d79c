"""Flightsayer answers read beside their requests: search filters and bounds, page sizes and links, the flight asked.

Tolerances (seed-rule): bounds are instants in any offset, inclusive; a page may hold fewer results than ``limit``
(a maximum page size) but never more; links may point anywhere with or without the trailing slash, in any parameter
order, and may lower ``limit`` to the page size served; a subscription's target may come back normalised (trimmed,
scheme and host in lower case, default port dropped, an empty path as ``/``). Only successes are judged.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from conformance.checks.query_matching import SEARCH_FILTERS, link_loses, search_filters_missed
from conformance.checks.violation import Violation
from conformance.live.exchange import Exchange, natural

DEFAULT_PORTS = {"http": 80, "https": 443}


def _shown(value: Any) -> str:
    return json.dumps(value)


def _results(exchange: Exchange) -> list[Any] | None:
    answer = exchange.answer
    results = answer.get("results") if isinstance(answer, dict) else None
    return results if exchange.succeeded and isinstance(results, list) else None


def search_results_honour_every_filter(exchange: Exchange) -> list[Violation]:
    """"earliest_departure: 2016-06-24T18:30:00Z (timestamp, optional) - filters flights by minumum scheduled
    departure time (inclusive)"; likewise latest_departure, departure_airport and arrival_airport: every result
    matches every filter sent, bounds compared as instants whatever offset either is written in.
    """
    filters = {name: value for name in SEARCH_FILTERS if (value := exchange.single(name)) is not None}
    results = _results(exchange)
    if not filters or results is None:
        return []
    found = []
    for index, status in enumerate(results):
        missed = search_filters_missed(status, filters)
        if missed:
            flight = status.get("flight") if isinstance(status, dict) else None
            flight = flight if isinstance(flight, dict) else {}
            found.append(Violation(search_results_honour_every_filter.__name__, f"results/{index}/flight",
                                   f"a flight matching {_shown({name: filters[name] for name in missed})}",
                                   _shown({"id": flight.get("id"), "scheduled_departure":
                                           flight.get("scheduled_departure"),
                                           "origin": (flight.get("origin") or {}).get("iata"),
                                           "destination": (flight.get("destination") or {}).get("iata")})))
    return found


def page_respects_limit_and_offset(exchange: Exchange) -> list[Violation]:
    """"next": "https://api.flightsayer.com/flights/v1/search/?limit=50&earliest_departure=2016-06-24T18%3A30%3A00Z&
    latest_departure=2016-06-24T18%3A30%3A00Z&offset=50": a page holds at most `limit` results (fewer is a maximum
    page size), and the page at `offset` holds at most the `count` results left after it.
    """
    results, answer = _results(exchange), exchange.answer
    if results is None:
        return []
    found = []
    limit, offset = natural(exchange.single("limit")), natural(exchange.single("offset"))
    if limit is not None and limit > 0 and len(results) > limit:
        found.append(Violation(page_respects_limit_and_offset.__name__, "results", f"at most limit={limit} results",
                               f"{len(results)} results"))
    count = answer.get("count")
    if offset is not None and isinstance(count, int) and not isinstance(count, bool) and len(results) > max(
            0, count - offset):
        found.append(Violation(page_respects_limit_and_offset.__name__, "results",
                               f"at most count - offset = {count} - {offset} results", f"{len(results)} results"))
    return found


def page_links_keep_the_query(exchange: Exchange) -> list[Violation]:
    """"next": "https://api.flightsayer.com/flights/v1/search/?limit=50&earliest_departure=2016-06-24T18%3A30%3A00Z&
    latest_departure=2016-06-24T18%3A30%3A00Z&offset=50": `next` and `previous` keep every filter sent and never a
    larger `limit`; `next` moves forward from this page's offset and `previous` back.
    """
    answer = exchange.answer
    if _results(exchange) is None:
        return []
    searched = exchange.operation == "searchFlights"  # the subscription list has no filters to keep
    filters = {name: value for name in SEARCH_FILTERS if searched and (value := exchange.single(name)) is not None}
    limit, offset = natural(exchange.single("limit")), natural(exchange.single("offset")) or 0
    found = []
    for name in ("next", "previous"):
        link = answer.get(name)
        if not isinstance(link, str):
            continue
        query = parse_qs(urlsplit(link).query, keep_blank_values=True)
        lost = link_loses(link, filters)
        if lost:
            found.append(Violation(page_links_keep_the_query.__name__, name,
                                   f"a link keeping {_shown({key: filters[key] for key in lost})}", _shown(link)))
        linked_limit = natural((query.get("limit") or [None])[0])
        if limit is not None and linked_limit is not None and linked_limit > limit:
            found.append(Violation(page_links_keep_the_query.__name__, name, f"limit at most {limit}", _shown(link)))
        linked_offset = natural((query.get("offset") or [None])[0])
        if linked_offset is not None and (linked_offset <= offset if name == "next" else linked_offset >= offset):
            side = "after" if name == "next" else "before"
            found.append(Violation(page_links_keep_the_query.__name__, name, f"an offset {side} this page's {offset}",
                                   _shown(link)))
    return found


def status_is_the_flight_asked(exchange: Exchange) -> list[Violation]:
    """"Retrieves the status of a specific flight." The status answered is the flight whose id was asked for."""
    answer = exchange.answer
    flight = answer.get("flight") if isinstance(answer, dict) else None
    if not exchange.succeeded or not isinstance(flight, dict) or not exchange.params:
        return []
    return _same_flight(status_is_the_flight_asked.__name__, "flight/id", exchange.params[0], flight.get("id"))


def subscription_is_the_flight_asked(exchange: Exchange) -> list[Violation]:
    """"Retrieve a subscription for the specified flight." GET and PUT of /subscriptions/{flight_id} answer the
    subscription of that flight.
    """
    answer = exchange.answer
    if not exchange.succeeded or not isinstance(answer, dict) or not exchange.params:
        return []
    return _same_flight(subscription_is_the_flight_asked.__name__, "flight_id", exchange.params[0],
                        answer.get("flight_id"))


def _same_flight(check: str, where: str, asked: str, answered: Any) -> list[Violation]:
    if isinstance(answered, str) and answered.upper() == asked.upper():
        return []
    return [Violation(check, where, _shown(asked), _shown(answered))]


def normalised_url(value: str) -> str:
    """``value`` with what URL equivalence allows to differ made equal (RFC 3986 section 6.2.3), and without the
    surrounding whitespace a form field may trim."""
    value = value.strip()
    parts = urlsplit(value)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return value
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def put_subscription_echoes_the_target(exchange: Exchange) -> list[Violation]:
    """"target (string, required) - url to which POST requests indicating change to flight status will be sent.":
    the subscription a PUT answers carries the target that was sent.
    """
    sent, answer = exchange.sent, exchange.answer
    if not exchange.succeeded or not isinstance(sent, dict) or not isinstance(answer, dict):
        return []
    wanted, got = sent.get("target"), answer.get("target")
    if not isinstance(wanted, str) or (isinstance(got, str) and normalised_url(got) == normalised_url(wanted)):
        return []
    return [Violation(put_subscription_echoes_the_target.__name__, "target", f"{_shown(wanted)} as sent",
                      _shown(got))]
