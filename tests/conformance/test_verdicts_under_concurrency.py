"""Concurrency changes how long a run takes, never what it finds: on a sample of backends, a legitimate one and a
broken one, the whole suite gives every check the same verdict with ``--jobs 1`` as with several processes, and a run
with ``--hypothesis-seed`` replays."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.conformance.variant_server import environment, running_variant

SAMPLE = [("legitimate", "search and subscriptions in another stable order"),
          ("broken", "garuda reads answer without the envelope")]
SEED = "4242"


def verdicts(base_url: str, config: Path, jobs: int, report: Path) -> dict[str, str]:
    """Every check of one whole-suite run: test id -> passed, failed or skipped."""
    subprocess.run([sys.executable, "-m", "conformance", "-q", "-p", "no:randomly", "--base-url", base_url,
                    "--conformance-config", str(config), "--jobs", str(jobs), f"--hypothesis-seed={SEED}",
                    "--junitxml", str(report)], capture_output=True, text=True, timeout=900, env=environment())
    found = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        outcome = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), "passed")
        found[f"{case.get('classname')}::{case.get('name')}"] = {"error": "failed", "failure": "failed"}.get(
            outcome, outcome)
    return found


@pytest.mark.parametrize(("kind", "name"), SAMPLE, ids=[name for _, name in SAMPLE])
def test_the_same_checks_pass_and_fail_with_one_process_and_with_three(kind: str, name: str, tmp_path: Path) -> None:
    with running_variant(kind, name, tmp_path) as (base_url, config):
        alone = verdicts(base_url, config, 1, tmp_path / "one.xml")
        together = verdicts(base_url, config, 3, tmp_path / "three.xml")
    assert len(alone) > 60
    assert together == alone
    failed = sorted(test for test, outcome in alone.items() if outcome == "failed")
    assert bool(failed) == (kind == "broken"), failed
