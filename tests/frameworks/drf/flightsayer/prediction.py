"""Flightsayer's delay prediction from an expected delay: the four bucket probabilities and the 1-10 index."""

import math

# Upper bounds (minutes) of the seed's first three buckets: < 30, 30-60, 60-120; the fourth is 2+ hours.
BUCKET_BOUNDS = (30, 60, 120)


def distribution_for(expected_delay_minutes: float) -> list[float]:
    """Four probabilities summing to 1, from an exponential delay whose mean is the expected delay."""
    mean = max(expected_delay_minutes, 4.0)
    below = [1 - math.exp(-bound / mean) for bound in BUCKET_BOUNDS]
    cumulative = [round(p, 2) for p in below]
    probabilities = [cumulative[0], cumulative[1] - cumulative[0], cumulative[2] - cumulative[1], 1 - cumulative[2]]
    return [round(p, 2) for p in probabilities]


def delay_index_for(distribution: list[float]) -> int:
    """1 (predicted on time) to 10 (likely highly delayed), from the chance of 30+ minutes of delay."""
    return max(1, min(10, 1 + round(9 * (1 - distribution[0]))))


def reasons_for(expected_delay_minutes: float) -> list[str]:
    if expected_delay_minutes < 10:
        return ["Flight is predicted to be on time based on forecast airport conditions and current flight status."]
    return [f"Flight is currently expected to leave about {round(expected_delay_minutes)} minutes late."]
