"""Garuda flight sessions and Flightsayer flight status, served by one FastAPI application."""
