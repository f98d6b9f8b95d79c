"""Push-notification scenario checks of Flightsayer, one function each, enforcing the seed:

"When you subscribe to a flight status update, you will receive push notifications whenever the status of the flight
in question changes, sent to a specified URL ... Note that the flight subscription will be automatically deleted
sometime after the final POST request is sent to the target URL (this occcurs after the flight lands or is
cancelled)."

Every check subscribes the config's Flightsayer user to flights it discovers (not departed, not cancelled, never used
before in this run, not already subscribed by that user), pointing each subscription at its own path of the suite's
receiver, then changes the flight through the rig's trigger and watches what arrives. Subscriptions are deleted
afterwards through the target's undo list. They all write, so ``--read-only`` drops them.

"Nothing arrives" cannot be proven by waiting forever, so those checks also change a subscribed *sentinel* flight
after the one that must stay silent, wait for the sentinel's notification, then ``quiet`` seconds more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pytest

from api_contract import load_spec
from api_contract.examples import schema_validator
from conformance.api_clients import FlightsayerClient, flightsayer_client
from conformance.checks.agreement import differences
from conformance.checks.flightsayer_responses import flight_status_violations
from conformance.checks.flightsayer_scenarios import unsubscribed_flights
from conformance.checks.scenario import (
    expect,
    expect_no_violations,
    expect_status,
    json_body,
    registered_check,
)
from conformance.claims import Claims
from conformance.target import Target
from conformance.webhooks.receiver import Arrival, Receiver
from conformance.webhooks.trigger import CANCELLATION, DELAY, Trigger

F = TypeVar("F", bound=Callable[..., Any])

WEBHOOK_CHECKS: list[Callable[..., Any]] = []
DEFAULT_WAIT = 15.0
DEFAULT_FINAL_GRACE = 90.0
DEFAULT_QUIET = 2.0
POLL_SECONDS = 0.25
SEARCH_PAGES = 5
LIVES_ON_POLL_SECONDS = 2.0

_STATUS_SCHEMA: Any = None


def status_schema() -> Any:
    """The spec's FlightStatus validator, built once (loading the spec costs more than a check)."""
    global _STATUS_SCHEMA
    if _STATUS_SCHEMA is None:
        _STATUS_SCHEMA = schema_validator(load_spec("flightsayer"), {"$ref": "#/components/schemas/FlightStatus"})
    return _STATUS_SCHEMA


@dataclass
class WebhookRig:
    """What the webhook checks need besides the target: where notifications arrive, how to cause them, how long to
    wait. ``claims`` holds every flight a check of this run took, in any of its processes, so no check changes
    another's flight or mistakes another's late notification for its own."""

    receiver: Receiver
    trigger: Trigger
    wait: float = DEFAULT_WAIT
    final_grace: float = DEFAULT_FINAL_GRACE
    quiet: float = DEFAULT_QUIET
    claims: Claims = field(default_factory=Claims)


def webhook_check(func: F) -> F:
    """Mark ``func`` as a webhook check: like ``scenario_check`` (failures name it and quote its seed sentence) but
    listed in ``WEBHOOK_CHECKS``, since it needs a :class:`WebhookRig` the plain scenario checks do not get."""
    return registered_check(func, WEBHOOK_CHECKS)


# -- helpers -----------------------------------------------------------------------------------------------------


def _waiting(status: dict[str, Any]) -> bool:
    """Not departed and not cancelled: its status can still change, and a delay or cancellation is a change."""
    realtime = status.get("status") or {}
    return not realtime.get("cancelled") and (realtime.get("departure") or {}).get("type") != "actual"


def fresh_flights(client: FlightsayerClient, rig: WebhookRig, count: int,
                  *others: FlightsayerClient) -> list[str]:
    """``count`` discovered flights still waiting to depart that no check of this run took and neither the user nor
    ``others`` subscribe to; claims them. Skips the check when the backend's search does not offer that many."""
    found = unsubscribed_flights((client, *others), count, rig.claims, fits=_waiting, pages=SEARCH_PAGES)
    if len(found) < count:
        pytest.skip(f"the backend's search offered fewer than {count} flights that have not departed, are not "
                    "cancelled and are not subscribed to")
    return found


