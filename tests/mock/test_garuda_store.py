"""The Garuda store behaves like a plain dict of sessions per company, whatever sequence of calls it gets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from mock_server.garuda.fixtures import load_garuda
from mock_server.garuda.store import InvalidSession, SessionNotFound

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STORE = load_garuda(FIXTURES)
COMPANIES = sorted(STORE.companies)
millis = st.integers(min_value=0, max_value=253402300799999)


def usable_reference(company_id: str) -> st.SearchStrategy[dict]:
    company = STORE.companies[company_id]
    approved = sorted(p for p, ok in company.flight_plans.items() if ok)
    return st.fixed_dictionaries({"deployment_id": st.sampled_from(sorted(company.deployments)),
                                  "flight_plan_id": st.sampled_from(approved)})


class StoreMatchesModel(RuleBasedStateMachine):
    sessions = Bundle("sessions")

    def __init__(self) -> None:
        super().__init__()
        self.store = load_garuda(FIXTURES)
        self.model = {s["flight_session_id"]: s for s in self.store.export()}

    @rule(target=sessions, company=st.sampled_from(COMPANIES), data=st.data(), start=millis, length=millis)
    def create(self, company: str, data: st.DataObject, start: int, length: int) -> str:
        refs = data.draw(usable_reference(company))
        end = min(start + length, 253402300799999)
        made = self.store.create(company, {**refs, "start_date_time": start, "end_date_time": end})
        assert made["company_id"] == company
        assert made["flight_session_id"] not in self.model
        self.model[made["flight_session_id"]] = made
        return made["flight_session_id"]

    @rule(session_id=sessions, data=st.data())
    def update(self, session_id: str, data: st.DataObject) -> None:
        current = self.model.get(session_id)
        owner = current["company_id"] if current else data.draw(st.sampled_from(COMPANIES))
        fields = data.draw(st.sets(st.sampled_from(["start_date_time", "end_date_time", "refs"])))
        change: dict = {}
        if "refs" in fields:
            change.update(data.draw(usable_reference(owner)))
        for name in fields - {"refs"}:
            change[name] = data.draw(millis)
        if current is None:
            with pytest.raises(SessionNotFound):
                self.store.update(owner, session_id, change)
            return
        expected = {**current, **change}
        if expected["end_date_time"] < expected["start_date_time"]:
            with pytest.raises(InvalidSession):
                self.store.update(owner, session_id, change)
        else:
            assert self.store.update(owner, session_id, change) == expected
            self.model[session_id] = expected

    @rule(session_id=sessions, company=st.sampled_from(COMPANIES))
    def foreign_company_cannot_touch(self, session_id: str, company: str) -> None:
        current = self.model.get(session_id)
        if current is None or current["company_id"] == company:
            return
        for attempt in (lambda: self.store.get(company, session_id), lambda: self.store.delete(company, session_id),
                        lambda: self.store.update(company, session_id, {})):
            with pytest.raises(SessionNotFound):
                attempt()

    @rule(session_id=consumes(sessions))
    def delete(self, session_id: str) -> None:
        current = self.model.pop(session_id, None)
        if current is not None:
            assert self.store.delete(current["company_id"], session_id) == current

    @invariant()
    def every_company_lists_exactly_its_sessions(self) -> None:
        for company in COMPANIES:
            listed = self.store.list(company)
            assert {s["flight_session_id"] for s in listed} == {
                k for k, v in self.model.items() if v["company_id"] == company}
            assert all(s == self.model[s["flight_session_id"]] for s in listed)


StoreMatchesModel.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
test_store_matches_a_plain_model = StoreMatchesModel.TestCase
