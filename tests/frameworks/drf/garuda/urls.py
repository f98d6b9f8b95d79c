"""Garuda's paths exactly as its documentation writes them, without a trailing slash."""

from rest_framework.routers import SimpleRouter

from .views import FlightSessionViewSet

router = SimpleRouter(trailing_slash=False)
router.register("flight_sessions", FlightSessionViewSet, basename="flight-session")

urlpatterns = router.urls
