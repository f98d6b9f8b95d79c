"""The suite's test modules: ``python -m conformance`` or ``pytest --pyargs conformance.suite``."""
