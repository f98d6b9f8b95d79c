"""The two OpenAPI documents in ``specs/``: where they live, how to read them, and their contract and mock views.

Everything else (the mock, the conformance suite, the tests) reads the contract through here, so no schema is
ever restated in Python.
"""

from api_contract.loading import API_NAMES, load_spec, read_yaml, spec_path
from api_contract.policy import View

__all__ = ["API_NAMES", "View", "load_spec", "read_yaml", "spec_path"]
