"""Per-response checks of Flightsayer answers: pure functions over one parsed JSON body, no HTTP client.

Each check takes one object (a FlightStatus, a page, a subscription) and returns the list of its violations, empty
when it holds. :func:`flight_status_violations` applies every FlightStatus check to a status and, recursively, to its
``inbound``; :func:`response_violations` does so for any answer body (a status or a page of them) and adds the checks
that span the whole answer. A validation proxy can call these on live traffic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from conformance.checks.timestamps import offset_of, parse_timestamp
from conformance.checks.violation import Violation

Status = dict[str, Any]
StatusCheck = Callable[[Status], list[Violation]]

FLIGHT_ID = re.compile(
    r"^(?P<carrier>[A-Z0-9]{2})(?P<number>[0-9]{1,4})(?P<origin>[A-Z]{3})(?P<destination>[A-Z]{3})"
    r"(?P<departure>[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])([01][0-9]|2[0-3])[0-5][0-9])$"
)
DEPARTURE_TYPES = ("scheduled", "proposed", "estimated", "actual")
ARRIVAL_TYPES = ("scheduled", "estimated", "actual")
# Four probabilities each rounded to two decimals can miss a sum of 1 by up to 4 x 0.005.
DISTRIBUTION_TOLERANCE = 0.02
# The seed names the array twice: "prediction (array[number], required)" in its attribute list, "distribution" in
# its example. Either reading conforms.
DISTRIBUTION_NAMES = ("distribution", "prediction")


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _violation(check: Callable[..., Any], where: str, expected: str, actual: Any) -> Violation:
    return Violation(check.__name__, where, expected, repr(actual))


def flight_id_has_documented_form(status: Status) -> list[Violation]:
    """"A flight id uniquely represents a flight, and takes the form: <IATA carrier code><flight number><departure
    airport><arrival airport><scheduled departure time as YYMMDDHHMM in UTC time>."
    """
    flight_id = _get(status, "flight", "id")
    if isinstance(flight_id, str) and FLIGHT_ID.match(flight_id):
        return []
    return [_violation(flight_id_has_documented_form, "flight/id",
                       "<carrier(2)><number(1-4 digits)><origin(3)><destination(3)><YYMMDDHHMM>", flight_id)]


def flight_id_agrees_with_flight(status: Status) -> list[Violation]:
    """"A flight id uniquely represents a flight, and takes the form: <IATA carrier code><flight number><departure
    airport><arrival airport><scheduled departure time as YYMMDDHHMM in UTC time>." Every part must be this flight's.
    """
    flight = status.get("flight") or {}
    match = FLIGHT_ID.match(flight.get("id") or "") if isinstance(flight.get("id"), str) else None
    if match is None:
        return []  # flight_id_has_documented_form reports it
    departure = parse_timestamp(flight.get("scheduled_departure"))
    number = flight.get("number")
    expected = {
        "carrier": _get(flight, "carrier", "iata"),
        # A number, as the seed types it; the id may write it with leading zeros.
        "number": int(number) if isinstance(number, int | float) and number == int(number) else number,
        "origin": _get(flight, "origin", "iata"),
        "destination": _get(flight, "destination", "iata"),
        "departure": departure.astimezone(UTC).strftime("%y%m%d%H%M") if departure else None,
    }
    found = {**match.groupdict(), "number": int(match.group("number"))}
    return [
        _violation(flight_id_agrees_with_flight, f"flight/id ({part})", f"{want!r} from flight", match.group(part))
        for part, want in expected.items()
        if found[part] != want
    ]


def status_times_match_schedule(status: Status) -> list[Violation]:
    """"scheduled(timestamp, required) - scheduled time of departure" / "scheduled time of arrival": the realtime
    status's scheduled times are the flight's scheduled_departure and scheduled_arrival.
    """
    violations = []
    for leg, flight_field in (("departure", "scheduled_departure"), ("arrival", "scheduled_arrival")):
        if _get(status, "status", leg) is None:
            continue
        in_status = parse_timestamp(_get(status, "status", leg, "scheduled"))
        in_flight = parse_timestamp(_get(status, "flight", flight_field))
        if in_status is None or in_flight is None or in_status != in_flight:
            violations.append(_violation(status_times_match_schedule, f"status/{leg}/scheduled",
                                         f"the instant of flight/{flight_field} "
                                         f"{_get(status, 'flight', flight_field)!r}",
                                         _get(status, "status", leg, "scheduled")))
    return violations


def _airport_times(status: Status) -> Iterator[tuple[str, str, Any]]:
    """(where, airport side, raw value) of every departure/arrival time of one status."""
    yield "flight/scheduled_departure", "origin", _get(status, "flight", "scheduled_departure")
    yield "flight/scheduled_arrival", "destination", _get(status, "flight", "scheduled_arrival")
    for leg, side in (("departure", "origin"), ("arrival", "destination")):
        if _get(status, "status", leg) is None:
            continue
        for field in ("scheduled", "latest"):
            yield f"status/{leg}/{field}", side, _get(status, "status", leg, field)


def airport_times_carry_an_offset(status: Status) -> list[Violation]:
    """"Note that the time zone offset is included for timestamps representing an arrival or departure time, and the
    offset is the local time at the corresponding origin or destination airport."
    """
    return [
        _violation(airport_times_carry_an_offset, where, "an ISO 8601 timestamp with a UTC offset", value)
        for where, _side, value in _airport_times(status)
        if parse_timestamp(value) is None
    ]


def arrival_after_departure(status: Status) -> list[Violation]:
    """"scheduled_arrival (timestamp, required) - scheduled arrival time for this flight": it comes after
    "scheduled_departure (timestamp, required) - scheduled departure time for this flight".
    """
    departure = parse_timestamp(_get(status, "flight", "scheduled_departure"))
    arrival = parse_timestamp(_get(status, "flight", "scheduled_arrival"))
    if departure is None or arrival is None or arrival > departure:
        return []
    return [_violation(arrival_after_departure, "flight/scheduled_arrival",
                       f"an instant after scheduled_departure {departure.isoformat()}", arrival.isoformat())]


def distribution_sums_to_one(status: Status) -> list[Violation]:
    """"flightsayer's prediction of delay for this flight, consisting of the following four probabilities": four
    numbers in [0, 1] summing to 1 (within 0.02), named `distribution` (the example) or `prediction` (the attribute
    list).
    """
    prediction = status.get("prediction")
    name = next((n for n in DISTRIBUTION_NAMES if isinstance(prediction, dict) and n in prediction), "distribution")
    distribution = _get(status, "prediction", name)
    numbers = isinstance(distribution, list) and all(
        isinstance(p, int | float) and not isinstance(p, bool) and math.isfinite(p) for p in distribution)
    if (numbers and len(distribution) == 4 and all(0 <= p <= 1 for p in distribution)
            and abs(sum(distribution) - 1) <= DISTRIBUTION_TOLERANCE + 1e-9):
        return []
    return [_violation(distribution_sums_to_one, f"prediction/{name}",
                       f"4 probabilities in [0, 1] summing to 1 within {DISTRIBUTION_TOLERANCE}", distribution)]


def delay_index_in_range(status: Status) -> list[Violation]:
    """"Flightsayer delay index: a value between 1 and 10, representing a combination of the predicted delay." A
    number ("delay_index (number, required)"), not necessarily a whole one.
    """
    index = _get(status, "prediction", "delay_index")
    if isinstance(index, int | float) and not isinstance(index, bool) and math.isfinite(index) and 1 <= index <= 10:
        return []
    return [_violation(delay_index_in_range, "prediction/delay_index", "a number from 1 to 10", index)]


def status_types_are_documented(status: Status) -> list[Violation]:
    """"type (EstimatedDepartureStatus, required) - type of status represented by the latest estimate", one of the
    enum's members; likewise EstimatedArrivalStatus; "cancelled (boolean, required)".
    """
    realtime = status.get("status")
    if realtime is None:
        return []
    violations = []
    for leg, allowed in (("departure", DEPARTURE_TYPES), ("arrival", ARRIVAL_TYPES)):
        value = _get(realtime, leg, "type")
        if value not in allowed:
            violations.append(_violation(status_types_are_documented, f"status/{leg}/type", f"one of {allowed}", value))
    if not isinstance(realtime.get("cancelled"), bool):
        violations.append(_violation(status_types_are_documented, "status/cancelled", "a boolean",
                                     realtime.get("cancelled")))
    return violations


def inbound_arrives_before_departure(status: Status) -> list[Violation]:
    """"inbound (FlightStatus, optional) - flight status for the incoming flight": it arrives at this flight's
    origin before this flight departs.
    """
    inbound = status.get("inbound")
    if not isinstance(inbound, dict):
        return []
    violations = []
    origin = _get(status, "flight", "origin", "iata")
    inbound_destination = _get(inbound, "flight", "destination", "iata")
    if origin != inbound_destination:
        violations.append(_violation(inbound_arrives_before_departure, "inbound/flight/destination/iata",
                                     f"this flight's origin {origin!r}", inbound_destination))
    departure = parse_timestamp(_get(status, "flight", "scheduled_departure"))
    arrival = parse_timestamp(_get(inbound, "flight", "scheduled_arrival"))
    if departure is not None and arrival is not None and not arrival < departure:
        violations.append(_violation(inbound_arrives_before_departure, "inbound/flight/scheduled_arrival",
                                     f"before this flight's scheduled_departure {departure.isoformat()}",
                                     arrival.isoformat()))
    return violations


FLIGHT_STATUS_CHECKS: tuple[StatusCheck, ...] = (
    flight_id_has_documented_form,
    flight_id_agrees_with_flight,
    status_times_match_schedule,
    airport_times_carry_an_offset,
    arrival_after_departure,
    distribution_sums_to_one,
    delay_index_in_range,
    status_types_are_documented,
    inbound_arrives_before_departure,
)


def _prefixed(violation: Violation, prefix: str) -> Violation:
    where = f"{prefix}/{violation.where}" if prefix else violation.where
    return Violation(violation.check, where, violation.expected, violation.actual)


def flight_status_violations(status: Status, where: str = "") -> list[Violation]:
    """Every FlightStatus check on ``status`` and, recursively, on its ``inbound``."""
    if not isinstance(status, dict):
        return [Violation("flight_status_shape", where, "a FlightStatus object", repr(status))]
    violations = [_prefixed(v, where) for check in FLIGHT_STATUS_CHECKS for v in check(status)]
    if isinstance(status.get("inbound"), dict):
        violations += flight_status_violations(status["inbound"], f"{where}/inbound" if where else "inbound")
    return violations


def _statuses(status: Status, where: str) -> Iterator[tuple[str, Status]]:
    yield where, status
    if isinstance(status.get("inbound"), dict):
        yield from _statuses(status["inbound"], f"{where}/inbound" if where else "inbound")


def airport_keeps_one_offset_per_instant(statuses: list[Status]) -> list[Violation]:
    """"the offset is the local time at the corresponding origin or destination airport": within one answer, one
    airport at one instant has one UTC offset (departure times carry the origin's, arrival times the destination's).
    """
    seen: dict[tuple[str, Any], tuple[str, str]] = {}
    violations = []
    for index, top in enumerate(statuses):
        for where, status in _statuses(top, str(index) if len(statuses) > 1 else ""):
            for field, side, value in _airport_times(status):
                parsed, airport = parse_timestamp(value), _get(status, "flight", side, "iata")
                if parsed is None or airport is None:
                    continue
                key, here = (airport, parsed), f"{where}/{field}".lstrip("/")
                offset = str(offset_of(parsed))
                if key in seen and seen[key][1] != offset:
                    violations.append(Violation(
                        airport_keeps_one_offset_per_instant.__name__, here,
                        f"{airport}'s offset at this instant as at {seen[key][0]} ({seen[key][1]})", repr(value)))
                seen.setdefault(key, (here, offset))
    return violations


def statuses_in(body: Any) -> list[Status]:
    """The top-level FlightStatus objects of an answer: the status itself, or a page's results."""
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return list(body["results"])
    return [body]


