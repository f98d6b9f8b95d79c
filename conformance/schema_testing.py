"""Schemathesis set up for the suite by the seed rule: which of its checks run, on which requests, against which
view of the specs (:mod:`api_contract.policy`), and how requests get credentials and usable ids from the config.

What is sent, and what is judged (the rule: ``conformance/README.md``, "What it may fail a backend for"):
  Positive requests are generated from the *inputs view*: what both the contract and the mock accept (integer
  epoch milliseconds, the mock's id form, page sizes up to the seed's 50...), then kept by :func:`prepare` inside
  what every implementation must accept (``api_contract/accepted_inputs.py``: pages a walk reaches, timestamps and
  times of the seeds' form and era). Every backend that follows the seeds must accept them, whatever it chose where
  the seeds are silent. Negative requests are generated from the *contract view* alone, so a backend is only
  expected to refuse what the seeds forbid. An answer is judged by the rules of the operation the request called
  (:func:`checks_for`): a positive request by every check below, against the contract view (the seeds document
  only 200, 201 and 204, so any 4xx with any body conforms where a request is refused); a negative request by HTTP
  (``conformance/checks/http_rules.py``) plus the refusal the seeds require where they define the form; a request
  outside the contract (a method the specs do not document for the path, such as the OPTIONS, TRACE or PROPFIND of
  schemathesis's method probes; a body in a media type the seeds never use; an Accept preferring another media
  type: ``api_contract/scope.py``) by HTTP alone.

Checks that run on positive requests (schemathesis's own names):
  status_code_conformance, content_type_conformance, response_headers_conformance, response_schema_conformance,
  use_after_free, ensure_resource_availability, ignored_auth, not_a_server_error;
  positive_data_acceptance, with any 4xx accepted where the seeds leave the refusal open (``ANY_REFUSAL``);
and ours, seed_rules_hold: every per-response check of conformance/checks on every answer schemathesis provokes.
On negative requests: http_rules_hold; negative_data_rejection, with any 4xx as the refusal; and
missing_required_header as ``missing_credentials_refused``: any 4xx (schemathesis itself wants 401 for a missing
``Authorization``). On requests outside the contract: http_rules_hold.

Disabled, because the seeds leave the behaviour open (docs/decisions.md):
  unsupported_method, allow_header_conformance: "Unknown query parameters, trailing slashes, methods and media
    types": a backend may answer 404, 405 or 501, with or without ``Allow`` (a 405 still needs a true one: HTTP).
  object_level_authorization: needs schemathesis's own multi-identity auth setup; the suite's scenario checks
    ``other_companys_sessions_are_invisible`` and ``subscriptions_are_per_user`` test isolation instead.
  negative_data_rejection on listFlightSessions, searchFlights and listSubscriptions: a filter value outside the
    contract may simply match nothing (200 with an empty list), and Django REST framework clamps an over-large
    ``limit`` instead of rejecting it.
  negative_data_rejection on createFlightSession and updateFlightSession: the seed's tables type every field as
    "String"; nothing in the seed says which malformed bodies must be refused beyond the rules the scenario checks
    hold (required fields, usable references). Nor on getFlightSession, updateFlightSession and
    deleteFlightSession's path: the seed gives Garuda ids no form, so no id is malformed.
  negative_data_rejection for cases whose negation is in the query string or headers: unknown or malformed query
    parameters may be ignored, and the credential headers are the suite's own (a case "missing" them is sent with
    them). Negations of the path (a malformed FlightId) and of the body (a target that is not a URL) stay checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import (
    REQUEST_SHAPE_PROBES,
    CoveragePhaseData,
    CoverageScenario,
    coverage_scenario,
)
from schemathesis.openapi.checks import MissingHeaderNotRejected, MissingHeaders
from schemathesis.specs.openapi import checks as openapi_checks
from schemathesis.specs.openapi.schemas import OpenApiSchema

from api_contract import load_spec
from api_contract.accepted_inputs import millis_in_era, reachable_offset, timestamp_in_seed_form
from api_contract.scope import outside_contract
from conformance.checks.flightsayer_responses import MOMENT_RULES
from conformance.checks.http_rules import http_violations, missing_header
from conformance.checks.seed_rules import answer_violations
from conformance.checks.timestamps import parse_timestamp
from conformance.checks.violation import Violation
from conformance.claims import Claims
from conformance.config import ConformanceConfig

NEGATIVE_DATA_OPEN = ["listFlightSessions", "searchFlights", "listSubscriptions", "createFlightSession",
                      "updateFlightSession", "getFlightSession", "deleteFlightSession"]
# Positive requests a backend may still refuse with a 4xx of its choice: references no schema can express (an
# approved flight plan of the caller's company), an id of another form than the mock's, a session ending before it
# starts (the seed is silent), a FlightId the backend does not know, a filter naming nothing.
ANY_REFUSAL = ["listFlightSessions", "createFlightSession", "getFlightSession", "updateFlightSession",
               "deleteFlightSession", "getFlightStatus", "putSubscription", "getSubscription", "deleteSubscription"]
SOME_4XX = ["4xx"]


def negative_data_rejection_where_seed_defines_form(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis's negative_data_rejection, limited to what the seeds define (see the module docstring)."""
    if case.meta is None or case.operation.definition.raw.get("operationId") in NEGATIVE_DATA_OPEN:
        return None
    negated = {location for location, info in case.meta.components.items() if info.mode.is_negative}
    if negated - {ParameterLocation.PATH, ParameterLocation.BODY}:
        return None
    return openapi_checks.negative_data_rejection(ctx, response, case)


