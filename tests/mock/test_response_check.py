"""The compiled response checks judge every body as connexion's own response validation does."""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from connexion.json_schema import Draft4ResponseValidator
from connexion.spec import Specification
from hypothesis import given, settings
from hypothesis import strategies as st

from api_contract import API_NAMES, load_spec
from api_contract.examples import iter_examples, operations
from mock_server.response_check import SURELY_DATE_TIME, PageCheck, SchemaCheck, json_schema_of, nesting_member
from mock_server.state import MockState
from mock_server.validation import FORMAT_CHECKER


def test_nullable_becomes_null_in_type_and_enum() -> None:
    schema = {"type": "string", "enum": ["a"], "nullable": True, "x-error-message": "no"}
    assert json_schema_of(schema) == {"type": ["string", "null"], "enum": ["a", None]}
    assert json_schema_of({"type": "string"}) == {"type": "string"}


# (fields that are valid, values that break it) for each part of an RFC 3339 date-time, in order.
_DATE_TIME_PARTS = [
    (["0001", "2024", "2026", "9999"], ["0000", "\uff12\uff10\uff12\uff16"]),
    (["-01", "-02", "-12"], ["-00", "-13"]),
    (["-01", "-28", "-29", "-30", "-31"], ["-00", "-32"]),
    (["T", "t"], [" "]),
    (["00", "23"], ["24"]),
    ([":00", ":59"], [":60"]),
    ([":00", ":59"], [":60", ":61"]),
    (["", ".5", ".123456789"], ["."]),
    (["Z", "z", "+00:00", "-05:00", "+23:59"], ["+24:00", "+05:60", "+0500", "", "Z\n"]),
]


@st.composite
def _date_times(draw: st.DrawFn) -> str:
    """A date-time valid in every part but at most one."""
    broken = draw(st.integers(-1, len(_DATE_TIME_PARTS) - 1))
    return "".join(draw(st.sampled_from(bad if i == broken else good))
                   for i, (good, bad) in enumerate(_DATE_TIME_PARTS))


_DATE_TIME_CHECK = SchemaCheck({"components": {"schemas": {"T": {"type": "string", "format": "date-time"}}}},
                               "#/components/schemas/T")


@settings(max_examples=500)
@given(st.one_of(_date_times(), st.text(max_size=30)))
def test_date_time_format_is_decided_as_the_reference_decides(value: str) -> None:
    reference = FORMAT_CHECKER.conforms(value, "date-time")
    if re.fullmatch(SURELY_DATE_TIME, value):  # the pattern compiled in place of the format vouches only for these
        assert reference
    assert _DATE_TIME_CHECK.error(value) is None if reference else _DATE_TIME_CHECK.error(value) is not None
    if _DATE_TIME_CHECK.vouches_for(value):  # the compiled verdict may be stricter, never looser
        assert reference


def _variants(value: Any) -> Iterator[Any]:
    """``value`` broken one place at a time: each member removed, or replaced by null, a number, a string, a list."""
    if isinstance(value, dict):
        for key in value:
            yield {k: v for k, v in value.items() if k != key}
            for replacement in (None, 12345, "not a 2016-06-24T18:30:00Z date", [], 0.5, True):
                yield {**value, key: replacement}
            for broken in _variants(value[key]):
                yield {**value, key: broken}
    elif isinstance(value, list) and value:
        for broken in _variants(value[0]):
            yield [broken, *value[1:]]


def _cases() -> Iterator[tuple[str, str, str, Any]]:
    """(api, operationId, pointer, example) for every 200 example of a GET whose schema is a named one."""
    for api in API_NAMES:
        spec = load_spec(api, "mock")
        by_operation = {op["operationId"]: op for _, method, op, _ in operations(spec) if method == "get"}
        seen: set[str] = set()
        for example in iter_examples(spec):
            operation = by_operation.get(example.operation)
            if operation is None or example.where != "response 200" or example.operation in seen:
                continue
            seen.add(example.operation)
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            yield api, example.operation, schema["$ref"], example.value


CASES = list(_cases())


