"""The two OpenAPI documents in ``specs/``: where they live and how to read them.

Everything else (the mock, the conformance suite, the tests) reads the contract through here, so no schema is
ever restated in Python.
"""

from api_contract.loading import API_NAMES, load_spec, read_yaml, spec_path

__all__ = ["API_NAMES", "load_spec", "read_yaml", "spec_path"]
