"""Concurrency changes how long a run takes, never what it finds: on a sample of backends, a legitimate one and a
broken one, the whole suite gives every check the same verdict with ``--jobs 1`` as with several processes, and a run
with ``--hypothesis-seed`` replays."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conformance.variant_server import SUITE_ARGS, environment, running_variant

SAMPLE = [("legitimate", "search and subscriptions in another stable order"),
          ("broken", "garuda reads answer without the envelope")]
SEED = "4242"


def verdicts(base_url: str, config: Path, jobs: int, report: Path) -> dict[str, str]:
    """Every check of one whole-suite run, as the run's JSON report gives it: test -> passed, failed or skipped."""
    subprocess.run([sys.executable, "-m", "conformance", "-q", "-p", "no:randomly", "--base-url", base_url,
                    "--conformance-config", str(config), *SUITE_ARGS, "--jobs", str(jobs), f"--hypothesis-seed={SEED}",
                    "--report-json", str(report)], capture_output=True, text=True, timeout=900, env=environment())
    checks = json.loads(report.read_text(encoding="utf-8"))["checks"]
    return {f"{check['group']}::{check['test']}": check["outcome"] for check in checks}


@pytest.mark.parametrize(("kind", "name"), SAMPLE, ids=[name for _, name in SAMPLE])
def test_the_same_checks_pass_and_fail_with_one_process_and_with_three(kind: str, name: str, tmp_path: Path) -> None:
    with running_variant(kind, name, tmp_path) as (base_url, config):
        alone = verdicts(base_url, config, 1, tmp_path / "one.json")
        together = verdicts(base_url, config, 3, tmp_path / "three.json")
    assert len(alone) > 50
    assert together == alone
    failed = sorted(test for test, outcome in alone.items() if outcome == "failed")
    assert bool(failed) == (kind == "broken"), failed
