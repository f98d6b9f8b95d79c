"""Errors of the run: a check that could not be judged is not the backend breaking the contract.

A verdict on the backend is an assertion: a check of the suite raises ``ConformanceFailure``, schemathesis raises
its failures, both ``AssertionError``. Anything else a check raises is the run's own trouble: the trigger command
failed (``TriggerFailed``), a connection broke, a check could not set up its data. Such an outcome is reported as a
pytest ERROR, listed apart, and gives the run its own exit code (:class:`~conformance.verdict.exit_codes.Exit`).
"""

from __future__ import annotations

RUN_ERROR = "flight_conformance_run_error"  # user_properties key: why the check could not be judged


def is_verdict(error: BaseException) -> bool:
    """Whether ``error`` is a verdict on the backend: an assertion, or a group of nothing but assertions."""
    if isinstance(error, BaseExceptionGroup):
        return all(is_verdict(inner) for inner in error.exceptions)
    return isinstance(error, AssertionError)


def describe(error: BaseException, limit: int = 500) -> str:
    """One line: the error's type and message."""
    if isinstance(error, BaseExceptionGroup):
        error = next((inner for inner in error.exceptions if not is_verdict(inner)), error)
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:limit]}" if text else type(error).__name__
