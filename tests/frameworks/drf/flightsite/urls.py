"""Both APIs on one site, each under the prefix its documentation writes, plus the private /ops/ endpoint."""

from django.urls import include, path

urlpatterns = [
    path("v2/", include("garuda.urls")),
    path("", include("flightsayer.urls")),
]
