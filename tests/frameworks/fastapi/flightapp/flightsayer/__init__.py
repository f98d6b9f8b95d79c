"""Flightsayer: flight status, search, and subscriptions with push notifications."""
