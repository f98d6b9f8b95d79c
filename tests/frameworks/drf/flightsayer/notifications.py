"""Push notifications: a flight's full FlightStatus POSTed to each of its subscriptions' targets, off the request.

A background pool delivers; a target that fails or hangs is logged and skipped, never felt by the API. After a
flight's final notification (it was cancelled) its subscriptions are deleted FINAL_DELETE_SECONDS later.
"""

import logging
import threading
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from rest_framework.renderers import JSONRenderer

from flightsite import mutants

from .models import Subscription
from .serializers import FlightStatusSerializer, flight_statuses

log = logging.getLogger(__name__)
EARLY_RETIREMENT_SECONDS = 5.0

_jobs = ThreadPoolExecutor(max_workers=4, thread_name_prefix="notify")
_posts = ThreadPoolExecutor(max_workers=8, thread_name_prefix="notify-post")
# One flight's notifications go out in the order its changes happened.
_flight_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)


def notify_subscribers(flight_id: str, final: bool) -> None:
    """Snapshots the flight's status and its subscribers now, and queues the deliveries."""
    payload = JSONRenderer().render(FlightStatusSerializer(flight_statuses().get(pk=flight_id)).data)
    subscriptions = Subscription.objects.filter(flight_id=flight_id)
    if mutants.active("cross_user_leak"):
        subscribers = Subscription.objects.filter(flight_id=flight_id).values("user")
        subscriptions = Subscription.objects.filter(Q(flight_id=flight_id) | ~Q(user__in=subscribers))
    recipients = list(subscriptions.values_list("pk", "target"))
    lock = _flight_locks[flight_id]
    _jobs.submit(_deliver_all, lock, flight_id, payload, recipients, final)


def _deliver_all(lock: threading.Lock, flight_id: str, payload: bytes, recipients: list[tuple[int, str]],
                 final: bool) -> None:
    with lock:
        wait([_posts.submit(_post, target, payload) for _pk, target in recipients])
    pks = [pk for pk, _target in recipients]
    if final and not mutants.active("subscriptions_never_retired"):
        threading.Timer(settings.FINAL_DELETE_SECONDS, _retire, [flight_id, pks]).start()
    elif not final and mutants.active("early_retirement"):
        threading.Timer(EARLY_RETIREMENT_SECONDS, _retire, [flight_id, pks]).start()


def _post(target: str, payload: bytes) -> None:
    request = urllib.request.Request(target, data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFICATION_TIMEOUT_SECONDS) as response:
            log.info("notified %s: %s", target, response.status)
    except Exception as error:  # any failure of a target is the target's; the next one still gets its POST
        log.warning("notification to %s failed: %s", target, error)


def _retire(flight_id: str, pks: list[int]) -> None:
    try:
        deleted, _by_model = Subscription.objects.filter(pk__in=pks).delete()
        log.info("retired %s subscriptions of %s", deleted, flight_id)
    finally:
        close_old_connections()
