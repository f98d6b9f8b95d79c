"""What an error must look like in each API's own format: never problem+json, never a 5xx."""

from __future__ import annotations

from typing import Literal

import httpx

Family = Literal["garuda", "flightsayer", "control"]


def assert_error_format(response: httpx.Response, family: Family) -> None:
    """Garuda: ``{"success": false, "message": str}``. Flightsayer (DRF): ``{"detail": str}`` or
    ``{"field": [str]}``. Control API: ``{"detail": str}``."""
    assert response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("application/json"), content_type
    assert "problem" not in content_type
    body = response.json()
    assert isinstance(body, dict), body
    if family == "garuda":
        assert set(body) == {"success", "message"}, body
        assert body["success"] is False and isinstance(body["message"], str) and body["message"], body
    elif family == "flightsayer":
        assert len(body) == 1, body
        [(key, value)] = body.items()
        if key == "detail":
            assert isinstance(value, str) and value, body
        else:
            assert isinstance(value, list) and value and all(isinstance(m, str) and m for m in value), body
    else:
        assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"], body
