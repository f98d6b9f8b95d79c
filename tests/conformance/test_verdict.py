"""The verdict a CI team acts on: preflight stops a run that could not judge the backend, in seconds and one line per
problem; failures with one cause are one finding; what the run itself could not do is an error, not a failure; a
run that checked nothing fails; ``--baseline`` and ``--waivers`` let a team adopt the suite on a backend that is not
conformant yet."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.bundled_mock import free_port
from conformance.checks.violation import ConformanceFailure
from conformance.config import ConformanceConfig
from conformance.verdict.adoption import FIXED, Waiver, judge
from conformance.verdict.causes import MISSING_HEADER, causes_of, normalise
from conformance.verdict.exit_codes import Exit
from conformance.verdict.findings import KNOWN, NEW, WAIVED, FailedTest, finding_id, group
from conformance.verdict.preflight import run_preflight
from tests.conformance.breakage import Breakage, BreakingMiddleware, Exchange
from tests.conformance.broken_variants import variants
from tests.conformance.legitimate_variants import legitimate_variants

NO_CHALLENGE = "401 without WWW-Authenticate"
FROZEN = "PUT freezes updated"
CHALLENGE_FINDING = finding_id(f"{MISSING_HEADER}\nHTTP 401 without WWW-Authenticate")


def suite(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "conformance", "-p", "no:randomly", "--jobs", "1", *args],
                          capture_output=True, text=True, timeout=300)
    return done, time.monotonic() - started


def write_config(folder: Path, config: dict[str, Any], name: str = "conformance.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(config))
    return path


def changed(config: dict[str, Any], dotted: str, value: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(config))
    node = copy
    *parents, last = dotted.split(".")
    for key in parents:
        node = node[key]
    node[last] = value
    return copy


@contextmanager
def broken(breaking: BreakingMiddleware, *names: str, mock_config: dict[str, Any]) -> Iterator[None]:
    """The wrapped mock with the named broken variants' response rewrites, all at once."""
    chosen = [variants(mock_config)[name][0] for name in names]

    def response(x: Exchange) -> None:
        for breakage in chosen:
            breakage.response(x)

    breaking.breakage = Breakage("+".join(names), response=response)
    try:
        yield
    finally:
        breaking.breakage = Breakage("none")


def report_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# -- preflight ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["garuda.token", "flightsayer.token"])
def test_a_wrong_token_stops_the_run_in_seconds_naming_the_key(key: str, broken_base_url: str, tmp_path: Path,
                                                                mock_config: dict[str, Any]) -> None:
    config = write_config(tmp_path, changed(mock_config, key, "not-the-token"))
    done, seconds = suite("--base-url", broken_base_url, "--conformance-config", str(config))
    assert done.returncode == Exit.CONFIG, done.stdout[-2000:] + done.stderr[-2000:]
    assert seconds < 10
    (line,) = [line for line in done.stderr.splitlines() if key in line]
    assert "refused" in line and "401" in line
    assert "not-the-token" not in done.stderr + done.stdout


def test_an_unreachable_backend_has_its_own_exit_code_and_one_line(tmp_path: Path,
                                                                   mock_config: dict[str, Any]) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done, seconds = suite("--base-url", url, "--conformance-config", str(write_config(tmp_path, mock_config)))
    assert done.returncode == Exit.UNREACHABLE, done.stdout[-2000:] + done.stderr[-2000:]
    assert seconds < 10
    output = (done.stdout + done.stderr).strip().splitlines()
    assert len(output) < 20, output
    assert any(line.startswith(f"flight-conformance: {url} does not answer") for line in output), output


def test_preflight_names_an_id_that_does_not_create_a_session(broken_target: Any,
                                                              mock_config: dict[str, Any]) -> None:
    config = ConformanceConfig(changed(mock_config, "garuda.approved_flight_plan_id", "f" * 32))
    problems = run_preflight(broken_target.base_url, config, apis=None, read_only=False, trigger_cmd=None)
    assert [p.line.split(":")[0] for p in problems] == [
        "garuda.deployment_id / garuda.approved_flight_plan_id do not create a session"]


def test_preflight_names_an_unapproved_plan_that_is_approved_and_one_tenant_twice(
        broken_target: Any, mock_config: dict[str, Any]) -> None:
    approved = mock_config["garuda"]["approved_flight_plan_id"]
    config = changed(changed(mock_config, "garuda.unapproved_flight_plan_id", approved),
                     "flightsayer.other_token", mock_config["flightsayer"]["token"])
    problems = run_preflight(broken_target.base_url, ConformanceConfig(config), apis=None, read_only=False,
                             trigger_cmd="no-such-program-here {flight_id} {kind}")
    named = sorted(p.line.split(" ")[0] for p in problems)
    assert named == ["--webhook-trigger-cmd:", "flightsayer.other_token", "garuda.unapproved_flight_plan_id"]


