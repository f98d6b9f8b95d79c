"""A validating reverse proxy: put it between a frontend and a real backend to learn, request by request, which side
breaks the contract in ``specs/``. Run it with ``mock-server proxy --upstream URL`` or ``python -m mock_server.proxy``.
"""

from mock_server.proxy.app import ProxyApp

__all__ = ["ProxyApp"]
