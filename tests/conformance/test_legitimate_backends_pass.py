"""The whole default suite (scenario, push-notification and schemathesis checks, ci profile) passes against every
legitimate variant: a backend that made, where the seeds leave a choice open or contradict themselves, another
choice than the mock. A suite that failed one of them would fail a correct backend.

The variants are served a group at a time (``legitimate_variants.GROUPS``), the group's choices stacked in one
backend: a backend making several independent legitimate choices at once is itself a legitimate backend, so the
suite must pass it, and a suite failing any one choice fails every backend that makes it, this one too. Each variant
keeps its own test, which passes or fails with its group's run and names the group when it fails.
``CONFORMANCE_VARIANTS_ALONE=1`` serves each variant on its own instead, to tell which choice of a failing group
the suite refuses. (That a broken choice inside a group still makes the group fail: test_variant_groups.py.)

Each group is served in a process of its own and the suite runs against it as a CI pipeline would run it
(``python -m conformance --base-url ... --conformance-config ...``). Runs overlap, a few at a time, since much of a
run is waiting (for push notifications, for quiet periods). ``CONFORMANCE_VARIANTS_PROFILE=thorough`` runs the
thorough profile instead (minutes per run; not part of the default run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mock_server.app import create_app
from tests.conformance.legitimate_variants import GROUPS, legitimate_variants
from tests.conformance.variant_server import SUITE_ARGS, environment, running_variant

VARIANTS = sorted(legitimate_variants(create_app()))
PROFILE = os.environ.get("CONFORMANCE_VARIANTS_PROFILE", "ci")
ALONE = os.environ.get("CONFORMANCE_VARIANTS_ALONE", "") not in ("", "0")
AT_ONCE = 3
SUITE_SECONDS = 900


def run_suite_against(kind: str, names: tuple[str, ...], folder: Path) -> subprocess.CompletedProcess[str]:
    folder.mkdir(parents=True, exist_ok=True)
    with running_variant(kind, names, folder) as (base_url, config):
        return subprocess.run([sys.executable, "-m", "conformance", "-q", "-p", "no:randomly", "-rfs", "--jobs", "1",
                               "--base-url", base_url, "--conformance-config", str(config), *SUITE_ARGS,
                               f"--hypothesis-profile={PROFILE}"],
                              capture_output=True, text=True, timeout=SUITE_SECONDS, env=environment())


def served_with(variant: str, *, alone: bool = ALONE) -> tuple[str, ...]:
    """The variants served in the one backend whose run decides ``variant``'s test."""
    return (variant,) if alone else next(group for group in GROUPS if variant in group)


def failure_message(variant: str, names: tuple[str, ...], stdout: str) -> str:
    """Which backend the suite failed, every choice it made, and how to try ``variant`` on its own."""
    if names == (variant,):
        return f"the suite failed a legitimate backend ({variant}):\n{stdout[-8000:]}"
    choices = "".join(f"\n  - {name}" for name in names)
    test = f"{__name__.replace('.', '/')}.py::test_the_whole_suite_passes_against_a_legitimate_backend[{variant}]"
    return (f"the suite failed a legitimate backend making these choices at once (the first outermost):{choices}\n"
            f"{variant!r} is one of them; to serve it alone: CONFORMANCE_VARIANTS_ALONE=1 pytest '{test}'\n"
            f"{stdout[-8000:]}")


@pytest.fixture(scope="module")
def suite_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[tuple[str, ...], subprocess.CompletedProcess[str]]:
    """The suite's run against every backend (a group, or a variant alone) this session's tests need, a few at a
    time."""
    selected = sorted({served_with(item.callspec.params["variant"]) for item in request.session.items
                       if item.module is request.module and hasattr(item, "callspec")})
    root = tmp_path_factory.mktemp("legitimate")
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        futures = {names: pool.submit(run_suite_against, "legitimate", names, root / f"v{index}")
                   for index, names in enumerate(selected)}
        return {names: future.result() for names, future in futures.items()}


def test_there_are_at_least_thirty_legitimate_variants() -> None:
    assert len(VARIANTS) >= 30


def test_every_variant_is_in_exactly_one_group() -> None:
    grouped = [name for group in GROUPS for name in group]
    assert sorted(grouped) == VARIANTS


def test_no_group_makes_two_choices_of_one_decision() -> None:
    variants = legitimate_variants(create_app())
    for group in GROUPS:
        decisions = [variants[name].decision for name in group]
        assert len(set(decisions)) == len(decisions), group


def test_a_failing_group_names_every_choice_and_how_to_serve_one_alone() -> None:
    group = GROUPS[0]
    message = failure_message(group[1], group, "1 failed, 70 passed")
    assert all(f"  - {name}\n" in message for name in group)
    alone = "CONFORMANCE_VARIANTS_ALONE=1 pytest 'tests/conformance/test_legitimate_backends_pass.py::"
    assert alone in message and f"[{group[1]}]'" in message
    assert served_with(group[1], alone=True) == (group[1],) and served_with(group[1], alone=False) == group


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_whole_suite_passes_against_a_legitimate_backend(
        variant: str, suite_runs: dict[tuple[str, ...], subprocess.CompletedProcess[str]]) -> None:
    names = served_with(variant)
    run = suite_runs[names]
    assert run.returncode == 0, failure_message(variant, names, run.stdout)
    tally = run.stdout.strip().splitlines()[-1]
    assert " passed" in tally and " failed" not in tally, tally