def test_read_only_preflight_writes_nothing(broken_target: Any, mock_app: Any, mock_config: dict[str, Any]) -> None:
    mock_app.control.journal.clear()
    problems = run_preflight(broken_target.base_url, ConformanceConfig(mock_config), apis=None, read_only=True,
                             trigger_cmd=None)
    assert problems == []
    sent = [(entry.method, entry.path) for entry in mock_app.control.journal.entries()]
    assert sent and all(method == "GET" for method, _ in sent), sent
    mock_app.control.journal.clear()
    run_preflight(broken_target.base_url, ConformanceConfig(mock_config), apis=["garuda"], read_only=False,
                  trigger_cmd=None)
    assert ("POST", "/v2/flight_sessions") in [(e.method, e.path) for e in mock_app.control.journal.entries()]


def test_preflight_lets_every_legitimate_backend_through(broken_base_url: str, breaking: BreakingMiddleware,
                                                         mock_app: Any, mock_config: dict[str, Any]) -> None:
    blocked = {}
    for name, variant in legitimate_variants(mock_app).items():
        mock_app.state.reset()
        config = variant.breakage.config(mock_config) if variant.breakage.config else mock_config
        breaking.breakage = variant.breakage
        try:
            problems = run_preflight(broken_base_url, ConformanceConfig(config), apis=None, read_only=False,
                                     trigger_cmd=None)
        finally:
            breaking.breakage = Breakage("none")
        if problems:
            blocked[name] = [p.line for p in problems]
    assert blocked == {}


def test_no_preflight_runs_the_checks_anyway(broken_base_url: str, tmp_path: Path,
                                              mock_config: dict[str, Any]) -> None:
    config = write_config(tmp_path, changed(mock_config, "flightsayer.token", "not-the-token"))
    done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(config), "--no-preflight",
                    "--api", "flightsayer", "-k", "status_endpoint_agrees")
    assert done.returncode == Exit.FAILED, done.stdout[-2000:]


# -- findings ----------------------------------------------------------------------------------------------------


def test_one_defect_breaking_several_tests_is_one_finding(broken_base_url: str, breaking: BreakingMiddleware,
                                                          mock_app: Any, mock_config: dict[str, Any],
                                                          tmp_path: Path) -> None:
    mock_app.state.reset()
    config, as_json = write_config(tmp_path, mock_config), tmp_path / "report.json"
    with broken(breaking, NO_CHALLENGE, mock_config=mock_config):
        done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(config), "--api", "flightsayer",
                        "-k", "refuses_missing or reads_of_invalid", "--report-json", str(as_json))
    assert done.returncode == Exit.FAILED, done.stdout[-3000:]
    report = report_of(as_json)
    (finding,) = report["findings"]
    assert finding["id"] == CHALLENGE_FINDING and finding["cause"] == "HTTP 401 without WWW-Authenticate"
    assert finding["rule"].startswith("RFC 9110")
    # Seen by the scenario check and by schemathesis's header check on several operations.
    assert "test_flightsayer[every_endpoint_refuses_missing_or_wrong_token]" in finding["tests"]
    assert len(finding["tests"]) == report["failed"] >= 3 and len(finding["operations"]) >= 3
    assert report["headline"] == f"1 finding ({report['failed']} failing tests)"
    assert f"flight API conformance of {broken_base_url}: 1 finding ({report['failed']} failing tests)" \
        in done.stdout
    assert done.stdout.count(CHALLENGE_FINDING) == 1  # each finding once, briefly


def missing_header_group(header: str, status: int) -> BaseException:
    """What schemathesis raises for an answer without a required header."""
    from schemathesis.core.failures import FailureGroup
    from schemathesis.openapi.checks import MissingHeaders

    failure = MissingHeaders(operation="GET /flights/v1/search", missing_headers=[header],
                             message=f"The following required headers are missing from the response:\n- `{header}`")
    return FailureGroup([failure], f"Schemathesis found 1 distinct failure\n\n[{status}] Unauthorized:\n")


