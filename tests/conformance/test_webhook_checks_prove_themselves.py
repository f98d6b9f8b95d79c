"""Every push-notification check passes against the mock (delivery worker running, short grace) and fails against
each broken variant that breaks what it checks.

The variants break the mock in-process: a switch stands in for the delivery worker's ``notify`` among the
simulator's listeners (so a variant can drop, rewrite or misroute what is pushed), the worker's grace can be made
endless, and the breaking middleware can make DELETE lie. One mock serves every test, reset before each; each test
gets its own receiver, so a late POST of an earlier test cannot land in a later one's.
"""

from __future__ import annotations

import copy
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance.checks.violation import ConformanceFailure
from conformance.config import ConformanceConfig
from conformance.target import Target, make_http_client
from conformance.webhooks import checks as wc
from conformance.webhooks.checks import WEBHOOK_CHECKS, WebhookRig
from conformance.webhooks.receiver import serve_receiver
from conformance.webhooks.trigger import NO_TRIGGER, CommandTrigger, MockControlTrigger, TriggerFailed, choose_trigger
from mock_server.app import MockApp, create_app
from mock_server.webhooks.worker import is_final
from tests.conformance.breakage import NO_BREAKAGE, Breakage, BreakingMiddleware, Exchange
from tests.serving import serving

GRACE = 0.3  # the mock's: seconds from the final POST to the subscription's deletion
WAIT, FINAL_GRACE, QUIET = 3.0, 3.0, 0.4  # the checks': generous for an in-process mock, short for a failing run
EARLY_RETIREMENT = 1.0  # a broken variant's: after QUIET, before FINAL_GRACE

Notify = Callable[[str, Mapping[str, Any]], None]
Forward = Callable[[Notify, str, Mapping[str, Any]], None]


