"""Single-defect switches: ``BACKEND_MUTANT=<name>`` turns one known bug on, so a conformance suite can be shown to
catch it. Unset, the backend is correct."""

import os

ACTIVE = os.environ.get("BACKEND_MUTANT", "")


def active(name: str) -> bool:
    return name == ACTIVE
