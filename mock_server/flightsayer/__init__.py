"""Flightsayer flight status, search and subscriptions."""