def test_a_missing_header_is_one_cause_whichever_check_saw_it() -> None:
    ours = ConformanceFailure("both_credentials_required", "Authorization: Bearer <AUTH_TOKEN>",
                              "a WWW-Authenticate challenge with the 401 (RFC 9110)",
                              repr({"content-type": "application/json"}))
    (scenario,) = causes_of(ours)
    (schemathesis,) = causes_of(missing_header_group("WWW-Authenticate", 401))
    assert scenario.key == schemathesis.key
    (other,) = causes_of(missing_header_group("Allow", 405))
    assert other.key != scenario.key
    (allow,) = causes_of(ConformanceFailure("c", "s", "an Allow header with the 405", repr({"server": "x"})))
    assert allow.key == other.key


def test_causes_keep_the_rule_and_drop_what_varies_by_request() -> None:
    def failure(path: str, got: int) -> ConformanceFailure:
        return ConformanceFailure("status_endpoint_agrees_with_search", "seed sentence", f"HTTP 200 for GET {path}",
                                  f"HTTP {got}: {{\"detail\": \"x\"}}")

    first, = causes_of(failure("/flights/v1/status/UA123SFOJFK2401011200", 500))
    again, = causes_of(failure("/flights/v1/status/DL9ATLLAX2402021500", 500))
    other, = causes_of(failure("/flights/v1/status/DL9ATLLAX2402021500", 404))
    assert first.key == again.key != other.key
    assert normalise("count 17 at 2024-01-01T10:00:00Z for 'abc'") == "count <n> at <time> for <value>"


def test_findings_count_every_test_and_operation_under_one_id() -> None:
    cause = {"rule": "r", "cause": "c", "operation": "GET /a", "detail": "d", "kind": "", "key": "r\nc"}
    tests = [FailedTest("flightsayer", f"t{n}", "check", [{**cause, "operation": f"GET /{n}"}]) for n in range(3)]
    (finding,) = group(tests)
    assert finding.id == finding_id("r\nc") and finding.occurrences == 3
    assert finding.tests == ["t0", "t1", "t2"] and finding.operations == ["GET /0", "GET /1", "GET /2"]


# -- errors of the run -------------------------------------------------------------------------------------------


def test_a_failing_trigger_command_is_an_error_not_a_failure(broken_base_url: str, mock_app: Any, tmp_path: Path,
                                                             mock_config: dict[str, Any]) -> None:
    mock_app.state.reset()
    usage = "import sys; print('usage: force-flight FLIGHT KIND', file=sys.stderr); sys.exit(2)"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(usage)} {{flight_id}} {{kind}}"
    as_json = tmp_path / "report.json"
    done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(write_config(tmp_path, mock_config)),
                    "--webhook-trigger-cmd", command, "-k", "notification_arrives_when_status_changes",
                    "--report-json", str(as_json))
    assert done.returncode == Exit.RUN_ERRORS, done.stdout[-3000:]
    report = report_of(as_json)
    assert report["failed"] == 0 and report["findings"] == [] and report["errored"] == 1
    (error,) = report["errors"]
    assert error["check"] == "notification_arrives_when_status_changes"
    assert error["error"].startswith("TriggerFailed") and "usage: force-flight" in error["error"]
    assert "1 error" in done.stdout.strip().splitlines()[-1] and "failed" not in done.stdout.strip().splitlines()[-1]
    assert "errors of the run (not verdicts on the backend" in done.stdout


def test_a_run_in_which_every_check_was_skipped_fails_saying_so(broken_base_url: str, tmp_path: Path,
                                                                mock_config: dict[str, Any]) -> None:
    config = {"flightsayer": {"token": mock_config["flightsayer"]["token"]}}
    done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(write_config(tmp_path, config)),
                    "--api", "flightsayer", "-k", "subscriptions_are_per_user")
    assert done.returncode == Exit.NOTHING_CHECKED, done.stdout[-2000:]
    assert "nothing was checked: every selected check was skipped" in done.stdout


# -- baseline and waivers ----------------------------------------------------------------------------------------


