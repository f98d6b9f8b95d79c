"""The five flight-session operations, each answer in Garuda's `{"success": true, "data": ...}` envelope."""

from django.db.models import Q
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from flightsite import mutants

from .authentication import CompanyCredentialsAuthentication
from .models import FlightSession
from .serializers import FlightSessionSerializer


def enveloped(data, status_code: int = status.HTTP_200_OK) -> Response:
    return Response({"success": True, "data": data}, status=status_code)


class FlightSessionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                           mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = FlightSessionSerializer
    authentication_classes = [CompanyCredentialsAuthentication]
    pagination_class = None  # the seed answers "an array of all the flight_session objects"
    # The seed documents PATCH only: no PUT.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        sessions = FlightSession.objects.select_related("company")
        if not (self.action == "list" and mutants.active("other_company_listed")):
            sessions = sessions.filter(company=self.request.user)
        return sessions

    def filter_queryset(self, queryset):
        deployment_id = self.request.query_params.get("deployment_id")
        flight_plan_id = self.request.query_params.get("flight_plan_id")
        if mutants.active("or_filters") and deployment_id and flight_plan_id:
            return queryset.filter(Q(deployment_id=deployment_id) | Q(flight_plan_id=flight_plan_id))
        if deployment_id is not None:
            queryset = queryset.filter(deployment_id=deployment_id)
        if flight_plan_id is not None:
            queryset = queryset.filter(flight_plan_id=flight_plan_id)
        return queryset

    def list(self, request, *args, **kwargs):
        sessions = self.filter_queryset(self.get_queryset())
        return enveloped(self.get_serializer(sessions, many=True).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(company=request.user)
        return enveloped(serializer.data)  # the seed answers 200, not DRF's 201

    def retrieve(self, request, *args, **kwargs):
        return enveloped(self.get_serializer(self.get_object()).data)

    def partial_update(self, request, *args, **kwargs):
        partial = not mutants.active("patch_full_replace")
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return enveloped(serializer.data)

    def destroy(self, request, *args, **kwargs):
        session = self.get_object()
        data = self.get_serializer(session).data
        if not mutants.active("delete_keeps"):
            session.delete()
        if mutants.active("delete_no_object"):
            return Response({"success": True})
        return enveloped(data)
