"""Flight sessions on the wire: the seed's six properties, times in epoch milliseconds."""

from rest_framework import serializers

from flightsite import mutants

from .models import Deployment, FlightPlan, FlightSession


class OwnedByCallerField(serializers.PrimaryKeyRelatedField):
    """A reference that only resolves among the calling company's own objects."""

    def get_queryset(self):
        return super().get_queryset().filter(company=self.context["request"].user)


class FlightSessionSerializer(serializers.ModelSerializer):
    deployment_id = OwnedByCallerField(source="deployment", queryset=Deployment.objects.all())
    flight_plan_id = OwnedByCallerField(source="flight_plan", queryset=FlightPlan.objects.all())
    company_id = serializers.CharField(source="company.id", read_only=True)
    start_date_time = serializers.IntegerField(min_value=0)
    end_date_time = serializers.IntegerField(min_value=0)

    class Meta:
        model = FlightSession
        fields = ["flight_session_id", "flight_plan_id", "deployment_id", "company_id", "start_date_time",
                  "end_date_time"]
        read_only_fields = ["flight_session_id"]

    def validate_flight_plan_id(self, plan: FlightPlan) -> FlightPlan:
        if not plan.approved and not mutants.active("unapproved_plan_accepted"):
            raise serializers.ValidationError("This flight plan is not approved.")
        return plan

    def validate(self, attrs):
        start = attrs.get("start_date_time", getattr(self.instance, "start_date_time", None))
        end = attrs.get("end_date_time", getattr(self.instance, "end_date_time", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"end_date_time": ["The flight session cannot end before it starts."]})
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if mutants.active("times_in_seconds"):
            data["start_date_time"] //= 1000
            data["end_date_time"] //= 1000
        return data
