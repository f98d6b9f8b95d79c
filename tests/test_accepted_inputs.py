"""The bounds of the suite's positive requests (api_contract/accepted_inputs.py): what every backend must accept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from api_contract.accepted_inputs import (
    ERA_END,
    ERA_START,
    millis_in_era,
    reachable_offset,
    timestamp_in_seed_form,
)
from conformance.checks.timestamps import parse_timestamp

SEED_FORM = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"


def test_a_time_of_the_seeds_era_is_kept() -> None:
    assert millis_in_era(1527469200000) == 1527469200000


@given(st.integers(min_value=0, max_value=253402300799999))
def test_any_epoch_millisecond_is_moved_into_the_era(value: int) -> None:
    moved = millis_in_era(value)
    assert ERA_START.timestamp() * 1000 <= moved < ERA_END.timestamp() * 1000
    assert millis_in_era(value) == moved


def test_a_seed_timestamp_is_kept_as_written() -> None:
    assert timestamp_in_seed_form(datetime(2016, 6, 24, 18, 30, tzinfo=UTC)) == "2016-06-24T18:30:00Z"
    at_atlanta = datetime(2016, 8, 25, 20, 35, tzinfo=timezone(timedelta(hours=-4)))
    assert timestamp_in_seed_form(at_atlanta) == "2016-08-25T20:35:00-04:00"


@given(st.datetimes(timezones=st.timezones() | st.builds(timezone, st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)))))
def test_any_generated_date_time_becomes_one_of_the_seeds_form_and_era(value: datetime) -> None:
    text = timestamp_in_seed_form(value)
    parsed = parse_timestamp(text)
    assert parsed is not None
    assert ERA_START <= parsed < ERA_END
    assert timedelta(hours=-12) <= parsed.utcoffset() <= timedelta(hours=14)
    assert re.match(SEED_FORM, text), text


def test_an_offset_beyond_the_last_page_is_brought_back_to_it() -> None:
    assert reachable_offset(1519426580, 50, 297) == 250
    assert reachable_offset(10**22, 10, 5) == 0


def test_an_offset_between_pages_is_brought_back_to_a_page_start() -> None:
    assert reachable_offset(73, 50, 297) == 50


def test_without_a_page_size_only_the_first_page_is_known_to_be_reachable() -> None:
    assert reachable_offset(50, None, 297) == 0


def test_an_empty_result_has_only_its_first_page() -> None:
    assert reachable_offset(5, 10, 0) == 0
