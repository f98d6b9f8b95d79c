"""Thin clients of the two APIs over the target's HTTP client. Every resource they create is registered for
deletion on the target, so the backend is left as found even when a check fails half-way."""

from __future__ import annotations

from typing import Any

import httpx

from conformance.target import Target

GARUDA_SESSIONS = "/v2/flight_sessions"
FLIGHTSAYER_STATUS = "/flights/v1/status/"
FLIGHTSAYER_SEARCH = "/flights/v1/search"
FLIGHTSAYER_SUBSCRIPTIONS = "/subscriptions/"


class GarudaClient:
    def __init__(self, target: Target, token: str | None, api_key: str | None) -> None:
        self.target, self.token, self.api_key = target, token, api_key

    @property
    def headers(self) -> dict[str, str]:
        headers = {}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.api_key is not None:
            headers["X-API-Key"] = self.api_key
        return headers

    def request(self, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
        return self.target.http.request(method, GARUDA_SESSIONS + path, headers=self.headers, **kwargs)

    def list(self, **filters: str) -> httpx.Response:
        return self.request("GET", params=filters)

    def get(self, session_id: str) -> httpx.Response:
        return self.request("GET", f"/{session_id}")

    def create(self, body: dict[str, Any]) -> httpx.Response:
        response = self.request("POST", json=body)
        self._undo_creation(response)
        return response

    def patch(self, session_id: str, body: dict[str, Any]) -> httpx.Response:
        return self.request("PATCH", f"/{session_id}", json=body)

    def delete(self, session_id: str) -> httpx.Response:
        return self.request("DELETE", f"/{session_id}")

    def _undo_creation(self, response: httpx.Response) -> None:
        try:
            created = response.json()["data"]["flight_session_id"]
        except (ValueError, KeyError, TypeError):
            return
        if isinstance(created, str):
            self.target.undo.append(lambda: self.delete(created))


class FlightsayerClient:
    def __init__(self, target: Target, token: str | None) -> None:
        self.target, self.token = target, token

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"} if self.token is not None else {}

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.target.http.request(method, url, headers=self.headers, **kwargs)

    def status(self, flight_id: str) -> httpx.Response:
        return self.request("GET", FLIGHTSAYER_STATUS + flight_id)

    def search(self, **params: Any) -> httpx.Response:
        return self.request("GET", FLIGHTSAYER_SEARCH, params=params)

    def follow(self, url: str) -> httpx.Response:
        """GET an absolute link exactly as the server wrote it."""
        return self.request("GET", url)

    def subscriptions(self, **params: Any) -> httpx.Response:
        return self.request("GET", FLIGHTSAYER_SUBSCRIPTIONS, params=params)

    def subscribe(self, flight_id: str, body: Any) -> httpx.Response:
        response = self.request("PUT", FLIGHTSAYER_SUBSCRIPTIONS + flight_id, json=body)
        if response.status_code == 201:
            self.target.undo.append(lambda: self.unsubscribe(flight_id))
        return response

    def subscription(self, flight_id: str) -> httpx.Response:
        return self.request("GET", FLIGHTSAYER_SUBSCRIPTIONS + flight_id)

    def unsubscribe(self, flight_id: str) -> httpx.Response:
        return self.request("DELETE", FLIGHTSAYER_SUBSCRIPTIONS + flight_id)


def garuda_client(target: Target, company: str = "") -> GarudaClient:
    """The client of the config's company (``company=""``) or of ``other_company``; skips if it is not configured."""
    prefix = f"garuda.{company}." if company else "garuda."
    return GarudaClient(target, target.config.need(prefix + "token"), target.config.need(prefix + "api_key"))


def flightsayer_client(target: Target, user: str = "token") -> FlightsayerClient:
    return FlightsayerClient(target, target.config.need(f"flightsayer.{user}"))
