"""The specs are valid OpenAPI 3.0.3 in every view, complete, and every example in them (and in the seeds) is
honoured; the mock's choices only narrow the contract."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from api_contract import API_NAMES, load_spec, read_yaml, spec_path
from api_contract.examples import Example, example_errors, iter_examples, operations, schema_validator
from api_contract.policy import CONTRACT, MOCK, VIEWS
from tests.seed_payloads import PAYLOADS

DEVIATIONS = yaml.safe_load((Path(__file__).resolve().parent.parent / "docs" / "seed-deviations.yaml").read_text())

EXPECTED_OPERATIONS = {
    "garuda": {
        ("/v2/flight_sessions", "get"): "listFlightSessions",
        ("/v2/flight_sessions", "post"): "createFlightSession",
        ("/v2/flight_sessions/{flight_session_id}", "get"): "getFlightSession",
        ("/v2/flight_sessions/{flight_session_id}", "patch"): "updateFlightSession",
        ("/v2/flight_sessions/{flight_session_id}", "delete"): "deleteFlightSession",
    },
    "flightsayer": {
        ("/flights/v1/status/{flight_id}", "get"): "getFlightStatus",
        ("/flights/v1/search", "get"): "searchFlights",
        ("/subscriptions/", "get"): "listSubscriptions",
        ("/subscriptions/{flight_id}", "put"): "putSubscription",
        ("/subscriptions/{flight_id}", "get"): "getSubscription",
        ("/subscriptions/{flight_id}", "delete"): "deleteSubscription",
    },
}


def all_examples(view: str) -> list[tuple[str, Example]]:
    return [(api, example) for api in API_NAMES for example in iter_examples(load_spec(api, view))]


def example_id(value: object) -> str:
    return value if isinstance(value, str) else f"{value.operation}-{value.where}-{value.name}"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("api", API_NAMES)
def test_spec_is_valid_openapi_3_0_3_in_every_view(api: str, view: str) -> None:
    spec = load_spec(api, view)
    assert spec["openapi"] == "3.0.3"
    validate(spec)


@pytest.mark.parametrize("api", API_NAMES)
def test_the_contract_view_carries_no_mock_choice_and_the_mock_view_applies_them(api: str) -> None:
    contract, mock, raw = load_spec(api, "contract"), load_spec(api, "mock"), read_yaml(spec_path(api))
    assert MOCK in keys_of(raw) and MOCK not in keys_of(contract) and MOCK not in keys_of(mock)
    assert CONTRACT not in keys_of(contract) | keys_of(mock) | keys_of(load_spec(api, "inputs"))
    assert contract != mock


@pytest.mark.parametrize("api", API_NAMES)
def test_no_extension_sits_inside_a_responses_object(api: str) -> None:
    """Every key of a Responses Object is a status code to code generators: an ``x-`` key there becomes a bogus
    status of every typed client."""
    for path, method, op, _ in operations(read_yaml(spec_path(api))):
        assert all(not code.startswith("x-") for code in op["responses"]), f"{method.upper()} {path}"


PREDICTION = {"delay_index": 1, "reasons": ["On time."]}


@pytest.mark.parametrize(
    ("view", "names", "valid"),
    [
        ("contract", ["distribution"], True),
        ("contract", ["prediction"], True),
        ("contract", [], False),
        ("mock", ["distribution"], True),
        ("mock", ["prediction"], False),
        ("inputs", ["prediction"], True),
    ],
)
def test_the_contract_takes_either_name_for_the_probabilities_and_the_mock_sends_distribution(
        view: str, names: list[str], valid: bool) -> None:
    spec = load_spec("flightsayer", view)
    value = {**PREDICTION, **{name: [0.9, 0.1, 0, 0] for name in names}}
    validator = schema_validator(spec, {"$ref": "#/components/schemas/Prediction"})
    assert validator.is_valid(value) is valid


def test_the_plain_prediction_requires_distribution_for_tools_that_ignore_extensions() -> None:
    prediction = read_yaml(spec_path("flightsayer"))["components"]["schemas"]["Prediction"]
    assert "distribution" in prediction["required"] and "anyOf" not in prediction


def keys_of(node: object) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for value in node.values() for k in keys_of(value)}
    if isinstance(node, list):
        return {k for value in node for k in keys_of(value)}
    return set()


@pytest.mark.parametrize("api", API_NAMES)
def test_spec_has_exactly_the_seed_operations(api: str) -> None:
    found = {(path, method): op["operationId"] for path, method, op, _ in operations(load_spec(api))}
    assert found == EXPECTED_OPERATIONS[api]


@pytest.mark.parametrize("api", API_NAMES)
def test_every_operation_documents_security_summary_description_and_401(api: str) -> None:
    spec = load_spec(api)
    for path, method, op, _ in operations(spec):
        where = f"{method.upper()} {path}"
        assert op.get("security"), f"{where} has no security requirement"
        assert op.get("summary") and op.get("description"), f"{where} lacks summary or description"
        assert "401" in op["responses"], f"{where} does not document 401"
        assert any(code.startswith("2") for code in op["responses"]), f"{where} has no success response"


def test_garuda_requires_bearer_and_api_key_together() -> None:
    spec = load_spec("garuda")
    for _, _, op, _ in operations(spec):
        assert op["security"] == [{"bearerAuth": [], "apiKeyAuth": []}]


def test_put_subscription_declares_its_push_notification_callback() -> None:
    spec = load_spec("flightsayer")
    put = spec["paths"]["/subscriptions/{flight_id}"]["put"]
    callback = put["callbacks"]["flightStatusChanged"]["{$request.body#/target}"]["post"]
    schema = callback["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/FlightStatus"}


@pytest.mark.parametrize(
    ("api", "operation", "status", "targets"),
    [
        ("garuda", "createFlightSession", "200", {"getFlightSession", "updateFlightSession", "deleteFlightSession"}),
        ("flightsayer", "putSubscription", "201", {"getSubscription", "deleteSubscription"}),
        ("flightsayer", "putSubscription", "200", {"getSubscription", "deleteSubscription"}),
        ("flightsayer", "searchFlights", "200", {"getFlightStatus", "putSubscription"}),
    ],
)
def test_links_drive_stateful_sequences(api: str, operation: str, status: str, targets: set[str]) -> None:
    ops = {op["operationId"]: op for _, _, op, _ in operations(load_spec(api))}
    links = ops[operation]["responses"][status]["links"]
    assert {link["operationId"] for link in links.values()} == targets


@pytest.mark.parametrize(("api", "example"), all_examples("mock"), ids=example_id)
def test_example_validates_against_its_schema_in_the_mock_view(api: str, example: Example) -> None:
    assert example_errors(load_spec(api, "mock"), example) == []


@pytest.mark.parametrize(("api", "example"), all_examples("mock"), ids=example_id)
def test_what_the_mock_documents_conforms_to_the_contract(api: str, example: Example) -> None:
    contract = load_spec(api, "contract")
    same = [e for e in iter_examples(contract) if (e.operation, e.where, e.name) == (
        example.operation, example.where, example.name)]
    if not same:  # a response only the mock documents (its error statuses): the contract's 4XX admits any body
        assert example.where.startswith("response 4"), example
        return
    assert example_errors(contract, Example(example.operation, example.where, example.name, example.value,
                                            same[0].schema)) == []


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda v: v["prediction"].update(delay_index=11), "11 is greater than the maximum of 10"),
        (lambda v: v["flight"].update(id="DL5267GTRATL160826"), "does not match"),
        (lambda v: v["flight"].pop("carrier"), "'carrier' is a required property"),
        (lambda v: v.update(inbound={"flight": None}), "is not valid under any of the given schemas"),
        (lambda v: v["flight"].update(scheduled_departure="yesterday"), "is not a 'date-time'"),
    ],
)
def test_a_broken_example_is_reported(mutation, expected: str) -> None:
    spec = load_spec("flightsayer", "mock")
    example = next(e for e in iter_examples(spec) if e.operation == "getFlightStatus" and e.where == "response 200")
    mutation(example.value)
    errors = example_errors(spec, example)
    assert any(expected in message for message in errors), errors


def _spec_example_values(api: str) -> list:
    return [example.value for example in iter_examples(load_spec(api))]


def _deviation(seed: str, block: int) -> dict | None:
    return next((d for d in DEVIATIONS if d["seed"] == seed and d["block"] == block), None)


SEED_TO_API = {"garuda-flight-sessions.md": "garuda", "flightsayer.apib": "flightsayer"}


@pytest.mark.parametrize("seed", sorted(PAYLOADS))
def test_every_seed_payload_is_a_spec_example_or_a_documented_deviation(seed: str) -> None:
    payloads = PAYLOADS[seed]()
    assert payloads, f"no payloads extracted from {seed}"
    values = _spec_example_values(SEED_TO_API[seed])
    for block, payload in enumerate(payloads):
        deviation = _deviation(seed, block)
        if deviation is None:
            assert payload in values, f"{seed} payload #{block} is neither a spec example nor a listed deviation"
        else:
            fixed = _named_example(deviation).value
            assert fixed != payload, f"{seed} payload #{block} is listed as a deviation but its example is unchanged"


def _named_example(deviation: dict) -> Example:
    key = (deviation["operation"], deviation["where"], deviation["example"])
    matches = [e for e in iter_examples(load_spec(deviation["spec"])) if (e.operation, e.where, e.name) == key]
    assert len(matches) == 1, f"deviation {deviation} names no single example"
    return matches[0]


@pytest.mark.parametrize("deviation", DEVIATIONS, ids=lambda d: f"{d['seed']}#{d['block']}")
def test_each_deviation_names_an_existing_example_and_a_fix(deviation: dict) -> None:
    assert deviation["fixed"].strip()
    _named_example(deviation)


def test_seed_extraction_finds_every_payload() -> None:
    # Garuda: 5 responses and 2 curl request bodies; Flightsayer: 6 "+ Body" blocks.
    assert len(PAYLOADS["garuda-flight-sessions.md"]()) == 7
    assert len(PAYLOADS["flightsayer.apib"]()) == 6
