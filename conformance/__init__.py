"""Conformance suite for the Garuda flight-session and Flightsayer flight-status APIs.

Runs against any implementation: ``python -m conformance --base-url URL --conformance-config FILE``; without a URL
it starts the bundled mock. What it checks, and what it deliberately leaves open, is in ``conformance/README.md``.
"""
