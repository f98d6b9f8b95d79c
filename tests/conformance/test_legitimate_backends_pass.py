"""The whole default suite (scenario, push-notification and schemathesis checks, ci profile) passes against every
legitimate variant: a backend that made, where the seeds leave a choice open or contradict themselves, another
choice than the mock. A suite that failed one of them would fail a correct backend.

Each variant is served in a process of its own and the suite runs against it as a CI pipeline would run it
(``python -m conformance --base-url ... --conformance-config ...``). Runs overlap, a few at a time, since much of a
run is waiting (for push notifications, for quiet periods). ``CONFORMANCE_VARIANTS_PROFILE=thorough`` runs the
thorough profile instead (minutes per variant; not part of the default run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mock_server.app import create_app
from tests.conformance.legitimate_variants import legitimate_variants
from tests.conformance.variant_server import SUITE_ARGS, environment, running_variant

VARIANTS = sorted(legitimate_variants(create_app()))
PROFILE = os.environ.get("CONFORMANCE_VARIANTS_PROFILE", "ci")
AT_ONCE = 3
SUITE_SECONDS = 900


def run_suite_against(kind: str, name: str, folder: Path) -> subprocess.CompletedProcess[str]:
    folder.mkdir(parents=True, exist_ok=True)
    with running_variant(kind, name, folder) as (base_url, config):
        return subprocess.run([sys.executable, "-m", "conformance", "-q", "-p", "no:randomly", "-rfs", "--jobs", "1",
                               "--base-url", base_url, "--conformance-config", str(config), *SUITE_ARGS,
                               f"--hypothesis-profile={PROFILE}"],
                              capture_output=True, text=True, timeout=SUITE_SECONDS, env=environment())


@pytest.fixture(scope="module")
def suite_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, subprocess.CompletedProcess[str]]:
    """The suite's run against every variant this session selected, a few at a time."""
    selected = sorted({item.callspec.params["variant"] for item in request.session.items
                       if item.module is request.module and hasattr(item, "callspec")})
    root = tmp_path_factory.mktemp("legitimate")
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        futures = {name: pool.submit(run_suite_against, "legitimate", name, root / f"v{index}")
                   for index, name in enumerate(selected)}
        return {name: future.result() for name, future in futures.items()}


def test_there_are_at_least_thirty_legitimate_variants() -> None:
    assert len(VARIANTS) >= 30


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_whole_suite_passes_against_a_legitimate_backend(
        variant: str, suite_runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = suite_runs[variant]
    assert run.returncode == 0, f"the suite failed a legitimate backend ({variant}):\n{run.stdout[-8000:]}"
    tally = run.stdout.strip().splitlines()[-1]
    assert " passed" in tally and " failed" not in tally, tally
