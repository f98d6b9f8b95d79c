"""Fills the database with the flight catalog and the staging accounts: two API users and the operations account.

Tokens are fixed so conformance.yaml can name them.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from rest_framework.authtoken.models import Token

from flightsayer import catalog
from flightsayer.models import Airport, Carrier, Flight
from flightsite import mutants

API_USERS = {
    "alice": "a11ce0000000000000000000000000000000a11c",
    "bob": "b0b0000000000000000000000000000000000b0b",
}


class Command(BaseCommand):
    help = "Create the 2016 flight catalog, the API users alice and bob, and the ops account."

    @transaction.atomic
    def handle(self, *args, **options):
        for iata, (city, name, zone, _lat, _lon) in catalog.AIRPORTS.items():
            Airport.objects.create(iata=iata, city=city, name=name, time_zone=zone)
        for iata, (name, *_rest) in catalog.CARRIERS.items():
            Carrier.objects.create(iata=iata, name=name)
        legs = list(catalog.legs())
        flights = {}
        for leg in legs:
            delay_index, distribution, reasons = leg.prediction()
            delayed = leg.delay_minutes > 0
            flights[leg.flight_id] = Flight.objects.create(
                flight_id=leg.flight_id, carrier_id=leg.carrier, number=leg.number, origin_id=leg.origin,
                destination_id=leg.destination, aircraft=leg.aircraft, scheduled_departure=leg.departure,
                scheduled_arrival=leg.arrival, latest_departure=leg.departure + timedelta(minutes=leg.delay_minutes),
                latest_arrival=leg.arrival + timedelta(minutes=leg.delay_minutes),
                departure_type="estimated" if delayed else "scheduled",
                arrival_type="estimated" if delayed else "scheduled",
                departure_terminal="B" if leg.number % 2 else None, departure_gate=f"B{leg.number % 40 + 1}",
                last_updated=leg.departure - timedelta(hours=2) if delayed else None,
                delay_index=delay_index, distribution=distribution, reasons=reasons,
                historical_performance=leg.historical_performance,
            )
        for leg in legs:
            inbound = leg.previous
            if mutants.active("inbound_arrives_after_departure"):
                inbound = next((later for later in legs if later.aircraft == leg.aircraft
                                and later.destination == leg.origin and later.arrival > leg.departure), inbound)
            if inbound is not None:
                Flight.objects.filter(pk=leg.flight_id).update(inbound=flights[inbound.flight_id])
        users = get_user_model().objects
        for username, key in API_USERS.items():
            Token.objects.create(user=users.create_user(username), key=key)
        Token.objects.create(user=users.create_user("ops", is_staff=True), key=settings.OPS_TOKEN)
        self.stdout.write(f"{len(legs)} flights, {len(API_USERS)} API users")
