"""Conformance suite for the Garuda flight-session and Flightsayer flight-status APIs.

Runs against any implementation: ``flight-conformance --base-url URL --conformance-config FILE`` (or ``python -m
conformance``, or ``tox -e conformance`` with the same options); without a URL it starts the bundled mock. What it
checks, and what it deliberately leaves open, is in ``conformance/README.md``.
"""
