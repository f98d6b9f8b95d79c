"""Locate and parse the spec files, whether running from a checkout or from an installed wheel."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from api_contract.policy import View, view_of

API_NAMES: tuple[str, ...] = ("garuda", "flightsayer")

_PACKAGED = Path(__file__).parent / "specs"  # where the wheel puts them
_CHECKOUT = Path(__file__).resolve().parent.parent / "specs"  # a source checkout or editable install


def spec_path(api: str) -> Path:
    """The YAML file of ``api`` (one of :data:`API_NAMES`)."""
    if api not in API_NAMES:
        raise ValueError(f"unknown API {api!r}; expected one of {', '.join(API_NAMES)}")
    for folder in (_PACKAGED, _CHECKOUT):
        candidate = folder / f"{api}.yaml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"spec of {api!r} not found in {_PACKAGED} or {_CHECKOUT}")


# libyaml's safe loader when PyYAML was built with it: the same documents, parsed ~10x faster (start-up time).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """A YAML file parsed as ``yaml.safe_load`` would."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


@cache
def _parsed(api: str, view: View) -> dict[str, Any]:
    return view_of(read_yaml(spec_path(api)), view)


def load_spec(api: str, view: View = "contract") -> dict[str, Any]:
    """A fresh, mutable copy of the spec of ``api`` in ``view`` (:mod:`api_contract.policy`): ``contract`` (what
    the seeds state; what backends are judged by), ``mock`` (with the mock's choices) or ``inputs`` (the contract,
    with the mock's choices on what clients send)."""
    return copy.deepcopy(_parsed(api, view))
