"""The mock checks its own answers against the spec, fast enough to do it on every read.

Connexion validates a response by walking its schema with jsonschema: about 0.5 ms for one flight status, 10 ms for a
page of twenty. Here each response schema is compiled once by jsonschema-rs (a Rust validator; ~20x faster here),
each distinct body is checked once (valid bodies are remembered), and a page is checked as its envelope plus its
items, so a status already proven valid is not walked again inside every page that lists it.

A schema that nests itself in a member (a FlightStatus's ``inbound``) can also encode its bodies
(:meth:`SchemaCheck.encode_nested`): a body is built from its value with that member null, which is checked as it is,
and the bytes of the nested body, already found valid, embedded verbatim. A chain of statuses is then walked once, as
it is built, and never parsed back: on a cold search page, checking each status after serialising it had cost more
than serialising it (parsing it back, then walking its whole inbound chain again).

The compiled code is only trusted to say "valid": a body it rejects is judged again by connexion's own
``Draft4ResponseValidator`` (the one the rest of the mock uses), which has the last word and the message.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import jsonschema_rs
import orjson
from connexion.json_schema import Draft4ResponseValidator
from jsonschema.exceptions import best_match

from mock_server.validation import FORMAT_CHECKER, is_uri

REMEMBERED_BYTES = 128 << 20  # valid bodies kept per schema (most are shared with the catalog's own cache)


def json_schema_of(node: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: ``nullable: true`` becomes ``null`` in ``type`` and ``enum``.

    That is all connexion's OpenAPI flavour adds to draft 4 (its validators let ``null`` through ``type`` and
    ``enum`` of a nullable schema); ``x-`` extensions are dropped as the annotations they are.
    """
    if isinstance(node, list):
        return [json_schema_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "writeOnly" in node:
        raise ValueError("writeOnly has no plain JSON Schema equivalent in a response")
    schema = {key: json_schema_of(value) for key, value in node.items()
              if not key.startswith("x-") and key != "nullable"}
    if node.get("nullable") is True:
        if isinstance(schema.get("type"), str):
            schema["type"] = [schema["type"], "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
    return schema


# Date-times the reference check certainly accepts: RFC 3339 with a day that exists in its month (29 February
# excepted), ASCII digits only, year 0001 or later. Used as a plain pattern, so the compiled validator checks
# date-times in Rust; anything outside it is judged by the reference itself. (jsonschema-rs's own date-time format is
# not used: it accepts leap seconds and year 0000, which the reference refuses.)
SURELY_DATE_TIME = (
    r"^(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-"
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)


def surely_valid_form(node: Any) -> Any:
    """``node`` (plain JSON Schema) with each ``format: date-time`` replaced by the :data:`SURELY_DATE_TIME` pattern:
    stricter, never looser, and checked without calling back into Python."""
    if isinstance(node, list):
        return [surely_valid_form(item) for item in node]
    if not isinstance(node, dict):
        return node
    schema = {key: surely_valid_form(value) for key, value in node.items()}
    if schema.get("format") == "date-time":
        del schema["format"]
        if "pattern" in schema:
            schema["allOf"] = [*schema.get("allOf", []), {"pattern": SURELY_DATE_TIME}]
        else:
            schema["pattern"] = SURELY_DATE_TIME
    return schema


# The reference validator's own check for the one other format the specs use, so the two cannot disagree on it.
_FORMATS = {"uri": is_uri}
# Keywords that constrain an object's members one by one (or only which keys it has), so that a member's value can be
# judged apart from the others; with any other keyword at its top, a schema's bodies are only checked whole.
_MEMBERWISE = frozenset({"type", "required", "properties", "additionalProperties", "description", "title"})


def nesting_member(spec: dict[str, Any], pointer: str) -> str | None:
    """The member in which the schema at ``pointer`` nests itself, when a body's value there can be judged apart:
    the schema constrains members one by one, and that member takes any body of the schema (an ``anyOf`` naming it)."""
    schema = _resolve_pointer(spec, pointer)
    if not set(schema) <= _MEMBERWISE or schema.get("type") != "object":
        return None
    for name, member in schema.get("properties", {}).items():
        if {"$ref": pointer} in member.get("anyOf", []) and set(member) <= {"anyOf", "description"}:
            return name
    return None


class SchemaCheck:
    """One schema of a spec (a JSON pointer into it), compiled, with the valid bodies it has seen.

    ``reference``: connexion's validator that has the last word (its request validator, to check request bodies).
    """

    def __init__(self, spec: dict[str, Any], pointer: str, *, reference: type = Draft4ResponseValidator) -> None:
        document = {"$ref": pointer, "components": spec.get("components", {})}
        self._compiled = jsonschema_rs.Draft4Validator(surely_valid_form(json_schema_of(document)),
                                                       formats=_FORMATS, validate_formats=True)
        self._reference = reference(copy.deepcopy(document), format_checker=FORMAT_CHECKER)
        self._valid: OrderedDict[bytes, None] = OrderedDict()
        self._remembered_bytes = 0
        self.pointer = pointer
        self.nesting = nesting_member(spec, pointer)

    def vouches_for(self, value: Any) -> bool:
        """The compiled validator's verdict: True only for values the reference validator accepts too."""
        return self._compiled.is_valid(value)

    def error(self, value: Any) -> str | None:
        """Why ``value`` does not conform, or None when it does."""
        if self.vouches_for(value):
            return None
        found = best_match(self._reference.iter_errors(value))
        if found is None:
            return None
        where = "/".join(str(part) for part in found.absolute_path)
        return f"{found.message} (at {where or 'the top'})"

    def body_error(self, body: bytes, value: Any = None) -> str | None:
        """Why the JSON ``body`` (already parsed as ``value``, when the caller has it) does not conform.

        Valid bodies are remembered as themselves: a bytes object caches its hash, so a body the catalog keeps and
        serves again is found in one lookup.
        """
        if body in self._valid:
            self._valid.move_to_end(body)
            return None
        problem = self.error(orjson.loads(body) if value is None else value)
        if problem is None:
            self._remember(body)
        return problem

    def remembers(self, body: bytes) -> bool:
        """Whether ``body`` was found valid and is still remembered."""
        return body in self._valid

    def encode_nested(self, rest: dict[str, Any], inner: bytes | None) -> bytes:
        """The bytes of ``rest`` with its :attr:`nesting` member holding ``inner`` (a body of this schema, embedded
        verbatim; None for null), remembered as valid when ``rest`` with that member null is valid and ``inner`` was
        found valid. Sound because the schema judges its members one by one and that member takes any valid body.

        ``rest``: plain JSON values (what ``orjson`` writes as it is). ``ValueError`` when the schema nests nothing.
        """
        if self.nesting is None:
            raise ValueError("this schema has no member that nests it")
        body = orjson.dumps({**rest, self.nesting: orjson.Fragment(inner) if inner is not None else None})
        if inner is None or inner in self._valid:
            try:
                valid = self.vouches_for({**rest, self.nesting: None})
            except (TypeError, ValueError):  # a value that is not plain JSON: the body is checked when it is sent
                valid = False
            if valid:
                self._remember(body)
        return body

    def _remember(self, body: bytes) -> None:
        self._valid[body] = None
        self._remembered_bytes += len(body)
        while self._remembered_bytes > REMEMBERED_BYTES:
            self._remembered_bytes -= len(self._valid.popitem(last=False)[0])


def items_pointer(spec: dict[str, Any], pointer: str) -> str:
    """The pointer of the schema of the items of the page schema at ``pointer``."""
    return _items_pointer(spec, _resolve_pointer(spec, pointer), pointer)


class PageCheck:
    """A page schema (``count``, ``next``, ``previous``, ``results``), checked as its envelope and each item."""

    def __init__(self, spec: dict[str, Any], pointer: str, items: SchemaCheck | None = None) -> None:
        """``items``: the check of the items' schema, when one is already compiled (it remembers what it proved)."""
        page = _resolve_pointer(spec, pointer)
        items_pointer = _items_pointer(spec, page, pointer)
        if items is not None and items.pointer != items_pointer:
            raise ValueError(f"{pointer}: its items are {items_pointer}, not {items.pointer}")
        self.items = items or SchemaCheck(spec, items_pointer)
        envelope_spec = copy.deepcopy(spec)
        _set_items(envelope_spec, pointer, {})  # the items are checked one by one instead
        self.envelope = SchemaCheck(envelope_spec, pointer)

    def error(self, head: dict[str, Any], items: Sequence[bytes]) -> str | None:
        """Why the page made of ``head`` (every field but ``results``) and the serialised ``items`` does not
        conform."""
        return self._first_problem(head, items, self.items.body_error)

    def value_error(self, value: dict[str, Any]) -> str | None:
        """Why the page ``value`` (parsed, not serialised) does not conform."""
        results = value.get("results")
        if not isinstance(results, list):
            return self.envelope.error(value)
        return self._first_problem(value, results, self.items.error)

    def _first_problem(self, head: dict[str, Any], items: Sequence[Any],
                       item_error: Callable[[Any], str | None]) -> str | None:
        problem = self.envelope.error({**head, "results": [None] * len(items)})
        if problem is not None:
            return problem
        for index, item in enumerate(items):
            problem = item_error(item)
            if problem is not None:
                return f"results/{index}: {problem}"
        return None


def _resolve_pointer(spec: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = spec
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    while "$ref" in node:
        node = _resolve_pointer(spec, node["$ref"])
    return node


def _page_parts(spec: dict[str, Any], page: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema objects that together make a page: the page itself, or the members of its ``allOf``."""
    parts = [page]
    for member in page.get("allOf", []):
        resolved = _resolve_pointer(spec, member["$ref"]) if "$ref" in member else member
        parts += _page_parts(spec, resolved)
    return parts


def _items_pointer(spec: dict[str, Any], page: dict[str, Any], pointer: str) -> str:
    named = {part["properties"]["results"]["items"].get("$ref") for part in _page_parts(spec, page)
             if "items" in part.get("properties", {}).get("results", {})} - {None}
    if len(named) != 1:
        raise ValueError(f"{pointer}: a page's results must be items of one named schema, not {sorted(named)}")
    return named.pop()


def _set_items(spec: dict[str, Any], pointer: str, schema: dict[str, Any]) -> None:
    for part in _page_parts(spec, _resolve_pointer(spec, pointer)):
        results = part.get("properties", {}).get("results")
        if results is not None and "items" in results:
            results["items"] = schema
