"""Read the Garuda tenants and seeded sessions from ``fixtures/garuda/``."""

from __future__ import annotations

from pathlib import Path

import yaml

from mock_server.garuda.store import Company, FlightSessionStore


def load_garuda(fixtures_dir: Path) -> FlightSessionStore:
    folder = fixtures_dir / "garuda"
    companies_doc = yaml.safe_load((folder / "companies.yaml").read_text(encoding="utf-8"))
    sessions_doc = yaml.safe_load((folder / "flight_sessions.yaml").read_text(encoding="utf-8"))
    companies = [
        Company(
            company_id=c["company_id"],
            name=c["name"],
            token=c["token"],
            api_key=c["api_key"],
            deployments={d["deployment_id"]: d["name"] for d in c.get("deployments", [])},
            flight_plans={p["flight_plan_id"]: bool(p["approved"]) for p in c.get("flight_plans", [])},
            flight_plan_names={p["flight_plan_id"]: p["name"] for p in c.get("flight_plans", [])},
        )
        for c in companies_doc["companies"]
    ]
    return FlightSessionStore(companies, sessions_doc.get("flight_sessions", []))
