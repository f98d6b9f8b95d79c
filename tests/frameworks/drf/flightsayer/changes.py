"""Changes to a flight's realtime status, as the operations side makes them; each one notifies subscribers."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from flightsite import mutants

from . import notifications
from .models import Flight
from .prediction import delay_index_for, distribution_for, reasons_for


@transaction.atomic
def delay(flight: Flight, minutes: int) -> None:
    """Moves the latest departure and arrival estimates ``minutes`` later and updates the prediction."""
    flight.latest_departure += timedelta(minutes=minutes)
    flight.latest_arrival += timedelta(minutes=minutes)
    flight.departure_type = flight.arrival_type = "estimated"
    flight.last_updated = timezone.now()
    expected = (flight.latest_departure - flight.scheduled_departure).total_seconds() / 60
    flight.distribution = distribution_for(expected)
    flight.delay_index = delay_index_for(flight.distribution)
    flight.reasons = reasons_for(expected)
    flight.save()
    if not mutants.active("no_notification_for_delay"):
        transaction.on_commit(lambda: notifications.notify_subscribers(flight.pk, final=False))


@transaction.atomic
def cancel(flight: Flight) -> None:
    """Cancels the flight: its final notification, after which its subscriptions are retired."""
    flight.cancelled = True
    flight.last_updated = timezone.now()
    flight.save()
    transaction.on_commit(lambda: notifications.notify_subscribers(flight.pk, final=True))
