"""Flightsayer operations: parse, call the catalog or the subscription store, shape the reply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connexion import request
from starlette.datastructures import URL
from starlette.responses import Response

from mock_server.context import caller, state
from mock_server.errors import ApiError
from mock_server.flights.catalog import FlightCatalog
from mock_server.flightsayer.pages import page, page_head, page_json
from mock_server.flightsayer.subscriptions import SubscriptionStore

NOT_FOUND = "Not found."


def _instant(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        # RFC 3339 allows a lower-case "t"/"z"; fromisoformat does not.
        return datetime.fromisoformat(value.upper())
    except ValueError as exc:
        raise ApiError(400, f"'{value}' is not a valid ISO 8601 date-time with an offset", field=name) from exc


def _query() -> list[tuple[str, str]]:
    return list(request.query_params.multi_items())


def _json(body: bytes) -> Response:
    # Flight statuses are kept serialised by the catalog; answering its bytes skips re-encoding them per request.
    return Response(body, media_type="application/json")


async def get_flight_status(flight_id: str):
    status = state().catalog.status_json(flight_id)
    if status is None:
        raise ApiError(404, NOT_FOUND)
    return _json(status)


def search_page(catalog: FlightCatalog, url: URL, query: list[tuple[str, str]], *,
                departure_airport: str | None = None, arrival_airport: str | None = None,
                earliest_departure: str | None = None, latest_departure: str | None = None,
                limit: int = 50, offset: int = 0) -> tuple[dict[str, Any], list[bytes]]:
    """The search page's head (count and links) and its results, each a serialised FlightStatus."""
    count, ids = catalog.search(
        departure_airport=departure_airport,
        arrival_airport=arrival_airport,
        earliest=_instant("earliest_departure", earliest_departure),
        latest=_instant("latest_departure", latest_departure),
        offset=offset,
        limit=limit,
    )
    results = [catalog.status_json(flight_id) or b"null" for flight_id in ids]
    return page_head(url, query, count=count, offset=offset, limit=limit), results


def subscriptions_page(subscriptions: SubscriptionStore, username: str, url: URL, query: list[tuple[str, str]], *,
                       limit: int = 50, offset: int = 0) -> dict[str, Any]:
    mine = subscriptions.list(username)
    results = [s.public() for s in mine[offset:offset + limit]]
    return page(url, query, count=len(mine), offset=offset, limit=limit, results=results)


async def search_flights(departure_airport: str | None = None, arrival_airport: str | None = None,
                         earliest_departure: str | None = None, latest_departure: str | None = None,
                         limit: int = 50, offset: int = 0):
    head, results = search_page(state().catalog, request.url, _query(), departure_airport=departure_airport,
                                arrival_airport=arrival_airport, earliest_departure=earliest_departure,
                                latest_departure=latest_departure, limit=limit, offset=offset)
    return _json(page_json(head, results))


async def list_subscriptions(limit: int = 50, offset: int = 0):
    return subscriptions_page(state().subscriptions, caller().tenant, request.url, _query(), limit=limit,
                              offset=offset), 200


def put_subscription_reply(catalog: FlightCatalog, subscriptions: SubscriptionStore, username: str, flight_id: str,
                           body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Create or replace the user's subscription to a known flight: the subscription, 201 if new else 200.
    ``ApiError`` (404) for a flight the catalog does not have, and then nothing changed."""
    if flight_id not in catalog:
        raise ApiError(404, NOT_FOUND)
    subscription, created = subscriptions.put(username, flight_id, body["target"])
    return subscription.public(), 201 if created else 200


def delete_subscription_reply(subscriptions: SubscriptionStore, username: str, flight_id: str) -> tuple[None, int]:
    """Delete the user's subscription: no body, 204. ``ApiError`` (404) when the user has none to that flight."""
    if subscriptions.delete(username, flight_id) is None:
        raise ApiError(404, NOT_FOUND)
    return None, 204


async def put_subscription(flight_id: str, body: dict[str, Any]):
    current = state()
    return put_subscription_reply(current.catalog, current.subscriptions, caller().tenant, flight_id, body)


async def get_subscription(flight_id: str):
    subscription = state().subscriptions.get(caller().tenant, flight_id)
    if subscription is None:
        raise ApiError(404, NOT_FOUND)
    return subscription.public(), 200


async def delete_subscription(flight_id: str):
    return delete_subscription_reply(state().subscriptions, caller().tenant, flight_id)
