"""Response validation stays on: the mock refuses to send a body that breaks its own spec, even one it has cached."""

from __future__ import annotations

import copy
import json

from starlette.testclient import TestClient

from mock_server.app import MockApp
from tests.mock.conftest import ALICE


def test_a_response_breaking_the_spec_is_a_500_not_sent(app: MockApp, client: TestClient, monkeypatch) -> None:
    flight_id = app.state.catalog.flight_ids()[0]
    url = f"/flights/v1/status/{flight_id}"
    good = client.get(url, headers=ALICE)
    assert good.status_code == 200  # now remembered as valid

    broken = copy.deepcopy(good.json())
    broken["prediction"]["delay_index"] = 11
    monkeypatch.setattr(app.state.catalog, "status_json", lambda _id: json.dumps(broken).encode())
    response = client.get(url, headers=ALICE)
    assert response.status_code == 500
    assert "does not conform" in response.json()["detail"]


def test_the_same_valid_body_twice_is_still_answered(app: MockApp, client: TestClient) -> None:
    url = f"/flights/v1/status/{app.state.catalog.flight_ids()[1]}"
    first, second = client.get(url, headers=ALICE), client.get(url, headers=ALICE)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