def response_violations(body: Any) -> list[Violation]:
    """Every per-response check on a status or search answer, nested ``inbound`` included."""
    statuses = statuses_in(body)
    violations = []
    if isinstance(body, dict) and "results" in body:
        violations += page_shape(body) + page_results_agree_with_count(body)
    for index, status in enumerate(statuses):
        violations += flight_status_violations(status, f"results/{index}" if status is not body else "")
    return violations + airport_keeps_one_offset_per_instant([s for s in statuses if isinstance(s, dict)])


def _is_absolute_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def page_shape(page: dict[str, Any]) -> list[Violation]:
    """"count (number, required) - number of flights matching the filter"; "next (string, optional) - url pointing to
    the next set of paginated results"; "results (array[FlightStatus])": a count, an array of results, and links that
    are URLs.
    """
    violations = []
    count, results = page.get("count"), page.get("results")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        violations.append(_violation(page_shape, "count", "a non-negative integer", count))
    if not isinstance(results, list):
        violations.append(_violation(page_shape, "results", "an array", results))
    for link in ("next", "previous"):
        if page.get(link) is not None and not _is_absolute_http_url(page[link]):
            violations.append(_violation(page_shape, link, "null or an absolute http(s) URL", page[link]))
    return violations


def page_results_agree_with_count(page: dict[str, Any]) -> list[Violation]:
    """"count (number, required) - number of flights matching the filter": a page holds at most `count` results, and
    a page with neither `next` nor `previous` holds all of them.

    The only rule relating two reads a backend may make apart (a count query, then a page query): a write between
    them breaks it for one answer, so a runner that writes concurrently confirms it (:data:`MOMENT_RULES`).
    """
    count, results = page.get("count"), page.get("results")
    if not isinstance(count, int) or isinstance(count, bool) or not isinstance(results, list):
        return []  # page_shape reports it
    if len(results) > count:
        return [_violation(page_results_agree_with_count, "results", f"at most count={count} items",
                           f"{len(results)} items")]
    if page.get("next") is None and page.get("previous") is None and len(results) != count:
        return [_violation(page_results_agree_with_count, "results", f"all count={count} results on the only page",
                           f"{len(results)} items")]
    return []


# Rules over a whole collection at one instant: an answer that breaks one while the collection was being written
# (by another check of the same run) holds it again when read at rest.
MOMENT_RULES = frozenset({page_results_agree_with_count.__name__})


def subscription_times_are_ordered(subscription: dict[str, Any]) -> list[Violation]:
    """"created (timestamp, required) - timestamp at which the subscription was created"; "updated (timestamp,
    required) - timestamp at which the subscription was last updated": a subscription cannot be updated before it
    exists.
    """
    created, updated = parse_timestamp(subscription.get("created")), parse_timestamp(subscription.get("updated"))
    violations = []
    if created is None:
        violations.append(_violation(subscription_times_are_ordered, "created", "an ISO 8601 timestamp",
                                     subscription.get("created")))
    if updated is None:
        violations.append(_violation(subscription_times_are_ordered, "updated", "an ISO 8601 timestamp",
                                     subscription.get("updated")))
    if created is not None and updated is not None and updated < created:
        violations.append(_violation(subscription_times_are_ordered, "updated",
                                     f"not before created {subscription.get('created')!r}",
                                     subscription.get("updated")))
    return violations
