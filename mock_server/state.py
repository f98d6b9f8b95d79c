"""Everything the mock remembers, loaded from fixtures, and how it is reset, exported and restored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mock_server.flights import FlightCatalog, load_catalog
from mock_server.flightsayer.subscriptions import SubscriptionStore
from mock_server.garuda.fixtures import load_garuda
from mock_server.garuda.store import FlightSessionStore
from mock_server.persistence import MEMORY_ONLY, Persistence

BUNDLED_FIXTURES = next(
    (p for p in (Path(__file__).parent / "fixtures", Path(__file__).resolve().parent.parent / "fixtures")
     if p.is_dir()),
    Path(__file__).resolve().parent.parent / "fixtures",
)
STATE_FORMAT = 1


@dataclass
class MockState:
    fixtures_dir: Path
    flights_override: int | None
    seed_override: int | None
    garuda: FlightSessionStore
    catalog: FlightCatalog
    flightsayer_users: dict[str, str]  # username -> token
    subscriptions: SubscriptionStore = field(default_factory=SubscriptionStore)
    # Told of every change before it is made (the stores report theirs; a reset or an import reports the whole).
    persistence: Persistence = MEMORY_ONLY
    _replaced_listeners: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def load(cls, fixtures_dir: Path | None = None, *, flights: int | None = None,
             seed: int | None = None) -> MockState:
        folder = fixtures_dir or BUNDLED_FIXTURES
        users = yaml.safe_load((folder / "flightsayer" / "users.yaml").read_text(encoding="utf-8"))["users"]
        return cls(
            fixtures_dir=folder,
            flights_override=flights,
            seed_override=seed,
            garuda=load_garuda(folder),
            catalog=load_catalog(folder, flights=flights, seed=seed),
            flightsayer_users={u["username"]: u["token"] for u in users},
        )

    def persist_to(self, persistence: Persistence) -> None:
        """Report every later change to ``persistence`` (which already holds what the state is now)."""
        self.persistence = persistence
        self.garuda.persistence = self.catalog.persistence = self.subscriptions.persistence = persistence

    def reset(self, *, seed: int | None = None) -> None:
        """Back to the fixtures (optionally with another flight seed), in place so every holder sees it."""
        fresh = MockState.load(self.fixtures_dir, flights=self.flights_override,
                               seed=seed if seed is not None else self.seed_override)
        self._replace(fresh.garuda, fresh.catalog, fresh.subscriptions)
        self.flightsayer_users = fresh.flightsayer_users
        if seed is not None:
            self.seed_override = seed
        self._replaced()

    def on_replaced(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` whenever a reset or an import replaces the stores (e.g. the flight simulator)."""
        self._replaced_listeners.append(listener)

    def _replaced(self) -> None:
        for listener in self._replaced_listeners:
            listener()

    def export(self) -> dict[str, Any]:
        """A JSON-able snapshot from which :meth:`restore` rebuilds exactly this state."""
        return snapshot_of(self.garuda, self.catalog, self.subscriptions)

    def restore(self, snapshot: dict[str, Any]) -> None:
        if snapshot.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported state format {snapshot.get('format')!r}; expected {STATE_FORMAT}")
        sessions = snapshot["garuda"]["flight_sessions"]
        strangers = sorted({s["company_id"] for s in sessions} - set(self.garuda.companies))
        if strangers:
            # Sessions of a company the fixtures do not know could never be reached again: refuse, do not lose them.
            raise ValueError(f"flight sessions name companies not in the fixtures: {', '.join(strangers)}")
        users = {s["username"] for s in snapshot["flightsayer"]["subscriptions"]} - set(self.flightsayer_users)
        if users:
            raise ValueError(f"subscriptions name users not in the fixtures: {', '.join(sorted(users))}")
        garuda = FlightSessionStore(self.garuda.companies.values(), sessions)
        catalog = FlightCatalog.from_state(snapshot["flightsayer"]["flights"], self.fixtures_dir)
        subscriptions = SubscriptionStore()
        subscriptions.restore(snapshot["flightsayer"]["subscriptions"])
        self._replace(garuda, catalog, subscriptions)
        self._replaced()

    def _replace(self, garuda: FlightSessionStore, catalog: FlightCatalog, subscriptions: SubscriptionStore) -> None:
        """Swap the stores in, once ``persistence`` has kept them: if it cannot, the state stays as it was."""
        self.persistence.replaced(snapshot_of(garuda, catalog, subscriptions))
        self.garuda, self.catalog, self.subscriptions = garuda, catalog, subscriptions
        self.persist_to(self.persistence)

    def conformance_config(self) -> dict[str, Any]:
        """The conformance suite's config for these fixtures: first company/user, and a second of each."""
        first, other = list(self.garuda.companies.values())[:2]

        def approved(company, wanted: bool) -> str:
            return next(p for p, ok in company.flight_plans.items() if ok is wanted)

        users = list(self.flightsayer_users.values())
        return {
            "garuda": {
                "token": first.token,
                "api_key": first.api_key,
                "deployment_id": next(iter(first.deployments)),
                "approved_flight_plan_id": approved(first, True),
                "unapproved_flight_plan_id": approved(first, False),
                "other_company": {
                    "token": other.token,
                    "api_key": other.api_key,
                    "deployment_id": next(iter(other.deployments)),
                    "approved_flight_plan_id": approved(other, True),
                },
            },
            "flightsayer": {"token": users[0], "other_token": users[1]},
        }


def snapshot_of(garuda: FlightSessionStore, catalog: FlightCatalog, subscriptions: SubscriptionStore) -> dict[str, Any]:
    """The JSON-able form of these stores that :meth:`MockState.restore` reads (and ``GET /_mock/state`` answers)."""
    return {
        "format": STATE_FORMAT,
        "garuda": {"flight_sessions": garuda.export()},
        "flightsayer": {"flights": catalog.to_state(), "subscriptions": subscriptions.export()},
    }
