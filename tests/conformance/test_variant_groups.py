"""A group of legitimate variants still fails when one broken choice joins it: a group's passing run vouches for
each of its choices only because no layer of the group can hide what another does wrong.

The broken choice joins each group innermost (just outside the one layer that may answer from calls to the mock),
so every legitimate layer sits between it and the suite, where one could hide it. Each case runs one scenario check
in-process, not the whole suite: the check that names the broken choice passes against the group, and fails once
the broken choice joins it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conformance.checks import flightsayer_scenarios as fs
from conformance.checks import garuda_scenarios as gs
from conformance.checks.violation import ConformanceFailure
from conformance.config import ConformanceConfig
from conformance.target import Target, make_http_client
from mock_server.app import MockApp
from tests.conformance.breakage import NO_BREAKAGE, Breakage, BreakingMiddleware, stacked
from tests.conformance.broken_variants import variants as broken_variants
from tests.conformance.legitimate_variants import GROUPS, legitimate_variants, served_together

BROKEN = [("garuda reads answer without the envelope", gs.garuda_answers_in_envelope),
          ("search page drops an item", fs.pagination_walk_returns_every_match_once)]


@pytest.fixture
def group_target(broken_base_url: str, breaking: BreakingMiddleware, mock_app: MockApp,
                 mock_config: dict[str, Any]) -> Iterator[Callable[[Breakage], Target]]:
    """Serve a stack of breakages and give a target on it, with the config the stack makes of the mock's."""
    mock_app.state.reset()
    with make_http_client(broken_base_url) as http:
        targets: list[Target] = []

        def serve(breakage: Breakage) -> Target:
            breaking.breakage = breakage
            config = breakage.config(mock_config) if breakage.config is not None else mock_config
            targets.append(Target(broken_base_url, ConformanceConfig(config), http))
            return targets[-1]

        yield serve
        breaking.breakage = NO_BREAKAGE
        for target in targets:
            target.clean_up()


def _with_broken(layers: list[Breakage], broken: Breakage) -> list[Breakage]:
    """``broken`` innermost, or just outside the innermost layer when that one answers from calls to the mock."""
    at = len(layers) - (layers[-1].respond is not None)
    return [*layers[:at], broken, *layers[at:]]


@pytest.mark.parametrize(("broken", "check"), BROKEN, ids=[name.replace(" ", "-") for name, _ in BROKEN])
@pytest.mark.parametrize("group", GROUPS, ids=[f"group{index}" for index in range(len(GROUPS))])
def test_a_broken_choice_fails_its_group(group: tuple[str, ...], broken: str, check: Callable[[Target], None],
                                         group_target: Callable[[Breakage], Target], mock_app: MockApp,
                                         mock_config: dict[str, Any]) -> None:
    legitimate = legitimate_variants(mock_app)
    check(group_target(served_together(legitimate, group)))
    layers = [legitimate[name].breakage for name in group]
    spoilt = stacked("spoilt", *_with_broken(layers, broken_variants(mock_config)[broken][0]))
    with pytest.raises(ConformanceFailure):
        check(group_target(spoilt))
