"""The console at /_mock/ui/ in a real browser: a real mock process, headless Chromium driven by playwright-core
(console_flow.cjs), the same steps a frontend developer takes. ``UPDATE_CONSOLE_SCREENSHOT=1`` writes the screenshot
to docs/console.png (the README shows it); otherwise it goes to a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx

from tests.mock.live_server import running_mock

SCRIPT = Path(__file__).with_name("console_flow.cjs")
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "console.png"
TOKEN = "console-test-token"


def drive_console(base_url: str, playwright_core: Path, chromium: str, *, token: str | None = None,
                  screenshot: Path | None = None) -> dict:
    env = {**os.environ, "MOCK_URL": base_url, "PLAYWRIGHT_CORE": str(playwright_core), "CHROMIUM": chromium}
    if token:
        env["CONTROL_TOKEN"] = token
    if screenshot:
        env["SCREENSHOT"] = str(screenshot)
    done = subprocess.run(["node", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_console_showed_the_flow(seen: dict) -> None:
    assert seen["refusedStatus"] == 400
    method, path, operation, status = seen["journalRow"][1:5]
    assert (method, operation, status) == ("GET", "searchFlights", "400")
    assert path.endswith("departure_airport=12")
    assert any("departure_airport" in message for message in seen["refusalMessages"]), seen["refusalMessages"]
    assert seen["subscribeStatus"] in (200, 201)
    assert seen["flightId"] in seen["subscriptions"] and "/_mock/inbox/browser-test" in seen["subscriptions"]
    assert seen["deliveryRow"][1] == seen["flightId"]
    assert seen["deliveryRow"][2].endswith("/_mock/inbox/browser-test")
    assert seen["deliveryRow"][4].startswith("delivered")
    assert json.loads(seen["inboxMessage"])["flight"]["id"] == seen["flightId"]
    assert not seen["narrowOverflow"], "the console overflows a 380 px wide window"
    assert seen["problems"] == []


def test_console_shows_a_request_live_and_a_forced_delay_reaching_an_inbox(playwright_core: Path, chromium: str,
                                                                            tmp_path: Path) -> None:
    screenshot = DOCS_SCREENSHOT if os.environ.get("UPDATE_CONSOLE_SCREENSHOT") else tmp_path / "console.png"
    with running_mock(["--flights", "400"]) as (base_url, _):
        seen = drive_console(base_url, playwright_core, chromium, screenshot=screenshot)
        inbox = httpx.get(f"{base_url}/_mock/inbox/browser-test").json()["messages"]
        status = httpx.get(f"{base_url}/flights/v1/status/{seen['flightId']}",
                           headers={"Authorization": "Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b"}).json()
    assert_console_showed_the_flow(seen)
    # What reached the inbox is the delayed status the flight now has.
    assert json.loads(inbox[-1]["body"])["status"] == status["status"]
    assert screenshot.stat().st_size > 10_000


def test_console_asks_for_the_control_token_and_sends_it(playwright_core: Path, chromium: str) -> None:
    with running_mock(["--flights", "400", "--control-token", TOKEN]) as (base_url, _):
        seen = drive_console(base_url, playwright_core, chromium, token=TOKEN)
        assert httpx.get(f"{base_url}/_mock/inbox/browser-test").status_code == 401
        inbox = httpx.get(f"{base_url}/_mock/inbox/browser-test", headers={"Authorization": f"Bearer {TOKEN}"})
    assert seen["askedForToken"] is True
    assert_console_showed_the_flow(seen)
    # The mock's own delivery carried no token, and was recorded all the same.
    assert inbox.json()["messages"]


def test_console_and_inbox_are_absent_with_no_control() -> None:
    with running_mock(["--no-control"]) as (base_url, _):
        for path in ("/_mock/", "/_mock/ui", "/_mock/ui/", "/_mock/ui/console.js", "/_mock/inbox", "/_mock/inbox/x"):
            assert httpx.get(base_url + path).status_code == 404, path
        assert httpx.post(base_url + "/_mock/inbox/x", json={}).status_code == 404