def http_rules_hold(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """What HTTP and JSON require of any answer (``conformance/checks/http_rules.py``): no 5xx but a 501, a JSON
    body that parses, a 405 with a true ``Allow``, a 401 with a challenge."""
    headers = {name: ", ".join(values) for name, values in response.headers.items()}
    body = response.content if response.content_size <= len(response.content) else b""
    violations = http_violations(case.method, response.status_code, headers, body)
    missing = [name for name in map(missing_header, violations) if name is not None]
    if missing:  # as schemathesis itself reports a missing header, so each is one finding whoever saw it
        raise MissingHeaders(operation=case.operation.label, missing_headers=missing,
                             message="The following required headers are missing from the response:\n"
                                     + "\n".join(f"- `{name}` (RFC 9110)" for name in missing))
    if violations:
        raise AssertionError("HTTP broken:\n" + "\n".join(v.describe() for v in violations))
    return None


def missing_credentials_refused(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis's missing_required_header, with the seed rule's refusal: a request without a header every
    example of the seed sends ("-H 'Authorization: Bearer <AUTH_TOKEN>' -H 'X-API-Key: <API_KEY>'", "-H
    'Authorization: Token <insert token>'") is refused with a 4xx. schemathesis wants exactly 401 for a missing
    ``Authorization``; Django REST framework answers 403 in some set-ups, and a 401's challenge is checked apart
    (response_headers_conformance)."""
    meta = case.meta
    data = meta.phase.data if meta is not None else None
    if not (isinstance(data, CoveragePhaseData) and data.scenario == CoverageScenario.MISSING_PARAMETER
            and data.parameter_location == ParameterLocation.HEADER and data.parameter):
        return None
    if not 400 <= response.status_code < 500:
        raise MissingHeaderNotRejected(
            operation=f"{case.method} {case.path}", header_name=data.parameter, status_code=response.status_code,
            expected_statuses=list(range(400, 500)),
            message=f"Got {response.status_code} when missing required '{data.parameter}' header, expected a 4xx")
    return None


def seed_rules_hold(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """The seeds' data rules on any answer: "A flight id ... takes the form: <IATA carrier code><flight
    number><departure airport><arrival airport><scheduled departure time as YYMMDDHHMM in UTC time>", the four
    probabilities, the `{"success": true, "data": ...}` envelope, and the rest of conformance/checks.

    A read breaking only rules over the collection at one instant (:data:`MOMENT_RULES`: a page's results against
    its count) may have met a write of another check of this run; it is read again, and fails only if no re-read
    holds."""
    violations = _answer_violations(case, response)
    if violations and case.method == "GET" and {v.check for v in violations} <= MOMENT_RULES:
        violations = _confirmed(ctx, case, violations)
    if violations:
        raise AssertionError("Seed rules broken:\n" + "\n".join(v.describe() for v in violations))
    return None


REREADS = 3


def _answer_violations(case: schemathesis.Case, response: Any) -> list[Violation]:
    try:
        body = response.json()
    except ValueError:
        return []  # content_type_conformance and response_schema_conformance report undecodable bodies
    operation_id = case.operation.definition.raw.get("operationId", "")
    return answer_violations(operation_id, case.operation.path, response.status_code, body)


def _confirmed(ctx: Any, case: schemathesis.Case, violations: list[Violation]) -> list[Violation]:
    """``violations`` if every re-read of ``case`` breaks a rule too (the re-read's own, when it breaks another);
    none once a re-read holds."""
    transport = getattr(getattr(ctx, "internals", None), "transport_kwargs", None)
    if not transport or "base_url" not in transport:
        return violations  # no way to send it again: the answer is judged as it is
    for attempt in range(REREADS):
        time.sleep(0.05 * attempt)
        again = _answer_violations(case, case.call(**transport))
        if not again:
            return []
        if not {v.check for v in again} <= MOMENT_RULES:
            return again
    return violations


OPERATION_CHECKS = [
    seed_rules_hold,
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.positive_data_acceptance,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
    openapi_checks.ignored_auth,
]
REFUSAL_CHECKS = [http_rules_hold, negative_data_rejection_where_seed_defines_form, missing_credentials_refused]
HTTP_CHECKS = [http_rules_hold]


def outside_the_contract(case: schemathesis.Case) -> str | None:
    """Why ``case`` is no call of the operation it was generated for (``api_contract/scope.py``), or None: a method
    probe, a body in a media type the seeds never use, an Accept preferring another media type."""
    if coverage_scenario(case) in REQUEST_SHAPE_PROBES:
        return f"schemathesis's {coverage_scenario(case)} probe"
    accept = next((value for name, value in (case.headers or {}).items() if name.lower() == "accept"), None)
    return outside_contract(case.method, case.operation.path, accept)


def checks_for(case: schemathesis.Case) -> list[Any]:
    """The checks ``case``'s answer is judged by: the operation's, a refusal's, or HTTP's alone (module docstring)."""
    if outside_the_contract(case) is not None:
        return HTTP_CHECKS
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return REFUSAL_CHECKS
    return OPERATION_CHECKS
DISABLED_CHECKS = ["unsupported_method", "allow_header_conformance", "object_level_authorization"]

SCHEMATHESIS_CONFIG: dict[str, Any] = {
    # The curl lines of failures keep the credentials: they are the user's own config, needed to replay.
    "output": {"sanitization": {"enabled": False}},
    "checks": {
        **{name: {"enabled": False} for name in DISABLED_CHECKS},
        "negative_data_rejection": {"expected-statuses": SOME_4XX},
    },
    "operations": [
        {"include-operation-id": NEGATIVE_DATA_OPEN, "checks": {"negative_data_rejection": {"enabled": False}}},
        {"include-operation-id": ANY_REFUSAL,
         "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", *SOME_4XX]}}},
    ],
}
MODES = {"positive": "inputs", "negative": "contract"}


def load_schema(api: str, mode: str = "positive") -> OpenApiSchema:
    """``api``'s spec as schemathesis generates ``mode`` ("positive" or "negative") requests from it: positive ones
    from the inputs view, negative ones from the contract view; answers are judged by the contract either way."""
    config = schemathesis.Config.from_dict({**SCHEMATHESIS_CONFIG, "generation": {"mode": mode}})
    return schemathesis.openapi.from_dict(load_spec(api, MODES[mode]), config=config)  # type: ignore[arg-type]


def auth_headers(api: str, config: ConformanceConfig) -> dict[str, str]:
    if api == "garuda":
        return {"Authorization": f"Bearer {config.need('garuda.token')}",
                "X-API-Key": config.need("garuda.api_key")}
    return {"Authorization": f"Token {config.need('flightsayer.token')}"}


SUBSCRIPTION_WRITES = ("putSubscription", "deleteSubscription")
OWNER = "schemathesis"


# Writes to one resource named in the path: (what kind of resource, the path parameter naming it, where it is read).
TARGETED_WRITES = {
    "updateFlightSession": ("session", "flight_session_id", "/v2/flight_sessions/{}"),
    "deleteFlightSession": ("session", "flight_session_id", "/v2/flight_sessions/{}"),
    "putSubscription": ("subscription", "flight_id", "/subscriptions/{}"),
    "deleteSubscription": ("subscription", "flight_id", "/subscriptions/{}"),
}


def may_send(case: schemathesis.Case, claims: Claims, exists: Callable[[str], bool]) -> bool:
    """Whether ``case`` leaves alone what is not the generated requests' own.

    A subscription written to a flight another check of this run holds (``--jobs``) would change what that check
    reads back. And a generated PATCH, PUT or DELETE of a resource that was there before (a session or subscription
    the backend already had, a spec example that names a real one) would change the backend's own data: such a write
    goes out only when the resource is one the generated requests created, or is not there (``exists``: a GET of its
    path answers 200)."""
    operation = case.operation.definition.raw.get("operationId")
    if operation not in TARGETED_WRITES:
        return True
    kind, parameter, path = TARGETED_WRITES[operation]
    name = (case.path_parameters or {}).get(parameter)
    if not isinstance(name, str):
        return True
    if kind == "subscription" and not claims.claim_flight(name, OWNER):
        return False
    return claims.holds(kind, name, OWNER) or not exists(path.format(name))


def created_by_generated_requests(claims: Claims, kind: str, name: str) -> None:
    """Note a resource the generated requests created: later generated writes may change it."""
    claims.claim(kind, name, OWNER)


PAGED = ("searchFlights", "listSubscriptions")
Counter = Callable[[str, dict[str, Any]], int | None]  # (path, query) -> the count of that list's first page


def prepare(case: schemathesis.Case, config: ConformanceConfig, count_of: Counter | None = None) -> None:
    """Make a positive request one every backend following the seeds must accept, where the schema cannot say so
    (``api_contract/accepted_inputs.py``): a Garuda POST names the config's deployment and approved plan, and its
    times are of the seeds' era, the start not after the end; a search's bounds are timestamps of the seeds' form
    and era, the earliest not after the latest; a page's ``offset`` is one a walk of the real result set reaches
    (``count_of`` reads the count)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    operation = case.operation.definition.raw.get("operationId")
    if operation in ("createFlightSession", "updateFlightSession") and isinstance(case.body, dict):
        body: dict[str, Any] = case.body
        if operation == "createFlightSession":
            body["deployment_id"] = config.need("garuda.deployment_id")
            body["flight_plan_id"] = config.need("garuda.approved_flight_plan_id")
        for field in ("start_date_time", "end_date_time"):
            if isinstance(body.get(field), int):
                body[field] = millis_in_era(body[field])
        _in_order(body, "start_date_time", "end_date_time")
    if operation == "searchFlights" and isinstance(case.query, dict):
        for bound in ("earliest_departure", "latest_departure"):
            parsed = parse_timestamp(case.query.get(bound))
            if parsed is not None:
                case.query[bound] = timestamp_in_seed_form(parsed)
        _in_order(case.query, "earliest_departure", "latest_departure")
    if operation in PAGED and isinstance(case.query, dict) and case.query.get("offset"):
        _reachable_page(case, count_of)


def _reachable_page(case: schemathesis.Case, count_of: Counter | None) -> None:
    query: dict[str, Any] = case.query  # type: ignore[assignment]
    limit = query.get("limit") if isinstance(query.get("limit"), int) else None
    offset = query["offset"] if isinstance(query["offset"], int) else 0
    count = None
    if count_of is not None and limit is not None:  # without a page size only the first page is reachable
        count = count_of(case.formatted_path, {k: v for k, v in query.items() if k not in ("limit", "offset")})
    query["offset"] = reachable_offset(offset, limit, count or 0)


def page_counter(read: Callable[[str, dict[str, Any]], Any]) -> Counter:
    """A :data:`Counter` over ``read(path, query)`` (a GET answering a response with ``.json()``)."""
    def count_of(path: str, query: dict[str, Any]) -> int | None:
        try:
            count = read(path, {**query, "limit": 1}).json().get("count")
        except (ValueError, AttributeError):
            return None
        return count if isinstance(count, int) else None
    return count_of


def _in_order(values: dict[str, Any], first: str, last: str) -> None:
    """Swap ``values[first]`` and ``values[last]`` if both are there and out of order (integers or timestamps)."""
    low, high = values.get(first), values.get(last)
    if low is None or high is None:
        return
    if isinstance(low, str) and isinstance(high, str):
        low_at, high_at = parse_timestamp(low), parse_timestamp(high)
        out_of_order = low_at is not None and high_at is not None and high_at < low_at
    else:
        out_of_order = isinstance(low, int) and isinstance(high, int) and high < low
    if out_of_order:
        values[first], values[last] = high, low
