"""Legitimate backends: each makes one choice the seeds leave open (or read the other way where they contradict
themselves) differently from the mock, and must pass the whole suite.

Each is the mock behind :class:`~tests.conformance.breakage.BreakingMiddleware`, answering as an independent,
correct implementation that chose otherwise would. ``DECISION`` names the entry of ``docs/decisions.md`` each one
proves open; ``docs/decisions.md`` names the variant back.

``GROUPS`` serves them several at a time: a backend that makes several legitimate choices at once is itself a
legitimate backend, as long as the choices are independent, so the suite that must pass each alone must pass them
together. Each group's choices touch different things (one API's against the other's, an HTTP-wide freedom against
choices of the body), never two rewrites of the same part.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from api_contract import load_spec
from api_contract.examples import operations
from api_contract.routing import ROUTES, canonical_path
from conformance.checks.timestamps import parse_timestamp
from mock_server.app import MockApp
from tests.conformance.breakage import SEARCH, SESSIONS, STATUS, Breakage, Call, Exchange, stacked

SUBSCRIPTIONS = "/subscriptions/"
TIME_FIELDS = ("start_date_time", "end_date_time")
ID_FIELDS = ("flight_session_id", "company_id", "deployment_id", "flight_plan_id")
MOCK_MAX_MILLIS = 253402300799999


@dataclass(frozen=True)
class Variant:
    breakage: Breakage
    decision: str  # the heading in docs/decisions.md whose choice it makes differently


# -- reading and rewriting answers -----------------------------------------------------------------------------


def _garuda(x: Exchange) -> bool:
    return x.path.startswith(SESSIONS)


def _flightsayer(x: Exchange) -> bool:
    return x.path.startswith(("/flights/", "/subscriptions"))


def _top_statuses(x: Exchange) -> list[dict[str, Any]]:
    return x.statuses() if x.status == 200 else []


def _nested(status: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield status
    if isinstance(status.get("inbound"), dict):
        yield from _nested(status["inbound"])


def _every_status(change: Callable[[dict[str, Any]], None]) -> Callable[[Exchange], None]:
    """Apply ``change`` to every FlightStatus of a status or search answer, nested inbound ones included."""
    def response(x: Exchange) -> None:
        for top in _top_statuses(x):
            for status in list(_nested(top)):
                change(status)
    return response


def _refusal(x: Exchange) -> bool:
    return 400 <= x.status < 500


def _query_parameters() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for api in ("garuda", "flightsayer"):
        for _path, _method, operation, parameters in operations(load_spec(api)):
            found[operation["operationId"]] = {p["name"] for p in parameters if p["in"] == "query"}
    return found


# -- reversible rewrites of ids and times ---------------------------------------------------------------------


def _as_uuid(value: Any) -> Any:
    """A 32-hex id written as a UUID with dashes; anything else unchanged."""
    if isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value):
        return str(uuid.UUID(hex=value))
    return value


def _from_uuid(value: Any) -> Any:
    try:
        return uuid.UUID(value).hex if isinstance(value, str) and "-" in value else value
    except ValueError:
        return value


class SessionTimes:
    """Times a client sent that the mock itself would refuse (an end before the start, a year past 9999), as a
    backend accepting them stores them: the mock keeps a stand-in, the answers show what the client sent."""

    def __init__(self, stored: Callable[[str], dict[str, int]]) -> None:
        self.stored = stored  # session id -> the times the mock holds for it
        self.sent: dict[str, dict[str, int]] = {}  # session id -> the times as the client sent them
        self.pending: dict[str, int] | None = None

    def request(self, x: Exchange) -> None:
        self.pending = None
        if not (_garuda(x) and x.method in ("POST", "PATCH") and isinstance(x.body, dict)):
            return
        times = {f: x.body[f] for f in TIME_FIELDS if isinstance(x.body.get(f), int)}
        if not times:
            return
        session_id = x.path.rsplit("/", 1)[1] if x.method == "PATCH" else None
        before = self.sent.get(session_id) or (self.stored(session_id) if session_id else {})
        known = {**before, **times}
        start, end = known.get("start_date_time"), known.get("end_date_time")
        out_of_order = start is not None and end is not None and end < start
        out_of_range = any(not 0 <= value <= MOCK_MAX_MILLIS for value in times.values())
        if not (out_of_order or out_of_range):
            if session_id in self.sent:
                self.sent[session_id].update(times)
                x.body.update(self._stand_ins(self.sent[session_id]))
            return
        self.pending = times
        stand_ins = self._stand_ins(known)
        x.body.update({f: stand_ins[f] for f in times})
        if x.method == "PATCH":  # both times, so the stand-ins stay in order together
            x.body.update(stand_ins)

    @staticmethod
    def _stand_ins(times: dict[str, int]) -> dict[str, int]:
        start, end = times.get("start_date_time", 0), times.get("end_date_time", 0)
        low, high = sorted(min(max(v, 0), MOCK_MAX_MILLIS) for v in (start, end))
        return {"start_date_time": low, "end_date_time": high}

    def response(self, x: Exchange) -> None:
        for session in x.sessions():
            session_id = session.get("flight_session_id")
            if self.pending is not None and x.method in ("POST", "PATCH") and session_id:
                self.sent[session_id] = {**self.sent.get(session_id, {}), **self.pending}
            for field, value in self.sent.get(session_id, {}).items():
                session[field] = value
        self.pending = None


# -- the variants -----------------------------------------------------------------------------------------------


def legitimate_variants(app: MockApp) -> dict[str, Variant]:
    """name -> the variant, for the mock ``app`` it wraps (some answer from its state, as a real backend would)."""
    state = app.state
    query_parameters = _query_parameters()
    memory: dict[str, Any] = {"deleted": set(), "patches": {}, "targets": {}}

    def company_of_token(x: Exchange) -> Any:
        token = x.headers.get("authorization", "").removeprefix("Bearer ")
        return next((c for c in state.garuda.companies.values() if c.token == token), None)

    # Both APIs, and HTTP's own freedoms

    def problem_json(x: Exchange) -> None:
        if _refusal(x) and (_garuda(x) or _flightsayer(x)):
            x.response = {"type": "about:blank", "title": "Request refused", "status": x.status}
            x.response_headers["content-type"] = "application/problem+json"

    def unknown_query_parameters_refused(x: Exchange) -> None:
        operation = ROUTES.operation_of(x.method, canonical_path(x.path))
        if operation and set(x.query) - query_parameters[operation]:
            x.status, x.response = 400, {"detail": f"unknown query parameters {sorted(x.query)}"}
            x.response_headers = {"content-type": "application/json"}

    def strict_slashes(x: Exchange) -> None:
        if (_garuda(x) or _flightsayer(x)) and canonical_path(x.path) != x.path:
            x.status, x.response = 404, {"detail": "Not found."}
            x.response_headers = {"content-type": "application/json"}

    def links_with_slash(x: Exchange) -> None:
        if x.status == 200 and isinstance(x.response, dict) and x.path.startswith(SEARCH):
            for link in ("next", "previous"):
                if isinstance(x.response.get(link), str):
                    parts = urlsplit(x.response[link])
                    x.response[link] = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/"))

    def undefined_methods_501(x: Exchange) -> None:
        path = canonical_path(x.path)
        methods = ROUTES.methods_of(path)
        if methods and x.method not in methods | {"HEAD", "OPTIONS"} | ({"HEAD"} if "GET" in methods else set()):
            x.status, x.response = 501, {"detail": f"{x.method} is not implemented"}
            x.response_headers = {"content-type": "application/json"}

    def non_json_400(x: Exchange) -> None:
        if x.status == 415:
            x.status = 400

    def json_charset(x: Exchange) -> None:
        if x.response_headers.get("content-type") == "application/json":
            x.response_headers["content-type"] = "application/json; charset=utf-8"

    def gzip_answers(x: Exchange) -> None:
        if x.response is not None and "gzip" in x.headers.get("accept-encoding", ""):
            x.raw_response = gzip.compress(x.raw_response or json.dumps(x.response).encode())
            x.response_headers["content-encoding"] = "gzip"
            x.response_headers["vary"] = "Accept-Encoding"

    def pretty_json(x: Exchange) -> None:
        if x.response is not None:
            x.raw_response = (json.dumps(x.response, indent=2, ensure_ascii=False) + "\n").encode()

    def extra_headers(x: Exchange) -> None:
        x.response_headers.update({"x-request-id": uuid.uuid4().hex, "cache-control": "no-store",
                                   "x-ratelimit-remaining": "999"})

    # Garuda

    def times_as_strings(x: Exchange) -> None:
        for session in x.sessions():
            for field in TIME_FIELDS:
                if isinstance(session.get(field), int):
                    session[field] = str(session[field])

    def uuid_request(x: Exchange) -> None:
        if not _garuda(x):
            return
        parts = x.path.split("/")
        x.path = "/".join(_from_uuid(p) for p in parts)
        x.query = {k: _from_uuid(v) for k, v in x.query.items()}
        if isinstance(x.body, dict):
            x.body = {k: _from_uuid(v) if k in ID_FIELDS else v for k, v in x.body.items()}

    def uuid_response(x: Exchange) -> None:
        for session in x.sessions():
            for field in ID_FIELDS:
                session[field] = _as_uuid(session.get(field))

    def uuid_config(original: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(original)
        garuda = changed["garuda"]
        for scope in (garuda, garuda["other_company"]):
            for key in ("deployment_id", "approved_flight_plan_id", "unapproved_flight_plan_id"):
                if key in scope:
                    scope[key] = _as_uuid(scope[key])
        return changed

    def garuda_status(old: int, new: int, *, drop_challenge: bool = False) -> Callable[[Exchange], None]:
        def response(x: Exchange) -> None:
            if _garuda(x) and x.status == old:
                x.status = new
                if drop_challenge:
                    x.response_headers.pop("www-authenticate", None)
        return response

    def garuda_error_body(x: Exchange) -> None:
        if _garuda(x) and _refusal(x) and isinstance(x.response, dict):
            x.response = {"error": {"code": x.status, "message": x.response.get("message", "")}}

    def session_extras(x: Exchange) -> None:
        for session in x.sessions():
            session_id = session.get("flight_session_id", "")
            if x.method == "PATCH":
                memory["patches"][session_id] = memory["patches"].get(session_id, 0) + 1
            session["created_at"] = "2026-01-01T00:00:00Z"
            session["updated_at"] = f"2026-01-01T00:00:{memory['patches'].get(session_id, 0) % 60:02d}Z"
            session["_links"] = {"self": {"href": f"{SESSIONS}/{session_id}"}}

    def shuffled_list(x: Exchange) -> None:
        if x.method == "GET" and x.path == SESSIONS and x.status == 200 and isinstance(x.response, dict):
            random.shuffle(x.response["data"])

    def unknown_filter_refused(x: Exchange) -> None:
        company = company_of_token(x)
        if x.method != "GET" or x.path != SESSIONS or company is None:
            return
        known = {"deployment_id": company.deployments, "flight_plan_id": company.flight_plans}
        if any(value not in known.get(name, {value}) for name, value in x.query.items()):
            x.status, x.response = 400, {"success": False, "message": "Select a valid choice."}
            x.response_headers = {"content-type": "application/json"}

    def patch_drops_unknown_fields(x: Exchange) -> None:
        if _garuda(x) and x.method == "PATCH" and isinstance(x.body, dict):
            x.body = {k: v for k, v in x.body.items()
                      if k in ("start_date_time", "end_date_time", "deployment_id", "flight_plan_id")}

    def post_refuses_unknown_fields(x: Exchange) -> None:
        allowed = {"deployment_id", "flight_plan_id", "start_date_time", "end_date_time"}
        if _garuda(x) and x.method == "POST" and isinstance(x.body, dict) and set(x.body) - allowed:
            x.status, x.response = 400, {"success": False, "message": "unknown fields"}
            x.response_headers = {"content-type": "application/json"}

    def patch_keeps_references(x: Exchange) -> None:
        if _garuda(x) and x.method == "PATCH" and isinstance(x.body, dict) and (
                {"deployment_id", "flight_plan_id"} & set(x.body)):
            x.status, x.response = 400, {"success": False, "message": "only the times can change"}
            x.response_headers = {"content-type": "application/json"}

    def stored_times(session_id: str) -> dict[str, int]:
        found = next((s for s in state.garuda.export() if s["flight_session_id"] == session_id), {})
        return {field: found[field] for field in TIME_FIELDS if field in found}

    times = SessionTimes(stored_times)

    def foreign_session_403(x: Exchange) -> None:
        company = company_of_token(x)
        if not (_garuda(x) and x.path.startswith(SESSIONS + "/") and company is not None and x.status == 404):
            return
        session_id = x.path.rsplit("/", 1)[1]
        owners = {s["company_id"] for s in state.garuda.export() if s["flight_session_id"] == session_id}
        if owners and company.company_id not in owners:
            x.status, x.response = 403, {"success": False, "message": "not your company's session"}

    def deleted_410(x: Exchange) -> None:
        if not (_garuda(x) and x.path.startswith(SESSIONS + "/")):
            return
        session_id = x.path.rsplit("/", 1)[1]
        if x.method == "DELETE" and x.status == 200:
            memory["deleted"].add(session_id)
        elif x.status == 404 and session_id in memory["deleted"]:
            x.status, x.response = 410, {"success": False, "message": "deleted"}

    def foreign_references_403(x: Exchange) -> None:
        company = company_of_token(x)
        if not (_garuda(x) and x.method == "POST" and x.status == 400 and company is not None
                and isinstance(x.body, dict)):
            return
        others = [c for c in state.garuda.companies.values() if c is not company]
        deployment, plan = x.body.get("deployment_id"), x.body.get("flight_plan_id")
        if any((isinstance(deployment, str) and deployment in c.deployments)
               or (isinstance(plan, str) and plan in c.flight_plans) for c in others):
            x.status, x.response = 403, {"success": False, "message": "not your company's"}

    def malformed_id_404(x: Exchange) -> None:
        if _garuda(x) and x.path.startswith(SESSIONS + "/") and x.status == 400 and x.method in ("GET", "DELETE"):
            x.status = 404

    # Flightsayer

    def probabilities_named_prediction(status: dict[str, Any]) -> None:
        prediction = status.get("prediction")
        if isinstance(prediction, dict) and "distribution" in prediction:
            prediction["prediction"] = prediction.pop("distribution")

    def fractional_delay_index(status: dict[str, Any]) -> None:
        prediction = status.get("prediction") or {}
        if isinstance(prediction.get("delay_index"), int):
            prediction["delay_index"] = min(10.0, prediction["delay_index"] + 0.25)

    def rounded_probabilities(status: dict[str, Any]) -> None:
        prediction = status.get("prediction") or {}
        values = prediction.get("distribution")
        if isinstance(values, list) and len(values) == 4:
            # Each value rounded to one step of 0.005 off, as two-decimal rounding of unrounded model output can be.
            prediction["distribution"] = [round(min(1.0, v + 0.005), 3) if v < 1 else v for v in values[:3]] + [
                values[3]]

    def light_search_results(x: Exchange) -> None:
        if x.path.startswith(SEARCH):
            for status in _top_statuses(x):
                for key in ("inbound", "historical_performance", "weather"):
                    status.pop(key, None)

    def inbound_one_level(status: dict[str, Any]) -> None:
        inbound = status.get("inbound")
        if isinstance(inbound, dict):
            inbound.pop("inbound", None)

    def optional_fields_null(status: dict[str, Any]) -> None:
        status["weather"] = None
        if not status.get("historical_performance"):
            status["historical_performance"] = None
        realtime = status.get("status")
        if isinstance(realtime, dict):
            realtime["departure"]["gate"] = None

    def other_timestamp_forms(status: dict[str, Any]) -> None:
        def millis(value: Any) -> Any:
            return value[:19] + ".000" + value[19:] if isinstance(value, str) and len(value) > 19 else value

        flight = status.get("flight") or {}
        for key in ("scheduled_departure", "scheduled_arrival"):
            flight[key] = millis(flight.get(key))
        realtime = status.get("status")
        if isinstance(realtime, dict) and isinstance(realtime.get("last_updated"), str):
            realtime["last_updated"] = realtime["last_updated"].replace("Z", "+00:00")

    def subscription_timestamps(x: Exchange) -> None:
        if x.path.startswith("/subscriptions") and x.status in (200, 201) and isinstance(x.response, dict):
            items = x.response.get("results") if "results" in x.response else [x.response]
            for item in items or []:
                for key in ("created", "updated"):
                    value = item.get(key)
                    if isinstance(value, str) and value.endswith("Z"):
                        item[key] = value[:-1] + ("" if "." in value else ".000") + "+00:00"

    def page_size_capped(cap: int) -> Callable[[Exchange], None]:
        def request(x: Exchange) -> None:
            if x.method == "GET" and canonical_path(x.path) in (SEARCH, SUBSCRIPTIONS):
                asked = int(x.query["limit"]) if x.query.get("limit", "").isdigit() else cap
                x.query["limit"] = str(min(asked, cap))
        return request

    def default_page_size(x: Exchange) -> None:
        if x.method == "GET" and canonical_path(x.path) in (SEARCH, SUBSCRIPTIONS) and "limit" not in x.query:
            x.query["limit"] = "10"

    def links_omitted_at_the_ends(x: Exchange) -> None:
        if x.status == 200 and isinstance(x.response, dict) and "results" in x.response:
            for link in ("next", "previous"):
                if x.response.get(link) is None:
                    x.response.pop(link, None)

    async def reversed_pages(x: Exchange, call: Call) -> None:
        """Another stable order: the mock's, reversed, paginated over the whole result as the backend's own. The
        request goes to the mock as asked first, so what the mock refuses (a page size past its maximum, say) this
        backend refuses alike."""
        path = canonical_path(x.path)
        numbers = [x.query.get(name, "0") for name in ("limit", "offset")]
        asked = await call(x.method, x.path, query=x.query, headers=x.headers, body=x.body)
        if (x.method != "GET" or path not in (SEARCH, SUBSCRIPTIONS) or not all(n.isdigit() for n in numbers)
                or asked.status != 200 or not isinstance(asked.response, dict)):
            x.status, x.response_headers, x.response = asked.status, asked.response_headers, asked.response
            return
        count = asked.response["count"]
        limit = int(x.query.get("limit", "50") or 50)
        offset = int(x.query.get("offset", "0") or 0)
        size = len(asked.response["results"])
        start = max(0, count - offset - size)
        results: list[Any] = []
        if size:
            inner = await call("GET", path, query={**x.query, "limit": str(size), "offset": str(start)},
                               headers=x.headers)
            if inner.status != 200 or not isinstance(inner.response, dict):  # changed in between: as it answered
                x.status, x.response_headers, x.response = inner.status, inner.response_headers, inner.response
                return
            results = list(reversed(inner.response["results"]))
        base = f"http://{x.headers.get('host', '')}{path}"

        def link(at: int) -> str:
            return f"{base}?{urlencode({**x.query, 'limit': limit, 'offset': at})}"

        x.status, x.response_headers = 200, {"content-type": "application/json"}
        x.response = {"count": count, "next": link(offset + limit) if offset + limit < count else None,
                      "previous": link(max(0, offset - limit)) if offset > 0 else None, "results": results}

    def credentials_403(x: Exchange) -> None:
        if _flightsayer(x) and x.status == 401:
            x.status = 403
            x.response_headers.pop("www-authenticate", None)
            x.response = {"detail": "You do not have permission to perform this action."}

    def malformed_flight_id_404(x: Exchange) -> None:
        if x.path.startswith((STATUS, SUBSCRIPTIONS)) and x.status == 400 and x.method != "PUT":
            x.status, x.response = 404, {"detail": "Not found."}

    def unknown_flight_subscription_400(x: Exchange) -> None:
        if x.method == "PUT" and x.path.startswith(SUBSCRIPTIONS) and x.status == 404:
            x.status, x.response = 400, {"flight_id": ["Unknown flight."]}

    def inverted_bounds_refused(x: Exchange) -> None:
        if canonical_path(x.path) == SEARCH:
            earliest = parse_timestamp(x.query.get("earliest_departure"))
            latest = parse_timestamp(x.query.get("latest_departure"))
            if earliest is not None and latest is not None and earliest > latest:
                x.status, x.response = 400, {"latest_departure": ["must not be before earliest_departure"]}
                x.response_headers = {"content-type": "application/json"}

    def any_scheme_target(x: Exchange) -> None:
        if x.method == "PUT" and x.path.startswith(SUBSCRIPTIONS) and isinstance(x.body, dict):
            sent = x.body.get("target")
            if isinstance(sent, str) and "://" in sent and not sent.lower().startswith(("http://", "https://")):
                stand_in = f"http://target.invalid/{uuid.uuid4().hex}"
                memory["targets"][stand_in] = sent
                x.body["target"] = stand_in

    def any_scheme_target_answer(x: Exchange) -> None:
        if x.path.startswith("/subscriptions") and isinstance(x.response, dict):
            for item in x.response.get("results", [x.response]):
                if isinstance(item, dict) and isinstance(item.get("target"), str) and item["target"] in memory[
                        "targets"]:
                    item["target"] = memory["targets"][item["target"]]

    def no_content_with_type(x: Exchange) -> None:
        if x.status == 204:
            x.response_headers["content-type"] = "application/json"

    def deleted_subscription_410(x: Exchange) -> None:
        key = (x.headers.get("authorization"), x.path.rstrip("/"))
        if x.method == "DELETE" and x.path.startswith(SUBSCRIPTIONS) and x.status == 204:
            memory["deleted"].add(key)
        elif x.path.startswith(SUBSCRIPTIONS) and x.status == 404 and key in memory["deleted"]:
            x.status, x.response = 410, {"detail": "Gone."}
        elif x.method == "PUT" and x.status == 201:
            memory["deleted"].discard(key)

    def other_source(status: dict[str, Any]) -> None:
        if isinstance(status.get("status"), dict):
            status["status"]["source"] = "flightview"

    def status_absent_until_known(status: dict[str, Any]) -> None:
        realtime = status.get("status")
        if isinstance(realtime, dict) and realtime["departure"]["type"] == "scheduled" and not realtime["cancelled"]:
            status.pop("status")

    def on_status_everywhere(change: Callable[[dict[str, Any]], None], name: str) -> Breakage:
        """``change`` to every FlightStatus answered or pushed, as a backend serialising them its own way would."""
        def pushed(status: dict[str, Any]) -> None:
            for nested in list(_nested(status)):
                change(nested)
        return Breakage(name, response=_every_status(change), notification=pushed)

    b = Breakage
    return {
        # Both APIs, and HTTP's own freedoms
        "errors in application/problem+json": Variant(b("problem", response=problem_json), "Error body"),
        "unknown query parameters refused": Variant(b("params", request=unknown_query_parameters_refused),
                                                    "Unknown query parameters, trailing slashes, methods and media "
                                                    "types"),
        "only the specs' own trailing-slash forms served": Variant(
            b("slashes", request=strict_slashes),
            "Unknown query parameters, trailing slashes, methods and media types"),
        "methods a path lacks answered 501": Variant(
            b("501", request=undefined_methods_501),
            "Unknown query parameters, trailing slashes, methods and media types"),
        "a body that is not JSON answered 400": Variant(b("415", response=non_json_400), "Bodies, sizes and URLs"),
        "compressed, pretty-printed JSON with a charset and headers of its own": Variant(
            combined("http", json_charset, extra_headers, no_content_with_type, pretty_json, gzip_answers),
            "Paths and hosts"),
        # Garuda
        "Garuda times as strings of digits": Variant(b("strtimes", response=times_as_strings),
                                                      "Times are integer epoch milliseconds"),
        "Garuda ids as UUIDs": Variant(b("uuid", request=uuid_request, response=uuid_response, config=uuid_config),
                                       "Id format"),
        "Garuda validation errors answered 422 in a body of its own": Variant(
            combined("422", garuda_status(400, 422), garuda_error_body), "Error body"),
        "Garuda refuses credentials with 403": Variant(
            b("403", response=garuda_status(401, 403, drop_challenge=True)), "Authentication"),
        "Garuda sessions carry extra fields that move": Variant(b("extras", response=session_extras),
                                                                 "PATCH is partial, and may move a session"),
        "Garuda list in any order": Variant(b("shuffle", response=shuffled_list),
                                            "Filters combine with AND; list order; no pagination"),
        "Garuda refuses a filter naming nothing": Variant(b("filter400", request=unknown_filter_refused),
                                                           "Filters combine with AND; list order; no pagination"),
        "Garuda POST refuses unknown fields, PATCH drops them": Variant(
            b("fields", request=lambda x: (post_refuses_unknown_fields(x), patch_drops_unknown_fields(x))),
            "Unknown body fields"),
        "Garuda PATCH cannot move a session": Variant(b("patchrefs", request=patch_keeps_references),
                                                       "PATCH is partial, and may move a session"),
        "Garuda accepts any times, in any order": Variant(b("times", request=times.request, response=times.response),
                                                           "Time order"),
        "Garuda answers 403 for another company's session or references": Variant(
            combined("foreign403", foreign_session_403, foreign_references_403),
            "Unknown, other-tenant and malformed ids"),
        "Garuda answers 404 for a malformed id, 410 for a deleted session": Variant(
            combined("gone", malformed_id_404, deleted_410), "DELETE answers 200 with the deleted object"),
        # Flightsayer
        "probabilities named prediction": Variant(on_status_everywhere(probabilities_named_prediction, "pred"),
                                                  "Prediction wire name and numbers"),
        "a fractional delay index, probabilities rounded off the sum": Variant(
            on_status_everywhere(lambda s: (fractional_delay_index(s), rounded_probabilities(s)), "numbers"),
            "Prediction wire name and numbers"),
        "search results without optional parts": Variant(b("light", response=light_search_results),
                                                         "Nullable and optional fields"),
        "inbound flights nested one level": Variant(on_status_everywhere(inbound_one_level, "inbound1"),
                                                    "Inbound flight"),
        "optional parts null or absent, another realtime source": Variant(
            on_status_everywhere(lambda s: (optional_fields_null(s), other_source(s), status_absent_until_known(s)),
                                 "optional"), "Nullable and optional fields"),
        "other ISO 8601 forms": Variant(b("iso", response=lambda x: (_every_status(other_timestamp_forms)(x),
                                                                      subscription_timestamps(x))),
                                        "Timestamps and offsets"),
        "a maximum page size of 7": Variant(b("cap", request=page_size_capped(7)), "Search"),
        "a default page size of 10, links absent at the ends": Variant(
            b("pages", request=default_page_size, response=links_omitted_at_the_ends), "Pagination shape"),
        "page links with the seed's trailing slash": Variant(b("slashlinks", response=links_with_slash), "Search"),
        "search and subscriptions in another stable order": Variant(b("reversed", respond=reversed_pages), "Search"),
        "Flightsayer refuses credentials with 403": Variant(b("fs403", response=credentials_403),
                                                             "Error format and authentication"),
        "Flightsayer answers 404 for a malformed FlightId, 410 for a deleted subscription": Variant(
            combined("fs404", malformed_flight_id_404, deleted_subscription_410),
            "Unknown flight, malformed FlightId"),
        "Flightsayer answers 400 to an unknown flight's subscription and to inverted bounds": Variant(
            b("fs400", request=inverted_bounds_refused, response=unknown_flight_subscription_400),
            "Unknown flight, malformed FlightId"),
        "Flightsayer accepts targets of any scheme": Variant(
            b("ftp", request=any_scheme_target, response=any_scheme_target_answer), "Subscription target"),
    }


# Each variant in exactly one group, and no group with two variants of one decision (both pinned by tests); the first
# layer is the outermost. A group holds at most one HTTP-wide choice, one Garuda choice and one or two Flightsayer
# ones. Kept in different groups: the four variants that rewrite every FlightStatus answered and pushed, the four
# paging choices (a cap, a default size, trailing-slash links, another order), and the two error-body rewrites
# (problem+json, Garuda's 422 body). Two choices of a group that both answer refusals answer different requests: on
# different APIs, or for different faults (an undefined method and bad credentials; a body that is not JSON and
# unknown fields in a JSON one).
# The HTTP encoding sits outermost, so it encodes what the other layers answered; the one variant that answers from
# calls to the mock (another stable order) innermost, as only it may.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("errors in application/problem+json", "Garuda times as strings of digits", "inbound flights nested one level"),
    ("unknown query parameters refused", "Garuda sessions carry extra fields that move",
     "probabilities named prediction"),
    ("only the specs' own trailing-slash forms served", "Garuda list in any order",
     "a fractional delay index, probabilities rounded off the sum"),
    ("methods a path lacks answered 501", "Garuda refuses credentials with 403", "other ISO 8601 forms"),
    ("a body that is not JSON answered 400", "Garuda POST refuses unknown fields, PATCH drops them",
     "search results without optional parts"),
    ("compressed, pretty-printed JSON with a charset and headers of its own", "Garuda PATCH cannot move a session",
     "optional parts null or absent, another realtime source"),
    ("Garuda ids as UUIDs", "a maximum page size of 7", "Flightsayer refuses credentials with 403"),
    ("Garuda validation errors answered 422 in a body of its own",
     "a default page size of 10, links absent at the ends", "Flightsayer accepts targets of any scheme"),
    ("Garuda refuses a filter naming nothing", "page links with the seed's trailing slash"),
    ("Garuda accepts any times, in any order", "search and subscriptions in another stable order"),
    ("Garuda answers 403 for another company's session or references",
     "Flightsayer answers 404 for a malformed FlightId, 410 for a deleted subscription"),
    ("Garuda answers 404 for a malformed id, 410 for a deleted session",
     "Flightsayer answers 400 to an unknown flight's subscription and to inverted bounds"),
)


def served_together(variants: dict[str, Variant], names: tuple[str, ...]) -> Breakage:
    """The variants ``names`` as one backend, the first outermost; one name gives that variant as it is."""
    if len(names) == 1:
        return variants[names[0]].breakage
    return stacked(" + ".join(names), *(variants[name].breakage for name in names))


def combined(name: str, *responses: Callable[[Exchange], None]) -> Breakage:
    """One backend making several choices of the same kind at once, each a rewrite of the answer, in order."""
    def response(x: Exchange) -> None:
        for change in responses:
            change(x)
    return Breakage(name, response=response)
