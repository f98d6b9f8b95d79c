"""Parsing the APIs' timestamps without guessing: an unparsable or offset-less airport time is reported, not fixed."""

from __future__ import annotations

from datetime import datetime, timedelta


def parse_timestamp(value: object) -> datetime | None:
    """An aware datetime for an ISO 8601 string with a UTC offset (``Z`` included); None for anything else."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def offset_of(value: datetime) -> timedelta:
    offset = value.utcoffset()
    assert offset is not None  # parse_timestamp only returns aware datetimes
    return offset
