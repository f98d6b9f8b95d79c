"""Whether an item or a page link agrees with the query that asked for it.

Shared by the scenario checks (which make their own requests) and the live checks (which read requests and answers
off traffic), so both judge a filter or a link by one definition.
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.checks.timestamps import parse_timestamp

SESSION_FILTERS = ("deployment_id", "flight_plan_id")
SEARCH_FILTERS = ("departure_airport", "arrival_airport", "earliest_departure", "latest_departure")
_AIRPORTS = (("departure_airport", "origin"), ("arrival_airport", "destination"))
_BOUNDS = (("earliest_departure", operator.ge), ("latest_departure", operator.le))


def id_key(value: str) -> str:
    """An id in the form two notations of it share: the seed gives Garuda ids no form, so a backend may write one in
    another case, or a UUID with or without its dashes, and mean the same id."""
    try:
        return uuid.UUID(value).hex
    except ValueError:
        return value.lower()


def session_matches_filters(session: Any, filters: Mapping[str, str]) -> bool:
    """"If both query strings are specified, only `flight sessions` that match both will be fetched." Ids compare as
    :func:`id_key` reads them."""
    return isinstance(session, dict) and all(
        isinstance(session.get(name), str) and id_key(session[name]) == id_key(str(value))
        for name, value in filters.items())


def search_filters_missed(status: Any, filters: Mapping[str, str]) -> list[str]:
    """"departure_airport: BOS (string, optional) - filters by departure airport"; "earliest_departure ... filters
    flights by minumum scheduled departure time (inclusive)": the names of the filters in ``filters`` that ``status``
    does not match. Airports compare in any case; bounds are instants in any offset, both inclusive; a bound that is
    not a timestamp with an offset is not judged.
    """
    flight = status.get("flight") if isinstance(status, dict) else None
    flight = flight if isinstance(flight, dict) else {}
    missed = []
    for name, side in _AIRPORTS:
        if name in filters:
            airport = flight.get(side)
            iata = airport.get("iata") if isinstance(airport, dict) else None
            if not (isinstance(iata, str) and iata.upper() == str(filters[name]).upper()):
                missed.append(name)
    departure = parse_timestamp(flight.get("scheduled_departure"))
    for name, within in _BOUNDS:
        bound = parse_timestamp(str(filters[name])) if name in filters else None
        if bound is not None and (departure is None or not within(departure, bound)):
            missed.append(name)
    return missed


def link_loses(link: str, sent: Mapping[str, Any]) -> list[str]:
    """"next": "https://api.flightsayer.com/flights/v1/search/?limit=50&earliest_departure=2016-06-24T18%3A30%3A00Z&
    latest_departure=2016-06-24T18%3A30%3A00Z&offset=50": the names in ``sent`` that the link does not carry with the
    same value. Departure bounds compare as instants, airports in any case, anything else as text.
    """
    query = parse_qs(urlsplit(link).query, keep_blank_values=True)
    lost = []
    for name, value in sent.items():
        kept = query.get(name, [None])[0]
        if kept is None:
            lost.append(name)
        elif name.endswith("_departure") and parse_timestamp(str(value)) is not None:
            if parse_timestamp(kept) != parse_timestamp(str(value)):
                lost.append(name)
        elif name.endswith("_airport"):
            if kept.upper() != str(value).upper():
                lost.append(name)
        elif kept != str(value):
            lost.append(name)
    return lost
