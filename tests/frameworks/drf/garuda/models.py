"""Garuda's tenants (companies with their credentials, deployments and flight plans) and their flight sessions."""

import uuid

from django.db import models


def new_hex_id() -> str:
    """Ids in the seed's form: 32 lowercase hex characters."""
    return uuid.uuid4().hex


class Company(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_hex_id)
    name = models.CharField(max_length=100)
    auth_token = models.CharField(max_length=64, unique=True)
    api_key = models.CharField(max_length=64, unique=True)

    # A company authenticated by its credentials is the request's principal (DRF's IsAuthenticated asks this).
    is_authenticated = True

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_hex_id)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="deployments")
    name = models.CharField(max_length=100)


class FlightPlan(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_hex_id)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="flight_plans")
    approved = models.BooleanField(default=False)


class FlightSession(models.Model):
    flight_session_id = models.CharField(primary_key=True, max_length=32, default=new_hex_id)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="flight_sessions")
    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT)
    flight_plan = models.ForeignKey(FlightPlan, on_delete=models.PROTECT)
    # Epoch milliseconds, as the API reads and writes them.
    start_date_time = models.BigIntegerField()
    end_date_time = models.BigIntegerField()

    class Meta:
        ordering = ["start_date_time", "flight_session_id"]
