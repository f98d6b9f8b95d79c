"""The mock's own control API under ``/_mock/``: health, reset, state export/import, the request journal, and
latency and fault injection. The stores here know nothing of HTTP; :mod:`mock_server.control.api` serves them."""

from mock_server.control.state import ControlState

__all__ = ["ControlState"]
