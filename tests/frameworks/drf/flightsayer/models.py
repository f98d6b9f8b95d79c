"""Flightsayer's catalog (airports, carriers, flights with their realtime status and prediction) and subscriptions."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models


class Airport(models.Model):
    iata = models.CharField(primary_key=True, max_length=3)
    city = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64)  # IANA name

    def local(self, instant: datetime) -> str:
        """``instant`` as an ISO 8601 timestamp carrying this airport's UTC offset at that instant."""
        return instant.astimezone(ZoneInfo(self.time_zone)).isoformat()


class Carrier(models.Model):
    iata = models.CharField(primary_key=True, max_length=2)
    name = models.CharField(max_length=100)


class Flight(models.Model):
    """One leg, with its latest realtime status and Flightsayer's delay prediction."""

    flight_id = models.CharField(primary_key=True, max_length=22)
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT)
    number = models.PositiveSmallIntegerField()
    origin = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="departures")
    destination = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="arrivals")
    aircraft = models.CharField(max_length=10)  # tail number: the inbound flight is its previous leg
    scheduled_departure = models.DateTimeField(db_index=True)
    scheduled_arrival = models.DateTimeField()
    latest_departure = models.DateTimeField()
    latest_arrival = models.DateTimeField()
    departure_type = models.CharField(max_length=10, default="scheduled")
    arrival_type = models.CharField(max_length=10, default="scheduled")
    departure_terminal = models.CharField(max_length=4, null=True)
    departure_gate = models.CharField(max_length=4, null=True)
    cancelled = models.BooleanField(default=False)
    last_updated = models.DateTimeField(null=True)
    delay_index = models.PositiveSmallIntegerField()
    distribution = models.JSONField()
    reasons = models.JSONField()
    historical_performance = models.JSONField(null=True)
    inbound = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["scheduled_departure", "flight_id"]


class Subscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="subscriptions")
    target = models.URLField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "flight"], name="one_subscription_per_user_flight")]