def forward(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
    notify(flight_id, status)


@dataclass
class Mock:
    """The served mock, and the switch between its simulator and its delivery worker."""

    app: MockApp
    breaking: BreakingMiddleware
    base_url: str
    forward: Forward = forward

    def notify(self, flight_id: str, status: Mapping[str, Any]) -> None:
        self.forward(self.app.simulation.worker.notify, flight_id, status)


@pytest.fixture(scope="module")
def mock() -> Iterator[Mock]:
    app = create_app(webhook_grace_seconds=GRACE)
    breaking = BreakingMiddleware(app)
    simulator = app.simulation.simulator
    with serving(breaking, lifespan="on") as base_url:  # the lifespan starts the delivery worker
        served = Mock(app, breaking, base_url)
        simulator.remove_listener(app.simulation.worker.notify)
        simulator.add_listener(served.notify)
        yield served


@pytest.fixture
def webhook_target(mock: Mock) -> Iterator[tuple[Target, WebhookRig]]:
    """A target and rig on the mock reset to its fixtures, with a receiver of its own; the variant is undone after."""
    mock.app.state.reset()
    grace = mock.app.simulation.worker.grace
    with make_http_client(mock.base_url) as http, serve_receiver() as receiver:
        target = Target(mock.base_url, ConformanceConfig(mock.app.state.conformance_config()), http)
        yield target, WebhookRig(receiver, MockControlTrigger(http), wait=WAIT, final_grace=FINAL_GRACE, quiet=QUIET)
        mock.forward, mock.breaking.breakage = forward, NO_BREAKAGE
        mock.app.simulation.worker.grace = grace
        target.clean_up()


# -- the broken variants -----------------------------------------------------------------------------------------


def _rewritten(change: Callable[[dict[str, Any]], None]) -> Forward:
    def send(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        body = copy.deepcopy(dict(status))
        change(body)
        notify(flight_id, body)
    return send


def _never_sends(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
    return None


def _schema_breaking(body: dict[str, Any]) -> None:
    body["prediction"]["delay_index"] = "high"


def _not_the_status(body: dict[str, Any]) -> None:
    body["historical_performance"]["samples"] += 1


def _variants(mock: Mock) -> dict[str, Callable[[], None]]:
    """name -> how to break the running mock that way (undone by the fixture)."""
    store = lambda: mock.app.state.subscriptions  # noqa: E731 - the store a reset put in place

    def every_subscriber_hears_every_flight(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        notify(flight_id, status)
        for other in {row["flight_id"] for row in store().export()} - {flight_id}:
            notify(other, status)

    def another_flights_status(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        catalog = mock.app.state.catalog
        other = next(other for other in catalog.flight_ids() if other != flight_id)
        notify(flight_id, catalog.status(other) or {})

    def final_never_sent(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        if not is_final(status):
            notify(flight_id, status)

    def deleted_before_final_sent(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        if is_final(status):
            for subscription in store().subscribers(flight_id):
                store().delete(subscription.username, flight_id)
        notify(flight_id, status)

    def use(forwarding: Forward) -> Callable[[], None]:
        return lambda: setattr(mock, "forward", forwarding)

    def lying_delete() -> None:
        def answer(x: Exchange) -> None:
            if lied.pop(id(x), False):
                x.status, x.response = 204, None

        def request(x: Exchange) -> None:
            if x.method == "DELETE" and x.path.startswith("/subscriptions/"):
                x.method = "GET"
                lied[id(x)] = True

        lied: dict[int, bool] = {}
        mock.breaking.breakage = Breakage("DELETE answers 204 but keeps the subscription", request, answer)

    def endless_grace() -> None:
        mock.app.simulation.worker.grace = 3600.0

    def only_the_first_subscriber_notified() -> None:
        subscribers = store().subscribers
        store().subscribers = lambda flight_id: subscribers(flight_id)[:1]

    notified: set[str] = set()

    def deleted_after_first_notification(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        if flight_id in notified:  # retired once its first notification went out: gone by the next change
            for subscription in store().subscribers(flight_id):
                store().delete(subscription.username, flight_id)
        notified.add(flight_id)
        notify(flight_id, status)

    def other_users_hear_a_subscribed_flights_change(notify: Notify, flight_id: str,
                                                     status: Mapping[str, Any]) -> None:
        notify(flight_id, status)
        subscribed_by = {s.username for s in store().subscribers(flight_id)}
        if not subscribed_by:
            return
        for other in {row["flight_id"] for row in store().export()} - {flight_id}:
            if not subscribed_by & {s.username for s in store().subscribers(other)}:
                notify(other, status)  # the other flight's subscribers, none of whom subscribes to this one

    def retired_soon_after_first_notification(notify: Notify, flight_id: str, status: Mapping[str, Any]) -> None:
        notify(flight_id, status)
        if flight_id not in notified:
            notified.add(flight_id)
            retire = lambda: [store().delete(s.username, flight_id)  # noqa: E731
                              for s in store().subscribers(flight_id)]
            threading.Timer(EARLY_RETIREMENT, retire).start()

    return {
        "the delivery worker never sends": use(_never_sends),
        "notifications carry another flight's status": use(another_flights_status),
        "notifications break the FlightStatus schema": use(_rewritten(_schema_breaking)),
        "notifications differ from the status endpoint's answer": use(_rewritten(_not_the_status)),
        "every subscriber hears every flight's change": use(every_subscriber_hears_every_flight),
        "DELETE answers 204 but keeps the subscription": lying_delete,
        "the final notification is never sent": use(final_never_sent),
        "the subscription is deleted before its final notification is sent": use(deleted_before_final_sent),
        "subscriptions are never deleted after the final notification": endless_grace,
        "only the first subscriber of a flight is notified": only_the_first_subscriber_notified,
        "the subscription is deleted after its first notification": use(deleted_after_first_notification),
        "a subscribed flight's change also reaches other users' subscriptions of other flights":
            use(other_users_hear_a_subscribed_flights_change),
        "the subscription is deleted soon after its first notification": use(retired_soon_after_first_notification),
    }


# variant -> (the checks that must fail against it, words of the failure's "expected" that say it failed for that)
CAUGHT_BY: dict[str, tuple[list[Callable[..., Any]], str]] = {
    "the delivery worker never sends": ([wc.notification_arrives_when_status_changes,
                                         wc.notification_is_that_flights_valid_status,
                                         wc.subscription_is_gone_after_final_notification], "a POST to"),
    "notifications carry another flight's status": ([wc.notification_is_that_flights_valid_status],
                                                    "the subscribed flight"),
    "notifications break the FlightStatus schema": ([wc.notification_is_that_flights_valid_status],
                                                    "valid against the spec's FlightStatus"),
    "notifications differ from the status endpoint's answer": ([wc.notification_is_that_flights_valid_status],
                                                               "agreeing with the status endpoint's answer"),
    "every subscriber hears every flight's change": ([wc.nothing_arrives_for_unsubscribed_flights],
                                                     "which nobody of this run subscribed to"),
    "DELETE answers 204 but keeps the subscription": ([wc.nothing_arrives_after_delete],
                                                      "after the subscription to"),
    "the final notification is never sent": ([wc.subscription_is_gone_after_final_notification], "a POST to"),
    "the subscription is deleted before its final notification is sent": (
        [wc.subscription_is_gone_after_final_notification], "a POST to"),
    "subscriptions are never deleted after the final notification": (
        [wc.subscription_is_gone_after_final_notification], "refused (gone) within"),
    "only the first subscriber of a flight is notified": ([wc.notifications_go_to_each_subscribers_own_target],
                                                          "(subscribed by the other user)"),
    "the subscription is deleted after its first notification": (
        [wc.subscription_lives_on_after_non_final_notifications], "of the second delay"),
    "a subscribed flight's change also reaches other users' subscriptions of other flights": (
        [wc.notifications_stay_on_their_flight], "its subscription's target"),
    "the subscription is deleted soon after its first notification": (
        [wc.subscription_lives_on_after_non_final_notifications], "after a non-final notification"),
}
CASES = [pytest.param(name, check, id=f"{check.__name__}-fails-when-{name.replace(' ', '-')}")
         for name, (checks, _why) in CAUGHT_BY.items() for check in checks]


@pytest.mark.parametrize("check", WEBHOOK_CHECKS, ids=lambda check: check.__name__)
def test_webhook_check_passes_against_the_mock(check: Callable[..., Any],
                                               webhook_target: tuple[Target, WebhookRig]) -> None:
    check(*webhook_target)


@pytest.mark.parametrize(("variant", "check"), CASES)
def test_webhook_check_fails_against_broken_mock(variant: str, check: Callable[..., Any], mock: Mock,
                                                 webhook_target: tuple[Target, WebhookRig]) -> None:
    _variants(mock)[variant]()
    with pytest.raises(ConformanceFailure) as failure:
        check(*webhook_target)
    message = str(failure.value)
    assert f"check:    {check.__name__}" in message and "seed:     \"" in message
    expected = next(line for line in message.splitlines() if line.startswith("expected:"))
    assert CAUGHT_BY[variant][1] in expected, message


def test_every_webhook_check_is_caught_by_some_broken_variant(mock: Mock) -> None:
    assert set(CAUGHT_BY) == set(_variants(mock))
    assert {check.__name__ for checks, _why in CAUGHT_BY.values() for check in checks} == \
        {check.__name__ for check in WEBHOOK_CHECKS}


def test_without_mock_control_or_command_there_is_no_trigger_and_the_reason_names_both() -> None:
    with serve_receiver() as not_a_mock, make_http_client(not_a_mock.public_url) as http:  # 404 to everything
        assert choose_trigger(http, None) is None
        assert isinstance(choose_trigger(http, "true {flight_id} {kind}"), CommandTrigger)
    assert "--webhook-trigger-cmd" in NO_TRIGGER and "/_mock/" in NO_TRIGGER


def test_the_trigger_command_gets_the_flight_and_kind_as_arguments_and_a_failure_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "args"
    script = f"import sys, pathlib; pathlib.Path({str(out)!r}).write_text(' '.join(sys.argv[1:]))"
    CommandTrigger(f"{sys.executable} -c {script!r} {{flight_id}} {{kind}} {{minutes}}")("AA1BOSJFK2601010000", "delay")
    assert out.read_text() == "AA1BOSJFK2601010000 delay 23"
    with pytest.raises(TriggerFailed, match="exited 3"):
        CommandTrigger(f"{sys.executable} -c 'raise SystemExit(3)' {{flight_id}}")("AA1BOSJFK2601010000", "delay")