def test_a_baseline_passes_known_findings_fails_new_ones_and_reports_fixed_ones(
        broken_base_url: str, breaking: BreakingMiddleware, mock_app: Any, mock_config: dict[str, Any],
        tmp_path: Path) -> None:
    config = write_config(tmp_path, mock_config)

    def run(*names: str, baseline: Path | None = None) -> tuple[int, dict[str, Any], str]:
        mock_app.state.reset()
        as_json = tmp_path / f"{len(list(tmp_path.glob('*.json')))}.json"
        extra = ["--baseline", str(baseline)] if baseline else []
        with broken(breaking, *names, mock_config=mock_config):
            done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(config), "--api",
                            "flightsayer", "-k", "refuses_missing or subscription_lifecycle", "--report-json",
                            str(as_json), *extra)
        return done.returncode, report_of(as_json), done.stdout

    code, first, _ = run(NO_CHALLENGE)
    assert code == Exit.FAILED and [f["id"] for f in first["findings"]] == [CHALLENGE_FINDING]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first))

    code, same, stdout = run(NO_CHALLENGE, baseline=baseline)
    assert code == Exit.PASSED, stdout[-3000:]
    assert [(f["id"], f["status"]) for f in same["findings"]] == [(CHALLENGE_FINDING, KNOWN)]
    assert same["failed"] == 1 and "1 known" in same["headline"]

    code, worse, stdout = run(NO_CHALLENGE, FROZEN, baseline=baseline)
    assert code == Exit.FAILED, stdout[-3000:]
    statuses = {f["id"]: f["status"] for f in worse["findings"]}
    assert statuses.pop(CHALLENGE_FINDING) == KNOWN and list(statuses.values()) == [NEW]

    code, fixed, stdout = run(baseline=baseline)
    assert code == Exit.PASSED, stdout[-3000:]
    assert fixed["findings"] == [] and [(f["id"], f["status"]) for f in fixed["fixed"]] == [(CHALLENGE_FINDING,
                                                                                             FIXED)]
    assert f"{CHALLENGE_FINDING} [fixed]" in stdout


def test_a_waived_finding_is_shown_with_its_reason_and_does_not_fail_the_run(
        broken_base_url: str, breaking: BreakingMiddleware, mock_app: Any, mock_config: dict[str, Any],
        tmp_path: Path) -> None:
    config = write_config(tmp_path, mock_config)
    expires = (date.today() + timedelta(days=30)).isoformat()
    waivers = write_config(tmp_path, {"waivers": [{"finding": CHALLENGE_FINDING, "reason": "deferred to the auth "
                                                   "rework", "expires": expires}]}, "waivers.yaml")
    mock_app.state.reset()
    with broken(breaking, NO_CHALLENGE, mock_config=mock_config):
        done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(config), "--api", "flightsayer",
                        "-k", "refuses_missing", "--waivers", str(waivers), "--report-json", str(tmp_path / "r.json"),
                        "--report", str(tmp_path / "r.html"))
    assert done.returncode == Exit.PASSED, done.stdout[-3000:]
    report = report_of(tmp_path / "r.json")
    (finding,) = report["findings"]
    assert finding["status"] == WAIVED and finding["note"].startswith("deferred to the auth rework (until ")
    assert report["waivers"][0]["applies"] and report["waivers"][0]["seen"]
    assert "1 waived" in report["headline"] and f"{CHALLENGE_FINDING} [waived]" in done.stdout
    assert "deferred to the auth rework" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_an_expired_waiver_no_longer_covers_its_finding() -> None:
    findings = group([FailedTest("garuda", "t", "c", [{"rule": "r", "cause": "c", "detail": "", "key": "k"}])])
    today = date.today()
    judge(findings, None, [Waiver(findings[0].id, "later", today - timedelta(days=1))], {}, today)
    assert findings[0].status == NEW and findings[0].note.startswith("waiver expired on ")
    judge(findings, None, [Waiver(findings[0].id, "later", today)], {}, today)
    assert findings[0].status == WAIVED


def test_a_baseline_finding_whose_tests_did_not_run_is_not_called_fixed() -> None:
    baseline = {"F-1": {"id": "F-1", "rule": "r", "cause": "c", "summary": "", "tests": ["t_not_run"]},
                "F-2": {"id": "F-2", "rule": "r", "cause": "c", "summary": "", "tests": ["t_passed"]}}
    gone = judge([], baseline, [Waiver("F-9", "x")], {"t_passed": "passed"}, date.today())
    assert {g.id: g.status for g in gone} == {"F-1": "not checked again", "F-2": FIXED}


def test_an_unreadable_baseline_or_waiver_file_is_a_config_error(broken_base_url: str, tmp_path: Path,
                                                                 mock_config: dict[str, Any]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("waivers:\n  - finding: F-1\n")  # no reason
    done, _ = suite("--base-url", broken_base_url, "--conformance-config", str(write_config(tmp_path, mock_config)),
                    "--waivers", str(bad), "--baseline", str(tmp_path / "missing.json"))
    assert done.returncode == Exit.CONFIG
    assert sum(1 for line in done.stderr.splitlines() if line.startswith("flight-conformance: --")) == 2

