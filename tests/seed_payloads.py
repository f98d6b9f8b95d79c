"""Pull the example payloads out of the seed documents in ``docs/seeds/``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parent.parent / "docs" / "seeds"

_JSON_FENCE = re.compile(r"```json\n(.*?)```", re.S)
_CURL_BODY = re.compile(r"-d '(\{.*?\})'", re.S)


def _parse(text: str) -> Any:
    """The JSON value of ``text``, or the raw text when the seed's block is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def garuda_payloads() -> list[Any]:
    """```json blocks, then curl -d request bodies, in document order."""
    text = (SEEDS / "garuda-flight-sessions.md").read_text(encoding="utf-8")
    found = [(m.start(), m.group(1)) for m in _JSON_FENCE.finditer(text)]
    found += [(m.start(), m.group(1)) for m in _CURL_BODY.finditer(text)]
    return [_parse(body) for _, body in sorted(found)]


def flightsayer_payloads() -> list[Any]:
    """The indented block under each ``+ Body`` line, in document order."""
    lines = (SEEDS / "flightsayer.apib").read_text(encoding="utf-8").splitlines()
    payloads = []
    for i, line in enumerate(lines):
        if line.strip() != "+ Body":
            continue
        indent = len(line) - len(line.lstrip())
        block = []
        for following in lines[i + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following)
        payloads.append(_parse("\n".join(block)))
    return payloads


PAYLOADS = {"garuda-flight-sessions.md": garuda_payloads, "flightsayer.apib": flightsayer_payloads}