def subscribe(client: FlightsayerClient, rig: WebhookRig, flight_id: str, label: str) -> tuple[str, httpx.Response]:
    """Subscribe ``flight_id`` to a new receiver path; (that path, the PUT's answer, which must be 201)."""
    path = rig.receiver.new_path(label)
    response = client.subscribe(flight_id, {"target": rig.receiver.url(path)})
    expect_status(response, 201)
    return path, response


def at(path: str) -> Callable[[Arrival], bool]:
    return lambda arrival: arrival.path == path


def first_arrival(rig: WebhookRig, path: str, flight_id: str, change: str, subscribed: httpx.Response,
                  predicate: Callable[[Arrival], bool] | None = None) -> Arrival:
    """The first POST at ``path`` (matching ``predicate``), or a failure saying nothing came within ``rig.wait``."""
    wanted = predicate or (lambda arrival: True)
    arrival = rig.receiver.wait_for(lambda a: a.path == path and wanted(a), rig.wait)
    if arrival is None:
        others = [(a.flight_id, a.text[:80]) for a in rig.receiver.received(at(path))]
        expect(False, f"a POST to {rig.receiver.url(path)} within {rig.wait:g} s of the {change} of {flight_id}",
               f"nothing{' matching; got ' + repr(others) if others else ''}", subscribed)
    assert arrival is not None
    return arrival


def settle(rig: WebhookRig, sentinel_path: str, sentinel_id: str, subscribed: httpx.Response) -> None:
    """Wait for the sentinel's notification, then ``quiet`` seconds: whatever was due has had its chance."""
    first_arrival(rig, sentinel_path, sentinel_id, "delay (a sentinel, changed last)", subscribed)
    time.sleep(rig.quiet)


# -- checks ------------------------------------------------------------------------------------------------------


@webhook_check
def notification_arrives_when_status_changes(target: Target, rig: WebhookRig) -> None:
    """"When you subscribe to a flight status update, you will receive push notifications whenever the status of the
    flight in question changes, sent to a specified URL": after a change of a subscribed flight, a POST reaches the
    subscription's target within the wait (``--webhook-wait``).
    """
    client = flightsayer_client(target)
    (flight_id,) = fresh_flights(client, rig, 1)
    path, subscribed = subscribe(client, rig, flight_id, "arrives")
    rig.trigger(flight_id, DELAY)
    first_arrival(rig, path, flight_id, DELAY, subscribed)


@webhook_check
def notification_is_that_flights_valid_status(target: Target, rig: WebhookRig) -> None:
    """"you will receive push notifications whenever the status of the flight in question changes": what is POSTed
    is a FlightStatus of the spec, passes every per-response check, is of the subscribed flight, and is that flight's
    status after the change, as the status endpoint then answers it (on every field both show).
    """
    client = flightsayer_client(target)
    (flight_id,) = fresh_flights(client, rig, 1)
    path, subscribed = subscribe(client, rig, flight_id, "valid-status")
    rig.trigger(flight_id, DELAY)
    first_arrival(rig, path, flight_id, DELAY, subscribed)
    time.sleep(rig.quiet)  # the last notification is the one the status endpoint must agree with
    arrivals = rig.receiver.received(at(path))
    for arrival in arrivals:
        expect(isinstance(arrival.body, dict), "a JSON FlightStatus object as the POST body", arrival.text[:300],
               subscribed)
        errors = sorted(status_schema().iter_errors(arrival.body), key=lambda e: list(e.absolute_path))
        expect(not errors, "a body valid against the spec's FlightStatus",
               "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:3]),
               subscribed)
        expect_no_violations(flight_status_violations(arrival.body), subscribed)
        expect(arrival.flight_id == flight_id, f"flight.id {flight_id}, the subscribed flight", arrival.flight_id,
               subscribed)
    status = client.status(flight_id)
    expect_status(status, 200)
    disagree = differences(json_body(status), arrivals[-1].body, skip=frozenset({"inbound"}))
    if disagree:  # the flight moved on meanwhile (another check may delay the aircraft's earlier leg): once more
        time.sleep(rig.quiet)
        arrivals, status = rig.receiver.received(at(path)), client.status(flight_id)
        disagree = differences(json_body(status), arrivals[-1].body, skip=frozenset({"inbound"}))
    expect(not disagree, "the last notification agreeing with the status endpoint's answer on every field both show",
           "; ".join(disagree[:5]), status)


