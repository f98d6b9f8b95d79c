"""Ordinary frontend traffic over both APIs, as the live checks see it, and a recorder that writes it down as a HAR.

:func:`frontend_session` is what a frontend team's app does in a working day, mistakes included (a call before the
API key is loaded, a stale key of the company it switched from): every live check has something to read in it, so
one run through a broken backend shows whichever defect the backend has.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from conformance.checks.timestamps import parse_timestamp
from tests.mock.conftest import (
    ALICE,
    APPROVED_PLAN,
    BOB,
    DEPLOYMENT,
    GARUDA,
    GARUDA_OTHER,
    OTHER_DEPLOYMENT_OF_ACME,
    new_session,
)

SESSIONS = "/v2/flight_sessions"
TARGETS = ("https://hooks.example.com/flights", "https://hooks.example.com/other?x=1")
MAX_PAGES = 6


class Call(Protocol):
    def __call__(self, method: str, path: str, *, headers: dict[str, str], params: dict[str, Any] | None = None,
                 json: Any = None) -> httpx.Response: ...


def client_call(client: httpx.Client) -> Call:
    def call(method: str, path: str, *, headers: dict[str, str], params: dict[str, Any] | None = None,
             json: Any = None) -> httpx.Response:
        return client.request(method, path, headers=headers, params=params, json=json)
    return call


def _local(link: str) -> str:
    """A page link as a path and query on whichever host the client talks to."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def garuda_session(call: Call) -> None:
    call("GET", SESSIONS, headers=GARUDA)
    first = call("POST", SESSIONS, headers=GARUDA, json=new_session(start_date_time=1527469300000)).json()["data"]
    call("POST", SESSIONS, headers=GARUDA, json=new_session(deployment_id=OTHER_DEPLOYMENT_OF_ACME,
                                                           start_date_time=1527469400000))
    one = f"{SESSIONS}/{first['flight_session_id']}"
    call("GET", one, headers=GARUDA)
    call("GET", SESSIONS, headers=GARUDA, params={"deployment_id": DEPLOYMENT})
    call("GET", SESSIONS, headers=GARUDA, params={"flight_plan_id": APPROVED_PLAN})
    call("GET", SESSIONS, headers=GARUDA, params={"deployment_id": DEPLOYMENT, "flight_plan_id": APPROVED_PLAN})
    call("PATCH", one, headers=GARUDA, json={"end_date_time": int(first["end_date_time"]) + 1000})
    call("GET", one, headers=GARUDA)
    call("GET", SESSIONS, headers=GARUDA)
    call("DELETE", one, headers=GARUDA)
    call("GET", one, headers=GARUDA)
    call("DELETE", one, headers=GARUDA)
    call("GET", SESSIONS, headers=GARUDA)
    call("GET", SESSIONS, headers=GARUDA_OTHER)
    call("GET", SESSIONS, headers={"Authorization": GARUDA["Authorization"]})  # before the API key was loaded
    call("GET", SESSIONS, headers={**GARUDA, "X-API-Key": GARUDA_OTHER["X-API-Key"]})  # a stale key


def flightsayer_session(call: Call) -> None:
    response = call("GET", "/flights/v1/search", headers=ALICE, params={"departure_airport": "BOS", "limit": 2})
    page = response.json()
    flights = [result["flight"] for result in page["results"]]
    for _ in range(MAX_PAGES):
        if not page.get("next"):
            break
        page = call("GET", _local(page["next"]), headers=ALICE).json()
    if page.get("previous"):
        call("GET", _local(page["previous"]), headers=ALICE)
    last = max(0, page["count"] - 1)  # "last page" button
    call("GET", "/flights/v1/search", headers=ALICE, params={"departure_airport": "BOS", "limit": 2, "offset": last})
    departure = parse_timestamp(flights[0]["scheduled_departure"])
    assert departure is not None
    written = departure.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
    call("GET", "/flights/v1/search", headers=ALICE,
         params={"earliest_departure": written, "latest_departure": written, "limit": 10})
    call("GET", "/flights/v1/search", headers=ALICE, params={"limit": 3})
    flight = flights[0]["id"]
    call("GET", f"/flights/v1/status/{flight}", headers=ALICE)
    call("GET", f"/flights/v1/status/{flight}", headers={})  # before the user logged in
    subscription = f"/subscriptions/{flight}"
    call("PUT", subscription, headers=ALICE, json={"target": TARGETS[0]})
    call("PUT", subscription, headers=ALICE, json={"target": TARGETS[1]})
    call("GET", subscription, headers=ALICE)
    call("GET", "/subscriptions/", headers=ALICE, params={"limit": 10})
    call("GET", "/subscriptions/", headers=BOB)
    call("DELETE", subscription, headers=ALICE)
    call("GET", subscription, headers=ALICE)


def frontend_session(call: Call) -> None:
    garuda_session(call)
    flightsayer_session(call)


class HarRecorder:
    """Wraps a :data:`Call` and keeps every exchange, with its timing, to write as a HAR 1.2 file."""

    def __init__(self, call: Call, base_url: str = "http://backend.test") -> None:
        self._call = call
        self.base_url = base_url
        self.entries: list[dict[str, Any]] = []

    def __call__(self, method: str, path: str, *, headers: dict[str, str], params: dict[str, Any] | None = None,
                 json: Any = None) -> httpx.Response:
        started = datetime.now(UTC)
        clock = time.perf_counter()
        response = self._call(method, path, headers=headers, params=params, json=json)
        elapsed_ms = (time.perf_counter() - clock) * 1000
        self.entries.append(_entry(response, started, elapsed_ms, self.base_url))
        return response

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "tests", "version": "1"},
                                            "entries": self.entries}}))
        return path


def _entry(response: httpx.Response, started: datetime, elapsed_ms: float, base_url: str) -> dict[str, Any]:
    request = response.request
    url = base_url + request.url.raw_path.decode("ascii")
    entry: dict[str, Any] = {
        "startedDateTime": started.isoformat().replace("+00:00", "Z"), "time": elapsed_ms,
        "request": {"method": request.method, "url": url,
                    "headers": [{"name": k, "value": v} for k, v in request.headers.items()]},
        "response": {"status": response.status_code,
                     "headers": [{"name": k, "value": v} for k, v in response.headers.items()],
                     "content": {"mimeType": response.headers.get("content-type", ""),
                                 "text": base64.b64encode(response.content).decode("ascii"), "encoding": "base64"}},
    }
    if request.content:
        entry["request"]["postData"] = {"mimeType": "application/json", "text": request.content.decode("utf-8")}
    return entry


Traffic = Callable[[Call], None]
