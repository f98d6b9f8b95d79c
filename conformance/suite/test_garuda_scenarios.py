"""Garuda flight sessions: every scenario check of conformance/checks/garuda_scenarios.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.checks import garuda_scenarios
from conformance.checks.scenario import SCENARIO_CHECKS
from conformance.suite.conftest import check_params, run_check
from conformance.target import Target

CHECKS = [c for c in SCENARIO_CHECKS if c.__module__ == garuda_scenarios.__name__]


@pytest.mark.parametrize("check", check_params(CHECKS, "garuda"))
def test_garuda(check: Callable[..., Any], target: Target, depth: dict[str, int]) -> None:
    run_check(check, target, depth)
