"""Flightsayer's six operations, and the private operations endpoint that changes a flight."""

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from flightsite import mutants

from . import changes
from .models import Flight, Subscription
from .serializers import FlightStatusSerializer, SubscriptionSerializer, flight_statuses


class FlightStatusView(generics.RetrieveAPIView):
    queryset = flight_statuses()
    serializer_class = FlightStatusSerializer
    lookup_field = "flight_id"


class SearchFilters(serializers.Serializer):
    departure_airport = serializers.CharField(required=False)
    arrival_airport = serializers.CharField(required=False)
    earliest_departure = serializers.DateTimeField(required=False)
    latest_departure = serializers.DateTimeField(required=False)


class FlightSearchView(generics.ListAPIView):
    """Filters combine with AND; both departure bounds are inclusive; ordered by departure, then FlightId."""

    serializer_class = FlightStatusSerializer

    def get_queryset(self):
        filters = SearchFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        flights = flight_statuses()
        if "departure_airport" in wanted:
            flights = flights.filter(origin_id=wanted["departure_airport"])
        if "arrival_airport" in wanted:
            flights = flights.filter(destination_id=wanted["arrival_airport"])
        if "earliest_departure" in wanted:
            flights = flights.filter(scheduled_departure__gte=wanted["earliest_departure"])
        if "latest_departure" in wanted:
            if mutants.active("exclusive_latest_departure"):
                flights = flights.filter(scheduled_departure__lt=wanted["latest_departure"])
            else:
                flights = flights.filter(scheduled_departure__lte=wanted["latest_departure"])
        return flights


class SubscriptionListView(generics.ListAPIView):
    serializer_class = SubscriptionSerializer

    def get_queryset(self):
        subscriptions = Subscription.objects.select_related("flight")
        if mutants.active("other_users_subscriptions_listed"):
            return subscriptions.all()
        return subscriptions.filter(user=self.request.user)


class SubscriptionView(APIView):
    """The caller's subscription to one flight: PUT creates (201) or updates (200), GET reads, DELETE removes."""

    def get_object(self, flight_id: str) -> Subscription:
        return get_object_or_404(Subscription.objects.select_related("flight"), user=self.request.user,
                                 flight_id=flight_id)

    def get(self, request, flight_id: str):
        return Response(SubscriptionSerializer(self.get_object(flight_id)).data)

    def put(self, request, flight_id: str):
        flight = get_object_or_404(Flight, flight_id=flight_id)
        existing = Subscription.objects.filter(user=request.user, flight=flight).first()
        serializer = SubscriptionSerializer(existing, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(user=request.user, flight=flight)
        created = existing is None or mutants.active("update_answers_201")
        return Response(serializer.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def delete(self, request, flight_id: str):
        self.get_object(flight_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class FlightChange(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["delay", "cancellation"])
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False)

    def validate(self, attrs):
        if attrs["kind"] == "delay" and "minutes" not in attrs:
            raise serializers.ValidationError({"minutes": ["A delay needs its minutes."]})
        return attrs


class FlightChangeView(APIView):
    """Private to operations (staff token): delays or cancels a flight, which notifies its subscribers."""

    permission_classes = [IsAdminUser]

    def post(self, request, flight_id: str):
        flight = get_object_or_404(Flight, flight_id=flight_id)
        change = FlightChange(data=request.data)
        change.is_valid(raise_exception=True)
        if change.validated_data["kind"] == "delay":
            changes.delay(flight, change.validated_data["minutes"])
        else:
            changes.cancel(flight)
        return Response(FlightStatusSerializer(flight_statuses().get(pk=flight.pk)).data)
