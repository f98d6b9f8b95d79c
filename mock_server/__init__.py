"""A contract-first, stateful mock of the Garuda and Flightsayer APIs, built from ``specs/``."""