def _connexion_validator(api: str, operation_id: str) -> Draft4ResponseValidator:
    """The validator connexion's response validation builds for the operation's 200 answer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resolved = Specification.load(load_spec(api, "mock")).spec
    for _, method, operation, _ in operations(resolved):
        if operation.get("operationId") == operation_id and method == "get":
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            return Draft4ResponseValidator(schema, format_checker=FORMAT_CHECKER)
    raise LookupError(operation_id)


def test_every_get_with_a_200_example_is_covered() -> None:
    assert {case[1] for case in CASES} >= {"listFlightSessions", "getFlightSession", "getFlightStatus",
                                           "searchFlights", "getSubscription"}


@pytest.mark.parametrize("api, operation_id, pointer, example", CASES, ids=[c[1] for c in CASES])
def test_a_check_accepts_exactly_what_connexion_accepts(api, operation_id, pointer, example) -> None:
    spec = load_spec(api, "mock")
    check = PageCheck(spec, pointer) if pointer.endswith("Page") else SchemaCheck(spec, pointer)
    reference = _connexion_validator(api, operation_id)
    rejected = 0
    for variant in [example, *_variants(example)]:
        expected = reference.is_valid(variant)
        if isinstance(check, PageCheck):
            got = check.value_error(variant) is None
        else:
            got = check.error(variant) is None
            assert (check.body_error(json.dumps(variant).encode()) is None) == expected, variant
        assert got == expected, variant
        rejected += not expected
    assert rejected > 10  # the variants did break the contract


def test_a_page_is_checked_item_by_item_naming_the_bad_one() -> None:
    spec = load_spec("flightsayer", "mock")
    example = next(c[3] for c in CASES if c[1] == "searchFlights")
    check = PageCheck(spec, "#/components/schemas/FlightStatusPage")
    items = [json.dumps(item).encode() for item in example["results"]]
    head = {k: v for k, v in example.items() if k != "results"}
    assert check.error(head, items) is None
    broken = copy.deepcopy(example["results"][0])
    broken["prediction"]["delay_index"] = 11
    assert "results/1" in (check.error(head, [items[0], json.dumps(broken).encode()]) or "")
    assert check.error({**head, "count": -1}, items) is not None


def test_a_remembered_body_does_not_vouch_for_a_changed_one() -> None:
    spec = load_spec("flightsayer", "mock")
    example = next(c[3] for c in CASES if c[1] == "getFlightStatus")
    check = SchemaCheck(spec, "#/components/schemas/FlightStatus")
    assert check.body_error(json.dumps(example).encode()) is None
    assert check.body_error(json.dumps(example).encode()) is None  # remembered
    broken = {**example, "flight": None}
    assert check.body_error(json.dumps(broken).encode()) is not None


def _flight_status_check() -> tuple[dict[str, Any], SchemaCheck]:
    spec = load_spec("flightsayer", "mock")
    return spec, SchemaCheck(spec, "#/components/schemas/FlightStatus")


def _rotation_statuses() -> list[dict[str, Any]]:
    """The statuses of the deepest inbound chain of the bundled catalog, innermost (first leg) first."""
    catalog = MockState.load(None).catalog
    outermost = max((catalog.status(i) for i in catalog.flight_ids()), key=lambda s: len(json.dumps(s)))
    legs = []
    while outermost is not None:
        legs.append(outermost)
        outermost = outermost["inbound"]
    assert len(legs) >= 2
    return legs[::-1]


def test_a_status_encoded_by_its_check_is_its_plain_serialisation_and_proven_with_its_inbound() -> None:
    _, check = _flight_status_check()
    inner = None
    for status in _rotation_statuses():
        body = check.encode_nested({k: v for k, v in status.items() if k != "inbound"}, inner)
        assert body == json.dumps(status, separators=(",", ":"), ensure_ascii=False).encode()
        assert check.remembers(body)
        inner = body


def test_an_encoded_status_is_not_proven_when_its_own_part_or_its_inbound_is_not() -> None:
    _, check = _flight_status_check()
    first, second = _rotation_statuses()[:2]
    rest = {k: v for k, v in second.items() if k != "inbound"}
    unproven = json.dumps(first, separators=(",", ":")).encode()  # valid, but never shown to the check
    body = check.encode_nested(rest, unproven)
    assert not check.remembers(body)
    assert check.body_error(body) is None  # it is valid: checked whole when sent
    inner = check.encode_nested({k: v for k, v in first.items() if k != "inbound"}, None)
    broken = copy.deepcopy(rest)
    broken["prediction"]["delay_index"] = 11
    body = check.encode_nested(broken, inner)
    assert not check.remembers(body)
    assert check.body_error(body) is not None


def test_only_a_schema_that_judges_its_members_one_by_one_encodes_what_it_nests() -> None:
    spec, check = _flight_status_check()
    assert check.nesting == "inbound"
    assert nesting_member(spec, "#/components/schemas/Flight") is None  # nests nothing
    widened = copy.deepcopy(spec)
    status = widened["components"]["schemas"]["FlightStatus"]
    status["not"] = {"required": ["weather"]}  # judges the members together: a member cannot be judged apart
    assert nesting_member(widened, "#/components/schemas/FlightStatus") is None
    with pytest.raises(ValueError):
        SchemaCheck(widened, "#/components/schemas/FlightStatus").encode_nested({}, None)
