"""Hypothesis profiles of the suite: ``ci`` (the default, about 20 s against the bundled mock with ``--jobs 8``, 25 s
with one process) and ``thorough`` (about 3 minutes)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

CI, THOROUGH = "ci", "thorough"
PROFILES = (CI, THOROUGH)

_NETWORK = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None, "print_blob": True}

settings.register_profile(CI, max_examples=25, stateful_step_count=10, **_NETWORK)
settings.register_profile(THOROUGH, max_examples=300, stateful_step_count=50, **_NETWORK)

# How far the scenario checks walk (pages, sampled statuses) under each profile.
DEPTH = {CI: {"pages": 3, "sample": 5}, THOROUGH: {"pages": 50, "sample": 100}}
