"""What a handler needs to know about the current call: who is calling and the state to act on."""

from __future__ import annotations

from connexion.context import context

from mock_server.auth import Principal
from mock_server.state import MockState


def caller() -> Principal:
    return context["principal"]


def state() -> MockState:
    return context["state"]
