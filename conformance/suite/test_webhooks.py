"""Flightsayer push notifications: every check of conformance/webhooks/checks.py, against a receiver the suite serves
(``--webhook-host``/``--webhook-port``/``--webhook-public-url``) and a trigger that changes flights (the mock's
``/_mock/`` control API, or ``--webhook-trigger-cmd``). Without a trigger the checks are skipped, saying why."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conformance.plugin import suite_option
from conformance.run import SuiteRun
from conformance.suite.conftest import check_params
from conformance.target import Target
from conformance.webhooks.checks import DEFAULT_FINAL_GRACE, WEBHOOK_CHECKS, WebhookRig
from conformance.webhooks.trigger import NO_TRIGGER, choose_trigger

BUNDLED_MOCK_FINAL_GRACE = 5.0


@pytest.fixture(scope="session")
def webhook_rig(request: pytest.FixtureRequest, run: SuiteRun) -> Iterator[WebhookRig]:
    """The run's receiver (started when a webhook check first needs it) and the trigger; skips every webhook check if
    there is no way to change a flight."""
    def option(name: str) -> Any:
        return suite_option(request.config, name)

    with run.http_client() as http:
        trigger = choose_trigger(http, option("webhook-trigger-cmd"))
        if trigger is None:
            pytest.skip(NO_TRIGGER)
        final_grace = option("webhook-final-grace")
        yield WebhookRig(run.receiver(), trigger, wait=option("webhook-wait"),
                         final_grace=final_grace_for(run) if final_grace is None else final_grace,
                         quiet=option("webhook-quiet"), claims=run.claims)


def final_grace_for(run: SuiteRun) -> float:
    """How long a finished flight's subscription may live on when ``--webhook-final-grace`` is not given: the bundled
    mock the suite starts retires it 1 s after the final notification; another backend gets 90 s."""
    return BUNDLED_MOCK_FINAL_GRACE if run.bundled else DEFAULT_FINAL_GRACE


@pytest.mark.parametrize("check", check_params(WEBHOOK_CHECKS, "flightsayer"))
def test_webhook(check: Callable[..., Any], target: Target, webhook_rig: WebhookRig) -> None:
    check(target, webhook_rig)
