"""FlightStatus and FlightSubscription on the wire, as the seed's attribute lists and examples show them."""

from rest_framework import serializers

from flightsite import mutants

from .models import Airport, Carrier, Flight, Subscription


class AirportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Airport
        fields = ["iata", "city", "name"]


class CarrierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Carrier
        fields = ["iata", "name"]


class FlightSerializer(serializers.ModelSerializer):
    """`flight`: the leg itself; its times carry the offset of the airport they happen at."""

    id = serializers.CharField(source="flight_id")
    carrier = CarrierSerializer()
    origin = AirportSerializer()
    destination = AirportSerializer()
    scheduled_departure = serializers.SerializerMethodField()
    scheduled_arrival = serializers.SerializerMethodField()

    class Meta:
        model = Flight
        fields = ["id", "number", "carrier", "scheduled_departure", "scheduled_arrival", "origin", "destination"]

    def get_scheduled_departure(self, flight: Flight) -> str:
        return flight.origin.local(flight.scheduled_departure)

    def get_scheduled_arrival(self, flight: Flight) -> str:
        return flight.destination.local(flight.scheduled_arrival)


class PredictionSerializer(serializers.ModelSerializer):
    distribution = serializers.SerializerMethodField()

    class Meta:
        model = Flight
        fields = ["delay_index", "distribution", "reasons"]

    def get_distribution(self, flight: Flight) -> list[float]:
        if mutants.active("distribution_sums_1_1"):
            return [round(flight.distribution[0] + 0.1, 2), *flight.distribution[1:]]
        return flight.distribution


class RealtimeStatusSerializer(serializers.ModelSerializer):
    departure = serializers.SerializerMethodField()
    arrival = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()

    class Meta:
        model = Flight
        fields = ["departure", "arrival", "cancelled", "source", "last_updated"]

    def get_departure(self, flight: Flight) -> dict:
        return {
            "scheduled": flight.origin.local(flight.scheduled_departure),
            "latest": flight.origin.local(flight.latest_departure),
            "type": flight.departure_type,
            "terminal": flight.departure_terminal,
            "gate": flight.departure_gate,
        }

    def get_arrival(self, flight: Flight) -> dict:
        return {
            "scheduled": flight.destination.local(flight.scheduled_arrival),
            "latest": flight.destination.local(flight.latest_arrival),
            "type": flight.arrival_type,
            "terminal": None,
            "gate": None,
            "baggage_claim": None,
        }

    def get_source(self, flight: Flight) -> str:
        return "swim"  # the seed's one RealtimeStatusSource member


class LegStatusSerializer(serializers.ModelSerializer):
    """A FlightStatus without its inbound flight: what an inbound flight shows nested in the next leg's status."""

    flight = FlightSerializer(source="*")
    prediction = PredictionSerializer(source="*")
    status = RealtimeStatusSerializer(source="*")

    class Meta:
        model = Flight
        fields = ["flight", "prediction", "historical_performance", "status"]


class FlightStatusSerializer(LegStatusSerializer):
    """The seed's FlightStatus. The inbound's own inbound is left to its own status URL, one level is enough."""

    inbound = LegStatusSerializer(read_only=True, allow_null=True)

    class Meta(LegStatusSerializer.Meta):
        fields = [*LegStatusSerializer.Meta.fields, "inbound"]


def flight_statuses():
    """Flights with everything their FlightStatus shows, in one query."""
    related = ["carrier", "origin", "destination"]
    return Flight.objects.select_related(*related, *(f"inbound__{name}" for name in related))


class SubscriptionSerializer(serializers.ModelSerializer):
    flight_id = serializers.CharField(source="flight.flight_id", read_only=True)

    class Meta:
        model = Subscription
        fields = ["flight_id", "target", "created", "updated"]
        read_only_fields = ["created", "updated"]
