"""Schemathesis set up for the suite: which of its checks run, which are disabled and why, and how requests get
credentials and usable ids from the config.

Checks that run on every response (schemathesis's own names):
  not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
  response_schema_conformance, positive_data_acceptance, negative_data_rejection (where the seed defines the form),
  missing_required_header, use_after_free, ensure_resource_availability, ignored_auth;
and ours, seed_rules_hold: every per-response check of conformance/checks on every answer schemathesis provokes.

Disabled, because the seeds leave the behaviour open (docs/decisions.md):
  unsupported_method, allow_header_conformance — "Unknown query parameters, trailing slashes, methods and media
    types: ... Suite: not checked (seed silent)". A backend may answer 404 or 405, with or without ``Allow``.
  object_level_authorization — needs schemathesis's own multi-identity auth setup; the suite's scenario checks
    ``other_companys_sessions_are_invisible`` and ``subscriptions_are_per_user`` test isolation instead.
  negative_data_rejection on listFlightSessions, searchFlights and listSubscriptions — a malformed filter id may
    simply match nothing (200 with an empty list; "accepts 400 or 404 for malformed Garuda ids (the seed never says
    ids are validated)"), and ``limit``/``offset`` are not in the seeds at all (Django REST framework clamps an
    over-large limit instead of rejecting it).
  negative_data_rejection on createFlightSession and updateFlightSession — the seed's tables type the times as
    "String"; the decision reads the integer examples as the wire form but does not require rejecting strings.
  negative_data_rejection for cases whose negation is in the query string or headers — "query parameters the spec
    does not define are ignored ... Suite: not checked (seed silent)", and the credential headers are the suite's
    own (a case "missing" them is sent with them). Negations of the path (a malformed FlightId: "requires 400 for a
    malformed FlightId") and of the body (a target that is not a URL) stay checked.
positive_data_acceptance also accepts 400 from createFlightSession and updateFlightSession: "Each `flight session`
must be tagged to a valid and approved `flight plan` and an existing `deployment`", which no schema can express, and
a schema-valid session may end before it starts (the seed is silent; a backend may reject it).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi import checks as openapi_checks
from schemathesis.specs.openapi.schemas import OpenApiSchema

from api_contract import spec_path
from conformance.checks.seed_rules import answer_violations
from conformance.config import ConformanceConfig

NEGATIVE_DATA_OPEN = ["listFlightSessions", "searchFlights", "listSubscriptions", "createFlightSession",
                      "updateFlightSession"]


def negative_data_rejection_where_seed_defines_form(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis's negative_data_rejection, limited to what the seeds define (see the module docstring)."""
    if case.meta is None or case.operation.definition.raw.get("operationId") in NEGATIVE_DATA_OPEN:
        return None
    negated = {location for location, info in case.meta.components.items() if info.mode.is_negative}
    if negated - {ParameterLocation.PATH, ParameterLocation.BODY}:
        return None
    return openapi_checks.negative_data_rejection(ctx, response, case)


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
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.positive_data_acceptance,
    negative_data_rejection_where_seed_defines_form,
    openapi_checks.missing_required_header,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
    openapi_checks.ignored_auth,
]
DISABLED_CHECKS = ["unsupported_method", "allow_header_conformance", "object_level_authorization"]
REFERENCES_CHECKED_BY_BACKEND = ["createFlightSession", "updateFlightSession"]

SCHEMATHESIS_CONFIG = {
    # The curl lines of failures keep the credentials: they are the user's own config, needed to replay.
    "output": {"sanitization": {"enabled": False}},
    "checks": {name: {"enabled": False} for name in DISABLED_CHECKS},
    "operations": [
        {"include-operation-id": NEGATIVE_DATA_OPEN, "checks": {"negative_data_rejection": {"enabled": False}}},
        {"include-operation-id": REFERENCES_CHECKED_BY_BACKEND,
         "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]}}},
    ],
}


def load_schema(api: str) -> OpenApiSchema:
    config = schemathesis.Config.from_dict(SCHEMATHESIS_CONFIG)
    return schemathesis.openapi.from_path(spec_path(api), config=config)


def auth_headers(api: str, config: ConformanceConfig) -> dict[str, str]:
    if api == "garuda":
        return {"Authorization": f"Bearer {config.need('garuda.token')}",
                "X-API-Key": config.need("garuda.api_key")}
    return {"Authorization": f"Token {config.need('flightsayer.token')}"}


def use_configured_references(case: schemathesis.Case, config: ConformanceConfig) -> None:
    """Point a positive Garuda POST at the config's deployment and approved plan, times in order, so it succeeds."""
    if case.operation.definition.raw.get("operationId") != "createFlightSession":
        return
    if case.meta is None or not case.meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return
    body: dict[str, Any] = case.body
    body["deployment_id"] = config.need("garuda.deployment_id")
    body["flight_plan_id"] = config.need("garuda.approved_flight_plan_id")
    start, end = body.get("start_date_time"), body.get("end_date_time")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        body["start_date_time"], body["end_date_time"] = end, start
