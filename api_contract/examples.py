"""Walk a spec's examples and validate each against the schema it illustrates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

if TYPE_CHECKING:
    from openapi_schema_validator import OAS30Validator

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_ROOT = "urn:api-contract:spec"


@dataclass(frozen=True)
class Example:
    """One example value and the schema it must satisfy."""

    operation: str  # operationId
    where: str  # "request", "response 200", "parameter limit"
    name: str
    value: Any
    schema: dict[str, Any]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a local ``$ref`` chain (``#/components/...``) to the object it names."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """(path, method, operation, parameters including the path item's) for every operation."""
    for path, item in spec["paths"].items():
        shared = [resolve(spec, p) for p in item.get("parameters", [])]
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                own = [resolve(spec, p) for p in operation.get("parameters", [])]
                yield path, method, operation, shared + own


def _media_examples(spec: dict[str, Any], content: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for media in content.values():
        schema = media.get("schema", {})
        if "example" in media:
            yield "example", media["example"], schema
        for name, example in media.get("examples", {}).items():
            yield name, resolve(spec, example)["value"], schema


def iter_examples(spec: dict[str, Any]) -> Iterator[Example]:
    """Every example of every parameter, request body and response of ``spec``."""
    for _path, _method, operation, parameters in operations(spec):
        op_id = operation["operationId"]
        for parameter in parameters:
            if "example" in parameter:
                yield Example(op_id, f"parameter {parameter['name']}", "example", parameter["example"],
                              parameter["schema"])
        if "requestBody" in operation:
            body = resolve(spec, operation["requestBody"])
            for name, value, schema in _media_examples(spec, body.get("content", {})):
                yield Example(op_id, "request", name, value, schema)
        for status, response in operation["responses"].items():
            response = resolve(spec, response)
            for name, value, schema in _media_examples(spec, response.get("content", {})):
                yield Example(op_id, f"response {status}", name, value, schema)


def schema_validator(spec: dict[str, Any], schema: dict[str, Any]) -> OAS30Validator:
    """A validator for ``schema`` whose ``#/components/...`` references resolve inside ``spec``."""
    # Imported here: it brings pydantic along (~0.1 s), and the mock, which imports this module, never calls this.
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    registry = Registry().with_resource(_ROOT, Resource.from_contents(spec, default_specification=DRAFT4))
    rooted = _reroot(schema)
    return OAS30Validator(rooted, registry=registry, format_checker=oas30_format_checker)


def _reroot(node: Any) -> Any:
    # A bare "#/components/..." would resolve against the sub-schema itself; anchor it at the whole document.
    if isinstance(node, dict):
        return {k: (_ROOT + v if k == "$ref" and v.startswith("#") else _reroot(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_reroot(v) for v in node]
    return node


def example_errors(spec: dict[str, Any], example: Example) -> list[str]:
    """Messages of every way ``example`` breaks its schema; empty when it is valid."""
    validator = schema_validator(spec, example.schema)
    errors = validator.iter_errors(example.value)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
