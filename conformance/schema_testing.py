"""Schemathesis set up for the suite by the seed rule: which of its checks run, on which requests, against which
view of the specs (:mod:`api_contract.policy`), and how requests get credentials and usable ids from the config.

What is sent, and what is judged:
  Positive requests are generated from the *inputs view*: what both the contract and the mock accept (integer
  epoch milliseconds, the mock's id form, page sizes up to the seed's 50...). Every backend that follows the seeds
  must accept them, whatever it chose where the seeds are silent. Negative requests are generated from the
  *contract view* alone, so a backend is only expected to refuse what the seeds forbid. Every answer is judged by
  the contract view: the seeds document only 200, 201 and 204, so any 4xx with any body conforms where a request
  is refused (a 401 must still carry WWW-Authenticate, as HTTP requires).

Checks that run (schemathesis's own names):
  status_code_conformance, content_type_conformance, response_headers_conformance, response_schema_conformance,
  use_after_free, ensure_resource_availability, ignored_auth;
  not_a_server_error for every request to an operation the seeds define (see ``not_a_server_error_where_defined``);
  positive_data_acceptance, with any 4xx accepted where the seeds leave the refusal open (``ANY_REFUSAL``);
  negative_data_rejection, with any 4xx as the refusal, and missing_required_header as
  ``missing_credentials_refused``: any 4xx (schemathesis itself wants 401 for a missing ``Authorization``);
and ours, seed_rules_hold: every per-response check of conformance/checks on every answer schemathesis provokes.

Disabled, because the seeds leave the behaviour open (docs/decisions.md):
  unsupported_method, allow_header_conformance: "Unknown query parameters, trailing slashes, methods and media
    types": a backend may answer 404, 405 or 501, with or without ``Allow``.
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
from schemathesis.openapi.checks import MissingHeaderNotRejected
from schemathesis.specs.openapi import checks as openapi_checks
from schemathesis.specs.openapi.schemas import OpenApiSchema

from api_contract import load_spec
from api_contract.routing import ROUTES
from conformance.checks.seed_rules import answer_violations
from conformance.checks.timestamps import parse_timestamp
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


def not_a_server_error_where_defined(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis's not_a_server_error for requests to an operation the seeds define. A method the specs do not
    have at that path (``TRACE``) may be answered ``501 Not Implemented`` (RFC 9110, 9.1), and a body in a media
    type the seeds never use is no request of theirs either."""
    if coverage_scenario(case) in REQUEST_SHAPE_PROBES:
        return None
    if ROUTES.operation_of(case.method.upper(), case.operation.path) is None:
        return None
    return not_a_server_error(ctx, response, case)


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
    probabilities, the `{"success": true, "data": ...}` envelope, and the rest of conformance/checks."""
    try:
        body = response.json()
    except ValueError:
        return None  # content_type_conformance and response_schema_conformance report undecodable bodies
    operation_id = case.operation.definition.raw.get("operationId", "")
    violations = answer_violations(operation_id, case.operation.path, response.status_code, body)
    if violations:
        raise AssertionError("Seed rules broken:\n" + "\n".join(v.describe() for v in violations))
    return None


ENABLED_CHECKS = [
    seed_rules_hold,
    not_a_server_error_where_defined,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.positive_data_acceptance,
    negative_data_rejection_where_seed_defines_form,
    missing_credentials_refused,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
    openapi_checks.ignored_auth,
]
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


def prepare(case: schemathesis.Case, config: ConformanceConfig) -> None:
    """Make a positive request one every backend following the seeds must accept, where the schema cannot say so:
    a Garuda POST names the config's deployment and approved plan and starts before it ends; a search's earliest
    bound is not after its latest (a backend may refuse such a search)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    operation = case.operation.definition.raw.get("operationId")
    if operation == "createFlightSession" and isinstance(case.body, dict):
        body: dict[str, Any] = case.body
        body["deployment_id"] = config.need("garuda.deployment_id")
        body["flight_plan_id"] = config.need("garuda.approved_flight_plan_id")
        _in_order(body, "start_date_time", "end_date_time")
    if operation == "updateFlightSession" and isinstance(case.body, dict):
        _in_order(case.body, "start_date_time", "end_date_time")
    if operation == "searchFlights" and isinstance(case.query, dict):
        _in_order(case.query, "earliest_departure", "latest_departure")


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
