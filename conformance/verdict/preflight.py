"""Preflight: before any check, in seconds, whether the run can judge the backend at all.

A wrong credential does not fail loudly: every generated request gets a 401, which the schema checks accept, and
the scenario checks fail one by one with "expected HTTP 200, got HTTP 401". An unreachable backend fails every check
with a page of tracebacks each. So before the first check:

- the base URL answers (any HTTP answer will do);
- each selected API's credentials in the config are accepted: one authenticated read each;
- the config's ids do what the config says: the deployment and approved plan create a session (deleted again), the
  unapproved plan is refused, and the second company and user are accepted and are not the same tenant as the main
  ones (``--read-only``: the reads only, no session is created);
- a ``--webhook-trigger-cmd``'s program exists.

Each problem is one line naming the config key (or the option) to fix. Only a refusal of a credential (401, 403) or
an id (4xx) is a config problem; any other answer is left to the checks to judge.
"""

from __future__ import annotations

import os
import random
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.config import ConformanceConfig
from conformance.verdict.exit_codes import Exit

UNREACHABLE, CONFIG = "unreachable", "config"
TIMEOUT = 4.0  # seconds a preflight request may take: the whole preflight must fit in a few
SESSIONS = "/v2/flight_sessions"
SUBSCRIPTIONS = "/subscriptions/"
REFUSED = (401, 403)


@dataclass(frozen=True)
class Problem:
    kind: str  # UNREACHABLE or CONFIG
    line: str  # what to fix, on one line


def run_preflight(base_url: str, config: ConformanceConfig, *, apis: list[str] | None, read_only: bool,
                  trigger_cmd: str | None) -> list[Problem]:
    """Every problem found, in the order a user would fix them; empty when the run can go ahead."""
    problems = list(_trigger_problems(trigger_cmd))
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=TIMEOUT, follow_redirects=False) as http:
        try:
            http.get("/")
        except httpx.TransportError as error:
            return [Problem(UNREACHABLE, f"{base_url} does not answer: {_reason(error)}"), *problems]
        selected = apis or ["garuda", "flightsayer"]
        if "garuda" in selected:
            problems += _garuda_problems(http, config, read_only)
        if "flightsayer" in selected:
            problems += _flightsayer_problems(http, config)
    return problems


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:200]


def _answer(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url.path} answered {response.status_code}: " \
           f"{' '.join(response.text.split())[:120]}"


def _trigger_problems(command: str | None) -> Iterator[Problem]:
    if not command:
        return
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        yield Problem(CONFIG, f"--webhook-trigger-cmd {command!r}: not a command line")
        return
    found = shutil.which(program) if os.sep not in program else (program if os.access(program, os.X_OK) else None)
    if found is None:
        yield Problem(CONFIG, f"--webhook-trigger-cmd: program {program!r} not found or not executable")


def _garuda_headers(company: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {company['token']}", "X-API-Key": str(company["api_key"])}


def _company(config: ConformanceConfig, prefix: str) -> dict[str, Any] | None:
    token, key = config.get(f"{prefix}.token"), config.get(f"{prefix}.api_key")
    if token is None or key is None:
        return None  # the checks needing it skip, naming the key
    return {"token": str(token), "api_key": str(key), "deployment_id": config.get(f"{prefix}.deployment_id"),
            "approved_flight_plan_id": config.get(f"{prefix}.approved_flight_plan_id"),
            "unapproved_flight_plan_id": config.get(f"{prefix}.unapproved_flight_plan_id")}


def _garuda_problems(http: httpx.Client, config: ConformanceConfig, read_only: bool) -> list[Problem]:
    main, other = _company(config, "garuda"), _company(config, "garuda.other_company")
    problems = []
    for prefix, company in (("garuda", main), ("garuda.other_company", other)):
        if company is None:
            continue
        response = http.get(SESSIONS, headers=_garuda_headers(company))
        if response.status_code in REFUSED:
            problems.append(Problem(CONFIG, f"{prefix}.token / {prefix}.api_key refused: {_answer(response)}"))
    if problems or main is None:
        return problems
    if other is not None and other["token"] == main["token"]:
        problems.append(Problem(CONFIG, "garuda.other_company.token is garuda.token: the second company must be "
                                        "another tenant"))
    if not read_only:
        problems += _garuda_write_problems(http, main, other)
    return problems


def _session_body(company: dict[str, Any], plan: str) -> dict[str, Any]:
    start = 1_500_000_000_000 + random.randrange(10**11)
    return {"deployment_id": company["deployment_id"], "flight_plan_id": company[plan],
            "start_date_time": start, "end_date_time": start + 3_600_000}


def _created_id(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    data = body.get("data", body) if isinstance(body, dict) else None
    found = data.get("flight_session_id") if isinstance(data, dict) else None
    return found if isinstance(found, str) else None


def _garuda_write_problems(http: httpx.Client, main: dict[str, Any],
                           other: dict[str, Any] | None) -> list[Problem]:
    problems = []
    headers = _garuda_headers(main)
    if main["deployment_id"] is not None and main["approved_flight_plan_id"] is not None:
        response = http.post(SESSIONS, json=_session_body(main, "approved_flight_plan_id"), headers=headers)
        created = _created_id(response) if response.is_success else None
        if 400 <= response.status_code < 500:
            problems.append(Problem(CONFIG, "garuda.deployment_id / garuda.approved_flight_plan_id do not create a "
                                            f"session: {_answer(response)}"))
        if created is not None:
            if other is not None:
                seen = http.get(f"{SESSIONS}/{created}", headers=_garuda_headers(other))
                if seen.status_code == 200:
                    problems.append(Problem(CONFIG, "garuda.other_company reads a session garuda's credentials "
                                                    "created: another company's credentials are needed (or the "
                                                    "backend shows one company's sessions to another)"))
            http.delete(f"{SESSIONS}/{created}", headers=headers)
    if main["deployment_id"] is not None and main["unapproved_flight_plan_id"] is not None:
        response = http.post(SESSIONS, json=_session_body(main, "unapproved_flight_plan_id"), headers=headers)
        if response.is_success:
            created = _created_id(response)
            if created is not None:
                http.delete(f"{SESSIONS}/{created}", headers=headers)
            problems.append(Problem(CONFIG, "garuda.unapproved_flight_plan_id was accepted for a new session: it "
                                            "must name a plan that is not approved (or the backend does not refuse "
                                            "unapproved plans)"))
    return problems


def _flightsayer_problems(http: httpx.Client, config: ConformanceConfig) -> list[Problem]:
    problems = []
    for key in ("flightsayer.token", "flightsayer.other_token"):
        token = config.get(key)
        if token is None:
            continue
        response = http.get(SUBSCRIPTIONS, headers={"Authorization": f"Token {token}"})
        if response.status_code in REFUSED:
            problems.append(Problem(CONFIG, f"{key} refused: {_answer(response)}"))
    token, other = config.get("flightsayer.token"), config.get("flightsayer.other_token")
    if token is not None and token == other:
        problems.append(Problem(CONFIG, "flightsayer.other_token is flightsayer.token: the second user must be "
                                        "another user"))
    return problems


def closing_line(problems: list[Problem]) -> str:
    return (f"preflight: {len(problems)} problem{'s' if len(problems) > 1 else ''}, no check run (fix, or "
            "--no-preflight to run anyway)")


def exit_code(problems: list[Problem]) -> Exit:
    return Exit.UNREACHABLE if any(problem.kind == UNREACHABLE for problem in problems) else Exit.CONFIG