@webhook_check
def nothing_arrives_for_unsubscribed_flights(target: Target, rig: WebhookRig) -> None:
    """"push notifications whenever the status of the flight in question changes": a change of a flight nobody of
    this run subscribed to sends nothing to any of this run's targets, while a subscribed flight's change does.
    """
    client = flightsayer_client(target)
    silent, sentinel = fresh_flights(client, rig, 2)
    sentinel_path, subscribed = subscribe(client, rig, sentinel, "unsubscribed-sentinel")
    rig.trigger(silent, DELAY)
    rig.trigger(sentinel, DELAY)
    settle(rig, sentinel_path, sentinel, subscribed)
    stray = rig.receiver.received(lambda arrival: arrival.flight_id == silent)
    expect(not stray, f"no POST carrying {silent}, which nobody of this run subscribed to",
           [(arrival.path, arrival.flight_id) for arrival in stray], subscribed)


@webhook_check
def nothing_arrives_after_delete(target: Target, rig: WebhookRig) -> None:
    """"When you subscribe to a flight status update, you will receive push notifications": only while subscribed;
    after DELETE of the subscription, a change of its flight sends nothing to its target.
    """
    client = flightsayer_client(target)
    deleted, sentinel = fresh_flights(client, rig, 2)
    path, _ = subscribe(client, rig, deleted, "deleted")
    sentinel_path, sentinel_subscribed = subscribe(client, rig, sentinel, "deleted-sentinel")
    removed = client.unsubscribe(deleted)
    expect_status(removed, 204, 200)
    rig.trigger(deleted, DELAY)
    rig.trigger(sentinel, DELAY)
    settle(rig, sentinel_path, sentinel, sentinel_subscribed)
    stray = rig.receiver.received(lambda arrival: arrival.path == path or arrival.flight_id == deleted)
    expect(not stray, f"nothing at {rig.receiver.url(path)} after the subscription to {deleted} was deleted",
           [(arrival.path, arrival.flight_id) for arrival in stray], removed)


@webhook_check
def subscription_is_gone_after_final_notification(target: Target, rig: WebhookRig) -> None:
    """"Note that the flight subscription will be automatically deleted sometime after the final POST request is sent
    to the target URL (this occcurs after the flight lands or is cancelled)": cancelling a subscribed flight POSTs
    its cancelled status, and then the subscription is gone (its GET refused with a 4xx) within
    ``--webhook-final-grace`` seconds.
    """
    client = flightsayer_client(target)
    (flight_id,) = fresh_flights(client, rig, 1)
    path, subscribed = subscribe(client, rig, flight_id, "final")
    rig.trigger(flight_id, CANCELLATION)
    final = first_arrival(rig, path, flight_id, CANCELLATION, subscribed,
                          lambda arrival: isinstance(arrival.body, dict)
                          and (arrival.body.get("status") or {}).get("cancelled") is True)
    deadline = final.at + rig.final_grace
    while True:
        response = client.subscription(flight_id)
        if 400 <= response.status_code < 500:
            return
        expect(time.monotonic() < deadline, f"GET of the subscription refused (gone) within {rig.final_grace:g} s "
               "(--webhook-final-grace) of the final notification", f"HTTP {response.status_code} still",
               response)
        time.sleep(POLL_SECONDS)


