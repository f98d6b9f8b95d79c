"""Single-defect switches for the conformance suite's own tests: BACKEND_MUTANT=<name> turns one defect on.

Unset (the normal case) every `active()` is False and the backend is the correct one.
"""

import os

MUTANTS = frozenset({
    "or_filters", "other_company_listed", "unapproved_plan_accepted", "patch_full_replace", "delete_keeps",
    "delete_no_object", "api_key_optional", "times_in_seconds", "exclusive_latest_departure",
    "local_time_flight_ids", "distribution_sums_1_1", "next_drops_filters", "overlapping_pages",
    "update_answers_201", "other_users_subscriptions_listed", "no_notification_for_delay",
    "subscriptions_never_retired", "inbound_arrives_after_departure", "cross_user_leak", "early_retirement",
})

ACTIVE = os.environ.get("BACKEND_MUTANT", "")
if ACTIVE and ACTIVE not in MUTANTS:
    raise SystemExit(f"BACKEND_MUTANT={ACTIVE!r} names no mutant; known: {', '.join(sorted(MUTANTS))}")


def active(name: str) -> bool:
    """Whether the defect ``name`` is switched on for this process."""
    return name == ACTIVE
