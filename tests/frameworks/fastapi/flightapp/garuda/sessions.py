"""The flight sessions, in memory, one company's invisible to another. Knows nothing of HTTP."""

import secrets
import threading
from typing import Any

from flightapp import mutants
from flightapp.garuda.models import FlightSession
from flightapp.garuda.tenants import COMPANIES, Company, hex_id


class UnusableReference(ValueError):
    """A deployment or flight plan the company cannot tag a session to; names the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def check_references(company: Company, deployment_id: str, flight_plan_id: str) -> None:
    """"Each flight session must be tagged to a valid and approved flight plan and an existing deployment"."""
    if deployment_id not in company.deployments:
        raise UnusableReference("deployment_id", "no deployment of your company has this id")
    usable = company.approved_plans | (company.unapproved_plans if mutants.active("unapproved_plan_accepted")
                                       else frozenset())
    if flight_plan_id in company.unapproved_plans and flight_plan_id not in usable:
        raise UnusableReference("flight_plan_id", "this flight plan is not approved")
    if flight_plan_id not in usable:
        raise UnusableReference("flight_plan_id", "no flight plan of your company has this id")


class SessionStore:
    def __init__(self) -> None:
        self._sessions: dict[str, FlightSession] = {}
        self._lock = threading.Lock()

    def create(self, company: Company, fields: dict[str, Any]) -> FlightSession:
        check_references(company, fields["deployment_id"], fields["flight_plan_id"])
        session = FlightSession(flight_session_id=secrets.token_hex(16), company_id=company.company_id, **fields)
        with self._lock:
            self._sessions[session.flight_session_id] = session
        return session

    def get(self, company: Company, session_id: str) -> FlightSession | None:
        session = self._sessions.get(session_id)
        return session if session is not None and session.company_id == company.company_id else None

    def list(self, company: Company, deployment_id: str | None, flight_plan_id: str | None) -> list[FlightSession]:
        def wanted(session: FlightSession) -> bool:
            if mutants.active("or_filters") and deployment_id and flight_plan_id:
                return session.deployment_id == deployment_id or session.flight_plan_id == flight_plan_id
            return ((deployment_id is None or session.deployment_id == deployment_id)
                    and (flight_plan_id is None or session.flight_plan_id == flight_plan_id))

        everyone = mutants.active("other_company_listed")
        found = [s for s in list(self._sessions.values())
                 if (everyone or s.company_id == company.company_id) and wanted(s)]
        return sorted(found, key=lambda s: (s.start_date_time, s.flight_session_id))

    def update(self, company: Company, session_id: str, changes: dict[str, Any]) -> FlightSession | None:
        with self._lock:
            session = self.get(company, session_id)
            if session is None:
                return None
            merged = session.model_copy(update=changes)
            check_references(company, merged.deployment_id, merged.flight_plan_id)
            self._sessions[session_id] = merged
            return merged

    def delete(self, company: Company, session_id: str) -> FlightSession | None:
        with self._lock:
            session = self.get(company, session_id)
            if session is not None and not mutants.active("delete_keeps"):
                del self._sessions[session_id]
            return session


def seeded_store() -> SessionStore:
    """A store holding one past session per company, so a first list is not empty."""
    store = SessionStore()
    for n, company in enumerate(COMPANIES):
        session = FlightSession(flight_session_id=hex_id(f"session:{company.company_id}"),
                                company_id=company.company_id,
                                deployment_id=sorted(company.deployments)[0],
                                flight_plan_id=sorted(company.approved_plans)[0],
                                start_date_time=1527469200000 + n * 86_400_000,
                                end_date_time=1527479200000 + n * 86_400_000)
        store._sessions[session.flight_session_id] = session
    return store