@webhook_check
def notifications_go_to_each_subscribers_own_target(target: Target, rig: WebhookRig) -> None:
    """"When you subscribe to a flight status update, you will receive push notifications ... sent to a specified
    URL": two users subscribing to one flight with their own targets each receive its change at their own target,
    and nothing of that flight arrives anywhere else.
    """
    alice, bob = flightsayer_client(target), flightsayer_client(target, "other_token")
    shared, sentinel = fresh_flights(alice, rig, 2, bob)
    alice_path, alice_subscribed = subscribe(alice, rig, shared, "shared-first-user")
    bob_path, bob_subscribed = subscribe(bob, rig, shared, "shared-other-user")
    sentinel_path, sentinel_subscribed = subscribe(alice, rig, sentinel, "shared-sentinel")
    rig.trigger(shared, DELAY)
    first_arrival(rig, alice_path, shared, f"{DELAY} (subscribed by the first user)", alice_subscribed)
    first_arrival(rig, bob_path, shared, f"{DELAY} (subscribed by the other user)", bob_subscribed)
    rig.trigger(sentinel, DELAY)
    settle(rig, sentinel_path, sentinel, sentinel_subscribed)
    stray = rig.receiver.received(lambda arrival: arrival.flight_id == shared and arrival.path not in (alice_path,
                                                                                                     bob_path))
    expect(not stray, f"notifications of {shared} only at the two subscribers' targets",
           [(arrival.path, arrival.flight_id) for arrival in stray], bob_subscribed)


@webhook_check
def subscription_lives_on_after_non_final_notifications(target: Target, rig: WebhookRig) -> None:
    """"Note that the flight subscription will be automatically deleted sometime after the final POST request is sent
    to the target URL (this occcurs after the flight lands or is cancelled)": not after an earlier one. After a
    delay has been notified, the subscription still exists for as long as the suite allows a finished flight's
    subscription to live on (``--webhook-final-grace``: a backend retiring it that soon after any notification would
    be indistinguishable from one honouring the seed otherwise), and the next change is notified too.
    """
    client = flightsayer_client(target)
    (flight_id,) = fresh_flights(client, rig, 1)
    path, subscribed = subscribe(client, rig, flight_id, "lives-on")
    rig.trigger(flight_id, DELAY)
    notified = first_arrival(rig, path, flight_id, DELAY, subscribed)
    still = subscribed
    while True:
        still = client.subscription(flight_id)
        expect(still.status_code == 200, f"the subscription still there {rig.final_grace:g} s (--webhook-final-grace) "
               "after a non-final notification", f"HTTP {still.status_code} "
               f"{time.monotonic() - notified.at:.1f} s after it", still)
        if time.monotonic() >= notified.at + rig.final_grace:
            break
        time.sleep(min(LIVES_ON_POLL_SECONDS, max(0.0, notified.at + rig.final_grace - time.monotonic())))
    second_change = time.monotonic()
    rig.trigger(flight_id, DELAY)
    first_arrival(rig, path, flight_id, f"second {DELAY}", still, lambda arrival: arrival.at >= second_change)


@webhook_check
def notifications_stay_on_their_flight(target: Target, rig: WebhookRig) -> None:
    """"you will receive push notifications whenever the status of the flight in question changes": of that flight,
    and of no other, whoever owns the subscription. Two users each subscribe to a flight of their own; each flight's
    change arrives at its own subscriber's target, and nothing of one flight arrives at the other's.
    """
    alice, bob = flightsayer_client(target), flightsayer_client(target, "other_token")
    first, second = fresh_flights(alice, rig, 2, bob)
    first_path, first_subscribed = subscribe(alice, rig, first, "own-flight-first-user")
    second_path, second_subscribed = subscribe(bob, rig, second, "own-flight-other-user")
    rig.trigger(first, DELAY)
    first_arrival(rig, first_path, first, f"{DELAY} (subscribed by the first user)", first_subscribed)
    rig.trigger(second, DELAY)
    settle(rig, second_path, second, second_subscribed)
    for path, flight_id, subscribed in ((first_path, first, first_subscribed),
                                        (second_path, second, second_subscribed)):
        stray = rig.receiver.received(
            lambda arrival, p=path, f=flight_id: arrival.path == p and arrival.flight_id not in (f, None))
        expect(not stray, f"only notifications of {flight_id} at {rig.receiver.url(path)}, its subscription's target",
               [(arrival.path, arrival.flight_id) for arrival in stray], subscribed)
