"""The run report says what happened: the summary at the end of the run, ``--report FILE.html`` and ``--report-json
FILE`` agree with the run's own outcome, name every skip and why, every failure with its seed sentence, expected vs
actual and a curl line, and the answers each operation gave, counted from what was sent."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.webhooks.checks import WEBHOOK_CHECKS
from tests.conformance.breakage import Breakage, BreakingMiddleware, Exchange
from tests.conformance.variant_server import SUITE_ARGS


def no_control_api(x: Exchange) -> None:
    """A backend that is not the mock: nothing answers /_mock/health, so the suite has no way to change a flight."""
    if x.path.startswith("/_mock/"):
        x.status, x.response, x.response_headers = 404, {"detail": "Not found."}, {"content-type": "application/json"}


def updated_frozen(x: Exchange) -> None:
    if x.method == "PUT" and x.status == 200 and isinstance(x.response, dict):
        x.response["updated"] = x.response["created"]


def run_reported(base_url: str, config: Path, folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str],
                                                                                 dict[str, Any], str]:
    html, as_json = folder / "report.html", folder / "report.json"
    done = subprocess.run([sys.executable, "-m", "conformance", "-p", "no:randomly", "--base-url", base_url,
                           "--conformance-config", str(config), *SUITE_ARGS, "--report", str(html),
                           "--report-json", str(as_json), *args], capture_output=True, text=True, timeout=900)
    return done, json.loads(as_json.read_text(encoding="utf-8")), html.read_text(encoding="utf-8")


class Page(HTMLParser):
    """What a browser would fetch to show the page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.fetched += [value or "" for name, value in attrs if name in ("src", "href") or (tag == "link")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def pytest_counts(stdout: str) -> dict[str, int]:
    """pytest's own tally from its last line, e.g. ``52 passed, 8 skipped in 40.1s``."""
    words = stdout.strip().splitlines()[-1].strip("= ").split(" in ")[0].split(", ")
    return {word.split()[1]: int(word.split()[0]) for word in words}


def api(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in report["apis"] if a["api"] == name)


def group(report: dict[str, Any], api_name: str, name: str) -> dict[str, Any]:
    return next(g for g in api(report, api_name)["groups"] if g["name"] == name)


@pytest.fixture
def partial_config(tmp_path: Path, mock_config: dict[str, Any]) -> Path:
    config = {"garuda": mock_config["garuda"], "flightsayer": {"token": mock_config["flightsayer"]["token"]}}
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_the_report_of_a_passing_run_counts_what_ran_and_names_every_skip(
        broken_base_url: str, breaking: BreakingMiddleware, mock_app: Any, partial_config: Path,
        tmp_path: Path) -> None:
    mock_app.state.reset()
    breaking.breakage = Breakage("not the mock", request=no_control_api)
    try:
        done, report, html = run_reported(broken_base_url, partial_config, tmp_path, "--jobs", "2")
    finally:
        breaking.breakage = Breakage("none")
    assert done.returncode == 0, done.stdout[-4000:]
    assert report["failed"] == 0 and report["failures"] == []
    assert pytest_counts(done.stdout) == {"passed": report["passed"], "skipped": report["skipped"]}
    assert report["passed"] >= 45 and report["requests"] == sum(a["requests"] for a in report["apis"]) > 500
    # Skips are never silent: the checks needing a second user, and every push check without a trigger.
    per_user = group(report, "flightsayer", "scenario")["skip_reasons"]
    assert per_user["needs flightsayer.other_token in the conformance config"] == ["subscriptions_are_per_user"]
    pushes = group(report, "flightsayer", "push notifications")
    assert pushes["passed"] == 0 and pushes["skipped"] == len(WEBHOOK_CHECKS)
    (reason,) = pushes["skip_reasons"]
    assert "--webhook-trigger-cmd" in reason
    # What the backend answered, counted from what was sent: searches answered 200, a missing token refused.
    search = next(row for row in api(report, "flightsayer")["coverage"] if row["operation"] == "searchFlights")
    answered = {cell["status"]: cell["count"] for cell in search["documented"]}
    assert answered["200"] > 0 and answered["401"] > 0
    # The terminal summary says the same.
    assert "flight API conformance of " in done.stdout
    assert f"push notifications: {len(WEBHOOK_CHECKS)} skipped" in done.stdout
    assert "not checked (needs flightsayer.other_token" in done.stdout
    assert "GET /flights/v1/search" in done.stdout
    # One page, nothing fetched to show it, the same numbers.
    page = read_page(html)
    assert page.fetched == []
    text = " ".join(" ".join(page.text).split())
    assert f"{report['passed']} passed" in text and "--webhook-trigger-cmd" in text
    assert "GET /flights/v1/search" in text


def test_the_report_of_a_failing_run_shows_each_failure_with_its_seed_sentence_and_curl(
        broken_base_url: str, breaking: BreakingMiddleware, mock_app: Any, tmp_path: Path,
        mock_config: dict[str, Any]) -> None:
    mock_app.state.reset()
    config = tmp_path / "conformance.yaml"
    config.write_text(yaml.safe_dump(mock_config))
    breaking.breakage = Breakage("updated frozen", response=updated_frozen)
    try:
        done, report, html = run_reported(broken_base_url, config, tmp_path, "--jobs", "1", "--api", "flightsayer",
                                          "-k", "lifecycle or reads_conform")
    finally:
        breaking.breakage = Breakage("none")
    assert done.returncode == 1, done.stdout[-4000:]
    (failure,) = report["failures"]
    assert failure["check"] == "subscription_lifecycle" and failure["api"] == "flightsayer"
    assert failure["seed"].startswith("+ Response 201") and failure["expected"].startswith("updated after")
    assert failure["curl"].startswith("curl -X PUT") and "Token <flightsayer.token>" in failure["curl"]
    assert mock_config["flightsayer"]["token"] not in json.dumps(report) + html  # the files leave the run
    assert report["failed"] == 1 and report["passed"] >= 4
    assert "not checked: --api flightsayer" in api(report, "garuda")["not_run"]
    assert "subscription_lifecycle" in done.stdout.split("flight API conformance of")[1]
    text = " ".join(" ".join(read_page(html).text).split())
    assert "subscription_lifecycle" in text and "curl -X PUT" in text and "Response 201" in text
