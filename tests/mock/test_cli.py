"""The `mock-server` command as a newcomer uses it."""

from __future__ import annotations

import subprocess
import sys

import httpx
import yaml

from tests.mock.live_server import running_mock


def test_print_config_has_exactly_the_shape_the_suite_reads() -> None:
    output = subprocess.run([sys.executable, "-m", "mock_server", "--print-config"], capture_output=True, text=True,
                            check=True).stdout
    config = yaml.safe_load(output)
    assert set(config) == {"garuda", "flightsayer"}
    assert set(config["garuda"]) == {"token", "api_key", "deployment_id", "approved_flight_plan_id",
                                     "unapproved_flight_plan_id", "other_company"}
    assert set(config["garuda"]["other_company"]) == {"token", "api_key", "deployment_id", "approved_flight_plan_id"}
    assert set(config["flightsayer"]) == {"token", "other_token"}
    assert config["garuda"]["token"] != config["garuda"]["other_company"]["token"]
    assert config["flightsayer"]["token"] != config["flightsayer"]["other_token"]


def test_a_real_server_serves_both_apis_with_the_printed_credentials() -> None:
    with running_mock() as (base, process):
        config = yaml.safe_load(subprocess.run([sys.executable, "-m", "mock_server", "--print-config"],
                                               capture_output=True, text=True, check=True).stdout)
        garuda = {"Authorization": f"Bearer {config['garuda']['token']}", "X-API-Key": config["garuda"]["api_key"]}
        flightsayer = {"Authorization": f"Token {config['flightsayer']['token']}"}
        assert httpx.get(f"{base}/v2/flight_sessions", headers=garuda).status_code == 200
        search = httpx.get(f"{base}/flights/v1/search", headers=flightsayer, params={"limit": 1}).json()
        assert search["next"].startswith(f"{base}/flights/v1/search?")
        flight_id = search["results"][0]["flight"]["id"]
        assert httpx.get(f"{base}/flights/v1/status/{flight_id}", headers=flightsayer).status_code == 200
        process.terminate()
        banner = process.communicate(timeout=10)[0]
    assert base in banner
    assert config["garuda"]["token"] in banner and config["flightsayer"]["token"] in banner
    assert f"{base}/v2/ui/" in banner and f"{base}/flights/v1/ui/" in banner


def test_seed_and_flight_count_options_change_the_generated_flights() -> None:
    def first_id(*args: str) -> tuple[int, str]:
        with running_mock(args) as (base, _):
            config = yaml.safe_load(subprocess.run([sys.executable, "-m", "mock_server", "--print-config"],
                                                   capture_output=True, text=True, check=True).stdout)
            body = httpx.get(f"{base}/flights/v1/search", params={"limit": 1},
                             headers={"Authorization": f"Token {config['flightsayer']['token']}"}).json()
            return body["count"], body["results"][0]["flight"]["id"]

    count, _ = first_id("--flights", "50", "--seed", "1")
    assert count == 50
    assert first_id("--flights", "50", "--seed", "1") == first_id("--flights", "50", "--seed", "1")


def test_proxy_is_a_subcommand_of_the_same_cli() -> None:
    output = subprocess.run([sys.executable, "-m", "mock_server", "proxy", "--help"], capture_output=True, text=True,
                            check=True).stdout
    assert "--upstream" in output and "--strict" in output


def test_the_command_line_mock_refuses_a_foreign_host_unless_allowed() -> None:
    garuda = {"Authorization": "Bearer garuda-demo-token-acme", "X-API-Key": "garuda-demo-key-acme"}
    with running_mock() as (base, _):
        refused = httpx.get(f"{base}/_mock/state", headers={"Host": "evil.example"})
        assert refused.status_code == 421 and "--allowed-host evil.example" in refused.json()["detail"]
        assert httpx.get(f"{base}/v2/flight_sessions", headers={**garuda, "Host": "localhost"}).status_code == 200
    with running_mock(["--allowed-host", ".example"]) as (base, _):
        assert httpx.get(f"{base}/v2/flight_sessions", headers={**garuda, "Host": "evil.example"}).status_code == 200
