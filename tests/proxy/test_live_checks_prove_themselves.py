"""Each live check proven twice, through the proxy, with the same ordinary frontend traffic: a backend broken in the
check's way is caught (blamed on the backend, with the seed sentence and the calls related), and the mock and
backends differing only where the seeds allow are not flagged by any live check.

More legitimate backends (a dict of name -> Breakage) plug in by adding a parametrised test over them that calls
:func:`live_violations` exactly as ``test_a_backend_differing_where_the_seeds_allow_passes_every_live_check`` does.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from conformance.contract_validation import ContractValidator
from conformance.live import LIVE_CHECKS, TrafficMonitor
from conformance.live.monitor import EXCLUSIVE_CHECKS, MEMORY_CHECKS
from mock_server.app import MockApp, create_app
from tests.conformance.breakage import Breakage, BreakingMiddleware
from tests.conformance.legitimate_variants import legitimate_variants
from tests.mock.conftest import ALICE
from tests.proxy.backend_variants import broken, legitimate
from tests.proxy.conftest import proxy_in_front_of
from tests.proxy.live_traffic import client_call, frontend_session

LIVE = {check.__name__ for check in LIVE_CHECKS}
BROKEN = sorted(broken("unused"))
LEGITIMATE = sorted(legitimate())
# The frontend's own mistakes in the traffic: a call before the API key is loaded, one before log-in.
FRONTEND_MISTAKES = [("frontend", "security", "/v2/flight_sessions"), ("frontend", "security", "/flights/v1/status/")]


@pytest.fixture(scope="session")
def other_flight(shared_mock: MockApp) -> str:
    """A real flight the traffic does not ask for (it asks for the first BOS departure)."""
    with TestClient(shared_mock) as client:
        results = client.get("/flights/v1/search", params={"departure_airport": "BOS", "limit": 2},
                             headers=ALICE).json()["results"]
    return results[1]["flight"]["id"]


def live_violations(backend: BreakingMiddleware, breakage: Breakage, validator: ContractValidator, *,
                    exclusive: bool) -> list[dict[str, Any]]:
    """Every violation the proxy journals for the frontend session against ``backend`` varied by ``breakage``."""
    backend.app.state.reset()  # type: ignore[attr-defined]
    backend.breakage = breakage
    with proxy_in_front_of(backend, validator, monitor=TrafficMonitor(exclusive_tenants=exclusive)) as client:
        frontend_session(client_call(client))
        return client.get("/_mock/violations").json()["violations"]


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_backend_is_caught_by_its_live_check(name: str, varied_mock: BreakingMiddleware,
                                                      validator: ContractValidator, other_flight: str) -> None:
    breakage, expected, exclusive_only = broken(other_flight)[name]
    found = live_violations(varied_mock, breakage, validator, exclusive=exclusive_only)
    caught = [v for v in found if v["check"] in expected]
    assert {v["check"] for v in caught} == expected, [(v["check"], v["message"]) for v in found]
    for violation in caught:
        assert violation["blame"] == "backend" and violation["seed"]
        assert [call["method"] for call in violation["calls"]][-1] == violation["method"]
        assert all(call["time"].endswith("Z") and call["path"].startswith("/") for call in violation["calls"])
    memory_aware = {check.__name__ for check in (*MEMORY_CHECKS, *EXCLUSIVE_CHECKS)}
    assert all(len(v["calls"]) == (2 if v["check"] in memory_aware else 1) for v in caught)


@pytest.mark.parametrize("name", [name for name in BROKEN if broken("unused")[name][2]])
def test_what_only_exclusive_tenants_can_tell_is_not_flagged_without_them(
        name: str, varied_mock: BreakingMiddleware, validator: ContractValidator, other_flight: str) -> None:
    breakage, expected, _ = broken(other_flight)[name]
    found = live_violations(varied_mock, breakage, validator, exclusive=False)
    assert [v for v in found if v["check"] in expected] == []


@pytest.mark.parametrize("exclusive", [False, True], ids=["shared tenants", "exclusive tenants"])
@pytest.mark.parametrize("name", LEGITIMATE)
def test_a_backend_differing_where_the_seeds_allow_passes_every_live_check(
        name: str, exclusive: bool, varied_mock: BreakingMiddleware, validator: ContractValidator) -> None:
    found = live_violations(varied_mock, legitimate()[name], validator, exclusive=exclusive)
    assert [(v["check"], v["message"]) for v in found if v["check"] in LIVE] == []


def test_the_mock_gives_ordinary_traffic_nothing_but_the_frontends_own_mistakes(
        varied_mock: BreakingMiddleware, validator: ContractValidator) -> None:
    found = live_violations(varied_mock, legitimate()["the mock"], validator, exclusive=True)
    assert [(v["blame"], v["check"], v["path"].rsplit("/", 1)[0] + "/" if "status" in v["path"] else v["path"])
            for v in found] == FRONTEND_MISTAKES


def test_every_live_check_is_proven_by_a_broken_backend() -> None:
    proven = {check for _, expected, _ in broken("unused").values() for check in expected}
    assert proven == LIVE


def test_without_live_checks_the_proxy_judges_each_answer_alone(varied_mock: BreakingMiddleware,
                                                                validator: ContractValidator) -> None:
    varied_mock.app.state.reset()  # type: ignore[attr-defined]
    varied_mock.breakage = broken("unused")["Garuda DELETE keeps the session"][0]
    with proxy_in_front_of(varied_mock, validator, live_checks=False) as client:
        frontend_session(client_call(client))
        found = client.get("/_mock/violations").json()["violations"]
    assert client.app.monitor is None  # type: ignore[attr-defined]
    assert [v for v in found if v["check"] in LIVE] == []


@pytest.mark.parametrize("name", sorted(legitimate_variants(create_app())))
def test_the_shared_legitimate_backends_are_never_blamed(name: str, varied_mock: BreakingMiddleware,
                                                         validator: ContractValidator, mock: MockApp) -> None:
    # The same legitimate backends the whole suite must pass (tests/conformance/legitimate_variants.py): neither the
    # schema judge, nor the seed rules, nor any live check blames the backend for them.
    breakage = legitimate_variants(mock)[name].breakage
    found = live_violations(varied_mock, breakage, validator, exclusive=False)
    assert [(v["check"], v["message"]) for v in found if v["blame"] == "backend"] == []
