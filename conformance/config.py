"""The suite's config: credentials and ids of the backend under test, in the YAML shape ``mock-server --print-config``
prints. Optional keys may be missing; a check that needs one is skipped with a reason naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml


class ConformanceConfig:
    def __init__(self, data: dict[str, Any] | None) -> None:
        self.data = data or {}

    @classmethod
    def from_file(cls, path: Path) -> ConformanceConfig:
        with path.open(encoding="utf-8") as handle:
            return cls.from_yaml(handle.read())

    @classmethod
    def from_yaml(cls, text: str) -> ConformanceConfig:
        data = yaml.safe_load(text)
        if data is not None and not isinstance(data, dict):
            raise ValueError("the conformance config must be a YAML mapping (garuda: ..., flightsayer: ...)")
        return cls(data)

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for key in dotted.split("."):
            if not isinstance(node, dict) or node.get(key) in (None, ""):
                return None
            node = node[key]
        return node

    def need(self, dotted: str) -> str:
        """The value at ``dotted`` (e.g. ``garuda.other_company.token``); skips the running check when it is absent."""
        value = self.get(dotted)
        if value is None:
            pytest.skip(f"needs {dotted} in the conformance config")
        return str(value)
