"""Every scenario check passes against the mock and fails against each broken variant that breaks what it checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.checks.scenario import SCENARIO_CHECKS
from conformance.checks.violation import ConformanceFailure
from conformance.target import Target
from mock_server.app import create_app
from tests.conformance.breakage import BreakingMiddleware
from tests.conformance.broken_variants import variants

VARIANTS = variants(create_app().state.conformance_config())
CASES = [pytest.param(name, check, id=f"{check.__name__}-fails-when-{name.replace(' ', '-')}")
         for name, (_breakage, checks) in VARIANTS.items() for check in checks]


@pytest.mark.parametrize("check", SCENARIO_CHECKS, ids=lambda check: check.__name__)
def test_check_passes_against_the_mock(check: Callable[..., Any], broken_target: Target) -> None:
    check(broken_target)


@pytest.mark.parametrize(("variant", "check"), CASES)
def test_check_fails_against_broken_backend(variant: str, check: Callable[..., Any], broken_target: Target,
                                            breaking: BreakingMiddleware) -> None:
    breaking.breakage = VARIANTS[variant][0]
    with pytest.raises(ConformanceFailure) as failure:
        check(broken_target)
    message = str(failure.value)
    assert f"check:    {check.__name__}" in message and "seed:     \"" in message and "expected:" in message


def test_every_scenario_check_is_caught_by_some_broken_variant() -> None:
    caught = {check.__name__ for _breakage, checks in VARIANTS.values() for check in checks}
    assert {check.__name__ for check in SCENARIO_CHECKS} <= caught
