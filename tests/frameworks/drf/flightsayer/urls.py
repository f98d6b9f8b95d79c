"""Flightsayer's paths in the seed's own forms: a trailing slash where the seed writes one (`/subscriptions/`, the
`next` link's `/flights/v1/search/`), none where it does not. Django's APPEND_SLASH redirects the slash-less form."""

from django.urls import path

from . import views

urlpatterns = [
    path("flights/v1/status/<str:flight_id>", views.FlightStatusView.as_view(), name="flight-status"),
    path("flights/v1/search/", views.FlightSearchView.as_view(), name="flight-search"),
    path("subscriptions/", views.SubscriptionListView.as_view(), name="subscription-list"),
    path("subscriptions/<str:flight_id>", views.SubscriptionView.as_view(), name="subscription-detail"),
    path("ops/flights/<str:flight_id>/changes/", views.FlightChangeView.as_view(), name="flight-change"),
]
