"""Inputs every implementation that follows the seeds must accept: the bounds of the suite's positive requests.

A schema admits more than the seeds show. ``offset=1519426580`` is a non-negative integer, ``0001-01-01T00:00:00+23:59``
a date-time and ``253402300799999`` an epoch millisecond, yet a backend may reasonably refuse each: no page of the
real result set is there, no flight of that era exists, the time does not fit its storage. The seeds show pages that
a walk of ``next`` links reaches (``limit=50``, ``offset=50``), timestamps of one form (``2016-06-24T18:30:00Z``,
``2016-08-25T20:35:00-00:05``) and times of their era (``1527469200000``). So positive requests stay there, and what
lies beyond is generated only as negative data, where any 4xx is right (``api_contract/scope.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

# The seeds' era, generously: their examples fall in 2016 and 2018; 32-bit seconds and every date library hold it.
ERA_START = datetime(2000, 1, 1, tzinfo=UTC)
ERA_END = datetime(2038, 1, 1, tzinfo=UTC)
ERA_START_MS = int(ERA_START.timestamp() * 1000)
ERA_SPAN_MS = int(ERA_END.timestamp() * 1000) - ERA_START_MS
# Offsets real places use: UTC-12:00 to UTC+14:00, in whole minutes.
MIN_OFFSET, MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)


def millis_in_era(value: int) -> int:
    """``value`` if it is an epoch millisecond of the seeds' era, else one that is (the same for the same input)."""
    if ERA_START_MS <= value < ERA_START_MS + ERA_SPAN_MS:
        return value
    return ERA_START_MS + value % ERA_SPAN_MS


def timestamp_in_seed_form(value: datetime) -> str:
    """An instant written as the seeds write one: seconds, and ``Z`` or a real ``±HH:MM`` offset, in their era.

    ``value`` keeps its offset where a real place could have it and its instant where that falls in the era;
    otherwise the instant is moved into the era (the same for the same input)."""
    offset = value.utcoffset() or timedelta(0)
    if not MIN_OFFSET <= offset <= MAX_OFFSET or offset % timedelta(minutes=1):
        offset = timedelta(0)
    try:
        instant = value.astimezone(UTC).replace(microsecond=0)
    except (OverflowError, ValueError):
        instant = value.replace(tzinfo=UTC, microsecond=0)
    if not ERA_START <= instant < ERA_END:
        seconds = int((instant.replace(tzinfo=None) - datetime(1, 1, 1)).total_seconds())
        instant = ERA_START + timedelta(seconds=seconds % int((ERA_END - ERA_START).total_seconds()))
    local = instant.astimezone(timezone(offset))
    text = local.isoformat()
    return text.replace("+00:00", "Z") if offset == timedelta(0) else text


def reachable_offset(offset: int, limit: int | None, count: int) -> int:
    """The offset of the page at or before ``offset`` that a walk of ``next`` links with page size ``limit`` reaches
    in a result set of ``count`` items: a multiple of ``limit`` below ``count``, or 0 (the first page always exists).
    Without a ``limit`` the backend's own page size is unknown, so only the first page is known to be reachable."""
    if limit is None or limit <= 0 or count <= 0 or offset <= 0:
        return 0
    last_page = (count - 1) // limit * limit
    return min(offset // limit * limit, last_page)
