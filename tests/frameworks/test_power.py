"""Each framework backend's single-defect mutants (``BACKEND_MUTANT``, listed in its ``backend.toml`` with the check
that kills it and the seed sentence it breaks) fail the suite: the check named, run as a CI job runs it, fails.

The whole matrix is ``tox -e power``; the default run takes a sample of three mutants per backend
(``POWER_SAMPLE``), spread over the list so every run of the sample is the same.
"""

from __future__ import annotations

import os

import pytest

from conformance.checks import flightsayer_responses, garuda_responses
from tests.frameworks.conftest import installed
from tests.frameworks.harness import backends, run_suite, serving

BACKENDS = backends()
SAMPLE = int(os.environ.get("POWER_SAMPLE", "3"))  # mutants per backend; 0 runs all


def sample(names: list[str]) -> list[str]:
    if SAMPLE <= 0 or len(names) <= SAMPLE:
        return names
    step = len(names) / SAMPLE
    return [names[int(i * step)] for i in range(SAMPLE)]


def selection_for(check: str) -> str:
    """The suite's tests that run ``check``: itself, or for a per-response check the scenario that applies it to
    every answer of its API (schemathesis's seed_rules_hold applies it too, on generated traffic)."""
    if hasattr(flightsayer_responses, check):
        return "every_flight_status_is_self_consistent"
    if hasattr(garuda_responses, check):
        return "garuda_answers_in_envelope"
    return check


CASES = [(backend, mutant) for backend in sorted(BACKENDS) for mutant in sample(sorted(BACKENDS[backend].mutants))]


def test_every_backend_has_its_mutants() -> None:
    for backend in BACKENDS.values():
        assert len(backend.mutants) >= 18, backend.name
        for mutant in backend.mutants.values():
            assert mutant.killed_by and mutant.seed, f"{backend.name}/{mutant.name} names no killer or seed sentence"


@pytest.mark.parametrize(("name", "mutant"), CASES, ids=[f"{b}-{m}" for b, m in CASES])
def test_the_suite_kills_a_mutant_of_a_framework_backend(name: str, mutant: str, installed_backends, tmp_path,
                                                         record_property) -> None:
    backend = BACKENDS[name]
    killer = backend.mutants[mutant].killed_by
    described = backend.mutants[mutant]
    record_property("power", {"backend": name, "mutant": mutant, "defect": described.defect, "killed_by": killer,
                              "seed": described.seed})
    with serving(installed(installed_backends, backend), tmp_path, mutant) as served:
        # Preflight stops a run whose config ids do not do what the config says, which is what some mutants break
        # (an unapproved plan accepted): here the checks are what is measured, one test, so in one process.
        report = tmp_path / "report.json"
        run = run_suite(served, "--no-preflight", "--jobs", "1", "-k", selection_for(killer), "--report-json",
                        str(report))
    assert run.returncode == 1, f"{name}/{mutant} ({backend.mutants[mutant].defect}) survived {killer}:\n" \
                                f"{run.stdout[-6000:]}"
    assert killer in report.read_text(encoding="utf-8"), f"{killer} did not fail:\n{run.stdout[-6000:]}"
