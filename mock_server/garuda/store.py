"""Flight sessions per company, with the references a session must point at. Knows nothing of HTTP.

"Each `flight session` must be tagged to a valid and approved `flight plan` and an existing `deployment`."
"""

from __future__ import annotations

import copy
import itertools
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_server.persistence import MEMORY_ONLY, Persistence

SESSION_FIELDS = ("flight_session_id", "company_id", "deployment_id", "flight_plan_id", "start_date_time",
                  "end_date_time")
CHANGEABLE_FIELDS = ("deployment_id", "flight_plan_id", "start_date_time", "end_date_time")


class SessionNotFound(LookupError):
    """No session with that id belongs to the caller's company (it may belong to another: callers cannot tell)."""


class InvalidSession(ValueError):
    """The session's data cannot be stored; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Company:
    company_id: str
    name: str
    token: str
    api_key: str
    deployments: dict[str, str] = field(default_factory=dict)  # id -> name
    flight_plans: dict[str, bool] = field(default_factory=dict)  # id -> approved
    flight_plan_names: dict[str, str] = field(default_factory=dict)


# Shared by every store, so a revision number is never reused, even by a store that replaced another.
_REVISIONS = itertools.count(1)


class FlightSessionStore:
    """Sessions keyed by id, each owned by exactly one company.

    Methods are synchronous and never yield, so under an event loop each call is atomic. ``revision`` changes with
    every change to the sessions and is unique across stores: what was read at one revision is still true at it.
    Every change is reported to ``persistence`` before it is made; if that raises, nothing changes.
    """

    def __init__(self, companies: Iterable[Company], sessions: Iterable[Mapping[str, Any]] = ()) -> None:
        self.persistence: Persistence = MEMORY_ONLY
        self.companies: dict[str, Company] = {c.company_id: c for c in companies}
        self._sessions: dict[str, dict[str, Any]] = {}
        for session in sessions:
            self._sessions[session["flight_session_id"]] = {k: session[k] for k in SESSION_FIELDS}
        self.revision = next(_REVISIONS)

    # -- reading -------------------------------------------------------------------------------------------------
    def list(self, company_id: str, *, deployment_id: str | None = None,
             flight_plan_id: str | None = None) -> list[dict[str, Any]]:
        """The company's sessions matching every filter given, by start time then id."""
        found = [
            s for s in self._sessions.values()
            if s["company_id"] == company_id
            and (deployment_id is None or s["deployment_id"] == deployment_id)
            and (flight_plan_id is None or s["flight_plan_id"] == flight_plan_id)
        ]
        found.sort(key=lambda s: (s["start_date_time"], s["flight_session_id"]))
        return [dict(s) for s in found]

    def get(self, company_id: str, session_id: str) -> dict[str, Any]:
        return dict(self._owned(company_id, session_id))

    # -- writing -------------------------------------------------------------------------------------------------
    def create(self, company_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new session from the four client fields; anything else in ``data`` is ignored."""
        session = {name: data[name] for name in CHANGEABLE_FIELDS}
        self._check(company_id, session)
        session_id = self._new_id()
        stored = {"flight_session_id": session_id, "company_id": company_id, **session}
        stored = {k: stored[k] for k in SESSION_FIELDS}
        self.persistence.session_saved(stored)
        self._sessions[session_id] = stored
        self.revision = next(_REVISIONS)
        return dict(stored)

    def update(self, company_id: str, session_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply the fields sent; fields not sent are kept. Checked as a whole before anything changes."""
        current = self._owned(company_id, session_id)
        unknown = sorted(set(changes) - set(CHANGEABLE_FIELDS))
        if unknown:
            raise InvalidSession(unknown[0], "cannot be changed")
        candidate = {**current, **{k: changes[k] for k in CHANGEABLE_FIELDS if k in changes}}
        self._check(company_id, candidate)
        self.persistence.session_saved(candidate)
        current.update(candidate)
        self.revision = next(_REVISIONS)
        return dict(current)

    def delete(self, company_id: str, session_id: str) -> dict[str, Any]:
        self._owned(company_id, session_id)
        self.persistence.session_deleted(session_id)
        self.revision = next(_REVISIONS)
        return self._sessions.pop(session_id)

    # -- state ---------------------------------------------------------------------------------------------------
    def export(self) -> list[dict[str, Any]]:
        return [dict(s) for s in sorted(self._sessions.values(), key=lambda s: s["flight_session_id"])]

    def clone(self) -> FlightSessionStore:
        return FlightSessionStore(copy.deepcopy(list(self.companies.values())), self.export())

    # -- internals -----------------------------------------------------------------------------------------------
    def _owned(self, company_id: str, session_id: str) -> dict[str, Any]:
        session = self._sessions.get(session_id)
        if session is None or session["company_id"] != company_id:
            raise SessionNotFound(session_id)
        return session

    def _check(self, company_id: str, session: Mapping[str, Any]) -> None:
        company = self.companies[company_id]
        deployment_id = session["deployment_id"]
        if deployment_id not in company.deployments:
            raise InvalidSession("deployment_id", f"deployment {deployment_id} does not exist in your company")
        plan_id = session["flight_plan_id"]
        if plan_id not in company.flight_plans:
            raise InvalidSession("flight_plan_id", f"flight plan {plan_id} does not exist in your company")
        if not company.flight_plans[plan_id]:
            raise InvalidSession("flight_plan_id", f"flight plan {plan_id} is not approved")
        if session["end_date_time"] < session["start_date_time"]:
            raise InvalidSession("end_date_time", "must not be before start_date_time")

    def _new_id(self) -> str:
        while True:
            candidate = secrets.token_hex(16)
            if candidate not in self._sessions:
                return candidate
